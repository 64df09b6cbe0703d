"""The data model: frozen, slotted attrs classes shared by the engine, the app and the command line.

Character offsets (``start``/``end``) are always offsets into ``Article.text`` unless a name says
otherwise, so ``article.text[x.start:x.end]`` is the thing itself.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import attrs
import cattrs

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "MISC")
FACT_KINDS = ("QUOTE", "REPORT", "EVENT", "VALUE")
MODALITIES = ("asserted", "negated", "conditional", "hedged", "future")


@attrs.frozen(slots=True)
class Article:
    id: str
    title: str
    date: str | None  # ISO date, YYYY-MM-DD, or None when undated
    source: str
    license: str
    path: str
    text: str
    # Provenance (web pages, feeds, WARC, PDF, email; empty for the text formats): where it was
    # published or captured, who published and wrote it, when it was captured (ISO, beside the
    # publication ``date``), where in the file it was read ("entry 3", "record 12", "message 2"),
    # the offset in ``text`` where each PDF page starts (page 1 first), and its near-duplicate
    # group: the id of the first article of the group ("" or its own id when it has no copies).
    url: str = ""
    publisher: str = ""
    author: str = ""
    captured: str | None = None
    locator: str = ""
    pages: tuple[int, ...] = ()
    group: str = ""

    def page_at(self, offset: int) -> int | None:
        """The PDF page (from 1) that holds character ``offset`` of the text; None if no pages."""
        if not self.pages:
            return None
        return max(1, bisect_right(self.pages, offset))


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
    role: str = ""  # the title or role written with this mention ("Deputy Secretary of Commerce")


@attrs.frozen(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    articles: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # titles and roles its mentions were written with


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
    # the names in ``who`` that are sources, not entities ("officials", "a source familiar with
    # the matter", "the report"): kept as the text names them, never in the entity tabs
    sources: tuple[str, ...] = ()
    # What qualifies it besides ``negated`` (extract.facts.modality): the statement is under a
    # condition ("… if Boeing is indicted"), hedged ("nearly", "may", "reportedly"), or spoken of
    # as ahead ("will", "plans to"). Independent flags, since they combine ("will not", "would
    # … if"); ``modality`` names the one that matters most. Defaults keep older stored analyses
    # loading (read as asserted).
    conditional: bool = False
    hedged: bool = False
    future: bool = False
    qualified_by: str = ""  # the words that qualify it: "if Boeing is indicted; will"

    @property
    def qualifiers(self) -> tuple[str, ...]:
        """The qualifiers that apply, in the order of ``MODALITIES`` (negated first)."""
        flags = (self.negated, self.conditional, self.hedged, self.future)
        return tuple(q for q, on in zip(MODALITIES[1:], flags, strict=True) if on)

    @property
    def modality(self) -> str:
        """asserted | negated | conditional | hedged | future: the first qualifier that applies
        (a negation or condition changes what is true more than a hedge or a time ahead)."""
        q = self.qualifiers
        return q[0] if q else "asserted"


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
