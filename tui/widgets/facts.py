"""The fact pane: the selected fact in full over the list of facts to move through.

The detail shows kind and what qualifies it (negated, conditional, hedged, future: words, so they
read without colour), statement, the words that qualify it, who, attributed to (the chain:
speaker, then the outlet), when (resolved, with the original words), where, and the evidence
sentence with the time words and entity mentions marked. The list holds the facts of the selected
passage or of an entity, each with its qualifiers in brackets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsdesk.index.model import Fact, Mention, When
from newsdesk.index.when import render_when
from newsdesk.tui.keymap import LIST_KEYS, bindings
from newsdesk.tui.safe import one_line
from newsdesk.tui.widgets.marks import KIND, LABEL, MUTED, WHEN, Mark, join, marked, mention_mark

STATEMENT_WIDTH = 160


def when_text(when: When | None, date: str | None) -> str:
    """'week of 2023-10-30 (“last week”)': the one rendering (``render_when``) with the words."""
    resolved = render_when(when, date)
    if when is not None and when.text:
        return f"{resolved} (“{when.text}”)"
    if when is not None and when.granularity == "article":
        return f"{resolved} (the article's date)"
    return resolved


def fact_detail(fact: Fact, mentions: Sequence[Mention] = ()) -> Content:
    """The fact in full; article text is shown literally."""
    head = [Content(fact.kind).stylize(KIND)]
    for q in fact.qualifiers:  # negated · conditional · hedged · future: words, not colours
        head.append(Content(f" · {q}").stylize(KIND))
    head.append(Content(f" · {fact.method} {fact.confidence:.2f}").stylize(MUTED))
    lines: list[Content] = [join(head), Content(one_line(fact.statement))]

    def field(label: str, value: str) -> None:
        if value.strip():
            lines.append(Content(f"{label:<5} ").stylize(LABEL) + Content(one_line(value)))

    if fact.qualifiers:
        field("qualified", fact.qualified_by)
    field("who", ", ".join(fact.who))
    if fact.object and fact.object not in fact.statement:  # quotes: the statement says it
        field("what", " ".join(p for p in (fact.predicate, fact.object) if p))
    field("via", " → ".join(fact.attributed_to))
    field("when", when_text(fact.when, fact.date))
    field("where", ", ".join(fact.where))
    ev = fact.evidence
    marks: list[Mark] = [
        mention_mark(m.start - ev.start, m.end - ev.start, m.type)
        for m in mentions
        if m.start >= ev.start and m.end <= ev.end
    ]
    w = fact.when
    if w is not None and w.char_start is not None and w.char_end is not None:
        if ev.start <= w.char_start and w.char_end <= ev.end:
            marks.append(Mark(w.char_start - ev.start, w.char_end - ev.start, WHEN, "‹", "›"))
    sentence, _ = marked(ev.text, marks, one_line=True)
    ordinal = one_line(ev.passage_id.rpartition("#")[2])
    lines.append(Content(f"¶{ordinal:<5}").stylize(LABEL) + Content("⟦") + sentence + "⟧")
    return Content("\n").join(lines)


def fact_prompt(fact: Fact, width: int = 80) -> Content:
    """Kind, what qualifies it ("(conditional, future)"), the statement (cut to about two lines)
    and where it stands: date ¶n."""
    ordinal = one_line(fact.evidence.passage_id.rpartition("#")[2])
    where = " ".join(p for p in (one_line(render_when(fact.when, fact.date)), f"¶{ordinal}") if p)
    room = max(20, 2 * max(20, width) - len(where) - 12)
    qualifiers = f"({', '.join(fact.qualifiers)}) " if fact.qualifiers else ""
    return Content.assemble(
        (f"{fact.kind:<6} ", KIND),
        (qualifiers, KIND),
        one_line(fact.statement, min(room - len(qualifiers), STATEMENT_WIDTH)),
        (f" · {where}", MUTED),
    )


class FactList(OptionList):
    BINDINGS = bindings(LIST_KEYS)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.facts: list[Fact] = []
        self._width = 40

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical
        return (width - 2) if width > 6 else self._width

    def set_facts(self, facts: Sequence[Fact]) -> None:
        self.facts = list(facts)
        self._width = self._text_width()
        self.set_options(Option(fact_prompt(f, self._width), id=f.id) for f in self.facts)

    def watch_show_vertical_scrollbar(self, show: bool) -> None:
        self._clear_caches()  # line heights were measured with(out) the scrollbar
        self.on_resize()

    def on_resize(self) -> None:
        width = self._text_width()
        if width != self._width:
            self._width = width
            for i, f in enumerate(self.facts):
                self.replace_option_prompt_at_index(i, fact_prompt(f, width))


class FactDetail(Static):
    pass


class FactPane(Vertical):
    """The selected fact over the list of facts in scope."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a fact (None: the list is empty)."""

        fact: Fact | None

    @dataclass
    class Chosen(Message):
        """Enter or click on a fact: show its evidence."""

        fact: Fact

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.facts: list[Fact] = []
        self.scope = ""
        self._had_fact = False

    def _bindings_may_change(self) -> None:
        """The footer shows 'v evidence' only with a fact: redraw it when that flips."""
        has = self.current is not None
        if has != self._had_fact:
            self._had_fact = has
            self._bindings_may_change()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="fact-detail-scroll"):
            yield FactDetail(Content("No fact selected.").stylize(MUTED), id="fact-detail")
        yield FactList(id="fact-list")

    @property
    def list(self) -> FactList:
        return self.query_one(FactList)

    def set_facts(self, facts: Sequence[Fact], scope: str) -> None:
        self.facts = list(facts)
        self.scope = scope
        fact_list = self.list
        fact_list.set_facts(self.facts)
        n = len(self.facts)
        self.border_subtitle = f"{n} fact{'s' if n != 1 else ''} · {scope}" if scope else ""
        if self.facts:
            fact_list.highlighted = 0
        else:
            self.show_detail(None)
        self._bindings_may_change()

    @property
    def current(self) -> Fact | None:
        i = self.list.highlighted
        return self.facts[i] if i is not None and 0 <= i < len(self.facts) else None

    def show_detail(self, fact: Fact | None, mentions: Sequence[Mention] = ()) -> None:
        detail = self.query_one(FactDetail)
        if fact is None:
            text = "No facts here." if self.scope else "No fact selected."
            detail.update(Content(text).stylize(MUTED))
        else:
            detail.update(fact_detail(fact, mentions))
        self.query_one("#fact-detail-scroll", VerticalScroll).scroll_home(animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._bindings_may_change()
        self.post_message(self.Highlighted(self.current))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        fact = self.current
        if fact is not None:
            self.post_message(self.Chosen(fact))
