"""What a view covers, computed once so that the view, its count and its export agree.

- :func:`results_facts`: the facts whose evidence is in a passage of a search's hits (the facts
  table, and the "facts of the results" export), with how many hits they were taken from;
- :func:`fact_clauses`: the ``who:`` and ``kind:`` clauses of a query, which restrict the facts
  shown for an entity (``f``) as they restrict the hits.

Plain functions over a Reader (no Textual), run in the app's worker threads.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from newsdesk.index.errors import QueryError

if TYPE_CHECKING:
    from newsdesk.index.model import Fact
    from newsdesk.index.seam import Reader, SearchRequest

MAX_HITS = 5_000  # the facts table reads at most this many hits (best first)
PAGE = 500

# who:Name, who:"A Name", kind:QUOTE, kind:(QUOTE OR CLAIM): a fact field and its value
_FACT_CLAUSE = re.compile(r'(?<![\w:])(?:who|kind):(?:"[^"]*"|\([^)]*\)|[^\s()"]+)', re.IGNORECASE)


def fact_clauses(query: str) -> str:
    """The query's who:/kind: clauses, joined by spaces ("" when it has none)."""
    return " ".join(m.group(0) for m in _FACT_CLAUSE.finditer(query))


@attrs.frozen(slots=True)
class ResultsFacts:
    facts: tuple[Fact, ...]
    hits_read: int  # the hits whose passages were read
    total: int  # the hits of the search

    @property
    def partial(self) -> bool:
        return self.hits_read < self.total


def results_facts(engine: Reader, request: SearchRequest, max_hits: int = MAX_HITS) -> ResultsFacts:
    """The facts in the passages of the search's hits (at most max_hits, best first), in the
    order of the hits and, within a passage, of the text."""
    passages: dict[str, str] = {}  # passage id -> article id, in hit order
    offset = 0
    total = 0
    request = attrs.evolve(request, facets=False, highlight=False)
    while offset < max_hits:
        res = engine.search(request.page(offset, min(PAGE, max_hits - offset)))
        if res.error:
            raise QueryError(res.error)
        total = res.total
        for hit in res.hits:
            passages.setdefault(hit.passage_id, hit.article_id)
        offset += len(res.hits)
        if not res.hits or offset >= res.total:
            break
    order = {pid: i for i, pid in enumerate(passages)}
    facts: list[Fact] = []
    for article_id in dict.fromkeys(passages.values()):
        facts.extend(f for f in engine.facts(article=article_id) if f.evidence.passage_id in order)
    facts.sort(key=lambda f: (order[f.evidence.passage_id], f.evidence.start, f.id))
    return ResultsFacts(tuple(facts), min(offset, total), total)
