"""``newsdesk bench CORPUS [--articles N] [--json] [--skip PARTS] [--workdir DIR] [--index DIR]
[--formats DIR]``.

One run measures the build (with and without extraction), a no-op re-index, query latency over
the committed query set (``index/data/bench_queries.txt``) against newsdesk, SQLite FTS5 and
ripgrep, the app's first frame (a real process in a pseudo-terminal) and its keystroke-to-results
latency (driven by Textual's Pilot), and peak memory; then prints a table, or one JSON object.

The engine-side measuring lives in ``index.benchmark``; the app-side measuring lives here.
Parts can be skipped with ``--skip`` (comma-separated): ``extract`` (the build with extraction),
``noextract``, ``noop``, ``queries``, ``fts5``, ``rg``, ``app`` (``first_frame`` and
``keystroke``), ``first_frame``, ``keystroke``. Builds go to ``--workdir`` (kept) or a temporary
folder (removed). ``--index DIR`` measures the queries and the app on an index already built
instead of the one this run builds. ``--formats DIR`` also reads (does not index) every file
under DIR and reports the readers' throughput per format (MB/s, articles/s:
``index/tools/bench_formats.py``), as ``readers`` in the JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import select
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from newsdesk.index.errors import NewsdeskError
from newsdesk.index.tools import bench as bm
from newsdesk.index.tools import bench_formats

PARTS = ("extract", "noextract", "noop", "queries", "fts5", "rg", "first_frame", "keystroke")
READY_ENV = "NEWSDESK_BENCH_READY"  # if the app writes this file once ready for typing, it counts
KEYSTROKE_SAMPLES = 40
FIRST_FRAME_RUNS = 3

# The order (and the labels) of the table.
ROWS: tuple[tuple[str, str, str], ...] = (
    ("build_s", "full build with extraction", "s"),
    ("build_words_per_s", "  words per second", "/s"),
    ("build_passages_per_s", "  passages per second", "/s"),
    ("build_noextract_passages_per_s", "build without extraction", "passages/s"),
    ("noop_reindex_s", "no-op re-index", "s"),
    ("query_p50_ms", "query p50 (score, top 20, highlights, facets)", "ms"),
    ("query_p95_ms", "query p95", "ms"),
    ("fts5_p50_ms", "SQLite FTS5 p50 (bm25, top 20, snippet)", "ms"),
    ("fts5_p95_ms", "SQLite FTS5 p95", "ms"),
    ("rg_p50_ms", "ripgrep p50 (one run over the article files)", "ms"),
    ("app_first_frame_s", "app: process start to first frame", "s"),
    ("app_keystroke_p95_ms", "app: keystroke to results painted, p95", "ms"),
    ("peak_rss_build_mb", "peak RSS, build (largest process)", "MB"),
    ("peak_rss_app_mb", "peak RSS, app + search process", "MB"),
)


def _say(msg: str) -> None:
    sys.stderr.write(f"bench: {msg}\n")
    sys.stderr.flush()


def parse_skip(text: str) -> set[str]:
    skip = {s.strip().lower() for s in (text or "").split(",") if s.strip()}
    if "app" in skip:
        skip |= {"first_frame", "keystroke"}
        skip.discard("app")
    unknown = skip - set(PARTS)
    if unknown:
        raise NewsdeskError(
            f"--skip: unknown part(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join((*PARTS, 'app'))}"
        )
    return skip


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk.tui.cli", *args]


def _repo_env() -> dict[str, str]:
    """The environment for child processes (the installed newsdesk, no readiness marker)."""
    env = dict(os.environ)
    env.pop(READY_ENV, None)
    return env


def _round(x: float | None, nd: int = 1) -> float | None:
    return None if x is None else round(x, nd)


# -- builds ----------------------------------------------------------------------------------------


def measure_build(
    corpus: Path, index_dir: Path | str, extract: bool, env: dict[str, str]
) -> tuple[bm.Measured, dict[str, Any]]:
    """``newsdesk index CORPUS --index DIR --json`` in a child process, timed end to end."""
    args = ["index", str(corpus), "--index", str(index_dir), "--json", "-q"]
    if not extract:
        args.append("--no-extract")
    run = bm.run_measured(_cli(*args), env=env, cwd=Path(__file__).resolve().parents[1])
    if run.returncode != 0:
        tail = " ".join(run.stderr.strip().splitlines()[-2:])
        raise NewsdeskError(f"the build failed (exit {run.returncode}): {tail}")
    try:
        summary = json.loads(run.stdout)
    except ValueError as exc:
        raise NewsdeskError(f"the build printed no JSON summary: {exc}") from exc
    return run, summary


# -- the app: first frame in a pseudo-terminal -----------------------------------------------------

_ESC = re.compile(
    rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>]"
)
_ALT_SCREEN = b"\x1b[?1049h"
READY_TEXT = (b"search", b"newsdesk")  # the search box and the top bar, once drawn


def _pty_size(fd: int, rows: int, cols: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def first_frame_once(
    index_dir: Path | str,
    env: dict[str, str],
    timeout: float = 30.0,
    type_after: Sequence[str] = (),
    settle_s: float = 2.5,
    size: tuple[int, int] = (40, 120),
) -> tuple[float | None, float | None, str]:
    """Start ``newsdesk open --index DIR`` in a pseudo-terminal; seconds from the fork to the
    first screen ready for typing, the app's peak RSS after typing two queries (summed with its
    search process), and how the frame was recognised.

    Ready means: the file named by $NEWSDESK_BENCH_READY exists (when the app supports that
    hook), else the alternate screen is on and the top bar and the search box have been drawn.
    """
    import pty

    marker = Path(tempfile.mkdtemp(prefix="newsdesk-bench-")) / "ready"
    child_env = dict(env)
    child_env[READY_ENV] = str(marker)
    child_env.setdefault("TERM", "xterm-256color")
    child_env.pop("NO_COLOR", None)
    cmd = _cli("open", "--index", str(index_dir))
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        try:
            os.chdir(Path(__file__).resolve().parents[1])
            os.execve(cmd[0], cmd, child_env)
        finally:
            os._exit(127)
    ready_at: float | None = None
    how = ""
    buf = b""
    try:
        _pty_size(fd, *size)
        deadline = started + timeout
        while ready_at is None and time.perf_counter() < deadline:
            r, _, _ = select.select([fd], [], [], 0.002)
            if r:
                try:
                    data = os.read(fd, 1 << 16)
                except OSError:
                    break
                if not data:
                    break
                buf += data
            if marker.exists():
                ready_at, how = time.perf_counter(), "ready marker"
                break
            alt = buf.find(_ALT_SCREEN)
            if alt >= 0:
                plain = _ESC.sub(b"", buf[alt:]).lower()
                if all(t in plain for t in READY_TEXT):
                    ready_at, how = time.perf_counter(), "first frame drawn"
        peak_kb = bm.tree_peak_rss_kb(pid) if ready_at is not None else 0
        if ready_at is not None:
            for text in type_after:  # type, let the search (and its facets) run, read the memory
                os.write(fd, text.encode())
                until = time.perf_counter() + settle_s
                while time.perf_counter() < until:
                    r, _, _ = select.select([fd], [], [], 0.05)
                    if r:
                        try:
                            os.read(fd, 1 << 16)
                        except OSError:
                            break
                peak_kb = max(peak_kb, bm.tree_peak_rss_kb(pid))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        ru = None
        end = time.perf_counter() + 5
        while time.perf_counter() < end:
            # keep the pty drained so the child is never blocked writing while it exits
            r, _, _ = select.select([fd], [], [], 0.02)
            if r:
                with contextlib.suppress(OSError):
                    os.read(fd, 1 << 16)
            done, _, ru = os.wait4(pid, os.WNOHANG)
            if done:
                break
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _, _, ru = os.wait4(pid, 0)
        os.close(fd)
        shutil.rmtree(marker.parent, ignore_errors=True)
    if ready_at is None:
        tail = _ESC.sub(b"", buf[-400:]).decode("utf-8", "replace").strip()
        return None, None, f"no first frame within {timeout:.0f}s: {tail[-200:]}"
    rss_mb = max(peak_kb / 1024, bm._maxrss_mb(ru) if ru is not None else 0.0)
    return ready_at - started, round(rss_mb, 1), how


def measure_first_frame(
    index_dir: Path | str, env: dict[str, str], runs: int = FIRST_FRAME_RUNS
) -> dict[str, Any]:
    times: list[float] = []
    rss: list[float] = []
    notes: list[str] = []
    for i in range(runs):
        # only the last run types queries (to read the app's peak memory after searching)
        typing = ("oil", "\x7f\x7f\x7fwheat exports") if i == runs - 1 else ()
        seconds, peak, how = first_frame_once(index_dir, env, type_after=typing)
        if seconds is None:
            notes.append(how)
            break
        times.append(seconds)
        if peak is not None:
            rss.append(peak)
        notes.append(how)
    return {
        "app_first_frame_s": _round(bm.percentile(times, 50), 3),
        "app_first_frame_runs_s": [round(t, 3) for t in times],
        "peak_rss_app_mb": max(rss) if rss else None,
        "note": "; ".join(dict.fromkeys(notes)),
    }


# -- the app: keystroke to results, driven by Pilot ------------------------------------------------


def keystroke_queries(queries: Sequence[str], n: int = KEYSTROKE_SAMPLES) -> list[str]:
    """An even sample of the set whose last character is a letter or digit (a plain key)."""
    usable = [q for q in queries if q[-1:].isalnum() and len(q) > 1]
    if len(usable) <= n:
        return usable
    step = len(usable) / n
    return [usable[int(i * step)] for i in range(n)]


def _painted_since(frames: list[float], at: float) -> bool:
    return bool(frames) and frames[-1] >= at


async def _keystrokes(index_dir: Path | str, queries: Sequence[str], timeout: float) -> list[float]:
    from newsdesk.tui.app import NewsdeskApp

    history = Path(tempfile.mkdtemp(prefix="newsdesk-bench-")) / "history"
    # as `newsdesk` runs it: searches go to the search process once it is up
    app = NewsdeskApp(index_dir, history_file=history, watch_seconds=None, search_process=True)
    frames: list[float] = []
    shown: list[float] = []
    ms: list[float] = []

    async def until(cond: Callable[[], bool], what: str) -> None:
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise TimeoutError(f"timed out waiting for {what}")
            await asyncio.sleep(0.001)

    try:
        async with app.run_test(size=(120, 40)) as pilot:
            display = app._display

            def spy(screen: Any, renderable: Any) -> None:
                if renderable is not None:
                    frames.append(time.perf_counter())
                display(screen, renderable)

            app._display = spy  # type: ignore[method-assign]
            screen = app.main
            await until(lambda: screen.result is not None, "the first results")
            proc = app._search_proc
            await until(lambda: proc is None or proc.ready(), "the search process")
            results = screen.results
            set_hits = results.set_hits

            def spy_hits(*a: Any, **kw: Any) -> None:
                set_hits(*a, **kw)
                shown.append(time.perf_counter())

            results.set_hits = spy_hits  # type: ignore[method-assign]
            box = screen.search_box

            def showing(text: str, after: int = -1) -> Callable[[], bool]:
                def check() -> bool:
                    res = screen.result
                    fresh = len(shown) > after if after >= 0 else not screen.topbar.busy
                    return fresh and res is not None and res.query == text

                return check

            def idle() -> bool:  # app.workers holds the screen's workers too
                return all(w.is_finished for w in app.workers)

            for q in queries:
                box.focus()
                box.value = q[:-1]
                box.cursor_position = len(box.value)
                await until(showing(q[:-1]), f"results for {q[:-1]!r}")
                # a keystroke into an idle app: what the previous query set going (the passage
                # of its first hit, its facts, the entity tabs) is done and painted
                await until(idle, "the app to settle")
                await pilot.pause(0.05)
                n_shown = len(shown)
                started = time.perf_counter()
                await pilot.press(q[-1])
                await until(showing(q, n_shown), f"results for {q!r}")
                at = shown[-1]
                await until(partial(_painted_since, frames, at), "a frame")
                painted = next(f for f in frames if f >= at)
                ms.append((painted - started) * 1000)
    finally:
        shutil.rmtree(history.parent, ignore_errors=True)
    return ms


def measure_keystrokes(
    index_dir: Path | str, queries: Sequence[str], timeout: float = 20.0
) -> dict[str, Any]:
    sample = keystroke_queries(queries)
    ms = asyncio.run(_keystrokes(index_dir, sample, timeout))
    return {
        "app_keystroke_p50_ms": _round(bm.percentile(ms, 50)),
        "app_keystroke_p95_ms": _round(bm.percentile(ms, 95)),
        "app_keystroke_samples": len(ms),
    }


# -- the run ---------------------------------------------------------------------------------------


def run_bench(
    corpus: Path,
    articles: int | None = None,
    skip: set[str] | None = None,
    workdir: Path | None = None,
    index: Path | None = None,
    progress: Callable[[str], None] = _say,
    engine: str | None = None,
    formats: Path | None = None,
) -> dict[str, Any]:
    """Every measurement not skipped; the result object printed by ``--json``.

    engine: an OpenSearch URL: the builds go to fresh index prefixes on that cluster (dropped
    afterwards unless workdir is given) and FTS5, which reads a Whoosh folder, is skipped.
    formats: a folder of web pages, feeds, WARC, PDF and email: the readers' throughput per
    format, as ``readers`` ({format: {files, bytes, articles, seconds, mb_s, articles_s}})."""
    skip = skip or set()
    if engine is not None:
        skip = skip | {"fts5"}
    if not corpus.exists():
        raise NewsdeskError(f"{corpus}: no such file or folder")
    if articles is not None and articles < 1:
        raise NewsdeskError("--articles must be at least 1")
    if index is not None and not index.exists():
        raise NewsdeskError(f"--index {index}: no such folder")
    if formats is not None and not formats.exists():
        raise NewsdeskError(f"--formats {formats}: no such file or folder")
    keep = workdir is not None
    work = (
        Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    )
    work.mkdir(parents=True, exist_ok=True)
    env = _repo_env()
    res: dict[str, Any] = {key: None for key, _, _ in ROWS}
    notes: list[str] = []
    res["machine"] = bm.machine()
    res["engine"] = "opensearch" if engine else "whoosh"
    stamp = time.strftime("%Y%m%d%H%M%S")

    def location(name: str) -> Path | str:
        """Where a build of this run goes: a folder in work, or a prefix on the cluster."""
        if engine is None:
            return work / name
        return with_prefix(engine, f"bench-{name}-{stamp}")

    made: list[Path | str] = []
    try:
        progress(f"reading {corpus}" + (f" (first {articles} articles)" if articles else ""))
        info, docs = bm.prepare_corpus(corpus, articles, work)
        res["corpus"] = {
            "path": str(corpus),
            "articles": info.articles,
            "words": info.words,
            "problems": info.problems,
        }
        queries = bm.load_queries()
        res["queries"] = len(queries)
        built: Path | str | None = None

        ix_extract = location("index-extract")
        if "extract" not in skip:
            _remove(ix_extract)
            made.append(ix_extract)
            progress(f"full build with extraction of {info.articles:,} articles…")
            run, summary = measure_build(info.path, ix_extract, True, env)
            res["build_s"] = round(run.seconds, 2)
            res["build_words_per_s"] = round(summary["words"] / run.seconds)
            res["build_passages_per_s"] = round(summary["passages"] / run.seconds)
            res["peak_rss_build_mb"] = run.peak_rss_mb
            res["peak_rss_build_sum_mb"] = run.peak_rss_tree_mb
            res["build_cpu_s"] = run.cpu_s
            res["build_mode"] = summary.get("mode")
            res["corpus"]["passages"] = summary["passages"]
            res["build_summary_s"] = round(summary.get("seconds", 0.0), 2)
            if summary.get("mode") != "spacy":
                notes.append(f"extraction ran in {summary.get('mode')!r} mode, not spaCy")
            built = ix_extract
        ix_plain = location("index-noextract")
        if "noextract" not in skip:
            _remove(ix_plain)
            made.append(ix_plain)
            progress("build without extraction…")
            run, summary = measure_build(info.path, ix_plain, False, env)
            res["build_noextract_s"] = round(run.seconds, 2)
            res["build_noextract_passages_per_s"] = round(summary["passages"] / run.seconds)
            res["build_noextract_cpu_s"] = run.cpu_s
            res["peak_rss_build_noextract_mb"] = run.peak_rss_mb
            if res["peak_rss_build_mb"] is None:
                res["peak_rss_build_mb"] = run.peak_rss_mb
                res["peak_rss_build_sum_mb"] = run.peak_rss_tree_mb
                notes.append("peak RSS of the build: the build without extraction")
            res["corpus"].setdefault("passages", summary["passages"])
            built = built or ix_plain
        if "noop" not in skip:
            if built is None:
                notes.append("noop_reindex_s: no index was built in this run")
            else:
                progress("no-op re-index…")
                run, summary = measure_build(info.path, built, built == ix_extract, env)
                res["noop_reindex_s"] = round(run.seconds, 2)
                if summary.get("unchanged") != info.articles:
                    notes.append(
                        f"no-op re-index: {summary.get('unchanged')} of {info.articles} "
                        "articles unchanged"
                    )
        target: Path | str | None = index or built
        if target is None:
            notes.append("no index to query: skipped the queries and the app")
            skip = skip | {"queries", "fts5", "first_frame", "keystroke"}
        else:
            res["index"] = str(target)
        if "queries" not in skip and target is not None:
            progress(f"{len(queries)} queries through the engine…")
            qt = bm.time_queries(target, queries)
            res["query_p50_ms"] = _round(bm.percentile(qt.ms, 50), 2)
            res["query_p95_ms"] = _round(bm.percentile(qt.ms, 95), 2)
            res["query_max_ms"] = _round(max(qt.ms), 1)
            res["queries_with_hits"] = sum(1 for t in qt.totals if t)
            res["segments"] = qt.segments
            if qt.errors:
                notes.append(f"{len(qt.errors)} queries failed, first: {qt.errors[0]}")
        if "fts5" not in skip and target is not None:
            if not bm.fts5_available():
                notes.append("fts5: this sqlite3 has no FTS5")
            else:
                progress("SQLite FTS5 over the same passages…")
                secs, n = bm.build_fts5(Path(target), work / "fts5.sqlite")
                res["fts5_build_s"] = round(secs, 2)
                ft = bm.time_fts5(work / "fts5.sqlite", queries)
                res["fts5_p50_ms"] = _round(bm.percentile(ft.ms, 50), 2)
                res["fts5_p95_ms"] = _round(bm.percentile(ft.ms, 95), 2)
                if ft.errors:
                    notes.append(f"fts5: {len(ft.errors)} queries failed, first: {ft.errors[0]}")
        if "rg" not in skip:
            if bm.rg_path() is None:
                notes.append("rg: ripgrep is not installed (apt-get install ripgrep)")
            else:
                progress("ripgrep over the articles as files…")
                files = work / "files"
                shutil.rmtree(files, ignore_errors=True)
                bm.write_article_files(docs, files)
                rt = bm.time_rg(files, queries)
                if rt is not None:
                    res["rg_p50_ms"] = _round(bm.percentile(rt.ms, 50), 2)
                    res["rg_p95_ms"] = _round(bm.percentile(rt.ms, 95), 2)
        del docs
        if formats is not None:
            progress(f"the readers over {formats}…")
            res["readers"] = bench_formats.throughput([formats])
            if not res["readers"]:
                notes.append(f"readers: no file of a known format under {formats}")
        if "first_frame" not in skip and target is not None:
            progress("the app's first frame, in a pseudo-terminal…")
            try:
                ff = measure_first_frame(target, env)
                res["app_first_frame_s"] = ff["app_first_frame_s"]
                res["app_first_frame_runs_s"] = ff["app_first_frame_runs_s"]
                res["peak_rss_app_mb"] = ff["peak_rss_app_mb"]
                if ff["app_first_frame_s"] is None or ff["note"] != "ready marker":
                    notes.append(f"app first frame: {ff['note']}")
            except Exception as exc:  # the app is another engineer's, still moving: fail soft
                notes.append(f"app first frame not measured: {type(exc).__name__}: {exc}")
        if "keystroke" not in skip and target is not None:
            progress("keystroke-to-results in the app, driven by Pilot…")
            try:
                res.update(measure_keystrokes(target, queries))
            except Exception as exc:
                notes.append(f"app keystrokes not measured: {type(exc).__name__}: {exc}")
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
            if engine is not None:
                for loc in made:
                    _remove(loc)
    res["skipped"] = sorted(skip)
    res["notes"] = notes
    return res


# -- output ----------------------------------------------------------------------------------------


def _fmt(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        digits = 2 if unit == "s" else 1
        return f"{value:,.{digits}f} {unit}"
    if isinstance(value, int):
        return f"{value:,} {unit}"
    return f"{value} {unit}"


def format_table(res: dict[str, Any]) -> str:
    rows = [("measure", "value", "target", "")]
    for key, label, unit in ROWS:
        value = res.get(key)
        rows.append((label, _fmt(value, unit), bm.target_text(key), bm.verdict(key, value, res)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for i, r in enumerate(rows):
        lines.append(
            f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip()
        )
        if i == 0:
            lines.append("-" * (sum(widths) + 6))
    m = res.get("machine", {})
    c = res.get("corpus", {})
    lines.append("")
    lines.append(
        f"corpus: {c.get('path')} · {c.get('articles', 0):,} articles · "
        f"{c.get('words', 0):,} words · {c.get('passages', 0) or 0:,} passages · "
        f"{res.get('queries')} queries"
    )
    lines.append(
        f"machine: {m.get('cores')} cores · Python {m.get('python')} · {m.get('whoosh')} · "
        f"spaCy {m.get('spacy')} ({m.get('spacy_model')}) · SQLite {m.get('sqlite')} · "
        f"{m.get('ripgrep') or 'no ripgrep'}"
    )
    extra = []
    if res.get("build_cpu_s"):
        extra.append(f"build CPU {res['build_cpu_s']:,.0f} s (all processes)")
    if res.get("build_noextract_s"):
        extra.append(f"build without extraction {res['build_noextract_s']:,.1f} s")
    if res.get("segments"):
        extra.append(f"{res['segments']} passage segments")
    if res.get("peak_rss_build_sum_mb"):
        extra.append(f"build RSS summed over processes {res['peak_rss_build_sum_mb']:,.0f} MB")
    if extra:
        lines.append(" · ".join(extra))
    readers = res.get("readers")
    if readers:
        lines.append("")
        lines.extend(readers_table(readers))
    for note in res.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


def readers_table(readers: dict[str, dict[str, Any]]) -> list[str]:
    """The readers' throughput, one line a format."""
    head = ("readers (--formats)", "files", "MB", "articles", "s", "MB/s", "articles/s")
    rows: list[tuple[str, ...]] = [head]
    for fmt, r in sorted(readers.items()):
        rows.append(
            (
                fmt,
                f"{r['files']:,}",
                f"{r['bytes'] / 1e6:,.3f}",
                f"{r['articles']:,}",
                f"{r['seconds']:,.2f}",
                "—" if r.get("mb_s") is None else f"{r['mb_s']:,.2f}",
                "—" if r.get("articles_s") is None else f"{r['articles_s']:,.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for i, row in enumerate(rows):
        cells = [f"{row[0]:<{widths[0]}}"]
        cells += [f"{c:>{w}}" for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
        if i == 0:
            lines.append("-" * (sum(widths) + 2 * (len(head) - 1)))
    return lines


def with_prefix(url: str, name: str) -> str:
    """The cluster URL with an index prefix of its own (the URL's prefix, then name)."""
    from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    base = query.get("prefix", ["newsdesk"])[-1]
    query["prefix"] = [f"{base}-{name}"]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def _remove(location: Path | str) -> None:
    from newsdesk.index.engines import remove_index

    remove_index(location)


def main(args: argparse.Namespace) -> int:
    engine = getattr(args, "engine", None) or (
        None if getattr(args, "index", None) else os.environ.get("NEWSDESK_ENGINE") or None
    )
    res = run_bench(
        Path(args.corpus),
        articles=args.articles,
        skip=parse_skip(args.skip),
        workdir=Path(args.workdir) if args.workdir else None,
        index=Path(args.index) if getattr(args, "index", None) else None,
        engine=engine,
        formats=Path(args.formats) if getattr(args, "formats", None) else None,
    )
    if args.json:
        sys.stdout.write(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_table(res) + "\n")
    return 0
