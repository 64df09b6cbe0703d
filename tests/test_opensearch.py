"""The OpenSearch engine on a real two-node cluster (tests/opensearch_cluster.py): the command
line end to end, JSON shapes as Whoosh's, facets, incremental re-indexing, two ``--part``
writers at once, a node killed while indexing, the atomic rebuild, and agreement with Whoosh on
the Wikinews corpus. The seam's contract suite runs on this engine too (tests/test_contract.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.index.build import build, in_part
from newsdesk.index.engines import open_reader, open_writer, remove_index
from newsdesk.index.seam import Reader, SearchRequest
from newsdesk.tui.cli import main

from .conftest import corpora_or_skip
from .fake_extraction import NAMES
from .opensearch_cluster import Cluster, location
from .test_contract import write_corpus, write_news

pytestmark = pytest.mark.opensearch

REPO = Path(__file__).resolve().parents[1]
FAKE_CLI = REPO / "tests" / "opensearch" / "fake_cli.py"


@pytest.fixture
def where(opensearch_url: str) -> Iterator[str]:
    """A location of its own on the session's cluster (its indices dropped afterwards)."""
    loc = location(opensearch_url)
    yield loc
    with contextlib.suppress(Exception):
        remove_index(loc)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_fake(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(FAKE_CLI), *argv],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    if check:
        assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def generated_corpus(folder: Path, n: int) -> Path:
    """n articles, each naming some of the fake extractor's entities in its passages."""
    names = list(NAMES)
    for i in range(n):
        paragraphs = [
            f"Report {i}: {names[i % len(names)]} met officials about the harbour project and "
            f"the budget for the coming year, number {i}.",
            f"Later {names[(i * 3 + 1) % len(names)]} said the talks on trade and shipping "
            f"would continue next month in the capital.",
        ]
        if i % 4 == 0:
            paragraphs.append(
                f"Analysts said {names[(i + 2) % len(names)]} and {names[(i + 4) % len(names)]} "
                "disagreed about the timetable for the harbour works."
            )
        write_news(
            folder,
            f"art{i:04d}",
            f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
            f"Harbour talks {i}",
            "Test Wire",
            "CC0",
            paragraphs,
        )
    return folder


def entity_table(reader: Reader) -> dict[str, tuple[str, str, int, tuple[str, ...]]]:
    return {e.id: (e.name, e.type, e.mentions, e.articles) for e in reader.entities()}


def contents(reader: Reader) -> tuple[Any, ...]:
    st = reader.stats()
    return (st.articles, st.passages, st.entities, st.facts)


# -- the command line -------------------------------------------------------------------------------


def test_the_command_line_gives_whoosh_shapes(
    where: str, tmp_path: Path, fake_nlp: None, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    folder = str(tmp_path / "ix")
    for loc in (["--engine", where], ["--index", folder]):
        code, _, err = cli(capsys, "index", str(corpus), "--workers", "1", "-q", *loc)
        assert code == 0, err
    for argv in (
        ["search", "japan OR banks", "--json"],
        ["search", '"joint statement"', "--json"],
        ["search", "rockets", "--entity", "Japan", "--json"],
        ["entities", "--json"],
        ["entities", "--article", "cyber", "--json"],
        ["facts", "--json"],
        ["facts", "delegations", "--json"],
    ):
        code, on_cluster, err = cli(capsys, *argv, "--engine", where)
        assert code == 0, (argv, err)
        code, in_folder, err = cli(capsys, *argv, "--index", folder)
        assert code == 0, (argv, err)
        got, want = json.loads(on_cluster), json.loads(in_folder)
        for row in (*got, *want):
            row.pop("score", None)  # BM25 on both, computed differently
        if argv[0] == "search":  # the same hits; ties may come in another order
            key = lambda r: r["passage_id"]  # noqa: E731
            got, want = sorted(got, key=key), sorted(want, key=key)
        assert got == want, argv


def test_the_engine_comes_from_the_environment_too(
    where: str,
    tmp_path: Path,
    fake_nlp: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = write_corpus(tmp_path / "corpus", only=["launch"])
    monkeypatch.setenv("NEWSDESK_ENGINE", where)
    code, _, err = cli(capsys, "index", str(corpus), "--workers", "1", "-q")
    assert code == 0, err
    code, out, err = cli(capsys, "search", "rocket", "--json")
    assert code == 0, err
    assert [h["passage_id"] for h in json.loads(out)] == ["launch#2"]
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "newsdesk" / "index").exists()


def test_credentials_never_come_from_the_url(
    opensearch_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = opensearch_url.replace("http://", "http://admin:s3cret-pw@")
    code, out, err = cli(capsys, "search", "x", "--engine", url)
    assert code != 0 and out == ""
    assert "s3cret-pw" not in err and "NEWSDESK_OPENSEARCH_USER" in err


def test_a_missing_index_says_how_to_build_it(
    where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "search", "x", "--engine", where)
    assert code == 1 and out == ""
    assert "newsdesk index PATH --engine" in err and err.count("\n") == 1


def test_an_unreachable_cluster_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from .opensearch_cluster import _free_port

    url = f"http://127.0.0.1:{_free_port()}?prefix=nobody"
    monkeypatch.setenv("NEWSDESK_OPENSEARCH_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("NEWSDESK_OPENSEARCH_USER", "admin")
    monkeypatch.setenv("NEWSDESK_OPENSEARCH_RETRY_S", "0.5")  # give up quickly
    code, out, err = cli(capsys, "entities", "--engine", url)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "cannot reach OpenSearch" in err and "hunter2" not in err


# -- search, facets, incremental ----------------------------------------------------------------------


def test_facets_and_incremental_reindex(where: str, tmp_path: Path, fake_nlp: None) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    first = build(where, [corpus], workers=1, commit_every=2)
    assert (first.added, first.unchanged) == (5, 0)
    reader = open_reader(where)
    try:
        res = reader.search(SearchRequest("japan OR korea OR banks", limit=1))
        facets = {r.id: r.count for rows in res.facets.values() for r in rows}
        assert facets["place:japan"] == 3 and facets["place:north-korea"] == 2
        assert res.total > 1 and len(res.hits) == 1
        again = build(where, [corpus], workers=1)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
        assert reader.refresh() is False
        write_news(
            corpus,
            "launch",
            "2024-02-17",
            "Satellite launch delayed",
            "Space Notes",
            "CC BY-SA 4.0",
            (
                "Japan watched the satellite launch from a ship near the "
                "coast, officials in Japan said on Monday.",
            ),
        )
        changed = build(where, [corpus], workers=1)
        assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 4)
        assert reader.refresh() is True
        japan = reader.resolve_entity("japan")
        assert japan is not None and japan.mentions == 5
        assert set(japan.articles) == {"cyber", "summit", "harvest", "launch"}
        assert [h.passage_id for h in reader.search(SearchRequest("payloads")).hits] == []
    finally:
        reader.close()


# -- scale-out: parts, a node lost, a rebuild -------------------------------------------------------


def test_two_part_writers_at_once_fill_one_index(where: str, tmp_path: Path) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 60)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(FAKE_CLI),
                "index",
                str(corpus),
                "--engine",
                where,
                "--part",
                f"{k}/2",
                "--batch",
                "5",
                "--workers",
                "1",
                "--json",
                "-q",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        for k in (1, 2)
    ]
    summaries = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
        summaries.append(json.loads(out))
    ids = [f"art{i:04d}" for i in range(60)]
    shares = [sum(in_part(i, (k, 2)) for i in ids) for k in (1, 2)]
    assert [s["added"] for s in summaries] == shares and sum(shares) == 60
    assert all(0 < s < 60 for s in shares)
    # the same corpus in Whoosh by one writer: the same articles and entity counts
    folder = tmp_path / "ix"
    run_fake("index", str(corpus), "--index", str(folder), "--workers", "1", "-q")
    on_cluster, in_folder = open_reader(where), open_reader(folder)
    try:
        assert contents(on_cluster) == contents(in_folder)
        assert entity_table(on_cluster) == entity_table(in_folder)
    finally:
        on_cluster.close()
        in_folder.close()
    # each part is safe to rerun: nothing to write
    again = json.loads(
        run_fake(
            "index",
            str(corpus),
            "--engine",
            where,
            "--part",
            "2/2",
            "--workers",
            "1",
            "--json",
            "-q",
        ).stdout
    )
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, shares[1])


def test_a_node_killed_while_indexing_loses_nothing(
    opensearch_cluster: Any, where: str, tmp_path: Path
) -> None:
    if not isinstance(opensearch_cluster, Cluster):
        pytest.skip("an external cluster: its nodes are not ours to stop")
    corpus = generated_corpus(tmp_path / "corpus", 200)
    argv = [
        sys.executable,
        str(FAKE_CLI),
        "index",
        str(corpus),
        "--engine",
        where,
        "--batch",
        "5",
        "--workers",
        "1",
        "--json",
        "-q",
    ]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL
    )
    try:
        # some batches are in: then the second node goes, as a machine lost
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if _articles(where) >= 20:
                break
            time.sleep(0.2)
        running = proc.poll() is None
        at_kill = _articles(where)
        opensearch_cluster.kill("n2")
        out, err = proc.communicate(timeout=600)
        print(
            f"killed n2 with {at_kill} articles in; the run was going: {running}; "
            f"it ended with {proc.returncode}: {err.strip()[-300:]}"
        )
        assert running and at_kill < 200  # the node went in the middle of the run
        # the run may finish on the surviving node or stop with a clear error; a rerun completes
        rerun = run_fake("index", str(corpus), "--engine", where, "--workers", "1", "--json", "-q")
        summary = json.loads(rerun.stdout)
        assert summary["added"] + summary["updated"] + summary["unchanged"] == 200
        folder = tmp_path / "ix"
        run_fake("index", str(corpus), "--index", str(folder), "--workers", "1", "-q")
        on_cluster, in_folder = open_reader(where), open_reader(folder)
        try:
            assert contents(on_cluster) == contents(in_folder)
            assert entity_table(on_cluster) == entity_table(in_folder)
        finally:
            on_cluster.close()
            in_folder.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        opensearch_cluster.restart("n2")


def _articles(where: str) -> int:
    from newsdesk.index.opensearch.cluster import Cluster as Loc

    c = Loc(where, retry_for_s=0)
    try:
        if not c.exists():
            return 0
        c.es.indices.refresh(index=c.aliases["articles"])
        return int(c.es.count(index=c.aliases["articles"])["count"])
    except Exception:
        return 0


def test_a_rebuild_swaps_in_at_once(where: str, tmp_path: Path, fake_nlp: None) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    build(where, [corpus], workers=1)
    reader = open_reader(where)
    try:
        from newsdesk.index.build import Builder

        (corpus / "markets.txt").unlink()
        writer = open_writer(where, rebuild=True)
        with Builder(writer, workers=1) as b:
            run = b.run
            seen: list[tuple[int, bool]] = []
            orig_finish = writer.finish

            def finish(nlp: str) -> None:
                # everything written, not yet swapped: readers still see the old index
                seen.append((open_reader(where).stats().articles, reader.refresh()))
                orig_finish(nlp)

            writer.finish = finish  # type: ignore[method-assign]
            summary = run([corpus])
        assert summary.added == 4 and seen == [(5, False)]
        assert reader.refresh() is True
        assert reader.stats().articles == 4 and reader.article("markets") is None
        c = writer.cluster  # type: ignore[attr-defined]
        indices = c.es.indices.get(index=f"{c.prefix}-passages-*")
        assert len(indices) == 1  # the old generation is gone
    finally:
        reader.close()


# -- agreement with Whoosh ------------------------------------------------------------------------

# A fixed query set for the Wikinews corpus: general news words, pairs, phrases, boolean logic,
# prefixes and dates (written before looking at either engine's results).
AGREEMENT_QUERIES = (
    "president",
    "election",
    "police",
    "government",
    "minister",
    "earthquake",
    "storm",
    "economy",
    "market",
    "court",
    "football",
    "climate",
    "police arrested",
    "prime minister",
    "world cup",
    "oil prices",
    "stock market",
    "united nations",
    '"prime minister"',
    '"united states"',
    "government OR parliament",
    "police NOT court",
    "elect*",
    "econom*",
    "title:election",
    "date:[2007 TO 2008] election",
)
# Prefixes match the same passages but are not ranked alike: OpenSearch scores a prefix as a
# constant, and so does Whoosh, except that a prefix that expands to one word of a field is
# scored as that word (BM25). Their top 10 are not compared.
UNRANKED = {"elect*", "econom*"}


def test_results_agree_with_whoosh_on_wikinews(where: str, tmp_path: Path) -> None:
    corpus = corpora_or_skip("wikinews") / "txt"
    folder = tmp_path / "ix"
    build(folder, [corpus], extract=False)
    build(where, [corpus], extract=False)
    whoosh, cluster_ = open_reader(folder), open_reader(where)
    try:
        problems = []
        for q in AGREEMENT_QUERIES:
            # with facets: Whoosh's total without them is an estimate in a top-N search
            a = whoosh.search(SearchRequest(q, limit=10))
            b = cluster_.search(SearchRequest(q, limit=10))
            assert a.error is None and b.error is None, (q, a.error, b.error)
            top_a = {h.passage_id for h in a.hits}
            top_b = {h.passage_id for h in b.hits}
            overlap = len(top_a & top_b) / max(1, len(top_a))
            if a.total != b.total or (overlap < 0.8 and q not in UNRANKED):
                problems.append((q, a.total, b.total, overlap))
        assert problems == []
    finally:
        whoosh.close()
        cluster_.close()


# -- the app ---------------------------------------------------------------------------------------


async def test_the_app_on_a_cluster(where: str, tmp_path: Path, fake_nlp: None) -> None:
    from newsdesk.tui.app import NewsdeskApp
    from newsdesk.tui.screens.main import MainScreen
    from newsdesk.tui.widgets.results import ResultsList

    from .conftest import settle

    build(where, [write_corpus(tmp_path / "corpus")], workers=1)
    app = NewsdeskApp(
        where,  # type: ignore[arg-type]
        history_file=tmp_path / "history.jsonl",
        watch_seconds=None,
        config_path=tmp_path / "config.toml",
    )
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        assert "5 articles" in screen.topbar.counts and "2 facts" in screen.topbar.counts
        assert screen.entity_pane.facets["PLACE"]
        screen.search_box.focus()
        screen.search_box.value = "rockets"
        await settle(pilot)
        results = screen.query_one(ResultsList)
        assert [h.passage_id for h in results.hits] == ["launch#2"]
        assert "«rocket»" in results.options[0].prompt.plain.lower()


def test_newsdesk_in_tmux_on_a_cluster(where: str, tmp_path: Path, fake_nlp: None) -> None:
    """The real command in a real terminal (tmux, 80x24), on the cluster: search, quit."""
    import shlex
    import shutil

    from .test_tmux import newsdesk_command

    tmux_bin = shutil.which("tmux")
    if tmux_bin is None:
        pytest.skip("tmux is not installed")
    build(where, [write_corpus(tmp_path / "corpus")], workers=1)
    sock = str(tmp_path / "tmux.sock")
    env = {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "NEWSDESK_CONFIG": str(tmp_path / "none.toml"),
        "NEWSDESK_ENGINE": where,
        "LANG": "C.UTF-8",
    }
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    app = " ".join(shlex.quote(p) for p in newsdesk_command())
    script = f"cd {shlex.quote(os.getcwd())} && env {assignments} {app}; echo EXIT=$?; sleep 60"

    def tmux(*args: str) -> str:
        return subprocess.run(
            [tmux_bin, "-S", sock, *args], capture_output=True, text=True, timeout=20, check=False
        ).stdout

    def wait_for(text: str, seconds: float = 90.0) -> str:
        deadline = time.monotonic() + seconds
        shown = ""
        while time.monotonic() < deadline:
            shown = tmux("capture-pane", "-p", "-t", "nd")
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {text!r}; the screen was:\n{shown}")

    subprocess.run(
        [tmux_bin, "-S", sock, "-f", os.devnull, "new-session", "-d", "-x", "80", "-y", "24"]
        + ["-s", "nd", "sh", "-c", script],
        check=True,
        timeout=20,
    )
    try:
        wait_for("5 articles")
        tmux("send-keys", "-t", "nd", "-l", "rockets")
        found = wait_for("1 hit")
        assert "«rocket»" in found
        tmux("send-keys", "-t", "nd", "C-q")
        wait_for("EXIT=0", 30)
    finally:
        tmux("kill-server")
