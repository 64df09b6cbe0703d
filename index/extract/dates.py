"""Time expressions resolved against an article's date.

``resolve("last week", "2023-11-06")`` gives a :class:`When` spanning 2023-10-30..2023-11-05 with
granularity ``week``; ``fact_date`` turns a When into the ISO date or prefix a fact is filed under
(``2023-10-30``, ``2023-10``, ``2022``). Our own rules answer the common news expressions (relative
days, weeks, months and years, weekdays, month names, quarters, decades, recurrences); dateparser,
imported lazily, is the fallback for other date formats. Durations ("twelve years", "48 hours") and
ages are not dates and resolve to None.

Choices written down:
- Without a year, a month, a month and day or a weekday means the most recent one not after the
  article date (a weekday: strictly before it), except that a month or day at most two months
  ahead is taken as ahead ("from April 1" in a February article is not ten months back);
  ``future=True`` (a future-tense sentence) prefers the next one.
- "the past year" is the 365 days up to the article date; "last year" is the calendar year before.
- A range's fact date is the longest common prefix of its first and last day at year, month or day
  granularity, so a decade, or a range across a new year, has no fact date; nor has a recurrence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from newsdesk.index.model import When

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
_UNIT = r"(?P<unit>day|week|month|quarter|year|decade)s?"
_YEAR = r"(?P<y>(?:1[6-9]|20)\d\d)"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|noon))?"

# Leading words that do not change what an expression points at.
_LEAD = re.compile(
    r"^(?:(?:on|in|at|during|since|by|until|till|from|through|throughout|as of|as early as|"
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
            sat = sat - dt.timedelta(weeks=1)
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


def _month_year(mon: int, base: dt.date | None, future: bool, rel: str = "") -> int | None:
    """The year of a month named without one, relative to the base date."""
    if base is None:
        return None
    if rel == "last":
        return base.year if mon < base.month else base.year - 1
    if rel == "next":
        return base.year if mon > base.month else base.year + 1
    if rel == "this":
        return base.year
    if future:
        return base.year if mon >= base.month else base.year + 1
    if mon > base.month and mon - base.month <= 2 and base.month + 12 - mon > 6:
        return base.year  # a month just ahead, not most of a year back
    return base.year if mon <= base.month else base.year - 1


def _month_day_year(mon: int, day: int, base: dt.date | None, future: bool) -> int | None:
    if base is None:
        return None
    if future:
        return base.year if (mon, day) >= (base.month, base.day) else base.year + 1
    if (mon, day) <= (base.month, base.day):
        return base.year
    ahead = _safe_date(base.year, mon, min(day, 28))
    if ahead is not None and (ahead - base).days <= 62:
        return base.year  # a day just ahead ("from April 1" in February), not most of a year back
    return base.year - 1


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _rules(text: str, e: str, base: dt.date | None, future: bool) -> When | None | bool:
    """Our own rules: a When, None (recognised but not a date), or False (not recognised)."""
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
        inner = _rules(text, rest, base, future)
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
    m = re.fullmatch(r"(?:fiscal |fy ?|the year |calendar )?" + _YEAR, e)
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
            y_ = int(m["y"]) if m["y"] else _month_day_year(mon, day, base, future)
            if y_ is None:
                return None
            d = _safe_date(y_, mon, day)
            return _span(text, d, d, "day") if d else None
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
        yr = int(m["y"]) if m["y"] else _month_year(mon, base, future, m["rel"] or "")
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
                     r"(?:,? (?:of )?(?:fiscal )?" + _YEAR + ")?", e)  # fmt: skip
    if m:
        q = ORDINALS[m["o"]] if m["o"] else int(m["q"])
        if m["y"]:
            y = int(m["y"])
        elif base is None:
            return None
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
        r"(?:the )?(?:(?P<o>first|second|1st|2nd) half|h(?P<h>[12]))(?:,? (?:of )?" + _YEAR + ")?",
        e,
    )
    if m and (m["y"] or base):
        h = 1 if (m["o"] in ("first", "1st") or m["h"] == "1") else 2
        y = int(m["y"]) if m["y"] else base.year  # type: ignore[union-attr]
        return _span(text, dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "quarter")

    if base is None:
        return False if re.search(r"\d", e) else None
    if e == "weekend":
        return _unit_span(text, base, "weekend", 0)
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
    m = re.fullmatch(r"(?:the )?(?:past|last|previous) " + _NUM + " " + _UNIT, e)
    if m and _num(m["n"]):
        unit, n = m["unit"], _num(m["n"]) or 1
        start = _back(base, unit, n) + dt.timedelta(days=1)
        return _span(text, start, base, unit)
    # N units ago
    m = re.fullmatch(r"(?:about |almost |nearly |more than |just over |some |over )?" + _NUM
                     + r" " + _UNIT + r" (?:ago|earlier|before|back)", e)  # fmt: skip
    if m and _num(m["n"]):
        unit, n = m["unit"], _num(m["n"]) or 1
        d = _back(base, unit, n)
        if unit == "day":
            return _span(text, d, d, "day")
        return _unit_span(text, d, unit, 0)
    m = re.fullmatch(r"(?:a |one )?(?P<unit>day|week|month|year|decade) ago", e)
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
        if rel in ("next", "coming") or (future and rel != "last"):
            delta = (wd - base.weekday()) % 7 or 7
            d = base + dt.timedelta(days=delta)
        elif rel == "this" and wd == base.weekday():
            d = base
        else:
            delta = (base.weekday() - wd) % 7 or 7
            d = base - dt.timedelta(days=delta)
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


@functools.lru_cache(maxsize=8192)
def _resolve(text: str, article_date: str | None, future: bool) -> When | None:
    base = _parse_base(article_date)
    e = _norm(text)
    if not e or len(e) > 60:
        return None
    got = _rules(text, e, base, future)
    if got is not False:
        return got  # type: ignore[return-value]
    return _dateparser(text, base, future)


def resolve(expr: str, article_date: str | None, future: bool = False) -> When | None:
    """Resolve a time expression against the article date (ISO). None when it is not a date.

    ``future`` prefers the next matching month/day/weekday (for future-tense sentences).
    """
    return _resolve(expr.strip(), article_date, future)


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
