"""The main screen: search box, entity tabs | results over passage | fact pane, and every action.

``MainScreen`` puts together its parts, one concern a module:

- ``base.MainBase``: the state, the widgets, the thread helpers and pane focus;
- ``search_flow.SearchFlow``: search as you type, paging, the suggestion, entity filters (chips),
  compact and sorted results;
- ``saved_flow.SavedFlow`` (a SearchFlow): saved searches and what is new in them;
- ``reading.Reading``: opening passages, facts and their evidence, citations;
- ``panes.PaneActions``: moving between and hiding panes, the visible mode, help, export (each
  export says its scope and count first), the facts table, opening another index.

State lives on the screen; the engine lives in the app and is only called from thread workers
(through ``Host.call_engine``), so the screen never waits on the index. Results that come back for
a query that is no longer in the box are dropped.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from newsdesk.tui.keymap import SCREEN_KEYS, bindings
from newsdesk.tui.screens.correcting import CORRECTION_ACTIONS, Correcting
from newsdesk.tui.screens.help import HelpScreen
from newsdesk.tui.screens.panes import PaneActions
from newsdesk.tui.screens.reading import Reading
from newsdesk.tui.screens.saved_flow import SavedFlow
from newsdesk.tui.widgets.entities import EntityPane
from newsdesk.tui.widgets.facts import FactPane
from newsdesk.tui.widgets.marks import MARK_CLASSES
from newsdesk.tui.widgets.passage import PassageView
from newsdesk.tui.widgets.results import ResultsList
from newsdesk.tui.widgets.searchbar import FilterBar, MessageLine, SearchBox, TopBar


class MainScreen(SavedFlow, Reading, PaneActions, Correcting):
    COMPONENT_CLASSES = MARK_CLASSES
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = bindings(SCREEN_KEYS)
    AUTO_FOCUS = "#search"

    # -- composition -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # the layout class from the first frame (Textual applies the breakpoints on a resize): the
        # loading frame at 80 columns is the one-pane layout, not three squeezed panes
        narrow = self.app.size.width < 120
        self.set_class(narrow, "-narrow")
        self.set_class(not narrow, "-wide")
        yield TopBar(id="topbar")
        with Horizontal(id="searchrow"):
            yield Static("SEARCH", id="search-label", markup=False)
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
        self._show_mode()
        self.message.show(note=self._hint())
        self.nd_app.open_index(self.nd_app.index_dir)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that cannot do anything now (the footer shows what is possible)."""
        try:
            if action == "focus_search":  # in the box, its key is the box's (/ selects there)
                return self.focused is not self.search_box
            if action == "apply_suggestion":
                return bool(self.message.suggestion)
            if action == "evidence":
                return self.fact_pane.current is not None
            if action == "filter_entity":
                return self.entity_pane.current is not None
            if action in CORRECTION_ACTIONS:
                return self.can_correct(action)
            if action == "show_copies":
                hit = self.results.current
                return hit is not None and hit.copies > 0
        except Exception:  # before the widgets are mounted
            return True
        return True

    # -- keys whose meaning depends on the pane (they join the parts) ------------------------------

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


__all__ = ["MainScreen", "HelpScreen"]
