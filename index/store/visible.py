"""What a reader may show: the passages and facts of the article records it sees, nothing else.

A writer commits a batch's passages, then its facts, then its article records (four Whoosh
indexes, four commits). A reader that opens between those commits, or after a writer was killed
between them, would see passages and facts of an update whose article record is not stored
(or is still the old one). Two rules close that window:

- After every batch (and every recovery) the writer records the commit generation and segments of
  the passages, facts and articles indexes in ``committed.json``: a state known to be consistent.
- A reader reads that record, then opens the articles, facts and passages searchers, in that
  order (so the articles it sees never run ahead of the passages and facts). When their
  generations are the recorded ones, everything is visible. Otherwise it checks the documents of
  the segments the record does not list: a passage whose (article id, content hash) is not an
  article record's, and a fact that is not in the stored analysis of its article, are hidden.

The writer's recovery (``writer._recover``) uses the same check on every segment to find the
articles a killed writer left half written, and rewrites them from their stored records.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
from whoosh import query as wq

from newsdesk.index.store.codec import load_analysis, load_fact

COMMITTED = "committed.json"
# The order searchers are opened in: the article records first, so that what the passages and
# facts searchers see is never older than what the articles searcher sees.
OPEN_ORDER = ("articles", "facts", "passages", "entities")
CHECKED = ("passages", "facts", "articles")


@attrs.frozen
class Hidden:
    """Docnums a reader must not show, and the articles they belong to."""

    passages: frozenset[int] = frozenset()
    facts: frozenset[int] = frozenset()
    articles: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.passages or self.facts)


NOTHING = Hidden()


def _generation(searcher: Any) -> int | None:
    gen = searcher.reader().generation()
    return None if gen is None else int(gen)


def _segment_ids(searcher: Any) -> list[str]:
    out = []
    for sub, _offset in searcher.leaf_searchers():
        seg = sub.reader().segment()
        if seg is not None:
            out.append(str(seg.segment_id()))
    return out


def state(searchers: dict[str, Any]) -> dict[str, Any]:
    """The generation and segments of the checked indexes, as seen by these searchers."""
    return {
        name: {"gen": _generation(searchers[name]), "segments": _segment_ids(searchers[name])}
        for name in CHECKED
    }


def record_committed(path: Path, ix: dict[str, Any]) -> None:
    """Record the indexes' current state as consistent (the writer calls it after a batch)."""
    searchers = {name: ix[name].searcher() for name in CHECKED}
    try:
        data = state(searchers)
    finally:
        for s in searchers.values():
            s.close()
    tmp = path / (COMMITTED + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path / COMMITTED)


def read_committed(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((path / COMMITTED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def open_consistent(path: Path, ix: dict[str, Any]) -> tuple[dict[str, Any], Hidden]:
    """Searchers on every index, and what of them to hide (see the module's rules)."""
    committed = read_committed(path)  # before the searchers: it can only be older than them
    searchers = {name: ix[name].searcher() for name in OPEN_ORDER}
    now = state(searchers)
    if committed is not None and all(
        committed.get(n, {}).get("gen") == now[n]["gen"] for n in CHECKED
    ):
        return searchers, NOTHING
    trusted: dict[str, set[str]] = {}
    if committed is not None:
        for name in ("passages", "facts"):
            trusted[name] = set(committed.get(name, {}).get("segments") or ())
    return searchers, stale(searchers, trusted)


def _docs_by_term(reader: Any, field: str) -> dict[int, str]:
    """Segment-local docnum -> the value of an ID field (live documents only)."""
    out: dict[int, str] = {}
    if field not in reader.indexed_field_names():
        return out
    for term in reader.lexicon(field):
        value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
        for d in reader.postings(field, term).all_ids():
            out[d] = value
    return out


class _Articles:
    """Questions to the articles searcher, cached: is (id, hash) a record, its facts."""

    def __init__(self, searcher: Any) -> None:
        self.s = searcher
        self._pairs: dict[tuple[str, str], bool] = {}
        self._facts: dict[str, dict[str, Any] | None] = {}
        self._ids: dict[str, bool] = {}

    def holds(self, aid: str, hash_: str | None) -> bool:
        key = (aid, hash_ or "")
        found = self._pairs.get(key)
        if found is None:
            if hash_ is None:
                found = False
            else:
                q = wq.And([wq.Term("id", aid), wq.Term("hash", hash_)])
                found = bool(list(self.s.docs_for_query(q)))
            self._pairs[key] = found
        return found

    def has(self, aid: str) -> bool:
        if aid in self._facts:
            return self._facts[aid] is not None
        found = self._ids.get(aid)
        if found is None:
            found = self._ids[aid] = bool(list(self.s.docs_for_query(wq.Term("id", aid))))
        return found

    def facts(self, aid: str) -> dict[str, Any] | None:
        """Fact id -> Fact of the article's stored analysis; None when there is no record."""
        if aid not in self._facts:
            stored = self.s.document(id=aid)
            if stored is None:
                self._facts[aid] = None
            else:
                analysis = load_analysis(stored["analysis"]) if stored.get("analysis") else None
                self._facts[aid] = {f.id: f for f in analysis.facts} if analysis else {}
        return self._facts[aid]


def _untrusted(searcher: Any, trusted: set[str]) -> Iterable[tuple[Any, int]]:
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        seg = reader.segment()
        if seg is not None and str(seg.segment_id()) in trusted:
            continue
        yield reader, offset


def stale(searchers: dict[str, Any], trusted: dict[str, set[str]] | None = None) -> Hidden:
    """Passages and facts (in segments not trusted) that do not belong to a stored article."""
    trusted = trusted or {}
    articles = _Articles(searchers["articles"])
    bad_passages: set[int] = set()
    dirty: set[str] = set()
    for reader, offset in _untrusted(searchers["passages"], trusted.get("passages", set())):
        aids = _docs_by_term(reader, "article_id")
        hashes = _docs_by_term(reader, "hash")
        for d, aid in aids.items():
            if not articles.holds(aid, hashes.get(d)):
                bad_passages.add(offset + d)
                dirty.add(aid)
    bad_facts: set[int] = set()
    for reader, offset in _untrusted(searchers["facts"], trusted.get("facts", set())):
        for d, aid in _docs_by_term(reader, "article_id").items():
            if aid not in dirty and articles.has(aid):
                continue  # its passages are the record's, so its facts are too
            facts = articles.facts(aid)
            stored = reader.stored_fields(d) if facts else None
            if not stored or facts is None or load_fact(stored["data"]) != facts.get(stored["id"]):
                bad_facts.add(offset + d)
                dirty.add(aid)
    return Hidden(frozenset(bad_passages), frozenset(bad_facts), frozenset(dirty))


def articles_without_passages(searchers: dict[str, Any]) -> set[str]:
    """Article records none of whose passages is stored (a delete killed half way)."""
    have: set[str] = set()
    for sub, _offset in searchers["passages"].leaf_searchers():
        have.update(_docs_by_term(sub.reader(), "article_id").values())
    known: set[str] = set()
    for sub, _offset in searchers["articles"].leaf_searchers():
        known.update(_docs_by_term(sub.reader(), "id").values())
    return known - have


def close(searchers: dict[str, Any]) -> None:
    for s in searchers.values():
        with contextlib.suppress(Exception):
            s.close()
