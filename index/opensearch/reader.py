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
from newsdesk.index.search.engine import _PLAIN_WORD
from newsdesk.index.search.highlight import snippet, spans_for
from newsdesk.index.search.query import QueryBuilder, query_terms
from newsdesk.index.store.codec import load_analysis, load_fact
from newsdesk.index.store.schema import TYPE_FIELD, fact_schema, passage_schema

KEEP_ALIVE = "10m"
FACET_SIZE = 10_000  # entities counted per search (every one, for any realistic result set)
HIT_SOURCE = ["id", "article_id", "ordinal", "start", "end", "text", "title", "date"]


def _article(src: dict[str, Any]) -> Article:
    return Article(
        id=src["id"],
        title=src.get("title") or "",
        date=src.get("date"),
        source=src.get("source") or "",
        license=src.get("license") or "",
        path=src.get("path") or "",
        text=src.get("text") or "",
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
        self._pits: dict[str, str] = {}
        self._seen = self._commits()
        self._open_pits()
        self._names: dict[str, tuple[str, str]] = {}

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
        out = []
        for name in names:
            canon = self.resolve_entity(name)
            out.append({"term": {"entity": (canon.name if canon else name).lower()}})
        return out

    def _run(
        self, dsl: dict[str, Any], flt: list[dict[str, Any]], request: SearchRequest
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "query": {"bool": {"must": [dsl], "filter": flt}} if flt else dsl,
            "from": request.offset,
            "size": request.limit,
            "track_total_hits": True,
            "_source": HIT_SOURCE,
            # ties in the order the articles were indexed, as Whoosh gives them
            "sort": [{"_score": "desc"}, {"article_id": "asc"}, {"ordinal": "asc"}],
        }
        if request.facets:
            body["aggs"] = {"ents": {"terms": {"field": "ents", "size": FACET_SIZE}}}
        return self._search("passages", body)

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        text = request.text
        try:
            q = self.passage_q.parse(text)
            dsl = self.passage_dsl(self.passage_raw.parse(text))
        except QueryError as exc:
            return SearchResult(request, error=str(exc))
        flt = self._entity_filter(request.entities)
        fallback = False
        try:
            res = self._run(dsl, flt, request)
            if res["hits"]["total"]["value"] == 0 and len(text.split()) > 1:
                q_or = self.passage_q.parse(text, fallback=True)
                alt = self._run(
                    self.passage_dsl(self.passage_raw.parse(text, fallback=True)), flt, request
                )
                if alt["hits"]["total"]["value"]:
                    q, res, fallback = q_or, alt, True
        except QueryError as exc:
            return SearchResult(request, error=str(exc))
        except Exception as exc:
            text_ = str(exc)
            if "parse" in text_ or "query_shard_exception" in text_ or "400" in text_:
                return SearchResult(request, error=f"cannot run the query: {text_}")
            raise
        terms = {f: frozenset(v) for f, v in query_terms(q).items()}
        hits = tuple(
            self._hit(rank, h, terms, request.highlight)
            for rank, h in enumerate(res["hits"]["hits"], start=request.offset + 1)
        )
        total = int(res["hits"]["total"]["value"])
        facets: dict[str, tuple[FacetRow, ...]] = {}
        if request.facets:
            facets = self._facet_rows(res["aggregations"]["ents"]["buckets"])
        return SearchResult(
            request,
            hits=hits,
            total=total,
            facets=facets,
            suggestion=self.suggest(text) if total == 0 else None,
            fallback=fallback,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            terms=terms,
        )

    def _hit(
        self, rank: int, h: dict[str, Any], terms: dict[str, frozenset[str]], mark: bool
    ) -> Hit:
        src = h["_source"]
        text = src.get("text") or ""
        spans = spans_for(text, terms) if mark else []
        snip, snip_spans = snippet(text, spans)
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

    def passages(self, article_id: str) -> list[Passage]:
        src = self._article_src(article_id)
        return [] if src is None else _passages(src)

    def passage(self, passage_id: str) -> Passage | None:
        article_id, _, n = passage_id.rpartition("#")
        for p in self.passages(article_id):
            if str(p.ordinal) == n:
                return p
        return None

    def analysis(self, article_id: str) -> Analysis | None:
        src = self._article_src(article_id)
        return None if src is None else _analysis(src)

    def article_view(self, article_id: str) -> ArticleView | None:
        src = self._article_src(article_id)
        if src is None:
            return None
        a = _analysis(src)
        if a is None:
            return ArticleView(_article(src), tuple(_passages(src)), ())
        return ArticleView(_article(src), tuple(_passages(src)), tuple(a.mentions), tuple(a.facts))

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
                    return max(found.values(), key=lambda e: (e.mentions, e.id))
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
            if type:
                query = {"term": {"type": type.upper()}}
            out = list(self._entities_where(query).values())
        if type:
            out = [e for e in out if e.type == type.upper()]
        return sorted(out, key=lambda e: (-e.mentions, e.name.lower()))

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
            must.append(self.fact_dsl(self.fact_raw.parse(query)))
        if entity:
            canon = self.resolve_entity(entity)
            name = (canon.name if canon else entity).lower()
            flt.append({"bool": {"should": [{"term": {"entity": name}}, {"term": {"who": name}}]}})
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
