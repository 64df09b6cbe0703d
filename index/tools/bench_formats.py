"""The readers' throughput, MB/s per format: every file under the given paths is read (not
indexed) and timed, grouped by format. ``newsdesk bench CORPUS --formats DIR`` runs it too.

    python -m newsdesk.index.tools.bench_formats PATH... [--json]
    python -m newsdesk.index.tools.bench_formats --make-large N_MB OUT.warc   # or OUT.mbox
    python -m newsdesk.index.tools.bench_formats --index-memory OUT.warc DIR  # peak RSS, seconds

``--make-large`` writes a large input for the memory test: a WARC made mostly of big non-page
responses (images, video, PDFs, scripts: random bytes the reader must stream past) with a few
thousand small news pages among them (nav, byline, paragraphs, footer), each response after its
request record, as a crawler writes them; or an mbox of messages with large base64 attachments
and a few thousand small ones. Files go where OUT says (keep them out of the repository).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
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
    """{format: {files, bytes, articles, seconds, mb_s, articles_s}} over every file under
    ``paths``."""
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
        secs = row["seconds"]
        row["mb_s"] = round(row["bytes"] / 1e6 / secs, 2) if secs else None
        row["articles_s"] = round(row["articles"] / secs, 1) if secs else None
        row["seconds"] = round(row["seconds"], 3)
    return dict(stats)


def markdown_table(stats: dict[str, dict[str, Any]]) -> str:
    """The per-format figures as a Markdown table (as BENCH.md shows them)."""
    lines = [
        "| format | files | MB | articles | s | MB/s | articles/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for fmt, r in sorted(stats.items()):
        mb = r["bytes"] / 1e6
        lines.append(
            f"| {fmt} | {r['files']} | {mb:.2f} | {r['articles']} | {r['seconds']} "
            f"| {r['mb_s']} | {r['articles_s']} |"
        )
    return "\n".join(lines)


# -- a large input for the memory test -------------------------------------------------------------

_WORDS = (
    "the of and to in a is that for on with as by at from it was said his her their has have "
    "had be were are will would could after before over under into about against between "
    "government minister police court union workers port strike talks officials company "
    "shares market prices rates bank central inflation election vote party leader council city "
    "river flood storm coast health hospital school students teachers farmers harvest rice "
    "wheat oil gas power grid energy report statement spokesperson agency ministry parliament "
    "budget tax trade exports imports shipping containers cargo vessels crew harbour dock "
    "negotiators wages contract deal agreement judge ruling appeal lawyers investigation fraud "
    "sanctions border security army troops ceasefire peace summit delegation allies region "
    "capital province village district residents families children water food aid relief "
    "Monday Tuesday Wednesday Thursday Friday weekend morning evening night week month year "
    "percent million billion dollars euros yen first second third new old local national"
).split()
_SITES = ("harbourtimes.example", "dailyledger.example", "coastnews.example", "metrowire.example")
_BINARY_TYPES = (
    ("image/jpeg", ".jpg", 40_000, 900_000),
    ("image/png", ".png", 20_000, 600_000),
    ("application/pdf", ".pdf", 200_000, 6_000_000),
    ("video/mp4", ".mp4", 2_000_000, 24_000_000),
    ("application/javascript", ".js", 30_000, 400_000),
    ("font/woff2", ".woff2", 20_000, 120_000),
)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(12, 28))
    return " ".join(words).capitalize() + "."


def _page(rng: random.Random, n: int, site: str) -> bytes:
    """A small news page: menus and a footer around a headline, byline, date and paragraphs."""
    title = " ".join(rng.choices(_WORDS, k=7)).title()
    day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
    paras = "\n".join(
        f"<p>{' '.join(_sentence(rng) for _ in range(rng.randint(2, 5)))}</p>"
        for _ in range(rng.randint(4, 9))
    )
    nav = "".join(f'<li><a href="/{w}">{w.title()}</a></li>' for w in rng.sample(_WORDS, 12))
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta name="author" content="Staff Reporter {n % 97}">
<meta property="article:published_time" content="{day}T08:00:00Z">
<link rel="canonical" href="https://{site}/news/{day}/story-{n}"></head>
<body><header><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter {n % 97}</p>
<time datetime="{day}">{day}</time>
{paras}
</article></main>
<footer><p>Copyright 2026 {site}. All rights reserved.</p><ul>{nav}</ul></footer>
</body></html>"""
    return html.encode("utf-8")


def make_large(
    out: str | Path, megabytes: int, pages: int = 3000, seed: int = 15
) -> dict[str, int]:
    """Write a ~``megabytes`` MB WARC (``.warc``, ``.warc.gz``) or mbox (``.mbox``) at ``out``
    with ``pages`` small news pages (or messages) among big non-article records. Returns
    {"bytes", "pages", "others"}."""
    out = Path(out)
    rng = random.Random(seed)
    if out.name.lower().endswith(".mbox"):
        return _make_mbox(out, megabytes * 1_000_000, pages, rng)
    return _make_warc(out, megabytes * 1_000_000, pages, rng)


def _big_records(rng: random.Random, target: int, pages: int) -> list[int]:
    """Where the page records go: after how many big records each page comes."""
    return sorted(rng.randrange(0, max(1, target // 2_900_000) + 1) for _ in range(pages))


def _random_bytes(rng: random.Random, size: int) -> bytes:
    return rng.randbytes(size)


def _make_warc(out: Path, target: int, pages: int, rng: random.Random) -> dict[str, int]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    gz = out.name.lower().endswith(".gz")
    written = {"pages": 0, "others": 0}
    with open(out, "wb") as f:
        writer = WARCWriter(f, gzip=gz)
        writer.write_record(
            writer.create_warcinfo_record(out.name, {"software": "newsdesk bench_formats"})
        )

        def response(uri: str, ctype: str, body: bytes) -> None:
            when = f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
            req = StatusAndHeaders(
                f"GET /{uri.split('/', 3)[-1]} HTTP/1.1",
                [("Host", uri.split("/")[2]), ("User-Agent", "newsdesk-bench")],
                is_http_request=True,
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "request", http_headers=req, warc_headers_dict={"WARC-Date": when}
                )
            )
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": when},
                )
            )

        slots = _big_records(rng, target, pages)
        big = 0
        k = 0
        while f.tell() < target or written["pages"] < pages:
            while k < len(slots) and slots[k] <= big:
                site = rng.choice(_SITES)
                response(
                    f"https://{site}/news/story-{k}",
                    "text/html; charset=utf-8",
                    _page(rng, k, site),
                )
                written["pages"] += 1
                k += 1
            if f.tell() >= target:
                if k < len(slots):
                    slots = slots[:k] + [big] * (len(slots) - k)
                    continue
                break
            ctype, ext, low, high = rng.choice(_BINARY_TYPES)
            size = min(int(rng.uniform(low, high)), max(1, target - f.tell()))
            site = rng.choice(_SITES)
            response(f"https://{site}/media/{big}{ext}", ctype, _random_bytes(rng, size))
            written["others"] += 1
            big += 1
    written["bytes"] = out.stat().st_size
    return written


_FROM_LINE = re.compile(r"^From ", re.MULTILINE)


def _make_mbox(out: Path, target: int, pages: int, rng: random.Random) -> dict[str, int]:
    import base64
    import textwrap

    written = {"pages": 0, "others": 0}
    slots = _big_records(rng, target, pages)
    big = 0
    k = 0
    with open(out, "wb") as f:

        def message(n: int, attachment: tuple[str, str, bytes] | None) -> None:
            day = rng.randint(1, 28)
            subject = " ".join(rng.choices(_WORDS, k=6)).title()
            body = "\n\n".join(
                textwrap.fill(" ".join(_sentence(rng) for _ in range(3)), 72) for _ in range(5)
            )
            body = _FROM_LINE.sub(">From ", body)  # as a mail system escapes them (mboxrd)
            head = (
                f"From desk{n % 13}@newsroom.example Mon Nov {day:2d} 09:00:00 2026\n"
                f"From: Desk {n % 13} <desk{n % 13}@newsroom.example>\n"
                f"To: tips@newsroom.example\nSubject: {subject}\n"
                f"Date: Mon, {day} Nov 2026 09:00:00 +0000\n"
                f"Message-ID: <{n}.{rng.getrandbits(32)}@newsroom.example>\nMIME-Version: 1.0\n"
            )
            if attachment is None:
                text = head + 'Content-Type: text/plain; charset="utf-8"\n\n' + body + "\n\n"
                f.write(text.encode("utf-8"))
                return
            ctype, name, data = attachment
            b64 = base64.encodebytes(data).decode("ascii")
            text = (
                head + 'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
                'Content-Type: text/plain; charset="utf-8"\n\n'
                + body
                + f'\n--b1\nContent-Type: {ctype}; name="{name}"\n'
                "Content-Transfer-Encoding: base64\n"
                f'Content-Disposition: attachment; filename="{name}"\n\n' + b64 + "--b1--\n\n"
            )
            f.write(text.encode("ascii", "replace"))

        while f.tell() < target or written["pages"] < pages:
            while k < len(slots) and slots[k] <= big:
                message(k, None)
                written["pages"] += 1
                k += 1
            if f.tell() >= target:
                if k < len(slots):
                    slots = slots[:k] + [big] * (len(slots) - k)
                    continue
                break
            ctype, ext, low, high = rng.choice(_BINARY_TYPES[:3])
            size = min(int(rng.uniform(low, high)), max(1, (target - f.tell()) * 3 // 4))
            message(100_000 + big, (ctype, f"scan-{big}{ext}", _random_bytes(rng, size)))
            written["others"] += 1
            big += 1
    written["bytes"] = out.stat().st_size
    return written


def index_memory(path: str | Path, index_dir: str | Path) -> dict[str, Any]:
    """``newsdesk index PATH --index DIR --no-extract --json`` in a child process: its wall
    time, CPU, the peak RSS of its largest process (``ru_maxrss``) and of the process tree
    (sampled), and the articles it added."""
    import sys

    from newsdesk.index.tools.bench import run_measured

    cmd = [sys.executable, "-m", "newsdesk.tui.cli", "index", str(path), "--index", str(index_dir)]
    run = run_measured([*cmd, "--no-extract", "--json", "-q"])
    try:
        summary = json.loads(run.stdout)
    except ValueError:
        summary = {}
    return {
        "path": str(path),
        "bytes": os.path.getsize(path),
        "exit": run.returncode,
        "seconds": round(run.seconds, 1),
        "cpu_s": run.cpu_s,
        "peak_rss_mb": run.peak_rss_mb,
        "peak_rss_tree_mb": run.peak_rss_tree_mb,
        "added": summary.get("added"),
        "passages": summary.get("passages"),
        "problems": len(summary.get("problems") or ()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--json", action="store_true")
    ap.add_argument(
        "--make-large",
        nargs=2,
        metavar=("N_MB", "OUT"),
        help="write a ~N_MB MB WARC (OUT.warc, OUT.warc.gz) or mbox (OUT.mbox) and stop",
    )
    ap.add_argument("--pages", type=int, default=3000, help="small pages in --make-large")
    ap.add_argument(
        "--index-memory",
        nargs=2,
        metavar=("FILE", "DIR"),
        help="run `newsdesk index FILE --index DIR --no-extract` and report its peak RSS",
    )
    args = ap.parse_args(argv)
    if args.index_memory:
        print(json.dumps(index_memory(*args.index_memory)))
        return 0
    if args.make_large:
        size, out = args.make_large
        made = make_large(out, int(size), pages=args.pages)
        print(json.dumps({"path": out, **made}))
        return 0
    if not args.paths:
        ap.error("give the files or folders to read (or --make-large N_MB OUT)")
    stats = throughput(args.paths)
    if args.json:
        print(json.dumps(stats, indent=1, sort_keys=True))
        return 0
    print(markdown_table(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
