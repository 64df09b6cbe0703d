"""Saved searches on the main screen: save the search on screen under a name, open one (its query
and entity filters), and on start say how many hits each gained since it was last opened.

The store and the counting are ``newsdesk.tui.saved``; the counting runs in thread workers.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import work

from newsdesk.tui.safe import one_line
from newsdesk.tui.saved import Saved, all_hits, index_key, new_hits
from newsdesk.tui.screens.prompt import PromptScreen
from newsdesk.tui.screens.search_flow import SearchFlow

if TYPE_CHECKING:
    from newsdesk.index.seam import Reader

MAX_NOTED = 6  # saved searches named in the start-up note


class SavedFlow(SearchFlow):
    """Save, list and open saved searches; count what is new in them."""

    def _saved_init(self) -> None:
        if not hasattr(self, "new_counts"):
            self.new_counts: dict[str, int] = {}
            self._counted = False

    def saved_commands(self) -> list[tuple[str, str, object]]:
        """(name, help, callback) for the palette: save this search, and open each saved one."""
        self._saved_init()
        out: list[tuple[str, str, object]] = [
            ("Save this search…", "Name the query and its filters to open later", self.ask_save)
        ]
        for name in self.nd_app.saved.names():
            saved = self.nd_app.saved.items[name]
            new = self.new_counts.get(name)
            tail = f" ({new:,} new)" if new else ""
            out.append(
                (
                    f"Saved: {one_line(name, 40)}{tail}",
                    one_line(saved.describe(), 80),
                    lambda saved=saved: self.open_saved(saved),
                )
            )
        return out

    def ask_save(self) -> None:
        request = self._request
        if not request.text.strip() and not request.entities:
            self.notify("Nothing to save: type a query or add a filter first", markup=False)
            return

        def answer(name: str | None) -> None:
            if name and name.strip():
                self._save(name.strip(), request)

        default = one_line(request.text, 40) or ", ".join(request.entities)
        self.app.push_screen(PromptScreen("Save this search as:", default), answer)

    @work(thread=True, exclusive=True, group="saved", exit_on_error=False)
    def _save(self, name: str, request: object) -> None:
        from newsdesk.index.seam import SearchRequest

        assert isinstance(request, SearchRequest)
        try:
            hits, total = self._engine_call(lambda e: all_hits(e, request))
            key = index_key(self.nd_app.index_dir)
            self.nd_app.saved.add(name, request, key, [h.passage_id for h in hits])
        except Exception as exc:
            self._from_thread(
                self.notify, one_line(f"Cannot save: {exc}"), severity="error", markup=False
            )
            return
        self._from_thread(self._saved_done, name, total)

    def _saved_done(self, name: str, total: int) -> None:
        self._saved_init()
        self.new_counts[name] = 0
        hits = f"{total:,} hit{'s' if total != 1 else ''}"
        self.notify(one_line(f"Saved “{name}” ({hits}); the palette opens it"), markup=False)

    def open_saved(self, saved: Saved) -> None:
        """Put the saved query and filters on screen and count its hits as seen."""
        self._saved_init()
        self.filters[:] = list(saved.entities)
        self._show_chips()
        box = self.search_box
        box.value = saved.query
        box.cursor_position = len(saved.query)
        self.run_search(now=True)
        new = self.new_counts.pop(saved.name, 0)
        if new:
            self.notify(one_line(f"“{saved.name}”: {new:,} new since last opened"), markup=False)
        self._mark_seen(saved)

    @work(thread=True, exclusive=False, group="saved-seen", exit_on_error=False)
    def _mark_seen(self, saved: Saved) -> None:
        try:
            hits, _ = self._engine_call(lambda e: all_hits(e, saved.request))
            key = index_key(self.nd_app.index_dir)
            self.nd_app.saved.mark_seen(saved.name, key, [h.passage_id for h in hits])
        except Exception:
            return

    def count_new(self) -> None:
        """Once an index is open: how many hits each saved search gained since last opened."""
        self._saved_init()
        if self._counted or not self.nd_app.saved.items:
            return
        self._counted = True
        self._count_new(list(self.nd_app.saved.items.values()))

    @work(thread=True, exclusive=True, group="saved-count", exit_on_error=False)
    def _count_new(self, searches: list[Saved]) -> None:
        key = index_key(self.nd_app.index_dir)
        counts: dict[str, int] = {}

        def count(engine: Reader, saved: Saved) -> int:
            return len(new_hits(engine, saved, key)[0])

        for saved in searches:
            try:
                counts[saved.name] = self._engine_call(partial(count, saved=saved))
            except Exception:
                continue
        self._from_thread(self._show_new, counts)

    def _show_new(self, counts: dict[str, int]) -> None:
        self._saved_init()
        self.new_counts.update(counts)
        gained = [(n, c) for n, c in counts.items() if c]
        if not gained:
            return
        parts = [f"{one_line(n, 30)} +{c:,}" for n, c in gained[:MAX_NOTED]]
        more = f" and {len(gained) - MAX_NOTED} more" if len(gained) > MAX_NOTED else ""
        self.notify(
            "New since last opened: " + ", ".join(parts) + more + " (palette: Saved: …)",
            title="Saved searches",
            markup=False,
            timeout=8,
        )
