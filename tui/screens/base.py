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
from textual.widgets import Static

from newsdesk.index.seam import SearchRequest
from newsdesk.tui.history import History
from newsdesk.tui.safe import one_line
from newsdesk.tui.screens.help import key_text
from newsdesk.tui.widgets.entities import EntityList, EntityPane
from newsdesk.tui.widgets.facts import FactList, FactPane
from newsdesk.tui.widgets.passage import PassageView
from newsdesk.tui.widgets.results import ResultsList
from newsdesk.tui.widgets.searchbar import MessageLine, SearchBox, TopBar

if TYPE_CHECKING:
    from newsdesk.index.model import Fact
    from newsdesk.index.seam import ArticleView, FacetRow, Reader, SearchResult
    from newsdesk.tui.screens.host import Host

T = TypeVar("T")

FIRST_PAGE = 20  # what a screen shows; more load as the cursor nears the end
# tab order follows the screen, left to right and top to bottom (and the one-pane order below 120
# columns); the search box is not in the cycle: "/" goes there, tab and escape leave it
PANES = ("entities", "results", "passage", "facts")
FOCUS_AREAS = ("search", *PANES)


def count(n: int, one: str, many: str) -> str:
    """The count and its noun: 1 hit, 1,204 hits."""
    return f"{n:,} {one if n == 1 else many}"


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
        self._mode_shown = False
        # the facts table's search and the rows it shows (what its export writes)
        self._table: tuple[SearchRequest, list[Fact]] | None = None

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
            if getattr(node, "id", None) in FOCUS_AREAS:
                return str(node.id)
            node = node.parent
        return None

    def _target(self, pane: str) -> Widget:
        if pane == "entities":
            return self.query_one(EntityList)
        if pane == "facts":
            return self.query_one(FactList)
        return self.query_one(f"#{pane}")

    def count_new(self) -> None:
        """How many hits each saved search gained (``SavedFlow`` does it)."""

    def _show_evidence(self, fact: Fact) -> None:
        """Show a fact's evidence in the passage (``Reading`` does it)."""
        raise NotImplementedError

    def fact_scope_text(self) -> str:
        """What the fact pane lists, in words: a passage of an article, or an entity's facts."""
        pane = self.fact_pane
        if self.fact_scope == "passage" and self.doc is not None:
            title = one_line(self.doc.article.title or self.doc.article.id, 40)
            return f"{pane.scope} of “{title}”"
        if self.fact_scope == "entity":
            return f"about {pane.scope}"
        return pane.scope

    def _show_mode(self) -> None:
        """The mode, always on screen (as lazygit, fzf and Posting do): SEARCH while keys type
        into the box, NAVIGATE while they move and act in the panes."""
        searching = self.focused is not None and self.focused is self.query_one(SearchBox)
        if searching == self.has_class("-searching") and self._mode_shown:
            return
        self._mode_shown = True
        self.set_class(searching, "-searching")
        label = self.query_one("#search-label", Static)
        if searching:
            label.update("SEARCH")
        else:
            label.update(f"NAVIGATE {self._key_for('search', '/')}")

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
        # focus now, not after a refresh: keys typed right after this one go to the new target
        self.set_focus(self._target(pane))
