"""Time expressions resolved against an article's date, and the date a fact is filed under."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsdesk.index.extract.dates import article_when, fact_date, resolve
from newsdesk.index.model import When

BASE = "2023-11-06"  # a Monday


def span(expr: str, base: str | None = BASE, future: bool = False) -> tuple[str | None, ...]:
    w = resolve(expr, base, future=future)
    assert w is not None, expr
    assert w.text == expr
    return w.start, w.end, w.granularity


@pytest.mark.parametrize(
    ("expr", "start", "end", "granularity"),
    [
        ("last week", "2023-10-30", "2023-11-05", "week"),
        ("Last week", "2023-10-30", "2023-11-05", "week"),
        ("this week", "2023-11-06", "2023-11-12", "week"),
        ("next week", "2023-11-13", "2023-11-19", "week"),
        ("yesterday", "2023-11-05", "2023-11-05", "day"),
        ("today", "2023-11-06", "2023-11-06", "day"),
        ("last month", "2023-10-01", "2023-10-31", "month"),
        ("last year", "2022-01-01", "2022-12-31", "year"),
        ("the past year", "2022-11-07", "2023-11-06", "year"),
        ("2022", "2022-01-01", "2022-12-31", "year"),
        ("in 2022", "2022-01-01", "2022-12-31", "year"),
        ("March 2023", "2023-03-01", "2023-03-31", "month"),
        ("March 5", "2023-03-05", "2023-03-05", "day"),
        ("March 5, 2021", "2021-03-05", "2021-03-05", "day"),
        ("5 March", "2023-03-05", "2023-03-05", "day"),
        ("Monday", "2023-10-30", "2023-10-30", "day"),
        ("on Friday", "2023-11-03", "2023-11-03", "day"),
        ("Thursday afternoon", "2023-11-02", "2023-11-02", "day"),
        ("next Friday", "2023-11-10", "2023-11-10", "day"),
        ("the 1990s", "1990-01-01", "1999-12-31", "decade"),
        ("the third quarter of 2008", "2008-07-01", "2008-09-30", "quarter"),
        ("two years ago", "2021-01-01", "2021-12-31", "year"),
        ("3 days ago", "2023-11-03", "2023-11-03", "day"),
        ("the end of last year", "2022-01-01", "2022-12-31", "year"),
        ("2023-10-30", "2023-10-30", "2023-10-30", "day"),
    ],
)
def test_expressions(expr: str, start: str, end: str, granularity: str) -> None:
    assert span(expr) == (start, end, granularity)


def test_last_week_across_a_month_is_filed_under_the_year() -> None:
    w = resolve("last week", BASE)
    assert fact_date(w, BASE) == "2023"


def test_a_month_name_is_the_most_recent_one_not_after_the_article() -> None:
    assert span("in March", "2022-05-10") == ("2022-03-01", "2022-03-31", "month")
    assert span("in May", "2022-05-10") == ("2022-05-01", "2022-05-31", "month")
    assert span("in October", "2022-05-10") == ("2021-10-01", "2021-10-31", "month")
    assert span("last September", "2007-09-01") == ("2006-09-01", "2006-09-30", "month")


def test_future_tense_prefers_the_next_one() -> None:
    assert span("in October", "2022-05-10", future=True)[0] == "2022-10-01"
    assert span("Monday", BASE, future=True)[0] == "2023-11-13"


def test_a_day_just_ahead_is_not_most_of_a_year_back() -> None:
    assert span("April 1", "1987-02-26")[0] == "1987-04-01"
    assert span("December 20", "2023-11-06")[0] == "2023-12-20"


@pytest.mark.parametrize(
    ("expr", "every"),
    [
        ("quarterly", "every 3 months"),
        ("weekly", "every week"),
        ("monthly", "every month"),
        ("annually", "every year"),
        ("every year", "every year"),
        ("every two weeks", "every 2 weeks"),
        ("each month", "every month"),
    ],
)
def test_recurrences(expr: str, every: str) -> None:
    w = resolve(expr, BASE)
    assert w is not None
    assert (w.granularity, w.recurrence, w.start) == ("recurrence", every, None)
    assert fact_date(w, BASE) is None


@pytest.mark.parametrize(
    "expr",
    ["twelve years", "two weeks", "48 hours", "for almost 15 years", "age seventeen", "aged 14",
     "19", "six", "all his life", "recent years", "18:00 UTC", "a record year", ""],
)  # fmt: skip
def test_durations_ages_and_numbers_are_not_dates(expr: str) -> None:
    assert resolve(expr, BASE) is None


def test_without_an_article_date_only_absolute_expressions_resolve() -> None:
    assert resolve("last week", None) is None
    assert resolve("March 5", None) is None
    assert span("March 5, 2023", None) == ("2023-03-05", "2023-03-05", "day")
    assert span("2022", None) == ("2022-01-01", "2022-12-31", "year")


def test_other_formats_fall_back_to_dateparser() -> None:
    assert span("03/05/2023") == ("2023-03-05", "2023-03-05", "day")


def test_fact_date_prefixes() -> None:
    def w(start: str, end: str, granularity: str = "day") -> When:
        return When(text="x", start=start, end=end, granularity=granularity)

    assert fact_date(w("2023-10-30", "2023-10-30"), BASE) == "2023-10-30"
    assert fact_date(w("2023-10-01", "2023-10-31", "month"), BASE) == "2023-10"
    assert fact_date(w("2023-10-16", "2023-10-22", "week"), BASE) == "2023-10"
    assert fact_date(w("2022-01-01", "2022-12-31", "year"), BASE) == "2022"
    assert fact_date(w("1990-01-01", "1999-12-31", "decade"), BASE) is None
    assert fact_date(w("2022-11-07", "2023-11-06", "year"), BASE) is None


def test_a_fact_without_its_own_time_is_dated_by_its_article() -> None:
    w = article_when(BASE)
    assert w == When(text="", start=BASE, end=BASE, granularity="article")
    assert fact_date(w, BASE) == BASE
    assert fact_date(None, BASE) == BASE
    assert article_when(None) is None
    assert fact_date(None, None) is None


def test_results_are_cached() -> None:
    assert resolve("last week", BASE) is resolve("last week", BASE)


def test_the_engine_does_not_import_dateparser_until_needed() -> None:
    import subprocess

    code = (
        "import sys, newsdesk.index.extract.dates as d; d.resolve('last week', '2023-11-06'); "
        "print('dateparser' in sys.modules)"
    )
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo
    )
    assert out.stdout.strip() == "False"
