"""The analyst's day (issue 14): visible modes, one scope, compact results, the facts table and
saved searches, driven through Textual's Pilot on the small test index (tests/conftest.py)."""

from __future__ import annotations

import pytest

from newsdesk.tui.screens.main import MainScreen
from newsdesk.tui.widgets.entities import EntityList
from newsdesk.tui.widgets.results import ResultsList

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
    screen = await settle(pilot)
    screen.search_box.focus()
    screen.search_box.value = text
    return await settle(pilot)


def mode(screen: MainScreen) -> str:
    return str(screen.query_one("#search-label").render())


# -- 1. modes a person can see ----------------------------------------------------------------------


async def test_the_mode_shows_search_then_navigate(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        assert screen.focused is screen.search_box  # insert mode at start, and it says so
        assert "SEARCH" in mode(screen) and screen.has_class("-searching")
        await pilot.press("tab")
        await pilot.pause()
        assert screen.focused is screen.results
        assert "NAVIGATE" in mode(screen) and not screen.has_class("-searching")


async def test_slash_selects_the_query_and_keys_right_after_it_replace_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "airbus")
        screen.results.focus()
        await pilot.pause()
        await pilot.press("slash", "c", "y", "b", "e", "r")  # at once, no pause between
        assert screen.search_box.value == "cyber"
        screen = await settle(pilot)
        assert screen.results.total > 0 and screen.result is not None
        # in the box, "/" selects again (it never types a slash); the arrows edit instead
        await pilot.press("slash", "end", "s")
        assert screen.search_box.value == "cybers"
        await pilot.press("slash", "l", "e", "d", "g", "e", "r")
        assert screen.search_box.value == "ledger"


async def test_keys_after_a_tab_go_to_the_new_pane_not_the_box(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "ledger")
        await pilot.press("tab", "G")  # G right after the focus change: the results' last hit
        assert screen.search_box.value == "ledger"
        assert screen.focused is screen.results
        assert screen.results.highlighted == 19  # the last of the first page (more then load)


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_tab_order_follows_the_layout(make_app, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            seen.append(screen._pane_of(screen.focused))
        assert seen == ["results", "passage", "facts", "entities", "results"]
        assert isinstance(screen.focused, ResultsList)
        await pilot.press("shift+tab")
        assert isinstance(screen.focused, EntityList)
        assert screen.search_box.value == ""  # the box is never in the cycle


# -- 3. ranking: a title lifts, it does not make hits -----------------------------------------------


async def test_a_title_match_lifts_passages_with_the_word_and_adds_none_without(tmp_path) -> None:
    from newsdesk.index import build as index_build
    from newsdesk.index.engines import open_reader
    from newsdesk.index.seam import SearchRequest

    from .conftest import write_article

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "\n\n".join(
        [
            "The boeing jet landed safely after a long delay over the northern sea route.",
            "Rain fell on the city all week and the river rose above its banks again here.",
            "Engineers said the boeing fleet would return to service within the month too.",
        ]
    )
    write_article(corpus, "jet.txt", body, date="2023-01-02", title="Boeing jet lands")
    other = "A boeing order was placed by the airline for twelve new aircraft this spring."
    write_article(corpus, "order.txt", other, date="2023-01-03", title="Airline orders")
    index_build.build(tmp_path / "ix", [corpus], extract=False, workers=1)
    reader = open_reader(tmp_path / "ix")
    res = reader.search(SearchRequest("boeing", limit=10))
    ids = [h.passage_id for h in res.hits]
    assert res.total == 3 and "jet#2" not in ids  # the rain passage has no "boeing"
    assert set(ids[:2]) == {"jet#1", "jet#3"}  # lifted by the title above the other article
    counts = {r.name: r.count for rows in res.facets.values() for r in rows}
    assert all(c <= 3 for c in counts.values())  # facets over the same three hits
    phrase = reader.search(SearchRequest('"jet lands"', limit=10))
    assert phrase.total == 0  # a phrase of the title alone is no passage's text
    explicit = reader.search(SearchRequest("title:boeing", limit=10))
    assert explicit.total == 3  # title: still searches titles on purpose
    reader.close()


# -- 4. compact results, sorted, grouped -------------------------------------------------------------


async def test_compact_results_show_fifteen_hits_at_120x36(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await type_query(pilot, "ledger OR cyber")  # two-line titles before
        await pilot.press("tab", "z")
        await settle(pilot)
        results = screen.results
        assert results.one_line and "compact" in str(results.border_subtitle)
        assert all("\n" not in o.prompt.plain for o in results.options)  # one line a hit
        assert results.scrollable_content_region.height >= 15
        assert all(
            len(o.prompt.plain) <= results.scrollable_content_region.width for o in results.options
        )
        assert len(results.hits) >= 15  # one line each: 15 and more on screen
        await pilot.press("z")
        assert not results.one_line


async def test_sort_by_date_then_group_by_article(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "ledger OR cyber OR flood")
        results = screen.results
        assert results.more  # more hits than the first page
        await pilot.press("tab", "s")
        screen = await settle(pilot)
        assert results.order == "date" and "newest first" in str(results.border_subtitle)
        assert len(results.hits) == results.total  # every hit loaded to sort them
        dates = [h.date or "" for h in results.hits]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("s")
        await settle(pilot)
        assert results.order == "article"
        seen: list[str] = []
        for h in results.hits:  # each article's hits together
            if not seen or seen[-1] != h.article_id:
                assert h.article_id not in seen
                seen.append(h.article_id)
        for i in range(1, len(results.hits)):  # an article's next passage: ↳, not its title
            follows = results.hits[i - 1].article_id == results.hits[i].article_id
            assert ("↳" in results.options[i].prompt.plain) == follows
        await pilot.press("s")
        assert results.order == "relevance"
        assert [h.passage_id for h in results.hits] == [h.passage_id for h in results.ranked]


# -- 2. one scope everywhere ------------------------------------------------------------------------


async def wait_for(pilot, condition, rounds: int = 400) -> None:  # type: ignore[no-untyped-def]
    """Wait for a condition (no deadline race: many short pauses, the app's own pace)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the condition never held")


async def wait_prompt(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for a prompt on screen with its box focused (keys then go to it)."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: (
            type(app.screen).__name__ == "PromptScreen"
            and type(app.screen.focused).__name__ == "InertInput"
        ),
    )


async def test_the_fact_pane_export_says_and_writes_what_the_pane_shows(
    make_app, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "countered")
        await wait_for(pilot, lambda: bool(screen.fact_pane.facts))
        shown = list(screen.fact_pane.facts)
        scope, facts = screen.export_scope("facts")
        assert facts == shown and scope.startswith(f"{len(shown)} fact")
        screen.ask_export("facts", "csv")
        await wait_prompt(pilot)
        assert f"{len(shown)} fact" in str(app.screen.query_one("#prompt-question").render())
        await pilot.press("enter")
        await settle(pilot)
        out = tmp_path / "newsdesk-facts.csv"
        await wait_for(pilot, out.exists)
        assert len(out.read_text(encoding="utf-8").splitlines()) == len(shown) + 1
        scope, _ = screen.export_scope("results")
        assert scope.startswith(f"{screen.results.total} hit")


async def test_entity_facts_keep_the_query_restriction(make_app) -> None:
    from newsdesk.tui.scope import fact_clauses

    assert fact_clauses('cyber who:"Anne Neuberger" kind:QUOTE x') == (
        'who:"Anne Neuberger" kind:QUOTE'
    )
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "neuberger kind:claim")
        screen._entity_facts("Anne Neuberger")
        await settle(pilot)
        assert screen.fact_pane.facts == [] and "kind:claim" in screen.fact_pane.scope
        screen = await type_query(pilot, "neuberger kind:quote")
        screen._entity_facts("Anne Neuberger")
        await settle(pilot)
        assert screen.fact_pane.facts and all(f.kind == "QUOTE" for f in screen.fact_pane.facts)


async def test_entity_counts_say_what_they_count(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        assert "passages" in str(screen.entity_pane.border_subtitle)


# -- 5. the facts table -----------------------------------------------------------------------------


async def test_the_facts_table_lists_sorts_filters_and_jumps_to_evidence(make_app) -> None:
    from newsdesk.tui.screens.facts_table import FactsTableScreen

    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await type_query(pilot, "neuberger OR cyber OR theft")
        await pilot.press("tab", "t")
        await wait_for(pilot, lambda: isinstance(app.screen, FactsTableScreen))
        table = app.screen
        assert isinstance(table, FactsTableScreen)
        hit_passages = {h.passage_id for h in screen.results.ranked}
        assert table.shown and all(f.evidence.passage_id in hit_passages for f in table.shown)
        n = len(table.shown)
        assert screen.facts_table_facts() == table.shown  # what its export would write
        await pilot.press("s")  # by speaker
        assert table.sort == "speaker"
        await pilot.press("s")
        assert table.sort == "kind"
        await pilot.press("K")  # the row's kind
        assert table.filter.startswith("kind:") and len(table.shown) == n
        await pilot.press("slash", *"who:nobody")
        assert table.shown == [] and "0 facts" in table.label()
        await pilot.press("enter", "escape")  # back to the table, then the filter goes
        assert table.filter == "" and len(table.shown) == n
        fact = table.current
        assert fact is not None
        await pilot.press("enter")  # to its evidence
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(pilot)
        assert screen.selected == fact.evidence.passage_id
        assert screen.view == "passage"


# -- 6. saved searches ------------------------------------------------------------------------------


async def test_save_a_search_and_see_what_is_new_on_start(make_app, tmp_path) -> None:
    import json

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await type_query(pilot, "ledger")
        total = screen.results.total
        screen.ask_save()
        await wait_prompt(pilot)
        await pilot.press("end", "s", "enter")  # the name: the default query, plus an s
        await settle(pilot)
    path = tmp_path / "saved.jsonl"  # next to the history file
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["name"] for r in rows] == ["ledgers"]
    seen = next(iter(rows[0]["seen"].values()))
    assert len(seen) == total
    # as if 5 of those hits were indexed since: they are new on the next start
    rows[0]["seen"] = {k: v[5:] for k, v in rows[0]["seen"].items()}
    path.write_text(json.dumps(rows[0]) + "\n{bad line\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        await wait_for(pilot, lambda: screen.new_counts.get("ledgers") == 5)
        names = [c[0] for c in screen.saved_commands()]
        assert "Saved: ledgers (5 new)" in names
        saved = app.saved.get("ledgers")
        assert saved is not None
        screen.open_saved(saved)
        await settle(pilot)
        assert screen.search_box.value == "ledger" and screen.results.total == total
        assert "ledgers" not in screen.new_counts
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(next(iter(rows[0]["seen"].values()))) == total  # seen again


async def test_saved_search_new_hits_from_the_command_line(app_index, tmp_path, capsys) -> None:
    import json

    from newsdesk.index.engines import open_reader
    from newsdesk.index.seam import SearchRequest
    from newsdesk.tui.cli import main
    from newsdesk.tui.saved import SavedSearches, all_hits, index_key, saved_path

    reader = open_reader(app_index)
    request = SearchRequest("ledger")
    hits, total = all_hits(reader, request)
    reader.close()
    store = SavedSearches(saved_path())
    store.add("ledgers", request, index_key(app_index), [h.passage_id for h in hits[3:]])
    args = ["search", "--index", str(app_index), "--saved", "LEDGERS", "--new", "--json"]
    assert main(args) == 0
    new = json.loads(capsys.readouterr().out)
    assert [h["passage_id"] for h in new] == [h.passage_id for h in hits[:3]]
    assert main(args) == 0  # now seen
    assert json.loads(capsys.readouterr().out) == []
    assert main(["search", "--index", str(app_index), "--saved", "nope"]) != 0
    assert "ledgers" in capsys.readouterr().err
    assert main(["entities", "--index", str(app_index), "--type", "people", "--json"]) == 0
    people = json.loads(capsys.readouterr().out)
    assert people and all(e["type"] == "PERSON" for e in people)


# -- 7. query errors a person can act on ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("date:[2023 TO", "a range is not closed: add ] at character 6"),
        ("(north korea", "a parenthesis is not closed: add ) at character 1"),
        ('person:"Anne', 'a quote is not closed: add " at character 8'),
        ("foo:bar", "unknown field “foo:” at character 1"),
        ("boeing)", "a closing parenthesis with none open at character 7"),
    ],
)
async def test_query_errors_name_the_problem_and_where(app_index, query: str, says: str) -> None:
    from newsdesk.index.engines import open_reader
    from newsdesk.index.seam import SearchRequest

    reader = open_reader(app_index)
    res = reader.search(SearchRequest(query))
    reader.close()
    assert res.error is not None and says in res.error
    if query.startswith("foo"):
        assert "person:" in res.error and "date:" in res.error  # the fields there are


# -- 8. the command line's help and type names ------------------------------------------------------


@pytest.mark.parametrize("command", ["index", "search", "entities", "facts", "export", "serve"])
async def test_every_subcommand_help_has_a_description_and_examples(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsdesk.tui.cli import main

    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and f"newsdesk {command}" in out.split("examples:")[1]
    assert out.split("\n\n")[1].strip()  # a description under the usage


# -- 9. layout points -------------------------------------------------------------------------------


async def test_the_loading_frame_at_80_columns_is_one_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = pilot.app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        assert screen.has_class("-narrow")  # from the first frame, not after a resize
        await settle(pilot)


async def test_help_hides_toasts_and_covers_the_panes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        app.notify("a toast")
        await pilot.press("tab", "question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert list(app._notifications)  # kept for later, but not drawn over the help
        assert app.screen.query_one("ToastRack").styles.visibility == "hidden"
        body = app.screen.query_one("#help-body")
        assert not body.show_horizontal_scrollbar


async def test_a_paraphrase_is_cited_without_quote_marks() -> None:
    from newsdesk.index.model import Evidence, Fact
    from newsdesk.tui.citation import fact_citation

    def fact(kind: str) -> Fact:
        ev = Evidence("a#1", 0, 10, "text")
        return Fact(
            "a:f1",
            kind,
            "Officials said talks stalled",
            ("Officials",),
            "say",
            "",
            False,
            None,
            None,
            (),
            (),
            "a",
            ev,
        )

    assert "“" not in fact_citation(fact("REPORT"), None)
    assert "“Officials said talks stalled”" in fact_citation(fact("QUOTE"), None)


async def test_indexing_progress_counts_articles_written_not_bytes_read(tmp_path) -> None:
    from newsdesk.index import build as index_build

    from .conftest import write_article

    corpus = tmp_path / "corpus"
    for i in range(7):
        write_article(corpus, f"a{i}.txt", f"Article {i} says something about boats. " * 20)
    calls: list[tuple[int, int, int]] = []
    index_build.build(
        tmp_path / "ix",
        [corpus],
        extract=False,
        workers=1,
        commit_every=2,
        progress=lambda d, t, n: calls.append((d, t, n)),
    )
    assert calls and calls[-1][0] == calls[-1][1] and calls[-1][2] == 7
    written = [n for _, _, n in calls]
    assert written == sorted(written) and written[0] < 7  # it moves as batches are written
    done = [d for d, _, _ in calls]
    assert done == sorted(done)
    # before an article is written it is not counted: a report never runs ahead of the writes
    per_article = calls[-1][1] / 7
    assert all(d <= (n + 1) * per_article * 1.5 for d, _, n in calls)


async def test_a_burst_of_keys_after_slash_or_tab_reaches_the_new_focus(make_app) -> None:
    """As a terminal delivers a fast typist's or a paste's keys: all queued before the first
    is handled (Pilot's press waits between keys, so the events are posted here)."""
    from textual import events

    def burst(app, keys: str) -> None:  # type: ignore[no-untyped-def]
        for k in keys:
            name = {"/": "slash", "\t": "tab"}.get(k, k)
            app.post_message(events.Key(name, None if k == "\t" else k))

    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await type_query(pilot, "cyber")
        screen.results.focus()
        await pilot.pause()
        burst(app, "/ledger")
        await settle(pilot)
        assert screen.search_box.value == "ledger"
        burst(app, "\tG")
        await settle(pilot)
        assert screen.focused is screen.results and screen.search_box.value == "ledger"
        assert screen.results.highlighted == len(screen.results.hits) - 1 or screen.results.more
