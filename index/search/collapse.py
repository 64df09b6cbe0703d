"""One hit per near-duplicate group: of the ranked passages, those of the first article seen of
each group are kept (every passage of it, as without groups) and the passages of the group's
other articles — its copies — are folded into it. Only indexes that hold copies pay for it (the
``dup`` term marks the passages of copies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The ranked list is fetched again, this many times longer, while folded copies leave the page
# short.
GROW = 4


def has_copies(s: Any) -> bool:
    """Whether the passages index holds any copy (a cheap term lookup)."""
    return "dup" in s.schema and s.doc_frequency("dup", "1") > 0


def fold(results: Any) -> list[Any]:
    """The hits of ``results`` without the copies of a group already shown."""
    owner: dict[str, str] = {}
    kept = []
    for r in results:
        aid = r["article_id"]
        group = r.get("group") or aid
        first = owner.setdefault(group, aid)
        if first == aid:
            kept.append(r)
    return kept


def folded_page(
    results: Any, rerun: Callable[[int], Any], want: int, asked: int | None = None
) -> list[Any]:
    """The first ``want`` folded hits of ``results`` (the top ``asked`` passages, ``want`` by
    default); ``rerun(n)`` searches again for the top ``n`` passages while the copies leave
    fewer than ``want``."""
    asked = want if asked is None else asked
    while True:
        kept = fold(results)
        if len(kept) >= want or results.scored_length() < asked:  # enough, or every match
            return kept[:want]
        asked *= GROW
        results = rerun(asked)


def group_sizes(articles_searcher: Any, groups: set[str]) -> dict[str, int]:
    """How many articles each group has (an index written before groups existed: none)."""
    if "group" not in articles_searcher.schema:
        return {}
    out = {}
    for g in groups:
        out[g] = sum(1 for _ in articles_searcher.document_numbers(group=g))
    return out
