"""The entity index: canonical entities merged across articles, kept in step incrementally.

Each entity document stores its aliases with the number of articles using each surface form and
its articles with their mention counts, so an article's contribution can be taken back out exactly
when it is replaced or deleted.

People named by one word are linked to the one full name the corpus holds for it (``link``,
called by the writer before an article's documents are made): an article that says only 'Obama'
is written with 'Barack Obama' when the index and the batch hold exactly one PERSON whose name
ends with 'Obama'. When a batch brings the first such full name, the articles already stored with
the one-word person are written again, linked. A link is decided when an article is written and
stays: a later 'Michelle Obama' makes new one-word 'Obama' articles stay 'Obama', and does not
unlink the ones written before (``newsdesk index`` on those files again, after a change, decides
anew).
"""

from __future__ import annotations

import json
import weakref
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from newsdesk.index.model import Analysis, Article, Entity, Passage
from newsdesk.index.seam import ArticleRecord
from newsdesk.index.store.codec import load_analysis
from newsdesk.index.store.schema import COMPOUND


def _empty(e: Entity) -> dict[str, Any]:
    return {
        "name": e.name,
        "type": e.type,
        "aliases": {},
        "mentions": 0,
        "articles": {},
        "roles": {},
    }


def _add(rec: dict[str, Any], e: Entity, article_id: str, sign: int) -> None:
    rec["mentions"] += sign * e.mentions
    arts = rec["articles"]
    arts[article_id] = arts.get(article_id, 0) + sign * e.mentions
    if arts[article_id] <= 0:
        del arts[article_id]
    for field, values in (("aliases", e.aliases), ("roles", e.roles)):
        counts = rec.setdefault(field, {})
        for value in values:
            counts[value] = counts.get(value, 0) + sign
            if counts[value] <= 0:
                del counts[value]


def _gone(rec: dict[str, Any]) -> bool:
    """An entity no stored article mentions any more (its document is deleted)."""
    return rec["mentions"] <= 0 or not rec["articles"]


def entity_doc(eid: str, rec: dict[str, Any]) -> dict[str, Any]:
    # The articles are in ``data`` only: indexing them as keywords (an entity of 5,000 articles
    # written again with each batch) cost a third of the entity store's time, and nothing
    # searched them (an article's entities come from its stored analysis).
    aliases = sorted(rec["aliases"])
    names = {rec["name"], *aliases}
    return {
        "id": eid,
        "name": rec["name"],
        "type": rec["type"],
        "aliases": " ".join(aliases),
        "names": ",".join(n.replace(",", " ") for n in sorted(names)),
        "data": json.dumps(rec, ensure_ascii=False, separators=(",", ":")),
    }


@attrs.define
class Records:
    """The entity records one writer has read or written in its run (it holds the lock, so they
    stay what is stored): each batch looks up only the entities it has not seen, in every segment
    of the index. ``complete`` when the index was empty at the first batch: then an entity not
    here is not stored anywhere (a new index's build looks nothing up)."""

    recs: dict[str, dict[str, Any] | None] = attrs.field(factory=dict)
    complete: bool | None = None


def apply(
    ix: Any,
    added: Sequence[Analysis],
    removed: Sequence[Analysis],
    records: Records | None = None,
) -> None:
    """Add the entities of new analyses and take out those of replaced ones, then commit."""
    touched: dict[str, dict[str, Any]] = {}
    ids = {e.id for a in (*added, *removed) for e in a.entities}
    if not ids:
        return
    known = records if records is not None else Records()
    if known.complete is None:
        known.complete = ix.doc_count_all() == 0
    missing = []
    for eid in ids:
        if eid not in known.recs:
            missing.append(eid)
        elif (rec := known.recs[eid]) is not None:
            touched[eid] = rec  # changed in place: the cache is dropped if the commit fails
    if missing and not known.complete:
        with ix.searcher() as s:
            for eid in missing:
                stored = s.document(id=eid)
                if stored:
                    touched[eid] = json.loads(stored["data"])
    for analysis, sign in [(a, -1) for a in removed] + [(a, 1) for a in added]:
        for e in analysis.entities:
            rec = touched.setdefault(e.id, _empty(e))
            if sign > 0:
                rec["name"], rec["type"] = e.name, e.type
            _add(rec, e, analysis.article_id, sign)
    try:
        w = ix.writer(compound=COMPOUND)
        try:
            for eid, rec in touched.items():
                if _gone(rec):
                    w.delete_by_term("id", eid)
                elif eid in known.recs or not known.complete:
                    w.update_document(**entity_doc(eid, rec))
                else:  # new to an index that was empty: nothing to replace
                    w.add_document(**entity_doc(eid, rec))
        except BaseException:
            w.cancel()
            raise
        w.commit()
    except BaseException:
        known.recs.clear()  # what is stored is unknown again
        known.complete = False
        raise
    for eid, rec in touched.items():
        known.recs[eid] = None if _gone(rec) else rec
    people = _PEOPLE.get(ix)
    if people is not None:  # keep the cached full names in step
        from newsdesk.index.extract.entities.resolve import surname  # noqa: PLC0415 - writer only

        for rec in touched.values():
            last = surname(rec["name"]) if rec["type"] == "PERSON" else None
            if not last:
                continue
            if _gone(rec):
                people[last].discard(rec["name"])
            else:
                people[last].add(rec["name"])


def rebuild(ixs: dict[str, Any]) -> None:
    """Recount every entity from the analyses stored with the articles (after a crash)."""
    recs: dict[str, dict[str, Any]] = {}
    with ixs["articles"].searcher() as s:
        for fields in s.all_stored_fields():
            if not fields.get("analysis"):
                continue
            analysis = load_analysis(fields["analysis"])
            for e in analysis.entities:
                _add(recs.setdefault(e.id, _empty(e)), e, analysis.article_id, 1)
    _PEOPLE.pop(ixs["entities"], None)
    w = ixs["entities"].writer(compound=COMPOUND)
    try:
        from whoosh.query import Every

        w.delete_by_query(Every())
        for eid, rec in recs.items():
            if rec["mentions"] > 0:
                w.add_document(**entity_doc(eid, rec))
    except BaseException:
        w.cancel()
        raise
    w.commit()


def entity_from_stored(fields: dict[str, Any], article: str | None = None) -> Entity:
    rec = json.loads(fields["data"])
    arts: dict[str, int] = rec["articles"]
    mentions = arts.get(article, 0) if article else rec["mentions"]
    return Entity(
        id=fields["id"],
        name=rec["name"],
        type=rec["type"],
        aliases=tuple(sorted(rec["aliases"])),
        mentions=mentions,
        articles=tuple(sorted(arts)),
        roles=tuple(sorted(rec.get("roles", ()))),
    )


# -- one-word people linked to the corpus's one full name ------------------------------------------

# The full PERSON names of an entity index by surname, read once per open index and kept in step
# by ``apply``.
_PEOPLE: weakref.WeakKeyDictionary[Any, dict[str, set[str]]] = weakref.WeakKeyDictionary()

Stored = tuple[Article, list[Passage], str, Analysis | None]


def _people(ix: Any) -> dict[str, set[str]]:
    # the extraction package is imported by writers only: a reader (the app) never loads it
    from newsdesk.index.extract.entities.resolve import surname  # noqa: PLC0415

    people = _PEOPLE.get(ix)
    if people is None:
        people = defaultdict(set)
        with ix.searcher() as s:
            for fields in s.documents(type="PERSON"):
                last = surname(fields["name"])
                if last:
                    people[last].add(fields["name"])
        _PEOPLE[ix] = people
    return people


def link(
    ix: Any, records: Sequence[ArticleRecord], stored: Callable[[str], Stored | None]
) -> list[ArticleRecord]:
    """The batch with its one-word people linked to the corpus's full names, followed by the
    stored articles that must be written again because this batch brings the first full name
    for a one-word person they hold (``stored(article id)`` reads one back)."""
    from newsdesk.index.extract.entities.names import entity_id  # noqa: PLC0415 - writer only
    from newsdesk.index.extract.entities.resolve import full_names, link_people  # noqa: PLC0415

    known = _people(ix)
    batch = full_names(r.analysis for r in records if r.analysis is not None)
    people = {k: set(v) for k, v in known.items() if v}
    for last, names in batch.items():
        people.setdefault(last, set()).update(names)
    out = [
        attrs.evolve(r, analysis=link_people(r.analysis, people)) if r.analysis is not None else r
        for r in records
    ]
    fresh = [last for last in batch if len(people[last]) == 1 and not known.get(last)]
    if not fresh:
        return out
    ids = {r.article.id for r in records}
    again: set[str] = set()
    with ix.searcher() as s:
        for last in fresh:
            doc = s.document(id=entity_id(last, "PERSON"))
            if doc:
                again.update(a for a in json.loads(doc["data"])["articles"] if a not in ids)
    for aid in sorted(again):
        rec = stored(aid)
        if rec is None:
            continue
        article, passages, hash_, analysis = rec
        if analysis is None:
            continue
        linked = link_people(analysis, people)
        if linked is not analysis:
            out.append(ArticleRecord(article, hash_, tuple(passages), linked, existed=True))
    return out
