"""Text and Markdown files: one article per file, its metadata from the header or front matter,
and files over the large-file limit read in chunks and split at paragraph boundaries into parts,
each its own article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from newsdesk.index.ingest.decoding import CHUNK_BYTES, Decoder, bad_bytes_problem
from newsdesk.index.ingest.fields import clean, derive_title, parse_date
from newsdesk.index.ingest.headers import Meta, parse_front_matter, parse_header
from newsdesk.index.ingest.problems import Item, Problem, empty_reason
from newsdesk.index.model import Article


def read_text(
    path: str, f: IO[bytes], encoding: str, size: int, markdown: bool, *, large: int
) -> Iterator[Item]:
    """Articles and Problems from a text (``markdown=False``) or Markdown file.

    The article id is the file's stem; the title is the header's (front matter's), else derived
    from the text; a ``date`` that is empty, unparseable or impossible keeps the article undated
    with a Problem (``skipped=False``), and no date at all means undated. A file over ``large``
    bytes is read in chunks and split (at a paragraph boundary, else a line end, else a space)
    into parts of at most ``large`` characters: ``<stem>``, then ``<stem>~p2``, ``<stem>~p3``
    ...; the header applies to every part (an explicit title gets `` (part N)``), and one
    Problem (``skipped=False``) says how many parts were made.
    """
    decoder = Decoder(encoding)
    stem = Path(path).stem
    n = 0
    try:
        if size <= large:
            parts: Iterator[str] = iter([decoder.decode(f.read(), final=True)])
        else:
            parts = _stream_parts(f, decoder, large)
        meta = Meta()
        for raw in parts:
            if n == 0:
                raw = clean(raw)
                meta = parse_front_matter(raw) if markdown else parse_header(raw)
                if meta.has_date:
                    iso, why = parse_date(meta.date or "")
                    meta.date = iso
                    if why:
                        yield Problem(path, meta.date_line, why, False)
                text = clean(raw[meta.body :])
            else:
                text = clean(raw)
            if not text:
                if n == 0:
                    yield Problem(path, None, empty_reason(raw, size), True)
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
        yield bad_bytes_problem(path, None, decoder.bad)


def _stream_parts(f: IO[bytes], decoder: Decoder, limit: int) -> Iterator[str]:
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


def split_text(text: str, limit: int) -> list[str]:
    """text in parts of at most ``limit`` characters, cut at paragraph boundaries (else a line
    end, else a space, else at the limit); a text within the limit is one part."""
    parts = []
    start = 0
    while len(text) - start > limit:
        cut = start + _cut_point(text[start : start + limit], limit)
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts


def _cut_point(buf: str, limit: int) -> int:
    for sep in ("\n\n", "\n", " "):
        cut = buf.rfind(sep, limit // 2, limit)
        if cut > 0:
            return cut + len(sep)
    return limit
