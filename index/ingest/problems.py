"""Problems: the warnings readers yield about bad input (``Problem``), the error for a top-level
path that cannot be reached (``SourceError``), and the cap on how many warnings one file shows."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from newsdesk.index.model import Article


class SourceError(Exception):
    """A top-level path that does not exist (or cannot be reached at all)."""


@attrs.frozen(slots=True)
class Problem:
    """One warning about the input. ``skipped`` is False when the article was kept anyway."""

    path: str
    line: int | None
    message: str
    skipped: bool

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


Item = Article | Problem


def capped(path: str, items: Iterator[Item], limit: int) -> Iterator[Item]:
    """``items`` with at most ``limit`` Problems; the rest are counted in one final Problem."""
    shown = hidden = 0
    for item in items:
        if isinstance(item, Problem):
            if shown >= limit:
                hidden += 1
                continue
            shown += 1
        yield item
    if hidden:
        yield Problem(path, None, f"{hidden} more problems in this file not shown", False)


def empty_reason(raw: str, size: int) -> str:
    """Why a file of ``size`` bytes whose decoded text is ``raw`` gave no article."""
    if not size:
        return "empty file, skipped"
    if not raw.strip():
        return "no text (only whitespace), skipped"
    return "no text after the header, skipped"
