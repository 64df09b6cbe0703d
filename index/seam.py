"""The engine seam: what the app, the command line and the builder may ask of a storage engine.

Two abstract protocols, in the style of Harlequin's adapter base classes:

- :class:`Reader`: search (one :class:`SearchRequest` value, which is also the app's stale-check
  token, the message sent to the search process and the facet cache key), highlights, facets,
  suggestions, and lookups of articles, passages, entities and facts; the user's corrections
  (``corrections``, ``correct``, ``uncorrect``: kept beside the index, applied as it is read);
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

from newsdesk.index.corrections import (
    NONE,
    Correction,
    Corrections,
    CorrectionStore,
    check_type,
    next_number,
    now,
    split_id,
)
from newsdesk.index.errors import NewsdeskError
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
    # The date facet, counted with the entity facets: matching passages by their article's month
    # ("2023-11"), in month order; undated passages are not counted.
    months: dict[str, int] = attrs.Factory(dict)

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

    def passage(self, passage_id: str) -> Passage | None:
        """One passage by its id (``<article id>#<ordinal>``), from its article's passages."""
        article_id, _, n = passage_id.rpartition("#")
        for p in self.passages(article_id):
            if str(p.ordinal) == n:
                return p
        return None

    @abc.abstractmethod
    def article_view(self, article_id: str) -> ArticleView | None: ...

    @abc.abstractmethod
    def analysis(self, article_id: str) -> Analysis | None:
        """The stored extraction of an article (its entities, mentions and facts)."""

    def analyses(self, article_ids: Sequence[str]) -> list[Analysis]:
        """The stored extractions of many articles (those without one left out); an engine
        that can read them in one request overrides it."""
        return [a for a in map(self.analysis, article_ids) if a is not None]

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

    # -- corrections by the user (index/corrections.py) --------------------------------------------
    # Kept beside the index by the engine (its correction_store), never by a Writer: making one
    # needs no index lock and indexing again leaves them alone. Applied as the index is read.

    def correction_store(self) -> CorrectionStore | None:
        """Where this engine keeps corrections; None when it keeps none."""
        return None

    def corrections(self) -> Corrections:
        """The corrections in force (read again when the store says they changed)."""
        store = self.correction_store()
        if store is None:
            return NONE
        stamp = store.stamp()
        cached: tuple[object, Corrections] | None = getattr(self, "_corrections_cached", None)
        if cached is None or cached[0] != stamp:
            cached = (stamp, Corrections(store.load()))
            self._corrections_cached = cached
        return cached[1]

    def corrections_changed(self) -> bool:
        """Whether the corrections changed since last read (another process made one)."""
        store = self.correction_store()
        if store is None:
            return False
        cached = getattr(self, "_corrections_cached", None)
        store.poll()
        return cached is not None and cached[0] != store.stamp()

    def correct(self, op: str, target: str, value: str = "") -> Correction:
        """Record a correction and return it: ``merge`` entity target into entity value,
        ``split`` alias value off entity target, ``hide`` entity target, ``type`` of entity
        target to value, ``flag`` fact target. Entities by name, alias or id; NewsdeskError when
        a name is no entity, a fact no fact, or the correction would change nothing."""
        store = self.correction_store()
        if store is None:
            raise NewsdeskError(f"{self.location} keeps no corrections")
        names: list[Entity] = []
        if op == "flag":
            article_id = target.rpartition(":")[0]
            if not any(f.id == target for f in self.facts(article=article_id)):
                raise NewsdeskError(f"no fact {target!r} in the index (or it is flagged already)")
        elif op in ("merge", "split", "hide", "type"):
            entity = self._entity_named(target)
            names.append(entity)
            target = entity.id
            if op == "merge":
                into = self._entity_named(value)
                if into.id == entity.id:
                    raise NewsdeskError(f"“{entity.name}” and “{into.name}” are one entity already")
                names.append(into)
                value = into.id
            elif op == "type":
                try:
                    value = check_type(value)
                except ValueError as exc:
                    raise NewsdeskError(str(exc)) from None
                if value == entity.type:
                    raise NewsdeskError(f"“{entity.name}” is a {value} already")
            elif op == "split":
                alias = next(
                    (a for a in entity.aliases if a.lower() == value.strip().lower()), None
                )
                if alias is None or alias.lower() == entity.name.lower():
                    known = ", ".join(a for a in entity.aliases if a != entity.name) or "none"
                    raise NewsdeskError(
                        f"“{value}” is not an alias of “{entity.name}” to split off "
                        f"(its aliases: {known})"
                    )
                value = alias
        else:
            raise NewsdeskError(f"unknown correction {op!r}: merge, split, hide, type or flag")
        made: list[Correction] = []

        def add(entries: list[Correction]) -> list[Correction]:
            c = Correction(
                next_number(entries),
                op,
                target,
                value,
                tuple((e.id, e.name, e.type) for e in names),
                now(),
            )
            made[:] = [c]
            return [*entries, c]

        store.change(add)
        return made[0]

    def uncorrect(self, n: int) -> Correction:
        """Remove correction number n and return it; NewsdeskError when there is none."""
        store = self.correction_store()
        gone: list[Correction] = []

        def drop(entries: list[Correction]) -> list[Correction]:
            gone[:] = [c for c in entries if c.n == n]
            if not gone:  # nothing written
                raise NewsdeskError(f"no correction number {n}")
            return [c for c in entries if c.n != n]

        if store is None:
            raise NewsdeskError(f"no correction number {n}")
        store.change(drop)
        return gone[0]

    def _entity_named(self, name: str) -> Entity:
        found = self.resolve_entity(name)
        if found is None:
            raise NewsdeskError(f"no entity {name!r} in the index")
        fixes = self.corrections()
        for entity_id, keys in fixes.splits.items():
            if any(found.id == split_id(entity_id, k) for k in keys):
                raise NewsdeskError(
                    f"“{found.name}” was split off another entity: undo that split to change it"
                )
        return found

    def entity_by_id(self, entity_id: str) -> Entity | None:
        """The entity of an id as the engine holds it (no corrections applied)."""
        return None

    def _corrected(self, found: Entity | None, name: str) -> Entity | None:
        """What resolve_entity gives: the corrections applied to what the engine found."""
        fixes = self.corrections()
        if found is None or not fixes.affects_entities:
            return found
        root = fixes.canon(found.id)
        if fixes.is_hidden(root):
            return None
        members = [e for e in map(self.entity_by_id, fixes.members(root)) if e is not None]
        shown = fixes.entities(members or [found])
        if not shown:
            return None
        entity = shown[0]
        alias = fixes.split_of(entity, name)
        if alias is not None:
            return next(
                (
                    e
                    for e in fixes.split_entities([entity], self.analysis)
                    if e.id == split_id(entity.id, alias)
                ),
                Entity(split_id(entity.id, alias), alias, entity.type, (alias,)),
            )
        return entity

    def _corrected_entities(
        self, found: Sequence[Entity], type: str | None = None, article: str | None = None
    ) -> list[Entity]:
        """An engine's entity list as shown: corrections applied, then the type kept to, in
        order of mentions (of one article when article is given)."""
        fixes = self.corrections()
        out = list(found)
        if fixes.affects_entities:
            held = {e.id for e in out}
            roots = {fixes.canon(e.id) for e in out} - held
            known = {r: e for r in roots if (e := self.entity_by_id(r)) is not None}
            out = fixes.entities(out, known)
            if article is not None:
                analysis = self.analysis(article)
                out = fixes.split_entities(out, lambda a: analysis if a == article else None)
            else:
                out = fixes.split_entities(out, self.analysis)
            out = [e for e in out if not fixes.is_hidden(e.id)]
        if type:
            out = [e for e in out if e.type == type.upper()]
        return sorted(out, key=lambda e: (-e.mentions, e.name.lower()))

    def filter_names(self, name: str) -> list[str]:
        """The canonical names (lower case) an entity filter on name matches: the entity's, and
        those of the entities merged into it."""
        canon = self.resolve_entity(name)
        if canon is None:
            return [name.lower()]
        fixes = self.corrections()
        if not fixes.merged:
            return [canon.name.lower()]
        out = [canon.name.lower()]
        for i in fixes.members(canon.id)[1:]:
            held = self.entity_by_id(i)
            known = held.name if held is not None else fixes.names.get(i, ("", ""))[0]
            if known:
                out.append(known.lower())
        return list(dict.fromkeys(out))


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
