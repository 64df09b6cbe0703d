"""Where a query's words stand in a text: character spans for marking hits, and snippets."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from newsdesk.index.seam import Span
from newsdesk.index.store.schema import exact_analyzer, stem_analyzer

_STEM = stem_analyzer()
_EXACT = exact_analyzer()


def _tokens(analyzer: object, text: str) -> list[tuple[str, int, int]]:
    return [
        (t.text, t.startchar, t.endchar)
        for t in analyzer(text, chars=True, removestops=False, mode="query")  # type: ignore[operator]
    ]


def spans_for(
    text: str, terms: Mapping[str, AbstractSet[str]], fields: Iterable[str] = ("text",)
) -> list[Span]:
    """Character spans in text of the query terms of the given stemmed fields and exact phrases."""
    stems: set[str] = set()
    for f in fields:
        stems |= terms.get(f, set())
    found: list[Span] = []
    if stems:
        found += [Span(s, e) for tok, s, e in _tokens(_STEM, text) if tok in stems]
    phrases = [p.split("\x00") for f in ("phrase:exact",) for p in terms.get(f, ())]
    singles = terms.get("exact", set()) - {w for p in phrases for w in p}
    if phrases or singles:
        toks = _tokens(_EXACT, text)
        words = [t[0] for t in toks]
        for tok, s, e in toks:
            if tok in singles:
                found.append(Span(s, e))
        for phrase in phrases:
            n = len(phrase)
            for i in find_all(words, phrase):
                found.append(Span(toks[i][1], toks[i + n - 1][2]))
    return merge(found, text)


def find_all(words: list[str], phrase: list[str]) -> list[int]:
    """Start indexes of every (possibly overlapping) occurrence of phrase in words, in linear
    time (Knuth-Morris-Pratt): a phrase of repeated words over a passage of them stays cheap."""
    n = len(phrase)
    if not n:
        return []
    fail = [0] * n
    k = 0
    for i in range(1, n):
        while k and phrase[i] != phrase[k]:
            k = fail[k - 1]
        if phrase[i] == phrase[k]:
            k += 1
        fail[i] = k
    out = []
    k = 0
    for i, w in enumerate(words):
        while k and w != phrase[k]:
            k = fail[k - 1]
        if w == phrase[k]:
            k += 1
            if k == n:
                out.append(i - n + 1)
                k = fail[k - 1]
    return out


def merge(spans: Iterable[Span], text: str = "") -> list[Span]:
    """Overlapping spans joined, and neighbours parted only by spaces (a phrase reads as one)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda x: (x.start, x.end)):
        gap = text[out[-1].end : s.start] if out and text else None
        if out and (s.start <= out[-1].end or (gap is not None and gap.strip(" ") == "")):
            last = out[-1]
            out[-1] = Span(last.start, max(last.end, s.end))
        else:
            out.append(s)
    return out


def snippet(text: str, spans: list[Span], width: int = 220) -> tuple[str, list[Span]]:
    """A window of text around the densest hits, with the spans moved into it."""
    if len(text) <= width:
        return text, spans
    if not spans:
        cut = text.rfind(" ", 0, width)
        cut = cut if cut > width // 2 else width
        return text[:cut] + "…", []
    # the window starting at each hit that holds the most hits: one sweep over the sorted hits
    # (spans are merged, so their ends rise with their starts)
    ends = sorted(t.end for t in spans)
    best, best_n = 0, -1
    for i, s in enumerate(spans):
        n = bisect_right(ends, s.start + width) - i
        if n > best_n:
            best, best_n = i, n
    start = max(0, spans[best].start - width // 4)
    if start > 0:
        sp = text.find(" ", start)
        start = sp + 1 if 0 <= sp < spans[best].start else start
    end = min(len(text), start + width)
    if end < len(text):
        sp = text.rfind(" ", start, end)
        end = sp if sp > start + width // 2 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    moved = [
        Span(s.start + shift, s.end + shift) for s in spans if s.start >= start and s.end <= end
    ]
    return prefix + text[start:end] + suffix, moved
