"""Corrections from the app (index/corrections.py): in the entity pane, merge the selected entity
into another (a picker), hide it, change its type, split an alias off; in the fact pane, flag the
selected fact as wrong. Each asks first, then records the correction beside the index (no index
lock: it works while ``newsdesk index`` runs) and searches again, so every view shows it. The
palette's "Corrections…" lists them; choosing one undoes it.

Names come from the index: they are shown as literal Content (pickers are a Provider of their own,
not ``search_commands``, whose names are parsed as markup) and the questions through one_line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from newsdesk.index.model import ENTITY_TYPES
from newsdesk.tui.safe import one_line
from newsdesk.tui.screens.base import MainBase
from newsdesk.tui.screens.prompt import ConfirmScreen
from newsdesk.tui.widgets.marks import GLYPH, TYPE_LABEL

if TYPE_CHECKING:
    from newsdesk.index.corrections import Correction
    from newsdesk.index.model import Entity
    from newsdesk.index.seam import FacetRow, Reader

CORRECTION_ACTIONS = frozenset(
    {"merge_entity", "hide_entity", "retype_entity", "split_alias", "flag_fact"}
)
UNDO_HINT = "undo: ctrl+p › Corrections"

Choice = tuple[Content, str, Callable[[], object]]  # what is shown, what is matched, what it does


def picker(choices: Sequence[Choice]) -> type[Provider]:
    """A palette provider of fixed choices, shown as the Content given (never parsed)."""

    class Picker(Provider):
        async def discover(self) -> Hits:
            for prompt, text, callback in choices:
                yield DiscoveryHit(prompt, callback, text=text)

        async def search(self, query: str) -> Hits:
            matcher = self.matcher(query)
            for prompt, text, callback in choices:
                score = matcher.match(text)
                if score > 0:
                    yield Hit(score, prompt, callback, text=text)

    return Picker


def _name(text: str) -> str:
    return one_line(text, 50)


class Correcting(MainBase):
    """The correction keys and the corrections list."""

    def can_correct(self, action: str) -> bool:
        """Entity keys act in the entity pane on its selection; flag in the fact pane."""
        pane = self._pane_of(self.focused)
        if action == "flag_fact":
            return pane == "facts" and self.fact_pane.current is not None
        return pane == "entities" and self.entity_pane.current is not None

    def _row(self) -> FacetRow | None:
        if not self.ready or not self.can_correct("merge_entity"):
            self.app.bell()
            return None
        return self.entity_pane.current

    def _pick(self, choices: Sequence[Choice], placeholder: str) -> None:
        if not choices:
            self.app.bell()
            return
        self.app.push_screen(CommandPalette(providers=[picker(choices)], placeholder=placeholder))

    # -- the keys ----------------------------------------------------------------------------------

    def action_merge_entity(self) -> None:
        row = self._row()
        if row is None:
            return
        others = [r for t in ENTITY_TYPES for r in self.entity_rows(t) if r.id != row.id]
        choices: list[Choice] = []
        for r in others:
            label = f"{_name(r.name)} {GLYPH.get(r.type, '■')}"
            question = (
                f"Merge “{_name(row.name)}” into “{_name(r.name)}”? Its names and counts join "
                f"those of “{_name(r.name)}” in every view ({UNDO_HINT})"
            )
            choices.append(
                (
                    Content.assemble("into ", (label, ""), f"  ({r.count:,})"),
                    r.name,
                    partial(self._ask, question, "merge", row.id, r.id),
                )
            )
        self._pick(choices, f"Merge “{_name(row.name)}” into… (type a name)")

    def action_hide_entity(self) -> None:
        row = self._row()
        if row is not None:
            question = (
                f"Hide “{_name(row.name)}”? It leaves the tabs, filters and exports ({UNDO_HINT})"
            )
            self._ask(question, "hide", row.id)

    def action_retype_entity(self) -> None:
        row = self._row()
        if row is None:
            return
        choices: list[Choice] = []
        for t in ENTITY_TYPES:
            if t == row.type:
                continue
            label = f"{TYPE_LABEL.get(t, t)} {GLYPH.get(t, '■')} ({t})"
            question = f"Make “{_name(row.name)}” a {t}? It moves to that tab ({UNDO_HINT})"
            choices.append(
                (
                    Content(label),
                    f"{TYPE_LABEL.get(t, t)} {t}",
                    partial(self._ask, question, "type", row.id, t),
                )
            )
        self._pick(choices, f"Type of “{_name(row.name)}”…")

    def action_split_alias(self) -> None:
        row = self._row()
        if row is not None:
            self._aliases(row)

    @work(thread=True, exclusive=True, group="correct", exit_on_error=False)
    def _aliases(self, row: FacetRow) -> None:
        try:
            entity = self._engine_call(lambda e: e.resolve_entity(row.id))
        except Exception as exc:
            self._from_thread(self._failed, exc)
            return
        self._from_thread(self._pick_alias, row, entity)

    def _pick_alias(self, row: FacetRow, entity: Entity | None) -> None:
        aliases = [] if entity is None else [a for a in entity.aliases if a != entity.name]
        if entity is None or not aliases:
            self.notify(
                f"“{_name(row.name)}” has no other name to split off", markup=False, timeout=4
            )
            return
        choices: list[Choice] = []
        for alias in aliases:
            question = (
                f"Split “{_name(alias)}” off “{_name(entity.name)}”? It becomes an entity of its "
                f"own ({UNDO_HINT})"
            )
            choices.append(
                (
                    Content.assemble("split off ", (_name(alias), "")),
                    alias,
                    partial(self._ask, question, "split", entity.id, alias),
                )
            )
        self._pick(choices, f"Split a name off “{_name(entity.name)}”…")

    def action_flag_fact(self) -> None:
        fact = self.fact_pane.current if self.can_correct("flag_fact") else None
        if fact is None or not self.ready:
            self.app.bell()
            return
        question = (
            f"Flag this fact as wrong? “{one_line(fact.statement, 60)}” is hidden from the facts "
            f"and their exports, and kept in the corrections ({UNDO_HINT})"
        )
        self._ask(question, "flag", fact.id)

    # -- asking, recording, undoing ----------------------------------------------------------------

    def _ask(self, question: str, op: str, target: str, value: str = "") -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._correct(op, target, value)

        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="correct", exit_on_error=False)
    def _correct(self, op: str, target: str, value: str) -> None:
        def run(e: Reader) -> tuple[Correction, object]:
            made = e.correct(op, target, value)
            e.refresh()
            return made, e.stats()

        try:
            made, stats = self._engine_call(run)
        except Exception as exc:
            self._from_thread(self._failed, exc)
            return
        self._from_thread(self._corrected, made, stats, f"Correction {made.n}: ")

    def _failed(self, exc: Exception) -> None:
        self.notify(one_line(f"cannot correct: {exc}"), severity="error", markup=False)

    def _corrected(
        self, made: Correction, stats: object, prefix: str, undone: bool = False
    ) -> None:
        self.notify(one_line(prefix + made.describe()), markup=False, timeout=5)
        self._docs.clear()  # article views hold facts and mentions as they were
        if made.op == "flag":  # the entities are as they were: no need to search again
            if not undone:
                left = [f for f in self.fact_pane.facts if f.id != made.target]
                self.fact_pane.set_facts(left, self.fact_pane.scope)
            return
        changed = getattr(self, "engine_changed", None)
        if callable(changed):
            changed(stats, True)

    def show_corrections(self) -> None:
        """The corrections in force, newest first, in the palette: choosing one undoes it."""
        if not self.ready:
            self.app.bell()
            return
        self._list_corrections()

    @work(thread=True, exclusive=True, group="correct", exit_on_error=False)
    def _list_corrections(self) -> None:
        try:
            entries = self._engine_call(lambda e: e.corrections().entries)
        except Exception as exc:
            self._from_thread(self._failed, exc)
            return
        self._from_thread(self._pick_undo, entries)

    def _pick_undo(self, entries: Sequence[Correction]) -> None:
        if not entries:
            self.notify("No corrections yet", markup=False, timeout=3)
            return
        choices: list[Choice] = []
        for c in reversed(entries):
            text = one_line(c.describe(), 70)
            choices.append(
                (
                    Content.assemble(f"undo {c.n}: ", (text, ""), f"  · {c.at[:10]}"),
                    f"{c.n} {text}",
                    partial(self._ask_undo, c),
                )
            )
        self._pick(choices, "Corrections: choose one to undo it")

    def _ask_undo(self, c: Correction) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._undo(c.n)

        self.app.push_screen(ConfirmScreen(f"Undo correction {c.n}: {c.describe()}?"), answered)

    @work(thread=True, exclusive=True, group="correct", exit_on_error=False)
    def _undo(self, n: int) -> None:
        def run(e: Reader) -> tuple[Correction, object]:
            gone = e.uncorrect(n)
            e.refresh()
            return gone, e.stats()

        try:
            gone, stats = self._engine_call(run)
        except Exception as exc:
            self._from_thread(self._failed, exc)
            return
        self._from_thread(self._corrected, gone, stats, "Undone: ", True)
