"""The entity index: canonical entities merged across articles, kept in step incrementally.

Each entity document stores its aliases with the number of articles using each surface form and
its articles with their mention counts, so an article's contribution can be taken back out exactly
when it is replaced or deleted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newsdesk.index.model import Analysis, Entity
from newsdesk.index.store.codec import load_analysis
from newsdesk.index.store.schema import COMPOUND


def _empty(e: Entity) -> dict[str, Any]:
    return {"name": e.name, "type": e.type, "aliases": {}, "mentions": 0, "articles": {}}


def _add(rec: dict[str, Any], e: Entity, article_id: str, sign: int) -> None:
    rec["mentions"] += sign * e.mentions
    arts = rec["articles"]
    arts[article_id] = arts.get(article_id, 0) + sign * e.mentions
    if arts[article_id] <= 0:
        del arts[article_id]
    aliases = rec["aliases"]
    for alias in e.aliases:
        aliases[alias] = aliases.get(alias, 0) + sign
        if aliases[alias] <= 0:
            del aliases[alias]


def entity_doc(eid: str, rec: dict[str, Any]) -> dict[str, Any]:
    aliases = sorted(rec["aliases"])
    names = {rec["name"], *aliases}
    return {
        "id": eid,
        "name": rec["name"],
        "type": rec["type"],
        "aliases": " ".join(aliases),
        "names": ",".join(n.replace(",", " ") for n in sorted(names)),
        "article": ",".join(sorted(rec["articles"])),
        "data": json.dumps(rec, ensure_ascii=False, separators=(",", ":")),
    }


def apply(ix: Any, added: Sequence[Analysis], removed: Sequence[Analysis]) -> None:
    """Add the entities of new analyses and take out those of replaced ones, then commit."""
    touched: dict[str, dict[str, Any]] = {}
    ids = {e.id for a in (*added, *removed) for e in a.entities}
    if not ids:
        return
    with ix.searcher() as s:
        for eid in ids:
            stored = s.document(id=eid)
            if stored:
                touched[eid] = json.loads(stored["data"])
    for analysis, sign in [(a, -1) for a in removed] + [(a, 1) for a in added]:
        for e in analysis.entities:
            rec = touched.setdefault(e.id, _empty(e))
            if sign > 0:
                rec["name"], rec["type"] = e.name, e.type
            _add(rec, e, analysis.article_id, sign)
    w = ix.writer(compound=COMPOUND)
    try:
        for eid, rec in touched.items():
            if rec["mentions"] <= 0 or not rec["articles"]:
                w.delete_by_term("id", eid)
            else:
                w.update_document(**entity_doc(eid, rec))
    except BaseException:
        w.cancel()
        raise
    w.commit()


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
    )
