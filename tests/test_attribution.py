"""Attribution: who said or stated what, in the layouts news uses (issue 12).

The cases in fixtures/attribution were written before the extractor was run on them:
``cases.jsonl`` (the first set, measured at first sight, then worked on) and ``heldout.jsonl``
(written after that work, measured once). ``python -m newsdesk.index.tools.evaluate_attribution``
prints the numbers; the thresholds below are a little under what it measures, so that another
change to the entity extractor moving one speaker does not fail the suite, while a lost layout
does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsdesk.index.extract.facts.common import find_quotes
from newsdesk.index.model import Fact
from newsdesk.index.tools.evaluate_attribution import (
    case_article,
    load_cases,
    same_name,
    score,
    source_matches,
)

from .test_facts import article, check_invariants, facts_of, nlp  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures" / "attribution"


def parse(nlp: Any, text: str) -> list[Fact]:  # noqa: F811
    a = article(text)
    facts = facts_of(nlp, a)
    check_invariants(a, facts)
    return facts


def about(facts: list[Fact], words: str, kind: str | None = None) -> list[Fact]:
    return [f for f in facts if words in f.evidence.text and (kind is None or f.kind == kind)]


# --- the scorer (no model) ------------------------------------------------------------------------


def test_names_match_by_normalised_form_or_acronym() -> None:
    assert same_name("WHO", "World Health Organization")
    assert same_name("International Monetary Fund", "IMF")
    assert same_name("Chuck  Schumer", "chuck schumer")
    assert not same_name("Iodine", "WHO")
    assert source_matches("officials", "senior officials", "officials")
    assert source_matches("the study's authors", "the study's authors", "authors")
    assert not source_matches("Toronto", "the study's authors", "authors")


def test_every_case_has_a_speaker_and_a_key() -> None:
    for name in ("cases.jsonl", "heldout.jsonl"):
        cases = load_cases(FIXTURES / name)
        assert len(cases) >= 40
        for c in cases:
            assert c["expect"], c["id"]
            for e in c["expect"]:
                assert e["key"] and e["kind"]
                assert ("who" in e) != ("source" in e), c["id"]
                assert e["key"].casefold() in c["text"].casefold(), c["id"]


def test_a_quotation_over_several_paragraphs_is_one_quotation_whatever_its_marks() -> None:
    for o, c in (("\u201c", "\u201d"), ('"', '"')):
        text = (
            f"{o}The first paragraph of what she said runs on.\n\n"
            f"{o}And the second paragraph ends it here,{c} she said."
        )
        quotes = find_quotes(text)
        assert len(quotes) == 1
        assert text[quotes[0].start : quotes[0].end].endswith("ends it here,")


# --- the blind cases ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measured(nlp: Any) -> dict[str, Any]:  # noqa: F811
    from newsdesk.index.tools.evaluate_attribution import run

    out = {}
    for name in ("cases", "heldout"):
        results = run(nlp, load_cases(FIXTURES / f"{name}.jsonl"))
        for case, _, _, _, facts in results:
            check_invariants(case_article(case), facts)
        out[name] = (score((c, e, v) for c, e, v, _, _ in results), results)
    return out


# the least each summary rate may be, on each set (what the tool measured: 100% on the first
# set but one named speaker; on the held-out set 100% but two named speakers, 31/33)
FLOORS = {
    "quotes": 0.9,
    "speech": 0.9,
    "cues": 0.8,
    "named_right": 0.9,
    "sources": 0.85,
    "pronouns": 0.8,
}


@pytest.mark.nlp
@pytest.mark.parametrize("name", ["cases", "heldout"])
def test_attribution_rates_per_class(measured: dict[str, Any], name: str) -> None:
    s, _ = measured[name]
    for metric, floor in FLOORS.items():
        hit, n = s["summary"][metric]
        assert n and hit / n >= floor, (metric, hit, n)
    for cls, row in s["classes"].items():
        assert row["found"] >= row["n"] - 1, (cls, row)  # every layout is found
    wrong = sum(row["wrong"] for row in s["classes"].values())
    assert wrong <= 2, wrong


@pytest.mark.nlp
def test_a_pronoun_is_never_resolved_to_the_wrong_person(measured: dict[str, Any]) -> None:
    for name in ("cases", "heldout"):
        s, _ = measured[name]
        assert s["classes"]["pronoun"]["wrong"] == 0


# --- behaviours -----------------------------------------------------------------------------------


@pytest.mark.nlp
def test_a_long_title_before_the_name_is_collapsed_onto_the_name(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "\u201cThis arrest sends a clear message to anyone who preys on children online,\u201d "
        "said FBI Acting Assistant Director of the Criminal Investigative Division Michael Tran.",
    )
    (q,) = about(facts, "preys on children", "QUOTE")
    assert q.who[0] == "Michael Tran"
    assert q.sources == ()


@pytest.mark.nlp
def test_a_source_that_is_no_entity_is_kept_as_its_phrase_and_not_in_the_tabs(
    nlp: Any,  # noqa: F811
) -> None:
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.ingest.passages import split_passages

    text = (
        "Two people familiar with the matter said the company was preparing to cut jobs.\n\n"
        "According to the poll, 54 percent of voters disapprove of the governor."
    )
    facts = parse(nlp, text)
    (r,) = about(facts, "preparing to cut", "REPORT")
    assert r.who[0] == "two people familiar with the matter"
    assert r.sources == ("two people familiar with the matter",)  # typed as a source
    (p,) = about(facts, "disapprove", "REPORT")
    assert p.who[0] == "the poll"
    assert p.sources == ("the poll",)
    a = article(text)
    _, entities = extract_entities(a, split_passages(a), nlp(text))
    names = {e.name.casefold() for e in entities}
    assert not names & {"two people familiar with the matter", "the poll", "people", "poll"}


@pytest.mark.nlp
def test_the_outlet_follows_the_speaker_in_the_chain(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "A senior European diplomat said the sanctions package would be approved by the end "
        "of the month, Reuters reported.",
    )
    (r,) = about(facts, "sanctions package", "REPORT")
    assert r.who[0] == "a senior European diplomat"
    assert list(r.attributed_to).index("Reuters") > 0


@pytest.mark.nlp
def test_a_he_with_two_people_to_choose_from_names_nobody(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Reporters waited for John Keller and Peter Marsh outside the court in Leeds.\n\n"
        "He said the verdict would be appealed within days.",
    )
    for f in about(facts, "verdict would be appealed"):
        assert not {"John Keller", "Peter Marsh"} & set(f.who[:1])


@pytest.mark.nlp
def test_he_said_after_a_quotation_is_its_speaker(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Louis Gallois said he hoped to make the cuts through attrition.\n\n"
        "\u201cThe response has been massive,\u201d said Julien Talavan, a spokesman for the "
        "union.\n\n"
        "\u201cThis is just the beginning of a long fight,\u201d he said.",
    )
    (q,) = about(facts, "just the beginning", "QUOTE")
    assert q.who[0] == "Julien Talavan"


@pytest.mark.nlp
def test_transcript_colons_and_statement_headings_give_quotations(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Vice President Mike Pence and Senator Kamala Harris met on stage on Wednesday.\n\n"
        "PENCE: We're going to protect people with pre-existing conditions.\n\n"
        "HARRIS: If you don't mind letting me finish, we can have a conversation.\n\n"
        "As stated by Secretary of State Antony Blinken:\n\n"
        "Officers of the embassy were moved to safety within the hour. Nobody was hurt.",
    )
    assert about(facts, "pre-existing", "QUOTE")[0].who[0] == "Mike Pence"
    assert about(facts, "letting me finish", "QUOTE")[0].who[0] == "Kamala Harris"
    (h,) = about(facts, "moved to safety", "QUOTE")
    assert h.who[0] == "Antony Blinken"
    assert h.evidence.text.startswith("As stated by")


@pytest.mark.nlp
def test_other_cues_are_reports_with_the_cue_and_every_party(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Senator Bernie Sanders accused the drug companies of price gouging.\n\n"
        "France, Germany and Italy called for a delay to the new emissions rules.",
    )
    (a,) = about(facts, "price gouging", "REPORT")
    assert (a.who[0], a.predicate) == ("Bernie Sanders", "accuse")
    (j,) = about(facts, "emissions rules", "REPORT")
    assert j.predicate == "call for"
    assert {"France", "Germany", "Italy"} <= set(j.who)


@pytest.mark.nlp
def test_a_cue_with_a_physical_sense_needs_a_speaker_and_an_object(
    nlp: Any,  # noqa: F811
) -> None:
    facts = parse(
        nlp,
        "Senator Patty Murray hails from the same state as the plant.\n\n"
        "The storm blasted the coast with winds of 120 miles an hour.",
    )
    assert not [f for f in facts if f.kind == "REPORT" and f.predicate in ("hail", "blast")]
