"""The passage view: the selected passage in its article, hits and mentions marked, scrolled to.

The whole article is shown (so the reader has the context), the selected passage carries a bar
in the gutter and its number, the others their numbers only. ``n``/``N`` move through the hits of
the query in the article, starting from the selected passage, and scroll to each; a fact's evidence
is marked ⟦ ⟧ and scrolled to. A line-API widget: it wraps text itself and renders only the lines
on screen, so long articles stay fast.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import attrs
from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsdesk.index.model import Article, Evidence, Mention, Passage
from newsdesk.tui.keymap import PASSAGE_KEYS, bindings
from newsdesk.tui.widgets.marks import (
    MUTED,
    TITLE,
    Mark,
    evidence_mark,
    flat,
    hit_mark,
    marked,
    mention_mark,
)

if TYPE_CHECKING:
    from newsdesk.index.seam import Span as TextSpan

_TOKEN = re.compile(r"\S+|\s+")
# An article longer than this is shown in part: the passages around the one being read (wrapping
# and marking run on the main thread, and a 10 MB article took minutes).
MAX_SHOWN_CHARS = 200_000


def _not_shown(n: int, where: str) -> str:
    what = "passage" if n == 1 else "passages"
    return f"… {n:,} {where} {what} not shown: the article is too long to show whole"


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Line spans (start, end) of text word-wrapped to width cells; newlines end lines."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []

    def add(start: int, end: int) -> None:
        while end > start and text[end - 1] == " ":
            end -= 1
        lines.append((start, end))

    pos = 0
    for para in text.split("\n"):
        base, stop = pos, pos + len(para)
        pos = stop + 1
        if not para:
            lines.append((base, base))
            continue
        start, used = base, 0
        for m in _TOKEN.finditer(para):
            ts, te, tok = base + m.start(), base + m.end(), m.group()
            w = cell_len(tok)
            if tok.isspace():
                used += w
                if used >= width:
                    add(start, ts)
                    start, used = te, 0
                continue
            if used + w <= width:
                used += w
                continue
            if used and text[start:ts].strip():
                add(start, ts)
            start, used = ts, 0
            if tok.isascii():  # one cell a character: cut at every width characters
                while te - ts > width:
                    lines.append((ts, ts + width))
                    ts = start = ts + width
                w = te - ts
            while w > width:  # a word longer than the line: cut it, a line's worth at a time
                cut, cells = ts, 0
                while cut < te:
                    c = cell_len(text[cut])
                    if cells + c > width:
                        break
                    cells += c
                    cut += 1
                if cut == ts:  # one character wider than the line
                    cells = cell_len(text[cut])
                    cut += 1
                lines.append((ts, cut))
                ts = start = cut
                w -= cells  # (recounting the rest of the word on every line was quadratic)
            used = w
        add(start, stop)
    return lines


@attrs.frozen(slots=True)
class Block:
    """A run of text shown together: the article's heading or one passage."""

    text: str
    offset: int  # where text starts in the article (marks are article offsets)
    marks: tuple[Mark, ...] = ()
    label: str = ""  # gutter label on the first line (¶3)
    selected: bool = False
    style: str = ""
    passage_id: str | None = None


@attrs.frozen(slots=True)
class Line:
    block: int  # -1 for a blank separator line
    start: int = 0  # span in the block's shown content
    end: int = 0
    first: bool = False


class PassageView(ScrollView, can_focus=True):
    """An article with the selected passage, hits, mentions and evidence marked."""

    BINDINGS = [
        *bindings(PASSAGE_KEYS),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown,space", "page_down", show=False),
    ]

    @dataclass
    class HitMoved(Message):
        """n or N moved to another hit: its index among the total."""

        index: int
        total: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.passages: list[Passage] = []
        self.selected: str | None = None
        self.mentions: list[Mention] = []
        self.hits: list[TextSpan] = []  # article offsets, in order
        self.current: int | None = None  # index into hits
        self.evidence: Evidence | None = None
        self.message = ""
        self._blocks: list[Block] = []
        self._contents: list[tuple[Content, Callable[[int], int]]] = []
        self._lines: list[Line] = []
        self._first_line: dict[int, int] = {}
        self._gutter = 0
        self._wrapped_for = -1
        self._cache: dict[int, Strip] = {}

    # -- data --------------------------------------------------------------------------------------

    def show_message(self, message: str) -> None:
        """An empty view with a line of help (no article)."""
        self.article, self.passages, self.selected = None, [], None
        self.mentions, self.hits, self.current, self.evidence = [], [], None, None
        self.message = message
        self._rebuild()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def show(
        self,
        article: Article,
        passages: Sequence[Passage],
        selected: str | None,
        hits: Sequence[TextSpan] = (),
        mentions: Sequence[Mention] = (),
        evidence: Evidence | None = None,
    ) -> None:
        """Show an article, scrolled to the evidence if given, else to the selected passage."""
        self.article = article
        self.passages = list(passages)
        self.selected = selected
        self.hits = sorted(hits, key=lambda s: (s.start, s.end))
        self.mentions = list(mentions)
        self.evidence = evidence
        self.current = None
        self.message = ""
        self._rebuild()
        self._anchor()
        # the pane may only now be laid out (narrow terminals show it on open): scroll again then
        self.call_after_refresh(self._anchor)

    def _anchor(self) -> None:
        """Scroll to what is being looked at: the current hit, the evidence or the passage."""
        if self.current is not None and self.current < len(self.hits):
            hit = self.hits[self.current]
            self.scroll_to_offset(hit.start, hit.end)
        elif self.evidence is not None:
            self.scroll_to_offset(self.evidence.start, self.evidence.end)
        else:
            self.scroll_to_passage(self.selected)

    def set_evidence(self, evidence: Evidence | None) -> None:
        self.evidence = evidence
        self.current = None
        self._rebuild()
        if evidence is not None:
            self.scroll_to_offset(evidence.start, evidence.end)
            self.call_after_refresh(self._anchor)

    def _rebuild(self) -> None:
        blocks: list[Block] = []
        article = self.article
        if article is None:
            if self.message:
                blocks.append(Block(self.message, 0, style=MUTED))
        else:
            blocks.append(Block(article.title or article.id, 0, style=TITLE))
            captured = f"captured {article.captured[:10]}" if article.captured else ""
            where = (article.date or "undated", article.source, article.license)
            meta = " · ".join(p for p in (*where, article.url, captured, article.locator) if p)
            blocks.append(Block(meta, 0, style=MUTED))
            marks_all: list[Mark] = [mention_mark(m.start, m.end, m.type) for m in self.mentions]
            marks_all += [
                hit_mark(h.start, h.end, i == self.current) for i, h in enumerate(self.hits)
            ]
            if self.evidence is not None:
                marks_all.append(evidence_mark(self.evidence.start, self.evidence.end))
            # marks by start, so each passage finds its own by bisection (a long article has
            # thousands of passages and mentions: a scan of every mark per passage froze the app)
            marks_all.sort(key=lambda m: m.start)
            starts = [m.start for m in marks_all]
            longest = max((m.end - m.start for m in marks_all), default=0)
            first, last = self._window()
            if first > 0:
                blocks.append(Block(_not_shown(first, "earlier"), 0, style=MUTED))
            for p in self.passages[first:last]:
                lo = bisect_left(starts, p.start - longest)
                hi = bisect_left(starts, p.end)
                inside = tuple(
                    attrs.evolve(m, start=m.start - p.start, end=m.end - p.start)
                    for m in marks_all[lo:hi]
                    if m.end > p.start
                )
                blocks.append(
                    Block(
                        p.text[:MAX_SHOWN_CHARS],
                        p.start,
                        inside,
                        label=f"¶{p.ordinal}",
                        selected=p.id == self.selected,
                        passage_id=p.id,
                    )
                )
            if last < len(self.passages):
                blocks.append(Block(_not_shown(len(self.passages) - last, "later"), 0, style=MUTED))
        self._blocks = blocks
        self._contents = []
        for b in blocks:
            if b.style:
                self._contents.append((Content(flat(b.text)).stylize(b.style), lambda x: x))
            else:
                self._contents.append(marked(b.text, b.marks))
        labels = [len(b.label) for b in blocks]
        self._gutter = (max(labels) + 2) if any(labels) else 0
        self._wrapped_for = -1
        self._rewrap()

    def _window(self) -> tuple[int, int]:
        """The passages shown, [first, last): all of them, or for a very long article those
        around the selected passage (or the current hit, or the evidence) up to MAX_SHOWN_CHARS."""
        passages = self.passages
        total = sum(len(p.text) for p in passages)
        if total <= MAX_SHOWN_CHARS:
            return 0, len(passages)
        focus = None
        if self.current is not None and self.current < len(self.hits):
            focus = self.hits[self.current].start
        elif self.evidence is not None:
            focus = self.evidence.start
        centre = 0
        for i, p in enumerate(passages):
            here = p.id == self.selected if focus is None else p.start <= focus < p.end
            if here:
                centre = i
                break
        first, last, size = centre, centre + 1, len(passages[centre].text)
        while size < MAX_SHOWN_CHARS and (first > 0 or last < len(passages)):
            if first > 0:
                first -= 1
                size += len(passages[first].text)
            if last < len(passages):
                size += len(passages[last].text)
                last += 1
        return first, last

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            width = max(self.size.width, 20)
        if width == self._wrapped_for:
            return
        self._wrapped_for = width
        text_width = max(4, width - self._gutter)
        lines: list[Line] = []
        self._first_line = {}
        for i, (content, _) in enumerate(self._contents):
            b = self._blocks[i]
            if b.passage_id is not None and lines:
                lines.append(Line(-1))
            self._first_line[i] = len(lines)
            for n, (s, e) in enumerate(wrap(content.plain, text_width)):
                lines.append(Line(i, s, e, n == 0))
        self._lines = lines
        self._cache.clear()
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        if self.article is not None:
            # lines moved (a new width, or the pane just shown): keep the passage, hit or
            # evidence in view once the size has settled
            self.call_after_refresh(self._anchor)

    # -- navigation --------------------------------------------------------------------------------

    def _line_of(self, offset: int) -> int | None:
        """The line showing an article offset."""
        for i, b in enumerate(self._blocks):
            if b.passage_id is None or not (b.offset <= offset <= b.offset + len(b.text)):
                continue
            shown = self._contents[i][1](offset - b.offset)
            first = self._first_line.get(i, 0)
            line_no = first
            for n in range(first, len(self._lines)):
                line = self._lines[n]
                if line.block != i:
                    break
                if line.start <= shown:
                    line_no = n
            return line_no
        return None

    def scroll_to_line(self, line: int, span: int = 1) -> None:
        """Scroll so the line (and span lines after it) stand a third of the way down; never
        to a top part-way through the article's header (its title and source line, which a
        long URL wraps over several lines): then from the top when the line still shows, else
        from the first passage."""
        height = max(1, self.scrollable_content_region.height)
        top = max(0, line - max(0, (height - span) // 3))
        head = self._head_lines()
        if 0 < top < head:
            top = 0 if line + min(span, height) <= height else min(head, line)
        self.scroll_to(y=top, animate=False, immediate=True)

    def _head_lines(self) -> int:
        """The line where the passages start (after the title, the source line and any note of
        passages not shown); 0 with no passage."""
        starts = [self._first_line.get(i, 0) for i, b in enumerate(self._blocks) if b.passage_id]
        if not starts:
            return 0
        first = min(starts)
        return first - 1 if first > 0 and self._lines[first - 1].block < 0 else first

    def scroll_to_offset(self, start: int, end: int | None = None) -> None:
        line = self._line_of(start)
        if line is None:
            return
        last = self._line_of(end) if end is not None else None
        self.scroll_to_line(line, (last - line + 1) if last is not None else 1)

    def scroll_to_passage(self, passage_id: str | None) -> None:
        for i, b in enumerate(self._blocks):
            if b.passage_id == passage_id:
                line = self._first_line.get(i, 0)
                self.scroll_to_line(max(0, line - 1))
                return
        self.scroll_to(y=0, animate=False, immediate=True)

    def move_hit(self, step: int) -> bool:
        """Go to the next (step 1) or previous (-1) hit; False when there are none."""
        if not self.hits:
            return False
        if self.current is None:
            sel = next((p for p in self.passages if p.id == self.selected), None)
            anchor = sel.start if sel else 0
            after = [i for i, h in enumerate(self.hits) if h.start >= anchor]
            if step > 0:
                self.current = after[0] if after else 0
            else:
                self.current = (after[0] - 1) % len(self.hits) if after else len(self.hits) - 1
        else:
            self.current = (self.current + step) % len(self.hits)
        hit = self.hits[self.current]
        for p in self.passages:
            if p.start <= hit.start < p.end:
                self.selected = p.id
        self._rebuild()
        self.scroll_to_offset(hit.start, hit.end)
        self.post_message(self.HitMoved(self.current, len(self.hits)))
        return True

    # -- rendering ---------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._cache.clear()
        super().notify_style_update()

    def on_resize(self) -> None:
        self._rewrap()

    def render_line(self, y: int) -> Strip:
        self._rewrap()
        width = self.scrollable_content_region.width
        base = self.visual_style
        index = self.scroll_offset.y + y
        if index >= len(self._lines):
            return Strip.blank(width, base.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._line_strip(self._lines[index], width)
            self._cache[index] = strip
        return strip

    def _line_strip(self, line: Line, width: int) -> Strip:
        base = self.visual_style
        if line.block < 0:
            return Strip.blank(width, base.rich_style)
        block = self._blocks[line.block]
        content = self._contents[line.block][0][line.start : line.end]
        if self._gutter:
            label = block.label if line.first else ""
            bar = "▌" if block.selected else " "
            gutter = Content(label.rjust(self._gutter - 2) + bar + " ").stylize(
                ".mark--gutter-selected" if block.selected else ".mark--gutter"
            )
            content = gutter + content
        segments = [
            Segment(text, style.rich_style)
            for text, style in content.render(base, end="", parse_style=self._get_style)
        ]
        return Strip(segments).crop_extend(0, width, base.rich_style)
