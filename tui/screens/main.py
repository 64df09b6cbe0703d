"""The main screen: search box, entity tabs | results over passage | fact pane, and every action.

State lives here; the engine lives in the app and is only called from thread workers (through
``app.call_engine``), so the screen never waits on the index. Results that come back for a query
that is no longer in the box are dropped.

Below 120 columns the body shows one pane at a time (tab / shift+tab move through entities,
results, passage and facts, and show the pane they move to); from 120 columns all three columns.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from newsdesk.index.model import Evidence, Fact
from newsdesk.tui.citation import fact_citation, passage_citation
from newsdesk.tui.history import History
from newsdesk.tui.keymap import SCREEN_KEYS, bindings
from newsdesk.tui.safe import one_line
from newsdesk.tui.screens.help import HelpScreen
from newsdesk.tui.screens.prompt import PromptScreen
from newsdesk.tui.widgets.entities import EntityList, EntityPane
from newsdesk.tui.widgets.facts import FactList, FactPane
from newsdesk.tui.widgets.marks import GLYPH, MARK_CLASSES
from newsdesk.tui.widgets.passage import PassageView
from newsdesk.tui.widgets.results import ResultsList
from newsdesk.tui.widgets.searchbar import Chip, FilterBar, MessageLine, SearchBox, TopBar
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, Static

if TYPE_CHECKING:
    from newsdesk.index.search.engine import ArticleView, Engine, FacetRow, SearchResult, Stats
    from newsdesk.tui.app import NewsdeskApp

T = TypeVar("T")

FIRST_PAGE = 20  # what a screen shows; more load as the cursor nears the end
PAGE = 50
DEBOUNCE = 0.12
OPEN_DELAY = 0.06
# tab order follows the work: results, the passage, its facts, then the entity tabs
PANES = ("search", "results", "passage", "facts", "entities")
DOC_CACHE = 16


def count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def stats_line(stats: Stats) -> str:
    return " · ".join(
        (
            count(stats.articles, "article", "articles"),
            count(stats.passages, "passage", "passages"),
            count(stats.entities, "entity", "entities"),
            count(stats.facts, "fact", "facts"),
        )
    )


class MainScreen(Screen[None]):
    COMPONENT_CLASSES = MARK_CLASSES
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = bindings(SCREEN_KEYS)
    AUTO_FOCUS = "#search"

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history
        self.filters: list[str] = []
        self.result: SearchResult | None = None
        self.doc: ArticleView | None = None
        self.selected: str | None = None  # passage id shown in the passage view
        # bumped by every open (and by showing evidence in place): a load that finishes after a
        # newer one started is dropped, even for the same passage (another query's highlights)
        self._load_seq = 0
        self.fact_scope = ""
        self.view = "results"  # the pane shown below 120 columns
        self.hidden: set[str] = set()  # panes hidden by the user from 120 columns
        self._key: tuple[str, tuple[str, ...]] = ("", ())
        self._debounce: Timer | None = None
        self._open_timer: Timer | None = None
        self._docs: OrderedDict[str, ArticleView] = OrderedDict()
        self.ready = False
        self.failed = False  # the index could not be opened
        self._restore: str | None = None  # passage to select again after a reload

    # -- composition -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="searchrow"):
            yield Static("/", id="search-label", markup=False)
            yield SearchBox(self.history, id="search")
        with FilterBar(id="filters"):
            yield MessageLine(id="message")
        with Horizontal(id="body"):
            yield EntityPane(id="entities", classes="pane")
            with Vertical(id="center"):
                yield ResultsList(id="results", classes="pane")
                yield PassageView(id="passage", classes="pane")
            yield FactPane(id="facts", classes="pane")
        yield Footer(id="footer", compact=True)

    def on_mount(self) -> None:
        self.query_one(EntityPane).border_title = "Entities"
        self.query_one(ResultsList).border_title = "Results"
        self.query_one(PassageView).border_title = "Passage"
        self.query_one(FactPane).border_title = "Facts"
        self.passage.show_message("Opening the index…")
        self._set_view("results")
        self.message.show(note=self._hint())
        self.nd_app.open_index(self.nd_app.index_dir)

    # -- handy lookups -----------------------------------------------------------------------------

    @property
    def nd_app(self) -> NewsdeskApp:
        return cast("NewsdeskApp", self.app)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    @property
    def results(self) -> ResultsList:
        return self.query_one(ResultsList)

    @property
    def passage(self) -> PassageView:
        return self.query_one(PassageView)

    @property
    def entity_pane(self) -> EntityPane:
        return self.query_one(EntityPane)

    @property
    def fact_pane(self) -> FactPane:
        return self.query_one(FactPane)

    @property
    def message(self) -> MessageLine:
        return self.query_one(MessageLine)

    @property
    def topbar(self) -> TopBar:
        return self.query_one(TopBar)

    def entity_rows(self, type_: str) -> Sequence[FacetRow]:
        return self.entity_pane.facets.get(type_, ())

    def _key_for(self, binding_id: str, default: str) -> str:
        from newsdesk.tui.screens.help import key_text

        return key_text(self.app._keymap.get(binding_id, default))

    def _hint(self) -> str:
        return (
            f"type to search · {self._key_for('help', '?')} help · "
            f"{self._key_for('palette', 'ctrl+p')} commands"
        )

    def _engine_call(self, fn: Callable[[Engine], T]) -> T:
        return self.nd_app.call_engine(fn)

    def _from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args, **kwargs)
        except RuntimeError:
            pass  # the app is closing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that cannot do anything now (the footer shows what is possible)."""
        try:
            if action == "apply_suggestion":
                return bool(self.message.suggestion)
            if action == "evidence":
                return self.fact_pane.current is not None
            if action == "filter_entity":
                return self.entity_pane.current is not None
        except Exception:  # before the widgets are mounted
            return True
        return True

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
        shown = self.result is not None and self._key == self._current_key()
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

    def _current_key(self) -> tuple[str, tuple[str, ...]]:
        return (self.search_box.value, tuple(self.filters))

    def _start_search(self) -> None:
        self._debounce = None
        if not self.ready:
            return
        self._key = self._current_key()
        self.topbar.busy = True
        self._search(self._key)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, key: tuple[str, tuple[str, ...]]) -> None:
        if key != self._key:
            return
        text, filters = key
        try:
            result = self.nd_app.search(text=text, limit=FIRST_PAGE, entities=filters)
        except Exception as exc:  # the index went away, or the engine failed: say so, go on
            self._from_thread(self._search_failed, key, f"search failed: {exc}")
            return
        self._from_thread(self._show_result, key, result)

    def _search_failed(self, key: tuple[str, tuple[str, ...]], message: str) -> None:
        if key != self._key:
            return
        self.topbar.busy = False
        self.message.show(error=message)

    def _show_result(self, key: tuple[str, tuple[str, ...]], result: SearchResult) -> None:
        if key != self._key or key != self._current_key():
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
            self.message.show(note="no hits" + (" · backspace drops a filter" if key[1] else ""))
        elif result.fallback:
            self.message.show(note="no passage has every word: passages with some of them")
        elif not key[0].strip() and not key[1]:
            self.message.show(note=self._hint())
        else:
            self.message.show(note="")
        results = self.results
        results.set_hits(result.hits, total)
        restore, self._restore = self._restore, None
        if restore:
            index = next((i for i, h in enumerate(result.hits) if h.passage_id == restore), None)
            if index:
                results.highlighted = index
        self._results_subtitle()
        # the hits paint first; the entity tabs (up to hundreds of rows) fill in the next frame
        self.call_after_refresh(self._show_facets, key, result)
        if not result.hits:
            self.selected = None
            self.doc = None
            self.passage.show_message("No hits.")
            self.passage.border_subtitle = ""
            self.fact_pane.set_facts([], "")

    def _show_facets(self, key: tuple[str, tuple[str, ...]], result: SearchResult) -> None:
        if key == self._key:
            self.entity_pane.set_facets(result.facets)

    def _results_subtitle(self) -> None:
        results = self.results
        if results.total:
            self.results.border_subtitle = f"{len(results.hits):,} of {results.total:,}"
        else:
            self.results.border_subtitle = "none"

    @on(ResultsList.NeedMore)
    def _need_more(self, event: ResultsList.NeedMore) -> None:
        self._more(self._key, event.have)

    @work(thread=True, exclusive=True, group="more", exit_on_error=False)
    def _more(self, key: tuple[str, tuple[str, ...]], offset: int) -> None:
        text, filters = key
        try:
            result = self.nd_app.search(
                text=text, limit=PAGE, offset=offset, entities=filters, facets=False
            )
        except Exception:
            return
        self._from_thread(self._add_more, key, offset, result)

    def _add_more(
        self, key: tuple[str, tuple[str, ...]], offset: int, result: SearchResult
    ) -> None:
        if key != self._key or len(self.results.hits) != offset or result.error:
            return
        self.results.add_hits(result.hits)
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

    # -- the passage -------------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#results")
    def _hit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the hit's passage once the cursor rests (holding j does not load every one)."""
        if self._open_timer is not None:
            self._open_timer.stop()
        self._open_timer = self.set_timer(OPEN_DELAY, self._open_current)

    def _open_current(self) -> None:
        self._open_timer = None
        hit = self.results.current
        if hit is not None:
            self._open(hit.article_id, hit.passage_id)

    @on(OptionList.OptionSelected, "#results")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        self.history.add(self.search_box.value)
        self._focus_pane("passage")

    def _open(
        self,
        article_id: str,
        passage_id: str,
        evidence: Evidence | None = None,
        keep_facts: bool = False,
    ) -> None:
        self.selected = passage_id
        self._load_seq += 1
        self._load(self._load_seq, article_id, passage_id, self._key[0], evidence, keep_facts)

    @work(thread=True, exclusive=True, group="passage", exit_on_error=False)
    def _load(
        self,
        seq: int,
        article_id: str,
        passage_id: str,
        query: str,
        evidence: Evidence | None,
        keep_facts: bool,
    ) -> None:
        if seq != self._load_seq or passage_id != self.selected:
            return

        def fetch(e: Engine) -> tuple[ArticleView | None, list[Any], list[Fact] | None]:
            doc = self._docs.get(article_id) or e.article_view(article_id)
            if doc is None:
                return None, [], None
            spans = e.highlights(doc.article.text, query) if query.strip() else []
            facts = None if keep_facts else e.facts(passage=passage_id)
            return doc, spans, facts

        try:
            doc, spans, facts = self._engine_call(fetch)
        except Exception as exc:
            self._from_thread(self.passage.show_message, f"cannot read the passage: {exc}")
            return
        self._from_thread(self._show_passage, seq, passage_id, doc, spans, facts, evidence)

    def _show_passage(
        self,
        seq: int,
        passage_id: str,
        doc: ArticleView | None,
        spans: list[Any],
        facts: list[Fact] | None,
        evidence: Evidence | None,
    ) -> None:
        if seq != self._load_seq or passage_id != self.selected:
            return  # a newer open superseded this load, or the passage was cleared
        view = self.passage
        if doc is None:
            self.doc = None
            view.show_message("This article is no longer in the index (r refreshes).")
            return
        self._remember(doc)
        self.doc = doc
        view.show(doc.article, doc.passages, passage_id, spans, doc.mentions, evidence)
        self._passage_subtitle()
        if facts is not None:
            ordinal = passage_id.rpartition("#")[2]
            self.fact_scope = "passage"
            self.fact_pane.set_facts(facts, f"¶{ordinal}" if ordinal.isdigit() else "passage")

    def _passage_subtitle(self, current: int | None = None) -> None:
        view = self.passage
        sel = next((p for p in view.passages if p.id == view.selected), None)
        parts = []
        if sel is not None:
            parts.append(f"¶{sel.ordinal}/{len(view.passages)}")
        if view.hits:
            n = len(view.hits)
            if current is not None:
                parts.append(f"hit {current + 1}/{n}")
            else:
                parts.append(f"{n} hit{'s' if n != 1 else ''}")
        view.border_subtitle = " · ".join(parts)

    @on(PassageView.HitMoved)
    def _hit_moved(self, event: PassageView.HitMoved) -> None:
        self._passage_subtitle(event.index)

    def _move_hit(self, step: int) -> None:
        if self.has_class("-narrow") and self.view != "passage":
            self._focus_pane("passage")
        if not self.passage.move_hit(step):
            self.notify("No hits in this passage's article", markup=False)

    def action_next_hit(self) -> None:
        self._move_hit(1)

    def action_prev_hit(self) -> None:
        self._move_hit(-1)

    # -- facts -------------------------------------------------------------------------------------

    @on(FactPane.Highlighted)
    def _fact_highlighted(self, event: FactPane.Highlighted) -> None:
        self._show_fact(event.fact)

    def _show_fact(self, fact: Fact | None) -> None:
        """The fact in the detail, its evidence marked with the article's mentions."""
        doc = self._docs.get(fact.article_id) if fact is not None else None
        self.fact_pane.show_detail(fact, doc.mentions if doc else ())
        if fact is not None and doc is None:
            self._fetch_doc(fact.article_id)

    @work(thread=True, exclusive=True, group="doc", exit_on_error=False)
    def _fetch_doc(self, article_id: str) -> None:
        def fetch(e: Engine) -> ArticleView | None:
            return e.article_view(article_id)

        try:
            doc = self._engine_call(fetch)
        except Exception:
            return
        if doc is not None:
            self._from_thread(self._doc_fetched, doc)

    def _doc_fetched(self, doc: ArticleView) -> None:
        self._remember(doc)
        fact = self.fact_pane.current
        if fact is not None and fact.article_id == doc.article.id:
            self.fact_pane.show_detail(fact, doc.mentions)

    def _remember(self, doc: ArticleView) -> None:
        self._docs[doc.article.id] = doc
        self._docs.move_to_end(doc.article.id)
        while len(self._docs) > DOC_CACHE:
            self._docs.popitem(last=False)

    @on(FactPane.Chosen)
    def _fact_chosen(self, event: FactPane.Chosen) -> None:
        self._show_evidence(event.fact)

    def action_evidence(self) -> None:
        fact = self.fact_pane.current
        if fact is None:
            self.notify("No fact selected", markup=False)
            return
        self._show_evidence(fact)

    def _show_evidence(self, fact: Fact) -> None:
        ev = fact.evidence
        doc = self.doc
        if doc is not None and doc.article.id == fact.article_id:
            self.selected = ev.passage_id
            self._load_seq += 1
            self.passage.show(
                doc.article, doc.passages, ev.passage_id, self.passage.hits, doc.mentions, ev
            )
            self._passage_subtitle()
        else:
            self._open(fact.article_id, ev.passage_id, evidence=ev, keep_facts=True)
        self._focus_pane("passage")

    def action_facts(self) -> None:
        pane = self._pane_of(self.focused)
        row = self.entity_pane.current if pane == "entities" else None
        if row is not None:
            self._entity_facts(row.name)
        elif self.fact_scope != "passage" and self.selected and self.doc is not None:
            self._open(self.doc.article.id, self.selected)
        self._focus_pane("facts")

    @work(thread=True, exclusive=True, group="facts", exit_on_error=False)
    def _entity_facts(self, name: str) -> None:
        try:
            facts = self._engine_call(lambda e: e.facts(entity=name))
        except Exception as exc:
            self._from_thread(self.notify, f"cannot read facts: {exc}")
            return
        self._from_thread(self._show_entity_facts, name, facts)

    def _show_entity_facts(self, name: str, facts: list[Fact]) -> None:
        self.fact_scope = "entity"
        pane = self.fact_pane
        pane.set_facts(facts, "")
        n = len(facts)
        pane.border_subtitle = Content(f"{n} fact{'s' if n != 1 else ''} · {one_line(name, 30)}")

    # -- copy --------------------------------------------------------------------------------------

    def action_copy_citation(self) -> None:
        fact = self.fact_pane.current
        in_facts = self._pane_of(self.focused) == "facts"
        doc = self.doc
        if fact is not None and (in_facts or self.selected is None):
            article = doc.article if doc and doc.article.id == fact.article_id else None
            if article is None:
                article = (
                    self._docs[fact.article_id].article if fact.article_id in self._docs else None
                )
            text = fact_citation(fact, article)
        elif doc is not None and self.selected is not None:
            passage = next((p for p in doc.passages if p.id == self.selected), None)
            if passage is None:
                self.app.bell()
                return
            text = passage_citation(passage.text, passage.id, doc.article)
        else:
            self.notify("Nothing to cite: select a hit or a fact", markup=False)
            return
        self.app.copy_to_clipboard(text)
        self.notify(one_line(text, 200), title="Copied citation", markup=False)

    # -- panes and focus ---------------------------------------------------------------------------

    def _pane_of(self, widget: Widget | None) -> str | None:
        node: Any = widget
        while node is not None and node is not self:
            if getattr(node, "id", None) in PANES:
                return str(node.id)
            node = node.parent
        return None

    def _target(self, pane: str) -> Widget:
        if pane == "entities":
            return self.query_one(EntityList)
        if pane == "facts":
            return self.query_one(FactList)
        return self.query_one(f"#{pane}")

    def _set_view(self, view: str) -> None:
        self.view = view
        for p in ("entities", "results", "passage", "facts"):
            self.set_class(p == view, f"view-{p}")

    def _visible_panes(self) -> list[str]:
        narrow = self.has_class("-narrow")
        return [p for p in PANES if narrow or p not in self.hidden]

    def _focus_pane(self, pane: str) -> None:
        if pane in ("entities", "facts") and pane in self.hidden and not self.has_class("-narrow"):
            self.hidden.discard(pane)
            self.set_class(False, f"hide-{pane}")
        if pane != "search":
            self._set_view(pane)
        target = self._target(pane)
        self.call_after_refresh(target.focus)

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

    def action_open(self) -> None:
        pane = self._pane_of(self.focused)
        if pane == "passage":
            self._move_hit(1)
        elif pane == "search":
            self._focus_pane("results")

    def action_back(self) -> None:
        pane = self._pane_of(self.focused)
        if pane in ("passage", "facts"):
            self._focus_pane("results")
        elif pane == "search":
            if self.results.hits:
                self._focus_pane("results")
        elif self.filters:
            self.remove_filter()
        else:
            self._focus_pane("search")

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(dict(self.app._keymap)))

    def action_refresh_index(self) -> None:
        self.nd_app.refresh_index(manual=True)

    def action_export_menu(self) -> None:
        from newsdesk.tui.commands import export_commands

        self.app.search_commands(export_commands(self), placeholder="Export…")

    # -- export and open (commands) ----------------------------------------------------------------

    def ask_export(self, what: str, fmt: str) -> None:
        default = str(Path.cwd() / f"newsdesk-{what}.{fmt}")

        def answer(path: str | None) -> None:
            if path:
                self._export(what, fmt, Path(path).expanduser())

        self.app.push_screen(PromptScreen(f"Export {what} ({fmt}) to:", default), answer)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, what: str, fmt: str, path: Path) -> None:
        from newsdesk.tui.export import export

        text, filters = self._key
        entity = filters[0] if filters else None
        try:
            tmp = path.with_name(path.name + ".part")
            with tmp.open("w", encoding="utf-8", newline="") as out:
                n = self._engine_call(
                    lambda e: export(e, what, text, fmt, out, entity=entity, entities=filters)
                )
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


__all__ = ["MainScreen", "HelpScreen"]
