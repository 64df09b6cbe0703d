"""The results list: one entry per hit (date, title, ¶ordinal, snippet with the hits marked).

An OptionList renders only the lines on screen; hits arrive a page at a time and the list asks
for the next page (``NeedMore``) when the cursor comes near the end.

Two ways to show them (``one_line``: one line a hit, so a 36-row terminal shows 15 and more; or the
title over up to three lines of snippet) and three orders (``ORDERS``): the engine's relevance,
newest first, or grouped by article (articles in the order of their best hit, passages in text
order; a passage under its article's first one shows ↳ instead of the title again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsdesk.tui.keymap import LIST_KEYS, bindings
from newsdesk.tui.safe import one_line
from newsdesk.tui.widgets.marks import MUTED, TITLE, hit_mark, marked

if TYPE_CHECKING:
    from newsdesk.index.seam import Hit

NEAR_END = 10
SNIPPET_LINES = 3
ORDERS = ("relevance", "date", "article")
ORDER_LABEL = {"relevance": "by relevance", "date": "newest first", "article": "by article"}


def arrange(hits: Sequence[Hit], order: str) -> list[Hit]:
    """The hits in an order of ORDERS (the engine's order is relevance)."""
    if order == "date":  # newest first, undated last; ties keep their relevance order
        return sorted(hits, key=lambda h: h.date or "", reverse=True)
    if order == "article":
        first: dict[str, int] = {}
        for i, h in enumerate(hits):
            first.setdefault(h.article_id, i)
        return sorted(hits, key=lambda h: (first[h.article_id], h.ordinal))
    return list(hits)


def hit_prompt(hit: Hit, width: int = 80, compact: bool = False, grouped: bool = False) -> Content:
    """Date ¶n title on one line (cut to the width), the snippet on up to three lines; compact:
    all on one line. grouped: the hit follows a passage of its article (↳ instead of the title)."""
    width = max(20, width)
    if grouped:
        prefix = f"  ↳ ¶{hit.ordinal} "
        head = Content(prefix).stylize(MUTED)
    else:
        prefix = f"{one_line(hit.date or 'undated')} ¶{hit.ordinal} "
        copies = f" +{hit.copies} {'copy' if hit.copies == 1 else 'copies'}" if hit.copies else ""
        title_room = max(4, (width // 2 if compact else width) - len(prefix) - len(copies))
        head = Content.assemble(
            (prefix, MUTED),
            (one_line(hit.title or hit.article_id, title_room), TITLE),
            (copies, MUTED),
        )
    text = hit.snippet
    spans = list(hit.snippet_highlights)
    if compact:
        room = max(4, width - head.cell_length - 3)
        if len(text) > room:
            cut = text.rfind(" ", 0, room)
            cut = cut if cut > room // 2 else room
            text = text[:cut].rstrip() + "…"
            spans = [sp for sp in spans if sp.end <= cut]
        body, _ = marked(text, [hit_mark(sp.start, sp.end) for sp in spans], one_line=True)
        line = head + Content(" · " if not grouped else "").stylize(MUTED) + body
        # the marks (« ») add cells: cut the line to the width, never wrap it
        return line.truncate(width, ellipsis=True) if line.cell_length > width else line
    if grouped:
        head = Content("")
    limit = width * SNIPPET_LINES - 8
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        text = text[:cut].rstrip() + "…"
        spans = [s for s in spans if s.end <= cut]
    body, _ = marked(text, [hit_mark(s.start, s.end) for s in spans], one_line=True)
    if not head.cell_length:
        return Content(prefix).stylize(MUTED) + body
    return head + "\n" + body


class ResultsList(OptionList):
    """Hits of the current query, best first."""

    BINDINGS = bindings(LIST_KEYS)

    @dataclass
    class NeedMore(Message):
        """The cursor is near the end and more hits exist."""

        have: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.ranked: list[Hit] = []  # in the engine's order
        self.hits: list[Hit] = []  # as shown
        self.total = 0
        self.one_line = False
        self.order = "relevance"
        self._asked_at = -1
        self._width = 80

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical  # it appears once the list fills
        return (width - 2) if width > 6 else self._width

    def _prompts(self) -> list[Content]:
        grouped = self.order == "article"
        out = []
        for i, h in enumerate(self.hits):
            follows = grouped and i > 0 and self.hits[i - 1].article_id == h.article_id
            out.append(hit_prompt(h, self._width, self.one_line, follows))
        return out

    def _show(self, keep: str | None = None) -> None:
        self.hits = arrange(self.ranked, self.order)
        self.set_options(
            Option(p, id=h.passage_id) for p, h in zip(self._prompts(), self.hits, strict=True)
        )
        if self.hits:
            index = next((i for i, h in enumerate(self.hits) if h.passage_id == keep), 0)
            self.highlighted = index

    def set_hits(self, hits: Sequence[Hit], total: int) -> None:
        self.ranked = list(hits)
        self.total = total
        self._asked_at = -1
        self._width = self._text_width()
        self._show()

    def add_hits(self, hits: Sequence[Hit]) -> None:
        known = {h.passage_id for h in self.ranked}
        fresh = [h for h in hits if h.passage_id not in known]
        self.ranked.extend(fresh)
        if self.order == "relevance":
            self.hits.extend(fresh)
            self.add_options(
                Option(hit_prompt(h, self._width, self.one_line), id=h.passage_id) for h in fresh
            )
        else:
            current = self.current
            self._show(current.passage_id if current else None)

    def set_view(self, one_line: bool | None = None, order: str | None = None) -> None:
        """Show the hits compact or not, in another order; the cursor stays on its hit."""
        if one_line is not None:
            self.one_line = one_line
        if order is not None:
            self.order = order
        current = self.current
        self._clear_caches()
        self._show(current.passage_id if current else None)
        self.scroll_to_highlight()

    def watch_show_vertical_scrollbar(self, show: bool) -> None:
        """The line heights were measured with(out) the scrollbar: measure again."""
        self._clear_caches()
        self.on_resize()

    def on_resize(self) -> None:
        width = self._text_width()
        if width == self._width:
            return
        self._width = width
        for i, prompt in enumerate(self._prompts()):
            self.replace_option_prompt_at_index(i, prompt)
        self.scroll_to_highlight()

    @property
    def current(self) -> Hit | None:
        i = self.highlighted
        return self.hits[i] if i is not None and 0 <= i < len(self.hits) else None

    @property
    def more(self) -> bool:
        return len(self.ranked) < self.total

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is None or not self.more or self.order != "relevance":
            return  # another order shows the hits loaded for it (the screen loads them)
        if highlighted >= len(self.hits) - NEAR_END and self._asked_at != len(self.hits):
            self._asked_at = len(self.hits)
            self.post_message(self.NeedMore(len(self.hits)))
