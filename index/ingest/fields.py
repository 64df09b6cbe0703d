"""Fields: the rules shared by every format for an article's text (cleaned of a BOM, CR line
ends, leading blank lines and trailing whitespace), its title (given, else derived from the first
sentence) and its date (parsed to ``YYYY-MM-DD``, with the reason when it cannot be)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

TITLE_MAX = 120

_LEADING_BLANK = re.compile(r"(?:[^\S\n]*\n)+")


def clean(text: str) -> str:
    """Drop a BOM, normalise newlines, leading blank lines and trailing whitespace.

    Nothing else changes: passage offsets are taken into the result.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    m = _LEADING_BLANK.match(text)
    if m:
        text = text[m.end() :]
    return text.rstrip()


_FIRST_SENTENCE = re.compile(r"(?:[.!?]+|…)['\"”’»)\]]*(?=\s)")
_MD_LINE_MARKUP = re.compile(r"^(?:#{1,6}\s+|>\s*)+")


def derive_title(text: str, limit: int = TITLE_MAX) -> str:
    """The first sentence of the text's first line, cut to ``limit`` chars at a word boundary.

    A trailing full stop is dropped; markdown heading and quote markers are ignored.
    """
    line, pos = "", 0
    while pos < len(text) and not line:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = _MD_LINE_MARKUP.sub("", text[pos : min(end, pos + 4 * limit)].strip())
        pos = end + 1
    if not line:
        return ""
    m = _FIRST_SENTENCE.search(line)
    sentence = line[: m.end()] if m else line
    sentence = " ".join(sentence.split())
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    return shorten(sentence, limit)


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, adding "…"."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)  # leaves room for the ellipsis
    head = text[:cut] if cut > limit // 3 else text[: limit - 1]
    return head.rstrip(" ,;:-–—") + "…"


def one_line(value: Any) -> str:
    """``value`` as a string on one line, runs of whitespace made one space ("" for None)."""
    if value is None:
        return ""
    return " ".join(str(value).split())


_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\S)")


def parse_date(value: str) -> tuple[str | None, str | None]:
    """``(iso_date, None)`` or ``(None, why)`` for a date string.

    ``YYYY-MM-DD``, optionally followed by a time (``2023-11-06T10:00:00Z`` gives ``2023-11-06``;
    no time-zone conversion), else whatever ``date.fromisoformat`` / ``datetime.fromisoformat``
    accept. An empty, unparseable or impossible (``2023-02-30``) date gives the reason, for a
    Problem that keeps the article undated.
    """
    value = value.strip()
    if not value:
        return None, "date is empty; kept undated"
    m = _ISO_PREFIX.match(value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            return date(y, mo, d).isoformat(), None
        except ValueError:
            return None, f"impossible date {value!r}; kept undated"
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        return (parsed.date() if isinstance(parsed, datetime) else parsed).isoformat(), None
    return None, _unparseable(value)


def parse_date_value(value: Any) -> tuple[str | None, str | None]:
    """Like :func:`parse_date`, for any (JSON) value: one that is not a string is unparseable."""
    if isinstance(value, str):
        return parse_date(value)
    return None, _unparseable(value)


def _unparseable(value: Any) -> str:
    return f"unparseable date {value!r}; kept undated"
