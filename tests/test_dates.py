"""Time expressions resolved against an article's date, and the date a fact is filed under."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsdesk.index.extract.dates import article_when, fact_date, resolve
from newsdesk.index.model import When

BASE = "2023-11-06"  # a Monday


def span(
    expr: str, base: str | None = BASE, future: bool = False, tense: str | None = None
) -> tuple[str | None, ...]:
    w = resolve(expr, base, future=future, tense=tense)
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
        ("Monday", "2023-11-06", "2023-11-06", "day"),  # the article's own weekday: that day
        ("last Monday", "2023-10-30", "2023-10-30", "day"),
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


# -- the failure classes of issue 12, as general cases ---------------------------------------------

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# article dates on every weekday, in different months and years
ARTICLE_DAYS = ("2024-03-11", "2023-11-07", "2022-06-08", "2021-01-14", "2019-08-23",
                "2020-02-22", "2018-04-15")  # fmt: skip


def _weekday(iso: str) -> str:
    import datetime as dt

    return WEEKDAY_NAMES[dt.date.fromisoformat(iso).weekday()]


def _shift(iso: str, days: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("base", ARTICLE_DAYS)
def test_the_articles_own_weekday_is_the_article_day(base: str) -> None:
    wd = _weekday(base)
    for expr in (wd, f"on {wd}", f"{wd} morning", f"on {wd} night"):
        assert span(expr, base)[:2] == (base, base), expr
        assert span(expr, base, tense="past")[:2] == (base, base), expr
        assert span(expr, base, tense="present")[:2] == (base, base), expr
    # clearly ahead ("will vote on Friday" in a Friday story) is next week's; "last" a week back
    assert span(f"on {wd}", base, future=True)[0] == _shift(base, 7)
    assert span(f"next {wd}", base)[0] == _shift(base, 7)
    assert span(f"last {wd}", base)[0] == _shift(base, -7)


@pytest.mark.parametrize("base", ARTICLE_DAYS)
def test_other_weekdays_go_back_in_the_past_and_ahead_in_the_future(base: str) -> None:
    import datetime as dt

    b = dt.date.fromisoformat(base)
    for k in range(1, 7):
        wd = WEEKDAY_NAMES[(b.weekday() - k) % 7]
        assert span(f"on {wd}", base)[0] == _shift(base, -k)
        assert span(f"on {wd}", base, tense="past")[0] == _shift(base, -k)
        assert span(f"on {wd}", base, future=True)[0] == _shift(base, 7 - k)
        assert span(f"on {wd}", base, tense="present")[0] == _shift(base, 7 - k)


@pytest.mark.parametrize(
    ("base", "expr", "past", "future"),
    [
        ("2024-03-15", "through June", "2023-06", "2024-06"),
        ("2023-11-10", "until March", "2023-03", "2024-03"),
        ("2022-06-08", "by September", "2021-09", "2022-09"),
        ("2021-01-12", "in October", "2020-10", "2021-10"),
        ("2024-09-02", "in January", "2024-01", "2025-01"),
        ("2019-08-23", "early September", "2018-09", "2019-09"),
        ("2023-05-19", "in May", "2023-05", "2023-05"),
    ],
)
def test_months_follow_the_tense(base: str, expr: str, past: str, future: str) -> None:
    assert fact_date(resolve(expr, base, tense="past"), base) == past
    assert fact_date(resolve(expr, base, future=True), base) == future


@pytest.mark.parametrize(
    ("base", "expr", "nearest"),
    [
        ("2024-09-02", "in January", "2025-01"),  # "the rules take effect in January"
        ("2008-04-09", "as of February", "2008-02"),  # "accounts for 70% as of February"
        ("2024-09-02", "on November 5", "2024-11-05"),  # "voters go to the polls on November 5"
        ("2025-01-30", "on February 1", "2025-02-01"),
        ("2022-04-01", "in October", "2022-10"),  # a tie: ahead
    ],
)
def test_a_present_tense_takes_the_nearest_month_or_day(base: str, expr: str, nearest: str) -> None:
    assert fact_date(resolve(expr, base, tense="present"), base) == nearest


@pytest.mark.parametrize(
    ("expr", "base", "start", "end"),
    [
        ("June last year", "2023-11-10", "2022-06-01", "2022-06-30"),
        ("in March last year", "2023-05-19", "2022-03-01", "2022-03-31"),
        ("January next year", "2007-10-17", "2008-01-01", "2008-01-31"),
        ("April of last year", "2007-05-14", "2006-04-01", "2006-04-30"),
        ("March 5 last year", "2023-05-19", "2022-03-05", "2022-03-05"),
        ("this fiscal year", "2022-06-08", "2022-01-01", "2022-12-31"),
        ("the current fiscal year", "2021-09-10", "2021-01-01", "2021-12-31"),
        ("next fiscal year", "2024-07-04", "2025-01-01", "2025-12-31"),
        ("last financial year", "2024-07-04", "2023-01-01", "2023-12-31"),
        ("the 2022 fiscal year", "2024-07-04", "2022-01-01", "2022-12-31"),
        ("earlier this year", "2024-09-02", "2024-01-01", "2024-12-31"),
        ("later this year", "2020-02-21", "2020-01-01", "2020-12-31"),
        ("next year", "2021-01-12", "2022-01-01", "2022-12-31"),
        ("the first half of the year", "2019-08-23", "2019-01-01", "2019-06-30"),
        ("the third quarter of last year", "2025-01-30", "2024-07-01", "2024-09-30"),
        ("the end of the year", "2006-02-23", "2006-01-01", "2006-12-31"),
        ("in the coming months", "2024-03-15", "2024-03-16", "2024-06-15"),
        ("the next two years", "2024-03-15", "2024-03-16", "2026-03-15"),
        ("the past few weeks", "2024-03-15", "2024-02-24", "2024-03-15"),
        ("over the weekend", "2022-06-08", "2022-06-04", "2022-06-05"),
        ("at the weekend", "2018-04-18", "2018-04-14", "2018-04-15"),
        ("this weekend", "2022-06-08", "2022-06-11", "2022-06-12"),
        ("from 2004 to 2009", "2015-08-02", "2004-01-01", "2009-12-31"),
        ("between April and June", "2008-11-18", "2008-04-01", "2008-06-30"),
    ],
)
def test_relative_years_and_ranges(expr: str, base: str, start: str, end: str) -> None:
    assert span(expr, base)[:2] == (start, end)


@pytest.mark.parametrize(
    ("expr", "words", "start"),
    [
        ("2 May after weeks", "2 May", "2023-05-02"),  # spaCy's DATE span runs on
        ("March 3, 2021, in Geneva", "March 3, 2021", "2021-03-03"),
        ("Yesterday, day five", "Yesterday", "2023-05-18"),
    ],
)
def test_a_run_on_expression_is_cut_to_the_date_it_starts_with(
    expr: str, words: str, start: str
) -> None:
    w = resolve(expr, "2023-05-19")
    assert w is not None and (w.text, w.start) == (words, start)


@pytest.mark.parametrize("expr", ["the year", "the year before the Paralympics", "1.5 to 2 years"])
def test_vague_or_numeric_words_are_not_cut_into_dates(expr: str) -> None:
    assert resolve(expr, BASE) is None


def test_dates_out_of_range_are_not_a_crash() -> None:
    assert resolve("last year", "0001-05-01") is None
    assert resolve("next year", "9999-05-01") is None
    assert span("March 5", "0001-05-01")[0] == "0001-03-05"


# -- in facts: the sentence's own time first, in its tense (the spaCy pipeline) --------------------


@pytest.fixture(scope="module")
def nlp() -> object:
    from newsdesk.index.extract import nlp as nlp_module

    try:
        return nlp_module.load()
    except nlp_module.NlpUnavailable as e:  # pragma: no cover - the model is a dependency
        pytest.skip(str(e))


def _facts(nlp: object, text: str, date: str) -> list:  # type: ignore[type-arg]
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.extract.facts import extract_facts
    from newsdesk.index.ingest.passages import split_passages
    from newsdesk.index.model import Article

    a = Article(id="t", title="t", date=date, source="", license="", path="", text=text)
    passages = split_passages(a)
    doc = nlp(text)  # type: ignore[operator]
    mentions, _ = extract_entities(a, passages, doc)
    return extract_facts(a, passages, doc, mentions)


def _date_of(nlp: object, text: str, date: str, expr: str) -> str | None:
    """The date of the facts whose evidence holds expr: one, and the same for each of them."""
    got = {f.date for f in _facts(nlp, text, date) if expr in f.evidence.text}
    assert len(got) == 1, (text, got)
    return got.pop()


@pytest.mark.nlp
@pytest.mark.parametrize("base", ["2024-03-15", "2022-06-08", "2019-12-09"])
@pytest.mark.parametrize(
    "template",
    [
        "Siemens said {wd} it would cut 500 jobs in Germany.",
        "Shares of Tesla fell 4 percent on {wd} after the company cut its outlook.",
        "Senator John Miller told reporters on {wd} that he would not seek re-election.",
        "Trading in Nokia shares was suspended on {wd} morning pending an announcement.",
    ],
)
def test_said_on_the_articles_weekday_is_the_article_day(
    nlp: object, base: str, template: str
) -> None:
    wd = _weekday(base)
    assert _date_of(nlp, template.format(wd=wd), base, wd) == base


@pytest.mark.nlp
@pytest.mark.parametrize(
    ("base", "text", "expr", "date"),
    [
        ("2023-05-19", "Finance Minister Peter Olsen resigned on 2 May after weeks of protests.",
         "2 May", "2023-05-02"),
        ("2008-08-15", "In May, Maxime Bernier was forced to resign as foreign minister.",
         "May", "2008-05"),
        ("2021-01-12", "Unemployment in the United States peaked in April 2020, the Labor "
         "Department said.", "April 2020", "2020-04"),
        ("2022-06-08", "The agreement was signed by Iran and Iraq on March 3, 2021, in Geneva, "
         "officials said.", "March 3, 2021", "2021-03-03"),
        ("2023-11-10", "The Ford plant in Genk has been closed since 2019, the union said.",
         "2019", "2019"),
        ("2010-10-09", "On September 29, Scientology officials went to the sheriff's station.",
         "September 29", "2010-09-29"),
    ],
)  # fmt: skip
def test_an_explicit_date_in_the_sentence_beats_the_article_date(
    nlp: object, base: str, text: str, expr: str, date: str
) -> None:
    assert _date_of(nlp, text, base, expr) == date


@pytest.mark.nlp
@pytest.mark.parametrize(
    ("base", "text", "expr", "date"),
    [
        ("2024-03-15", "The discount offer runs through June, Lufthansa said.", "June", "2024-06"),
        ("2023-11-10", "The Italian Health Ministry said the program would be extended until "
         "March.", "March", "2024-03"),
        ("2022-06-08", "Unilever expects to complete the sale by September.", "September",
         "2022-09"),
        ("2021-01-12", "Elections will be held in October, the Election Commission of India "
         "announced.", "October", "2021-10"),
        ("2024-09-02", "The new rules take effect in January, the European Commission said.",
         "January", "2025-01"),
        ("2023-07-26", "Ford expects the new plant to open in November.", "November", "2023-11"),
        ("2019-12-09", "Britain will leave the European Union in January.", "January",
         "2020-01"),
    ],
)  # fmt: skip
def test_a_month_spoken_of_as_ahead_is_the_next_one(
    nlp: object, base: str, text: str, expr: str, date: str
) -> None:
    assert _date_of(nlp, text, base, expr) == date


@pytest.mark.nlp
@pytest.mark.parametrize(
    ("base", "text", "expr", "date"),
    [
        ("2023-11-10", "The BASF plant was shut in June last year after a fire.", "June",
         "2022-06"),
        ("2023-05-19", "HSBC cut 500 jobs in Hong Kong in March last year.", "March", "2022-03"),
        ("2022-06-08", "The Indian Finance Ministry expects the economy to grow 3 percent this "
         "fiscal year.", "fiscal", "2022"),
        ("2024-07-04", "The Norwegian government plans to sell its stake in Equinor next fiscal "
         "year.", "fiscal", "2025"),
        ("2025-01-30", "Nvidia's revenue rose sharply in the third quarter of last year.",
         "quarter", "2024"),
    ],
)  # fmt: skip
def test_relative_years_in_facts(nlp: object, base: str, text: str, expr: str, date: str) -> None:
    assert _date_of(nlp, text, base, expr) == date


@pytest.mark.nlp
def test_a_year_naming_a_thing_does_not_date_the_fact(nlp: object) -> None:
    text = "Apple Corps argued that the iTunes store was a breach of the 1991 agreement."
    assert _date_of(nlp, text, "2006-05-08", "1991") == "2006-05-08"
    text = "Santorum criticized the press in a 2011 radio interview."
    assert _date_of(nlp, text, "2012-03-15", "2011") == "2011"


@pytest.mark.nlp
def test_a_past_time_does_not_date_a_fact_spoken_of_as_ahead(nlp: object) -> None:
    text = "Ford will cut 30,000 jobs after a loss last year in North American sales."
    facts = [f for f in _facts(nlp, text, "2006-01-23") if f.predicate == "cut"]
    assert facts and facts[0].date == "2006-01-23"


def test_the_fixture_cases_resolve_right_where_facts_use_them() -> None:
    """tests/fixtures/dates: sentences written with their gold dates before the resolver ran on
    them (cases.tsv) and after the fixes (heldout.tsv)."""
    pytest.importorskip("spacy")
    from newsdesk.index.extract import nlp as nlp_module
    from newsdesk.index.tools.evaluate_dates import DEFAULT_CASES, evaluate, read_cases

    try:
        nlp_module.load()
    except nlp_module.NlpUnavailable as e:  # pragma: no cover
        pytest.skip(str(e))
    for path in (DEFAULT_CASES, DEFAULT_CASES.with_name("heldout.tsv")):
        r = evaluate(read_cases(path))["all"]
        assert r["in_evidence"] / r["n"] >= 0.85, path.name
        assert r["used_right"] / r["used"] >= 0.90, path.name


# -- one rendering of a fact's time: the pane, the lists, the command line, the exports ------------


def test_render_when_names_each_kind_of_time_once() -> None:
    from newsdesk.index.when import render_when

    def r(expr: str, base: str = BASE) -> str:
        return render_when(resolve(expr, base))

    assert r("last week") == "week of 2023-10-30"
    assert r("quarterly") == "every 3 months"
    assert r("yesterday") == "2023-11-05"
    assert r("last month") == "2023-10"
    assert r("last year") == "2022"
    assert r("the third quarter of 2008") == "2008-Q3"
    assert r("the first half of 2020") == "2020-H1"
    assert r("the 1990s") == "1990s"
    assert r("from 2004 to 2009") == "2004\u20132009"
    assert r("between March and May") == "2023-03 \u2013 2023-05"
    assert r("over the weekend") == "2023-11-04 \u2013 2023-11-05"
    assert render_when(article_when(BASE)) == BASE
    assert render_when(None, "2023-10") == "2023-10"
    assert render_when(None, None) == "undated"
    assert render_when(When("", None, None, "decade")) == "undated"


def test_years_below_1000_print_with_four_digits() -> None:
    import datetime as dt

    from newsdesk.index.when import iso_day, render_when

    assert iso_day(dt.date(1, 1, 1)) == "0001-01-01"
    assert iso_day(dt.datetime(999, 12, 31, 10, 0)) == "0999-12-31"
    assert render_when(When("x", "1-01-01", "1-01-01", "day")) == "0001-01-01"
    assert render_when(When("x", "0999-01-01", "0999-12-31", "year")) == "0999"
    assert render_when(None, "999-02") == "0999-02"


def _write_index(folder: Path) -> None:
    from newsdesk.index.engines import open_writer
    from newsdesk.index.ingest.passages import split_passages
    from newsdesk.index.model import Analysis, Article, Evidence, Fact
    from newsdesk.index.seam import ArticleRecord

    text = (
        "Last week the presidential office said the group would meet.\n\n"
        "The group will hold meetings quarterly, Reuters said.\n\n"
        "Acme Corp opened a plant in Ohio in March."
    )
    a = Article("a1", "Allies form a group", BASE, "Wire", "CC BY 4.0", "", text)
    passages = tuple(split_passages(a))
    whens = [resolve("last week", BASE), resolve("quarterly", BASE), article_when(BASE)]
    facts = []
    sentences = text.split("\n\n")
    for n, (sentence, w) in enumerate(zip(sentences, whens, strict=True), start=1):
        start = text.index(sentence)
        p = next(p for p in passages if p.start <= start < p.end)
        facts.append(
            Fact(
                id=f"a1:f{n}",
                kind="REPORT",
                statement=sentence,
                who=("Reuters",),
                predicate="say",
                object="",
                negated=False,
                date=fact_date(w, BASE),
                when=w,
                where=(),
                attributed_to=("Reuters",),
                article_id="a1",
                evidence=Evidence(p.id, start, start + len(sentence), sentence),
            )
        )
    analysis = Analysis("a1", facts=tuple(facts), mode="fake")
    with open_writer(folder) as writer:
        writer.write([ArticleRecord(a, "h1", passages, analysis, existed=False)])
        writer.finish("fake")


def test_the_pane_the_lists_the_cli_and_the_exports_show_one_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io
    import json

    from newsdesk.index.engines import open_reader
    from newsdesk.index.seam import SearchRequest
    from newsdesk.index.when import render_when
    from newsdesk.tui.cli import main
    from newsdesk.tui.export import export, md
    from newsdesk.tui.widgets.facts import fact_detail, fact_prompt

    _write_index(tmp_path / "ix")
    reader = open_reader(tmp_path / "ix")
    facts = reader.facts()
    shown = {f.id: render_when(f.when, f.date) for f in facts}
    assert sorted(shown.values()) == ["2023-11-06", "every 3 months", "week of 2023-10-30"]

    assert main(["facts", "--index", str(tmp_path / "ix")]) == 0
    cli = capsys.readouterr().out
    assert main(["facts", "--index", str(tmp_path / "ix"), "--json"]) == 0
    as_json = {f["id"]: f for f in json.loads(capsys.readouterr().out)}
    md_out, csv_out = io.StringIO(), io.StringIO()
    export(reader, "facts", SearchRequest(""), "md", md_out)
    export(reader, "facts", SearchRequest(""), "csv", csv_out)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(csv_out.getvalue()))}
    for f in facts:
        text = shown[f.id]
        assert f"when  {text}" in fact_detail(f).plain  # the fact pane
        assert f" · {text} ¶" in fact_prompt(f).plain  # the list of facts
        statement_line = next(line for line in cli.splitlines() if f.statement[:30] in line)
        assert text in statement_line  # the command line
        assert f"when: {md(text)}" in md_out.getvalue()  # Markdown
        assert rows[f.id]["when"] == text  # CSV
        assert as_json[f.id]["date"] == f.date  # the JSON contract is unchanged
    week = next(f for f in facts if f.when is not None and f.when.text == "last week")
    assert as_json[week.id]["date"] == "2023"  # the common prefix, as the gold README says
    assert as_json[week.id]["when"]["text"] == "last week"
    assert "2023 " not in next(line for line in cli.splitlines() if "Last week" in line)


def test_an_article_of_year_1_reads_back_with_four_digits(tmp_path: Path) -> None:
    from newsdesk.index.engines import open_reader, open_writer
    from newsdesk.index.ingest.passages import split_passages
    from newsdesk.index.model import Article
    from newsdesk.index.seam import ArticleRecord, SearchRequest

    a = Article("old", "An old record", "0001-01-01", "", "", "", "The lighthouse keeper wrote.")
    with open_writer(tmp_path / "ix") as w:
        w.write([ArticleRecord(a, "h", tuple(split_passages(a)), None, existed=False)])
        w.finish("off")
    hits = open_reader(tmp_path / "ix").search(SearchRequest("lighthouse")).hits
    assert [h.date for h in hits] == ["0001-01-01"]


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("Sales were booked for March shipment at 1,750 dlrs a tonne.", "March"),
        ("The July contract fell two cents.", "July"),
        ("Traders sold April/May delivery at a discount.", "April"),
        ("December futures closed higher.", "December"),
    ],
)
def test_a_month_of_a_market_position_points_ahead(text: str, expr: str) -> None:
    from newsdesk.index.extract.dates import span_tense

    s = text.index(expr)
    assert span_tense(text, s, s + len(expr), "past") == "future"
    assert resolve(expr, "1987-02-26", tense="future").start > "1987-02-26"


def test_a_month_of_other_words_keeps_the_clause_tense() -> None:
    from newsdesk.index.extract.dates import span_tense

    text = "Sales in March rose five pct."
    s = text.index("March")
    assert span_tense(text, s, s + 5, "past") == "past"
