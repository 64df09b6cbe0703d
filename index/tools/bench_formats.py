"""The readers' throughput, MB/s per format: every file under the given paths is read (not
indexed) and timed, grouped by format.

    python -m newsdesk.index.tools.bench_formats PATH... [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.ingest.sources import read_file
from newsdesk.index.model import Article

FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".pdf": "pdf",
    ".eml": "email",
    ".mbox": "mbox",
    ".jsonl": "jsonl",
    ".json": "json",
    ".md": "markdown",
    ".txt": "text",
}


def format_of(path: str) -> str:
    low = path.lower()
    if low.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return "warc"
    return FORMATS.get(Path(low).suffix, "other")


def throughput(paths: Sequence[str | Path]) -> dict[str, dict[str, Any]]:
    """{format: {files, bytes, articles, seconds, mb_s}} over every file under ``paths``."""
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, names in os.walk(p):
                files += [os.path.join(root, n) for n in sorted(names)]
        else:
            files.append(str(p))
    stats: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"files": 0, "bytes": 0, "articles": 0, "seconds": 0.0}
    )
    for f in files:
        fmt = format_of(f)
        if fmt == "other":
            continue
        started = time.perf_counter()
        n = sum(1 for item in read_file(f) if isinstance(item, Article))
        row = stats[fmt]
        row["seconds"] += time.perf_counter() - started
        row["files"] += 1
        row["bytes"] += os.path.getsize(f)
        row["articles"] += n
    for row in stats.values():
        row["mb_s"] = round(row["bytes"] / 1e6 / row["seconds"], 2) if row["seconds"] else None
        row["seconds"] = round(row["seconds"], 3)
    return dict(stats)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    stats = throughput(args.paths)
    if args.json:
        print(json.dumps(stats, indent=1, sort_keys=True))
        return 0
    print("| format | files | MB | articles | s | MB/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for fmt, r in sorted(stats.items()):
        mb = r["bytes"] / 1e6
        print(
            f"| {fmt} | {r['files']} | {mb:.2f} | {r['articles']} | {r['seconds']} | {r['mb_s']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
