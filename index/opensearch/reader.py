"""The OpenSearch engine's read side (:class:`newsdesk.index.seam.Reader`).

A reader reads one point-in-time snapshot of the four indices (PITs, opened with it and again by
``refresh()`` when writers have committed since), like a Whoosh searcher: what it shows does not
move under the app until it refreshes. Search runs the translated Whoosh query tree (BM25 over
the passage text and the title, AND first then a scored OR, the proximity boost); facets are a
terms aggregation over the passages' entity ids; highlights are computed here from the query's
terms with the Whoosh engine's own code, as character offsets in the passage; "did you mean"
comes from a term suggester over the unstemmed text.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

import attrs

from newsdesk.index.errors import QueryError
from newsdesk.index.model import Analysis, Article, Entity, Fact, Passage
from newsdesk.index.opensearch.cluster import Cluster
from newsdesk.index.opensearch.corrections import ClusterStore
from newsdesk.index.opensearch.mappings import FACT_FIELDS, INDICES, PASSAGE_FIELDS
from newsdesk.index.opensearch.translate import Translator, raw_builder, unstemmed
from newsdesk.index.seam import (
    ArticleView,
    FacetRow,
    Hit,
    Reader,
    SearchRequest,
    SearchResult,
    Span,
    Stats,
)
from newsdesk.index.search.collapse import GROW
from newsdesk.index.search.corrected import NO_ID, corrected_fields, entity_query, split_passages
from newsdesk.index.search.engine import _PLAIN_WORD
from newsdesk.index.search.highlight import snippet, spans_for
from newsdesk.index.search.query import QueryBuilder, query_terms
from newsdesk.index.store.codec import load_analysis, load_fact
from newsdesk.index.store.docs import stored_provenance
from newsdesk.index.store.schema import TYPE_FIELD, fact_schema, passage_schema

KEEP_ALIVE = "10m"
FACET_SIZE = 10_000  # entities counted per search (every one, for any realistic result set)
HIT_SOURCE = [
    *("id", "article_id", "ordinal", "start", "end", "text", "title", "date", "group", "prov")
]
MAX_WINDOW = 10_000  # from + size of one search (OpenSearch's index.max_result_window)


def _article(src: dict[str, Any]) -> Article:
    return Article(
        id=src["id"],
        title=src.get("title") or "",
        date=src.get("date"),
        source=src.get("source") or "",
        license=src.get("license") or "",
        path=src.get("path") or "",
        text=src.get("text") or "",
        **stored_provenance(src),
    )


def _passages(src: dict[str, Any]) -> list[Passage]:
    aid, text = src["id"], src.get("text") or ""
    offsets = json.loads(src.get("passages") or "[]")
    return [
        Passage(f"{aid}#{i}", aid, i, text[s:e], s, e) for i, (s, e) in enumerate(offsets, start=1)
    ]


def _analysis(src: dict[str, Any]) -> Analysis | None:
    return load_analysis(src["analysis"]) if src.get("analysis") else None


def merge_entities(docs: Iterable[dict[str, Any]]) -> dict[str, Entity]:
    """Entities from their per-article documents: mentions summed, aliases and articles joined,
    the name and type of the article that mentions it most."""
    recs: dict[str, dict[str, Any]] = {}
    for src in docs:
        eid = src["entity_id"]
        rec = recs.setdefault(
            eid, {"best": (-1, ""), "name": "", "type": "", "m": 0, "al": set(), "arts": set()}
        )
        n = int(src.get("mentions") or 0)
        rank = (n, src["article_id"])
        if rec["best"][0] < n or (rec["best"][0] == n and rank[1] < rec["best"][1]):
            rec["best"], rec["name"], rec["type"] = rank, src["name"], src["type"]
        rec["m"] += n
        rec["al"].update(src.get("aliases") or ())
        rec["arts"].add(src["article_id"])
    return {
        eid: Entity(
            id=eid,
            name=r["name"],
            type=r["type"],
            aliases=tuple(sorted(r["al"])),
            mentions=r["m"],
            articles=tuple(sorted(r["arts"])),
        )
        for eid, r in recs.items()
        if r["m"] > 0
    }


class OpenSearchReader(Reader):
    """Read access to a newsdesk index on an OpenSearch cluster."""

    def __init__(self, location: str) -> None:
        self.cluster = Cluster(location)
        self.location = self.cluster.location
        self.es = self.cluster.es
        self.cluster.check()
        pschema, fschema = passage_schema(), fact_schema()
        self.passage_q = QueryBuilder(pschema, ("text", "title"))
        self.passage_raw = raw_builder(pschema)
        self.fact_q = QueryBuilder(fschema, ("text", "title"))
        self.fact_raw = raw_builder(fschema)
        self.passage_dsl = Translator(unstemmed(pschema), PASSAGE_FIELDS)
        self.fact_dsl = Translator(unstemmed(fschema), FACT_FIELDS)
        self._lock = threading.RLock()
        self._generation = 0
        self._copies_at: tuple[int, bool] | None = None  # (generation, the index holds copies)
        self._pits: dict[str, str] = {}
        self._seen = self._commits()
        self._open_pits()
        self._names: dict[str, tuple[str, str]] = {}
        self._store = ClusterStore(self.cluster)

    # -- snapshots ---------------------------------------------------------------------------------

    def _commits(self) -> int:
        meta = self.cluster.aliases["meta"]
        res = self.cluster.call(
            "read the commit log",
            lambda: self.es.count(index=meta, body={"query": {"term": {"kind": "commit"}}}),
        )
        return int(res["count"])

    def _open_pits(self) -> None:
        pits = {}
        for name in INDICES:
            res = self.cluster.call(
                f"open the {name} index",
                lambda n=name: self.es.create_pit(  # type: ignore[misc]
                    index=self.cluster.aliases[n], params={"keep_alive": KEEP_ALIVE}
                ),
            )
            pits[name] = res["pit_id"]
        old, self._pits = self._pits, pits
        self._close_pits(old.values())

    def _close_pits(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        try:
            self.es.delete_pit(body={"pit_id": ids})
        except Exception:  # expired or the cluster away: they lapse by themselves
            pass

    def _search(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """A search of one index's snapshot (a lapsed snapshot is opened again)."""
        for attempt in (0, 1):
            b = dict(body, pit={"id": self._pits[name], "keep_alive": KEEP_ALIVE})
            try:
                res: dict[str, Any] = self.cluster.call(f"search {name}", partial(self._raw, b))
                return res
            except Exception as exc:
                lapsed = "search_context_missing" in str(exc) or "search context" in str(exc)
                if attempt or not lapsed:
                    raise
                with self._lock:
                    self._open_pits()
                    self._generation += 1
        raise AssertionError("unreachable")

    def _raw(self, body: dict[str, Any]) -> dict[str, Any]:
        res: dict[str, Any] = self.es.search(body=body)
        return res

    def _scan(self, name: str, query: dict[str, Any], sort: list[str]) -> list[dict[str, Any]]:
        pit = {"id": self._pits[name], "keep_alive": KEEP_ALIVE}
        index = self.cluster.aliases[name]
        return [h["_source"] for h in self.cluster.scan(index, query, sort, pit=pit)]

    @property
    def generation(self) -> int:
        return self._generation

    def refresh(self) -> bool:
        commits = self._commits()
        if commits == self._seen:
            if self.corrections_changed():
                with self._lock:
                    self._generation += 1
                return True
            return False
        with self._lock:
            self._seen = commits
            self._open_pits()
            self._generation += 1
            self._names = {}
        return True

    def close(self) -> None:
        with self._lock:
            pits, self._pits = self._pits, {}
        self._close_pits(pits.values())
        try:
            self.es.close()
        except Exception:
            pass

    def stats(self) -> Stats:
        counts = {}
        for name in INDICES:
            body: dict[str, Any] = {"size": 0, "track_total_hits": True}
            if name == "entities":
                body["aggs"] = {
                    "n": {"cardinality": {"field": "entity_id", "precision_threshold": 40000}}
                }
            res = self._search(name, body)
            counts[name] = (
                int(res["aggregations"]["n"]["value"])
                if name == "entities"
                else int(res["hits"]["total"]["value"])
            )
        return Stats(
            articles=counts["articles"],
            passages=counts["passages"],
            entities=counts["entities"],
            facts=counts["facts"],
            nlp=self._stamp().get("nlp", "off"),
        )

    def _stamp(self) -> dict[str, Any]:
        from opensearchpy.exceptions import NotFoundError

        try:
            res = self.es.get(index=self.cluster.aliases["meta"], id="stamp")
        except NotFoundError:
            return {}
        except Exception:
            return {}
        src: dict[str, Any] = res.get("_source") or {}
        return src

    # -- search ------------------------------------------------------------------------------------

    def _entity_filter(self, names: Sequence[str]) -> list[dict[str, Any]]:
        # an entity others were merged into (index/corrections.py) matches theirs too; a split
        # alias its own passages (search/corrected.py)
        return [self.passage_dsl(entity_query(self, name)) for name in names]

    # -- corrections (a document of their own: opensearch/corrections.py) -------------------------

    def correction_store(self) -> ClusterStore:
        return self._store

    def entity_by_id(self, entity_id: str) -> Entity | None:
        return self._entities_where({"term": {"entity_id": entity_id}}).get(entity_id)

    def _run(
        self,
        dsl: dict[str, Any],
        flt: list[dict[str, Any]],
        request: SearchRequest,
        top: int | None = None,
    ) -> dict[str, Any]:
        """One page of the request's passages, or (top) its first ``top`` passages, uncounted
        and without facets (for folding the copies)."""
        body: dict[str, Any] = {
            "query": {"bool": {"must": [dsl], "filter": flt}} if flt else dsl,
            "from": request.offset if top is None else 0,
            "size": request.limit if top is None else top,
            "track_total_hits": True if top is None else False,
            "_source": HIT_SOURCE,
            # ties in the order the articles were indexed, as Whoosh gives them
            "sort": [{"_score": "desc"}, {"article_id": "asc"}, {"ordinal": "asc"}],
        }
        if request.facets and top is None:
            body["aggs"] = {
                "ents": {"terms": {"field": "ents", "size": FACET_SIZE}},
                # the date facet: passages by their article's month
                "months": {
                    "date_histogram": {
                        "field": "date",
                        "calendar_interval": "month",
                        "format": "yyyy-MM",
                        "min_doc_count": 1,
                    }
                },
            }
            # corrections: a merged entity counts the passages naming any of its members, once;
            # one aliases were split off, without the passages naming it only through them
            # (aggregations by number: an alias may hold what a name of one may not, [ ] >)
            exact = self._exact_counts()
            for i, clause in enumerate(exact.values()):
                body["aggs"][f"exact{i}"] = {"filter": clause}
            fixes = self.corrections()
            split: list[tuple[str, str, str]] = []  # (split id, alias, the entity's id)
            if fixes.splits:
                found = split_passages(self)
                for i, (sid, pids) in enumerate(sorted(found.alias.items())):
                    split.append((sid, found.name[sid], found.parent[sid]))
                    members = fixes.members(found.parent[sid])
                    body["aggs"][f"split{i}"] = {
                        "filter": {
                            "bool": {
                                "filter": [
                                    {"terms": {"id": sorted(pids) or [NO_ID]}},
                                    {"terms": {"ents": members}},  # not in a copy
                                ]
                            }
                        }
                    }
            res = self._search("passages", body)
            res["newsdesk_counted"] = (list(exact), split)  # what the numbered aggregations count
            return res
        return self._search("passages", body)

    def _exact_counts(self) -> dict[str, dict[str, Any]]:
        """The facet filter of each entity the corrections count exactly, by its shown id."""
        fixes = self.corrections()
        found = split_passages(self) if fixes.splits else None
        out: dict[str, dict[str, Any]] = {}
        roots = set(fixes.merge_groups()) | {
            r for r, p in (found.only if found else {}).items() if p
        }
        for root in sorted(roots):
            clause: dict[str, Any] = {"terms": {"ents": fixes.members(root)}}
            only = found.only.get(root) if found is not None else None
            if only:
                clause = {
                    "bool": {"filter": [clause], "must_not": [{"terms": {"id": sorted(only)}}]}
                }
            out[root] = clause
        return out

    # -- near-duplicate groups: one hit per group, as search/collapse.py does for Whoosh ---------

    def _has_copies(self) -> bool:
        """Whether the passages hold any copy (one count, kept until the next refresh)."""
        gen = self._generation
        if self._copies_at is None or self._copies_at[0] != gen:
            body = {"query": {"term": {"dup": "1"}}, "size": 0, "track_total_hits": 1}
            res = self._search("passages", body)
            self._copies_at = (gen, int(res["hits"]["total"]["value"]) > 0)
        return self._copies_at[1]

    def _folded(
        self, dsl: dict[str, Any], flt: list[dict[str, Any]], request: SearchRequest
    ) -> list[dict[str, Any]]:
        """The page of hits with a group's copies folded into its first article seen: the top
        passages are fetched again, GROW times as many, while the copies leave the page short."""
        want = request.offset + request.limit
        asked = want
        while True:
            hits = self._run(dsl, flt, request, top=min(asked, MAX_WINDOW))["hits"]["hits"]
            owner: dict[str, str] = {}
            kept = []
            for h in hits:
                aid = h["_source"]["article_id"]
                if owner.setdefault(h["_source"].get("group") or aid, aid) == aid:
                    kept.append(h)
            if len(kept) >= want or len(hits) < asked or asked >= MAX_WINDOW:
                return kept[request.offset : want]
            asked *= GROW

    def _group_sizes(self, groups: set[str]) -> dict[str, int]:
        """How many articles each group has."""
        if not groups:
            return {}
        body = {
            "query": {"terms": {"group": sorted(groups)}},
            "size": 0,
            "aggs": {"g": {"terms": {"field": "group", "size": len(groups)}}},
        }
        res = self._search("articles", body)
        return {b["key"]: int(b["doc_count"]) for b in res["aggregations"]["g"]["buckets"]}

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        text = request.text
        try:
            q = self.passage_q.parse(text)
            dsl = self.passage_dsl(corrected_fields(self.passage_raw.parse(text), self))
        except QueryError as exc:
            return SearchResult(request, error=str(exc))
        flt = self._entity_filter(request.entities)
        fallback = False
        sizes: dict[str, int] = {}
        try:
            res = self._run(dsl, flt, request)
            if res["hits"]["total"]["value"] == 0 and len(text.split()) > 1:
                q_or = self.passage_q.parse(text, fallback=True)
                dsl_or = self.passage_dsl(
                    corrected_fields(self.passage_raw.parse(text, fallback=True), self)
                )
                alt = self._run(dsl_or, flt, request)
                if alt["hits"]["total"]["value"]:
                    q, res, fallback, dsl = q_or, alt, True, dsl_or
            page = res["hits"]["hits"]
            if res["hits"]["total"]["value"] and self._has_copies():
                page = self._folded(dsl, flt, request)
                sizes = self._group_sizes(
                    {h["_source"].get("group") or h["_source"]["article_id"] for h in page}
                )
        except QueryError as exc:
            return SearchResult(request, error=str(exc))
        except Exception as exc:
            text_ = str(exc)
            if "parse" in text_ or "query_shard_exception" in text_ or "400" in text_:
                return SearchResult(request, error=f"cannot run the query: {text_}")
            raise
        terms = {f: frozenset(v) for f, v in query_terms(q).items()}
        hits = tuple(
            self._hit(rank, h, terms, request.highlight, sizes)
            for rank, h in enumerate(page, start=request.offset + 1)
        )
        total = int(res["hits"]["total"]["value"])
        facets: dict[str, tuple[FacetRow, ...]] = {}
        months: dict[str, int] = {}
        if request.facets:
            facets = self._facet_rows(res["aggregations"]["ents"]["buckets"])
            aggs = res["aggregations"]
            months = {
                b["key_as_string"]: int(b["doc_count"])
                for b in aggs["months"]["buckets"]
                if b["doc_count"]
            }
            roots, split = res.get("newsdesk_counted", ([], []))
            exact = {
                root: int(aggs[f"exact{i}"]["doc_count"])
                for i, root in enumerate(roots)
                if f"exact{i}" in aggs
            }
            splits = {
                sid: (alias, parent, int(aggs[f"split{i}"]["doc_count"]))
                for i, (sid, alias, parent) in enumerate(split)
                if f"split{i}" in aggs
            }
            facets = self.corrections().facet_rows(facets, exact, splits)
        return SearchResult(
            request,
            hits=hits,
            total=total,
            facets=facets,
            months=months,
            suggestion=self.suggest(text) if total == 0 else None,
            fallback=fallback,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            terms=terms,
        )

    def _hit(
        self,
        rank: int,
        h: dict[str, Any],
        terms: dict[str, frozenset[str]],
        mark: bool,
        sizes: dict[str, int] | None = None,
    ) -> Hit:
        src = h["_source"]
        text = src.get("text") or ""
        spans = spans_for(text, terms) if mark else []
        snip, snip_spans = snippet(text, spans)
        group = src.get("group") or ""
        prov = src.get("prov") or {}
        return Hit(
            rank=rank,
            article_id=src["article_id"],
            passage_id=src["id"],
            title=src.get("title") or "",
            date=src.get("date"),
            score=float(h.get("_score") or 0.0),
            text=text,
            highlights=tuple(spans),
            snippet=snip,
            snippet_highlights=tuple(snip_spans),
            ordinal=int(src.get("ordinal") or 0),
            start=int(src.get("start") or 0),
            end=int(src.get("end") or 0),
            copies=max(0, (sizes or {}).get(group, 1) - 1),
            group=group,
            url=prov.get("url", ""),
            page=prov.get("page"),
            publisher=prov.get("publisher", ""),
            captured=prov.get("captured"),
            locator=prov.get("locator", ""),
        )

    def _facet_rows(self, buckets: list[dict[str, Any]]) -> dict[str, tuple[FacetRow, ...]]:
        ids = [b["key"] for b in buckets]
        missing = [i for i in ids if i not in self._names]
        if missing:
            for src in self._scan(
                "entities", {"terms": {"entity_id": missing}}, ["entity_id", "article_id"]
            ):
                self._names.setdefault(src["entity_id"], (src["name"], src["type"]))
        rows: dict[str, list[FacetRow]] = {t: [] for t in TYPE_FIELD}
        for b in buckets:
            eid, n = b["key"], int(b["doc_count"])
            name, typ = self._names.get(eid, (eid.partition(":")[2], eid.partition(":")[0].upper()))
            rows.setdefault(typ, []).append(FacetRow(eid, name, typ, n))
        return {t: tuple(v) for t, v in rows.items()}

    def highlights(self, text: str, terms: dict[str, frozenset[str]]) -> list[Span]:
        return spans_for(text, terms)

    def suggest(self, text: str) -> str | None:
        """'Did you mean': plain words the index does not hold, replaced by the term suggester's
        nearest word of the unstemmed text."""
        found = [
            m for m in _PLAIN_WORD.finditer(text) if m.group(0) not in ("AND", "OR", "NOT", "TO")
        ]
        if not found:
            return None
        words = list(dict.fromkeys(m.group(0).lower() for m in found))
        body: dict[str, Any] = {
            "size": 0,
            "aggs": {f"w{i}": {"filter": {"match": {"text": w}}} for i, w in enumerate(words)},
            "suggest": {
                f"w{i}": {
                    "text": w,
                    "term": {
                        "field": "text.exact",
                        "suggest_mode": "missing",
                        "size": 1,
                        "max_edits": 2,
                        "prefix_length": 1,
                        "min_word_length": 3,
                    },
                }
                for i, w in enumerate(words)
            },
        }
        res = self._search("passages", body)
        fixes = {}
        for i, w in enumerate(words):
            if res["aggregations"][f"w{i}"]["doc_count"]:
                continue
            options = [o for entry in res["suggest"][f"w{i}"] for o in entry["options"]]
            if options:
                fixes[w] = options[0]["text"]
        if not fixes:
            return None

        def fix(m: Any) -> str:
            return fixes.get(m.group(0).lower(), m.group(0))

        fixed = _PLAIN_WORD.sub(fix, text)
        return fixed if fixed != text else None

    # -- lookups -----------------------------------------------------------------------------------

    def _article_src(self, article_id: str) -> dict[str, Any] | None:
        res = self._search("articles", {"query": {"term": {"id": article_id}}, "size": 1})
        hits = res["hits"]["hits"]
        return hits[0]["_source"] if hits else None

    def article(self, article_id: str) -> Article | None:
        src = self._article_src(article_id)
        return None if src is None else _article(src)

    def copies(self, article_id: str) -> list[Article]:
        """The other articles of the article's near-duplicate group, in id order."""
        src = self._article_src(article_id)
        if src is None:
            return []
        group = src.get("group") or article_id
        found = [_article(d) for d in self._scan("articles", {"term": {"group": group}}, ["id"])]
        return sorted((a for a in found if a.id != article_id), key=lambda a: a.id)

    def passages(self, article_id: str) -> list[Passage]:
        src = self._article_src(article_id)
        return [] if src is None else _passages(src)

    def analysis(self, article_id: str) -> Analysis | None:
        src = self._article_src(article_id)
        return None if src is None else _analysis(src)

    def analyses(self, article_ids: Sequence[str]) -> list[Analysis]:
        """The stored analyses of many articles in one scan (where split aliases are written)."""
        if not article_ids:
            return []
        found = self._scan("articles", {"terms": {"id": list(article_ids)}}, ["id"])
        return [a for a in map(_analysis, found) if a is not None]

    def article_view(self, article_id: str) -> ArticleView | None:
        src = self._article_src(article_id)
        if src is None:
            return None
        a = _analysis(src)
        if a is None:
            return ArticleView(_article(src), tuple(_passages(src)), ())
        fixes = self.corrections()
        return ArticleView(
            _article(src),
            tuple(_passages(src)),
            fixes.mentions(a.mentions),
            tuple(fixes.facts(a.facts)),
        )

    def _entities_where(self, query: dict[str, Any]) -> dict[str, Entity]:
        return merge_entities(self._scan("entities", query, ["entity_id", "article_id"]))

    def resolve_entity(self, name: str) -> Entity | None:
        key = name.strip().lower()
        if key.startswith("the "):
            key = key[4:]
        if not key:
            return None
        for field in ("names", "entity_id"):
            res = self._search(
                "entities",
                {
                    "size": 0,
                    "query": {"term": {field: key}},
                    "aggs": {"ids": {"terms": {"field": "entity_id", "size": 100}}},
                },
            )
            ids = [b["key"] for b in res["aggregations"]["ids"]["buckets"]]
            if ids:
                found = self._entities_where({"terms": {"entity_id": ids}})
                if found:
                    best = max(found.values(), key=lambda e: (e.mentions, e.id))
                    return self._corrected(best, name)
        return None

    def entities(self, type: str | None = None, article: str | None = None) -> list[Entity]:
        if article is not None:
            a = self.analysis(article)
            if a is None:
                return []
            glob = self._entities_where({"terms": {"entity_id": [e.id for e in a.entities]}})
            out = [
                attrs.evolve(e, articles=glob[e.id].articles) if e.id in glob else e
                for e in a.entities
            ]
        else:
            query: dict[str, Any] = {"match_all": {}}
            if type and not self.corrections().affects_entities:
                query = {"term": {"type": type.upper()}}
            out = list(self._entities_where(query).values())
        return self._corrected_entities(out, type, article)

    def facts(
        self,
        query: str | None = None,
        entity: str | None = None,
        article: str | None = None,
        passage: str | None = None,
        limit: int | None = None,
    ) -> list[Fact]:
        must: list[dict[str, Any]] = []
        flt: list[dict[str, Any]] = []
        scored = bool(query and query.strip())
        if scored:
            assert query is not None
            self.fact_q.parse(query)  # the same errors as the Whoosh engine
            raw = corrected_fields(self.fact_raw.parse(query), self, "passage_id")
            must.append(self.fact_dsl(raw))
        if entity:
            flt.append(self.fact_dsl(entity_query(self, entity, "passage_id", ("entity", "who"))))
        flagged = sorted(self.corrections().flagged)
        if flagged:
            flt.append({"bool": {"must_not": [{"terms": {"id": flagged}}]}})
        if article:
            flt.append({"term": {"article_id": article}})
        if passage:
            flt.append({"term": {"passage_id": passage}})
        q = {"bool": {"must": must or [{"match_all": {}}], "filter": flt}}
        if scored:
            body = {
                "query": q,
                "size": limit if limit is not None else 10_000,
                "_source": ["data"],
                "sort": [{"_score": "desc"}, {"id": "asc"}],
            }
            res = self._search("facts", body)
            return [load_fact(h["_source"]["data"]) for h in res["hits"]["hits"]]
        facts = [load_fact(src["data"]) for src in self._scan("facts", q, ["id"])]
        facts.sort(key=lambda f: (f.article_id, f.evidence.start, f.id))
        return facts if limit is None else facts[:limit]
