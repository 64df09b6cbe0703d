"""The entity pane: tabs People / Orgs / Places / Misc over a list of canonical entities with counts.

Under the tabs, the date facet: the hits by month (widgets/dates.py).

Counts are passages of the current result set that mention the entity (the whole corpus when the
query is empty). Each name is followed by its type glyph, so the type reads without colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Tab, Tabs
from textual.widgets.option_list import Option

from newsdesk.index.model import ENTITY_TYPES
from newsdesk.tui.keymap import LIST_KEYS, bindings
from newsdesk.tui.safe import one_line
from newsdesk.tui.widgets.dates import DateFacet
from newsdesk.tui.widgets.marks import GLYPH, MUTED, TYPE_LABEL, TYPE_STYLE

if TYPE_CHECKING:
    from newsdesk.index.seam import FacetRow

NOUNS = {
    "PERSON": ("person", "people"),
    "ORG": ("organisation", "organisations"),
    "PLACE": ("place", "places"),
    "MISC": ("other", "others"),
}
MAX_ROWS = 300  # per tab; the rest are summarised in one line


def entity_prompt(row: FacetRow) -> Content:
    return Content.assemble(
        (f"{row.count:>4} ", MUTED),
        (one_line(row.name, 60), TYPE_STYLE.get(row.type, "")),
        (" " + GLYPH.get(row.type, "■"), TYPE_STYLE.get(row.type, "")),
    )


class EntityTabs(Tabs, can_focus=False):
    """The tab strip; switched with [ and ] or the mouse."""


class EntityList(OptionList):
    BINDINGS = bindings(LIST_KEYS)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def watch_show_vertical_scrollbar(self, show: bool) -> None:
        self._clear_caches()  # line heights were measured with(out) the scrollbar


class EntityPane(Vertical):
    """Tabs of entity types over the entities of the current results."""

    @dataclass
    class Chosen(Message):
        """An entity was chosen (enter or click): filter by it."""

        row: FacetRow

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.facets: dict[str, tuple[FacetRow, ...]] = {}
        self.type = ENTITY_TYPES[0]
        self._rows: list[FacetRow] = []

    def compose(self) -> ComposeResult:
        yield EntityTabs(
            *(Tab(f"{TYPE_LABEL[t]}{GLYPH[t]}", id=f"tab-{t}") for t in ENTITY_TYPES),
            id="entity-tabs",
        )
        yield DateFacet(id="dates")
        yield EntityList(id="entity-list")

    @property
    def list(self) -> EntityList:
        return self.query_one(EntityList)

    def set_facets(self, facets: Mapping[str, Sequence[FacetRow]]) -> None:
        first = not self.facets
        self.facets = {t: tuple(facets.get(t, ())) for t in ENTITY_TYPES}
        if first and not self.facets[self.type]:
            filled = [t for t in ENTITY_TYPES if self.facets[t]]
            if filled:
                self.set_type(filled[0])
                return
        self._fill()

    def set_months(self, months: Mapping[str, int]) -> None:
        """The date facet under the tabs: the hits by month."""
        self.query_one(DateFacet).set_months(months)

    def set_type(self, type_: str) -> None:
        if type_ not in ENTITY_TYPES:
            return
        self.type = type_
        tabs = self.query_one(EntityTabs)
        if tabs.active != f"tab-{type_}":
            tabs.active = f"tab-{type_}"
        self._fill()

    def cycle(self, step: int) -> None:
        i = ENTITY_TYPES.index(self.type)
        self.set_type(ENTITY_TYPES[(i + step) % len(ENTITY_TYPES)])

    def _fill(self) -> None:
        rows = list(self.facets.get(self.type, ()))
        self._rows = rows[:MAX_ROWS]
        options: list[Option] = [Option(entity_prompt(r), id=r.id) for r in self._rows]
        if len(rows) > MAX_ROWS:
            more = Content(f"… {len(rows) - MAX_ROWS:,} more (search to narrow)").stylize(MUTED)
            options.append(Option(more, disabled=True))
        entity_list = self.list
        entity_list.set_options(options)
        if self._rows:
            entity_list.highlighted = 0
        one, many = NOUNS[self.type]
        # the numbers are passages of the hits that mention the entity (not mentions)
        self.border_subtitle = f"{len(rows):,} {one if len(rows) == 1 else many} · n = passages"

    @property
    def current(self) -> FacetRow | None:
        i = self.list.highlighted
        return self._rows[i] if i is not None and 0 <= i < len(self._rows) else None

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        tab_id = event.tab.id or ""
        type_ = tab_id.removeprefix("tab-")
        if type_ in ENTITY_TYPES and type_ != self.type:
            self.type = type_
            self._fill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(row))
