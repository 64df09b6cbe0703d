"""The results list: one entry per hit (date, title, ¶ordinal, snippet with the hits marked).

An OptionList renders only the lines on screen; hits arrive a page at a time and the list asks
for the next page (``NeedMore``) when the cursor comes near the end.
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


def hit_prompt(hit: Hit, width: int = 80) -> Content:
    """Date ¶n title on one line (cut to the width), the snippet on up to three lines."""
    width = max(20, width)
    prefix = f"{one_line(hit.date or 'undated')} ¶{hit.ordinal} "
    head = Content.assemble(
        (prefix, MUTED),
        (one_line(hit.title or hit.article_id, max(4, width - len(prefix))), TITLE),
    )
    text = hit.snippet
    spans = list(hit.snippet_highlights)
    limit = width * SNIPPET_LINES - 8
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        text = text[:cut].rstrip() + "…"
        spans = [s for s in spans if s.end <= cut]
    body, _ = marked(text, [hit_mark(s.start, s.end) for s in spans], one_line=True)
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
        self.hits: list[Hit] = []
        self.total = 0
        self._asked_at = -1
        self._width = 80

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width
        if not self.show_vertical_scrollbar:
            width -= self.styles.scrollbar_size_vertical  # it appears once the list fills
        return (width - 2) if width > 6 else self._width

    def set_hits(self, hits: Sequence[Hit], total: int) -> None:
        self.hits = list(hits)
        self.total = total
        self._asked_at = -1
        self._width = self._text_width()
        self.set_options(Option(hit_prompt(h, self._width), id=h.passage_id) for h in self.hits)
        if self.hits:
            self.highlighted = 0

    def add_hits(self, hits: Sequence[Hit]) -> None:
        known = {h.passage_id for h in self.hits}
        fresh = [h for h in hits if h.passage_id not in known]
        self.hits.extend(fresh)
        self.add_options(Option(hit_prompt(h, self._width), id=h.passage_id) for h in fresh)

    def watch_show_vertical_scrollbar(self, show: bool) -> None:
        """The line heights were measured with(out) the scrollbar: measure again."""
        self._clear_caches()
        self.on_resize()

    def on_resize(self) -> None:
        width = self._text_width()
        if width == self._width:
            return
        self._width = width
        for i, h in enumerate(self.hits):
            self.replace_option_prompt_at_index(i, hit_prompt(h, width))
        self.scroll_to_highlight()

    @property
    def current(self) -> Hit | None:
        i = self.highlighted
        return self.hits[i] if i is not None and 0 <= i < len(self.hits) else None

    @property
    def more(self) -> bool:
        return len(self.hits) < self.total

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is None or not self.more:
            return
        if highlighted >= len(self.hits) - NEAR_END and self._asked_at != len(self.hits):
            self._asked_at = len(self.hits)
            self.post_message(self.NeedMore(len(self.hits)))
