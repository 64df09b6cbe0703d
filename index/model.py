"""The data model: frozen, slotted attrs classes shared by the engine, the app and the command line.

Character offsets (``start``/``end``) are always offsets into ``Article.text`` unless a name says
otherwise, so ``article.text[x.start:x.end]`` is the thing itself.
"""

from __future__ import annotations

from typing import Any

import attrs
import cattrs

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "MISC")
FACT_KINDS = ("QUOTE", "REPORT", "EVENT", "VALUE")


@attrs.frozen(slots=True)
class Article:
    id: str
    title: str
    date: str | None  # ISO date, YYYY-MM-DD, or None when undated
    source: str
    license: str
    path: str
    text: str


@attrs.frozen(slots=True)
class Passage:
    id: str  # "<article id>#<ordinal>"
    article_id: str
    ordinal: int
    text: str
    start: int
    end: int


@attrs.frozen(slots=True)
class Mention:
    entity_id: str
    passage_id: str
    start: int  # offsets into the article text
    end: int
    surface: str
    name: str = ""  # the canonical name of the entity
    type: str = ""  # PERSON | ORG | PLACE | MISC


@attrs.frozen(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    articles: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class When:
    text: str  # the original words ("last week"), or "" when dated by the article
    start: str | None  # ISO date of the first day
    end: str | None  # ISO date of the last day
    granularity: str  # day | week | month | quarter | year | decade | recurrence | article
    recurrence: str | None = None  # "every 3 months"
    char_start: int | None = None  # span of the words in the article text
    char_end: int | None = None


@attrs.frozen(slots=True)
class Evidence:
    passage_id: str
    start: int  # span of the evidence sentence in the article text
    end: int
    text: str


@attrs.frozen(slots=True)
class Fact:
    id: str
    kind: str
    statement: str
    who: tuple[str, ...]
    predicate: str
    object: str
    negated: bool
    date: str | None  # ISO date or prefix: 2023-10-30, 2023-10, 2022
    when: When | None
    where: tuple[str, ...]
    attributed_to: tuple[str, ...]
    article_id: str
    evidence: Evidence
    method: str = "rules"
    confidence: float = 0.5


@attrs.frozen(slots=True)
class Analysis:
    """What extraction found in one article."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()  # article-local counts; the store merges across articles
    facts: tuple[Fact, ...] = ()
    mode: str = "spacy"  # spacy | rules | off


converter = cattrs.Converter()


def to_dict(obj: Any) -> Any:
    return converter.unstructure(obj)


def from_dict(data: Any, cls: type[Any]) -> Any:
    return converter.structure(data, cls)
