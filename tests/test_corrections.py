"""Corrections by the user (issue 14): merge, hide, retype, split entities and flag facts, from the
app's keys (Pilot) and from `newsdesk correct`, and what survives indexing again.

Every test works on its own copy of the app's test index (tests/conftest.py): corrections are
written into the index folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsdesk.index.engines import open_reader
from newsdesk.index.seam import SearchRequest
from newsdesk.tui.cli import main
from newsdesk.tui.scope import results_facts
from newsdesk.tui.screens.facts_table import FactsTableScreen
from newsdesk.tui.screens.main import MainScreen
from newsdesk.tui.screens.prompt import ConfirmScreen

from .conftest import settle as settle_app
from .conftest import write_article

WIDE = (130, 40)


@pytest.fixture
def index_copy(app_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ix"
    shutil.copytree(app_index, target)
    return target


async def settle(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await settle_app(pilot)
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


def rows(screen: MainScreen, type_: str) -> dict[str, int]:
    return {r.name: r.count for r in screen.entity_rows(type_)}


async def select_entity(pilot, screen: MainScreen, type_: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Focus the entity pane on the tab of type_, the cursor on name."""
    screen._focus_pane("entities")
    screen.entity_pane.set_type(type_)
    await pilot.pause()
    names = [r.name for r in screen.entity_rows(type_)]
    screen.entity_pane.list.highlighted = names.index(name)
    await pilot.pause()
    assert screen.entity_pane.current is not None and screen.entity_pane.current.name == name


async def pick(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the open picker, take its first choice, then say yes to the question."""
    for _ in range(100):
        if type(pilot.app.screen).__name__ == "CommandPalette":
            break
        await pilot.pause(0.02)
    await pilot.press(*text)
    for _ in range(200):  # the palette's search runs in a worker
        await pilot.pause(0.02)
        options = pilot.app.screen.query("CommandList")
        if options and options.first().option_count:
            break
    await pilot.press("down", "enter")
    await confirm(pilot)


async def confirm(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if isinstance(pilot.app.screen, ConfirmScreen):
            break
        await pilot.pause(0.02)
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("y")


# -- the app -----------------------------------------------------------------------------------------


async def test_merge_shows_one_entity_with_both_names_and_summed_counts(
    make_app, index_copy: Path
) -> None:
    app = make_app(index_copy)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        before = rows(screen, "ORG")
        assert before["Reuters"] == 1 and before["Lazarus Group"] == 1
        await select_entity(pilot, screen, "ORG", "Lazarus Group")
        await pilot.press("m")
        await pick(pilot, "reuters")
        screen = await settle(pilot)
        assert rows(screen, "ORG") == {"Reuters": 2}
        # filtering by it finds the passages of both
        screen.add_filter("Reuters")
        screen = await settle(pilot)
        assert {h.passage_id for h in screen.results.hits} == {"cyber#3", "theft#1"}
    reader = open_reader(index_copy)
    reuters = reader.resolve_entity("Lazarus Group")
    assert reuters is not None and reuters.name == "Reuters"
    assert set(reuters.aliases) == {"Reuters", "Lazarus Group"} and reuters.mentions == 2


async def test_hide_and_type_change_move_the_entity_out_of_its_tab(
    make_app, index_copy: Path
) -> None:
    app = make_app(index_copy)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        assert {"Japan", "North Korea"} <= set(rows(screen, "PLACE"))
        await select_entity(pilot, screen, "PLACE", "Japan")
        await pilot.press("h")
        await confirm(pilot)
        screen = await settle(pilot)
        assert "Japan" not in rows(screen, "PLACE")
        assert all("Japan" not in rows(screen, t) for t in ("PERSON", "ORG", "MISC"))
        await select_entity(pilot, screen, "PLACE", "North Korea")
        await pilot.press("T")
        await pick(pilot, "org")
        screen = await settle(pilot)
        assert "North Korea" not in rows(screen, "PLACE")
        assert rows(screen, "ORG")["North Korea"] == 2
        # the palette lists them; undoing the hide brings Japan back
        screen.show_corrections()
        await pick(pilot, "hide")
        screen = await settle(pilot)
        assert rows(screen, "PLACE").get("Japan") == 2
    reader = open_reader(index_copy)
    assert [c.op for c in reader.corrections().entries] == ["type"]


async def test_a_flagged_fact_leaves_the_pane_the_table_and_the_export(
    make_app, index_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(index_copy)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        await select_entity(pilot, screen, "PERSON", "Anne Neuberger")
        await pilot.press("f")
        screen = await settle(pilot)
        assert [f.id for f in screen.fact_pane.facts] == ["cyber:f1", "theft:f1"]
        screen.fact_pane.list.highlighted = 1
        await pilot.pause()
        await pilot.press("exclamation_mark")
        await confirm(pilot)
        screen = await settle(pilot)
        assert [f.id for f in screen.fact_pane.facts] == ["cyber:f1"]
        await pilot.press("t")  # the facts table of the results
        for _ in range(200):
            if isinstance(app.screen, FactsTableScreen):
                break
            await pilot.pause(0.02)
        table = app.screen
        assert isinstance(table, FactsTableScreen)
        assert "theft:f1" not in {f.id for f in table.all_facts}
        assert "cyber:f1" in {f.id for f in table.all_facts}
    reader = open_reader(index_copy)
    assert "theft:f1" not in {f.id for f in results_facts(reader, SearchRequest("")).facts}
    out = tmp_path / "facts.jsonl"
    assert main(["export", "facts", "--index", str(index_copy), "-o", str(out)]) == 0
    exported = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert "cyber:f1" in exported and "theft:f1" not in exported


async def test_corrections_survive_indexing_again(
    make_app, index_copy: Path, tmp_path: Path, fake_nlp: None
) -> None:
    reader = open_reader(index_copy)
    reader.correct("merge", "Lazarus Group", "Reuters")
    reader.correct("hide", "Japan")
    reader.correct("type", "North Korea", "ORG")
    reader.correct("flag", "theft:f1")
    corpus = tmp_path / "more"  # the earlier articles are kept (not pruned)
    write_article(
        corpus,
        "more.txt",
        "Japan and the Lazarus Group were named again in a report that Reuters published.",
        date="2024-01-10",
        title="More",
    )
    assert main(["index", str(corpus), "--index", str(index_copy), "-q"]) == 0
    app = make_app(index_copy)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        assert rows(screen, "ORG") == {"Reuters": 3, "North Korea": 2}
        assert "Japan" not in rows(screen, "PLACE")
        await select_entity(pilot, screen, "PERSON", "Anne Neuberger")
        await pilot.press("f")
        screen = await settle(pilot)
        assert [f.id for f in screen.fact_pane.facts] == ["cyber:f1"]


# -- the command line --------------------------------------------------------------------------------


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_correct_list_and_undo(index_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ix = ("--index", str(index_copy))
    made = run_json(capsys, "correct", "merge", "lazarus group", "Reuters", *ix)
    assert isinstance(made, dict)
    assert (made["n"], made["op"], made["target"], made["value"]) == (
        1,
        "merge",
        "org:lazarus-group",
        "org:reuters",
    )
    assert made["text"] == "merge “Lazarus Group” into “Reuters”"
    run_json(capsys, "correct", "hide", "Japan", *ix)
    run_json(capsys, "correct", "type", "North Korea", "orgs", *ix)
    run_json(capsys, "correct", "flag", "theft:f1", *ix)
    orgs = run_json(capsys, "entities", "--type", "ORG", *ix)
    assert isinstance(orgs, list)
    by_name = {e["name"]: e for e in orgs}
    assert set(by_name) == {"Reuters", "North Korea"}
    assert set(by_name["Reuters"]["aliases"]) >= {"Reuters", "Lazarus Group"}
    every = run_json(capsys, "entities", *ix)
    assert isinstance(every, list) and "Japan" not in {e["name"] for e in every}
    facts = run_json(capsys, "facts", *ix)
    assert isinstance(facts, list) and [f["id"] for f in facts] == ["cyber:f1"]
    listed = run_json(capsys, "correct", "list", *ix)
    assert isinstance(listed, list) and [c["n"] for c in listed] == [1, 2, 3, 4]
    assert [c["op"] for c in listed] == ["merge", "hide", "type", "flag"]
    assert main(["correct", "undo", "2", *ix]) == 0
    assert "2: hide “Japan”" in capsys.readouterr().out
    every = run_json(capsys, "entities", *ix)
    assert isinstance(every, list) and "Japan" in {e["name"] for e in every}
    listed = run_json(capsys, "correct", "list", *ix)
    assert isinstance(listed, list) and [c["n"] for c in listed] == [1, 3, 4]
    # kept as readable JSON in the index folder
    data = json.loads((index_copy / "corrections.json").read_text(encoding="utf-8"))
    assert [c["op"] for c in data["corrections"]] == ["merge", "type", "flag"]


def test_cli_correct_errors_are_one_line(
    index_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ix = ("--index", str(index_copy))
    for args, says in (
        (("merge", "Japna", "Reuters"), "did you mean: Japan"),
        (("hide",), "takes 1 argument"),
        (("type", "Japan", "city"), "unknown type"),
        (("split", "Japan", "Nippon"), "not an alias"),
        (("flag", "cyber:f99"), "no fact"),
        (("undo", "7"), "no correction number 7"),
        (("undo", "two"), "number"),
    ):
        assert main(["correct", *args, *ix]) == 1
        err = capsys.readouterr().err
        assert says in err and err.count("\n") == 1, err
    assert not (index_copy / "corrections.json").exists()


async def test_the_correction_keys_type_in_the_search_box(make_app, index_copy: Path) -> None:
    app = make_app(index_copy)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.search_box.focus()
        screen.search_box.value = ""
        await pilot.press("m", "h", "T", "a", "exclamation_mark")
        assert screen.search_box.value == "mhTa!"
        assert not isinstance(app.screen, ConfirmScreen)
        # in the results pane they do nothing (the entity keys act in the entity pane only)
        screen = await settle(pilot)
        screen._focus_pane("results")
        await pilot.press("h", "m")
        await pilot.pause()
        assert app.screen is screen
    assert open_reader(index_copy).corrections().entries == ()


async def test_split_takes_an_alias_off_into_an_entity_of_its_own(
    make_app, index_copy: Path
) -> None:
    open_reader(index_copy).correct("merge", "Lazarus Group", "Reuters")
    app = make_app(index_copy)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        await select_entity(pilot, screen, "ORG", "Reuters")
        await pilot.press("a")
        await pick(pilot, "lazarus")
        screen = await settle(pilot)
        # its own row and count; filtering by it gives its passages, by Reuters the others
        assert rows(screen, "ORG") == {"Reuters": 1, "Lazarus Group": 1}
        screen.add_filter("Lazarus Group")
        screen = await settle(pilot)
        assert {h.passage_id for h in screen.results.hits} == {"theft#1"}
        screen.remove_filter("Lazarus Group")
        screen.add_filter("Reuters")
        screen = await settle(pilot)
        assert {h.passage_id for h in screen.results.hits} == {"cyber#3"}
    reader = open_reader(index_copy)
    assert [(c.op, c.value) for c in reader.corrections().entries][-1] == (
        "split",
        "Lazarus Group",
    )
    orgs = {e.name: e for e in reader.entities(type="ORG")}
    assert set(orgs) == {"Reuters", "Lazarus Group"}
    assert orgs["Reuters"].aliases == ("Reuters",)
    assert (orgs["Lazarus Group"].mentions, orgs["Lazarus Group"].articles) == (1, ("theft",))
