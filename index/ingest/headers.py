"""Headers: the metadata at the top of a text or Markdown file (the seed format's date line, the
header format's ``key: value`` block, Markdown front matter and first heading), parsed into a
:class:`Meta` that says where the body starts."""

from __future__ import annotations

import re

import attrs

from newsdesk.index.ingest.fields import one_line


@attrs.define(slots=True)
class Meta:
    date: str | None = None
    date_line: int | None = None
    has_date: bool = False
    title: str = ""
    source: str = ""
    license: str = ""
    body: int = 0  # offset of the body in the cleaned file text


_KEYS = {"date": "date", "title": "title", "source": "source", "license": "license"}
_KEYS["licence"] = "license"
_KEY_LINE = re.compile(r"[^\S\n]*(date|title|source|licen[cs]e)[^\S\n]*:[^\S\n]*(.*)", re.I)
_DATE_LINE = re.compile(r"[^\S\n]*date(?:[^\S\n]*:[^\S\n]*|[^\S\n]+)(\S+)(?:[^\S\n]+(.*))?", re.I)
_OTHER_KEY_LINE = re.compile(r"[^\S\n]*[A-Za-z][\w-]{0,30}[^\S\n]*:(?:\s|$)")
_DATE_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\S*)?$|\d{8}$")
_TIME = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?$", re.IGNORECASE
)


def _set(meta: Meta, key: str, value: str, line: int) -> None:
    key = _KEYS[key.lower()]
    if key == "date":
        if not meta.has_date:
            meta.has_date, meta.date, meta.date_line = True, value, line
    elif not getattr(meta, key):
        setattr(meta, key, one_line(value))


def _first_line(text: str) -> str:
    end = text.find("\n")
    return text if end < 0 else text[:end]


def parse_header(text: str) -> Meta:
    """Find a seed-format first line or a header block at the top of ``text``.

    The seed format: a first line `` date YYYY-MM-DD First paragraph...`` (the leading space is
    optional, ``date:`` works too); the text starts right after the date token. The header
    format: ``date YYYY-MM-DD`` (or ``date: ...``), ``title: ...``, ``source: ...``,
    ``license: ...`` lines (any order, any subset, keys case-insensitive, ``licence`` accepted),
    then a blank line and the body. Other ``key: value`` lines inside a header block are
    ignored; a header line must come first, so a text whose first line is not one is plain text
    (an empty Meta: undated, body at 0).
    """
    meta = Meta()
    first = _first_line(text)
    # The seed format: "date YYYY-MM-DD First paragraph..." on one line.
    m = _DATE_LINE.fullmatch(first)
    if m and m.group(2) and _DATE_TOKEN.match(m.group(1)) and not _TIME.match(m.group(2)):
        meta.has_date, meta.date, meta.date_line = True, m.group(1), 1
        meta.body = m.start(2)
        return meta
    # The header format: known "key: value" lines (or "date YYYY-MM-DD") up to a blank line.
    pos, line, seen = 0, 1, False
    while True:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        row = text[pos:end]
        if not row.strip():
            break
        km = _KEY_LINE.fullmatch(row)
        dm = _DATE_LINE.fullmatch(row)
        if km:
            _set(meta, km.group(1), km.group(2), line)
        elif dm and _DATE_TOKEN.match(dm.group(1)):
            _set(meta, "date", row.split(None, 1)[1], line)
        elif not (seen and _OTHER_KEY_LINE.match(row)):  # an unknown key inside a header: ignored
            break
        seen = True
        if end >= len(text):
            pos = end
            break
        pos, line = end + 1, line + 1
    if not seen:
        return Meta()
    meta.body = pos
    return meta


_FRONT_END = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.M)
_FRONT_KEY = re.compile(r"[^\S\n]*([A-Za-z][\w-]*)[^\S\n]*:[^\S\n]*(.*)")
_ATX_TITLE = re.compile(r"^#[^\S\n]+(.+?)(?:[^\S\n]+#+)?[^\S\n]*$", re.M)
_SETEXT_TITLE = re.compile(r"^([^\n]*\S[^\n]*)\n=+[^\S\n]*$", re.M)


def parse_front_matter(text: str) -> Meta:
    """The metadata of a Markdown text: optional front matter, else its first heading.

    Front matter is ``---`` ... ``---`` (or ``...``) with simple ``key: value`` lines, quotes
    around values removed. The title is the front matter's, else the first ``# heading`` (or
    setext ``Title`` / ``=====``); the body (after the front matter) is kept as is.
    """
    meta = Meta()
    first = _first_line(text)
    if first.rstrip() == "---":
        end = _FRONT_END.search(text, len(first) + 1)
        if end:
            block = text[len(first) + 1 : end.start()]
            for i, row in enumerate(block.split("\n"), start=2):
                m = _FRONT_KEY.fullmatch(row)
                if not m or m.group(1).lower() not in _KEYS:
                    continue
                value = m.group(2).strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                    value = value[1:-1]
                _set(meta, m.group(1), value, i)
            meta.body = min(end.end() + 1, len(text))
    if not meta.title:
        heading = _ATX_TITLE.search(text, meta.body) or _SETEXT_TITLE.search(text, meta.body)
        if heading:
            meta.title = one_line(heading.group(1).strip("*_` "))
    return meta
