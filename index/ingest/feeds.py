"""RSS and Atom feeds, with feedparser: one article per entry, its full text when the feed carries
it (``content:encoded``, Atom ``content``), else its summary; the entry's link, author and date,
and the feed's title as the publisher."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsdesk.index.ingest.fields import one_line
from newsdesk.index.ingest.html import fragment_text, iso_struct, record_id, unique
from newsdesk.index.ingest.problems import Item, Problem
from newsdesk.index.model import Article

# feedparser holds the whole feed in memory; a feed is a few hundred kB.
MAX_FEED_BYTES = 64 * 1024 * 1024


def read_feed(path: str, f: IO[bytes], size: int) -> Iterator[Item]:
    """Articles from an RSS or Atom file.

    A feed feedparser cannot read at all (not XML, no entries) is a Problem; a malformed feed
    whose entries could still be read keeps them with a Problem saying so; an entry with no
    text is skipped with a Problem naming the entry.
    """
    import feedparser

    if size > MAX_FEED_BYTES:
        msg = f"feed too large ({size:,} bytes, at most {MAX_FEED_BYTES:,}), skipped"
        yield Problem(path, None, msg, True)
        return
    d = feedparser.parse(f.read(), sanitize_html=True, resolve_relative_uris=True)
    entries = d.get("entries") or []
    feed = d.get("feed") or {}
    if d.get("bozo"):
        why = _why(d.get("bozo_exception"))
        if not entries:
            yield Problem(path, _line(d), f"malformed feed ({why}), skipped", True)
            return
        msg = f"malformed feed ({why}); the {len(entries)} entries read before it are kept"
        yield Problem(path, _line(d), msg, False)
    elif not entries:
        what = "no entries" if feed or d.get("version") else "not an RSS or Atom feed"
        yield Problem(path, None, f"{what}, skipped", True)
        return
    publisher = one_line(feed.get("title"))
    stem = Path(path).stem
    ids: dict[str, int] = {}
    for n, entry in enumerate(entries, start=1):
        text = _text(entry)
        if not text:
            yield Problem(path, None, f"entry {n} has no text, skipped", True)
            continue
        url = one_line(entry.get("link"))
        key = one_line(entry.get("id")) or url
        date = iso_struct(entry.get("published_parsed") or entry.get("updated_parsed"))
        title = one_line(entry.get("title"))
        yield Article(
            id=unique(ids, record_id(stem, key, n), n),
            title=title or one_line(text.split("\n", 1)[0])[:120],
            date=date,
            source=publisher,
            license=one_line(entry.get("rights") or feed.get("rights")),
            path=path,
            text=text,
            url=url,
            publisher=publisher,
            author=one_line(entry.get("author")),
            locator=f"entry {n}",
        )


def _text(entry: Any) -> str:
    """The entry's full text when the feed carries it, else its summary."""
    best = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = entry.get("summary") or ""
    html = best if len(best) >= len(summary) else summary
    return fragment_text(html) if html.strip() else ""


def _why(exc: Any) -> str:
    msg = one_line(getattr(exc, "getMessage", lambda: str(exc))()) if exc else "unknown error"
    return msg[:160] or type(exc).__name__


def _line(d: Any) -> int | None:
    exc = d.get("bozo_exception")
    getline = getattr(exc, "getLineNumber", None)
    try:
        return int(getline()) if getline else None
    except Exception:
        return None
