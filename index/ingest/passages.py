"""Split an article's text into passages: the units that are indexed, searched and shown.

Rules (offsets are exact: ``article.text[p.start:p.end] == p.text`` for every passage):

- Paragraphs are separated by blank lines (a line holding only whitespace counts as blank).
- A text with no blank line but several lines (one sentence per line, as in the MEANTIME
  Wikinews texts) is cut into lines, and consecutive lines are packed into paragraph-sized
  passages: a passage takes the next line while it is shorter than ``max_chars // 3`` and the
  result stays within ``max_chars``.
- A paragraph longer than ``max_chars`` is cut at sentence ends (``. ! ? …`` plus closing quotes
  or brackets, then whitespace and an upper-case letter, a digit or an opening quote; not after
  common abbreviations or initials such as "Mr." or "U.S."), packing as many sentences as fit. A
  sentence longer than ``max_chars`` is cut at the last whitespace that fits; a single "word"
  longer than that runs on to the next whitespace, up to ``HARD_CHARS``: a longer run without
  whitespace (a base64 image, thousands of comma-joined words) is cut at the last punctuation
  mark within the limit, else at the limit, so no passage is ever much longer than that.
- Passage text is stripped of surrounding whitespace; ``start``/``end`` point at the stripped text.
- A passage shorter than ``min_chars`` (a heading, a dateline, a one-line question) is joined to
  the NEXT one: the passage then spans both, with the newlines between them. A short passage at
  the end joins the previous one. So passages can be up to about ``min_chars`` longer than
  ``max_chars``.
- Ids are ``"<article id>#<n>"``, ``n`` (the ordinal) counted from 1.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from newsdesk.index.model import Article, Passage

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?:[.!?]+|…)['\"”’»)\]]*(?=\s)")
_SENTENCE_START = frozenset("\"'“‘«([")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen lt col sgt capt cmdr adm gov sen rep pres rev hon
    inc corp co ltd bros no nos vs etc al fig approx dept est jan feb mar apr jun jul aug sep
    sept oct nov dec ave blvd rd u.s u.k u.n e.g i.e""".split()
)

Span = tuple[int, int]
# No passage is longer than this (plus a joined short one), whatever the text: a run without
# whitespace is cut here (search, highlighting and the app's wrapping all cost more with length).
HARD_CHARS = 2_000
_PUNCT_BEFORE = re.compile(r"[,;:/|.!?)\]}>\-](?=[^,;:/|.!?)\]}>\-]*\Z)")


def split_passages(article: Article, max_chars: int = 1500, min_chars: int = 60) -> list[Passage]:
    """The article's passages, in order, with exact offsets into ``article.text``."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    spans = passage_spans(article.text, max_chars, min_chars)
    aid = article.id
    text = article.text
    return [
        Passage(id=f"{aid}#{n}", article_id=aid, ordinal=n, text=text[s:e], start=s, end=e)
        for n, (s, e) in enumerate(spans, start=1)
    ]


def passage_spans(text: str, max_chars: int = 1500, min_chars: int = 60) -> list[Span]:
    """``(start, end)`` of each passage of ``text`` (see the module's rules)."""
    if _BLANK_LINE.search(text):
        units = _pieces(text, _PARAGRAPH_BREAK)
        spans: list[Span] = []
        for s, e in units:
            if e - s > max_chars:
                spans.extend(_split_long(text, s, e, max_chars))
            else:
                spans.append((s, e))
    else:
        lines: list[Span] = []
        for s, e in _pieces(text, _NEWLINE):
            if e - s > max_chars:
                lines.extend(_split_long(text, s, e, max_chars))
            else:
                lines.append((s, e))
        spans = _pack(lines, max(max_chars // 3, min_chars), max_chars)
    return _join_short(spans, min_chars)


_NEWLINE = re.compile(r"\n")


def _pieces(text: str, separator: re.Pattern[str]) -> list[Span]:
    """Stripped, non-empty pieces of ``text`` between matches of ``separator``."""
    out: list[Span] = []
    pos = 0
    for m in separator.finditer(text):
        span = _strip(text, pos, m.start())
        if span:
            out.append(span)
        pos = m.end()
    span = _strip(text, pos, len(text))
    if span:
        out.append(span)
    return out


def _strip(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    s = start + (len(piece) - len(piece.lstrip()))
    return s, s + len(stripped)


def sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Offsets just after each sentence end inside ``text[start:end]``."""
    ends: list[int] = []
    for m in _SENTENCE_END.finditer(text, start, end):
        after = m.end()
        nxt = after
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            continue
        ch = text[nxt]
        if not (ch.isupper() or ch.isdigit() or ch in _SENTENCE_START):
            continue
        if text[m.start()] == ".":
            word_start = m.start()
            while word_start > start and not text[word_start - 1].isspace():
                word_start -= 1
            word = text[word_start : m.start() + 1]
            bare = word.strip("\"'“‘«([").lower().rstrip(".")
            if bare in _ABBREVIATIONS or _INITIALS.fullmatch(word.strip("\"'“‘«([")):
                continue
        ends.append(after)
    return ends


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[Span]:
    """Cut ``text[start:end]`` into stripped pieces of at most ``max_chars`` where possible."""
    ends = sentence_ends(text, start, end)
    out: list[Span] = []
    cur = start
    while end - cur > max_chars:
        limit = cur + max_chars
        i = bisect_right(ends, limit) - 1
        if i >= 0 and ends[i] > cur:
            cut = ends[i]
        else:
            cut = _last_space(text, cur, limit)
            if cut <= cur:
                hard = cur + max(max_chars, HARD_CHARS)
                cut = _next_space(text, limit, min(end, hard + 1))
                if cut > hard:
                    cut = _hard_cut(text, cur, hard)
        span = _strip(text, cur, cut)
        if span:
            out.append(span)
        cur = cut
        while cur < end and text[cur].isspace():
            cur += 1
    span = _strip(text, cur, end)
    if span:
        out.append(span)
    return out


_SPACE_BEFORE = re.compile(r"\s\S*\Z")
_SPACE = re.compile(r"\s")


def _last_space(text: str, start: int, limit: int) -> int:
    """The offset of the last whitespace in ``text[start:limit + 1]``, or ``start``."""
    m = _SPACE_BEFORE.search(text, start, limit + 1)
    return m.start() if m else start


def _hard_cut(text: str, start: int, limit: int) -> int:
    """Where to cut a run without whitespace: after its last punctuation mark in the second
    half of ``text[start:limit]``, else at ``limit``."""
    m = _PUNCT_BEFORE.search(text, start + (limit - start) // 2, limit)
    return m.end() if m else limit


def _next_space(text: str, pos: int, end: int) -> int:
    m = _SPACE.search(text, pos, end)
    return m.start() if m else end


def _pack(lines: list[Span], target: int, max_chars: int) -> list[Span]:
    """Pack consecutive lines into passages of about ``target`` chars (never over ``max_chars``)."""
    out: list[Span] = []
    cur: Span | None = None
    for s, e in lines:
        if cur is not None and cur[1] - cur[0] < target and e - cur[0] <= max_chars:
            cur = (cur[0], e)
            continue
        if cur is not None:
            out.append(cur)
        cur = (s, e)
    if cur is not None:
        out.append(cur)
    return out


def _join_short(spans: list[Span], min_chars: int) -> list[Span]:
    """Join passages shorter than ``min_chars`` to the next one (the last to the previous)."""
    out: list[Span] = []
    pending: int | None = None
    last_end = 0
    for s, e in spans:
        if pending is not None:
            s = pending
            pending = None
        last_end = e
        if e - s < min_chars:
            pending = s
            continue
        out.append((s, e))
    if pending is not None:
        if out:
            out[-1] = (out[-1][0], last_end)
        else:
            out.append((pending, last_end))
    return out
