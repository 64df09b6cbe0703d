"""The copies of a hit one key away (issue 15): ``C`` on a hit with "+N copies" lists the other
articles of its near-duplicate group (date, publisher or source, title), enter opens one in the
passage view, escape goes back. Driven through Textual's Pilot on an index of five rewrites of
one wire story and one other story (tests/test_formats.py writes them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from newsdesk.index.build import build
from newsdesk.tui.keymap import help_rows
from newsdesk.tui.screens.copies import CopiesScreen
from newsdesk.tui.screens.main import MainScreen

from .conftest import settle as settle_app
from .test_formats import write_wire

WIDE = (130, 40)


@pytest.fixture
def wire_index(tmp_path: Path, fake_nlp: None) -> Path:
    write_wire(tmp_path / "wire", 5)
    summary = build(tmp_path / "ix", [tmp_path / "wire"])
    assert summary.near_duplicates == 4
    return tmp_path / "ix"


async def settle(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await settle_app(pilot)
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


async def on_the_grouped_hit(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    """Search "barrier", then put the cursor on the hit that folds the copies in (NAVIGATE)."""
    screen = await settle(pilot)
    screen.search_box.focus()
    screen.search_box.value = "barrier"
    screen = await settle(pilot)
    hits = screen.results.hits
    assert {h.article_id for h in hits} == {"outlet01", "quota"}
    await pilot.press("tab")  # to the results: NAVIGATE mode
    screen.results.highlighted = next(i for i, h in enumerate(hits) if h.copies)
    screen = await settle(pilot)
    hit = screen.results.current
    assert hit is not None and hit.article_id == "outlet01" and hit.copies == 4
    return screen


def rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.mark.asyncio
async def test_the_key_lists_the_copies_and_enter_opens_one(make_app, wire_index: Path) -> None:
    app = make_app(wire_index)
    async with app.run_test(size=WIDE) as pilot:
        screen = await on_the_grouped_hit(pilot)
        assert screen.check_action("show_copies", ()) is True  # shown in the footer
        await pilot.press("C")
        await settle(pilot)
        copies = app.screen
        assert isinstance(copies, CopiesScreen)
        assert [a.id for a in copies.copies] == ["outlet02", "outlet03", "outlet04", "outlet05"]
        shown = rows(copies.query_one(DataTable))
        assert shown[0][:3] == ["2024-06-02", "Outlet 2", "Flood barrier closes (2)"]
        assert "4 copies of “Flood barrier closes (1)”" in str(
            copies.query_one("#copies-title").render()
        )
        await pilot.press("j", "enter")  # the second copy
        screen = await settle(pilot)
        assert app.screen is screen
        assert screen.doc is not None and screen.doc.article.id == "outlet03"
        assert screen.selected is not None and screen.selected.startswith("outlet03#")
        assert screen._pane_of(screen.focused) == "passage"
        assert screen.passage.hits  # the query's words marked in the copy
        # the results keep their hit: escape goes back to them
        await pilot.press("escape")
        await settle(pilot)
        assert screen.focused is screen.results and screen.results.current is not None


@pytest.mark.asyncio
async def test_escape_closes_the_copies(make_app, wire_index: Path) -> None:
    app = make_app(wire_index)
    async with app.run_test(size=WIDE) as pilot:
        screen = await on_the_grouped_hit(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, CopiesScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.focused is screen.results
        assert screen.doc is not None and screen.doc.article.id == "outlet01"


@pytest.mark.asyncio
async def test_c_types_in_the_box_and_does_nothing_on_a_single_hit(
    make_app, wire_index: Path
) -> None:
    app = make_app(wire_index)
    async with app.run_test(size=WIDE) as pilot:
        screen = await on_the_grouped_hit(pilot)
        await pilot.press("slash", "C")  # SEARCH mode: the key types
        await settle(pilot)
        assert screen.search_box.value == "C" and not isinstance(app.screen, CopiesScreen)
        screen.search_box.value = "quota"
        screen = await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        hit = screen.results.current
        assert hit is not None and hit.article_id == "quota" and not hit.copies
        assert not screen.check_action("show_copies", ())  # hidden from the footer
        await pilot.press("C")
        await settle(pilot)
        assert app.screen is screen


def test_the_key_is_on_the_help_screen() -> None:
    row = next(r for r in help_rows() if r[0] == "copies")
    assert row[1].startswith("C") and "copies" in row[2]
