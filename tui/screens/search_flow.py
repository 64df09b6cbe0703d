"""Searching from the main screen: the engine's state, search as you type, more hits as the cursor
nears the end, the spelling suggestion, and the entity filters shown as chips.

Results that come back for a query that is no longer in the box are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
from textual import on, work
from textual.widgets import Input

from newsdesk.index.seam import SearchRequest
from newsdesk.tui.safe import one_line
from newsdesk.tui.screens.base import FIRST_PAGE, MainBase, count
from newsdesk.tui.widgets.entities import EntityPane
from newsdesk.tui.widgets.marks import GLYPH
from newsdesk.tui.widgets.results import ORDER_LABEL, ORDERS, ResultsList
from newsdesk.tui.widgets.searchbar import Chip, FilterBar, MessageLine, SearchBox

if TYPE_CHECKING:
    from newsdesk.index.seam import Hit, SearchResult, Stats

PAGE = 50
SORT_MAX = 2_000  # another order than relevance sorts at most this many hits (the best)
DEBOUNCE = 0.12


def stats_line(stats: Stats) -> str:
    return " · ".join(
        (
            count(stats.articles, "article", "articles"),
            count(stats.passages, "passage", "passages"),
            count(stats.entities, "entity", "entities"),
            count(stats.facts, "fact", "facts"),
        )
    )


class SearchFlow(MainBase):
    """The search box, the results and the entity filters."""

    # -- the engine --------------------------------------------------------------------------------

    def engine_ready(self, stats: Stats) -> None:
        """Called by the app when an index is open."""
        self.ready = True
        self.failed = False
        self._docs.clear()
        if self.filters:  # entity names belong to the index that was open
            self.filters.clear()
            self._show_chips()
        self.topbar.counts = stats_line(stats)
        self.passage.show_message("No passage selected.")
        self.run_search(now=True)
        self.count_new()

    def engine_failed(self, message: str) -> None:
        self.ready = False
        self.failed = True
        self.topbar.counts = "no index"
        self.topbar.busy = False
        self.message.show(error=message)
        self.passage.show_message(message)

    def engine_changed(self, stats: Stats, manual: bool = False) -> None:
        """The index changed on disk (another process indexed articles), or r was pressed.

        The counts update at once. The results are searched again at once (keeping the selected
        passage) when r was pressed, or when nobody is reading them (the search box has focus, or
        there are no hits); under a reader's cursor they wait for r.
        """
        self._docs.clear()
        self.topbar.counts = stats_line(stats)
        reading = bool(self.results.hits) and self._pane_of(self.focused) not in (None, "search")
        if manual or not reading:
            self._restore = self.selected
            self.run_search(now=True)
        else:
            key = self._key_for("refresh", "r")
            self.message.show(note=f"the index has changed · {key} reloads the results")

    # -- searching ---------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        box = self.search_box
        if box.browsing:
            box.browsing = False
        else:
            self.history.reset()
        self.run_search()

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.history.add(event.value)
        shown = self.result is not None and self._request == self._current_request()
        if not shown or self._debounce is not None:
            self.run_search(now=True)
        self._focus_pane("results")

    @on(Input.Blurred, "#search")
    def _query_left(self, event: Input.Blurred) -> None:
        """Leaving the box with a query that found something: remember it."""
        if self.result is not None and self.result.query == event.value and self.result.total:
            self.history.add(event.value)

    def run_search(self, now: bool = False) -> None:
        """Search for the box's query: at once when no search is running, else after a pause
        in typing (so a keystroke is answered without waiting, and fast typing does not queue
        a search per key)."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if now or not self.topbar.busy:
            self._start_search()
        else:
            self._debounce = self.set_timer(DEBOUNCE, self._start_search)

    def _current_request(self) -> SearchRequest:
        return SearchRequest(self.search_box.value, tuple(self.filters), limit=FIRST_PAGE)

    def _start_search(self) -> None:
        self._debounce = None
        if not self.ready:
            return
        self._request = self._current_request()
        self.topbar.busy = True
        self._search(self._request)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, request: SearchRequest) -> None:
        if request != self._request:
            return
        try:
            result = self.nd_app.search(request)
        except Exception as exc:  # the index went away, or the engine failed: say so, go on
            self._from_thread(self._search_failed, request, f"search failed: {exc}")
            return
        self._from_thread(self._show_result, request, result)

    def _search_failed(self, request: SearchRequest, message: str) -> None:
        if request != self._request:
            return
        self.topbar.busy = False
        self.message.show(error=message)

    def _show_result(self, request: SearchRequest, result: SearchResult) -> None:
        if request != self._request or request != self._current_request():
            return  # stale: the query changed while this one ran
        self.topbar.busy = False
        if result.error:
            self.topbar.hits = "query error"
            self.message.show(error=result.error)
            return
        self.result = result
        self.nd_app.tune_gc()
        total = result.total
        self.topbar.hits = count(total, "hit", "hits")
        if total == 0 and result.suggestion:
            self.message.show(suggestion=result.suggestion, key=self._key_for("suggest", "ctrl+s"))
        elif total == 0:
            drop = " · backspace drops a filter" if request.entities else ""
            self.message.show(note="no hits" + drop)
        elif result.fallback:
            self.message.show(note="no passage has every word: passages with some of them")
        elif not request.text.strip() and not request.entities:
            self.message.show(note=self._hint())
        else:
            self.message.show(note="")
        results = self.results
        results.set_hits(result.hits, total)
        if results.order != "relevance" and results.more:
            self._load_for_sort(request, len(results.ranked))
        restore, self._restore = self._restore, None
        if restore:
            index = next((i for i, h in enumerate(result.hits) if h.passage_id == restore), None)
            if index:
                results.highlighted = index
        self._results_subtitle()
        # the hits paint first; the entity tabs (up to hundreds of rows) fill in the next frame
        self.call_after_refresh(self._show_facets, request, result)
        if not result.hits:
            self.selected = None
            self.doc = None
            self.passage.show_message("No hits.")
            self.passage.border_subtitle = ""
            self.fact_pane.set_facts([], "")

    def _show_facets(self, request: SearchRequest, result: SearchResult) -> None:
        if request == self._request:
            self.entity_pane.set_facets(result.facets)
            self.entity_pane.set_months(result.months)

    def _results_subtitle(self) -> None:
        results = self.results
        if results.total:
            text = f"{len(results.hits):,} of {results.total:,}"
            if results.order != "relevance":
                text += f" · {ORDER_LABEL[results.order]}"
                if results.more:
                    text += " (of those loaded)"
            if results.one_line:
                text += " · compact"
            results.border_subtitle = text
        else:
            results.border_subtitle = "none"

    @on(ResultsList.NeedMore)
    def _need_more(self, event: ResultsList.NeedMore) -> None:
        self._more(self._request, event.have)

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def _more(self, request: SearchRequest, offset: int) -> None:
        try:
            result = self.nd_app.search(attrs.evolve(request.page(offset, PAGE), facets=False))
        except Exception:
            return
        self._from_thread(self._add_more, request, offset, result)

    def _add_more(self, request: SearchRequest, offset: int, result: SearchResult) -> None:
        if request != self._request or len(self.results.ranked) != offset or result.error:
            return
        self.results.add_hits(result.hits)
        self._results_subtitle()

    # -- how the results are shown -----------------------------------------------------------------

    def action_toggle_compact(self) -> None:
        """One line a hit, or the title over the snippet."""
        results = self.results
        results.set_view(one_line=not results.one_line)
        self.set_class(results.one_line, "-compact")
        self._results_subtitle()

    def action_cycle_sort(self) -> None:
        """Relevance → newest first → grouped by article. The other orders sort the hits loaded:
        up to SORT_MAX of them, loaded first, and the subtitle says when some are left out."""
        results = self.results
        order = ORDERS[(ORDERS.index(results.order) + 1) % len(ORDERS)]
        results.set_view(order=order)
        self._results_subtitle()
        if order != "relevance" and results.more and len(results.ranked) < SORT_MAX:
            self._load_for_sort(self._request, len(results.ranked))

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def _load_for_sort(self, request: SearchRequest, offset: int) -> None:
        hits: list[Hit] = []
        try:
            while offset + len(hits) < SORT_MAX:
                page = attrs.evolve(
                    request.page(offset + len(hits), min(PAGE * 4, SORT_MAX - offset - len(hits))),
                    facets=False,
                )
                result = self.nd_app.search(page)
                if result.error or not result.hits:
                    break
                hits.extend(result.hits)
                if offset + len(hits) >= result.total:
                    break
        except Exception:
            return
        if hits:
            self._from_thread(self._add_more_sorted, request, offset, hits)

    def _add_more_sorted(self, request: SearchRequest, offset: int, hits: list[Hit]) -> None:
        if request != self._request or len(self.results.ranked) != offset:
            return
        self.results.add_hits(hits)
        self._results_subtitle()

    def action_apply_suggestion(self) -> None:
        suggestion = self.message.suggestion
        if not suggestion:
            self.app.bell()
            return
        self._set_query(suggestion)

    @on(MessageLine.Apply)
    def _apply(self, event: MessageLine.Apply) -> None:
        self._set_query(event.suggestion)

    def _set_query(self, text: str) -> None:
        box = self.search_box
        box.value = text
        box.cursor_position = len(text)
        self.run_search(now=True)

    # -- filters -----------------------------------------------------------------------------------

    def add_filter(self, name: str) -> None:
        if name in self.filters:
            self.notify(f"Already filtering by {one_line(name, 60)}", markup=False)
            return
        self.filters.append(name)
        self._show_chips()
        self.run_search(now=True)

    def remove_filter(self, name: str | None = None) -> bool:
        if not self.filters:
            return False
        if name is None:
            self.filters.pop()
        elif name in self.filters:
            self.filters.remove(name)
        else:
            return False
        self._show_chips()
        self.run_search(now=True)
        return True

    def clear_filters(self) -> None:
        if self.filters:
            self.filters.clear()
            self._show_chips()
            self.run_search(now=True)

    def _show_chips(self) -> None:
        bar = self.query_one(FilterBar)
        bar.query(Chip).remove()
        types = {r.name: r.type for rows in self.entity_pane.facets.values() for r in rows}
        chips = [Chip(name, GLYPH.get(types.get(name, ""), "")) for name in self.filters]
        if chips:
            bar.mount(*chips, before=self.message)

    @on(Chip.Remove)
    def _chip_removed(self, event: Chip.Remove) -> None:
        self.remove_filter(event.name)

    @on(SearchBox.PopFilter)
    def _pop_filter(self) -> None:
        if not self.remove_filter():
            self.app.bell()

    @on(EntityPane.Chosen)
    def _entity_chosen(self, event: EntityPane.Chosen) -> None:
        self.add_filter(event.row.name)

    def action_filter_entity(self) -> None:
        row = self.entity_pane.current
        if row is None:
            self.notify("No entity selected: tab to the entity pane first", markup=False)
            return
        self.add_filter(row.name)

    def action_unfilter(self) -> None:
        if not self.remove_filter():
            self.app.bell()

    def action_entity_tab(self, step: int) -> None:
        self.entity_pane.cycle(step)
        if self.view != "entities" and self.has_class("-narrow"):
            self._focus_pane("entities")
