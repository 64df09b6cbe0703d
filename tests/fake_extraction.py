"""A stand-in extractor for store and search tests: finds a fixed list of names by string search.

It lets the store be tested without spaCy (and under whoosh-reloaded) with known mentions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.index.model import Analysis, Article, Entity, Evidence, Fact, Mention, Passage

NAMES = {
    "Anne Neuberger": "PERSON",
    "Reuters": "ORG",
    "Japan": "PLACE",
    "North Korea": "PLACE",
    "Lazarus Group": "ORG",
}


def fake_analyze(article: Article, passages: Sequence[Passage]) -> Analysis:
    mentions = []
    for name, typ in NAMES.items():
        for m in re.finditer(re.escape(name), article.text):
            p = next(p for p in passages if p.start <= m.start() < p.end)
            eid = f"{typ.lower()}:{name.lower().replace(' ', '-')}"
            mentions.append(Mention(eid, p.id, m.start(), m.end(), name, name, typ))
    entities = []
    for eid in dict.fromkeys(m.entity_id for m in mentions):
        ms = [m for m in mentions if m.entity_id == eid]
        entities.append(
            Entity(eid, ms[0].name, ms[0].type, (ms[0].surface,), len(ms), (article.id,))
        )
    facts = []
    for i, m in enumerate(x for x in mentions if x.type == "PERSON"):
        p = next(p for p in passages if p.id == m.passage_id)
        facts.append(
            Fact(
                id=f"{article.id}:f{i + 1}",
                kind="QUOTE",
                statement=f"{m.name} said something",
                who=(m.name,),
                predicate="say",
                object="",
                negated=False,
                date=article.date,
                when=None,
                where=(),
                attributed_to=(m.name,),
                article_id=article.id,
                evidence=Evidence(p.id, p.start, p.end, p.text),
            )
        )
    return Analysis(article.id, tuple(mentions), tuple(entities), tuple(facts), "fake")


def fake_batch(items: Sequence[tuple[Article, Sequence[Passage]]], mode: str | None = None):
    return [fake_analyze(a, p) for a, p in items]
