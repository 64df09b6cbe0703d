"""SVG snapshots of the main states at 80x24 and 120x36 (pytest-textual-snapshot).

Update them after an intended change of the screen with ``pytest tests/test_snapshots.py
--snapshot-update`` and look at the report. The index is the fixed test corpus, built in a
temporary folder, and nothing machine-specific (paths, times) is on screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from newsdesk.tui.screens.main import MainScreen

from .conftest import settle

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


async def ready(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    screen.search_box.cursor_blink = False
    return screen


async def empty(pilot) -> None:  # type: ignore[no-untyped-def]
    await ready(pilot)


async def results(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = await ready(pilot)
    screen.search_box.value = "cyber group"
    await settle(pilot)
    await pilot.press("enter")  # to the results
    await pilot.press("j")
    await settle(pilot)


async def entity_filter(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = await ready(pilot)
    screen.search_box.value = "cyber"
    await settle(pilot)
    screen.add_filter("Japan")
    await settle(pilot)
    await pilot.press("shift+tab")  # the entity pane, with counts for the filtered results
    await settle(pilot)


async def fact_selected(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = await ready(pilot)
    screen.entity_pane.set_type("PERSON")
    screen.entity_pane.list.focus()
    await pilot.pause()
    await pilot.press("f")  # Anne Neuberger's facts
    await settle(pilot)
    await pilot.press("j", "v")  # the second fact, its evidence in the passage
    await settle(pilot)
    await pilot.press("tab")  # back to the fact pane
    await settle(pilot)


async def help_screen(pilot) -> None:  # type: ignore[no-untyped-def]
    await ready(pilot)
    await pilot.press("tab", "question_mark")
    await pilot.pause()


async def compact_by_date(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = await ready(pilot)
    screen.search_box.value = "ledger OR cyber"
    await settle(pilot)
    await pilot.press("enter", "z", "s")  # to the results: one line a hit, newest first
    await settle(pilot)


async def facts_table(pilot) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.tui.screens.facts_table import FactsTableScreen

    screen = await ready(pilot)
    screen.search_box.value = "neuberger OR cyber OR theft"
    await settle(pilot)
    await pilot.press("enter", "t")
    for _ in range(400):
        if isinstance(pilot.app.screen, FactsTableScreen):
            break
        await pilot.pause(0.02)
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


STATES: dict[str, Callable[..., Awaitable[None]]] = {
    "empty": empty,
    "results": results,
    "entity_filter": entity_filter,
    "fact_selected": fact_selected,
    "help": help_screen,
    "compact_by_date": compact_by_date,
    "facts_table": facts_table,
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("state", list(STATES))
def test_snapshot(state: str, size: str, snap_compare, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    assert snap_compare(app, terminal_size=SIZES[size], run_before=STATES[state])
