"""Marked text: article text made literal and safe, with hits, mentions and evidence marked by span.

Article text is data. It is passed through :func:`index.safe.printable` (control characters become
visible stand-ins, same length) and put in a :class:`textual.content.Content` as plain text; styles
are applied by character span and never parsed from the text, so ``[bold]`` or
``[@click=app.quit]`` in an article stays literal.

Marks carry glyphs as well as styles so they read without colour (``NO_COLOR``, 16 colours, a
screen reader): hits are «between guillemets», entity mentions are followed by a type glyph
(◆ person, ▲ organisation, ● place, ■ other) and the evidence of a fact stands between ⟦ ⟧.
Styles are component classes of the main screen (``.mark--hit`` ...), themed in ``app.tcss``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence

import attrs
from textual.content import Content, Span

from newsdesk.tui.safe import printable

GLYPH = {"PERSON": "◆", "ORG": "▲", "PLACE": "●", "MISC": "■"}
TYPE_LABEL = {"PERSON": "People", "ORG": "Orgs", "PLACE": "Places", "MISC": "Misc"}
TYPE_STYLE = {
    "PERSON": ".mark--person",
    "ORG": ".mark--org",
    "PLACE": ".mark--place",
    "MISC": ".mark--misc",
}
HIT = ".mark--hit"
CURRENT = ".mark--current"
EVIDENCE = ".mark--evidence"
WHEN = ".mark--when"
MUTED = ".mark--muted"
TITLE = ".mark--title"
LABEL = ".mark--label"
ERROR = ".mark--error"
SUGGEST = ".mark--suggest"
KIND = ".mark--kind"

MARK_CLASSES = {
    "mark--hit",
    "mark--current",
    "mark--person",
    "mark--org",
    "mark--place",
    "mark--misc",
    "mark--evidence",
    "mark--when",
    "mark--muted",
    "mark--title",
    "mark--label",
    "mark--error",
    "mark--suggest",
    "mark--kind",
    "mark--gutter",
    "mark--gutter-selected",
    "mark--chip",
}


@attrs.frozen(slots=True)
class Mark:
    start: int  # offsets into the source text
    end: int
    style: str
    open: str = ""  # glyph shown before the span
    close: str = ""  # glyph shown after it


def literal(text: str) -> str:
    """Text safe to show: control characters visible, tabs as spaces (same length)."""
    return printable(text).replace("\t", " ")


def flat(text: str) -> str:
    """literal() on one line: newlines as spaces (same length)."""
    return literal(text).replace("\n", " ")


def hit_mark(start: int, end: int, current: bool = False) -> Mark:
    return Mark(start, end, CURRENT if current else HIT, "«", "»")


def mention_mark(start: int, end: int, type_: str) -> Mark:
    return Mark(start, end, TYPE_STYLE.get(type_, TYPE_STYLE["MISC"]), "", GLYPH.get(type_, "■"))


def evidence_mark(start: int, end: int) -> Mark:
    return Mark(start, end, EVIDENCE, "⟦", "⟧")


def marked(
    text: str, marks: Iterable[Mark], one_line: bool = False
) -> tuple[Content, Callable[[int], int]]:
    """Content of the text with marks inserted and styled, and a map from text offsets to it."""
    shown = flat(text) if one_line else literal(text)
    n = len(shown)
    kept: list[Mark] = []
    for m in marks:
        start, end = max(0, m.start), min(n, m.end)
        if start < end:
            kept.append(attrs.evolve(m, start=start, end=end))
    # (position, 0 close | 1 open, order, glyph, mark index): at one position glyphs that close
    # come before glyphs that open; longer spans open first and close last (they nest).
    inserts: list[tuple[int, int, int, str, int]] = []
    for i, m in enumerate(kept):
        length = m.end - m.start
        if m.open:
            inserts.append((m.start, 1, -length, m.open, i))
        if m.close:
            inserts.append((m.end, 0, length, m.close, i))
    inserts.sort()
    keys = [(p, kind) for p, kind, _, _, _ in inserts]
    before: list[int] = [0]
    for ins in inserts:
        before.append(before[-1] + len(ins[3]))

    def to_shown(offset: int) -> int:
        """Where a text offset lands: after glyphs that close there, before glyphs that open."""
        return offset + before[bisect_left(keys, (offset, 1))]

    pieces: list[str] = []
    opened: dict[int, int] = {}
    closed: dict[int, int] = {}
    last = 0
    size = 0
    for p, kind, _, glyph, i in inserts:
        pieces.append(shown[last:p])
        size += p - last
        if kind == 1:
            opened[i] = size
        pieces.append(glyph)
        size += len(glyph)
        if kind == 0:
            closed[i] = size
        last = p
    pieces.append(shown[last:])
    spans = [
        Span(opened.get(i, to_shown(m.start)), closed.get(i, to_shown(m.end)), m.style)
        for i, m in enumerate(kept)
    ]
    content = Content("".join(pieces), spans)
    return content, to_shown


def plain(text: str, style: str = "") -> Content:
    """One line of literal text with one style."""
    c = Content(flat(text))
    return c.stylize(style) if style else c


def join(parts: Sequence[Content | str]) -> Content:
    """Concatenate content pieces (strings are our own labels, never article text)."""
    out = Content("")
    for p in parts:
        out = out + p
    return out
