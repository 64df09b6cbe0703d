"""The facts table: who said what, when, about whom, across the current search's hits.

One row a fact found in the passages of the hits (``scope.results_facts``): when, who, kind,
the statement, what it is about (object, places) and the article. Sorted by date, speaker or kind
(``s`` cycles, or click a column's header); filtered by speaker or kind (``w`` / ``K`` take the
row's, ``/`` types a filter such as ``who:neuberger kind:quote`` or plain words); ``enter`` closes
the table on the row's evidence in the main screen. ``x`` exports the rows shown.

Every cell is article text: shown as rich ``Text`` (never parsed as markup), made printable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from newsdesk.index.model import Fact
from newsdesk.index.when import render_when
from newsdesk.tui.safe import one_line
from newsdesk.tui.widgets.inert import InertInput

SORTS = ("date", "speaker", "kind")
COLUMNS = ("When", "Who", "Kind", "Statement", "About", "Article")


def speaker(fact: Fact) -> str:
    return ", ".join(fact.who or fact.attributed_to)


def about(fact: Fact) -> str:
    parts = [fact.object] if fact.object else []
    parts += [w for w in fact.where if w not in parts]
    return "; ".join(parts)


def sort_facts(facts: Sequence[Fact], by: str) -> list[Fact]:
    """By date (newest first, undated last), by speaker (A to Z, none last) or by kind."""
    if by == "date":
        return sorted(facts, key=lambda f: f.date or "", reverse=True)
    if by == "speaker":
        return sorted(facts, key=lambda f: (not speaker(f), speaker(f).lower()))
    return sorted(facts, key=lambda f: f.kind)


def parse_filter(text: str) -> tuple[list[str], list[str], list[str]]:
    """(speakers, kinds, words) of a filter: ``who:name``, ``kind:quote``, other words."""
    who: list[str] = []
    kinds: list[str] = []
    words: list[str] = []
    for token in text.split():
        name, sep, value = token.partition(":")
        if sep and name.lower() == "who" and value:
            who.append(value.strip('"').lower())
        elif sep and name.lower() == "kind" and value:
            kinds.append(value.strip('"').lower())
        else:
            words.append(token.strip('"').lower())
    return who, kinds, words


def matches(fact: Fact, text: str) -> bool:
    who, kinds, words = parse_filter(text)
    spk = speaker(fact).lower()
    if any(w not in spk for w in who):
        return False
    if kinds and fact.kind.lower() not in kinds:
        return False
    hay = " ".join((spk, fact.kind.lower(), fact.statement.lower(), about(fact).lower()))
    return all(w in hay for w in words)


class FactsTable(DataTable[Text]):
    BINDINGS = [
        Binding("j", "cursor_down", "down", show=False),
        Binding("k", "cursor_up", "up", show=False),
        Binding("g", "scroll_top", "first", show=False),
        Binding("G,shift+g", "scroll_bottom", "last", show=False),
    ]


class FactsTableScreen(Screen[Fact | None]):
    """The who-said-what pivot; dismissed with the fact whose evidence to show (or None)."""

    BINDINGS = [
        Binding("enter", "evidence", "evidence"),
        Binding("s", "cycle_sort", "sort"),
        Binding("w", "filter_speaker", "speaker"),
        Binding("K,shift+k", "filter_kind", "kind"),
        Binding("slash", "focus_filter", "filter"),
        Binding("x", "export", "export"),
        Binding("escape", "back", "back"),
        Binding("q", "close", "close"),
    ]

    @dataclass
    class Shown:
        """What the table shows now (for the export): the rows, in order, and in words."""

        facts: list[Fact]
        label: str

    def __init__(
        self,
        facts: Sequence[Fact],
        scope: str,
        on_change: Callable[[FactsTableScreen.Shown], None] | None = None,
        on_export: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.all_facts = list(facts)
        self.scope = scope
        self.sort = "date"
        self.filter = ""
        self.shown: list[Fact] = []
        self._on_change = on_change
        self._on_export = on_export

    def compose(self) -> ComposeResult:
        yield Static(id="table-title", markup=False)
        with Horizontal(id="table-filter-row"):
            yield Static("FILTER", id="table-filter-label", markup=False)
            yield InertInput(
                placeholder="who:name kind:quote or words (/ to type, enter to apply)",
                id="table-filter",
                compact=True,
                select_on_focus=False,
            )
        yield FactsTable(id="facts-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(FactsTable)
        for name in COLUMNS:
            table.add_column(name, key=name.lower())
        self._fill()
        table.focus()

    # -- rows --------------------------------------------------------------------------------------

    def _fill(self, keep: str | None = None) -> None:
        table = self.query_one(FactsTable)
        self.shown = sort_facts([f for f in self.all_facts if matches(f, self.filter)], self.sort)
        table.clear()
        for f in self.shown:
            table.add_row(
                Text(one_line(render_when(f.when, f.date), 24)),
                Text(one_line(speaker(f) or "—", 28)),
                Text(one_line(f.kind, 12)),
                Text(one_line(f.statement, 90)),
                Text(one_line(about(f), 40)),
                Text(one_line(f.article_id, 30)),
                key=f.id,
            )
        if keep is not None:
            index = next((i for i, f in enumerate(self.shown) if f.id == keep), 0)
            table.move_cursor(row=index)
        self._title()
        if self._on_change is not None:
            self._on_change(self.Shown(list(self.shown), self.label()))

    def label(self) -> str:
        n, total = len(self.shown), len(self.all_facts)
        text = f"{n:,} fact{'s' if n != 1 else ''}"
        if self.filter.strip():
            text += f" of {total:,} (filter: {one_line(self.filter, 40)})"
        return f"{text} in the hits {self.scope}"

    def _title(self) -> None:
        title = f"Facts table · {self.label()} · by {self.sort}"
        self.query_one("#table-title", Static).update(one_line(title))

    @property
    def current(self) -> Fact | None:
        row = self.query_one(FactsTable).cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    # -- actions -----------------------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        current = self.current
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._fill(current.id if current else None)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        by = {"when": "date", "who": "speaker", "kind": "kind"}.get(str(event.column_key.value))
        if by is not None:
            current = self.current
            self.sort = by
            self._fill(current.id if current else None)

    def _set_filter(self, text: str) -> None:
        current = self.current
        self.filter = text
        box = self.query_one("#table-filter", Input)
        if box.value != text:
            box.value = text
        self._fill(current.id if current else None)

    def action_filter_speaker(self) -> None:
        fact = self.current
        if fact is None or not speaker(fact):
            self.app.bell()
            return
        name = (fact.who or fact.attributed_to)[0]
        self._set_filter(f'who:"{name}"' if " " not in name else f"who:{name.split()[-1]}")

    def action_filter_kind(self) -> None:
        fact = self.current
        if fact is None:
            self.app.bell()
            return
        self._set_filter(f"kind:{fact.kind.lower()}")

    def action_focus_filter(self) -> None:
        box = self.query_one("#table-filter", Input)
        self.set_focus(box)
        box.select_all()

    @on(Input.Changed, "#table-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        if event.value != self.filter:
            self._set_filter(event.value)

    @on(Input.Submitted, "#table-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.set_focus(self.query_one(FactsTable))

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_evidence()

    def action_evidence(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one(FactsTable))
            return
        fact = self.current
        if fact is None:
            self.app.bell()
            return
        self.dismiss(fact)

    def action_export(self) -> None:
        if self._on_export is not None:
            self._on_export()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(self.query_one(FactsTable))
        elif self.filter:
            self._set_filter("")
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.set_class(isinstance(self.focused, Input), "-searching")
