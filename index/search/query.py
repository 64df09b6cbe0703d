"""The query language: Whoosh's syntax with newsdesk's fields, phrases, and AND→OR fallback.

- Bare words search the passage text (stemmed) and the article title together (BM25F).
- ``"quoted phrases"`` are exact: they run on unstemmed copies of the text and the title.
- Fields: ``person:``, ``org:``, ``place:``, ``misc:``, ``entity:`` (canonical names, any case),
  ``kind:`` and ``who:`` (facts in the passage), ``title:``, ``article:`` (article id),
  ``date:`` (``date:2023``, ``date:[2023-01 TO 2023-12]``, ``date:>2022``).
- All words are required first; if no passage holds them all, the query is rerun as a scored OR.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.query import spans

from newsdesk.index.errors import QueryError

FIELD_ALIASES = {
    "people": "person",
    "persons": "person",
    "organization": "org",
    "organisation": "org",
    "orgs": "org",
    "places": "place",
    "location": "place",
    "loc": "place",
    "entities": "entity",
    "article": "article_id",
    "id": "article_id",
}

# A double-quoted phrase not already given a field ("field:" right before it).
_PHRASE = re.compile(r'(?<![\w:])"([^"]+)"')
_FIELDED = re.compile(r"\b([A-Za-z_]+):")


def _rewrite(text: str, known: set[str]) -> str:
    def field(m: re.Match[str]) -> str:
        name = m.group(1).lower()
        name = FIELD_ALIASES.get(name, name)
        return f"{name}:" if name in known else m.group(0)

    text = _FIELDED.sub(field, text)
    out: list[str] = []
    pos = 0
    for start, end in _field_groups(text):  # phrases inside `field:( … )` keep their field
        out.append(_PHRASE.sub(_exact, text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(_PHRASE.sub(_exact, text[pos:]))
    return "".join(out)


def _exact(m: re.Match[str]) -> str:
    return f'(exact:"{m.group(1)}" OR title_exact:"{m.group(1)}")'


def _field_groups(text: str) -> list[tuple[int, int]]:
    """Spans of `field:( … )` groups (to their matching parenthesis, or the end)."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"\b[A-Za-z_]+:\(", text):
        if spans and m.start() < spans[-1][1]:
            continue
        depth, i, quoted = 0, m.end() - 1, False
        while i < len(text):
            c = text[i]
            if c == '"':
                quoted = not quoted
            elif not quoted and c == "(":
                depth += 1
            elif not quoted and c == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        spans.append((m.start(), min(i + 1, len(text))))
    return spans


def make_parser(schema: Any, fields: tuple[str, ...], group: Any) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(fields), schema, group=group)
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


class QueryBuilder:
    """Parses user queries for one schema (passages or facts)."""

    def __init__(self, schema: Any, fields: tuple[str, ...] = ("text", "title")) -> None:
        self.schema = schema
        self.fields = fields
        self.known = set(schema.names())
        self.and_parser = make_parser(schema, fields, qparser.AndGroup)
        self.or_parser = make_parser(schema, fields, qparser.OrGroup.factory(0.9))

    def parse(self, text: str, fallback: bool = False) -> wq.Query:
        """The query for text; raises QueryError with a readable message on bad syntax."""
        text = text.strip()
        if not text:
            return wq.Every()
        rewritten = _rewrite(text, self.known)
        parser = self.or_parser if fallback else self.and_parser
        try:
            q = parser.parse(rewritten)
        except Exception as exc:  # whoosh raises many kinds on odd input
            raise QueryError(f"cannot read the query: {exc}") from exc
        errors = [n for n in _walk(q) if getattr(n, "error", None)]
        if errors:
            raise QueryError(f"cannot read the query: {errors[0].error}")
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            raise QueryError("the query has no searchable words")
        return self._with_proximity(q)

    def _with_proximity(self, q: wq.Query) -> wq.Query:
        """Prefer passages where the query's words stand close together."""
        terms = [t for f, t in q.iter_all_terms() if f == "text"]
        uniq = list(dict.fromkeys(terms))
        if not 2 <= len(uniq) <= 6:
            return q
        near = spans.SpanNear2([wq.Term("text", t) for t in uniq], slop=8, ordered=False)
        near.boost = 1.5  # type: ignore[attr-defined]
        return wq.AndMaybe(q, near)


def _walk(q: wq.Query) -> list[wq.Query]:
    out = [q]
    for child in q.children():
        out.extend(_walk(child))
    return out


def query_terms(q: wq.Query) -> dict[str, set[str]]:
    """Terms of the query per field (for highlighting), skipping negated parts."""
    out: dict[str, set[str]] = {}

    def visit(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.Phrase):
            out.setdefault("phrase:" + node.fieldname, set()).add("\x00".join(node.words))
            for w in node.words:
                out.setdefault(node.fieldname, set()).add(w)
            return
        if isinstance(node, wq.Term):
            text = node.text
            if isinstance(text, str):
                out.setdefault(node.fieldname, set()).add(text)
            return
        for child in node.children():
            visit(child)

    visit(q)
    return out
