"""A fact states only what its text asserts: an indirect question gives none; what a negated
"allow" / "want" does not let happen is negated; a present-tense clause of time under "will" /
"would" is future; a VALUE shows its amount; a year that classifies a noun in what is reported
("1986 profit") does not date the report; a heading or a table row gives no fact; an "it" right
after a subject the text does not name stands for no entity."""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk.index.model import Fact

from .test_modality import about
from .test_modality import facts_of as modality_facts_of
from .test_modality import nlp as nlp  # noqa: F401 - the module's spaCy fixture

pytestmark = pytest.mark.nlp


def facts_of(text: str, nlp: Any, date: str = "1987-04-08") -> list[Fact]:
    """The facts of a one-paragraph article dated 1987-04-08 (test_modality's reader)."""
    return modality_facts_of(text, nlp, date)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        (
            "Asked whether Japan was preparing a new trade package, the minister said the "
            "matter would be discussed at the summit in June.",
            "preparing",
        ),
        ("Analysts wondered if General Motors would close the Detroit plant.", "close"),
        ("Shell has not decided whether Exxon will buy the refinery.", "buy"),
    ],
)
def test_an_indirect_question_states_nothing(nlp: Any, text: str, word: str) -> None:
    facts = about(facts_of(text, nlp), word)
    assert all(
        not f.statement.casefold().startswith(("japan", "general motors", "exxon")) for f in facts
    ), [f.statement for f in facts]


@pytest.mark.parametrize(
    "text",
    [
        "The rules do not allow Boeing to sell the jets to Iran.",
        "The new budget would not permit Chrysler to build the plant in Ohio.",
    ],
)
def test_what_a_negated_allow_does_not_let_happen_is_negated(nlp: Any, text: str) -> None:
    facts = [f for f in facts_of(text, nlp) if f.kind == "EVENT"]
    for f in facts:  # none at all is no misstatement either
        assert f.negated, f.statement
        assert " not " in f" {f.statement} ", f.statement  # the statement keeps the denial


def test_a_denied_permission_gives_a_negated_fact(nlp: Any) -> None:
    facts = [
        f
        for f in facts_of("The rules do not allow Boeing to sell the jets to Iran.", nlp)
        if "sell" in f.statement
    ]
    assert facts and all(f.negated and "not allow" in f.statement for f in facts)


def test_a_negated_hesitate_still_asserts(nlp: Any) -> None:
    facts = about(facts_of("Ford did not hesitate to cut prices in Europe.", nlp), "cut")
    assert facts and all("hesitate" in f.statement for f in facts)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        (
            "Officials said the commission would start work when Funaro returns from Paris.",
            "returns",
        ),
        ("The merger will close once the Federal Trade Commission approves the deal.", "approves"),
    ],
)
def test_a_time_clause_under_will_or_would_is_future(nlp: Any, text: str, word: str) -> None:
    facts = about(facts_of(text, nlp), word)
    assert facts
    assert all(f.future or f.kind == "REPORT" for f in facts), [
        (f.statement, f.qualifiers) for f in facts
    ]


def test_a_past_time_clause_stays_asserted(nlp: Any) -> None:
    facts = facts_of("IBM shares fell sharply when the company reported lower profits.", nlp)
    fell = [f for f in facts if "fell" in f.statement]
    assert fell and not any(f.future for f in fell)


@pytest.mark.parametrize(
    "text",
    [
        "In this case, its ceiling could well be at or near 2.95 marks, dealers said.",
        "The most likely range will be between 140 and 142 yen per dollar, Horner said.",
    ],
)
def test_a_value_shows_its_amount(nlp: Any, text: str) -> None:
    for f in facts_of(text, nlp):
        if f.kind == "VALUE":
            assert any(ch.isdigit() for ch in f.statement), f.statement
            assert not f.statement.rstrip().endswith(": said"), f.statement


def test_a_year_that_classifies_a_noun_does_not_date_a_report(nlp: Any) -> None:
    facts = facts_of("Hahn said the scandal hurt 1986 profit at Volkswagen.", nlp)
    report = [f for f in facts if f.kind == "REPORT"]
    assert report and report[0].when is not None
    assert report[0].when.start == "1987-04-08"  # the day it was said, not 1986


def test_a_year_adverbial_still_dates_the_fact(nlp: Any) -> None:
    facts = facts_of("The official said the plan was approved in 1986.", nlp)
    report = [f for f in facts if f.kind == "REPORT"]
    assert report and report[0].when is not None
    assert report[0].when.start.startswith("1986")


def test_a_table_row_or_a_heading_gives_no_fact(nlp: Any) -> None:
    text = (
        "The Agriculture Department detailed world corn data by country.\n\n"
        "USSR CORN\n\n"
        "Start Stocks N.A. N.A. Production 12.50 12.50 14.40 14.40 Imports 8.00 6.00 10.40 10.40\n\n"
        "Viacom shares climbed 2-1/2 to 50-3/8 by midafternoon."
    )
    statements = [f.statement for f in facts_of(text, nlp)]
    assert not any("CORN" in s or "12.50" in s for s in statements), statements
    assert any("climbed" in s for s in statements), statements  # prose with numbers stays


def test_it_after_an_unnamed_subject_is_no_named_thing(nlp: Any) -> None:
    text = (
        "Airbus delivered the first A380 to Singapore Airlines on Monday. After the plane was "
        "handed over in Singapore, it was flown to Toulouse for the ceremony."
    )
    flown = [f for f in facts_of(text, nlp) if "flown" in f.statement]
    assert all("Singapore" not in f.who for f in flown), [(f.statement, f.who) for f in flown]


def test_it_said_still_stands_for_the_company(nlp: Any) -> None:
    text = "Gencorp Inc said its board adopted a rights plan. The plan expires in April, it said."
    said = [f for f in facts_of(text, nlp) if f.kind == "REPORT" and "expires" in f.statement]
    assert said and "Gencorp Inc" in said[0].who, [(f.statement, f.who) for f in said]


def test_it_after_a_speaking_common_noun_is_still_the_speaker(nlp: Any) -> None:
    text = (
        "Philadelphia Electric Co replaced the engineer. In a letter, the utility said the "
        "engineer had been reassigned. It is establishing 24-hour coverage of the plant at a "
        "cost of 2 mln dlrs."
    )
    got = [f for f in facts_of(text, nlp) if "24-hour" in f.statement]
    assert got and "Philadelphia Electric Co" in got[0].who, [(f.statement, f.who) for f in got]
