"""What qualifies a fact — negated, conditional, hedged, future — found, kept in the statement and
shown everywhere a fact is (JSON, CSV, Markdown, the CLI, the fact pane, citations)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from newsdesk.index.extract.facts.modality import text_qualifiers
from newsdesk.index.model import Analysis, Article, Evidence, Fact, Passage, When

FIXTURES = Path(__file__).parent / "fixtures" / "modality"


@pytest.fixture(scope="module")
def nlp() -> Any:
    from newsdesk.index.extract import nlp as nlp_module

    try:
        return nlp_module.load()
    except nlp_module.NlpUnavailable as e:  # pragma: no cover - the model is a dependency
        pytest.skip(str(e))


def facts_of(text: str, nlp: Any = None, date: str = "2024-03-15") -> list[Fact]:
    """The facts of a one-paragraph article (rules mode when nlp is None)."""
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.extract.facts import extract_facts
    from newsdesk.index.ingest.passages import split_passages

    a = Article(id="t", title="", date=date, source="", license="", path="", text=text)
    passages = split_passages(a)
    doc = nlp(text) if nlp is not None else None
    mentions, _ = extract_entities(a, passages, doc)
    return extract_facts(a, passages, doc, mentions)


def about(facts: Sequence[Fact], word: str) -> list[Fact]:
    return [f for f in facts if word.casefold() in f.statement.casefold()]


def the_fact(facts: Sequence[Fact], word: str) -> Fact:
    found = about(facts, word)
    assert found, f"no fact about {word!r}: {[f.statement for f in facts]}"
    return found[0]


def read_cases(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


# --- the parse: each class, several phrasings ---------------------------------------------------

CASES = read_cases("cases.tsv")


@pytest.mark.nlp
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_fixture_sentences_carry_their_qualifier(nlp: Any, case: dict[str, str]) -> None:
    """tests/fixtures/modality/cases.tsv (written before the extractor ran on it): every fact
    about the qualified clause carries the qualifier; asserted ones carry none."""
    from newsdesk.index.tools.evaluate_modality import about as facts_about

    facts = facts_about(facts_of(case["sentence"], nlp), case["key"])
    for f in facts:
        if case["expected"] == "asserted":
            assert f.qualifiers == (), f.statement
            assert f.modality == "asserted"
        else:
            assert case["expected"] in f.qualifiers, f.statement


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text, word",
    [
        (
            "The suspension is reinstated if Boeing is indicted by the Justice Department.",
            "indicted",
        ),
        (
            "Siemens will close the plant in Berlin unless the union accepts the new contract.",
            "close",
        ),
        ("If the talks fail, Lufthansa pilots will strike on Friday.", "strike"),
        ("Hamas would free ten hostages provided Israel pauses its offensive.", "free"),
    ],
)
def test_a_conditional_fact_keeps_its_condition(nlp: Any, text: str, word: str) -> None:
    f = the_fact(facts_of(text, nlp), word)
    assert f.conditional and f.modality in ("conditional", "negated")
    cond = next(w for w in ("if", "unless", "provided") if f" {w} " in f" {text.lower()} ")
    assert cond in f.statement.casefold().split()  # the statement says the condition
    assert cond in f.qualified_by.casefold().split()


@pytest.mark.nlp
def test_the_condition_is_no_fact_of_its_own(nlp: Any) -> None:
    """'… if Boeing is indicted' states no indictment: read as the condition it is, and merged
    into the fact it conditions when the sentence gave one (its actors kept)."""
    facts = facts_of("The suspension is reinstated if Boeing is indicted.", nlp)
    f = the_fact(facts, "Boeing")
    assert f.statement.startswith("If Boeing is indicted")
    assert "suspension is reinstated" in f.statement
    facts = facts_of(
        "Ukraine will receive 5 billion euros from the EU if Kyiv meets the targets.", nlp
    )
    f = the_fact(facts, "receive")
    assert f.conditional and "if Kyiv meets the targets" in f.statement
    assert not [g for g in facts if g.statement.casefold().startswith("kyiv meets")]
    assert "Kyiv" in f.who or any("Kyiv" in w for w in f.who) or "Ukraine" in f.who


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text",
    [
        "Toyota will raise wages even if sales fall this year.",
        "Reporters asked Chancellor Olaf Scholz if Germany would send more tanks.",
        "The minister spoke as if the deal with Pfizer had already been signed.",
    ],
)
def test_even_if_as_if_and_asked_if_are_no_conditions(nlp: Any, text: str) -> None:
    assert not [f for f in facts_of(text, nlp) if f.conditional and "if" in f.qualified_by]


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text, word, hedge",
    [
        ("Kenyan runner Faith Kipyegon nearly broke the world record in Oslo.", "broke", "nearly"),
        ("Microsoft may have exposed the data of customers in Europe.", "exposed", "may have"),
        ("Russian hackers allegedly stole data from the Pentagon.", "stole", "allegedly"),
        ("Iran is believed to have supplied drones to Russia.", "supplied", "believed"),
        ("Google could pay as much as $2 billion to settle the lawsuit.", "pay", "could"),
    ],
)
def test_a_hedged_fact_keeps_its_hedge(nlp: Any, text: str, word: str, hedge: str) -> None:
    f = the_fact(facts_of(text, nlp), word)
    assert f.hedged, f.statement
    assert f"{hedge} " in f.statement  # the hedge is back before its verb, as the text has it


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text, word",
    [
        ("Germany has not sent long-range missiles to Ukraine, Olaf Scholz said.", "sent"),
        ("The Federal Reserve never approved the merger of the two banks.", "approved"),
        ("Hungary refused to sign the joint statement on the attack.", "sign"),
        ("The United Nations failed to reach an agreement in Bonn.", "reach"),
        ("Turkey has yet to ratify the accession of Sweden to NATO.", "ratify"),
    ],
)
def test_a_negated_fact_says_so(nlp: Any, text: str, word: str) -> None:
    f = the_fact(facts_of(text, nlp), word)
    assert f.negated and f.modality == "negated"
    assert any(w in f.statement for w in ("not", "never", "refused", "failed", "yet to"))


@pytest.mark.nlp
def test_a_conjoined_verb_shares_its_first_conjuncts_qualifiers(nlp: Any) -> None:
    """'will not raise prices or cut jobs': the cut is not asserted either, and says so."""
    f = the_fact(facts_of("Apple will not raise prices in Japan or cut jobs in China.", nlp), "cut")
    assert f.negated and f.future
    assert "will not cut jobs" in f.statement


@pytest.mark.nlp
def test_a_negation_outside_the_quotation_marks_is_kept(nlp: Any) -> None:
    """'his intent was not to “perpetuate …”': the quotation is quoted with its frame."""
    text = (
        "Senator Mitch McConnell said his intent was not to “punish the companies that "
        "followed the rules.”"
    )
    f = next(f for f in facts_of(text, nlp) if f.kind == "QUOTE")
    assert f.negated
    assert "was not to “punish the companies" in f.statement


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text, word",
    [
        ("Intel will build a chip factory in Ohio.", "build"),
        ("Germany plans to phase out coal power by 2030.", "phase"),
        ("The European Central Bank is expected to raise interest rates in July.", "raise"),
        ("Saudi Arabia is going to cut oil output from July.", "cut"),
        ("Samsung intends to open a second plant in Texas in 2026.", "open"),
    ],
)
def test_a_fact_spoken_of_as_ahead_is_future(nlp: Any, text: str, word: str) -> None:
    f = the_fact(facts_of(text, nlp), word)
    assert f.future and not f.negated and not f.conditional, f.statement


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text, word",
    [
        ("Nearly 2,000 workers at the Ford plant in Valencia walked off the job.", "walked"),
        ("Toyota recalled about 280,000 vehicles in the United States.", "recalled"),
        (
            "Microsoft completed its acquisition of Activision after Britain approved it.",
            "completed",
        ),
        ("Apple not only raised prices in Japan but also cut jobs in China.", "raised"),
        ("Qantas would like to thank the crew of the Airbus A380.", "thank"),
    ],
)
def test_asserted_facts_stay_asserted(nlp: Any, text: str, word: str) -> None:
    facts = about(facts_of(text, nlp), word)
    assert facts
    assert all(f.modality == "asserted" for f in facts), [f.statement for f in facts]


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text, actors, target",
    [
        (
            "The United States, Japan and South Korea agreed to take joint action against "
            "North Korea's cyber theft.",
            ("United States", "Japan", "South Korea"),
            "North Korea",
        ),
        (
            "Germany and France agreed to impose new sanctions on Russia.",
            ("Germany", "France"),
            "Russia",
        ),
        ("Thirty countries agreed to impose sanctions on Russia.", (), "Russia"),
    ],
)
def test_the_party_acted_against_is_not_listed_among_the_actors(
    nlp: Any, text: str, actors: tuple[str, ...], target: str
) -> None:
    facts = [f for f in facts_of(text, nlp) if f.predicate == "agree"]
    assert all(target not in f.who for f in facts)
    if actors:
        assert facts and facts[0].who[: len(actors)] == actors


# --- the rules mode (no parse) --------------------------------------------------------------------


def test_rules_words_give_negation_and_conditions() -> None:
    q = text_qualifiers(" has not", "Germany has not sent missiles, Scholz said.")
    assert q == {"negated": "not"}
    q = text_qualifiers(" refused to", "Hungary refused to sign it.")
    assert "negated" in q
    q = text_qualifiers(" will", "Airbus will close the line if orders do not recover.")
    assert q["conditional"] == "if orders do not recover" and q["future"] == "will"
    q = text_qualifiers("", "Unless Congress acts, the Treasury runs out of cash in June.")
    assert q["conditional"] == "Unless Congress acts"


@pytest.mark.parametrize(
    "sentence",
    [
        "Toyota raised wages even if sales fell.",
        "Reporters asked if Germany would send tanks.",
        "He spoke as if the deal was done.",
        "“We will go if they ask,” the minister said.",  # inside a quotation
    ],
)
def test_rules_conditions_are_conservative(sentence: str) -> None:
    quoted = [(sentence.find("“"), sentence.find("”"))] if "“" in sentence else []
    assert "conditional" not in text_qualifiers("", sentence, quoted)


def test_rules_mode_facts_keep_negation_and_condition() -> None:
    facts = facts_of("Germany has not sent long-range missiles to Ukraine.")
    f = the_fact(facts, "sent")
    assert f.negated and "has not sent" in f.statement
    facts = facts_of("If Russia cuts supplies, Germany said it will halt gas exports.")
    f = the_fact(facts, "halt")
    assert f.conditional and f.statement.endswith("halt gas exports if Russia cuts supplies")
    assert f.qualified_by.startswith("If Russia cuts supplies")


# --- the model and the JSON shapes ------------------------------------------------------------------


def make_fact(**kw: Any) -> Fact:
    base: dict[str, Any] = dict(
        id="a1:f1",
        kind="EVENT",
        statement="If Boeing is indicted, the suspension is reinstated",
        who=("Boeing",),
        predicate="indict",
        object="",
        negated=False,
        date="2024-03-15",
        when=When("", "2024-03-15", "2024-03-15", "article"),
        where=(),
        attributed_to=(),
        article_id="a1",
        evidence=Evidence("a1#1", 0, 60, "The suspension is reinstated if Boeing is indicted."),
        conditional=True,
        qualified_by="if Boeing is indicted",
    )
    base.update(kw)
    return Fact(**base)


def test_qualifiers_and_modality() -> None:
    assert make_fact().qualifiers == ("conditional",)
    assert make_fact().modality == "conditional"
    f = make_fact(negated=True, future=True, conditional=False)
    assert f.qualifiers == ("negated", "future") and f.modality == "negated"
    assert make_fact(conditional=False).modality == "asserted"


def test_analyses_stored_before_the_qualifiers_still_load() -> None:
    from newsdesk.index.model import to_dict
    from newsdesk.index.store.codec import dump_analysis, load_analysis, load_fact

    old = to_dict(make_fact(conditional=False, qualified_by=""))
    for key in ("conditional", "hedged", "future", "qualified_by"):
        del old[key]
    f = load_fact(json.dumps(old))
    assert (f.conditional, f.hedged, f.future, f.qualified_by) == (False, False, False, "")
    assert f.modality == "asserted"
    a = Analysis("a1", facts=(make_fact(hedged=True),))
    assert load_analysis(dump_analysis(a)).facts[0].qualifiers == ("conditional", "hedged")


def test_fact_json_keeps_its_keys_and_adds_the_modality_last() -> None:
    from newsdesk.tui.export import fact_json

    row = fact_json(make_fact(future=True))
    design = [
        "id",
        "kind",
        "statement",
        "who",
        "predicate",
        "object",
        "negated",
        "date",
        "when",
        "where",
        "attributed_to",
        "article_id",
        "passage_id",
        "evidence",
    ]
    assert [k for k in row if k in design] == design  # every key of the contract, in order
    assert list(row)[-3:] == ["modality", "qualifiers", "qualified_by"]
    assert row["modality"] == "conditional"
    assert row["qualifiers"] == ["conditional", "future"]
    assert row["qualified_by"] == "if Boeing is indicted"
    assert row["negated"] is False


def test_citation_never_presents_a_qualified_fact_as_plain_truth() -> None:
    from newsdesk.tui.citation import fact_citation

    art = Article("a1", "Boeing deal", "2024-03-15", "Wire", "CC BY 4.0", "", "")
    text = fact_citation(make_fact(), art)
    assert text.startswith("“If Boeing is indicted, the suspension is reinstated” (conditional)")
    plain = fact_citation(make_fact(conditional=False, qualified_by=""), art)
    assert "(conditional)" not in plain and "[a1#1]" in plain


# --- the index, the CLI, the exports and the pane -----------------------------------------------------

QUALIFIED = {
    "asserted": {},
    "conditional": {"conditional": True, "qualified_by": "if Boeing is indicted"},
    "negated": {"negated": True, "qualified_by": "not"},
    "hedged": {"hedged": True, "qualified_by": "nearly"},
    "future": {"future": True, "qualified_by": "will"},
}


def qualified_batch(items: Sequence[tuple[Article, Sequence[Passage]]], mode: str | None = None):
    """A stand-in extractor: one fact of each modality for every article."""
    out = []
    for a, passages in items:
        p = passages[0]
        facts = tuple(
            make_fact(
                id=f"{a.id}:f{n}",
                statement=f"Boeing {name} statement",
                article_id=a.id,
                evidence=Evidence(p.id, p.start, p.end, p.text),
                **{"conditional": False, "qualified_by": "", **flags},
            )
            for n, (name, flags) in enumerate(QUALIFIED.items(), start=1)
        )
        out.append(Analysis(a.id, facts=facts, mode="fake"))
    return out


@pytest.fixture(scope="module")
def qualified_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsdesk.index import build as index_build
    from newsdesk.index.extract import analyze as index_analyze

    root = tmp_path_factory.mktemp("modality")
    (root / "c").mkdir()
    (root / "c" / "boeing.txt").write_text(
        "date 2024-03-15\ntitle: Boeing\n\nThe suspension is reinstated if Boeing is indicted.\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_analyze, "analyze_batch", qualified_batch)
        mp.setattr(index_build, "extraction_mode", lambda: "fake")
        index_build.build(root / "ix", [root / "c"], extract=True, workers=1)
    return root / "ix"


def test_cli_facts_shows_the_qualifiers(
    qualified_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsdesk.tui.cli import main

    assert main(["facts", "--index", str(qualified_index)]) == 0
    out = capsys.readouterr().out
    lines = {name: next(x for x in out.splitlines() if f"Boeing {name} statement" in x)
             for name in QUALIFIED}  # fmt: skip
    for name in ("conditional", "negated", "hedged", "future"):
        assert f"({name}) Boeing {name} statement" in lines[name]
    assert "(" not in lines["asserted"]
    assert "qualified by: if Boeing is indicted" in out
    assert main(["facts", "--index", str(qualified_index), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["modality"] for r in rows} == set(QUALIFIED)


def test_exports_carry_the_modality(qualified_index: Path) -> None:
    from newsdesk.index.engines import open_reader
    from newsdesk.index.seam import SearchRequest
    from newsdesk.tui.export import export

    engine = open_reader(qualified_index)
    out = io.StringIO()
    assert export(engine, "facts", SearchRequest(""), "csv", out) == len(QUALIFIED)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["modality"] for r in rows} == set(QUALIFIED)
    cond = next(r for r in rows if r["modality"] == "conditional")
    assert cond["qualifiers"] == "conditional" and cond["qualified_by"] == "if Boeing is indicted"
    out = io.StringIO()
    export(engine, "facts", SearchRequest(""), "md", out)
    text = out.getvalue()
    assert "**EVENT** _conditional_ Boeing conditional statement" in text
    assert "qualified by: if Boeing is indicted" in text
    assert "**EVENT** Boeing asserted statement" in text


async def test_the_fact_pane_shows_qualifiers_as_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readable without colour: the qualifier is a word in the list and the detail."""
    from textual.app import App, ComposeResult

    from newsdesk.tui.widgets.facts import FactDetail, FactList, FactPane

    monkeypatch.setenv("NO_COLOR", "1")
    facts = [
        make_fact(id="a1:f1"),
        make_fact(
            id="a1:f2",
            statement="Boeing will deliver jets",
            conditional=False,
            future=True,
            negated=True,
            qualified_by="not; will",
        ),  # fmt: skip
        make_fact(
            id="a1:f3", statement="Boeing delivered jets", conditional=False, qualified_by=""
        ),
    ]

    class PaneApp(App[None]):
        def compose(self) -> ComposeResult:
            yield FactPane(id="facts")

    app = PaneApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(FactPane)
        pane.set_facts(facts, "article a1")
        await pilot.pause()
        prompts = [str(pane.list.get_option_at_index(i).prompt) for i in range(3)]
        assert "(conditional) If Boeing is indicted" in prompts[0]
        assert "(negated, future) Boeing will deliver jets" in prompts[1]
        assert "(" not in prompts[2].split("·")[0]
        pane.show_detail(facts[0])
        await pilot.pause()
        detail = app.query_one(FactDetail).content
        plain = detail.plain if hasattr(detail, "plain") else str(detail)
        assert plain.splitlines()[0].startswith("EVENT · conditional")
        assert "qualified if Boeing is indicted" in " ".join(plain.split())
        pane.list.highlighted = 1
        pane.show_detail(facts[1])
        await pilot.pause()
        plain = app.query_one(FactDetail).content.plain  # type: ignore[union-attr]
        assert plain.splitlines()[0].startswith("EVENT · negated · future")
        assert isinstance(pane.list, FactList)
        shot = app.export_screenshot()
        assert "conditional" in shot and "negated" in shot


def test_no_doubt_that_affirms(nlp: Any) -> None:
    f = the_fact(
        facts_of("Maria Lopez said she had no doubt that the plan would work.", nlp), "plan"
    )
    assert not f.negated
    f = the_fact(
        facts_of("Maria Lopez said no agreement was reached on the plan.", nlp), "agreement"
    )
    assert f.negated
