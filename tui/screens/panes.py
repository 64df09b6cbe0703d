"""The main screen's panes and commands: moving between the panes, showing and hiding them, help,
reloading or switching the index, and exporting what is on screen.

Below 120 columns the body shows one pane at a time (tab / shift+tab move through entities,
results, passage and facts, and show the pane they move to); from 120 columns all three columns.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from textual import work

from newsdesk.tui import served
from newsdesk.tui.export import FORMATS, WHATS, atomic_output, export, export_facts
from newsdesk.tui.safe import one_line
from newsdesk.tui.scope import ResultsFacts, results_facts
from newsdesk.tui.screens.base import MainBase, count
from newsdesk.tui.screens.facts_table import FactsTableScreen
from newsdesk.tui.screens.help import HelpScreen
from newsdesk.tui.screens.prompt import ConfirmScreen, PromptScreen

if TYPE_CHECKING:
    from newsdesk.index.model import Fact
    from newsdesk.index.seam import Reader, SearchRequest

FORMAT_NAMES = {"jsonl": "JSON Lines", "csv": "CSV", "md": "Markdown"}
EXPORTS = (*WHATS, "results-facts")
EXPORT_NAMES = {
    "results": "results",
    "entities": "entities",
    "facts": "the fact pane",
    "results-facts": "facts of the results",
}
EXPORT_HELP = {
    "results": "every hit of the search",
    "entities": "the entities of the hits, with their passage counts",
    "facts": "the facts the fact pane lists",
    "results-facts": "the facts in the hits' passages (the facts table)",
}


class PaneActions(MainBase):
    """Pane focus and layout, and the actions that open other screens."""

    # -- panes and focus ---------------------------------------------------------------------------

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_prev_pane(self) -> None:
        self._cycle_pane(-1)

    def _cycle_pane(self, step: int) -> None:
        panes = self._visible_panes()
        current = self._pane_of(self.focused)
        if current not in panes:  # from the search box: as if from just before the results
            i = panes.index("results")
            self._focus_pane(panes[i] if step > 0 else panes[(i - 1) % len(panes)])
            return
        self._focus_pane(panes[(panes.index(current) + step) % len(panes)])

    def on_descendant_focus(self, event: Any) -> None:
        pane = self._pane_of(self.focused)
        if pane is not None and pane != "search" and pane != self.view:
            self._set_view(pane)
        self._show_mode()

    def on_descendant_blur(self, event: Any) -> None:
        self._show_mode()

    def action_focus_search(self) -> None:
        """SEARCH mode: the box, its query selected (typing replaces it, the arrows edit it)."""
        self._focus_pane("search")
        self.search_box.select_all()

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
        """(name, callback, help) of every export: what × format. Each writes what a view shows:
        the hits, the entity tabs, the fact pane, or the facts of the hits (the facts table)."""
        return [
            (
                f"Export {EXPORT_NAMES[what]} as {FORMAT_NAMES[fmt]}",
                partial(self.ask_export, what, fmt),
                f"Write {EXPORT_HELP[what]} to a .{fmt} file (the dialog says how many)",
            )
            for what in EXPORTS
            for fmt in FORMATS
        ]

    def action_export_menu(self) -> None:
        self.app.search_commands(self.export_commands(), placeholder="Export…")

    def export_scope(self, what: str) -> tuple[str, list[Fact] | None]:
        """What an export of what would write now, in words with its count ("6 hits of “cyber”
        filtered by Russia"), and the facts it writes when they are on screen already."""
        request = self._request
        of = f" of “{one_line(request.text, 40)}”" if request.text.strip() else " of every passage"
        if request.entities:
            of += " filtered by " + ", ".join(one_line(e, 30) for e in request.entities)
        if what == "results":
            return count(self.results.total, "hit", "hits") + of, None
        if what == "entities":
            n = sum(len(rows) for rows in self.entity_pane.facets.values())
            return count(n, "entity", "entities") + " in the passages" + of, None
        if what == "facts":
            facts = list(self.fact_pane.facts)
            where = self.fact_scope_text()
            return count(len(facts), "fact", "facts") + (f" · {where}" if where else ""), facts
        table = self.facts_table_facts()
        if table is not None:
            return count(len(table), "fact", "facts") + " in the hits" + of, table
        return "the facts in the hits" + of, None

    def ask_export(self, what: str, fmt: str) -> None:
        """Say what will be written and how much, ask where (under serve: a file name in the
        export folder), ask before replacing a file, then export in a worker."""
        name = f"newsdesk-{what}.{fmt}"
        scope, facts = self.export_scope(what)
        if served.served():
            question = f"Export {scope} ({fmt}) to a file in {served.export_dir()}:"
            default = name
        else:
            question, default = f"Export {scope} ({fmt}) to:", str(Path.cwd() / name)

        def answer(given: str | None) -> None:
            if not given:
                return
            try:
                path = served.confine_export(given) if served.served() else Path(given).expanduser()
            except (served.NotAllowed, OSError) as exc:
                self.notify(one_line(str(exc)), severity="error", markup=False)
                return
            if not path.exists():
                self._export(what, fmt, path, facts)
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._export(what, fmt, path, facts)

            self.app.push_screen(ConfirmScreen(f"{path} exists. Replace it?"), confirmed)

        self.app.push_screen(PromptScreen(question, default), answer)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, what: str, fmt: str, path: Path, facts: list[Fact] | None = None) -> None:
        request = self._request

        def write(e: Reader, out: TextIO) -> int:
            if facts is not None:
                return export_facts(facts, fmt, out, request.text)
            if what == "results-facts":
                return export_facts(results_facts(e, request).facts, fmt, out, request.text)
            return export(e, what, request, fmt, out)

        try:
            with atomic_output(path) as out:
                n = self._engine_call(lambda e: write(e, out))
        except Exception as exc:
            self._from_thread(
                self.notify, one_line(f"Export failed: {exc}"), severity="error", markup=False
            )
            return
        noun = "facts" if what == "results-facts" else what
        self._from_thread(self.notify, one_line(f"Wrote {n:,} {noun} to {path}"), markup=False)

    def facts_table_facts(self) -> list[Fact] | None:
        """The rows of the facts table when it shows the current search (else None)."""
        table = self._table
        if table is None or table[0] != self._request:
            return None
        return list(table[1])

    # -- the facts table ---------------------------------------------------------------------------

    def action_facts_table(self) -> None:
        """Who said what across the hits: a table of the facts in the hits' passages."""
        if not self.ready:
            self.app.bell()
            return
        self.notify("Reading the facts of the hits…", markup=False, timeout=2)
        self._table_load(self._request)

    @work(thread=True, exclusive=True, group="table", exit_on_error=False)
    def _table_load(self, request: SearchRequest) -> None:
        try:
            found = self._engine_call(lambda e: results_facts(e, request))
        except Exception as exc:
            self._from_thread(
                self.notify, one_line(f"cannot read facts: {exc}"), severity="error", markup=False
            )
            return
        self._from_thread(self._open_table, request, found)

    def _open_table(self, request: SearchRequest, found: ResultsFacts) -> None:
        if request != self._request:
            return  # the search changed while the facts were read
        scope = f"of “{one_line(request.text, 40)}”" if request.text.strip() else "(every passage)"
        if request.entities:
            scope += " filtered by " + ", ".join(one_line(e, 30) for e in request.entities)
        if found.partial:
            scope += f" (the best {found.hits_read:,} of {found.total:,} hits)"
        self._table = (request, list(found.facts))

        def shown(view: FactsTableScreen.Shown) -> None:
            self._table = (request, view.facts)

        def closed(fact: Fact | None) -> None:
            if fact is not None:
                self._show_evidence(fact)

        def export_menu() -> None:
            commands = [c for c in self.export_commands() if "facts of the results" in c[0]]
            self.app.search_commands(commands, placeholder="Export the rows shown…")

        self.app.push_screen(FactsTableScreen(found.facts, scope, shown, export_menu), closed)

    def ask_open_index(self) -> None:
        if served.served():  # a browser session stays on the index it was served
            self.notify(
                "Opening another index is off when newsdesk is served in a browser",
                severity="warning",
                markup=False,
            )
            return

        def answer(path: str | None) -> None:
            if path:
                self.nd_app.open_index(Path(path).expanduser())

        self.app.push_screen(
            PromptScreen("Open the index folder:", str(self.nd_app.index_dir)), answer
        )
