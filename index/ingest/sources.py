"""Readers: turn files and folders into :class:`Article` objects, reporting bad input as Problems.

``read_paths(paths)`` checks every top-level path first (a missing one raises :class:`SourceError`
before anything is read), then yields Articles and :class:`Problem` warnings interleaved. A bad
file never stops the batch: it becomes a Problem naming the file (and the line, for JSON Lines).

Formats, chosen by extension and then by content:

- ``.txt``, ``.text`` or no extension, and any explicitly named file with an unknown extension
  that looks like text:
  * the seed format: a first line `` date YYYY-MM-DD First paragraph...`` (the leading space is
    optional, ``date:`` works too); the text starts right after the date token;
  * the header format: ``date YYYY-MM-DD`` (or ``date: ...``), ``title: ...``, ``source: ...``,
    ``license: ...`` lines (any order, any subset, keys case-insensitive, ``licence`` accepted),
    then a blank line and the body. Other ``key: value`` lines inside a header block are ignored;
    a header line must come first, so a text whose first line is not one is plain text;
  * plain text: the whole file is the text.
- ``.md``/``.markdown``: optional front matter (``---`` ... ``---``, simple ``key: value`` lines,
  quotes around values removed); the title is the front matter's, else the first ``# heading``
  (or setext ``Title`` / ``=====``). The markdown body is kept as is.
- ``.jsonl``/``.ndjson``: one ``{id, date, title, source, license, text}`` object per line,
  streamed line by line. ``id`` and ``text`` are required. A file whose first character is ``[``
  is read as a JSON array instead.
- ``.json``: an array of such records (streamed element by element; a malformed element stops
  the file there, the records before it are kept), or one record; a ``.json`` file holding
  several objects one after another (really JSON Lines), or a non-array ``.json`` file over
  ``LARGE_TEXT_BYTES``, is read as JSON Lines.

Rules and choices:

- Article ids: the file's stem for files; the record's ``id`` (as str) for records, whose
  ``path`` is ``file.jsonl:LINE``. Ids are NOT de-duplicated across files (the build does that),
  but inside one JSON/JSONL file a repeated id gets a Problem and the later record becomes
  ``<id>~<line>``.
- Text: UTF-8 (a UTF-16 file with a byte-order mark is decoded too); a BOM is removed, CRLF/CR
  become LF, leading blank lines and trailing whitespace are removed; nothing else changes
  (passage offsets are taken into it). Invalid UTF-8 bytes are replaced by U+FFFD and reported
  (kept, ``skipped=False``) with the number of bytes replaced.
- Title: the header's/record's/front matter's, else the first sentence of the text (first line),
  trailing full stop dropped, cut to at most 120 characters at a word boundary with "…".
- Dates: ``YYYY-MM-DD``, optionally followed by a time (``2023-11-06T10:00:00Z`` gives
  ``2023-11-06``; no time-zone conversion), else whatever ``date.fromisoformat`` /
  ``datetime.fromisoformat`` accept. A ``date`` key whose value is empty, unparseable or
  impossible (``2023-02-30``) keeps the article undated with a Problem (``skipped=False``). A
  JSON ``"date": null`` means undated, silently. Plain text and markdown without a date are
  simply undated.
- Inside folders (read recursively, entries in sorted name order): hidden files and folders
  (``.name``) are ignored silently; files with any other extension (``.png``, ``.py``, a corpus'
  ``manifest.tsv`` ...) are not opened and each gives a one-line Problem
  ``not an article file (.tsv), skipped``. A file named explicitly on the command line is read
  whatever its extension, if its content is text.
- Binary files (a NUL byte in the first 8 KiB, or mostly invalid UTF-8 / control characters
  there), empty or whitespace-only files, unreadable files, broken symbolic links, symbolic
  link loops (folders are tracked by real path, so a folder is read once) and special files
  (FIFOs, devices) are skipped with a Problem.
- Large files: text and markdown files over ``LARGE_TEXT_BYTES`` (4 MiB) are read in chunks
  and split at paragraph boundaries (else at a line end, else at a space) into parts of at
  most ``LARGE_TEXT_BYTES`` characters, each its own Article: ``<stem>`` for the first part,
  then ``<stem>~p2``, ``<stem>~p3`` ...; the header applies to every part (an explicit title
  gets `` (part N)``), and one Problem (``skipped=False``) says how many parts were made.
  JSON Lines and JSON arrays stream record by record, so memory stays bounded by the largest
  record. A single-object ``.json`` file is read whole.
- At most ``MAX_PROBLEMS_PER_FILE`` (100) problems are reported per file; the rest are counted
  in one final Problem for that file.
- Text from articles is data: it is never interpreted.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import threading
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import attrs
from newsdesk.index.model import Article

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES

LARGE_TEXT_BYTES = 4 * 1024 * 1024
SNIFF_BYTES = 8192
CHUNK_BYTES = 1024 * 1024
TITLE_MAX = 120
MAX_PROBLEMS_PER_FILE = 100
MAX_JSON_RECORD_CHARS = 64 * 1024 * 1024


class SourceError(Exception):
    """A top-level path that does not exist (or cannot be reached at all)."""


@attrs.frozen(slots=True)
class Problem:
    """One warning about the input. ``skipped`` is False when the article was kept anyway."""

    path: str
    line: int | None
    message: str
    skipped: bool

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


Item = Article | Problem


# --- decoding ----------------------------------------------------------------------------------

_tls = threading.local()
_ERRORS = "newsdesk.count-replace"


def _count_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _tls.bad = getattr(_tls, "bad", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error(_ERRORS, _count_replace)


class _Decoder:
    """Incremental decoder: counts replaced bytes, drops a BOM, turns CRLF/CR into LF."""

    def __init__(self, encoding: str = "utf-8") -> None:
        self._dec = codecs.getincrementaldecoder(encoding)(errors=_ERRORS)
        self.bad = 0
        self._at_start = True
        self._cr = False

    def decode(self, data: bytes, final: bool = False) -> str:
        _tls.bad = 0
        s = self._dec.decode(data, final)
        self.bad += _tls.bad
        if self._at_start and s:
            self._at_start = False
            if s[0] == "\ufeff":
                s = s[1:]
        if self._cr:
            s = "\r" + s
            self._cr = False
        if not final and s.endswith("\r"):
            s = s[:-1]
            self._cr = True
        if "\r" in s:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        return s


def _decode(data: bytes, encoding: str = "utf-8") -> tuple[str, int]:
    dec = _Decoder(encoding)
    return dec.decode(data, final=True), dec.bad


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _sniff(head: bytes) -> tuple[str | None, str]:
    """The encoding to read a file with, or None and why it looks binary."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    if b"\0" in head:
        return None, "binary file (NUL bytes; not UTF-8 text), skipped"
    if not head:
        return "utf-8", ""
    _tls.bad = 0
    s = codecs.getincrementaldecoder("utf-8")(errors=_ERRORS).decode(head, False)
    bad = _tls.bad
    controls = len(_CONTROL.findall(s))
    if bad > 0.3 * len(head) or controls > 0.1 * max(len(s), 1):
        return None, "binary file (mostly not UTF-8 text), skipped"
    return "utf-8", ""


def _bad_bytes_problem(path: str, line: int | None, bad: int) -> Problem:
    unit = "byte" if bad == 1 else "bytes"
    return Problem(path, line, f"invalid UTF-8: {bad} {unit} replaced with U+FFFD", False)


# --- small text helpers ------------------------------------------------------------------------

_LEADING_BLANK = re.compile(r"(?:[^\S\n]*\n)+")


def _clean(text: str) -> str:
    """Drop a BOM, normalise newlines, leading blank lines and trailing whitespace."""
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
    """The first sentence of the text's first line, cut to ``limit`` chars at a word boundary."""
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


def _one_line(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\S)")
_DATE_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\S*)?$|\d{8}$")
_TIME = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?$", re.IGNORECASE
)


def parse_date(value: str) -> tuple[str | None, str | None]:
    """``(iso_date, None)`` or ``(None, why)`` for a date string."""
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
    return None, f"unparseable date {value!r}; kept undated"


# --- metadata of text files --------------------------------------------------------------------


@attrs.define(slots=True)
class _Meta:
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


def _set(meta: _Meta, key: str, value: str, line: int) -> None:
    key = _KEYS[key.lower()]
    if key == "date":
        if not meta.has_date:
            meta.has_date, meta.date, meta.date_line = True, value, line
    elif not getattr(meta, key):
        setattr(meta, key, _one_line(value))


def _parse_header(text: str) -> _Meta:
    """Find a seed-format first line or a header block at the top of ``text``."""
    meta = _Meta()
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
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
        return _Meta()
    meta.body = pos
    return meta


_FRONT_END = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.M)
_FRONT_KEY = re.compile(r"[^\S\n]*([A-Za-z][\w-]*)[^\S\n]*:[^\S\n]*(.*)")
_ATX_TITLE = re.compile(r"^#[^\S\n]+(.+?)(?:[^\S\n]+#+)?[^\S\n]*$", re.M)
_SETEXT_TITLE = re.compile(r"^([^\n]*\S[^\n]*)\n=+[^\S\n]*$", re.M)


def _parse_front_matter(text: str) -> _Meta:
    meta = _Meta()
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
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
            meta.title = _one_line(heading.group(1).strip("*_` "))
    return meta


# --- walking paths -----------------------------------------------------------------------------


def read_paths(paths: Sequence[str | Path]) -> Iterator[Item]:
    """Articles and Problems from files and folders, in a deterministic order.

    Raises SourceError at once (before anything is read) if a top-level path does not exist.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    errors = [err for err in (_check_top(p) for p in paths) if err]
    if errors:
        raise SourceError("; ".join(errors))
    return _read_all([str(p) for p in paths])


def read_file(path: str | Path) -> Iterator[Item]:
    """Articles and Problems from one file (whatever its extension, if it is text).

    A folder is read like ``read_paths([path])``. Raises SourceError if the path does not exist.
    """
    return read_paths([path])


def _check_top(path: str | Path) -> str | None:
    try:
        os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"broken symbolic link: {path}"
        return f"no such file or folder: {path}"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return f"symbolic link loop: {path}"
        return f"cannot access {path}: {e.strerror}"
    return None


def _read_all(paths: list[str]) -> Iterator[Item]:
    visited: set[str] = set()
    for path in paths:
        yield from _read_any(path, visited, in_folder=False)


def _read_any(path: str, visited: set[str], in_folder: bool) -> Iterator[Item]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            yield Problem(path, None, "broken symbolic link, skipped", True)
        else:
            yield Problem(path, None, "disappeared while reading, skipped", True)
        return
    except OSError as e:
        if e.errno == errno.ELOOP:
            yield Problem(path, None, "symbolic link loop, skipped", True)
        else:
            yield Problem(path, None, f"cannot read: {e.strerror}, skipped", True)
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _read_dir(path, visited)
    elif stat.S_ISREG(st.st_mode):
        try:
            yield from _read_file(path, in_folder, st.st_size)
        except Exception as e:  # a reader bug must not lose the rest of the batch
            msg = f"could not read ({type(e).__name__}: {e}), skipped"
            yield Problem(path, None, msg, True)
    else:
        yield Problem(path, None, "not a regular file (device, FIFO or socket), skipped", True)


def _read_dir(path: str, visited: set[str]) -> Iterator[Item]:
    real = os.path.realpath(path)
    if real in visited:
        yield Problem(path, None, f"symbolic link to a folder already read ({real}), skipped", True)
        return
    visited.add(real)
    try:
        with os.scandir(path) as it:
            names = sorted(entry.name for entry in it)
    except OSError as e:
        yield Problem(path, None, f"cannot read folder: {e.strerror}, skipped", True)
        return
    for name in names:
        if name.startswith("."):
            continue
        yield from _read_any(os.path.join(path, name), visited, in_folder=True)


def _read_file(path: str, in_folder: bool, size: int) -> Iterator[Item]:
    suffix = Path(path).suffix.lower()
    if in_folder and suffix not in ARTICLE_SUFFIXES:
        yield Problem(path, None, f"not an article file ({suffix}), skipped", True)
        return
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        yield Problem(path, None, f"cannot read: {e.strerror}, skipped", True)
        return
    with f:
        try:
            head = f.read(SNIFF_BYTES)
            f.seek(0)
        except OSError as e:
            yield Problem(path, None, f"cannot read: {e.strerror}, skipped", True)
            return
        encoding, why = _sniff(head)
        if encoding is None:
            if suffix not in ARTICLE_SUFFIXES:
                why = f"not an article file ({suffix}): {why}"
            yield Problem(path, None, why, True)
            return
        if suffix in JSONL_SUFFIXES or suffix in JSON_SUFFIXES:
            reader = _read_jsonl if suffix in JSONL_SUFFIXES else _read_json
            yield from _capped(path, reader(path, f, encoding, size))
        else:
            markdown = suffix in MARKDOWN_SUFFIXES
            yield from _read_text(path, f, encoding, size, markdown)


def _capped(path: str, items: Iterator[Item]) -> Iterator[Item]:
    shown = hidden = 0
    for item in items:
        if isinstance(item, Problem):
            if shown >= MAX_PROBLEMS_PER_FILE:
                hidden += 1
                continue
            shown += 1
        yield item
    if hidden:
        yield Problem(path, None, f"{hidden} more problems in this file not shown", False)


# --- text and markdown -------------------------------------------------------------------------


def _read_text(path: str, f: IO[bytes], encoding: str, size: int, markdown: bool) -> Iterator[Item]:
    decoder = _Decoder(encoding)
    stem = Path(path).stem
    n = 0
    try:
        if size <= LARGE_TEXT_BYTES:
            parts: Iterator[str] = iter([decoder.decode(f.read(), final=True)])
        else:
            parts = _stream_parts(f, decoder, LARGE_TEXT_BYTES)
        meta = _Meta()
        for raw in parts:
            if n == 0:
                raw = _clean(raw)
                meta = _parse_front_matter(raw) if markdown else _parse_header(raw)
                if meta.has_date:
                    iso, why = parse_date(meta.date or "")
                    meta.date = iso
                    if why:
                        yield Problem(path, meta.date_line, why, False)
                text = _clean(raw[meta.body :])
            else:
                text = _clean(raw)
            if not text:
                if n == 0:
                    yield Problem(path, None, _empty_reason(raw, size), True)
                    return
                continue
            n += 1
            title = meta.title
            if title and n > 1:
                title = f"{title} (part {n})"
            yield Article(
                id=stem if n == 1 else f"{stem}~p{n}",
                title=title or derive_title(text),
                date=meta.date,
                source=meta.source,
                license=meta.license,
                path=path,
                text=text,
            )
    except OSError as e:
        yield Problem(path, None, f"read error: {e.strerror}; the rest of the file is lost", True)
    if n > 1:
        msg = f"large file ({size:,} bytes) split into {n} articles at paragraph boundaries"
        yield Problem(path, None, msg, False)
    if decoder.bad:
        yield _bad_bytes_problem(path, None, decoder.bad)


def _empty_reason(raw: str, size: int) -> str:
    if not size:
        return "empty file, skipped"
    if not raw.strip():
        return "no text (only whitespace), skipped"
    return "no text after the header, skipped"


def _stream_parts(f: IO[bytes], decoder: _Decoder, limit: int) -> Iterator[str]:
    """Decoded text in parts of at most ``limit`` chars, cut at paragraph boundaries."""
    chunks: list[str] = []
    size = 0
    while True:
        data = f.read(CHUNK_BYTES)
        s = decoder.decode(data, final=not data)
        if s:
            chunks.append(s)
            size += len(s)
        if size > limit:
            buf = "".join(chunks)
            chunks.clear()
            while len(buf) > limit:
                cut = _cut_point(buf, limit)
                yield buf[:cut]
                buf = buf[cut:]
            chunks.append(buf)
            size = len(buf)
        if not data:
            break
    if size:
        yield "".join(chunks)


def _cut_point(buf: str, limit: int) -> int:
    for sep in ("\n\n", "\n", " "):
        cut = buf.rfind(sep, limit // 2, limit)
        if cut > 0:
            return cut + len(sep)
    return limit


# --- JSON and JSON Lines -----------------------------------------------------------------------


def _read_jsonl(path: str, f: IO[bytes], encoding: str, size: int) -> Iterator[Item]:
    if encoding != "utf-8":
        yield Problem(path, None, "JSON Lines must be UTF-8 (this file is UTF-16), skipped", True)
        return
    ids: dict[str, int] = {}
    first = True
    for lineno, raw in enumerate(f, start=1):
        if not raw.strip():
            continue
        if first and raw.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
            f.seek(0)
            yield from _read_json(path, f, encoding, size)
            return
        first = False
        line, bad = _decode(raw)
        try:
            obj = json.loads(line)
        except RecursionError:
            yield Problem(path, lineno, "JSON nested too deeply, skipped", True)
            continue
        except json.JSONDecodeError as e:
            yield _malformed(path, lineno, e)
            continue
        yield from _record(obj, path, lineno, ids, bad)


def _malformed(path: str, line: int, e: json.JSONDecodeError) -> Problem:
    return Problem(path, line, f"malformed JSON ({e.msg} at column {e.colno}), skipped", True)


def _read_json(path: str, f: IO[bytes], encoding: str, size: int) -> Iterator[Item]:
    decoder = _Decoder(encoding)
    head = decoder.decode(f.read(CHUNK_BYTES))
    stripped = head.lstrip()
    if stripped.startswith("["):
        yield from _read_json_array(path, f, decoder, head)
        return
    if not stripped and size <= CHUNK_BYTES:
        yield Problem(path, None, _empty_reason(head, size), True)
        return
    if size > LARGE_TEXT_BYTES and encoding == "utf-8":
        f.seek(0)
        yield from _read_jsonl(path, f, encoding, size)
        return
    text = head + decoder.decode(f.read(), final=True)
    try:
        obj = json.loads(text)
    except RecursionError:
        yield Problem(path, None, "JSON nested too deeply, skipped", True)
        return
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and encoding == "utf-8":
            f.seek(0)
            yield from _read_jsonl(path, f, encoding, size)
            return
        yield _malformed(path, e.lineno, e)
        return
    line = text[: len(text) - len(text.lstrip())].count("\n") + 1
    yield from _record(obj, path, line, {}, decoder.bad)


def _read_json_array(path: str, f: IO[bytes], decoder: _Decoder, buf: str) -> Iterator[Item]:
    """Stream the elements of a top-level JSON array, one record at a time."""
    json_decoder = json.JSONDecoder()
    ids: dict[str, int] = {}
    eof = False
    pos = buf.index("[") + 1
    line = 1 + buf.count("\n", 0, pos)
    expect_value = True  # after "[" or ","
    bad_seen = 0

    def more(want: int) -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        data = f.read(max(CHUNK_BYTES, want))
        buf = buf[pos:] + decoder.decode(data, final=not data)
        pos = 0
        eof = not data
        return True

    while True:
        # Skip whitespace, counting lines.
        while True:
            m = _WS.match(buf, pos)
            assert m is not None
            line += buf.count("\n", pos, m.end())
            pos = m.end()
            if pos < len(buf) or not more(0):
                break
        if pos >= len(buf):
            yield Problem(path, line, "malformed JSON (unterminated array), stopped here", True)
            return
        ch = buf[pos]
        if ch == "]":
            return
        if ch == ",":
            if expect_value:
                yield Problem(path, line, "malformed JSON (unexpected ','), stopped here", True)
                return
            expect_value = True
            pos += 1
            continue
        if not expect_value:
            yield Problem(path, line, "malformed JSON (expected ',' or ']'), stopped here", True)
            return
        while True:
            try:
                obj, end = json_decoder.raw_decode(buf, pos)
                break
            except RecursionError:
                yield Problem(path, line, "JSON nested too deeply, stopped here", True)
                return
            except json.JSONDecodeError as e:
                truncated = e.pos >= len(buf) - 16 or e.msg.startswith("Unterminated string")
                too_big = len(buf) - pos > MAX_JSON_RECORD_CHARS
                if not truncated or too_big or not more(len(buf) - pos):
                    msg = f"malformed JSON ({e.msg}), stopped here"
                    yield Problem(path, line, msg, True)
                    return
        record_line = line
        line += buf.count("\n", pos, end)
        pos = end
        expect_value = False
        bad = decoder.bad - bad_seen
        bad_seen = decoder.bad
        yield from _record(obj, path, record_line, ids, bad)


_WS = re.compile(r"\s*")


def _record(obj: Any, path: str, line: int, ids: dict[str, int], bad: int) -> Iterator[Item]:
    if not isinstance(obj, dict):
        kind = type(obj).__name__
        yield Problem(path, line, f"not a JSON object ({kind}), skipped", True)
        return
    rid = obj.get("id")
    if rid is None or isinstance(rid, bool | dict | list) or not str(rid).strip():
        yield Problem(path, line, "record has no id, skipped", True)
        return
    rid = str(rid).strip()
    text = obj.get("text")
    if not isinstance(text, str):
        what = "has no text" if text is None else "has a text that is not a string"
        yield Problem(path, line, f"record {rid!r} {what}, skipped", True)
        return
    text = _clean(text)
    if not text:
        yield Problem(path, line, f"record {rid!r} has an empty text, skipped", True)
        return
    if rid in ids:
        new = f"{rid}~{line}"
        while new in ids:
            new += f"~{line}"
        msg = f"duplicate id {rid!r} (first on line {ids[rid]}); this one is {new!r}"
        yield Problem(path, line, msg, False)
        rid = new
    ids[rid] = line
    iso: str | None = None
    value = obj.get("date")
    if value is not None:
        if isinstance(value, str):
            iso, why = parse_date(value)
        else:
            why = f"unparseable date {value!r}; kept undated"
        if why:
            yield Problem(path, line, why, False)
    yield Article(
        id=rid,
        title=_one_line(obj.get("title")) or derive_title(text),
        date=iso,
        source=_one_line(obj.get("source")),
        license=_one_line(obj.get("license")),
        path=f"{path}:{line}",
        text=text,
    )
    if bad:
        yield _bad_bytes_problem(path, line, bad)
