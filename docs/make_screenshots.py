"""Draw the README's screenshots from the real app on the bundled seeds (spaCy extraction, a real
index in a temporary folder):

    .venv/bin/python docs/make_screenshots.py

writes docs/screenshot.svg (a search, NAVIGATE mode, a fact selected) and docs/facts-table.svg
(the facts table across the results), at 120x36.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SEEDS = DOCS.parent / "seeds"
SIZE = (120, 36)
QUERY = "north korea"


async def idle(pilot, rounds: int = 300) -> None:  # type: ignore[no-untyped-def]
    """Until every worker is done and the screen has settled."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause(0.05)
        if not [w for w in pilot.app.workers if not w.is_finished]:
            break
    await pilot.pause(0.3)


async def draw(index_dir: Path, history: Path) -> None:
    from newsdesk.tui.app import NewsdeskApp

    app = NewsdeskApp(index_dir, history_file=history, watch_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        screen = app.screen_stack[0]
        screen.search_box.focus()  # type: ignore[attr-defined]
        await pilot.press(*QUERY)
        await idle(pilot)
        await pilot.press("tab")  # to the results: NAVIGATE mode
        await idle(pilot)
        await pilot.press("enter")  # read the first hit
        await idle(pilot)
        (DOCS / "screenshot.svg").write_text(app.export_screenshot(), encoding="utf-8")
        await pilot.press("t")  # the facts table across the results
        await idle(pilot)
        (DOCS / "facts-table.svg").write_text(app.export_screenshot(), encoding="utf-8")


def main() -> int:
    from newsdesk.index.build import build

    with tempfile.TemporaryDirectory(prefix="newsdesk-shots-") as tmp:
        index_dir = Path(tmp) / "ix"
        build(index_dir, [SEEDS])
        asyncio.run(draw(index_dir, Path(tmp) / "history.jsonl"))
    print("wrote docs/screenshot.svg and docs/facts-table.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
