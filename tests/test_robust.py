"""Never lose an article: builds and updates killed with SIGKILL at chosen points, the workers
and the lock after a kill, and two writers at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.index.engines import open_reader
from newsdesk.index.seam import SearchRequest
from newsdesk.index.store.folder import writer_lock
from newsdesk.index.store.writer import DIRTY, KILL_ENV

from .conftest import REPO

pytestmark = pytest.mark.store

WORDS = (
    "harbour council bridge rocket apple winter ledger market river school "
    "station garden museum factory island"
).split()


def make_corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            w1, w2 = WORDS[i % len(WORDS)], WORDS[(i * 7) % len(WORDS)]
            text = (
                f"Story {i} tells of the {w1} and the {w2} in town number {i}. " * 3
                + f"\n\nIt ends with item{i} and a note about the {w2} again, as always."
            )
            f.write(
                json.dumps(
                    {"id": f"s{i}", "date": "2020-01-02", "title": f"Story {i}", "text": text}
                )
                + "\n"
            )


def newsdesk(*args: str, **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk.tui.cli", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,  # type: ignore[call-overload]
    )


def counts(ix: Path) -> tuple[int, int, dict[str, int]]:
    engine = open_reader(ix)
    st = engine.stats()
    per_word = {w: engine.search(SearchRequest(w, limit=1, facets=False)).total for w in WORDS[:5]}
    return st.articles, st.passages, per_word


def killed(*args: str, at: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A `newsdesk` run that SIGKILLs itself right after the named commit (writer.KILL_ENV)."""
    return newsdesk(*args, env={**os.environ, **(env or {}), KILL_ENV: at})


def test_a_build_killed_with_sigkill_opens_and_a_rerun_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    make_corpus(corpus, 3000)
    clean = tmp_path / "clean"
    ok = newsdesk("index", str(corpus), "--index", str(clean), "--no-extract", "-q")
    assert ok.wait(timeout=300) == 0

    ix = tmp_path / "killed"
    # killed at a chosen point, not a race against a timer: after the second batch's articles
    proc = killed(
        "index", str(corpus), "--index", str(ix), "--no-extract", "-q", "--batch", "200",
        at="articles:2",
    )  # fmt: skip
    assert proc.wait(timeout=300) == -signal.SIGKILL

    engine = open_reader(ix)  # opens and answers at its last commit
    st = engine.stats()
    assert 200 <= st.articles < 3000
    assert engine.search(SearchRequest("harbour", limit=5, facets=False)).error is None

    again = newsdesk("index", str(corpus), "--index", str(ix), "--no-extract", "--json")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    summary = json.loads(out)
    assert summary["added"] + summary["unchanged"] == 3000
    assert counts(ix) == counts(clean)


# -- an update killed at each commit: readers and the rerun see exactly the last committed state --

RULES = {"NEWSDESK_NLP": "rules"}  # extraction with facts and places, no spaCy model needed
OLD = (
    "date 2023-03-01\ntitle: Harbour news\n\nThe harbour council met in Paris on Monday. "
    "Officials said the old bridge would be repaired by 2024, according to Reuters.\n\n"
    "The mayor of Lyon said the ferry timetable stays as it is."
)
NEW = (
    "date 2023-03-02\ntitle: Zeppelin news\n\nThe harbour council met in Berlin on Friday. "
    "Officials said a zeppelin field would be built by 2026, according to Reuters.\n\n"
    "The mayor of Madrid said the airship schedule will change next spring."
)


def state(ix: Path) -> str:
    """What readers see: search hits (not their scores), entities and facts, as the command
    line prints them."""
    out = []
    for cmd in (
        ["search", "harbour", "--json"],
        ["search", "zeppelin", "--json"],
        ["search", "ferry OR airship OR museum", "--json"],
        ["entities", "--json"],
        ["facts", "--json"],
    ):
        proc = newsdesk(*cmd, "--index", str(ix))
        stdout, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        rows = json.loads(stdout)
        for row in rows:  # BM25 statistics count deleted documents until a merge
            row.pop("score", None)
        out.append(rows)
    return json.dumps(out, sort_keys=True)


@pytest.mark.parametrize("at", ["passages", "facts", "articles", "entities"])
def test_an_update_killed_after_any_commit_is_undone_exactly(tmp_path: Path, at: str) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "news.txt").write_text(OLD, encoding="utf-8")
    (folder / "other.txt").write_text(
        "date 2023-01-01\n\nThe museum in Rome opened a wing for sculpture.", encoding="utf-8"
    )
    ix, reference = tmp_path / "ix", tmp_path / "reference"
    for target in (ix, reference):
        proc = newsdesk(
            "index", str(folder), "--index", str(target), "-q", env={**os.environ, **RULES}
        )
        assert proc.wait(timeout=120) == 0
    before = state(reference)
    assert "zeppelin" not in before.lower() and "Paris" in before

    (folder / "news.txt").write_text(NEW, encoding="utf-8")
    proc = killed("index", str(folder), "--index", str(ix), "-q", at=at, env=RULES)
    assert proc.wait(timeout=120) == -signal.SIGKILL
    after_kill = state(ix)
    if at in ("passages", "facts"):
        # the article record is still the old one: nothing of the update is shown
        assert "zeppelin" not in after_kill.lower() and "Berlin" not in after_kill
    else:  # the update was committed (the entity counts are mended by the next writer)
        assert "zeppelin" in after_kill.lower()

    # the old file back: the rerun finds the index as it was, or puts it back as it was
    (folder / "news.txt").write_text(OLD, encoding="utf-8")
    proc = newsdesk("index", str(folder), "--index", str(ix), "--json", env={**os.environ, **RULES})
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    summary = json.loads(out)
    if at in ("passages", "facts"):
        assert summary["unchanged"] == 2 and summary["updated"] == 0
    else:
        assert summary["updated"] == 1
    assert state(ix) == before
    assert not (ix / DIRTY).exists()


# -- the workers and the lock ------------------------------------------------------------------


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds the marker (a killed build's leftovers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in env:
            found.append(int(entry.name))
    return found


# A build whose workers are busy (asleep) on every batch of "slow" articles: a kill lands while
# they work, whatever the machine's speed.
SLOW_WORKERS = """
import sys, time
from newsdesk.index.extract import analyze
real = analyze.analyze_batch
def slow(items, mode=None):
    if any(a.id.startswith("slow") for a, _ in items):
        time.sleep(600)
    return real(items, mode)
analyze.analyze_batch = slow
from newsdesk.tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_a_killed_build_leaves_no_workers_and_no_lock(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for i in range(200):
            aid = f"quick{i}" if i < 100 else f"slow{i}"
            text = f"The council of Paris met about item {i} and the harbour again."
            f.write(json.dumps({"id": aid, "date": "2020-01-03", "text": text}) + "\n")
    ix = tmp_path / "ix"
    marker = f"{os.getpid()}-{time.monotonic_ns()}"
    env = {**os.environ, **RULES, KILL_ENV: "passages", "NEWSDESK_TEST_MARKER": marker}
    # extraction in 2 worker processes (rules mode: no model needed); killed right after the
    # first batch's passages commit, while the workers are busy with the second batch
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WORKERS, "index", str(corpus), "--index", str(ix),
         "--workers", "2", "--batch", "100", "-q"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert proc.wait(timeout=300) == -signal.SIGKILL
    # at once: a new build is not refused (no worker holds the lock), and completes
    again = newsdesk(
        "index", str(corpus), "--index", str(ix), "--wait", "0", "--json",
        env={**os.environ, **RULES},
    )  # fmt: skip
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    assert json.loads(out)["added"] + json.loads(out)["unchanged"] == 200
    # and the workers died with their parent (no BrokenPipeError tracebacks from them)
    deadline = time.monotonic() + 60
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(marker) == []
    _, killed_err = proc.communicate(timeout=60)
    assert b"Traceback" not in killed_err and b"BrokenPipe" not in killed_err


def test_a_second_writer_waits_then_says_the_index_is_busy(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("A story about the harbour and its many boats at dawn.")
    ix = tmp_path / "ix"
    with writer_lock(ix):
        proc = newsdesk("index", str(folder), "--index", str(ix), "--no-extract", "--wait", "1")
        out, err = proc.communicate(timeout=60)
    text = err.decode()
    assert proc.returncode != 0 and out == b""
    assert "waiting" in text and "being written by another process" in text
    assert "Traceback" not in text
    # and nothing was damaged: the next writer goes through
    proc = newsdesk("index", str(folder), "--index", str(ix), "--no-extract", "-q")
    assert proc.wait(timeout=60) == 0
    assert open_reader(ix).stats().articles == 1


def test_a_folder_of_bad_inputs_keeps_every_good_article(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    good = {
        "header.txt": "date 2023-01-05\ntitle: Pier\n\nThe harbour council met to discuss the pier.\n",
        "plain.txt": "The lighthouse keepers gathered at the quay before the storm.\n",
        "notes.md": "# Market day\n\nThe fishmongers sold mackerel at the market square.\n",
        "crlf.txt": "\ufeffThe ferry timetable changed for the winter season.\r\nMore text.\r\n",
    }
    for name, text in good.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "recs.jsonl").write_text(
        '{"id": "museum", "text": "The museum opened a wing for sculpture.", "date": "2023-02-30"}\n'
        "{not json\n"
        '{"id": "notext"}\n'
        '{"text": "a record without an id"}\n'
        '{"id": "orchard", "text": "The orchard harvest was the best in years."}\n',
        encoding="utf-8",
    )
    (folder / "latin1.txt").write_bytes("The caf\xe9 by the canal reopened.".encode("latin-1"))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (folder / "empty.txt").write_text("")
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    proc = newsdesk("index", str(folder), "--index", str(tmp_path / "ix"), "--no-extract")
    out, err = proc.communicate(timeout=120)
    warnings = err.decode()
    assert proc.returncode == 0, warnings
    engine = open_reader(tmp_path / "ix")
    for word in ("pier", "lighthouse", "mackerel", "ferry", "sculpture", "orchard", "canal"):
        assert engine.search(SearchRequest(word, facets=False)).total == 1, word
    for bad in (
        "recs.jsonl:1",
        "recs.jsonl:2",
        "recs.jsonl:3",
        "recs.jsonl:4",
        "latin1.txt",
        "binary.txt",
        "empty.txt",
        "dangling.txt",
    ):
        assert bad in warnings, bad
    assert "Traceback" not in warnings
