"""The date facet: the hits by month as one line of bars under the entity tabs.

``2021-05 █·····▁··▂▃ 2023-12``: one bar a month from the first month of the hits to the last (a
bar for several months when they do not fit), its height the passages of those months, a dot for
none; the labels are the first and last month. The numbers are the search's own (counted with
the entity facets, over every hit, not the page).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widget import Widget

from newsdesk.tui.widgets.marks import MUTED, TITLE

BARS = "▁▂▃▄▅▆▇█"
EMPTY = "·"


def _index(month: str) -> int | None:
    try:
        year, mon = month.split("-")[:2]
        return int(year) * 12 + int(mon) - 1
    except ValueError:
        return None


def _label(i: int) -> str:
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def cells(months: Mapping[str, int], width: int) -> tuple[str, str, list[int]]:
    """The first and last month and the passages of each bar, at most width bars."""
    counts: dict[int, int] = {}
    for month, n in months.items():
        i = _index(month)
        if i is not None and n > 0:
            counts[i] = counts.get(i, 0) + n
    if not counts or width < 1:
        return "", "", []
    first, last = min(counts), max(counts)
    span = last - first + 1
    per = -(-span // width)  # months a bar
    out = [0] * (-(-span // per))
    for i, n in counts.items():
        out[(i - first) // per] += n
    return _label(first), _label(last), out


def histogram(months: Mapping[str, int], width: int) -> Content:
    """The line: first month, the bars, last month (only the month when there is one)."""
    if width < 20:
        width = 20
    first, last, bars = cells(months, width - 16)
    if not bars:
        return Content("no dated hits").stylize(MUTED)
    top = max(bars)
    line = "".join(
        BARS[min(len(BARS) - 1, (n * len(BARS) - 1) // top)] if n else EMPTY for n in bars
    )
    if first == last:
        return Content.assemble((first, MUTED), " ", (line, TITLE), f" {bars[0]:,}")
    return Content.assemble((first, MUTED), " ", (line, TITLE), " ", (last, MUTED))


class DateFacet(Widget):
    """One line: the hits of the current search by month."""

    DEFAULT_CSS = """
    DateFacet {
        height: 1;
        width: 1fr;
        background: $surface;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.months: dict[str, int] = {}

    def set_months(self, months: Mapping[str, int]) -> None:
        self.months = dict(months)
        self.tooltip = (
            "Hits by month: " + ", ".join(f"{m} {n:,}" for m, n in list(self.months.items())[-36:])
            if self.months
            else None
        )
        self.refresh()

    def render(self) -> Content:
        return histogram(self.months, self.size.width)
