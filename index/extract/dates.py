"""Time expressions resolved against an article's date.

``resolve("last week", "2023-11-06")`` gives a :class:`When` spanning 2023-10-30..2023-11-05 with
granularity ``week``; ``fact_date`` turns a When into the ISO date or prefix a fact is filed under
(``2023-10-30``, ``2023-10``, ``2022``). Our own rules answer the common news expressions (relative
days, weeks, months and years, weekdays, month names, quarters, decades, recurrences); dateparser,
imported lazily, is the fallback for other date formats. Durations ("twelve years", "48 hours") and
ages are not dates and resolve to None.

Choices written down:
- The tense of the clause decides which way a month, a day or a weekday named without a year
  goes (``clause_tense`` reads it off spaCy's parse: auxiliaries, the tag's tense, "plans to"):
  ``past`` (and a reporting verb, "says") means the most recent one not after the article date,
  ``future`` (and a present tense that is not reporting: "the rules take effect in January")
  the next one not before it. Without a tense, the most recent one, except that a month or day
  at most two months ahead is taken as ahead ("from April 1" in a February article).
- A weekday equal to the article's own is the article's day ("said Friday" in a Friday story),
  except in the future tense, where it is next week's; "last Friday" is always a week back.
- "the past year" is the 365 days up to the article date; "last year" is the calendar year before;
  "June last year" is that month of it; a fiscal year is taken as the calendar year (its months
  differ by country and company); "the coming months" are the three after the article date.
- An expression that does not resolve as a whole is cut before its first joining word
  ("2 May after weeks" → "2 May"), as spaCy's DATE spans sometimes run on.
- A range's fact date is the longest common prefix of its first and last day at year, month or day
  granularity, so a decade, or a range across a new year, has no fact date; nor has a recurrence.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from typing import Any

from newsdesk.index.model import When

_DATE_ENTS = "newsdesk.dates.date_ents"  # a doc's user_data key
DOC_TEXT = "newsdesk.doc_text"  # the text a doc was parsed from, kept by extract_entities

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "couple of": 2,
}  # fmt: skip
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
UNITS = ("day", "week", "month", "quarter", "year", "decade")

_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WDAY = r"(?P<wd>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_NUM = r"(?P<n>\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
_NUMX = r"(?P<n>\d+|a few|few|several|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|month|quarter|year|decade)s?"
_RELYEAR = r"(?P<ry>the|this|last|next|the current|the previous|the following) year"
_RELYEARS = {"the": 0, "this": 0, "the current": 0, "last": -1, "the previous": -1, "next": 1,
             "the following": 1}  # fmt: skip
_YEAR = r"(?P<y>(?:1[6-9]|20)\d\d)"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|noon))?"

# Leading words that do not change what an expression points at.
_LEAD = re.compile(
    r"^(?:(?:on|in|at|during|over|since|by|until|till|from|through|throughout|as of|as early as|"
    r"as late as|around|about|before|after|of|circa|starting|beginning|ending|sometime|some time)"
    r"\s+)+"
)
_EDGE = re.compile(
    r"^(?:the\s+)?(?:(?:very\s+)?(?:end|start|beginning|middle|close|turn|course|rest|remainder)"
    r"\s+of\s+|(?:early|late|mid|earlier|later)[\s-]+)"
)

RECURRENCES = {
    "daily": "every day", "nightly": "every day", "weekly": "every week",
    "biweekly": "every 2 weeks", "fortnightly": "every 2 weeks", "monthly": "every month",
    "bimonthly": "every 2 months", "quarterly": "every 3 months",
    "semiannually": "every 6 months", "semi-annually": "every 6 months",
    "biannually": "every 6 months", "twice a year": "every 6 months", "twice yearly": "every 6 months",
    "annually": "every year", "annual": "every year", "yearly": "every year",
    "every other week": "every 2 weeks", "every other month": "every 2 months",
    "every other year": "every 2 years",
}  # fmt: skip
_EVERY = re.compile(
    r"^(?:every|each|once every|once per|once an?|per)\s+(?:" + _NUM + r"\s+)?" + _UNIT + r"$"
)
_DURATION = re.compile(
    r"^(?:for\s+|over\s+|within\s+|in\s+|about\s+|almost\s+|nearly\s+|more than\s+|less than\s+|"
    r"just over\s+|just under\s+|up to\s+|at least\s+|some\s+)*"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|few|"
    r"a few|a couple of|couple of|\w+teen|twenty|thirty|forty|fifty|hundreds of|thousands of)"
    r"(?:[\s-]+(?:and a half|half|full|long|more|straight|consecutive|whole))?[\s-]+"
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centuries|century|"
    r"lifetimes?)"
    r"(?:[\s-]+(?:long|old|old's|time|'s time|running|in a row|later|earlier))?$"
)
_NOT_DATE = re.compile(
    r"^(?:ages?|aged)\s|\byears? old\b|-year-old|\brecent(?:ly)?\b|^(?:the\s+)?(?:same\s+)?"
    r"(?:day|time|period|season|era|future|past|present|moment|now|then|once|later|earlier)$"
)


def _norm(expr: str) -> str:
    e = expr.replace("\u2019", "'").replace("\u2018", "'").casefold()
    e = re.sub(r"\s+", " ", e).strip(" .,;:!?()[]\"'")
    e = re.sub(r"(?<=[a-z])'s?$", "", e)  # "last week's"
    # a fiscal or financial year, quarter or half is taken as the calendar one
    e = re.sub(r"\b(?:fiscal|financial|business) (?=year|quarter|half)", "", e)
    return e


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _span(text: str, a: dt.date, b: dt.date, gran: str) -> When:
    return When(text=text, start=_iso(a), end=_iso(b), granularity=gran)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _num(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return NUMBERS.get(s)


def _numx(s: str) -> int | None:
    """A number, or 3 for "few", "several" (an open count of units)."""
    return 3 if s in ("few", "several", "a few") else _num(s)


def _ahead(base: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return base + dt.timedelta(days=n)
    if unit == "week":
        return base + dt.timedelta(weeks=n)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit] * n
    y, m = _add_months(base.year, base.month, months)
    return dt.date(y, m, min(base.day, calendar.monthrange(y, m)[1]))


def _week_of(d: dt.date) -> tuple[dt.date, dt.date]:
    mon = d - dt.timedelta(days=d.weekday())
    return mon, mon + dt.timedelta(days=6)


def _unit_span(text: str, base: dt.date, unit: str, shift: int) -> When | None:
    """The calendar unit holding base, shifted by ``shift`` units (-1 last, 0 this, +1 next)."""
    if unit == "day":
        d = base + dt.timedelta(days=shift)
        return _span(text, d, d, "day")
    if unit == "week":
        mon, sun = _week_of(base + dt.timedelta(weeks=shift))
        return _span(text, mon, sun, "week")
    if unit == "weekend":
        sat = base - dt.timedelta(days=(base.weekday() - 5) % 7)  # the latest Saturday <= base
        if shift > 0:
            sat = sat + dt.timedelta(weeks=1)
        elif shift < 0 and base.weekday() >= 5:
            sat = sat - dt.timedelta(weeks=1)  # "last weekend" on a weekend: the one before
        return _span(text, sat, sat + dt.timedelta(days=1), "week")
    if unit == "month":
        y, m = _add_months(base.year, base.month, shift)
        return _span(text, dt.date(y, m, 1), _month_end(y, m), "month")
    if unit == "quarter":
        q0 = (base.month - 1) // 3 * 3 + 1
        y, m = _add_months(base.year, q0, 3 * shift)
        return _span(text, dt.date(y, m, 1), _month_end(*_add_months(y, m, 2)), "quarter")
    if unit == "year":
        y = base.year + shift
        return _span(text, dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    if unit == "decade":
        y = base.year // 10 * 10 + 10 * shift
        return _span(text, dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade")
    return None


def _back(base: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return base - dt.timedelta(days=n)
    if unit == "week":
        return base - dt.timedelta(weeks=n)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit] * n
    y, m = _add_months(base.year, base.month, -months)
    return dt.date(y, m, min(base.day, calendar.monthrange(y, m)[1]))


def _recurrence(e: str) -> str | None:
    if e in RECURRENCES:
        return RECURRENCES[e]
    m = _EVERY.match(e)
    if m:
        n = (_num(m.group("n")) or 1) if m.group("n") else 1
        unit = m.group("unit")
        return f"every {unit}" if n == 1 else f"every {n} {unit}s"
    m = re.match(r"^(?:every|each) (?:" + _UNIT + r"|" + _WDAY + r")$", e)
    if m:
        return f"every {m.group('unit')}" if m.group("unit") else f"every {m.group('wd').title()}"
    m = re.match(r"^(?:once|twice|(\w+) times) (?:a|an|per|every) " + _UNIT + "$", e)
    if m:
        return None  # a frequency within a unit, not a period; rare in news facts
    return None


def _month_year(mon: int, base: dt.date | None, tense: str | None, rel: str = "") -> int | None:
    """The year of a month named without one, relative to the base date."""
    if base is None:
        return None
    if rel == "last":
        return base.year if mon < base.month else base.year - 1
    if rel == "next":
        return base.year if mon > base.month else base.year + 1
    if rel == "this":
        return base.year
    if tense == "future":
        return base.year if mon >= base.month else base.year + 1
    if tense == "past":
        return base.year if mon <= base.month else base.year - 1
    if tense == "present":  # the nearest, ahead on a tie ("the rules take effect in January")
        d0 = mon - base.month
        return base.year + min((0, 1, -1), key=lambda k: (abs(d0 + 12 * k), -k))
    if mon > base.month and mon - base.month <= 2 and base.month + 12 - mon > 6:
        return base.year  # a month just ahead, not most of a year back
    return base.year if mon <= base.month else base.year - 1


def _month_day_year(mon: int, day: int, base: dt.date | None, tense: str | None) -> int | None:
    if base is None:
        return None
    if tense == "future":
        return base.year if (mon, day) >= (base.month, base.day) else base.year + 1
    if tense == "present":  # the nearest, ahead on a tie
        opts = [
            (y, _safe_date(y, mon, min(day, 28))) for y in (base.year, base.year + 1, base.year - 1)
        ]
        return min(
            ((y, d) for y, d in opts if d is not None),
            key=lambda yd: (abs((yd[1] - base).days), yd[1] < base),
        )[0]
    if (mon, day) <= (base.month, base.day):
        return base.year
    if tense == "past":
        return base.year - 1
    ahead = _safe_date(base.year, mon, min(day, 28))
    if ahead is not None and (ahead - base).days <= 62:
        return base.year  # a day just ahead ("from April 1" in February), not most of a year back
    return base.year - 1


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _rules(text: str, e: str, base: dt.date | None, tense: str | None) -> When | None | bool:
    """Our own rules: a When, None (recognised but not a date), or False (not recognised)."""
    future = tense == "future"
    rec = _recurrence(e)
    if rec:
        return When(text=text, start=None, end=None, granularity="recurrence", recurrence=rec)
    if _DURATION.match(e) or _NOT_DATE.search(e):
        return None
    e = _LEAD.sub("", e)
    e = re.sub(r"^the (?=\d|(?:19|20)\d\d)", "", e)
    edge = _EDGE.match(e)
    if edge:
        rest = e[edge.end() :]
        inner = _rules(text, rest, base, tense)
        if inner is not False:
            return inner
    if e in _RELDAYS:
        return None if base is None else _unit_span(text, base, "day", _RELDAYS[e])
    e = re.sub(_PART_OF_DAY + "$", "", e) if " " in e else e

    # ISO dates
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", e)
    if m:
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _span(text, d, d, "day") if d else None
    m = re.fullmatch(r"(\d{4})-(\d\d)", e)
    if m and 1 <= int(m[2]) <= 12:
        y, mo = int(m[1]), int(m[2])
        return _span(text, dt.date(y, mo, 1), _month_end(y, mo), "month")
    # Years and decades
    m = re.fullmatch(r"(?:fiscal |fy ?|the year |calendar |the )?" + _YEAR + "(?: year)?", e)
    if m:
        y = int(m["y"])
        return _span(text, dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    m = re.fullmatch(r"(?:the )?(?:early |mid-?|late )?((?:1[6-9]|20)\d)0'?s", e)
    if m:
        y = int(m[1]) * 10
        return _span(text, dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade")
    m = re.fullmatch(r"(?:the )?'?([0-9])0'?s", e)
    if m:
        y = 1900 + int(m[1]) * 10
        return _span(text, dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade")
    # Month with day and/or year
    for pat in (
        _MONTH + r" " + _DAY + r"(?:,? " + _YEAR + ")?",
        _DAY + r" (?:of )?" + _MONTH + r"(?:,? " + _YEAR + ")?",
    ):
        m = re.fullmatch(pat, e)
        if m:
            mon, day = MONTHS[m["mon"]], int(m["d"])
            y_ = int(m["y"]) if m["y"] else _month_day_year(mon, day, base, tense)
            if y_ is None:
                return None
            d = _safe_date(y_, mon, day)
            return _span(text, d, d, "day") if d else None
    # "June last year", "March 5 this year": the month (and day) in a year named by its relation
    m = re.fullmatch(
        _MONTH + r"(?: " + _DAY + r")?,? (?:of )?(?P<ry>last|this|next|the previous|the following)"
        r" year",
        e,
    )
    if m and base is not None:
        y = base.year + {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(
            m["ry"], 0
        )
        mon = MONTHS[m["mon"]]
        if m["d"]:
            d = _safe_date(y, mon, int(m["d"]))
            return _span(text, d, d, "day") if d else None
        return _span(text, dt.date(y, mon, 1), _month_end(y, mon), "month")
    m = re.fullmatch(
        r"(?:(?P<rel>last|this|next|past) )?" + _MONTH + r"(?:,? (?:of )?" + _YEAR + ")?", e
    )
    if m:
        mon = MONTHS[m["mon"]]
        if (
            m["mon"] in ("may", "mar", "sat", "sun")
            and not m["y"]
            and not m["rel"]
            and text.islower()
        ):
            return False
        yr = int(m["y"]) if m["y"] else _month_year(mon, base, tense, m["rel"] or "")
        if yr is None:
            return None
        return _span(text, dt.date(yr, mon, 1), _month_end(yr, mon), "month")
    # Seasons and quarters
    m = re.fullmatch(r"(?:(?P<rel>last|this|next|past) )?(?P<s>spring|summer|autumn|fall|winter)"
                     r"(?: (?:of )?" + _YEAR + ")?", e)  # fmt: skip
    if m:
        a, b = SEASONS[m["s"]]
        if m["y"]:
            y = int(m["y"])
        elif base is None:
            return None
        else:
            y = base.year
            if m["rel"] == "last" or (not future and a > base.month and m["rel"] != "next"):
                y -= 1
            elif m["rel"] == "next" or (future and b < base.month):
                y += 1
        y2 = y + 1 if b < a else y
        return _span(text, dt.date(y, a, 1), _month_end(y2, b), "quarter")
    m = re.fullmatch(r"(?:the )?(?:(?P<o>first|second|third|fourth|1st|2nd|3rd|4th) quarter|q(?P<q>[1-4]))"
                     r"(?:,? (?:of )?(?:fiscal )?(?:" + _YEAR + "|" + _RELYEAR + "))?", e)  # fmt: skip
    if m:
        q = ORDINALS[m["o"]] if m["o"] else int(m["q"])
        if m["y"]:
            y = int(m["y"])
        elif base is None:
            return None
        elif m["ry"]:
            y = base.year + _RELYEARS[m["ry"]]
        else:
            bq = (base.month - 1) // 3 + 1
            y = (
                base.year
                - (1 if (q > bq and not future) else 0)
                + (1 if (q < bq and future) else 0)
            )
        mo = 3 * (q - 1) + 1
        return _span(text, dt.date(y, mo, 1), _month_end(y, mo + 2), "quarter")
    m = re.fullmatch(
        r"(?:the )?(?:(?P<o>first|second|1st|2nd) half|h(?P<h>[12]))(?:,? (?:of )?(?:"
        + _YEAR
        + "|"
        + _RELYEAR
        + "))?",
        e,
    )
    if m and (m["y"] or base):
        h = 1 if (m["o"] in ("first", "1st") or m["h"] == "1") else 2
        y = int(m["y"]) if m["y"] else base.year + _RELYEARS[m["ry"] or "this"]  # type: ignore[union-attr]
        return _span(text, dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "quarter")

    if base is None:
        return False if re.search(r"\d", e) else None
    if e in ("year", "the year", "the current year"):  # "the end of the year", "for the year"
        return _unit_span(text, base, "year", 0)
    m = re.fullmatch(r"(?:(?P<rel>the|this|last|next|past|coming) )?weekend", e)
    if m:
        rel = m["rel"] or "the"
        if rel in ("last", "past"):
            return _unit_span(text, base, "weekend", -1)
        if rel in ("next", "coming"):
            return _unit_span(text, base, "weekend", 1)
        if rel == "this" and tense != "past" and base.weekday() < 5:
            return _unit_span(text, base, "weekend", 1)  # the weekend of this week
        return _unit_span(text, base, "weekend", 1 if future and base.weekday() < 5 else 0)
    # last/this/next unit
    m = re.fullmatch(r"(?:the )?(?P<rel>last|this|next|previous|coming|following|past|current|"
                     r"earlier this|later this|prior) (?P<unit>day|week|weekend|month|quarter|year|decade)", e)  # fmt: skip
    if m:
        rel, unit = m["rel"], m["unit"]
        if rel == "past" or (rel == "last" and e.startswith("the ")):
            if unit in ("day", "weekend"):
                return _unit_span(text, base, "day", -1)
            start = _back(base, unit, 1) + dt.timedelta(days=1)
            return _span(text, start, base, unit)
        shift = {"last": -1, "previous": -1, "prior": -1, "next": 1, "coming": 1, "following": 1}
        return _unit_span(text, base, unit, shift.get(rel, 0))
    # the past/last N units
    m = re.fullmatch(r"(?:the )?(?:past|last|previous) " + _NUMX + " " + _UNIT, e)
    if m and _numx(m["n"]):
        unit, n = m["unit"], _numx(m["n"]) or 1
        start = _back(base, unit, n) + dt.timedelta(days=1)
        return _span(text, start, base, unit)
    # the coming months, the next two years, the weeks ahead: the units after the article date
    m = re.fullmatch(
        r"(?:the )?(?:coming|next|following|upcoming)(?: " + _NUMX + r")? " + _UNIT, e
    ) or re.fullmatch(r"(?:the )?(?P<n>)(?P<unit>day|week|month|year)s (?:ahead|to come)", e)
    plural = m is not None and (m["n"] is not None or e.endswith("s"))  # not "the next month"
    if m and plural and m["unit"] != "decade":
        unit, n = m["unit"], (_numx(m["n"]) if m["n"] else 3) or 3
        start = base + dt.timedelta(days=1)
        return _span(text, start, _ahead(base, unit, n), unit)
    # N units ago
    m = re.fullmatch(r"(?:about |almost |nearly |more than |just over |some |over )?" + _NUM
                     + r" " + _UNIT + r" (?:ago|earlier|before|back)", e)  # fmt: skip
    if m and _num(m["n"]):
        unit, n = m["unit"], _num(m["n"]) or 1
        d = _back(base, unit, n)
        if unit == "day":
            return _span(text, d, d, "day")
        return _unit_span(text, d, unit, 0)
    m = re.fullmatch(r"(?:a |one )?(?P<unit>day|week|month|year|decade) (?:ago|earlier)", e)
    if m:
        return (
            _unit_span(text, _back(base, m["unit"], 1), m["unit"], 0)
            if m["unit"] != "day"
            else (_unit_span(text, base, "day", -1))
        )
    # in N units (future)
    m = re.fullmatch(r"(?:in|within) " + _NUM + " " + _UNIT + r"(?:'? time)?", text.casefold())
    if m and _num(m["n"]):
        return None  # a span of time ahead, not a date
    # Weekdays
    m = re.fullmatch(r"(?:(?P<rel>last|this|next|past|coming) )?" + _WDAY + _PART_OF_DAY, e)
    if m:
        wd, rel = WEEKDAYS[m["wd"]], m["rel"]
        if rel in ("next", "coming") or (future and rel not in ("last", "past", "this")):
            d = base + dt.timedelta(days=(wd - base.weekday()) % 7 or 7)
        elif rel == "this":
            d = base + dt.timedelta(days=wd - base.weekday())  # that day of the article's week
        elif rel in ("last", "past"):
            d = base - dt.timedelta(days=(base.weekday() - wd) % 7 or 7)
        elif tense == "present":  # "voters go to the polls on Tuesday": ahead, or today
            d = base + dt.timedelta(days=(wd - base.weekday()) % 7)
        else:  # "said Friday" in a Friday story is that Friday
            d = base - dt.timedelta(days=(base.weekday() - wd) % 7)
        return _span(text, d, d, "day")
    return False


_RELDAYS = {
    "today": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tonight": 0,
    "earlier today": 0, "later today": 0, "this day": 0, "yesterday": -1, "last night": -1,
    "yesterday morning": -1, "yesterday afternoon": -1, "yesterday evening": -1,
    "the previous day": -1, "the day before": -1, "the day before yesterday": -2,
    "tomorrow": 1, "tomorrow morning": 1, "tomorrow night": 1, "the next day": 1,
    "the following day": 1,
}  # fmt: skip
_PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def _dateparser(text: str, base: dt.date | None, future: bool) -> When | None:
    """dateparser for the formats our rules do not know; only day/week/month/year answers count."""
    e = _norm(text)
    has_month = re.search(r"\b(" + "|".join(MONTHS) + r")\b", e)
    if not (has_month or re.search(r"(?:1[6-9]|20)\d\d|\d[/.-]\d", e)):
        return None
    from dateparser.date import DateDataParser  # lazily: only extraction needs it

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(e)
    except Exception:  # dateparser raises on odd input; an odd expression is just not a date
        return None
    if data is None or data.date_obj is None or data.period not in _PERIODS:
        return None
    d = data.date_obj.date()
    if base is None and not re.search(r"(?:1[6-9]|20)\d\d", e):
        return None
    period = _PERIODS[data.period]
    if period == "day":
        return _span(text, d, d, "day")
    if period == "year":
        return _span(text, dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), "year")
    return _unit_span(text, d, period, 0)


def _parse_base(article_date: str | None) -> dt.date | None:
    if not article_date:
        return None
    try:
        return dt.date.fromisoformat(article_date[:10])
    except ValueError:
        return None


# Words that end a time expression when spaCy's DATE span runs on ("2 May after weeks").
_JOIN = re.compile(
    r"[\s,]+(?:after|before|amid|following|when|while|as|and|but|with|at|in|to|from|for|"
    r"because|despite|during|until|since|on)\s+\S",
    re.IGNORECASE,
)
_RANGE = re.compile(
    r"(?:from |between )?(?P<a>.+?)(?: to | until | till | through | and |\s*[-\u2013]\s*)(?P<b>.+)",
    re.IGNORECASE,
)
# What a cut-off head must hold to stand as a date by itself: a digit, a month, a weekday or a
# day word ("the year" alone, cut from "the year before the Paralympics", says nothing).
_CALENDAR = re.compile(
    r"\d|\b(?:" + "|".join(list(MONTHS) + list(WEEKDAYS)) + r"|yesterday|today|tomorrow|tonight)\b",
    re.IGNORECASE,
)
_ORDER = {g: i for i, g in enumerate(("day", "week", "month", "quarter", "year", "decade"))}


def _rules_only(text: str, base: dt.date | None, tense: str | None) -> When | None:
    got = _rules(text, _norm(text), base, tense)
    return got if isinstance(got, When) and got.start is not None else None


def _pieces(text: str, base: dt.date | None, tense: str | None) -> When | None:
    """An expression that does not resolve whole: a range of two that do ("from 2004 to 2009",
    "between March and May"), else its head before a joining word or a comma, when the head
    names a calendar date ("2 May after weeks of protests", "Yesterday, day five")."""
    m = _RANGE.fullmatch(text)
    if m:
        a, b = _rules_only(m["a"], base, tense), _rules_only(m["b"], base, tense)
        if a and b and a.end and b.end and a.start <= b.end:  # type: ignore[operator]
            gran = max(a.granularity, b.granularity, key=lambda g: _ORDER.get(g, 0))
            return When(text=text, start=a.start, end=b.end, granularity=gran)
    for cut in (_JOIN.search(text, 1), re.search(r",\s", text)):
        if cut is not None and _CALENDAR.search(text[: cut.start()]):
            w = _rules_only(text[: cut.start()], base, tense)
            if w is not None:
                return w
    return None


@functools.lru_cache(maxsize=8192)
def _resolve(text: str, article_date: str | None, tense: str | None) -> When | None:
    base = _parse_base(article_date)
    e = _norm(text)
    if not e or len(e) > 60 or e == "the year":  # alone, often another year ("the year before")
        return None
    try:
        got = _rules(text, e, base, tense)
        if got is False:
            got = _dateparser(text, base, tense == "future")
        if got is None and " " in e:
            got = _pieces(text, base, tense)
    except (ValueError, OverflowError):  # a date before year 1 or after 9999
        return None
    return got  # type: ignore[return-value]


def resolve(
    expr: str, article_date: str | None, future: bool = False, tense: str | None = None
) -> When | None:
    """Resolve a time expression against the article date (ISO). None when it is not a date.

    ``tense`` is the clause's (``clause_tense``): ``"past"`` takes the most recent matching
    month, day or weekday, ``"future"`` the next one; ``future=True`` is ``tense="future"``.
    The When's ``text`` is the words that resolved (the whole expression, or its head when it
    was cut before a joining word).
    """
    return _resolve(expr.strip(), article_date, "future" if future else tense)


def article_when(article_date: str | None) -> When | None:
    """The When of a fact dated only by its article."""
    if not article_date:
        return None
    return When(text="", start=article_date, end=article_date, granularity="article")


def fact_date(when: When | None, article_date: str | None) -> str | None:
    """The ISO date or prefix a fact is filed under: a day, a month (YYYY-MM) or a year (YYYY).

    No When means the article's date; a range gives the longest common prefix of its first and
    last day (a week across a month boundary gives the year); a recurrence or decade gives None.
    """
    if when is None:
        return article_date or None
    if when.granularity == "recurrence" or not when.start:
        return None
    start, end = when.start, when.end or when.start
    if when.granularity == "article" or start == end:
        return start
    if start[:7] == end[:7]:
        return start[:7]
    if start[:4] == end[:4]:
        return start[:4]
    return None


def is_future(words: str) -> bool:
    """True when a clause's auxiliaries speak of the future ("will", "'ll", "is going to")."""
    return bool(
        re.search(r"\b(?:will|shall|'ll|is going to|are going to|plans? to|is due)\b", words)
    )


# Heads whose infinitive complement is spoken of as ahead: "plans to", "is expected to", "is due to".
FUTURE_HEADS = frozenset(
    "plan schedule expect due set intend aim hope prepare propose seek slate poise go".split()
)
# Verbs that report: their present tense ("says") is the time of the report, not ahead of it.
REPORTING = frozenset(
    """say tell report announce state add confirm claim write note warn insist explain
    reveal disclose estimate""".split()
)
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would", "may", "might", "could", "can",
                         "must", "should"})  # fmt: skip


def clause_tense(tok: Any) -> str | None:
    """The tense of the clause a spaCy token hangs from: ``"past"``, ``"future"``, ``"present"``
    (not a reporting verb) or None, read off the parse: modal auxiliaries and "plans to / is
    expected to / is due to" are ahead, a past tag or a perfect is past, "says" is a report."""
    v = tok
    for _ in range(12):
        if v.pos_ in ("VERB", "AUX") or v.head.i == v.i:
            break
        v = v.head
    if v.pos_ not in ("VERB", "AUX"):
        return None
    if v.dep_ == "parataxis" and v.lemma_ in REPORTING and v.head.pos_ in ("VERB", "AUX"):
        v = v.head  # "Effective April 11, the utility said, it is establishing …": the claim's
    aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in aux}
    perfect = any(c.lemma_ == "have" for c in aux)
    if words & _FUTURE_AUX:
        return "past" if perfect else "future"
    past = v.tag_ == "VBD" or perfect or any(c.tag_ == "VBD" for c in aux)
    if v.lemma_ in FUTURE_HEADS and any(c.dep_ == "xcomp" for c in v.children) and not past:
        return "future"
    head = v.head
    infinitive = v.dep_ == "xcomp" or (
        v.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
    )  # "expects to complete", "expects the plant to open"
    if infinitive and head.lemma_ in FUTURE_HEADS:
        head_aux = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
        if head.tag_ != "VBD" and not any(c.tag_ == "VBD" for c in head_aux):
            return "future"  # "expects to complete the sale by September", "is due to meet"
        return None
    if past:
        return "past"
    if v.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in aux):
        passive = any(c.dep_ == "auxpass" for c in aux)
        return "past" if v.lemma_ in REPORTING and not passive else "present"
    return None


_AHEAD_LEAD = re.compile(r"\b(?:through|thru|until|till|by|next|from)\s+$", re.I)
# A month naming a market's forward position: "for March shipment", "May delivery", "the July
# contract", "December futures" (a month without a year there is the next one)
_FORWARD_TAIL = re.compile(
    r"^(?:\s*/\s*[A-Z][a-z]+)?\s+(?:shipments?|deliver(?:y|ies)|loading|arrivals?|contracts?|"
    r"futures|positions?|options?|expiry)\b",
    re.I,
)
_MONTH_ONLY = re.compile(_MONTH, re.I)  # a month name alone ("March", "Sept.")
_BACK_LEAD = re.compile(r"\b(?:since|last)\s+$", re.I)


def span_tense(text: str, start: int, end: int, tense: str | None) -> str | None:
    """Which way a time expression at ``text[start:end]`` points, for ``resolve``: the clause's
    tense (``clause_tense``) and the word before it: "since" points back, "through / until /
    by" ahead unless the clause is past ("the offer runs through June", "the program ran until
    March")."""
    before = text[max(0, start - 12) : start] + " "
    words = text[start:end].lstrip().split(" ", 1)[0] + " "
    if _BACK_LEAD.search(before) or _BACK_LEAD.match(words):
        return "past"
    if tense != "past" and (_AHEAD_LEAD.search(before) or _AHEAD_LEAD.match(words)):
        return "future"
    if _MONTH_ONLY.fullmatch(text[start:end].strip()) and _FORWARD_TAIL.match(text[end:]):
        return "future"  # "booked for March shipment" in a February story: this March
    return tense


def evidence_dates(doc: Any, start: int, end: int) -> list[tuple[int, int, Any]]:
    """(start, end, root token) of spaCy's DATE entities between two offsets of the article,
    leaving out those of a relative clause, a participle or an apposition describing a noun
    ("X, who joined in 2015, said", "the plant, opened in 1998, …"): their time is not the
    sentence's."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    starts, ents = _date_ents(doc)
    out = []
    for i in range(bisect.bisect_left(starts, span.start), len(ents)):
        ent = ents[i]
        if ent.start >= span.end:
            break
        if ent.end > span.end or names_a_thing(ent.root, ent.start_char, ent.end_char):
            continue
        x = ent.root
        for _ in range(12):
            if x.dep_ in ("relcl", "acl", "appos") or x.head.i == x.i:
                break
            x = x.head
        if x.dep_ not in ("relcl", "acl", "appos"):
            out.append((ent.start_char, ent.end_char, ent.root))
    return out


def _date_ents(doc: Any) -> tuple[list[int], list[Any]]:
    """The DATE entities of a doc in token order and their first tokens, computed once per doc:
    ``Span.ents`` walks every entity of the doc, so one call per fact was quadratic in a long
    article."""
    got = doc.user_data.get(_DATE_ENTS)
    if got is None:
        ents = [e for e in doc.ents if e.label_ == "DATE"]
        got = ([e.start for e in ents], ents)
        doc.user_data[_DATE_ENTS] = got
    return got


def names_a_thing(root: Any, start: int, end: int) -> bool:
    """Is the time expression (its root token, its span) a noun's modifier that names or dates
    a thing rather than the clause: a bare year ("the 1991 agreement", "the 2018 World Cup",
    "GM's 2008 revenue") or the recurrence of an amount ("a $14.6 billion annual loss")? A year
    on the noun of a prepositional phrase other than "of" dates the clause ("in a 2011 radio
    interview"), and so does a recurring event ("will facilitate quarterly meetings"). Nor
    does the time since which a record holds ("its lowest level since 1997")."""
    head = root.head
    if (
        root.dep_ == "pobj"
        and head.lower_ == "since"
        and head.head.pos_ in ("NOUN", "ADJ")
        and head.head.ent_type_ not in ("DATE", "TIME")
    ):
        return True  # "its lowest level since October 1997": the record's reference, not when
    if not (
        root.dep_ in ("nummod", "compound", "amod", "nmod", "quantmod")
        and head.pos_ in ("NOUN", "PROPN")
        and not start <= head.idx < end
        and head.ent_type_ not in ("DATE", "TIME")  # "Thursday evening"
        and head.lower_ not in _PARTS_OF_DAY
    ):
        return False
    doc = root.doc
    words = _norm((doc.user_data.get(DOC_TEXT) or doc.text)[start:end])
    if _recurrence(words) is not None:  # "a $1.1 billion annual dividend" is an amount per year
        amounts = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
        return any(t.ent_type_ in amounts for t in root.doc[head.left_edge.i : head.i])
    if re.fullmatch(r"(?:the )?(?:fiscal |fy ?)?\d{4}", words):
        return not (head.dep_ == "pobj" and head.head.lower_ != "of")
    return False


_PARTS_OF_DAY = frozenset("morning afternoon evening night noon midnight session trading".split())
