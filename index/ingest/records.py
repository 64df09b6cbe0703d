"""JSON and JSON Lines: files of ``{id, date, title, source, license, text}`` records, streamed
record by record (a JSON array element by element) so memory stays bounded by the largest
record, each record checked and turned into an article."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from newsdesk.index.ingest.decoding import CHUNK_BYTES, Decoder, bad_bytes_problem, decode
from newsdesk.index.ingest.fields import clean, derive_title, one_line, parse_date_value
from newsdesk.index.ingest.problems import Item, Problem, empty_reason
from newsdesk.index.ingest.text import split_text
from newsdesk.index.model import Article

MAX_JSON_RECORD_CHARS = 64 * 1024 * 1024


def read_jsonl(path: str, f: IO[bytes], encoding: str, size: int, *, large: int) -> Iterator[Item]:
    """Records from a JSON Lines file, one object per line (blank lines ignored).

    A bad line is a Problem with its line number and the next line is read. A file whose first
    character is ``[`` is read as a JSON array instead (see :func:`read_json`).
    """
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
            yield from read_json(path, f, encoding, size, large=large)
            return
        first = False
        line, bad = decode(raw)
        try:
            obj = json.loads(line)
        except RecursionError:
            yield _too_deep(path, lineno)
            continue
        except json.JSONDecodeError as e:
            yield _malformed(path, lineno, f"{e.msg} at column {e.colno}")
            continue
        yield from _record(obj, path, lineno, ids, bad, large)


def read_json(path: str, f: IO[bytes], encoding: str, size: int, *, large: int) -> Iterator[Item]:
    """Records from a JSON file: an array of records, or one record.

    An array is streamed element by element (a malformed element stops the file there, the
    records before it are kept). A file holding several objects one after another (really JSON
    Lines), or a non-array file over ``large`` bytes, is read as JSON Lines; a single object is
    read whole.
    """
    decoder = Decoder(encoding)
    head = decoder.decode(f.read(CHUNK_BYTES))
    stripped = head.lstrip()
    if stripped.startswith("["):
        yield from _read_json_array(path, f, decoder, head, large)
        return
    if not stripped and size <= CHUNK_BYTES:
        yield Problem(path, None, empty_reason(head, size), True)
        return
    if size > large and encoding == "utf-8":
        f.seek(0)
        yield from read_jsonl(path, f, encoding, size, large=large)
        return
    text = head + decoder.decode(f.read(), final=True)
    try:
        obj = json.loads(text)
    except RecursionError:
        yield _too_deep(path, None)
        return
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and encoding == "utf-8":
            f.seek(0)
            yield from read_jsonl(path, f, encoding, size, large=large)
            return
        yield _malformed(path, e.lineno, f"{e.msg} at column {e.colno}")
        return
    line = text[: len(text) - len(text.lstrip())].count("\n") + 1
    yield from _record(obj, path, line, {}, decoder.bad, large)


_WS = re.compile(r"\s*")


def _read_json_array(
    path: str, f: IO[bytes], decoder: Decoder, buf: str, large: int
) -> Iterator[Item]:
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
            yield _malformed(path, line, "unterminated array", stop=True)
            return
        ch = buf[pos]
        if ch == "]":
            return
        if ch == ",":
            if expect_value:
                yield _malformed(path, line, "unexpected ','", stop=True)
                return
            expect_value = True
            pos += 1
            continue
        if not expect_value:
            yield _malformed(path, line, "expected ',' or ']'", stop=True)
            return
        while True:
            try:
                obj, end = json_decoder.raw_decode(buf, pos)
                break
            except RecursionError:
                yield _too_deep(path, line, stop=True)
                return
            except json.JSONDecodeError as e:
                truncated = e.pos >= len(buf) - 16 or e.msg.startswith("Unterminated string")
                too_big = len(buf) - pos > MAX_JSON_RECORD_CHARS
                if not truncated or too_big or not more(len(buf) - pos):
                    yield _malformed(path, line, e.msg, stop=True)
                    return
        record_line = line
        line += buf.count("\n", pos, end)
        pos = end
        expect_value = False
        bad = decoder.bad - bad_seen
        bad_seen = decoder.bad
        yield from _record(obj, path, record_line, ids, bad, large)


def _malformed(path: str, line: int | None, detail: str, *, stop: bool = False) -> Problem:
    """Malformed JSON: the record is skipped (or, inside an array, the file stops there)."""
    end = "stopped here" if stop else "skipped"
    return Problem(path, line, f"malformed JSON ({detail}), {end}", True)


def _too_deep(path: str, line: int | None, *, stop: bool = False) -> Problem:
    end = "stopped here" if stop else "skipped"
    return Problem(path, line, f"JSON nested too deeply, {end}", True)


def _record(
    obj: Any, path: str, line: int, ids: dict[str, int], bad: int, large: int
) -> Iterator[Item]:
    """The Article (and Problems) for one record found on ``line`` of ``path``.

    ``id`` (as str) and ``text`` are required; the article's ``path`` is ``file:LINE``. Inside
    one file a repeated id gets a Problem and the later record becomes ``<id>~<line>``. A
    ``"date": null`` means undated, silently; a bad date keeps the record undated with a
    Problem. A text over ``large`` characters is split like a large text file: parts of at
    most ``large`` characters cut at paragraph breaks, ``<id>``, ``<id>~p2``, ``<id>~p3`` …
    (an explicit title gets `` (part N)``), and a Problem says so.
    """
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
    text = clean(text)
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
        iso, why = parse_date_value(value)
        if why:
            yield Problem(path, line, why, False)
    title = one_line(obj.get("title"))
    parts = [p for p in (clean(x) for x in split_text(text, large)) if p]
    for n, part in enumerate(parts, start=1):
        yield Article(
            id=rid if n == 1 else f"{rid}~p{n}",
            title=(f"{title} (part {n})" if n > 1 else title) if title else derive_title(part),
            date=iso,
            source=one_line(obj.get("source")),
            license=one_line(obj.get("license")),
            path=f"{path}:{line}",
            text=part,
        )
    if len(parts) > 1:
        msg = (
            f"large record {rid!r} ({len(text):,} characters) split into {len(parts)} articles "
            "at paragraph boundaries"
        )
        yield Problem(path, line, msg, False)
    if bad:
        yield bad_bytes_problem(path, line, bad)
