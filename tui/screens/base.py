"""The main screen's state, its widgets and the pane focus every part of it uses.

``MainBase`` is the root of the main screen's parts (``SearchFlow``, ``Reading``, ``PaneActions``),
which ``MainScreen`` puts together. The engine is reached only through the ``Host`` protocol and
only from thread workers (``_engine_call``), so the screen never waits on the index.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from newsdesk.index.seam import SearchRequest
from newsdesk.tui.history import History
from newsdesk.tui.screens.help import key_text
from newsdesk.tui.widgets.entities import EntityList, EntityPane
from newsdesk.tui.widgets.facts import FactList, FactPane
from newsdesk.tui.widgets.passage import PassageView
from newsdesk.tui.widgets.results import ResultsList
from newsdesk.tui.widgets.searchbar import MessageLine, SearchBox, TopBar

if TYPE_CHECKING:
    from newsdesk.index.seam import ArticleView, FacetRow, Reader, SearchResult
    from newsdesk.tui.screens.host import Host

T = TypeVar("T")

FIRST_PAGE = 20  # what a screen shows; more load as the cursor nears the end
# tab order follows the work: results, the passage, its facts, then the entity tabs
PANES = ("search", "results", "passage", "facts", "entities")


class MainBase(Screen[None]):
    """State, widget lookups, thread helpers and pane focus of the main screen."""

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
        # The search on screen (or running): a result for any other request is stale.
        self._request = SearchRequest("", limit=FIRST_PAGE)
        self._debounce: Timer | None = None
        self._open_timer: Timer | None = None
        self._docs: OrderedDict[str, ArticleView] = OrderedDict()
        self.ready = False
        self.failed = False  # the index could not be opened
        self._restore: str | None = None  # passage to select again after a reload

    # -- handy lookups -----------------------------------------------------------------------------

    @property
    def nd_app(self) -> Host:
        return cast("Host", self.app)

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
        return key_text(self.app._keymap.get(binding_id, default))

    def _hint(self) -> str:
        return (
            f"type to search · {self._key_for('help', '?')} help · "
            f"{self._key_for('palette', 'ctrl+p')} commands"
        )

    # -- threads -----------------------------------------------------------------------------------

    def _engine_call(self, fn: Callable[[Reader], T]) -> T:
        return self.nd_app.call_engine(fn)

    def _from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args, **kwargs)
        except RuntimeError:
            pass  # the app is closing

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
