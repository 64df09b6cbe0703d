"""The app's parts without a screen: marks, wrapping, history, config, citations and export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newsdesk.index.engines import open_reader
from newsdesk.index.model import Article, Evidence, Fact, When
from newsdesk.index.seam import Reader, SearchRequest
from newsdesk.tui.citation import cite, fact_citation, passage_citation
from newsdesk.tui.export import export, fact_json
from newsdesk.tui.history import History
from newsdesk.tui.keymap import ALL_IDS, load_config
from newsdesk.tui.widgets.facts import fact_detail, when_text
from newsdesk.tui.widgets.marks import Mark, evidence_mark, hit_mark, marked, mention_mark
from newsdesk.tui.widgets.passage import wrap

# -- marks ------------------------------------------------------------------------------------------


def test_marks_insert_glyphs_and_keep_offsets() -> None:
    text = "North Korea stole crypto"
    content, to_shown = marked(text, [hit_mark(18, 24), mention_mark(0, 11, "PLACE")])
    assert content.plain == "North Korea● stole «crypto»"
    styles = {(s.start, s.end): s.style for s in content.spans}
    assert styles[(0, 12)] == ".mark--place"  # the glyph belongs to the mention
    assert styles[(19, 27)] == ".mark--hit"
    assert content.plain[to_shown(18) + 1 : to_shown(18) + 7] == "crypto"


def test_marks_nest_at_the_same_offset() -> None:
    text = "Japan agreed"
    content, _ = marked(text, [evidence_mark(0, 12), hit_mark(0, 5), mention_mark(0, 5, "PLACE")])
    assert content.plain == "⟦«Japan»● agreed⟧"
    spans = {s.style: (s.start, s.end) for s in content.spans}
    assert spans[".mark--evidence"] == (0, len(content.plain))
    assert content.plain[slice(*spans[".mark--hit"])] == "«Japan»"


def test_marked_text_is_literal_and_inert() -> None:
    text = "[bold]x[/bold] \x1b[31mred\x1b[0m [@click=app.quit]q[/]\tend\x07"
    content, _ = marked(text, [Mark(0, 6, ".mark--hit", "«", "»")])
    assert "\x1b" not in content.plain and "\x07" not in content.plain
    assert "[@click=app.quit]" in content.plain
    assert "␛[31mred" in content.plain
    assert all(s.style.startswith(".mark--") for s in content.spans)


def test_marks_outside_the_text_are_dropped() -> None:
    content, _ = marked("short", [hit_mark(3, 99), hit_mark(10, 20), hit_mark(-5, 2)])
    assert content.plain == "«sh»o«rt»"


# -- wrapping ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [5, 12, 30])
def test_wrap_covers_the_text_and_fits(width: int) -> None:
    text = "The quick brown fox jumps over the lazy dog.\n\nA supercalifragilistic word here."
    lines = wrap(text, width)
    for s, e in lines:
        assert e - s <= width
    words = [w for s, e in lines for w in text[s:e].split()]
    joined = "".join(text.split())
    assert "".join(words) == joined


def test_wrap_keeps_blank_lines() -> None:
    lines = wrap("one\n\ntwo", 10)
    assert [("one\n\ntwo")[s:e] for s, e in lines] == ["one", "", "two"]


# -- history ----------------------------------------------------------------------------------------


def test_history_dedupes_persists_and_browses(tmp_path: Path) -> None:
    path = tmp_path / "h" / "history.jsonl"
    h = History(path)
    for q in ("cyber", "ledger", "cyber", "  ", 'a "phrase"'):
        h.add(q)
    assert h.entries == ["ledger", "cyber", 'a "phrase"']
    again = History(path)
    assert again.entries == h.entries
    assert again.move(-1, "draft") == 'a "phrase"'
    assert again.move(-1, "") == "cyber"
    assert again.move(-1, "") == "ledger"
    assert again.move(-1, "") is None
    assert again.move(1, "") == "cyber"
    assert again.move(1, "") == 'a "phrase"'
    assert again.move(1, "") == "draft"  # back to what was typed
    assert again.move(1, "") is None


def test_history_survives_damage_and_caps(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text('"one"\nnot json\n42\n"two"\n"one"\n', encoding="utf-8")
    h = History(path, max_entries=3)
    assert h.entries == ["two", "one"]
    for q in ("a", "b", "c"):
        h.add(q)
    assert h.entries == ["a", "b", "c"]


def test_history_without_a_path_is_in_memory() -> None:
    h = History(None)
    h.add("x")
    assert h.entries == ["x"]


# -- config -----------------------------------------------------------------------------------------


def test_config_keys_and_theme(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[keys]\ncopy = "y"\nsearch = "s, slash"\nnope = "z"\nquit = 3\n\n[ui]\ntheme = "nord"\n',
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert cfg.keymap == {"copy": "y", "search": "s,slash"}
    assert cfg.theme == "nord"
    assert any("nope" in p for p in cfg.problems)
    assert any("quit" in p for p in cfg.problems)


def test_config_missing_or_broken(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml").keymap == {}
    bad = tmp_path / "bad.toml"
    bad.write_text("[keys\n", encoding="utf-8")
    cfg = load_config(bad)
    assert cfg.keymap == {} and cfg.problems


def test_every_documented_action_has_an_id() -> None:
    for name in ("search", "next_hit", "prev_hit", "filter", "facts", "evidence", "copy", "quit"):
        assert name in ALL_IDS


# -- citations and the fact detail --------------------------------------------------------------------

ARTICLE = Article("a1", "Allies [b]form[/b] a group", "2023-11-06", "Wire", "CC BY 4.0", "", "")


def make_fact(**kw: object) -> Fact:
    base: dict[str, object] = dict(
        id="a1:f1",
        kind="QUOTE",
        statement="The office said \x1b[2Jthe group will meet.",
        who=("South Korea's presidential office",),
        predicate="say",
        object="",
        negated=False,
        date="2023-10-30",
        when=When("last week", "2023-10-30", "2023-11-05", "week", None, 0, 9),
        where=("Washington",),
        attributed_to=("South Korea's presidential office", "Reuters"),
        article_id="a1",
        evidence=Evidence("a1#3", 0, 40, "Last week the office said it would meet."),
    )
    base.update(kw)
    return Fact(**base)  # type: ignore[arg-type]


def test_citation_has_statement_title_date_source_passage() -> None:
    text = fact_citation(make_fact(), ARTICLE)
    assert text.startswith("“The office said ␛[2Jthe group will meet.”")
    for part in ("Allies [b]form[/b] a group", "Wire", "2023-11-06", "CC BY 4.0", "[a1#3]"):
        assert part in text
    assert "\x1b" not in text and "\n" not in text


def test_passage_citation_without_article() -> None:
    assert cite("x\ny", "p#1") == "“x y” [p#1]"
    assert passage_citation("text", "a1#2", ARTICLE).endswith("[a1#2]")


def test_fact_detail_shows_every_field_literally() -> None:
    content = fact_detail(make_fact())
    plain = content.plain
    for part in ("QUOTE", "who", "via", "South Korea's presidential office → Reuters", "where"):
        assert part in plain
    assert "week of 2023-10-30 (“last week”)" in plain  # newsdesk.index.when.render_when
    assert "‹Last week›" in plain  # the time words marked in the evidence
    assert "⟦" in plain and "⟧" in plain
    assert "\x1b" not in plain


def test_when_text_variants() -> None:
    assert when_text(None, "2022") == "2022"
    every = When("every 3 months", "2023-11-06", None, "recurrence", "every 3 months")
    assert "every 3 months" in when_text(every, None)
    assert when_text(When("", "2023-11-06", "2023-11-06", "article"), None).startswith("2023-11-06")


# -- export -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(app_index: Path) -> Reader:
    return open_reader(app_index)


def run_export(engine: Reader, what: str, query: str, fmt: str, **kw: object) -> tuple[int, str]:
    out = io.StringIO()
    n = export(engine, what, SearchRequest(query), fmt, out, **kw)  # type: ignore[arg-type]
    return n, out.getvalue()


def test_export_results_jsonl_pages_through_every_hit(engine: Reader) -> None:
    n, text = run_export(engine, "results", "ledger", "jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert n == len(rows) == engine.search(SearchRequest("ledger")).total > 50
    assert {"article_id", "passage_id", "title", "date", "score", "text", "highlights"} <= set(
        rows[0]
    )
    assert [r["rank"] for r in rows] == list(range(1, n + 1))


def test_export_results_csv_is_inert(engine: Reader) -> None:
    n, text = run_export(engine, "results", "cyber", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["rank", "article_id", "passage_id"]
    assert len(rows) == n + 1
    assert "\x1b" not in text
    assert any("[@click=app.quit]" in cell for row in rows for cell in row)


def test_export_csv_guards_formulas(engine: Reader, tmp_path: Path) -> None:
    from newsdesk.tui.export import _cell

    assert _cell("=cmd()") == "'=cmd()"
    assert _cell(["a", "b"]) == "a; b"
    assert _cell(1.5) == "1.5"


def test_export_entities_of_the_corpus_and_of_a_query(engine: Reader) -> None:
    n, text = run_export(engine, "entities", "", "jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert n == len(rows) == engine.stats().entities
    assert {"id", "name", "type", "aliases", "mentions", "articles"} <= set(rows[0])
    n, text = run_export(engine, "entities", "theft", "jsonl")
    names = {json.loads(line)["name"] for line in text.splitlines()}
    # the passages holding "theft" name North Korea (a title match alone is no hit: issue 14)
    assert (
        "North Korea" in names
        and "Lazarus Group" not in names
        and all("count" in json.loads(line) for line in text.splitlines())
    )


def test_export_facts_shape_and_entity(engine: Reader) -> None:
    n, text = run_export(engine, "facts", "", "jsonl", entity="Anne Neuberger")
    rows = [json.loads(line) for line in text.splitlines()]
    assert n == 2
    expected = {
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
        "sources",
        "article_id",
        "passage_id",
        "evidence",
        "modality",
        "qualifiers",
        "qualified_by",
    }
    assert set(rows[0]) == expected
    assert set(rows[0]["evidence"]) == {"text", "start", "end"}


def test_export_markdown_escapes(engine: Reader) -> None:
    n, text = run_export(engine, "results", "cyber", "md")
    assert text.startswith("# newsdesk results — query cyber")
    assert "\\[@click=app\\.quit\\]" in text
    assert "\x1b" not in text
    n, text = run_export(engine, "facts", "", "md")
    assert n == 2 and "**QUOTE**" in text
    n, text = run_export(engine, "entities", "", "md")
    assert "| name | type |" in text


def test_export_rejects_unknown_what_and_format(engine: Reader) -> None:
    with pytest.raises(ValueError):
        run_export(engine, "people", "", "jsonl")
    with pytest.raises(ValueError):
        run_export(engine, "results", "", "xml")


def test_export_bad_query_raises_query_error(engine: Reader) -> None:
    from newsdesk.index.errors import QueryError

    with pytest.raises(QueryError):
        run_export(engine, "results", "date:[", "jsonl")


def test_fact_json_when_is_a_dict() -> None:
    row = fact_json(make_fact())
    assert row["when"]["text"] == "last week" and row["passage_id"] == "a1#3"
