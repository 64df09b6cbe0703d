"""Citations to copy: the statement, then where it comes from (title, source, date, passage id).

One line of printable text (no control characters), e.g.::

    “The office said the group will meet quarterly.” — Trilateral cyber group, Reuters,
    2023-11-06 (CC BY 2.5) [000_114213d4d3fc5b39#3]
"""

from __future__ import annotations

from newsdesk.index.model import Article, Fact
from newsdesk.tui.safe import one_line

MAX_QUOTE = 600


def cite(
    statement: str,
    passage_id: str,
    title: str = "",
    date: str | None = None,
    source: str = "",
    license: str = "",
) -> str:
    quote = one_line(statement, MAX_QUOTE)
    where = ", ".join(one_line(p) for p in (title, source, date or "") if p and p.strip())
    parts = [f"“{quote}”"]
    if where:
        parts.append(f"— {where}")
    if license.strip():
        parts.append(f"({one_line(license, 80)})")
    parts.append(f"[{one_line(passage_id)}]")
    return " ".join(parts)


def fact_citation(fact: Fact, article: Article | None) -> str:
    return cite(
        fact.statement,
        fact.evidence.passage_id,
        title=article.title if article else "",
        date=article.date if article else None,
        source=article.source if article else "",
        license=article.license if article else "",
    )


def passage_citation(text: str, passage_id: str, article: Article | None) -> str:
    return cite(
        text,
        passage_id,
        title=article.title if article else "",
        date=article.date if article else None,
        source=article.source if article else "",
        license=article.license if article else "",
    )
