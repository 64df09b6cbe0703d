"""Whoosh's query tree in the OpenSearch query DSL: one query language on both engines.

The query text is parsed by Whoosh's own parser (``newsdesk.index.search.query.QueryBuilder``:
fields and aliases, phrases on the unstemmed copies, boolean logic, prefix, wildcard, ranges,
the AND-then-scored-OR fallback and the proximity boost), over a twin of the engine's schema
whose stemmed fields are not stemmed: the tree's words are then the words people typed, and
OpenSearch stems them with the index's own analyser (``match``), so a word always meets the
index's form of it. That tree is translated node by node here; nothing is parsed twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh import fields as wf
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS, StandardAnalyzer
from whoosh.query import spans
from whoosh.util.times import long_to_datetime

from newsdesk.index.errors import QueryError
from newsdesk.index.search.query import QueryBuilder
from newsdesk.index.when import iso_day

STEMMED = ("text", "title")  # the fields OpenSearch stems (everything else is matched as is)


def unstemmed(schema: wf.Schema) -> wf.Schema:
    """A copy of a Whoosh schema whose stemmed fields tokenize and drop stop words as Whoosh's
    StemmingAnalyzer does, without stemming."""
    out = wf.Schema()
    for name, field in schema.items():
        if name in STEMMED:
            field = wf.TEXT(analyzer=StandardAnalyzer(stoplist=STOP_WORDS, minsize=2), phrase=True)
        out.add(name, field)
    return out


def raw_builder(schema: wf.Schema, fields: tuple[str, ...] = ("text", "title")) -> QueryBuilder:
    """A QueryBuilder whose trees hold the typed words of the stemmed fields."""
    return QueryBuilder(unstemmed(schema), fields)


class Translator:
    """Translates Whoosh query trees for one index (``names``: Whoosh field -> index field)."""

    def __init__(self, schema: wf.Schema, names: Mapping[str, str]) -> None:
        self.schema = schema
        self.names = dict(names)

    def field(self, name: str) -> str:
        return self.names.get(name, name)

    def __call__(self, q: wq.Query) -> dict[str, Any]:
        return self.node(q)

    def _boost(self, q: wq.Query, field: str | None = None) -> float:
        """The node's boost (the title's field boost is the index's similarity's business)."""
        return float(getattr(q, "boost", 1.0) or 1.0)

    def node(self, q: wq.Query) -> dict[str, Any]:  # noqa: C901 - one branch per node type
        if isinstance(q, wq.Every):
            return {"match_all": {}}
        if isinstance(q, wq.NullQuery.__class__) or q is wq.NullQuery:
            return {"match_none": {}}
        if isinstance(q, wq.Not):
            return {"bool": {"must": [{"match_all": {}}], "must_not": [self.node(q.query)]}}
        if isinstance(q, spans.SpanNear2) or isinstance(q, spans.SpanNear):
            return self._near(q)
        if isinstance(q, wq.And):
            must, must_not = [], []
            for child in q.subqueries:
                if isinstance(child, wq.Not):
                    must_not.append(self.node(child.query))
                else:
                    must.append(self.node(child))
            if not must:
                must.append({"match_all": {}})
            return self._bool(q, must=must, must_not=must_not)
        if isinstance(q, (wq.Or, wq.DisjunctionMax)):
            should, must_not = [], []
            for child in q.subqueries:
                if isinstance(child, wq.Not):  # "a OR NOT b": anything but b counts
                    should.append(self.node(child))
                else:
                    should.append(self.node(child))
            if isinstance(q, wq.DisjunctionMax):
                return {
                    "dis_max": {
                        "queries": should,
                        "tie_breaker": q.tiebreak,
                        "boost": self._boost(q),
                    }
                }
            return self._bool(q, should=should, must_not=must_not, minimum_should_match=1)
        if isinstance(q, wq.AndNot):
            return self._bool(q, must=[self.node(q.a)], must_not=[self.node(q.b)])
        if isinstance(q, wq.AndMaybe):
            return self._bool(q, must=[self.node(q.a)], should=[self.node(q.b)])
        if isinstance(q, wq.Require):
            return self._bool(q, must=[self.node(q.a)], filter=[self.node(q.b)])
        if isinstance(q, wq.ConstantScoreQuery):
            return {"constant_score": {"filter": self._filter(q.child), "boost": q.score}}
        if isinstance(q, wq.Phrase):
            return self._phrase(q)
        if isinstance(q, wq.NumericRange):
            return self._numeric_range(q)
        if isinstance(q, wq.TermRange):
            rng: dict[str, Any] = {"boost": self._boost(q, q.fieldname)}
            if q.start is not None:
                rng["gt" if q.startexcl else "gte"] = q.start
            if q.end is not None:
                rng["lt" if q.endexcl else "lte"] = q.end
            return {"range": {self.field(q.fieldname): rng}}
        if isinstance(q, wq.FuzzyTerm):
            return self._match(q, fuzziness=q.maxdist, prefix_length=q.prefixlength)
        if isinstance(q, wq.Prefix):
            return {"prefix": {self.field(q.fieldname): {"value": q.text, "boost": self._boost(q)}}}
        if isinstance(q, wq.Wildcard):
            return {
                "wildcard": {self.field(q.fieldname): {"value": q.text, "boost": self._boost(q)}}
            }
        if isinstance(q, wq.Term):
            return self._term(q)
        raise QueryError(f"cannot run the query: {type(q).__name__} has no OpenSearch form")

    # -- the node kinds ---------------------------------------------------------------------------

    def _filter(self, q: wq.Query) -> dict[str, Any]:
        """A constant score's filter: an OR of plain terms of one keyword field (passages by id,
        search/corrected.py) is one ``terms`` query, not thousands of clauses."""
        if isinstance(q, wq.Or) and q.subqueries:
            field = getattr(q.subqueries[0], "fieldname", None)
            if (
                field is not None
                and field not in STEMMED
                and field not in ("exact", "title_exact")
                and all(
                    type(c) is wq.Term and c.fieldname == field and isinstance(c.text, str)
                    for c in q.subqueries
                )
            ):
                values = [getattr(c, "text", "") for c in q.subqueries]
                return {"terms": {self.field(field): values}}
        return self.node(q)

    def _bool(self, q: wq.Query, **clauses: Any) -> dict[str, Any]:
        body = {k: v for k, v in clauses.items() if v not in ([], None)}
        boost = self._boost(q)
        if boost != 1.0:
            body["boost"] = boost
        return {"bool": body}

    def _term(self, q: wq.Term) -> dict[str, Any]:
        name = q.fieldname
        text = q.text
        if isinstance(text, bytes):  # a numeric field's term: back to its number
            field = self.schema[name]
            value = field.from_bytes(text)
            return {"term": {self.field(name): {"value": value, "boost": self._boost(q)}}}
        if name in STEMMED or name in ("exact", "title_exact"):
            return self._match(q)
        return {"term": {self.field(name): {"value": text, "boost": self._boost(q, name)}}}

    def _match(self, q: wq.Term | wq.FuzzyTerm, **extra: Any) -> dict[str, Any]:
        """A typed word on an analysed field: OpenSearch analyses it as it analysed the text."""
        body: dict[str, Any] = {"query": q.text, "boost": self._boost(q, q.fieldname)}
        body.update(extra)
        return {"match": {self.field(q.fieldname): body}}

    def _phrase(self, q: wq.Phrase) -> dict[str, Any]:
        return {
            "match_phrase": {
                self.field(q.fieldname): {
                    "query": " ".join(q.words),
                    "slop": max(0, int(q.slop) - 1),  # Whoosh's slop 1 is OpenSearch's 0
                    "boost": self._boost(q, q.fieldname),
                }
            }
        }

    def _near(self, q: Any) -> dict[str, Any]:
        """The proximity boost: the words within slop positions of each other, any order."""
        words = []
        fieldname = None
        for t in q.qs if hasattr(q, "qs") else q.subqueries:
            if not isinstance(t, wq.Term):
                raise QueryError("cannot run the query: a span of other than words")
            fieldname = t.fieldname
            words.append(t.text)
        if fieldname is None:
            return {"match_none": {}}
        return {
            "intervals": {
                self.field(fieldname): {
                    "match": {
                        "query": " ".join(words),
                        "max_gaps": int(q.slop),
                        "ordered": bool(q.ordered),
                    },
                    "boost": self._boost(q),
                }
            }
        }

    def _numeric_range(self, q: wq.NumericRange) -> dict[str, Any]:
        field = self.schema[q.fieldname] if q.fieldname in self.schema else None
        is_date = isinstance(field, wf.DATETIME)

        def value(x: Any) -> Any:
            if x is None:
                return None
            if is_date:
                d = long_to_datetime(x)  # four-digit years: strftime gives "1" for year 1
                return iso_day(d) + d.strftime("T%H:%M:%S.%f")[:-3]
            return x

        rng: dict[str, Any] = {"boost": self._boost(q)}
        lo, hi = value(q.start), value(q.end)
        if lo is not None:
            rng["gt" if q.startexcl else "gte"] = lo
        if hi is not None:
            rng["lt" if q.endexcl else "lte"] = hi
        clause = {"range": {self.field(q.fieldname): rng}}
        if q.constantscore:
            return {"constant_score": {"filter": clause, "boost": self._boost(q)}}
        return clause
