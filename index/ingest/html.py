"""Web pages: the main text of a saved HTML page (boilerplate — menus, cookie banners, footers —
dropped), its title, author, publisher, canonical URL and publication date, with trafilatura
(which dates pages with htmldate; htmldate's extensive search is the fallback). Also the text of
HTML fragments (feed entries, HTML mail) and the shared rules for ids and dates of the readers of
things that come from the web."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from newsdesk.index.ingest.fields import clean, derive_title, one_line, parse_date
from newsdesk.index.ingest.problems import Item, Problem
from newsdesk.index.model import Article

# A saved page bigger than this is not a news page (trafilatura holds it whole, several times).
MAX_HTML_BYTES = 32 * 1024 * 1024

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


def read_html(path: str, f: IO[bytes], size: int) -> Iterator[Item]:
    """One article from a saved web page: its id is the file's stem.

    A page with no main text (only navigation, an empty body) is skipped with a Problem; a page
    whose date cannot be found is kept undated.
    """
    if size > MAX_HTML_BYTES:
        msg = f"web page too large ({size:,} bytes, at most {MAX_HTML_BYTES:,}), skipped"
        yield Problem(path, None, msg, True)
        return
    raw = f.read()
    m = _SAVED_FROM.search(raw[:4096])
    saved_from = m.group(1).decode("ascii", "replace") if m else ""
    page = extract_page(raw, saved_from)
    if page is None:
        yield Problem(path, None, "no main text found in the web page, skipped", True)
        return
    yield page.article(Path(path).stem, path)


class Page:
    """What trafilatura found in one page."""

    __slots__ = ("author", "date", "publisher", "text", "title", "url")

    def __init__(
        self, text: str, title: str, author: str, publisher: str, url: str, date: str | None
    ) -> None:
        self.text = text
        self.title = title
        self.author = author
        self.publisher = publisher
        self.url = url
        self.date = date

    def article(
        self, article_id: str, path: str, *, captured: str | None = None, locator: str = ""
    ) -> Article:
        return Article(
            id=article_id,
            title=self.title or derive_title(self.text),
            date=self.date,
            source=self.publisher,
            license="",
            path=path,
            text=self.text,
            url=self.url,
            publisher=self.publisher,
            author=self.author,
            captured=captured,
            locator=locator,
        )


def extract_page(raw: bytes | str, url: str = "") -> Page | None:
    """The main text and metadata of a web page, or None when it has no main text."""
    import trafilatura

    _quiet()
    doc = trafilatura.bare_extraction(
        raw, url=url or None, with_metadata=True, include_comments=False, include_tables=True
    )
    if doc is None:
        return None
    meta: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = one_line(meta.get("title"))
    text = paragraphs(meta.get("text") or "")
    if title and text.startswith(title):  # the headline repeated as the first line
        rest = clean(text[len(title) :])
        if rest:
            text = rest
    if not text or not _has_prose(text):
        return None
    date = _iso(meta.get("date"))
    if date is None:
        date = find_date(raw, url)
    return Page(
        text=text,
        title=title,
        author=one_line(meta.get("author")),
        publisher=one_line(meta.get("sitename") or meta.get("hostname")),
        url=one_line(meta.get("url") or url),
        date=date,
    )


# Main text whose every paragraph is shorter than this many words is a menu or a list of links.
MIN_PARAGRAPH_WORDS = 6


def _has_prose(text: str) -> bool:
    return any(len(p.split()) >= MIN_PARAGRAPH_WORDS for p in text.split("\n\n"))


def find_date(raw: bytes | str, url: str = "") -> str | None:
    """htmldate's extensive search (the URL, the text) for a page trafilatura could not date."""
    from htmldate import find_date as htmldate_find

    try:
        found = htmldate_find(raw, url=url or None, original_date=True, extensive_search=True)
    except Exception:  # a date library failing on odd input must not lose the page
        return None
    return _iso(found)


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's content, an HTML mail body), paragraphs
    separated by blank lines."""
    import trafilatura

    _quiet()
    if "<" not in html:
        return clean(html)
    text = trafilatura.extract(html, favor_recall=True, include_comments=False)
    if not text:  # too short for the extractor: every piece of text
        text = trafilatura.html2txt(f"<html><body>{html}</body></html>")
    return paragraphs(text or "")


def paragraphs(text: str) -> str:
    """Extracted text (one paragraph a line) with a blank line between paragraphs."""
    lines = [ln.strip() for ln in clean(text).split("\n")]
    return "\n\n".join(ln for ln in lines if ln)


def _quiet() -> None:
    """trafilatura and htmldate log what they discard; the reader reports it as a Problem."""
    for name in ("trafilatura", "htmldate", "justext", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _iso(value: Any) -> str | None:
    if not value:
        return None
    iso, _why = parse_date(str(value))
    return iso


def iso_struct(value: time.struct_time | None) -> str | None:
    """A feedparser date (a UTC struct_time) as an ISO date."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC).date().isoformat()
    except (TypeError, ValueError):
        return None


def record_id(stem: str, key: str, n: int) -> str:
    """The id of a record inside a file (a feed entry, a WARC capture, a message): the file's
    stem and 8 hex of the record's own key (guid, URL and capture time, Message-ID), so it stays
    the same when the file gains records; the ordinal when the record has no key."""
    if not key:
        return f"{stem}~{n}"
    return f"{stem}~{hashlib.sha1(key.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def unique(ids: dict[str, int], rid: str, n: int) -> str:
    """``rid``, or ``rid~n`` when another record of the same file has it already."""
    if rid in ids:
        rid = f"{rid}~{n}"
    ids[rid] = n
    return rid
