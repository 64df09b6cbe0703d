"""WARC web archives (``.warc``, ``.warc.gz``), streamed with warcio: each successful HTML
response is an article (the page's main text, see ``html``) with the URL it was captured from,
its capture date beside its publication date, and its record number. Memory is bounded by the
largest record read, not by the archive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsdesk.index.ingest.fields import one_line
from newsdesk.index.ingest.html import extract_page, record_id, unique
from newsdesk.index.ingest.problems import Item, Problem

# A record's payload past this is not a news page: it is skipped unread.
MAX_RECORD_BYTES = 16 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(name: str) -> bool:
    low = name.lower()
    return low.endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))


def read_warc(path: str, f: IO[bytes]) -> Iterator[Item]:
    """Articles from the HTML responses of a WARC file.

    Other records (requests, metadata, images, scripts, redirects and errors) are passed over.
    A record whose page has no main text is a Problem naming the record and its URL; a
    truncated or corrupt archive stops at the bad record with a Problem, the records before it
    kept.
    """
    from warcio.archiveiterator import ArchiveIterator

    stem = Path(path).name
    for suffix in (".gz", ".warc", ".arc"):
        stem = stem.removesuffix(suffix).removesuffix(suffix.upper())
    ids: dict[str, int] = {}
    n = 0
    pages = 0
    it = ArchiveIterator(f, arc2warc=True)
    last = None
    try:
        for record in it:
            _check_whole(last)
            last = record
            n += 1
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = _content_type(record)
            if not ctype.startswith(_HTML_TYPES):
                continue
            if record.http_headers is not None:
                code = record.http_headers.get_statuscode() or ""
                if not code.startswith("2"):
                    continue
            uri = one_line(record.rec_headers.get_header("WARC-Target-URI")).strip("<>")
            captured = one_line(record.rec_headers.get_header("WARC-Date")) or None
            where = f"record {n}" + (f" ({uri})" if uri else "")
            length = int(record.rec_headers.get_header("Content-Length") or 0)
            if length > MAX_RECORD_BYTES:
                yield Problem(
                    path, None, f"{where}: page too large ({length:,} bytes), skipped", True
                )
                continue
            raw = record.content_stream().read(MAX_RECORD_BYTES + 1)
            _check_whole(record)
            page = extract_page(raw, uri)
            if page is None:
                yield Problem(path, None, f"{where}: no main text in the page, skipped", True)
                continue
            if not page.url:
                page.url = uri
            key = f"{uri} {captured or ''}"
            rid = unique(ids, record_id(stem, key, n), n)
            pages += 1
            yield page.article(rid, path, captured=captured, locator=f"record {n}")
        _check_whole(last)
    except Exception as e:  # warcio: ArchiveLoadFailed, gzip/zlib errors, EOF in a record
        detail = one_line(str(e))[:160] or type(e).__name__
        offset = getattr(it, "offset", None)
        at = f" at byte {offset:,}" if isinstance(offset, int) else ""
        kept = f"kept the {pages} pages before it" if pages != 1 else "kept the page before it"
        if not pages:
            kept = "no page before it"
        if isinstance(e, _Truncated):
            at = f" (from byte {offset:,})" if isinstance(offset, int) else ""
            msg = f"truncated WARC: record {n}{at} ends early; {kept}"
        else:
            msg = (
                f"truncated or corrupt WARC after record {n}{at} ({type(e).__name__}: {detail}); "
                f"{kept}"
            )
        yield Problem(path, None, msg, pages == 0)
        return
    if not pages:
        yield Problem(path, None, f"no HTML pages in the archive ({n} records), skipped", True)


class _Truncated(Exception):
    """The archive ended inside a record."""


def _check_whole(record: object) -> None:
    """Raise _Truncated when a record read to its end got fewer bytes than its Content-Length
    (warcio's stream then just ends)."""
    if record is None:
        return
    left = getattr(getattr(record, "raw_stream", None), "limit", 0)
    if isinstance(left, int) and left > 0:
        raise _Truncated


def _content_type(record: Any) -> str:
    http = getattr(record, "http_headers", None)
    if http is not None:
        value = http.get_header("Content-Type") or ""
    else:
        value = record.rec_headers.get_header("Content-Type") or ""
    return value.strip().lower()
