"""The Whoosh engine's read side (:class:`newsdesk.index.seam.Reader`): search with filters,
highlights and facet counts, suggestions, and lookups of articles, passages, entities and facts.

Searchers are per thread (Whoosh searchers are not shared across threads) and refreshed after
another process commits.
"""

from __future__ import annotations

import re
import threading
import time
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from whoosh import collectors
from whoosh import query as wq
from whoosh.util.numeric import to_sortable

from newsdesk.index.corrections import FileStore
from newsdesk.index.errors import QueryError
from newsdesk.index.model import Analysis, Article, Entity, Fact, Mention, Passage
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
from newsdesk.index.search.collapse import GROW, folded_page, group_sizes, has_copies
from newsdesk.index.search.corrected import corrected_fields, entity_query, split_passages
from newsdesk.index.search.highlight import snippet, spans_for
from newsdesk.index.search.query import QueryBuilder, query_terms
from newsdesk.index.store.codec import load_analysis, load_fact
from newsdesk.index.store.docs import stored_provenance
from newsdesk.index.store.entities import entity_from_stored
from newsdesk.index.store.folder import open_indexes, read_stamp
from newsdesk.index.store.schema import SEP, TYPE_FIELD
from newsdesk.index.store.visible import NOTHING, Hidden, open_consistent
from newsdesk.index.when import iso_day


def _article(f: dict[str, Any]) -> Article:
    return Article(
        id=f["id"],
        title=f.get("title") or "",
        date=f.get("date"),
        source=f.get("source") or "",
        license=f.get("license") or "",
        path=f.get("path") or "",
        text=f.get("text") or "",
        **stored_provenance(f),
    )


def _passages(f: dict[str, Any]) -> list[Passage]:
    aid, text = f["id"], f.get("text") or ""
    return [
        Passage(f"{aid}#{i}", aid, i, text[s:e], s, e)
        for i, (s, e) in enumerate(f.get("passages") or [], start=1)
    ]


def _analysis(f: dict[str, Any]) -> Analysis | None:
    return load_analysis(f["analysis"]) if f.get("analysis") else None


def _date_str(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "strftime"):
        return iso_day(value)  # four-digit years: strftime("%Y") gives "1" for year 1
    return str(value)


_PLAIN_WORD = re.compile(
    r'(?<![\w:"\[])[A-Za-z][A-Za-z\'-]{2,}(?![\w:])(?=(?:[^"]*"[^"]*")*[^"]*$)'
)


_SEP_BYTES = SEP.encode("utf-8")

# "Did you mean" bounds (see WhooshReader.suggest).
SUGGEST_MAX_CHARS = 200
SUGGEST_MAX_WORD = 20
SUGGEST_MAX_WORDS = 4
# Every search has this many seconds; past it the result says so instead of hanging.
SEARCH_BUDGET_S = 5.0


class _OverBudget(Exception):
    pass


class _Budget(collectors.WrappingCollector):
    """Stops a search that runs past its deadline (checked at each segment, and every 64 matches
    where the matches are looped over here or by a filter).

    It sits right above the collector that keeps the hits, under any filter, so that Whoosh's
    filter collectors (which loop over the matches themselves) still apply."""

    def __init__(self, child: Any, deadline: float) -> None:
        super().__init__(child)
        self.deadline = deadline
        self._n = 0

    def set_subsearcher(self, subsearcher: Any, offset: int) -> None:
        if time.monotonic() > self.deadline:
            raise _OverBudget
        super().set_subsearcher(subsearcher, offset)

    def collect_matches(self) -> None:
        if not isinstance(self.child, _TopAndEvery):
            # Whoosh's top-N collector skips blocks that cannot reach the top by itself: keep
            # that (a check per segment, and per match under a filter, which calls collect)
            self.child.collect_matches()
            return
        collect = self.collect
        for sub_docnum in self.child.matches():
            collect(sub_docnum)

    def collect(self, sub_docnum: int) -> Any:
        self._n += 1
        if not self._n & 63 and time.monotonic() > self.deadline:
            raise _OverBudget
        return self.child.collect(sub_docnum)


class _TopAndEvery(collectors.TopCollector):
    """The top N by score, and the docnum of every match (every match is scored: no block
    skipping, no matcher replacement, which would drop matches that cannot reach the top N)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False, replace=0)
        self.every: list[int] = []

    def _collect(self, global_docnum: int, score: float) -> Any:
        self.every.append(global_docnum)
        return super()._collect(global_docnum, score)


def _run(
    s: Any,
    q: wq.Query,
    limit: int,
    flt: wq.Query | set[int] | None,
    every: bool,
    mask: frozenset[int] = frozenset(),
    deadline: float = float("inf"),
) -> tuple[Any, list[int] | None]:
    """Search; with every=True also the docnums of all matches (for the facet counts). mask:
    docnums never to return (passages of a half-written batch, see ``store.visible``); past
    the deadline (time.monotonic) it raises _OverBudget."""
    hide = set(mask) if mask else None
    top: Any = _TopAndEvery(limit) if every else s.collector(limit=limit, terms=False)
    c: Any = _Budget(top, deadline)
    if flt is not None or hide is not None:
        c = collectors.FilterCollector(c, allow=flt, restrict=hide)
    s.search_with_collector(q, c)
    return c.results(), (top.every if every else None)


def _split_dates(q: wq.Query) -> tuple[wq.Query | None, list[wq.NumericRange]]:
    """The query without its required date ranges, and those ranges (top-level AND parts, also
    under the proximity boost's AndMaybe)."""
    if isinstance(q, wq.NumericRange) and q.fieldname == "date":
        return None, [q]
    if isinstance(q, wq.AndMaybe) and q.boost == 1.0:
        req, ranges = _split_dates(q.a)
        if ranges and req is not None:
            return wq.AndMaybe(req, q.b), ranges
        return q, []
    if isinstance(q, wq.And) and q.boost == 1.0:
        ranges = [
            c for c in q.subqueries if isinstance(c, wq.NumericRange) and c.fieldname == "date"
        ]
        if ranges:
            rest = [c for c in q.subqueries if not any(c is r for r in ranges)]
            if not rest:
                return None, ranges
            return (rest[0] if len(rest) == 1 else wq.And(rest)), ranges
    return q, []


def _term_bound(field: Any, value: Any) -> bytes:
    """The full-precision term of a numeric value, as the index holds it."""
    x = to_sortable(field.numtype, field.bits, field.signed, field.prepare_number(value))
    return bytes(field.sortable_to_bytes(x, 0))


def _date_index(s: Any, fieldname: str) -> tuple[list[bytes], list[list[int]]]:
    """Sorted full-precision terms of a numeric field and the global docnums holding each."""
    field = s.schema[fieldname]
    by_term: dict[bytes, list[int]] = {}
    for sub, offset in s.leaf_searchers():
        reader = sub.reader()
        if fieldname not in reader.indexed_field_names():
            continue
        for term in field.sortable_terms(reader, fieldname):
            ids = by_term.setdefault(term, [])
            ids.extend(offset + d for d in reader.postings(fieldname, term).all_ids())
    keys = sorted(by_term)
    return keys, [by_term[k] for k in keys]


class WhooshReader(Reader):
    """Read access to a newsdesk index folder."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.location = str(path)
        self.stamp = read_stamp(self.path)
        self.ix: dict[str, Any] = open_indexes(self.path)
        # the commit generation of each part when opened (an empty part's reader has none, so
        # the readers cannot say whether anything changed)
        self._seen = {n: ix.latest_generation() for n, ix in self.ix.items()}
        self.passage_q = QueryBuilder(self.ix["passages"].schema, ("text", "title"))
        self.fact_q = QueryBuilder(self.ix["facts"].schema, ("text", "title"))
        self._local = threading.local()
        self._generation = 0
        self._lock = threading.Lock()
        self._entity_names: dict[str, tuple[str, str]] | None = None
        # the facet pass of a search: its total, counts by entity id, and each passage's ids
        self._facet_cache: OrderedDict[
            tuple[Any, ...], tuple[int, Counter[str], list[bytes], dict[str, int], list[int]]
        ] = OrderedDict()
        self.budget_s = SEARCH_BUDGET_S
        self._store = FileStore(self.path)

    # -- searchers ---------------------------------------------------------------------------------

    def _searcher(self, name: str) -> Any:
        return self._snapshot()[name]

    def _snapshot(self) -> dict[str, Any]:
        """This thread's searchers, opened together (articles first), with what to hide."""
        local = self._local
        searchers = getattr(local, "searchers", None)
        if not searchers or getattr(local, "generation", None) != self._generation:
            for s in (searchers or {}).values():
                s.close()
            with self._lock:
                ix, generation = self.ix, self._generation
            local.searchers, local.hidden = open_consistent(self.path, ix)
            local.generation = generation
        result: dict[str, Any] = local.searchers
        return result

    def _hidden(self) -> Hidden:
        self._snapshot()
        hidden: Hidden = getattr(self._local, "hidden", NOTHING)
        return hidden

    @property
    def generation(self) -> int:
        """Counts the times refresh() picked up new commits."""
        return self._generation

    def refresh(self) -> bool:
        """Pick up commits made by another process; True when something changed."""
        changed = any(ix.latest_generation() != self._seen[n] for n, ix in self.ix.items())
        changed = changed or self.corrections_changed()
        if changed:
            with self._lock:
                self.ix = open_indexes(self.path)
                self._seen = {n: ix.latest_generation() for n, ix in self.ix.items()}
                self._generation += 1
                self._entity_names = None
                self._facet_cache.clear()
        return changed

    def close(self) -> None:
        for s in getattr(self._local, "searchers", {}).values():
            s.close()
        self._local.searchers = {}

    def stats(self) -> Stats:
        hidden = self._hidden()
        return Stats(
            articles=self._searcher("articles").doc_count(),
            passages=self._searcher("passages").doc_count() - len(hidden.passages),
            entities=self._searcher("entities").doc_count(),
            facts=self._searcher("facts").doc_count() - len(hidden.facts),
            nlp=str(read_stamp(self.path).get("nlp", "off")),
        )

    # -- search ------------------------------------------------------------------------------------

    def entity_filter(self, names: Sequence[str]) -> wq.Query | None:
        """A filter query requiring every named entity (canonical names or aliases; an entity
        others were merged into matches theirs too)."""
        terms = [entity_query(self, name) for name in names]
        return wq.And(terms) if terms else None

    # -- corrections (index/corrections.py: a file in the index folder) ---------------------------

    def correction_store(self) -> FileStore:
        return self._store

    def entity_by_id(self, entity_id: str) -> Entity | None:
        f = self._searcher("entities").document(id=entity_id)
        return None if f is None else entity_from_stored(f)

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        deadline = time.monotonic() + self.budget_s
        text, entities = request.text, request.entities
        limit, offset = request.limit, request.offset
        s = self._searcher("passages")
        mask = self._hidden().passages
        try:
            q = corrected_fields(self.passage_q.parse(text), self)
        except QueryError as exc:
            return SearchResult(request, error=str(exc))
        flt = self.entity_filter(entities)
        fallback = False
        # Required date ranges run as a filter of docnums, cached per searcher: Whoosh would
        # otherwise walk every posting of the range's trie terms on each call (tens of ms).
        run_q: wq.Query = q
        run_flt: wq.Query | set[int] | None = flt
        extra = 0.0
        rest, ranges = _split_dates(q)
        if ranges and rest is not None:
            allow = self._date_docs(s, ranges)
            if flt is not None:
                allow = allow & set(s.docs_for_query(flt))
            run_q, run_flt = rest, allow
            extra = sum(r.boost for r in ranges if r.constantscore)
        # With facets to count (and not cached), one pass collects the top hits and every match:
        # a second pass for the facets would look up every term in every segment again.
        every = request.facets and self._facet_key(request) not in self._facet_cache
        seen: list[int] | None = None
        # With copies in the index, folding them leaves a page short: ask for more at once
        # rather than search again (a second search cost 27 ms a query on Reuters).
        copies = has_copies(s)
        asked = (offset + limit) * (GROW if copies else 1)
        try:
            results, seen = _run(s, run_q, asked, run_flt, every, mask, deadline)
            if results.scored_length() == 0 and len(text.split()) > 1:
                q_or = corrected_fields(self.passage_q.parse(text, fallback=True), self)
                # the scored OR keeps Whoosh's own collector: its coordination bonus counts
                # the terms still matching after the collector prunes, so scores would differ
                alt, _ = _run(s, q_or, asked, flt, False, mask, deadline)
                if alt.scored_length():
                    q, results, seen, fallback = q_or, alt, None, True
                    run_q, run_flt, extra = q_or, flt, 0.0
        except _OverBudget:
            return SearchResult(request, error=self._too_long())
        except Exception as exc:  # a query whoosh accepts but cannot run
            return SearchResult(request, error=f"cannot run the query: {exc}")
        terms = {f: frozenset(v) for f, v in query_terms(q).items()}
        page = results[offset : offset + limit]
        sizes: dict[str, int] = {}
        if copies:  # one hit per near-duplicate group (search/collapse.py)
            try:
                top = folded_page(
                    results,
                    lambda n: _run(s, run_q, n, run_flt, False, mask, deadline)[0],
                    offset + limit,
                    asked,
                )
            except _OverBudget:
                return SearchResult(request, error=self._too_long())
            page = top[offset:]
            groups = {r.get("group") or r["article_id"] for r in page}
            sizes = group_sizes(self._searcher("articles"), groups)
        hits = []
        for rank, r in enumerate(page, start=offset + 1):
            hits.append(self._hit(rank, r, terms, request.highlight, extra, sizes))
        facet_rows: dict[str, tuple[FacetRow, ...]] = {}
        months: dict[str, int] = {}
        if request.facets:  # the facet pass counts the hits too: no separate count
            total, facet_rows, months = self._facets(run_q, run_flt, request, seen)
        else:
            total = self._count(results, asked, run_q, run_flt, mask)
        if time.monotonic() > deadline:
            return SearchResult(request, error=self._too_long())
        suggestion = None
        if total == 0:
            suggestion = self.suggest(text)
        return SearchResult(
            request,
            hits=tuple(hits),
            total=total,
            facets=facet_rows,
            suggestion=suggestion,
            fallback=fallback,
            months=months,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            terms=terms,
        )

    def _too_long(self) -> str:
        return (
            f"the query took too long: stopped after {self.budget_s:g} s; "
            "try fewer words, a shorter phrase or a field such as date:"
        )

    def _hit(
        self,
        rank: int,
        r: Any,
        terms: dict[str, frozenset[str]],
        highlight: bool,
        extra: float = 0.0,
        sizes: dict[str, int] | None = None,
    ) -> Hit:
        text = r["text"]
        spans = spans_for(text, terms) if highlight else []
        snip, snip_spans = snippet(text, spans)
        group = r.get("group") or ""
        prov = r.get("prov") or {}
        return Hit(
            rank=rank,
            article_id=r["article_id"],
            passage_id=r["id"],
            title=r.get("title", ""),
            date=_date_str(r.get("date")),
            score=float(r.score or 0.0) + extra,
            text=text,
            highlights=tuple(spans),
            snippet=snip,
            snippet_highlights=tuple(snip_spans),
            ordinal=r.get("ordinal", 0),
            start=r.get("start", 0),
            end=r.get("end", 0),
            copies=max(0, (sizes or {}).get(group, 1) - 1),
            group=group,
            url=prov.get("url", ""),
            page=prov.get("page"),
            publisher=prov.get("publisher", ""),
            captured=prov.get("captured"),
            locator=prov.get("locator", ""),
        )

    def highlights(self, text: str, terms: dict[str, frozenset[str]]) -> list[Span]:
        """Hit spans in any text (a passage shown in full) of a result's query terms."""
        return spans_for(text, terms)

    def _count(
        self,
        results: Any,
        asked: int,
        q: wq.Query,
        flt: wq.Query | set[int] | None,
        mask: frozenset[int],
    ) -> int:
        """The exact number of matching passages: Whoosh's ``len(results)`` of a limited search
        is counted without the filter and the hidden passages, so it can be off either way."""
        if results.scored_length() < asked:  # every match was collected
            return int(results.scored_length())
        return sum(1 for _ in self._matching(q, flt, mask))

    def _matching(
        self, q: wq.Query, flt: wq.Query | set[int] | None, hidden: frozenset[int]
    ) -> Iterator[int]:
        """Every passage docnum the query matches, within the filter (a query, or a set of
        allowed docnums), without the hidden passages."""
        allow = flt if isinstance(flt, set) else None
        full = wq.And([q, flt]) if isinstance(flt, wq.Query) else q
        docs: Iterable[int] = self._searcher("passages").docs_for_query(full)
        if allow is not None:
            docs = (d for d in docs if d in allow)
        if hidden:
            docs = (d for d in docs if d not in hidden)
        return iter(docs)

    def _facets(
        self,
        q: wq.Query,
        flt: wq.Query | set[int] | None,
        request: SearchRequest,
        seen: list[int] | None = None,
    ) -> tuple[int, dict[str, tuple[FacetRow, ...]], dict[str, int]]:
        """The number of matching passages, the entity counts over them and their months (flt: a
        filter query, or a set of allowed docnums; seen: every matching docnum, when the search
        collected them).
        """
        key = self._facet_key(request)
        cached = self._facet_cache.get(key)
        if cached is None:
            s = self._searcher("passages")
            values = self._ents_values(s)
            docs: Any = seen
            if docs is None:
                docs = self._matching(q, flt, self._hidden().passages)
            docs = list(docs)
            raws = [values[d] for d in docs]
            total = len(raws)
            by_doc = self._months(s)
            per_month = Counter(map(by_doc.__getitem__, docs))  # counted in C
            per_month.pop("", None)  # undated
            months = dict(sorted(per_month.items()))
            # one join and one split, counted in C, instead of a Counter update per passage
            joined = _SEP_BYTES.join(r for r in raws if r)
            counts: Counter[str] = Counter(joined.decode("utf-8").split(SEP) if joined else ())
            cached = (total, counts, raws, months, docs)
            self._facet_cache[key] = cached
            while len(self._facet_cache) > 64:
                self._facet_cache.popitem(last=False)
        else:
            self._facet_cache.move_to_end(key)
        total, counts, raws, months, docs = cached
        names = self._names()
        rows: dict[str, list[FacetRow]] = {t: [] for t in TYPE_FIELD}
        for eid, n in counts.most_common():
            name, typ = names.get(eid, (eid.partition(":")[2], eid.partition(":")[0].upper()))
            rows.setdefault(typ, []).append(FacetRow(eid, name, typ, n))
        # corrections: a merged entity counts the passages naming any of its members, once
        fixes = self.corrections()
        exact = {}
        for root, members in fixes.merge_groups().items():
            if sum(1 for m in members if counts.get(m)) > 1:
                ids = {m.encode("utf-8") for m in members}
                exact[root] = sum(1 for r in raws if r and not ids.isdisjoint(r.split(_SEP_BYTES)))
        # split aliases: their passages counted as their own, and not as their entity's when
        # they are all that names it there
        splits: dict[str, tuple[str, str, int]] = {}
        if fixes.splits:
            found = split_passages(self)
            s = self._searcher("passages")
            counted = {d for d, r in zip(docs, raws, strict=True) if r}
            for sid, pids in found.alias.items():
                n = len(counted & self._docnums(s, pids))
                splits[sid] = (found.name[sid], found.parent[sid], n)
            for root, pids in found.only.items():
                less = len(counted & self._docnums(s, pids))
                if less:
                    held = exact.get(root)
                    if held is None:
                        held = sum(counts.get(m, 0) for m in fixes.members(root))
                    exact[root] = held - less
        rows_by_type = {t: tuple(v) for t, v in rows.items()}
        return total, fixes.facet_rows(rows_by_type, exact, splits), months

    def _docnums(self, s: Any, pids: frozenset[str]) -> frozenset[int]:
        """The docnums of passages by id, kept per searcher and set of ids."""
        local = self._local
        cache = getattr(local, "docnums", None)
        if cache is None or cache[0] is not s:
            cache = local.docnums = (s, {})
        table: dict[frozenset[str], frozenset[int]] = cache[1]
        held = table.get(pids)
        if held is None:
            found = (s.document_number(id=p) for p in pids)
            held = table[pids] = frozenset(d for d in found if d is not None)
        return held

    def _months(self, s: Any) -> list[str]:
        """The month ("2023-11", "" when undated) of every passage by docnum, once per searcher
        (from the date index that date ranges use)."""
        local = self._local
        index = getattr(local, "dates", None)
        if index is None or index[0] is not s:
            index = local.dates = (s, *_date_index(s, "date"))
        cached = getattr(local, "months", None)
        if cached is not None and cached[0] is s:
            result: list[str] = cached[1]
            return result
        _, keys, docs = index
        field = s.schema["date"]
        out = [""] * s.doc_count_all()
        for key, ids in zip(keys, docs, strict=True):
            month = iso_day(field.from_bytes(key))[:7]
            for d in ids:
                out[d] = month
        local.months = (s, out)
        return out

    def _facet_key(self, request: SearchRequest) -> tuple[Any, ...]:
        return (request.scope, self._generation)

    def _ents_values(self, s: Any) -> list[bytes]:
        """The entity ids of every passage (the ``ents`` column, by docnum), read once per
        searcher: opening the column reads every segment's offsets (~14 ms) and each value is a
        read of its own, so facets over thousands of hits paid both on every query."""
        local = self._local
        cached = getattr(local, "ents", None)
        if cached is None or cached[0] is not s:
            values: list[bytes] = []
            for sub, _offset in s.leaf_searchers():
                reader = sub.reader()
                n = reader.doc_count_all()
                part = list(reader.column_reader("ents")) if reader.has_column("ents") else []
                # a segment committed with no entity values at all has a short column
                values.extend(part[:n])
                values.extend([b""] * (n - len(part)))
            cached = local.ents = (s, values)
        result: list[bytes] = cached[1]
        return result

    def _date_docs(self, s: Any, ranges: Sequence[wq.NumericRange]) -> set[int]:
        """Docnums of the passages whose date is in every range (a per-searcher index of dates)."""
        local = self._local
        index = getattr(local, "dates", None)
        if index is None or index[0] is not s:
            index = local.dates = (s, *_date_index(s, "date"))
        _, keys, docs = index
        field = s.schema["date"]
        out: set[int] | None = None
        for r in ranges:
            lo, hi = 0, len(keys)
            if r.start is not None:
                lo = (bisect_right if r.startexcl else bisect_left)(
                    keys, _term_bound(field, r.start)
                )
            if r.end is not None:
                hi = (bisect_left if r.endexcl else bisect_right)(keys, _term_bound(field, r.end))
            found: set[int] = set()
            for ids in docs[lo:hi]:
                found.update(ids)
            out = found if out is None else out & found
        return out or set()

    def _names(self) -> dict[str, tuple[str, str]]:
        names = self._entity_names
        if names is None:
            names = {}
            s = self._searcher("entities")
            for fields in s.all_stored_fields():
                names[fields["id"]] = (fields["name"], fields["type"])
            self._entity_names = names
        return names

    def suggest(self, text: str) -> str | None:
        """'Did you mean': the query with words the index does not hold replaced by near ones.

        Bounded (a pasted page of text used to hold the next search for a minute): only a query
        of up to SUGGEST_MAX_CHARS characters, only words of up to SUGGEST_MAX_WORD letters, at
        most SUGGEST_MAX_WORDS of them, and only corrections that keep the first letter.
        """
        if len(text) > SUGGEST_MAX_CHARS:
            return None
        s = self._searcher("passages")
        corrector = s.corrector("exact")  # the unstemmed words (schema.py)
        analyzer = s.schema["text"].analyzer
        changed = False
        tried = 0

        def fix(m: re.Match[str]) -> str:
            nonlocal changed, tried
            word = m.group(0)
            if word in ("AND", "OR", "NOT", "TO") or len(word) > SUGGEST_MAX_WORD:
                return word
            if tried >= SUGGEST_MAX_WORDS:
                return word
            stems = [t.text for t in analyzer(word.lower())]
            if not stems or any(s.doc_frequency("text", st) for st in stems):
                return word
            tried += 1
            found = corrector.suggest(word.lower(), limit=1, maxdist=2, prefix=1)
            if not found:
                return word
            changed = True
            return str(found[0])

        # plain words only: not field names, field values or quoted phrases
        fixed = _PLAIN_WORD.sub(fix, text)
        return fixed if changed and fixed != text else None

    # -- lookups -----------------------------------------------------------------------------------

    def _article_fields(self, article_id: str) -> dict[str, Any] | None:
        fields: dict[str, Any] | None = self._searcher("articles").document(id=article_id)
        return fields

    def article(self, article_id: str) -> Article | None:
        f = self._article_fields(article_id)
        return None if f is None else _article(f)

    def copies(self, article_id: str) -> list[Article]:
        """The other articles of the article's near-duplicate group, in id order."""
        f = self._article_fields(article_id)
        s = self._searcher("articles")
        if f is None or "group" not in s.schema:
            return []
        group = f.get("group") or article_id
        found = [_article(d) for d in s.documents(group=group)]
        return sorted((a for a in found if a.id != article_id), key=lambda a: a.id)

    def passages(self, article_id: str) -> list[Passage]:
        f = self._article_fields(article_id)
        return [] if f is None else _passages(f)

    def analysis(self, article_id: str) -> Analysis | None:
        f = self._article_fields(article_id)
        return None if f is None else _analysis(f)

    def mentions(self, article_id: str, passage_id: str | None = None) -> list[Mention]:
        a = self.analysis(article_id)
        if a is None:
            return []
        return [m for m in a.mentions if passage_id is None or m.passage_id == passage_id]

    def article_view(self, article_id: str) -> ArticleView | None:
        """An article with its passages and entity mentions, from one read of the store."""
        f = self._article_fields(article_id)
        if f is None:
            return None
        a = _analysis(f)
        if a is None:
            return ArticleView(_article(f), tuple(_passages(f)), ())
        fixes = self.corrections()
        return ArticleView(
            _article(f),
            tuple(_passages(f)),
            fixes.mentions(a.mentions),
            tuple(fixes.facts(a.facts)),
        )

    def resolve_entity(self, name: str) -> Entity | None:
        """The canonical entity a name or alias stands for (the one with most mentions)."""
        s = self._searcher("entities")
        key = name.strip().lower()
        if key.startswith("the "):
            key = key[4:]
        if not key:
            return None
        found = [entity_from_stored(f) for f in s.documents(names=key)]
        if not found:
            found = [entity_from_stored(f) for f in s.documents(id=key)]
        if not found:
            return None
        return self._corrected(max(found, key=lambda e: e.mentions), name)

    def entities(self, type: str | None = None, article: str | None = None) -> list[Entity]:
        s = self._searcher("entities")
        if article is not None:
            a = self.analysis(article)
            if a is None:
                return []
            out = []
            for e in a.entities:
                glob = s.document(id=e.id)
                arts = entity_from_stored(glob).articles if glob else e.articles
                out.append(attrs.evolve(e, articles=arts))
        else:
            out = [entity_from_stored(f) for f in s.all_stored_fields()]
        return self._corrected_entities(out, type, article)

    def facts(
        self,
        query: str | None = None,
        entity: str | None = None,
        article: str | None = None,
        passage: str | None = None,
        limit: int | None = None,
    ) -> list[Fact]:
        s = self._searcher("facts")
        parts: list[wq.Query] = []
        if query and query.strip():
            parts.append(corrected_fields(self.fact_q.parse(query), self, "passage_id"))
        if entity:
            parts.append(entity_query(self, entity, "passage_id", ("entity", "who")))
        if article:
            parts.append(wq.Term("article_id", article))
        if passage:
            parts.append(wq.Term("passage_id", passage))
        q: wq.Query = wq.And(parts) if parts else wq.Every()
        scored = bool(query and query.strip())
        hidden = self._hidden().facts
        flagged = self.corrections().flagged
        room = None if limit is None or not scored else limit + len(flagged)
        results = s.search(q, limit=room, mask=set(hidden) or None)
        facts = [f for f in (load_fact(r["data"]) for r in results) if f.id not in flagged]
        if scored and limit is not None:
            facts = facts[:limit]
        if not scored:
            facts.sort(key=lambda f: (f.article_id, f.evidence.start, f.id))
            if limit is not None:
                facts = facts[:limit]
        return facts
