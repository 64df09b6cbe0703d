"""Readers, the public entry point: ``read_paths``/``read_file`` turn files and folders into
:class:`Article` objects and :class:`Problem` warnings, walking the paths (``walk``), choosing a
reader per file (``text`` for text and Markdown, ``records`` for JSON and JSON Lines, ``html`` for
saved web pages, ``feeds`` for RSS and Atom, ``warc`` for web archives, ``pdf``, ``mail`` for
``.eml`` and ``.mbox``) and capping the Problems per file; the limits below are read at call
time, so patching them here works."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from newsdesk.index.ingest.decoding import SNIFF_BYTES, sniff
from newsdesk.index.ingest.feeds import read_feed
from newsdesk.index.ingest.fields import derive_title, parse_date, shorten
from newsdesk.index.ingest.html import read_html
from newsdesk.index.ingest.mail import read_eml, read_mbox
from newsdesk.index.ingest.pdf import read_pdf
from newsdesk.index.ingest.problems import Item, Problem, SourceError, capped
from newsdesk.index.ingest.records import read_json, read_jsonl
from newsdesk.index.ingest.text import read_text
from newsdesk.index.ingest.walk import check_top, walk
from newsdesk.index.ingest.warc import is_warc, read_warc

__all__ = [
    "ARTICLE_SUFFIXES",
    "FEED_SUFFIXES",
    "HTML_SUFFIXES",
    "MAIL_SUFFIXES",
    "MBOX_SUFFIXES",
    "PDF_SUFFIXES",
    "WARC_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "LARGE_TEXT_BYTES",
    "MARKDOWN_SUFFIXES",
    "MAX_PROBLEMS_PER_FILE",
    "TEXT_SUFFIXES",
    "Item",
    "Problem",
    "SourceError",
    "derive_title",
    "parse_date",
    "read_file",
    "read_paths",
    "shorten",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
WARC_SUFFIXES = frozenset({".warc", ".arc"})  # also gzipped: .warc.gz, .arc.gz (see is_warc)
PDF_SUFFIXES = frozenset({".pdf"})
MAIL_SUFFIXES = frozenset({".eml"})
MBOX_SUFFIXES = frozenset({".mbox", ".mbx"})
WEB_SUFFIXES = (
    HTML_SUFFIXES | FEED_SUFFIXES | WARC_SUFFIXES | PDF_SUFFIXES | MAIL_SUFFIXES | MBOX_SUFFIXES
)
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | WEB_SUFFIXES

LARGE_TEXT_BYTES = 4 * 1024 * 1024
MAX_PROBLEMS_PER_FILE = 100


def read_paths(paths: Sequence[str | Path]) -> Iterator[Item]:
    """Articles and Problems from files and folders, in a deterministic order.

    Raises SourceError at once (before anything is read) if a top-level path does not exist.
    Then Articles and Problem warnings come interleaved; a bad file never stops the batch, it
    becomes a Problem naming the file (and the line, for JSON Lines). Article ids are NOT
    de-duplicated across files (the build does that). Inside folders, files with an extension
    that is not an article's (``.png``, ``.py``, a corpus' ``manifest.tsv`` ...) are not opened
    and each gives a Problem ``not an article file (.tsv), skipped``; a file named explicitly is
    read whatever its extension, if its content is text. Binary, empty or whitespace-only and
    unreadable files are skipped with a Problem. At most ``MAX_PROBLEMS_PER_FILE`` problems are
    reported per file; the rest are counted in one final Problem for that file. Text from
    articles is data: it is never interpreted.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    errors = [err for err in (check_top(p) for p in paths) if err]
    if errors:
        raise SourceError("; ".join(errors))
    return _read_all([str(p) for p in paths])


def read_file(path: str | Path) -> Iterator[Item]:
    """Articles and Problems from one file (whatever its extension, if it is text).

    A folder is read like ``read_paths([path])``. Raises SourceError if the path does not exist.
    """
    return read_paths([path])


def _read_all(paths: list[str]) -> Iterator[Item]:
    for found in walk(paths):
        if isinstance(found, Problem):
            yield found
            continue
        try:
            yield from _read_file(*found)
        except Exception as e:  # a reader bug must not lose the rest of the batch
            msg = f"could not read ({type(e).__name__}: {e}), skipped"
            yield Problem(found.path, None, msg, True)


def _read_file(path: str, in_folder: bool, size: int) -> Iterator[Item]:
    """One file, its format chosen by extension and then by content.

    ``.jsonl``/``.ndjson`` and ``.json`` are records; ``.md``/``.markdown`` Markdown; web
    pages, feeds, WARC archives, PDF and email by their extensions (``WEB_SUFFIXES``,
    ``.warc.gz``); anything else (``.txt``, ``.text``, no extension, or an explicitly named
    file) text.
    """
    suffix = Path(path).suffix.lower()
    warc = is_warc(path)
    if in_folder and suffix not in ARTICLE_SUFFIXES and not warc:
        yield Problem(path, None, f"not an article file ({suffix}), skipped", True)
        return
    if suffix in MBOX_SUFFIXES:
        yield from capped(path, read_mbox(path), MAX_PROBLEMS_PER_FILE)
        return
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        yield Problem(path, None, f"cannot read: {e.strerror}, skipped", True)
        return
    with f:
        if warc or suffix in WEB_SUFFIXES:
            if not size:
                yield Problem(path, None, "empty file, skipped", True)
                return
            yield from capped(path, _read_web(path, f, size, suffix, warc), MAX_PROBLEMS_PER_FILE)
            return
        try:
            head = f.read(SNIFF_BYTES)
            f.seek(0)
        except OSError as e:
            yield Problem(path, None, f"cannot read: {e.strerror}, skipped", True)
            return
        encoding, why = sniff(head)
        if encoding is None:
            if suffix not in ARTICLE_SUFFIXES:
                why = f"not an article file ({suffix}): {why}"
            yield Problem(path, None, why, True)
            return
        if suffix in JSONL_SUFFIXES or suffix in JSON_SUFFIXES:
            reader = read_jsonl if suffix in JSONL_SUFFIXES else read_json
            items = reader(path, f, encoding, size, large=LARGE_TEXT_BYTES)
            yield from capped(path, items, MAX_PROBLEMS_PER_FILE)
        else:
            markdown = suffix in MARKDOWN_SUFFIXES
            yield from read_text(path, f, encoding, size, markdown, large=LARGE_TEXT_BYTES)


def _read_web(path: str, f: BinaryIO, size: int, suffix: str, warc: bool) -> Iterator[Item]:
    """The formats news comes in, each read by the library made for it (from the raw bytes:
    they carry their own encodings)."""
    if warc:
        return read_warc(path, f)
    if suffix in PDF_SUFFIXES:
        return read_pdf(path, f, size)
    if suffix in FEED_SUFFIXES:
        return read_feed(path, f, size)
    if suffix in MAIL_SUFFIXES:
        return read_eml(path, f, size)
    return read_html(path, f, size)
