"""One rendering of a fact's time, shared by the app's fact pane and lists, the command line and
the exports, so "last week" never reads as a week in one place and ``2023`` in another.

``render_when(when, date)`` turns a :class:`When` (or its JSON form) into one short string:

    a day                      2023-11-06
    a whole month / year       2023-10 / 2022
    a quarter, a half          2023-Q3, 2023-H1
    a decade                   1990s
    a Monday-to-Sunday week    week of 2023-10-30
    several whole years        2004–2009
    any other range            2023-10-28 – 2023-11-05
    a recurrence               every 3 months
    nothing resolved           undated

The JSON ``date`` field is not this: it stays the ISO date or common prefix the contract names.
Years print with four digits everywhere (``0001-01-01``), which ``strftime("%Y")`` does not do on
every platform; ``iso_day`` formats a date or datetime that way. Imports nothing but the model.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from newsdesk.index.model import When

UNDATED = "undated"
DASH = " \u2013 "  # an en dash between two days


def iso_day(value: dt.date | dt.datetime) -> str:
    """YYYY-MM-DD with a four-digit year, for a date or a datetime."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _day(text: str | None) -> dt.date | None:
    """An ISO day, accepting years written with fewer than four digits ("1-01-01")."""
    parts = (text or "")[:10].split("-")
    if len(parts) != 3:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _prefix(text: str) -> str:
    """An ISO date or prefix (YYYY, YYYY-MM) with its year padded to four digits."""
    head, sep, rest = text.partition("-")
    return (head.zfill(4) if head.isdigit() else head) + sep + rest


def _month_end(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def render_range(a: dt.date, b: dt.date) -> str:
    """The shortest exact name of the days a..b."""
    if a == b:
        return iso_day(a)
    whole_months = a.day == 1 and b == _month_end(b)
    if whole_months:
        months = (b.year - a.year) * 12 + b.month - a.month + 1
        if a.month == 1 and b.month == 12:
            years = b.year - a.year + 1
            if years == 1:
                return f"{a.year:04d}"
            if years == 10 and a.year % 10 == 0:
                return f"{a.year:04d}s"
            return f"{a.year:04d}\u2013{b.year:04d}"
        if months == 1:
            return f"{a.year:04d}-{a.month:02d}"
        if months == 3 and a.month % 3 == 1:
            return f"{a.year:04d}-Q{a.month // 3 + 1}"
        if months == 6 and a.month in (1, 7):
            return f"{a.year:04d}-H{1 if a.month == 1 else 2}"
        return f"{a.year:04d}-{a.month:02d}{DASH}{b.year:04d}-{b.month:02d}"
    if a.weekday() == 0 and (b - a).days == 6:
        return f"week of {iso_day(a)}"
    return f"{iso_day(a)}{DASH}{iso_day(b)}"


def render_when(when: When | Mapping[str, Any] | None, date: str | None = None) -> str:
    """A fact's time as people read it everywhere: ``when`` (a When or its JSON dict), else the
    fact's filed ``date``; ``undated`` when neither says anything."""
    if isinstance(when, Mapping):
        rec, start, end = when.get("recurrence"), when.get("start"), when.get("end")
    elif when is not None:
        rec, start, end = when.recurrence, when.start, when.end
    else:
        rec = start = end = None
    if rec:
        return str(rec)
    a, b = _day(start), _day(end or start)
    if a is not None and b is not None and a <= b:
        return render_range(a, b)
    if start:
        return _prefix(str(start))
    return _prefix(date) if date else UNDATED
