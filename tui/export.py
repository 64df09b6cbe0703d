"""Export search results, entities or facts as JSON Lines, CSV or Markdown.

A plain function layer over the engine (no Textual): the app's export commands and the command line
both call :func:`export`.

- ``jsonl``: one JSON object a line, the command line's ``--json`` shapes (lossless).
- ``csv``: a header row, lists joined with ``; ``; cells made printable (no control characters)
  and guarded against spreadsheet formulas: a cell whose first character, or first after leading
  whitespace, is one of ``= + - @``, TAB or CR gets a ``'`` in front (OWASP's CSV injection rule).
- ``md``: a readable document; text made printable and on one line, Markdown's special characters
  escaped; ids in code spans fenced by more backticks than they hold.

:func:`atomic_output` writes a file through a temporary file in the same folder, renamed over the
target only when the export succeeded: a failed export leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from newsdesk.index.model import Entity, Fact, to_dict
from newsdesk.index.when import render_when
from newsdesk.tui.safe import one_line, printable

if TYPE_CHECKING:
    from newsdesk.index.seam import Reader, SearchRequest

WHATS = ("results", "entities", "facts")
FORMATS = ("jsonl", "csv", "md")
PAGE = 500

RESULT_COLUMNS = (
    "rank",
    "article_id",
    "passage_id",
    "title",
    "date",
    "score",
    "text",
    "highlights",
)
ENTITY_COLUMNS = ("id", "name", "type", "aliases", "mentions", "articles", "count")
FACT_COLUMNS = (
    "id",
    "kind",
    "statement",
    "who",
    "predicate",
    "object",
    "negated",
    "date",
    "when",
    "where",
    "attributed_to",
    "article_id",
    "passage_id",
    "evidence",
    "modality",
    "qualifiers",
    "qualified_by",
)


def fact_json(fact: Fact) -> dict[str, Any]:
    """A fact in the command line's JSON shape."""
    return {
        "id": fact.id,
        "kind": fact.kind,
        "statement": fact.statement,
        "who": list(fact.who),
        "predicate": fact.predicate,
        "object": fact.object,
        "negated": fact.negated,
        "date": fact.date,
        "when": to_dict(fact.when) if fact.when is not None else None,
        "where": list(fact.where),
        "attributed_to": list(fact.attributed_to),
        "sources": list(fact.sources),  # names in who that are source phrases, not entities
        "article_id": fact.article_id,
        "passage_id": fact.evidence.passage_id,
        "evidence": {
            "text": fact.evidence.text,
            "start": fact.evidence.start,
            "end": fact.evidence.end,
        },
        # what qualifies it (after the original keys): asserted | negated | conditional |
        # hedged | future, every qualifier that applies, and the words that qualify it
        "modality": fact.modality,
        "qualifiers": list(fact.qualifiers),
        "qualified_by": fact.qualified_by,
    }


def entity_json(entity: Entity, count: int | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "mentions": entity.mentions,
        "articles": list(entity.articles),
    }
    if count is not None:
        row["count"] = count  # passages in the query's results that mention it
    return row


def result_rows(engine: Reader, request: SearchRequest) -> Iterator[dict[str, Any]]:
    """Every hit of the search, best first, in pages."""
    offset = 0
    request = attrs.evolve(request, facets=False, highlight=True)
    while True:
        res = engine.search(request.page(offset, PAGE))
        if res.error:
            from newsdesk.index.errors import QueryError

            raise QueryError(res.error)
        for hit in res.hits:
            row = hit.as_json()
            row["rank"] = hit.rank
            yield row
        offset += len(res.hits)
        if len(res.hits) < PAGE or offset >= res.total:
            return


def entity_rows(engine: Reader, request: SearchRequest) -> Iterator[dict[str, Any]]:
    """Entities of the corpus (no query), or of the search's results with their counts there."""
    if not request.text.strip() and not request.entities:
        for e in engine.entities():
            yield entity_json(e)
        return
    res = engine.search(attrs.evolve(request, limit=1, offset=0, facets=True, highlight=False))
    if res.error:
        from newsdesk.index.errors import QueryError

        raise QueryError(res.error)
    known = {e.id: e for e in engine.entities()}
    rows = [row for rows in res.facets.values() for row in rows]
    rows.sort(key=lambda r: (-r.count, r.name.lower()))
    for r in rows:
        e = known.get(r.id) or Entity(r.id, r.name, r.type)
        yield entity_json(e, r.count)


def fact_rows(engine: Reader, query: str, entity: str | None = None) -> Iterator[dict[str, Any]]:
    for f in engine.facts(query or None, entity=entity):
        yield fact_json(f)


def export(
    engine: Reader,
    what: str,
    request: SearchRequest,
    fmt: str,
    out: TextIO,
    entity: str | None = None,
) -> int:
    """Write the rows of what (results | entities | facts) for a search to out; the number of
    rows.

    entity narrows results and entities to passages mentioning it, and facts to facts about it;
    the request's entities (the app's filter chips) narrow results and entities to passages
    mentioning them all.
    Raises ValueError for an unknown what or fmt and index.errors.QueryError for a bad query.
    """
    if what not in WHATS:
        raise ValueError(f"cannot export {what!r}: choose one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    query = request.text
    ents = tuple(dict.fromkeys(((entity,) if entity else ()) + request.entities))
    request = attrs.evolve(request, entities=ents)
    if what == "results":
        rows: Iterator[dict[str, Any]] = result_rows(engine, request)
        columns: tuple[str, ...] = RESULT_COLUMNS
    elif what == "entities":
        rows, columns = entity_rows(engine, request), ENTITY_COLUMNS
    else:
        rows, columns = (
            fact_rows(engine, query, entity or (ents[0] if ents else None)),
            FACT_COLUMNS,
        )
    if fmt == "jsonl":
        return _jsonl(rows, out)
    if fmt == "csv":
        return _csv(rows, columns, out)
    return _markdown(what, query, entity, rows, out)


def export_facts(facts: Iterable[Fact], fmt: str, out: TextIO, query: str = "") -> int:
    """Write the given facts (what a view shows: the fact pane, the facts table) to out."""
    rows = (fact_json(f) for f in facts)
    if fmt == "jsonl":
        return _jsonl(rows, out)
    if fmt == "csv":
        return _csv(rows, FACT_COLUMNS, out)
    if fmt == "md":
        return _markdown("facts", query, None, rows, out)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def _jsonl(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        text = "; ".join(_flat(v) for v in value)
    elif isinstance(value, dict):
        text = _flat(value)
    else:
        text = str(value)
    if text.lstrip()[:1] in _FORMULA or text[:1] in ("\t", "\r"):
        text = "'" + text
    return printable(text)


# What makes a spreadsheet read a cell as a formula (OWASP): checked before the control characters
# are made printable, so a TAB or CR in front still counts.
_FORMULA = frozenset("=+-@\t\r")


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        if "granularity" in value:  # when: the one rendering of a fact's time
            return render_when(value)
        if "text" in value and "start" in value:  # highlights, evidence
            return str(value["text"])
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv(rows: Iterator[dict[str, Any]], columns: tuple[str, ...], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        n += 1
    return n


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~"})


def md(text: Any) -> str:
    """Text as literal Markdown: printable, on one line, special characters escaped."""
    return " ".join(printable(str(text)).split()).translate(_MD_SPECIAL)


def md_code(text: Any) -> str:
    """Text as a Markdown code span: printable, on one line, fenced by one backtick more than
    the longest run of backticks it holds (CommonMark), padded when it starts or ends with one."""
    body = one_line(str(text)) or " "
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`"):
        body = f" {body} "
    return f"{fence}{body}{fence}"


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[TextIO]:
    """A text file that replaces path only when the block succeeds.

    The rows go to a temporary file in the same folder, renamed over path at the end; on an
    exception it is removed and path is left as it was. The new file keeps the old one's
    permissions (or gets the usual ones for a new file). A path that is not a regular file
    (``/dev/null``, a FIFO) is written in place: it cannot be replaced.
    """
    target = Path(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(target, "w", encoding="utf-8", newline="") as out:
            yield out
        return
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    folder = target.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _markdown(
    what: str, query: str, entity: str | None, rows: Iterator[dict[str, Any]], out: TextIO
) -> int:
    title = f"# newsdesk {what}"
    scope = []
    if query.strip():
        scope.append(f"query {md(query)}")
    if entity:
        scope.append(f"entity {md(entity)}")
    out.write(title + (" — " + ", ".join(scope) if scope else "") + "\n\n")
    n = 0
    if what == "entities":
        out.write("| name | type | mentions | articles | in results |\n|---|---|---|---|---|\n")
        for row in rows:
            count = row.get("count")
            out.write(
                f"| {md(row['name'])} | {md(row['type'])} | {row['mentions']} | "
                f"{len(row['articles'])} | {'' if count is None else count} |\n"
            )
            n += 1
        return n
    for row in rows:
        n += 1
        if what == "results":
            head = f"{n}. **{md(row['title'] or row['article_id'])}**"
            meta = [md(row["date"] or "undated"), md_code(row["passage_id"])]
            out.write(f"{head} ({', '.join(meta)})\n\n    {md(row['text'])}\n\n")
        else:
            qualifiers = row.get("qualifiers") or []
            label = f"_{md(', '.join(qualifiers))}_ " if qualifiers else ""
            out.write(f"{n}. **{md(row['kind'])}** {label}{md(row['statement'])}\n")
            details = []
            if qualifiers and row.get("qualified_by"):
                details.append("qualified by: " + md(row["qualified_by"]))
            if row["who"]:
                details.append("who: " + md(", ".join(row["who"])))
            if row["attributed_to"]:
                details.append("via: " + md(" → ".join(row["attributed_to"])))
            details.append("when: " + md(render_when(row["when"], row["date"])))
            if row["where"]:
                details.append("where: " + md(", ".join(row["where"])))
            details.append(f"passage: {md_code(row['passage_id'])}")
            for d in details:
                out.write(f"    - {d}\n")
            out.write(f"\n    > {md(row['evidence']['text'])}\n\n")
    return n
