"""Citations to copy: the statement, then where it comes from (title, source, date, passage id).

One line of printable text (no control characters), e.g.::

    “The office said the group will meet quarterly.” — Trilateral cyber group, Reuters,
    2023-11-06 (CC BY 2.5) [000_114213d4d3fc5b39#3]

A fact that is not plainly asserted says so after its statement, so a pasted citation never
states as true what the text conditions, hedges or denies::

    “If Boeing is indicted, the suspension is reinstated” (conditional) — …
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
    qualifiers: tuple[str, ...] = (),
    verbatim: bool = True,
) -> str:
    quote = one_line(statement, MAX_QUOTE)
    where = ", ".join(one_line(p) for p in (title, source, date or "") if p and p.strip())
    # quote marks only around words the source said as such; a paraphrase (REPORT) goes bare
    parts = [f"“{quote}”" if verbatim else quote]
    if qualifiers:  # never cited as plain truth: "(conditional)", "(negated, future)"
        parts.append(f"({', '.join(one_line(q) for q in qualifiers)})")
    if where:
        parts.append(f"— {where}")
    if license.strip():
        parts.append(f"({one_line(license, 80)})")
    parts.append(f"[{one_line(passage_id)}]")
    return " ".join(parts)


def fact_citation(fact: Fact, article: Article | None) -> str:
    """The fact's statement (which keeps its condition, hedge or negation), what qualifies it
    when anything does, and where it comes from."""
    return cite(
        fact.statement,
        fact.evidence.passage_id,
        title=article.title if article else "",
        date=article.date if article else None,
        source=origin(article, fact.evidence.start),
        license=article.license if article else "",
        qualifiers=fact.qualifiers,
        verbatim=fact.kind != "REPORT",
    )


def origin(article: Article | None, offset: int = -1) -> str:
    """The source, with the provenance a reader needs to find it again: the PDF page of
    ``offset``, the URL, the capture date (web pages, feeds, archives)."""
    if article is None:
        return ""
    page = article.page_at(offset) if offset >= 0 else None
    parts = [
        article.source,
        f"p. {page}" if page else "",
        article.url,
        f"captured {article.captured[:10]}" if article.captured else "",
    ]
    return ", ".join(p for p in parts if p)


def passage_citation(text: str, passage_id: str, article: Article | None) -> str:
    return cite(
        text,
        passage_id,
        title=article.title if article else "",
        date=article.date if article else None,
        source=origin(article, article.text.find(text) if article else -1),
        license=article.license if article else "",
    )
