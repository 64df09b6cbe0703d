"""The Whoosh documents of one article: its passages (with the entity and fact keywords search
filters on), its facts and its article record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from newsdesk.index.ingest.dedupe import signature
from newsdesk.index.model import Analysis, Article, Fact, Passage
from newsdesk.index.store.codec import dump_analysis, dump_fact
from newsdesk.index.store.schema import SEP, TYPE_FIELD, keyword, keywords


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return None


def passage_docs(
    article: Article, passages: Sequence[Passage], hash_: str, analysis: Analysis | None
) -> Iterator[dict[str, Any]]:
    """The documents of an article's passages. Mentions and facts are grouped by passage once
    per article, not scanned again for each passage."""
    when = _date(article.date)
    group = article.group or article.id
    copy = group != article.id
    mentions: dict[str, list[Any]] = defaultdict(list)
    facts: dict[str, list[Fact]] = defaultdict(list)
    if analysis is not None:
        for m in analysis.mentions:
            mentions[m.passage_id].append(m)
        for f in analysis.facts:
            facts[f.evidence.passage_id].append(f)
    for passage in passages:
        doc: dict[str, Any] = {
            "id": passage.id,
            "article_id": article.id,
            "ordinal": passage.ordinal,
            "start": passage.start,
            "end": passage.end,
            "text": passage.text,
            "exact": passage.text,
            "title": article.title,
            "title_exact": article.title,
            "hash": hash_,
            "group": group,
            "prov": _provenance(article, passage),
        }
        if copy:
            doc["dup"] = "1"
        if when is not None:
            doc["date"] = when
        if analysis is not None:
            _entity_fields(doc, mentions.get(passage.id, ()), facts.get(passage.id, ()))
            if copy:  # facets count a group once: its copies' passages add no entity counts
                doc.pop("ents", None)
        yield doc


def _provenance(article: Article, passage: Passage) -> dict[str, Any]:
    """What a hit shows of where its passage comes from (only what is known)."""
    prov: dict[str, Any] = {"path": article.path}
    for key in ("url", "publisher", "captured", "locator"):
        value = getattr(article, key)
        if value:
            prov[key] = value
    page = article.page_at(passage.start)
    if page is not None:
        prov["page"] = page
    return prov


def _entity_fields(doc: dict[str, Any], mentions: Sequence[Any], facts: Sequence[Fact]) -> None:
    by_type: dict[str, set[str]] = defaultdict(set)
    ids: list[str] = []
    for m in mentions:
        by_type[TYPE_FIELD.get(m.type, "misc")].add(keyword(m.name))
        if m.entity_id not in ids:
            ids.append(m.entity_id)
    for field, names in by_type.items():
        doc[field] = keywords(names)
    every = set().union(*by_type.values()) if by_type else set()
    if every:
        doc["entity"] = keywords(every)
    if ids:
        doc["ents"] = SEP.join(ids).encode("utf-8")
    kinds = {f.kind for f in facts}
    who = {w for f in facts for w in f.who}
    if kinds:
        doc["kind"] = keywords(kinds)
    if who:
        doc["who"] = keywords(who)


def fact_doc(article: Article, fact: Fact, types: dict[str, str]) -> dict[str, Any]:
    """The document of one fact (types: entity name -> type, of the article's mentions)."""
    doc: dict[str, Any] = {
        "id": fact.id,
        "article_id": article.id,
        "passage_id": fact.evidence.passage_id,
        "kind": fact.kind,
        "text": f"{fact.statement}\n{fact.evidence.text}",
        "exact": fact.evidence.text,
        "title": article.title,
        "title_exact": article.title,
        "data": dump_fact(fact),
    }
    who = [keyword(w) for w in fact.who]
    if who:
        doc["who"] = ",".join(who)
    involved = set(who) | {keyword(w) for w in fact.where}
    if involved:
        doc["entity"] = ",".join(sorted(involved))
    by_type: dict[str, set[str]] = defaultdict(set)
    for name in involved:
        t = types.get(name)
        if t:
            by_type[TYPE_FIELD.get(t, "misc")].add(name)
    for field, vals in by_type.items():
        doc[field] = ",".join(sorted(vals))
    when = _date(fact.date if fact.date and len(fact.date) == 10 else None) or _date(
        (fact.when.start if fact.when else None) or article.date
    )
    if when is not None:
        doc["date"] = when
    return doc


def fact_docs(article: Article, analysis: Analysis) -> Iterator[dict[str, Any]]:
    types = {m.name: m.type for m in analysis.mentions}
    for fact in analysis.facts:
        yield fact_doc(article, fact, types)


def article_doc(
    article: Article, hash_: str, passages: Sequence[Passage], analysis: Analysis | None
) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "hash": hash_,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "license": article.license,
        "text": article.text,
        "passages": [[p.start, p.end] for p in passages],
        "analysis": dump_analysis(analysis) if analysis is not None else "",
        "url": article.url,
        "publisher": article.publisher,
        "author": article.author,
        "captured": article.captured,
        "locator": article.locator,
        "pages": list(article.pages),
        "group": article.group or article.id,
        "minhash": signature(article.text),
    }


def stored_provenance(f: dict[str, Any]) -> dict[str, Any]:
    """The provenance fields of an Article from its stored article record (an index written
    before they existed gives the defaults)."""
    return {
        "url": f.get("url") or "",
        "publisher": f.get("publisher") or "",
        "author": f.get("author") or "",
        "captured": f.get("captured") or None,
        "locator": f.get("locator") or "",
        "pages": tuple(f.get("pages") or ()),
        # an article alone in its group is stored with its own id (so copies can join it later)
        # and read back as written, with no group
        "group": "" if f.get("group") in (None, "", f.get("id")) else f["group"],
    }
