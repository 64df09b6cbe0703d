"""The engine seam: what the app, the command line and the builder may ask of a storage engine.

Two abstract protocols, in the style of Harlequin's adapter base classes:

- :class:`Reader`: search (one :class:`SearchRequest` value, which is also the app's stale-check
  token, the message sent to the search process and the facet cache key), highlights, facets,
  suggestions, and lookups of articles, passages, entities and facts;
- :class:`Writer`: add, replace and delete articles with their passages, mentions and facts,
  keep entity counts, commit, and say which articles (and content hashes) the index holds.

Engines implement both (Whoosh in ``newsdesk.index.store`` and ``newsdesk.index.search``), and
``newsdesk.index.engines`` opens the one a location names. The values here are engine-neutral:
every engine returns the same shapes, and the JSON the command line prints is built from them.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from newsdesk.index.model import Analysis, Article, Entity, Fact, Mention, Passage


@attrs.frozen(slots=True)
class Span:
    """A character span in a text (a hit, in a passage or a snippet)."""

    start: int
    end: int


# -- reading ---------------------------------------------------------------------------------------


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(names)


@attrs.frozen(slots=True)
class SearchRequest:
    """One search: the query text, the entity filters and the page wanted.

    Frozen and hashable: the app compares the request of a result with its current one to drop
    stale results, sends it as is to the search process, and ``scope`` keys the facet cache.
    """

    text: str
    entities: tuple[str, ...] = attrs.field(default=(), converter=_names)
    limit: int = 20
    offset: int = 0
    facets: bool = True
    highlight: bool = True

    @property
    def scope(self) -> tuple[str, tuple[str, ...]]:
        """What decides the set of matching passages (not the page, nor what is computed)."""
        return (self.text, self.entities)

    def page(self, offset: int, limit: int) -> SearchRequest:
        """The same search, another page."""
        return attrs.evolve(self, offset=offset, limit=limit)


@attrs.frozen(slots=True)
class Hit:
    rank: int
    article_id: str
    passage_id: str
    title: str
    date: str | None
    score: float
    text: str
    highlights: tuple[Span, ...]
    snippet: str
    snippet_highlights: tuple[Span, ...]
    ordinal: int
    start: int  # the passage's span in the article text
    end: int
    # Near-duplicates: how many other articles of this hit's group search folded into it
    # (Reader.copies lists them), and the group's id.
    copies: int = 0
    group: str = ""
    # Provenance (web pages, feeds, WARC, PDF, email): where it was published or captured, the
    # PDF page of the passage, the publisher, the capture date, the record in its file.
    url: str = ""
    page: int | None = None
    publisher: str = ""
    captured: str | None = None
    locator: str = ""

    def as_json(self) -> dict[str, Any]:
        """The design's keys, then what is known of the hit's copies and provenance (``copies``,
        ``url``, ``page``, ``publisher``, ``captured``, ``locator``: present when set, so a hit
        from a text file keeps the original shape)."""
        out = self._base_json()
        extra = {
            "copies": self.copies,
            "url": self.url,
            "page": self.page,
            "publisher": self.publisher,
            "captured": self.captured,
            "locator": self.locator,
        }
        out.update((k, v) for k, v in extra.items() if v)
        return out

    def _base_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "passage_id": self.passage_id,
            "title": self.title,
            "date": self.date,
            "score": round(self.score, 4),
            "text": self.text,
            "highlights": [
                {"start": s.start, "end": s.end, "text": self.text[s.start : s.end]}
                for s in self.highlights
            ],
        }


@attrs.frozen(slots=True)
class FacetRow:
    id: str
    name: str
    type: str
    count: int


@attrs.frozen(slots=True)
class SearchResult:
    request: SearchRequest
    hits: tuple[Hit, ...] = ()
    total: int = 0
    facets: dict[str, tuple[FacetRow, ...]] = attrs.Factory(dict)
    error: str | None = None
    suggestion: str | None = None
    fallback: bool = False  # no passage held every word: ranked as a scored OR
    elapsed_ms: float = 0.0
    # The query's terms by field, as the engine matched them: marks hits in a passage opened
    # later (Reader.highlights) without parsing the query again.
    terms: dict[str, frozenset[str]] = attrs.Factory(dict)

    @property
    def query(self) -> str:
        return self.request.text


@attrs.frozen(slots=True)
class Stats:
    articles: int
    passages: int
    entities: int
    facts: int
    nlp: str


@attrs.frozen(slots=True)
class ArticleView:
    """An article with its passages, entity mentions and facts, from one read of the store."""

    article: Article
    passages: tuple[Passage, ...]
    mentions: tuple[Mention, ...]
    facts: tuple[Fact, ...] = ()


class Reader(abc.ABC):
    """Read access to an index."""

    location: str  # the folder or URL, as shown to people

    @property
    @abc.abstractmethod
    def generation(self) -> int:
        """Counts the times refresh() picked up new commits."""

    @abc.abstractmethod
    def refresh(self) -> bool:
        """Pick up commits made by another process; True when something changed."""

    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def stats(self) -> Stats: ...

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Ranked hits with highlights, the total, entity facets, and a suggestion when none."""

    @abc.abstractmethod
    def highlights(self, text: str, terms: dict[str, frozenset[str]]) -> list[Span]:
        """Hit spans in any text (a passage shown in full) of a result's query terms."""

    @abc.abstractmethod
    def suggest(self, text: str) -> str | None:
        """'Did you mean': the query with unknown words replaced by near ones, or None."""

    @abc.abstractmethod
    def article(self, article_id: str) -> Article | None: ...

    @abc.abstractmethod
    def passages(self, article_id: str) -> list[Passage]: ...

    @abc.abstractmethod
    def passage(self, passage_id: str) -> Passage | None: ...

    @abc.abstractmethod
    def article_view(self, article_id: str) -> ArticleView | None: ...

    @abc.abstractmethod
    def analysis(self, article_id: str) -> Analysis | None:
        """The stored extraction of an article (its entities, mentions and facts)."""

    def copies(self, article_id: str) -> list[Article]:
        """The other articles of an article's near-duplicate group (the copies a hit folds in),
        in id order; none for an engine that does not group them."""
        return []

    @abc.abstractmethod
    def resolve_entity(self, name: str) -> Entity | None:
        """The canonical entity a name or alias stands for (the one with most mentions)."""

    @abc.abstractmethod
    def entities(self, type: str | None = None, article: str | None = None) -> list[Entity]: ...

    @abc.abstractmethod
    def facts(
        self,
        query: str | None = None,
        entity: str | None = None,
        article: str | None = None,
        passage: str | None = None,
        limit: int | None = None,
    ) -> list[Fact]: ...


# -- writing ---------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class ArticleRecord:
    """One article as the builder hands it to a writer: everything the index keeps of it."""

    article: Article
    hash: str  # the content hash that decides whether a later run must write it again
    passages: tuple[Passage, ...]
    analysis: Analysis | None  # None when the build runs without extraction
    existed: bool  # the index held this id before: replace it


@attrs.frozen(slots=True)
class Known:
    """What the index holds of one article: its content hash and where it was read from."""

    hash: str
    path: str
    group: str = ""  # its near-duplicate group (ingest.dedupe), "" when not recorded
    sig: bytes = b""  # its duplicate signature (ingest.dedupe.signature), b"" when not recorded


class Writer(abc.ABC):
    """Write access to an index. A context manager: one writer at a time holds the index."""

    location: str

    @abc.abstractmethod
    def __enter__(self) -> Writer:
        """Take the index (waiting for another writer as configured) and mend a killed run."""

    @abc.abstractmethod
    def __exit__(self, *exc: object) -> None: ...

    @abc.abstractmethod
    def known(self) -> dict[str, Known]:
        """Every article the index holds, by id."""

    @abc.abstractmethod
    def write(self, records: Sequence[ArticleRecord]) -> None:
        """Add or replace these articles with their passages, mentions and facts, keep the
        entity counts, and commit: after it returns, a reader sees all of them."""

    @abc.abstractmethod
    def delete(self, ids: Sequence[str]) -> None:
        """Remove these articles with everything extracted from them, and commit."""

    @abc.abstractmethod
    def finish(self, nlp: str) -> None:
        """Record the run (the extraction mode, the time) once every batch is written."""
