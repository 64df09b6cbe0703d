"""The main screen's panes and commands: moving between the panes, showing and hiding them, help,
reloading or switching the index, and exporting what is on screen.

Below 120 columns the body shows one pane at a time (tab / shift+tab move through entities,
results, passage and facts, and show the pane they move to); from 120 columns all three columns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from textual import work

from newsdesk.tui.export import FORMATS, WHATS, export
from newsdesk.tui.screens.base import MainBase
from newsdesk.tui.screens.help import HelpScreen
from newsdesk.tui.screens.prompt import PromptScreen

FORMAT_NAMES = {"jsonl": "JSON Lines", "csv": "CSV", "md": "Markdown"}


class PaneActions(MainBase):
    """Pane focus and layout, and the actions that open other screens."""

    # -- panes and focus ---------------------------------------------------------------------------

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_prev_pane(self) -> None:
        self._cycle_pane(-1)

    def _cycle_pane(self, step: int) -> None:
        panes = self._visible_panes()
        current = self._pane_of(self.focused) or "search"
        i = panes.index(current) if current in panes else 0
        self._focus_pane(panes[(i + step) % len(panes)])

    def on_descendant_focus(self, event: Any) -> None:
        pane = self._pane_of(self.focused)
        if pane is not None and pane != "search" and pane != self.view:
            self._set_view(pane)

    def action_focus_search(self) -> None:
        self._focus_pane("search")

    def action_toggle_pane(self, pane: str) -> None:
        if self.has_class("-narrow"):
            self._focus_pane(pane if self.view != pane else "results")
            return
        if pane in self.hidden:
            self.hidden.discard(pane)
        else:
            self.hidden.add(pane)
            if self._pane_of(self.focused) == pane:
                self._focus_pane("results")
        self.set_class(pane in self.hidden, f"hide-{pane}")

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(dict(self.app._keymap)))

    def action_refresh_index(self) -> None:
        self.nd_app.refresh_index(manual=True)

    # -- export and open (commands) ----------------------------------------------------------------

    def export_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(name, callback, help) of every export: what × format."""
        return [
            (
                f"Export {what} as {FORMAT_NAMES[fmt]}",
                partial(self.ask_export, what, fmt),
                f"Write the current {what} to a .{fmt} file",
            )
            for what in WHATS
            for fmt in FORMATS
        ]

    def action_export_menu(self) -> None:
        self.app.search_commands(self.export_commands(), placeholder="Export…")

    def ask_export(self, what: str, fmt: str) -> None:
        default = str(Path.cwd() / f"newsdesk-{what}.{fmt}")

        def answer(path: str | None) -> None:
            if path:
                self._export(what, fmt, Path(path).expanduser())

        self.app.push_screen(PromptScreen(f"Export {what} ({fmt}) to:", default), answer)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, what: str, fmt: str, path: Path) -> None:
        request = self._request
        try:
            tmp = path.with_name(path.name + ".part")
            with tmp.open("w", encoding="utf-8", newline="") as out:
                n = self._engine_call(lambda e: export(e, what, request, fmt, out))
            tmp.replace(path)
        except Exception as exc:
            self._from_thread(self.notify, f"Export failed: {exc}", severity="error", markup=False)
            return
        self._from_thread(self.notify, f"Wrote {n:,} {what} to {path}", markup=False)

    def ask_open_index(self) -> None:
        def answer(path: str | None) -> None:
            if path:
                self.nd_app.open_index(Path(path).expanduser())

        self.app.push_screen(
            PromptScreen("Open the index folder:", str(self.nd_app.index_dir)), answer
        )
