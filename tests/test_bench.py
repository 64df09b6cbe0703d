"""`newsdesk bench` on a tiny corpus written for the tests: the shape of its output, never timings.

The build with extraction (spaCy) and the keystroke measurement are skipped here; the app's first
frame runs once in a pseudo-terminal on the tiny index.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.index.search.query import QueryBuilder
from newsdesk.index.store.schema import passage_schema
from newsdesk.index.tools import bench as bm
from newsdesk.tui import bench

from .conftest import REPO

MINI = Path(__file__).parent / "fixtures" / "bench" / "mini.jsonl"

KEYS = {
    "build_s",
    "build_words_per_s",
    "build_passages_per_s",
    "build_noextract_passages_per_s",
    "noop_reindex_s",
    "query_p50_ms",
    "query_p95_ms",
    "fts5_p50_ms",
    "fts5_p95_ms",
    "rg_p50_ms",
    "app_first_frame_s",
    "app_keystroke_p95_ms",
    "peak_rss_build_mb",
    "peak_rss_app_mb",
    "machine",
}


def test_bench_json_has_every_key(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsdesk.tui.cli", "bench", str(MINI), "--articles", "5", "--json"]
        + ["--skip", "extract,app", "--workdir", str(tmp_path / "work")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert KEYS <= set(res)
    assert res["corpus"]["articles"] == 5
    assert res["corpus"]["passages"] >= 5
    assert res["queries"] >= 200
    for key in ("build_noextract_passages_per_s", "noop_reindex_s", "query_p50_ms"):
        assert isinstance(res[key], int | float)
    assert res["query_p50_ms"] <= res["query_p95_ms"]
    assert isinstance(res["fts5_p50_ms"], int | float)
    if bm.rg_path() is not None:
        assert isinstance(res["rg_p50_ms"], int | float)
    else:
        assert res["rg_p50_ms"] is None and any("ripgrep" in n for n in res["notes"])
    assert res["build_s"] is None and res["app_first_frame_s"] is None  # skipped
    assert set(res["machine"]) >= {"cores", "python", "whoosh", "spacy"}
    assert (tmp_path / "work" / "index-noextract").is_dir()  # --workdir keeps the builds


def test_bench_prints_a_table(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsdesk.tui.cli", "bench", str(MINI), "--articles", "3"]
        + ["--skip", "extract,noop,fts5,rg,app"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "query p95" in proc.stdout and "machine:" in proc.stdout
    assert not proc.stdout.lstrip().startswith("{")


def test_an_unknown_part_to_skip_is_an_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsdesk.tui.cli", "bench", str(MINI), "--skip", "nonsense"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and "nonsense" in proc.stderr and "Traceback" not in proc.stderr


def test_the_query_set_is_large_varied_and_parses() -> None:
    queries = bm.load_queries()
    assert len(queries) >= 200 and len(set(queries)) == len(queries)
    assert any(q.startswith('"') for q in queries)  # phrases
    assert any(q.startswith(("person:", "org:", "place:", "entity:")) for q in queries)
    assert any("date:[" in q for q in queries)
    assert sum(1 for q in queries if len(q.split()) in (2, 3) and ":" not in q) >= 20
    qb = QueryBuilder(passage_schema())
    for q in queries:
        qb.parse(q)  # raises QueryError on a bad line


def test_fts5_translation() -> None:
    assert bm.fts5_query("oil prices") == ('{text title} : "oil" AND {text title} : "prices"', None)
    assert bm.fts5_query('"interest rates"') == ('{text title} : "interest rates"', None)
    match, date = bm.fts5_query('place:"united states" tariffs')
    assert match == 'place : "united states" AND {text title} : "tariffs"' and date is None
    match, date = bm.fts5_query("date:[1987-03-01 TO 1987-03-15] oil")
    assert match == '{text title} : "oil"' and date == ("1987-03-01", "1987-03-15~")
    assert bm.fts5_query("date:1987-04 coffee")[1] == ("1987-04", "1987-04~")


def test_rg_patterns() -> None:
    assert bm.rg_patterns('org:"federal reserve" rates') == ["federal reserve", "rates"]
    assert bm.rg_patterns('date:[1987-03 TO 1987-04] "interest rates"') == ["interest rates"]


def test_percentile() -> None:
    assert bm.percentile([], 50) is None
    assert bm.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert bm.percentile([0.0, 10.0], 95) == pytest.approx(9.5)


def test_measured_child_reports_memory_and_time() -> None:
    run = bm.run_measured([sys.executable, "-c", "x = bytearray(60 * 2**20); print('ok')"])
    assert run.returncode == 0 and run.stdout.strip() == "ok"
    assert run.peak_rss_mb >= 60 and run.seconds > 0


def test_first_frame_in_a_pty(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    subprocess.run(
        [sys.executable, "-m", "newsdesk.tui.cli", "index", str(MINI), "--index", str(ix), "-q"]
        + ["--no-extract"],
        cwd=REPO,
        check=True,
        timeout=120,
    )
    seconds, rss, how = bench.first_frame_once(ix, bench._repo_env(), timeout=60)
    assert seconds is not None and seconds > 0, how
    assert rss is not None and rss > 0


def test_keystroke_sample_ends_in_plain_keys() -> None:
    sample = bench.keystroke_queries(bm.load_queries(), 30)
    assert len(sample) == 30 and all(q[-1].isalnum() for q in sample)


FORMATS = Path(__file__).parent / "fixtures" / "formats"
SKIP_ALL = "extract,noextract,noop,queries,fts5,rg,app"


def test_bench_formats_reports_the_readers_throughput(tmp_path: Path) -> None:
    """--formats DIR: MB/s and articles/s per format, in the JSON and in the table."""
    base = [sys.executable, "-m", "newsdesk.tui.cli", "bench", str(MINI), "--articles", "2"]
    base += ["--skip", SKIP_ALL, "--formats", str(FORMATS)]
    proc = subprocess.run([*base, "--json"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    readers = json.loads(proc.stdout)["readers"]
    assert set(readers) >= {"html", "feed", "warc", "pdf", "email", "mbox"}
    for fmt, row in readers.items():
        assert row["files"] >= 1 and row["bytes"] > 0, fmt
        assert set(row) >= {"articles", "seconds", "mb_s", "articles_s"}
        assert row["mb_s"] is None or row["mb_s"] >= 0
    assert readers["warc"]["articles"] >= 3 and readers["mbox"]["articles"] >= 2
    table = subprocess.run(base, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("readers (--formats)"))
    assert "MB/s" in lines[head] and "articles/s" in lines[head]
    assert {line.split()[0] for line in lines[head + 2 : head + 8]} >= {"html", "warc", "pdf"}


def test_bench_formats_missing_folder_is_an_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsdesk.tui.cli", "bench", str(MINI), "--skip", SKIP_ALL]
        + ["--formats", "/nonexistent/formats"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and "--formats" in proc.stderr and "Traceback" not in proc.stderr


def test_make_large_writes_a_warc_and_an_mbox_the_readers_stream(tmp_path: Path) -> None:
    """The memory test's generator, small: big non-page records with small pages among them."""
    from newsdesk.index.ingest.sources import read_file
    from newsdesk.index.model import Article
    from newsdesk.index.tools.bench_formats import make_large

    warc = make_large(tmp_path / "big.warc", 3, pages=20)
    assert warc["pages"] == 20 and warc["others"] >= 1 and warc["bytes"] >= 3_000_000
    got = [a for a in read_file(tmp_path / "big.warc") if isinstance(a, Article)]
    assert len(got) == 20 and all(a.url.startswith("https://") for a in got)
    box = make_large(tmp_path / "big.mbox", 3, pages=20)
    assert box["pages"] == 20 and box["bytes"] >= 3_000_000
    mails = [a for a in read_file(tmp_path / "big.mbox") if isinstance(a, Article)]
    assert len(mails) == box["pages"] + box["others"]  # the attachments' messages have text too
