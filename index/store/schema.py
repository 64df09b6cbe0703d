"""The Whoosh schemas of the four indexes of a newsdesk folder, and their analyzers.

``passages`` (what search runs on), ``articles`` (metadata, text, content hash and the stored
extraction of each article), ``entities`` (canonical entities with aliases and counts, merged across
articles) and ``facts``. Only the classic Whoosh 2.7 API is used, so whoosh3 and whoosh-reloaded
are interchangeable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer

INDEXES = ("passages", "articles", "entities", "facts")
ENTITY_FIELDS = ("person", "org", "place", "misc")  # plus "entity", which holds them all
TYPE_FIELD = {"PERSON": "person", "ORG": "org", "PLACE": "place", "MISC": "misc"}
SEP = "\x1f"  # separates values in column fields
# Segments are written as separate files (compound=False), not one compound file: whoosh3 copies
# a compound segment's postings and term index into memory when a reader opens it (BytesIO over
# the mmap), which cost the app ~420 MB on the Reuters index; separate files are read on demand.
# Every writer passes it.
COMPOUND = False


def keyword(value: str) -> str:
    """One value of a comma-separated KEYWORD field: a comma inside it would split it in two."""
    return value.replace(",", " ")


def keywords(values: Iterable[str]) -> str:
    """The field text of several values (each escaped, sorted, no repeats)."""
    return ",".join(sorted({keyword(v) for v in values}))


def stem_analyzer() -> Any:
    return StemmingAnalyzer(cachesize=50000)


def exact_analyzer() -> Any:
    return StandardAnalyzer(stoplist=None)


def _keywords() -> fields.KEYWORD:
    return fields.KEYWORD(lowercase=True, commas=True, scorable=False)


# No field keeps Whoosh's separate spelling words (``spelling=True`` on a stemmed field analyses
# its text once more and writes a posting per word): "did you mean" reads the unstemmed words of
# the passages' ``exact`` field, which holds the same words. Dropping them from passages and facts
# cut the writing of a 5,000-article batch by a fifth (BENCH.md). A passage's ordinal and
# offsets are only read back, never searched or sorted on here: stored, not indexed (a NUMERIC
# field writes eight terms per value). Indexes written before keep both, unused.


def passage_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        article_id=fields.ID(stored=True),
        ordinal=fields.STORED(),
        start=fields.STORED(),
        end=fields.STORED(),
        text=fields.TEXT(analyzer=stem_analyzer(), stored=True, phrase=True),
        exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        title=fields.TEXT(analyzer=stem_analyzer(), stored=True, field_boost=1.5),
        title_exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True, field_boost=1.5),
        date=fields.DATETIME(stored=True),
        hash=fields.ID(stored=True),
        person=_keywords(),
        org=_keywords(),
        place=_keywords(),
        misc=_keywords(),
        entity=_keywords(),
        kind=_keywords(),
        who=_keywords(),
        ents=fields.COLUMN(columns.VarBytesColumn()),
        # near-duplicate group (the first article's id) and "1" on the passages of its copies,
        # and the provenance shown with a hit (url, page, publisher, captured, locator, path)
        group=fields.ID(stored=True),
        dup=fields.ID(),
        prov=fields.STORED(),
    )


def article_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        hash=fields.ID(stored=True),
        title=fields.STORED(),
        date=fields.STORED(),
        source=fields.STORED(),
        license=fields.STORED(),
        text=fields.STORED(),
        analysis=fields.STORED(),
        passages=fields.STORED(),
        # provenance (see model.Article) and the near-duplicate group and signature
        url=fields.STORED(),
        publisher=fields.STORED(),
        author=fields.STORED(),
        captured=fields.STORED(),
        locator=fields.STORED(),
        pages=fields.STORED(),
        group=fields.ID(stored=True),
        minhash=fields.STORED(),
    )


def entity_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        name=fields.TEXT(stored=True),
        type=fields.ID(stored=True),
        aliases=fields.TEXT(),
        names=_keywords(),
        data=fields.STORED(),
    )


def fact_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        article_id=fields.ID(stored=True),
        passage_id=fields.ID(stored=True),
        kind=_keywords(),
        who=_keywords(),
        entity=_keywords(),
        person=_keywords(),
        org=_keywords(),
        place=_keywords(),
        misc=_keywords(),
        text=fields.TEXT(analyzer=stem_analyzer()),
        exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        title=fields.TEXT(analyzer=stem_analyzer()),
        title_exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        date=fields.DATETIME(stored=True),
        data=fields.STORED(),
    )


SCHEMAS: dict[str, Callable[[], fields.Schema]] = {
    "passages": passage_schema,
    "articles": article_schema,
    "entities": entity_schema,
    "facts": fact_schema,
}
