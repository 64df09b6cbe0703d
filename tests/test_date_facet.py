"""The date facet (issue 14): the hits by month as a line of bars under the entity tabs, counted
by the engine with the entity facets (tests/test_contract.py checks the counts on every engine)."""

from __future__ import annotations

import pytest

from newsdesk.tui.screens.main import MainScreen
from newsdesk.tui.widgets.dates import DateFacet, cells, histogram

from .conftest import settle as settle_app

WIDE = (130, 40)


async def settle(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await settle_app(pilot)
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


def shown(screen: MainScreen) -> tuple[dict[str, int], str]:
    facet = screen.query_one(DateFacet)
    return facet.months, str(facet.render())


@pytest.mark.asyncio
async def test_the_date_facet_follows_the_search_and_its_filters(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        months, line = shown(screen)
        assert months["2021-05"] == 130 and {"2023-10", "2023-11", "2023-12"} <= set(months)
        assert list(months) == sorted(months)
        assert line.startswith("2021-05 █") and line.endswith(" 2023-12")
        screen.search_box.value = "theft"
        screen = await settle(pilot)
        assert shown(screen) == ({"2023-10": 2, "2023-11": 1}, "2023-10 █▄ 2023-11")
        assert sum(shown(screen)[0].values()) == screen.results.total
        screen.add_filter("North Korea")  # cyber#1 (2023-11) and theft#2 (2023-10)
        screen = await settle(pilot)
        assert shown(screen) == ({"2023-10": 1, "2023-11": 1}, "2023-10 ██ 2023-11")
        screen.search_box.value = "nothingatallhere"
        screen = await settle(pilot)
        assert shown(screen) == ({}, "no dated hits")


def test_months_that_do_not_fit_share_a_bar() -> None:
    months = {"2020-01": 4, "2020-02": 1, "2020-12": 2, "2022-12": 8}
    assert cells(months, 40) == ("2020-01", "2022-12", [4, 1, *[0] * 9, 2, *[0] * 23, 8])
    first, last, bars = cells(months, 12)  # 36 months in 12 bars of 3
    assert (first, last, bars) == ("2020-01", "2022-12", [5, 0, 0, 2, *[0] * 7, 8])
    assert sum(bars) == sum(months.values())
    assert str(histogram({"2023-10": 2, "2023-11": 1}, 28)) == "2023-10 █▄ 2023-11"
    assert cells({}, 10) == ("", "", []) and cells({"undated": 3}, 10) == ("", "", [])
