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

import attrs
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
    assert r.who[0] == "senior European diplomat"
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


# --- common-noun, descriptive and joint speakers (issue 12, second round) -----------------------


@pytest.mark.nlp
def test_a_common_noun_source_is_its_own_phrase_not_a_bank_named_before(
    nlp: Any,  # noqa: F811
) -> None:
    facts = parse(
        nlp,
        "Harbor Savings Bank reported a loss on Tuesday.\n\n"
        "Bank industry sources say mergers will speed up as interest rates fall.",
    )
    (r,) = about(facts, "mergers will speed up", "REPORT")
    assert r.who[0].casefold() == "bank industry sources"
    assert "Harbor Savings Bank" not in r.who


@pytest.mark.nlp
def test_a_place_describing_a_speaker_is_not_the_speaker(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Norway's largest insurer said it would stop selling the policies next year.\n\n"
        "The Belgian government said the border would stay open.",
    )
    (r,) = about(facts, "stop selling", "REPORT")
    assert r.who == ("Norway's largest insurer",)
    (g,) = about(facts, "border would stay open", "REPORT")
    assert g.who[0] == "Belgium"  # a state's own organ speaks for it


@pytest.mark.nlp
def test_a_parenthetical_speaker_reports_the_clause_around_it(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "The hardest case, Maria Lopez said, would be the northern district.\n\n"
        "Trading in the shares was halted, an exchange spokesman said.",
    )
    (r,) = about(facts, "northern district")
    assert (r.kind, r.who[0], r.predicate) == ("REPORT", "Maria Lopez", "say")
    (h,) = about(facts, "was halted")
    assert (h.kind, h.who[0]) == ("REPORT", "exchange spokesman")


@pytest.mark.nlp
def test_replied_and_a_participle_saying_report_what_follows(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Jan Novak replied that the harvest had failed in three provinces.\n\n"
        "The report was sharply critical of the subsidy, saying farm prices are double the "
        "regional average.",
    )
    (r,) = about(facts, "harvest had failed", "REPORT")
    assert (r.who[0], r.predicate) == ("Jan Novak", "reply")
    (s,) = about(facts, "double the", "REPORT")
    assert s.who[0] == "the report"


@pytest.mark.nlp
def test_every_agent_of_a_participle_is_an_actor(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "The complaint, filed by Acme Foods, Baker Mills and Carter Dairy, asks the court to "
        "block the merger.",
    )
    (e,) = [f for f in about(facts, "filed by") if f.predicate == "file"]
    assert {"Acme Foods", "Baker Mills", "Carter Dairy"} <= set(e.who)


@pytest.mark.nlp
def test_which_after_a_person_stands_for_the_organisation(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Jane Doe, the chief executive of Acme Motors, which filed for bankruptcy on Monday, "
        "outlined a plan to reopen two plants.",
    )
    (f,) = [f for f in facts if f.predicate == "file"]
    assert f.who[0] == "Acme Motors"
    assert "Jane Doe" not in f.who


@pytest.mark.nlp
def test_a_subject_parsed_as_an_apposition_is_the_main_verbs_subject(
    nlp: Any,  # noqa: F811
) -> None:
    facts = parse(
        nlp,
        "At a press conference at 14:00 GMT, June 3rd, Jane Doe, the chief executive of Acme "
        "Motors, which filed for bankruptcy earlier today, outlined a plan to reopen two plants.",
    )
    (o,) = [f for f in facts if f.predicate == "outline"]
    assert o.who[0] == "Jane Doe"
    (f,) = [f for f in facts if f.predicate == "file"]
    assert f.who[0] == "Acme Motors"


@pytest.mark.nlp
def test_the_firm_is_the_organisation_described_as_a_firm(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Kappa Holdings bought two stores in Lyon. Sales figures were published on Monday by "
        "Zenith Analytics, a market research firm.\n\n"
        "The firm said it had counted 4 million shoppers at Kappa Holdings stores in May.",
    )
    (r,) = about(facts, "4 million shoppers", "REPORT")
    assert r.who[0] == "Zenith Analytics"
    assert "Kappa Holdings" not in r.who


INTERVIEW = (
    "The Daily Courier interviewed novelist Maria Lopez about her new book.\n\n"
    "{q1}\n\n"
    "I started it ten years ago in a small flat in Porto, and I rewrote it four times.\n\n"
    "{q2}\n\n"
    "Readers are hungrier than ever for long stories, and publishers have noticed it.\n\n"
    "File photo of a bookshop in Porto."
)


@pytest.mark.nlp
def test_the_answers_of_an_interview_are_the_interviewees_words(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        INTERVIEW.format(
            q1="When did you start writing the book?", q2="Is the novel still alive today?"
        ),
    )
    for key in ("rewrote it four times", "hungrier than ever"):
        (q,) = about(facts, key, "QUOTE")
        assert q.who == ("Maria Lopez",)
    assert not about(facts, "File photo", "QUOTE")  # a caption is nobody's words
    assert not [f for f in facts if "When did you start" in f.statement]


@pytest.mark.nlp
def test_without_an_interviewee_named_answers_are_nobodys_words(nlp: Any) -> None:  # noqa: F811
    text = INTERVIEW.format(
        q1="When did you start writing the book?", q2="Is the novel still alive today?"
    ).replace("The Daily Courier interviewed novelist Maria Lopez", "Maria Lopez wrote a book")
    facts = parse(nlp, text)
    assert not [f for f in facts if f.kind == "QUOTE"]


@pytest.mark.nlp
def test_an_interviewee_named_as_he_or_by_a_heading_line_answers(nlp: Any) -> None:  # noqa: F811
    questions = {"q1": "When did you start writing the book?", "q2": "Is the novel alive?"}
    pronoun = INTERVIEW.format(**questions).replace(
        "The Daily Courier interviewed novelist Maria Lopez about her new book.",
        "Maria Lopez is a Portuguese novelist. She was interviewed by the Daily Courier.",
    )
    heading = INTERVIEW.format(**questions).replace(
        "The Daily Courier interviewed novelist Maria Lopez about her new book.",
        "Maria Lopez is a Portuguese novelist.\n\nInterview\n\nMaria Lopez",
    )
    object_pronoun = INTERVIEW.format(**questions).replace(
        "The Daily Courier interviewed novelist Maria Lopez about her new book.",
        "Maria Lopez is a Portuguese novelist. The Daily Courier interviewed her last week.",
    )
    for text in (pronoun, heading, object_pronoun):
        (q,) = about(parse(nlp, text), "rewrote it four times", "QUOTE")
        assert q.who == ("Maria Lopez",)


@pytest.mark.nlp
def test_every_party_apposed_to_a_common_noun_speaks(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "The plaintiffs, Acme Foods and Baker Mills, said the rule had cost them buyers.\n\n"
        "Finance officials from Japan and Germany said they would meet again in Paris.",
    )
    (r,) = about(facts, "cost them buyers", "REPORT")
    assert {"Acme Foods", "Baker Mills"} <= set(r.who[:2])
    (o,) = about(facts, "meet again", "REPORT")
    assert o.who[0] == "finance officials from Japan and Germany"


@pytest.mark.nlp
def test_an_unnamed_subject_never_hands_the_action_to_its_object(
    nlp: Any,  # noqa: F811
) -> None:
    facts = parse(
        nlp,
        "The trade minister, who met Carla Ruiz in Madrid on Monday, said tariffs would be "
        "lifted.\n\n"
        "Parliament passed a law on Tuesday that lets small firms list their shares.",
    )
    (m,) = [f for f in facts if f.predicate == "meet"]
    assert m.who[0] == "the trade minister"  # not Carla Ruiz, whom the minister met
    (p,) = [f for f in facts if f.predicate == "pass"]
    assert p.who[0].casefold() == "parliament"


@pytest.mark.nlp
def test_they_in_an_aside_are_the_people_last_named_as_a_subject(
    nlp: Any,  # noqa: F811
) -> None:
    facts = parse(
        nlp,
        "Industry analysts have praised the new phone.\n\n"
        "Several of its features are new, but, they point out, Vertex Mobile is expected to "
        "ship similar ones next year.",
    )
    (r,) = about(facts, "ship similar ones", "REPORT")
    assert r.who[0] == "industry analysts"
    assert r.future  # what they point out is still ahead


@pytest.mark.nlp
def test_examples_such_as_a_named_source_are_the_speakers(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Still, consumer groups such as Fair Price Watch suggest waiting for the first update "
        "before buying.\n\n"
        "Banks such as Orion Bank and Delta Trust said the rules were too strict.",
    )
    (r,) = about(facts, "waiting for the first update")
    assert (r.kind, r.who[0]) == ("REPORT", "Fair Price Watch")
    (b,) = about(facts, "too strict", "REPORT")
    assert b.who[:2] == ("Orion Bank", "Delta Trust")


@pytest.mark.nlp
def test_a_letter_printed_after_a_colon_is_its_writers_words(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Dr. Alan Price, a surgeon at Mercy Hospital, said recovery could take months.\n\n"
        "On its website, Orion Motors published the text of Maria Lopez's letter, which reads: "
        "Dear colleagues, I have decided to step down as chair at the end of the year.\n\n"
        "I will stay on the board and help my successor in every way I can.\n\n"
        "The company's shares fell 3 percent on the news.",
    )
    (q,) = about(facts, "step down as chair", "QUOTE")
    assert q.who == ("Maria Lopez",)
    (s,) = about(facts, "help my successor", "QUOTE")
    assert s.who == ("Maria Lopez",)
    assert not about(facts, "shares fell", "QUOTE")  # narration again


@pytest.mark.nlp
def test_an_interviewee_named_only_in_the_headline_answers(nlp: Any) -> None:  # noqa: F811
    body = (
        '"I have no doubt that the novel will outlive us all"\n\n'
        "{q1}\n\n"
        "I started it ten years ago in a small flat in Porto, and I rewrote it four times.\n\n"
        "{q2}\n\n"
        "Readers are hungrier than ever for long stories, and publishers have noticed it.\n\n"
        "This map shows the bookshops of Porto that Lopez visited. Image: Ana Reis.\n\n"
        "Lopez explained how she found her publisher."
    ).format(q1="When did you start writing the book?", q2="Is the novel still alive today?")
    a = attrs.evolve(article(body), title="Wikinews interviews novelist Maria Lopez")
    facts = facts_of(nlp, a)
    check_invariants(a, facts)
    for key in ("rewrote it four times", "hungrier than ever"):
        (q,) = about(facts, key, "QUOTE")
        assert q.who == ("Lopez",)
    assert not about(facts, "This map shows", "QUOTE")  # a caption with its credit
    (pull,) = about(facts, "outlive us all", "QUOTE")  # a pull quote is the interviewee's
    assert pull.who == ("Lopez",) and not pull.negated
    plain = facts_of(nlp, article(body))  # a headline that says nothing of an interview
    assert not [f for f in plain if f.kind == "QUOTE"]


@pytest.mark.nlp
def test_the_one_quoted_as_saying_speaks_not_the_paper(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "The Amsterdam Stock Exchange declined to comment on the report.\n\n"
        "The Securities and Exchange Commission is investigating the firm.\n\n"
        '"We are not worried about the contents," the newspaper quoted the official as saying.\n\n'
        "An exchange spokesman said there was nothing unusual about the delay.",
    )
    (q,) = about(facts, "not worried", "QUOTE")
    assert q.who == ("the official",)
    (r,) = about(facts, "nothing unusual", "REPORT")
    assert r.who == ("Amsterdam Stock Exchange",)  # the exchange, not the Commission


@pytest.mark.nlp
def test_a_ranked_description_in_a_lede_is_the_organisation_named_next(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "West Germany's biggest bank said it would withhold support from the carmaker's "
        "management.\n\n"
        "Deutsche Bank AG said it would abstain in the votes.",
    )
    (r,) = about(facts, "withhold support", "REPORT")
    assert r.who == ("Deutsche Bank AG",)


@pytest.mark.nlp
def test_the_agency_is_no_company_named_in_its_words(nlp: Any) -> None:  # noqa: F811
    facts = parse(nlp, "The suspension is reinstated if Boeing is indicted, the agency said.")
    (r,) = about(facts, "reinstated", "REPORT")
    assert r.who[0] == "the agency"
    assert r.conditional
    facts = parse(nlp, "The FAA grounded the jets. Boeing will fix them, the agency said.")
    (r,) = about(facts, "fix them", "REPORT")
    assert r.who[0] == "FAA"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The rules were approved, trade and industry secretary Milo Varga said on Monday.\n\n"
            "The trade minister said the plan would cut car prices.",
            "Milo Varga",
        ),
        (
            "Finance Minister Anna Berglund met the bankers on Monday.\n\n"
            "The minister said the talks would resume in May.",
            "Anna Berglund",
        ),
    ],
)
def test_a_role_description_speaks_for_the_person_named_with_that_role(
    nlp: Any,  # noqa: F811
    text: str,
    speaker: str,
) -> None:
    facts = parse(nlp, text)
    (f,) = [
        f for f in facts if "talks would resume" in f.evidence.text or "cut car" in f.evidence.text
    ]
    assert f.who[0] == speaker, f.who


def test_a_role_description_two_people_could_hold_names_neither(nlp: Any) -> None:  # noqa: F811
    facts = parse(
        nlp,
        "Finance Minister Anna Berglund and Trade Minister Carl Holmgren met on Monday.\n\n"
        "The minister said the talks would resume in May.",
    )
    for f in about(facts, "talks would resume"):
        assert not {"Anna Berglund", "Carl Holmgren"} & set(f.who), f.who


@pytest.mark.nlp
def test_a_trader_or_analyst_at_a_named_organisation_speaks_for_themselves(
    nlp: Any,  # noqa: F811
) -> None:
    """A spokesman of a company speaks for it; a trader, analyst or employee named with it does
    not: the source is the phrase (without its indefinite article), not the organisation."""
    facts = parse(
        nlp,
        '"Speculators bought March meal against May," a Chicago Board of Trade crush trader '
        "said. Alcoa officials said the smelter would reopen in May. An observer said the "
        "talks had gone badly.",
    )
    (q,) = about(facts, "Speculators bought", "QUOTE")
    assert q.who[0] == "Chicago Board of Trade crush trader"
    assert "Chicago Board of Trade" not in q.who
    (o,) = about(facts, "talks had gone badly")
    assert o.who[0] == "observer"
