"""Searching in a child process (index.searchproc) and the app's use of it."""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path

import pytest

from newsdesk.index.build import build
from newsdesk.index.engines import open_reader
from newsdesk.index.seam import SearchRequest
from newsdesk.index.search.proc import SearchProcess, SearchProcessDown

from .conftest import settle, write_article

pytestmark = pytest.mark.store


def _ready(proc: SearchProcess, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not proc.ready():
        assert time.monotonic() < end, "the search process did not come up"
        time.sleep(0.02)


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "The harbour strike closed the port.\n\nDockers voted again.")
    write_article(corpus, "b.txt", "A strike by pilots grounded flights at the airport.")
    build(tmp_path / "ix", [corpus], extract=False)
    return tmp_path / "ix"


def test_answers_as_the_engine_does(small_index: Path) -> None:
    engine = open_reader(small_index)
    proc = SearchProcess(small_index)
    try:
        _ready(proc)
        for q in ("strike", '"harbour strike"', "strike port", "nothingmatches"):
            mine = engine.search(SearchRequest(q, limit=20))
            theirs = proc.search(engine.generation, SearchRequest(q, limit=20))
            assert theirs.total == mine.total
            assert [h.passage_id for h in theirs.hits] == [h.passage_id for h in mine.hits]
            assert [h.highlights for h in theirs.hits] == [h.highlights for h in mine.hits]
            assert theirs.suggestion == mine.suggestion
        # a query error comes back as a result, like in-process
        bad = proc.search(0, SearchRequest("date:[", limit=5))
        assert bad.error and bad.error == engine.search(SearchRequest("date:[", limit=5)).error
    finally:
        proc.close()


def test_sees_new_commits_when_the_generation_moves(small_index: Path, tmp_path: Path) -> None:
    engine = open_reader(small_index)
    proc = SearchProcess(small_index)
    try:
        _ready(proc)
        assert proc.search(engine.generation, SearchRequest("strike")).total == 2
        more = tmp_path / "more"
        write_article(more, "c.txt", "Teachers went on strike on Monday.")
        build(small_index, [more], extract=False)
        assert engine.refresh()
        assert proc.search(engine.generation, SearchRequest("strike")).total == 3
    finally:
        proc.close()


def test_a_dead_process_says_so_and_close_stops_it(small_index: Path) -> None:
    proc = SearchProcess(small_index)
    _ready(proc)
    proc._proc.kill()
    proc._proc.wait(timeout=5)
    with pytest.raises(SearchProcessDown):
        proc.search(0, SearchRequest("strike"))
    assert not proc.ready()
    proc.close()  # does not raise on a dead child

    other = SearchProcess(small_index)
    _ready(other)
    other.close()
    assert other._proc.poll() is not None  # the child has exited


def test_a_missing_index_never_becomes_ready(tmp_path: Path) -> None:
    proc = SearchProcess(tmp_path / "nothing-here")
    try:
        end = time.monotonic() + 30
        while proc._state == "starting" and time.monotonic() < end:
            proc.ready()
            time.sleep(0.02)
        assert not proc.ready()
        with pytest.raises(SearchProcessDown):
            proc.search(0, SearchRequest("x"))
    finally:
        proc.close()


async def test_the_app_searches_in_the_child_and_falls_back(make_app) -> None:
    app = make_app(search_process=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.main
        proc = app._search_proc
        assert proc is not None
        for _ in range(1500):
            if proc.ready():
                break
            await asyncio.sleep(0.02)
        assert proc.ready()
        calls = []
        real = proc.search

        def spy(generation, request):  # type: ignore[no-untyped-def]
            calls.append(request.text)
            return real(generation, request)

        proc.search = spy  # type: ignore[method-assign]
        await pilot.press(*list("cyber"))
        await settle(pilot)
        assert "cyber" in calls
        # title-only hits are gone (issue 14)
        assert screen.result is not None and screen.result.total == 4
        # the child dies: searching goes on in-process
        proc._proc.kill()
        proc._proc.wait(timeout=5)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press(*list("ledger"))
        await settle(pilot)
        assert screen.result is not None and screen.result.query == "ledger"
        assert screen.result.total > 0
    assert app._search_proc is None  # stopped with the app


async def test_gc_is_tuned_while_running_and_restored_after(make_app) -> None:
    before = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] > before[2]  # no automatic full collections
        assert gc.get_freeze_count() > 0
        app._collect_when_idle()  # does not raise, idle
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
