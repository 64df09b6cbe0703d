"""The query language: Whoosh's syntax with newsdesk's fields, phrases, and AND→OR fallback.

- Bare words search the passage text (stemmed) and the article title together (BM25F).
- ``"quoted phrases"`` are exact: they run on unstemmed copies of the text and the title.
- Fields: ``person:``, ``org:``, ``place:``, ``misc:``, ``entity:`` (canonical names, any case),
  ``kind:`` and ``who:`` (facts in the passage), ``title:``, ``article:`` (article id),
  ``date:`` (``date:2023``, ``date:[2023-01 TO 2023-12]``, ``date:>2022``).
- Field names are case-insensitive and have aliases (``people:`` is ``person:``): the parser's
  field-name nodes are renamed (:class:`FieldNamesPlugin`), so quoted text is never rewritten.
- All words are required first; if no passage holds them all, the query is rerun as a scored OR.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.qparser import syntax
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


class FieldNamesPlugin(qparser.FieldAliasPlugin):
    """Field names in any case, and their aliases (``people:`` → ``person:``), at the parser level.

    It renames the parser's field-name nodes, so text inside quotes (``"the people: a history"``)
    is never touched; a name that is no field of the schema is left for the fields plugin to
    read back as plain words."""

    def __init__(self, aliases: dict[str, str]) -> None:
        fieldmap: dict[str, list[str]] = {}
        for alias, name in aliases.items():
            fieldmap.setdefault(name, []).append(alias)
        super().__init__(fieldmap)

    def do_aliases(self, parser: Any, group: Any) -> Any:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_aliases(parser, node)
            elif node.has_fieldname and node.fieldname is not None:
                name = node.fieldname.lower()
                name = self.reverse.get(name, name)
                if parser.schema is None or name in parser.schema:
                    node.set_fieldname(name, override=True)
        return group


def _rewrite(text: str) -> str:
    """Bare quoted phrases run on the unstemmed copies (phrases inside `field:( … )` keep their
    field)."""
    out: list[str] = []
    pos = 0
    for start, end in _field_groups(text):
        out.append(_PHRASE.sub(_exact, text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(_PHRASE.sub(_exact, text[pos:]))
    return "".join(out)


def _exact(m: re.Match[str]) -> str:
    return f'exact:"{m.group(1)}"'


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
    parser.add_plugin(FieldNamesPlugin(FIELD_ALIASES))
    return parser


TITLE_BOOST = 1.5


class QueryBuilder:
    """Parses user queries for one schema (passages or facts).

    A bare word or phrase must match the passage's (or fact's) own text; when ``title`` is one of
    the fields, the title only lifts the matches whose article title holds the words too (an
    optional clause): a title match never makes a passage without the words a hit. ``title:``
    still searches titles on purpose."""

    def __init__(self, schema: Any, fields: tuple[str, ...] = ("text", "title")) -> None:
        self.schema = schema
        self.fields = tuple(f for f in fields if f != "title") or fields
        self.title_boost = "title" in fields and "title" in schema.names()
        self.known = set(schema.names())
        self.and_parser = make_parser(schema, self.fields, qparser.AndGroup)
        self.or_parser = make_parser(schema, self.fields, qparser.OrGroup.factory(0.9))

    def parse(self, text: str, fallback: bool = False) -> wq.Query:
        """The query for text; raises QueryError with a readable message on bad syntax."""
        text = text.strip()
        if not text:
            return wq.Every()
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(
                f"the query is too long: {len(text):,} characters (at most {MAX_QUERY_CHARS:,})"
            )
        check_syntax(text, self.known)
        rewritten = _rewrite(text)
        parser = self.or_parser if fallback else self.and_parser
        try:
            q = parser.parse(rewritten)
        except Exception as exc:  # whoosh raises many kinds on odd input
            if "date" in text.lower() and isinstance(exc, ValueError):
                raise QueryError(f"cannot read the date in the query: {DATE_FORMS}") from exc
            raise QueryError(f"cannot read the query: {exc}") from exc
        errors = [n for n in _walk(q) if getattr(n, "error", None)]
        if errors:
            raise QueryError(f"cannot read the query: {errors[0].error}")
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            raise QueryError("the query has no searchable words")
        _check_size(q)
        # optional lifts, in one AndMaybe (nested ones lose hits to whoosh's block-quality skipping
        # in a top-N search)
        lifts = [self._proximity(q)]
        if self.title_boost:
            lifts.append(_title_clause(q))
        present = [lift for lift in lifts if lift is not None]
        if not present:
            return q
        return wq.AndMaybe(q, present[0] if len(present) == 1 else wq.Or(present))

    def _proximity(self, q: wq.Query) -> wq.Query | None:
        """Prefer passages where the query's words stand close together."""
        terms = [t for f, t in q.iter_all_terms() if f == "text"]
        uniq = list(dict.fromkeys(terms))
        if not 2 <= len(uniq) <= 6:
            return None
        near = spans.SpanNear2([wq.Term("text", t) for t in uniq], slop=8, ordered=False)
        near.boost = 1.5  # type: ignore[attr-defined]
        return near


# The fields a person types (aliases aside), in the order the help lists them.
USER_FIELDS = (
    "person",
    "org",
    "place",
    "misc",
    "entity",
    "kind",
    "who",
    "title",
    "article",
    "date",
)
DATE_FORMS = "write date:2023, date:2023-05, date:>2022 or date:[2023-01 TO 2023-12]"
_FIELD_NAME = re.compile(r"([A-Za-z_]+):")


def _where(text: str, i: int) -> str:
    """'at character 7 ("[2023 TO")': where a problem is, for a person."""
    near = text[i : i + 12].strip() or text[max(0, i - 12) : i].strip()
    return f"at character {i + 1} (“{near}”)" if near else f"at character {i + 1}"


def check_syntax(text: str, known: set[str] | frozenset[str]) -> None:
    """Raise a QueryError naming the problem and where it is: a quote, parenthesis or range not
    closed (or closed without being opened), or a field the index does not have."""
    quote: int | None = None
    parens: list[int] = []
    brackets: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if quote is not None:
            if c == '"':
                quote = None
        elif c == '"':
            quote = i
        elif c == "(":
            parens.append(i)
        elif c == ")":
            if not parens:
                raise QueryError(f"a closing parenthesis with none open {_where(text, i)}")
            parens.pop()
        elif c in "[{":
            brackets.append((i, c))
        elif c in "]}":
            if not brackets:
                raise QueryError(f"a range closed but never opened {_where(text, i)}")
            brackets.pop()
        elif (m := _FIELD_NAME.match(text, i)) and (i == 0 or not text[i - 1].isalnum()):
            name = m.group(1).lower()
            if FIELD_ALIASES.get(name, name) not in known:
                fields = ", ".join(f + ":" for f in USER_FIELDS if FIELD_ALIASES.get(f, f) in known)
                raise QueryError(
                    f"unknown field “{m.group(1)}:” {_where(text, i)}; fields: {fields}"
                )
            i = m.end()
            continue
        i += 1
    if quote is not None:
        raise QueryError(f'a quote is not closed: add " {_where(text, quote)}')
    if brackets:
        at, c = brackets[-1]
        close = "]" if c == "[" else "}"
        raise QueryError(f"a range is not closed: add {close} {_where(text, at)}; {DATE_FORMS}")
    if parens:
        raise QueryError(f"a parenthesis is not closed: add ) {_where(text, parens[-1])}")


# Size caps, checked at parse time with a clear message: a phrase of 200 repeated words took 25 s
# to match, and no reader types a query this big (the engine also gives every search a time
# budget).
MAX_QUERY_CHARS = 1_000
MAX_PHRASE_WORDS = 24
MAX_TERMS = 64


def _check_size(q: wq.Query) -> None:
    nodes = _walk(q)
    for node in nodes:
        if isinstance(node, wq.Phrase) and len(node.words) > MAX_PHRASE_WORDS:
            raise QueryError(
                f"the phrase is too long: {len(node.words)} words (at most {MAX_PHRASE_WORDS})"
            )
    # the title copies of the words do not count: each word is searched in text and title
    terms = {(f, t) for f, t in q.iter_all_terms() if f not in ("title", "title_exact")}
    if len(terms) > MAX_TERMS:
        raise QueryError(f"the query has too many words: {len(terms)} (at most {MAX_TERMS})")


def _title_clause(q: wq.Query) -> wq.Query | None:
    """The query's words and phrases searched in the title (the optional lift), or None."""
    parts: list[wq.Query] = []

    def visit(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            visit(node.a)
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname == "exact":
                parts.append(wq.Phrase("title_exact", node.words))
            return
        if isinstance(node, wq.Term):
            if node.fieldname == "text" and isinstance(node.text, str):
                parts.append(wq.Term("title", node.text))
            return
        for child in node.children():
            visit(child)

    visit(q)
    if not parts:
        return None
    # a constant lift: whoosh's block-quality skipping in a top-N search underestimates a scored
    # optional title clause and drops hits from the first page
    return wq.ConstantScoreQuery(wq.Or(list(dict.fromkeys(parts))), TITLE_BOOST)


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
