"""The app driven by keys through Textual's Pilot, on the small test index (tests/conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.tui.screens.main import MainScreen
from newsdesk.tui.widgets.facts import FactList
from newsdesk.tui.widgets.passage import PassageView
from newsdesk.tui.widgets.results import ResultsList

from .conftest import HOSTILE_TITLE, write_article
from .conftest import settle as settle_app

pytestmark = pytest.mark.asyncio

WIDE = (130, 40)
NARROW = (80, 24)


async def settle(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await settle_app(pilot)
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


async def type_query(pilot, text: str) -> MainScreen:  # type: ignore[no-untyped-def]
    """Put a query in the box (as a paste would) and wait for its results."""
    screen = await settle(pilot)
    screen.search_box.focus()
    screen.search_box.value = text
    return await settle(pilot)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.export_screenshot()


# -- opening ----------------------------------------------------------------------------------------


async def test_opens_with_counts_corpus_results_and_focus_in_the_box(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        assert "5 articles" in screen.topbar.counts
        assert "2 facts" in screen.topbar.counts
        assert screen.result is not None and screen.result.total == 139  # every passage
        assert screen.focused is screen.search_box
        assert screen.entity_pane.facets["PLACE"]  # corpus-wide counts
        for _ in range(100):  # the first hit is shown once the cursor has rested on it
            if screen.passage.article is not None:
                break
            await pilot.pause(0.05)
        assert screen.passage.article is not None


async def test_a_missing_index_is_a_message_not_a_crash(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path / "nowhere")
    async with app.run_test(size=NARROW) as pilot:
        screen = await settle(pilot)
        assert screen.failed
        assert "no index" in screen.topbar.counts
        await pilot.press("c", "u", "b", "e")
        await pilot.pause()
        assert app.is_running


async def test_the_app_never_imports_spacy_or_extraction(app_index: Path, tmp_path: Path) -> None:
    code = f"""
import asyncio, sys
from pathlib import Path
from newsdesk.tui.app import NewsdeskApp
async def main():
    app = NewsdeskApp(Path({str(app_index)!r}), history_file=Path({str(tmp_path / "h")!r}),
                      watch_seconds=None)
    async with app.run_test() as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.engine is not None:
                break
        await app.workers.wait_for_complete()
        await pilot.press("c", "y", "b")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
asyncio.run(main())
bad = [m for m in sys.modules if m.split(".")[0] == "spacy" or m in
       ("newsdesk.index.extract.analyze", "newsdesk.index.extract.nlp", "newsdesk.index.extract.entities", "newsdesk.index.extract.facts", "newsdesk.index.build")]
print("BAD", bad)
sys.exit(1 if bad else 0)
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=Path.cwd()
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- searching --------------------------------------------------------------------------------------


async def test_typing_searches_and_marks_hits(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press(*list("cyber"))
        screen = await settle(pilot)
        assert screen.result is not None and screen.result.query == "cyber"
        results = screen.query_one(ResultsList)
        assert results.total == len(results.hits) == 4  # title-only hits gone (issue 14)
        assert "4 hits" in screen.topbar.hits
        first = results.options[0].prompt
        assert "«cyber»" in first.plain.lower()
        assert screen.passage.hits  # the query's hits in the shown article


async def test_stale_results_are_dropped(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "ledger")
        ledger = screen.result
        screen = await type_query(pilot, "cyber")
        assert ledger is not None
        screen._show_result(ledger.request, ledger)  # a late answer to an old query
        await pilot.pause()
        assert screen.query_one(ResultsList).total == 4
        assert screen.result is not None and screen.result.query == "cyber"


async def test_a_late_passage_load_is_dropped_even_for_the_same_passage(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "cyber group")
        view = screen.passage
        hits = list(view.hits)
        assert hits and screen.doc is not None and screen.selected is not None
        # an earlier load of this very passage (another query: no highlights) answers late
        old = screen._load_seq - 1
        screen._show_passage(old, screen.selected, screen.doc, [], None, None)
        await pilot.pause()
        assert list(view.hits) == hits


async def test_busy_indicator_while_searching(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.search_box.value = "cyber"
        screen._start_search()
        assert screen.topbar.busy
        assert "searching" in screen.topbar.render().plain
        await settle(pilot)
        assert not screen.topbar.busy


async def test_syntax_error_is_shown_inline(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await type_query(pilot, "cyber")
        screen = await type_query(pilot, "date:[")
        assert app.is_running
        assert "✗" in str(screen.message.render())
        assert screen.query_one(ResultsList).total == 4  # the last good results stay


async def test_did_you_mean_by_key_and_by_click(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await type_query(pilot, "cybr")
        assert screen.result is not None and screen.result.total == 0
        assert screen.message.suggestion == "cyber"
        await pilot.press("ctrl+s")
        screen = await settle(pilot)
        assert screen.search_box.value == "cyber"
        assert screen.query_one(ResultsList).total == 4
        screen = await type_query(pilot, "ledgr")
        assert screen.message.suggestion == "ledger"
        await pilot.click("#message")
        screen = await settle(pilot)
        assert screen.search_box.value == "ledger"


async def test_thousands_of_hits_load_a_page_at_a_time(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "ledger")
        results = screen.query_one(ResultsList)
        assert results.total == 130 and len(results.hits) == 20  # a screenful first
        results.focus()
        await pilot.press("G")  # to the end: the next page comes
        await settle(pilot)
        assert len(results.hits) == 70
        for _ in range(3):
            await pilot.press("G")
            await settle(pilot)
        assert len(results.hits) == 130
        assert len({h.passage_id for h in results.hits}) == 130
        assert results.border_subtitle and "130 of 130" in results.border_subtitle


async def test_history_up_down_and_persisted(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await type_query(pilot, "cyber")
        await pilot.press("enter")
        screen = await type_query(pilot, "ledger")
        await pilot.press("enter")
        await pilot.press("slash")
        await pilot.pause()
        box = screen.search_box
        box.value = "dra"
        await pilot.press("up")
        assert box.value == "ledger"
        await pilot.press("up")
        assert box.value == "cyber"
        await pilot.press("down")
        assert box.value == "ledger"
        await pilot.press("down")
        assert box.value == "dra"
    saved = (tmp_path / "history.jsonl").read_text(encoding="utf-8").split()
    assert saved == ['"cyber"', '"ledger"']


# -- panes and keys ---------------------------------------------------------------------------------


async def test_tab_moves_through_panes_and_slash_comes_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(type(screen.focused).__name__)
        # the screen's order (issue 14): the box is left out of the cycle, / goes there
        assert seen == ["ResultsList", "PassageView", "FactList", "EntityList", "ResultsList"]
        await pilot.press("shift+tab")
        await pilot.pause()
        assert type(screen.focused).__name__ == "EntityList"
        await pilot.press("slash")
        await pilot.pause()
        assert screen.focused is screen.search_box


async def test_narrow_terminal_shows_one_pane_and_resizes_live(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await settle(pilot)
        assert screen.has_class("-narrow")

        def shown() -> list[str]:
            return [
                p
                for p in ("entities", "results", "passage", "facts")
                if screen.query_one(f"#{p}").display and screen.query_one(f"#{p}").region.width
            ]  # noqa: E501

        await pilot.pause()
        assert shown() == ["results"]
        await pilot.press("shift+tab")  # entities, before the results in the tab order
        await pilot.pause()
        assert shown() == ["entities"]
        await pilot.press("tab", "tab")  # results, passage
        await pilot.pause()
        assert shown() == ["passage"]
        await pilot.resize_terminal(*WIDE)
        await pilot.pause(0.1)
        assert screen.has_class("-wide")
        assert shown() == ["entities", "results", "passage", "facts"]
        await pilot.resize_terminal(*NARROW)
        await pilot.pause(0.1)
        assert len(shown()) == 1


async def test_j_k_g_and_enter_open_the_passage(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "cyber")
        results = screen.query_one(ResultsList)
        results.focus()
        await pilot.press("j")
        await settle(pilot)
        assert results.highlighted == 1
        assert screen.passage.selected == results.hits[1].passage_id
        await pilot.press("k")
        assert results.highlighted == 0
        await pilot.press("G")
        assert results.highlighted == len(results.hits) - 1
        await pilot.press("g")
        assert results.highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(screen.focused, PassageView)


async def test_n_and_N_move_through_hits_in_the_passage(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "cyber group")
        view = screen.passage
        assert len(view.hits) >= 2
        screen.query_one(ResultsList).focus()
        await pilot.press("n")
        assert view.current is not None
        first = view.current
        assert "hit" in str(view.border_subtitle)
        await pilot.press("n")
        assert view.current == (first + 1) % len(view.hits)
        await pilot.press("N")
        assert view.current == first
        await pilot.press("N")
        assert view.current == (first - 1) % len(view.hits)


async def test_entity_tabs_filter_chip_and_removal(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        pane = screen.entity_pane
        start = pane.type
        await pilot.press("tab")  # the entity list
        await pilot.press("right_square_bracket")
        assert pane.type != start
        await pilot.press("left_square_bracket")
        assert pane.type == start
        pane.set_type("PLACE")
        await pilot.pause()
        names = [r.name for r in pane.facets["PLACE"]]
        assert "Japan" in names
        pane.list.highlighted = names.index("Japan")
        await pilot.press("e")
        screen = await settle(pilot)
        assert screen.filters == ["Japan"]
        assert screen.query_one("#filters").query(".chip")
        total = screen.query_one(ResultsList).total
        assert 0 < total < 139
        await pilot.press("backspace")
        screen = await settle(pilot)
        assert screen.filters == []
        assert screen.query_one(ResultsList).total == 139
        # enter on an entity filters too, and esc removes the filter
        pane.list.focus()
        pane.list.highlighted = 0
        await pilot.press("enter")
        screen = await settle(pilot)
        assert len(screen.filters) == 1
        await pilot.press("escape")
        screen = await settle(pilot)
        assert screen.filters == []


async def test_backspace_in_an_empty_box_and_chip_click_remove_filters(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.add_filter("Japan")
        screen.add_filter("North Korea")
        screen = await settle(pilot)
        assert len(screen.query(".chip")) == 2
        screen.search_box.focus()
        await pilot.press("backspace")
        screen = await settle(pilot)
        assert screen.filters == ["Japan"]
        await pilot.click(".chip")
        screen = await settle(pilot)
        assert screen.filters == []


async def test_facts_of_an_entity_and_evidence(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        pane = screen.entity_pane
        pane.set_type("PERSON")
        pane.list.focus()
        await pilot.pause()
        assert pane.current is not None and pane.current.name == "Anne Neuberger"
        await pilot.press("f")
        screen = await settle(pilot)
        facts = screen.fact_pane
        assert len(facts.facts) == 2
        assert isinstance(screen.focused, FactList)
        assert "Anne Neuberger" in str(facts.query_one("#fact-detail").render())
        await pilot.press("j")
        fact = facts.current
        assert fact is not None
        await pilot.press("v")
        screen = await settle(pilot)
        view = screen.passage
        assert view.evidence == fact.evidence
        assert view.selected == fact.evidence.passage_id
        assert isinstance(screen.focused, PassageView)
        assert "⟦" in "".join(c.plain for c, _ in view._contents)


async def test_f_in_the_results_shows_the_passage_facts(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await type_query(pilot, "Neuberger counterparts")
        await pilot.press("enter")  # to the results
        await pilot.press("f")
        screen = await settle(pilot)
        assert screen.view == "facts"
        assert [f.id for f in screen.fact_pane.facts] == ["cyber:f1"]
        await pilot.press("enter")  # a fact: its evidence in the passage
        screen = await settle(pilot)
        assert screen.view == "passage"
        assert screen.passage.evidence is not None


async def test_copy_citation(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "counterparts")
        await pilot.press("enter")
        await pilot.press("c")
        text = app.clipboard
        for part in ("Allies form a cyber group", "Example Wire", "2023-11-06", "[cyber#2]"):
            assert part in text
        screen.fact_pane.list.focus()
        await pilot.pause()
        await pilot.press("c")
        assert app.clipboard.startswith("“Anne Neuberger said something”")


async def test_help_screen_opens_and_closes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        body = str(app.screen.query_one("#help-text").render())
        for key in ("next_hit", "copy", "ctrl+q", "Query syntax"):
            assert key in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_keys_remapped_from_the_config_file(make_app, tmp_path: Path) -> None:
    config = tmp_path / "keys.toml"
    config.write_text('[keys]\ncopy = "y"\nhelp = "h"\nbogus = "z"\n', encoding="utf-8")
    app = make_app(config_path=config)
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "counterparts")
        await pilot.press("enter")
        await pilot.press("c")
        assert not app.clipboard
        await pilot.press("y")
        assert "[cyber#2]" in app.clipboard
        await pilot.press("h")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert "  y" in str(app.screen.query_one("#help-text").render())
        await pilot.press("escape")
        assert any("bogus" in n.message for n in app._notifications)
        assert screen.has_class("-wide")


async def test_toggle_panes_and_palette_command(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.query_one(ResultsList).focus()
        await pilot.press("F")
        await pilot.pause()
        assert not screen.query_one("#facts").region.width
        await pilot.press("E")
        await pilot.pause()
        assert not screen.query_one("#entities").region.width
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*list("Toggle the fact pane"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert screen.query_one("#facts").region.width


async def test_export_from_the_app(make_app, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "cyber")
        await pilot.press("enter", "x")
        await pilot.pause(0.2)
        await pilot.press(*list("results as CSV"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "PromptScreen"
        await pilot.press("enter")  # the default path in the current folder
        await settle(pilot)
        out = tmp_path / "newsdesk-results.csv"
        assert out.exists()
        assert len(out.read_text(encoding="utf-8").splitlines()) == 5  # header, 4 hits
        assert screen.search_box.value == "cyber"


async def test_refresh_by_key_and_when_idle(
    app_index: Path, tmp_path: Path, make_app, fake_nlp
) -> None:
    ix = tmp_path / "ix"
    shutil.copytree(app_index, ix)
    app = make_app(ix, watch_seconds=0.2)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        assert "5 articles" in screen.topbar.counts
        await pilot.press("tab")  # reading the results
        from newsdesk.index.build import build

        write_article(
            tmp_path / "more", "extra.txt", "A brand new zeppelin story about Japan.", "2024-01-01"
        )
        build(ix, [tmp_path / "more"], extract=True, workers=1)
        for _ in range(100):
            await pilot.pause(0.05)
            if "6 articles" in screen.topbar.counts:
                break
        assert "6 articles" in screen.topbar.counts  # picked up while idle
        assert screen.query_one(ResultsList).total == 139  # not moved under the reader
        assert "reloads" in str(screen.message.render())
        await pilot.press("r")
        await settle(pilot)
        assert screen.query_one(ResultsList).total == 140


async def test_new_articles_show_by_themselves_when_nobody_reads_the_results(
    app_index: Path, tmp_path: Path, make_app, fake_nlp
) -> None:
    ix = tmp_path / "ix"
    shutil.copytree(app_index, ix)
    app = make_app(ix, watch_seconds=0.2)
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "zeppelin")
        assert screen.query_one(ResultsList).total == 0
        from newsdesk.index.build import build

        write_article(
            tmp_path / "more", "extra.txt", "A brand new zeppelin story about Japan.", "2024-01-01"
        )
        build(ix, [tmp_path / "more"], extract=True, workers=1)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.query_one(ResultsList).total == 1:
                break
        assert screen.query_one(ResultsList).total == 1  # the search box had focus: re-run
        assert screen.search_box.value == "zeppelin"


async def test_ctrl_q_quits_from_anywhere_with_status_0(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


# -- safety -----------------------------------------------------------------------------------------


async def test_markup_and_escapes_in_articles_are_shown_literally(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "injected")
        results = screen.query_one(ResultsList)
        assert results.hits and results.hits[0].article_id == "hostile"
        view = screen.passage
        assert view.article is not None and view.article.title == HOSTILE_TITLE
        shown = "\n".join(c.plain for c, _ in view._contents)
        assert "[link=file:///etc/passwd]passwd[/link]" in shown
        assert "[@click=app.quit]quit[/]" in shown
        assert "␛[31mred" in shown and "\x1b" not in shown and "\x07" not in shown
        assert "[bold red]Loud[/] ␛[2J title" in results.options[0].prompt.plain
        svg = app.export_screenshot()
        assert "\x1b" not in svg
        # clicking on the text does nothing harmful: no quit, no link
        await pilot.click("#passage", offset=(10, 3))
        await pilot.click("#results", offset=(20, 1))
        await pilot.pause()
        assert app.is_running
        await pilot.press("c")
        assert "\x1b" not in app.clipboard and "␛" in app.clipboard


# -- terminals --------------------------------------------------------------------------------------


async def test_no_color_keeps_cursor_and_focus_visible(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "cyber")
        assert app.no_color
        results = screen.query_one(ResultsList)
        results.focus()
        await pilot.pause()
        style = results.get_component_styles("option-list--option-highlighted")
        assert "reverse" in str(style.text_style)  # the cursor row without colour
        assert results.styles.border_top[0] == "heavy"  # the focused pane without colour
        assert screen.query_one("#passage").styles.border_top[0] == "round"
        svg = app.export_screenshot()
        assert "«" in svg and "»" in svg  # hits marked by glyphs too


async def test_theme_from_the_config_file(make_app, tmp_path: Path) -> None:
    config = tmp_path / "ui.toml"
    config.write_text('[ui]\ntheme = "textual-light"\n', encoding="utf-8")
    app = make_app(config_path=config)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        assert {"ansi-dark", "ansi-light"} <= set(app.available_themes)  # 16-colour terminals


async def test_opening_a_hit_on_a_narrow_terminal_scrolls_to_its_passage(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await type_query(pilot, "title:ledger")
        await pilot.press("enter")  # to the results
        for _ in range(40):
            await pilot.press("j")
        await settle(pilot)
        hit = screen.results.current
        assert hit is not None and hit.ordinal > 20
        await pilot.press("enter")  # open: the passage pane replaces the results
        await settle(pilot)
        view = screen.passage
        assert view.selected == hit.passage_id
        block = next(i for i, b in enumerate(view._blocks) if b.passage_id == hit.passage_id)
        line = view._first_line[block]
        top, height = view.scroll_offset.y, view.scrollable_content_region.height
        assert top <= line < top + height
