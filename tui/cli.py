"""The ``newsdesk`` command line.

Errors are one line on stderr and a non-zero exit, never a traceback; progress goes to stderr;
stdout holds only results (and only JSON under ``--json``).
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.errors import IndexMissing, NewsdeskError
from newsdesk.index.seam import Reader, SearchRequest
from newsdesk.tui import paths
from newsdesk.tui.output import console, flat, marked
from newsdesk.tui.safe import one_line, printable

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    pass


def _err(msg: str) -> None:
    sys.stderr.write(f"newsdesk: error: {one_line(msg)}\n")


def _warn(msg: str) -> None:
    sys.stderr.write(f"newsdesk: warning: {one_line(msg)}\n")


def _index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index).expanduser() if args.index else paths.default_index()


def _engine(args: argparse.Namespace) -> Reader:
    from newsdesk.index.engines import open_reader

    return open_reader(_index_dir(args))


_C1 = {c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), 0x2028, 0x2029)}


def _dump(data: Any) -> None:
    """JSON on stdout; control characters escaped (json escapes C0; C1 and DEL are done here)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1).translate(_C1))
    sys.stdout.write("\n")


# -- index ----------------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace) -> int:
    from newsdesk.index.build import build

    index_dir = _index_dir(args)
    use_bar = sys.stderr.isatty() and not args.quiet
    extract = not args.no_extract
    if extract and not args.quiet:
        from newsdesk.index.extract.analyze import extraction_mode

        mode = extraction_mode()
        if mode == "rules":
            _warn(
                "extraction in rules-only mode (NEWSDESK_NLP=rules or no spaCy model): "
                "places from gazetteers, no people or organizations"
            )
    opts: dict[str, Any] = {
        "workers": args.workers,
        "commit_every": max(1, args.batch),
        "lock_wait_s": max(0.0, args.wait),
        "on_wait": lambda: _warn(
            f"waiting up to {args.wait:g}s for another process writing this index…"
        ),
    }
    progress: Callable[[int, int], None] | None = None
    bar: Any = contextlib.nullcontext()
    if use_bar:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("indexing"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console(sys.stderr),
            transient=True,
        )
        task = bar.add_task("index", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        progress = update
    with bar:
        summary = build(
            index_dir, args.paths, extract=extract, prune=args.prune, progress=progress, **opts
        )
    for p in summary.problems:
        _warn(str(p))
    if args.json:
        _dump(summary.as_dict())
    elif not args.quiet:
        e = sys.stderr
        e.write(
            f"{summary.added} added, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.skipped} skipped, {summary.warnings} with warnings"
            f" · {summary.passages} passages · extraction: {summary.mode}"
            f" · {summary.seconds:.1f}s\n"
        )
        if summary.missing and not summary.pruned:
            e.write(
                f"{summary.missing} article(s) whose files are gone were kept "
                f"(newsdesk index --prune removes them): "
                f"{', '.join(summary.missing_ids[:5])}{'…' if summary.missing > 5 else ''}\n"
            )
        if summary.pruned:
            e.write(f"{summary.pruned} article(s) whose files are gone were removed\n")
        e.write(f"index: {index_dir}\n")
    return 0


# -- search, entities, facts ----------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    engine = _engine(args)
    query = " ".join(args.query)
    result = engine.search(
        SearchRequest(
            query, tuple(args.entity or ()), limit=args.limit, facets=False, highlight=True
        )
    )
    if result.error:
        raise CliError(result.error)
    if args.json:
        _dump([h.as_json() for h in result.hits])
        return 0
    con = console()
    if not result.hits:
        msg = "no hits"
        if result.suggestion:
            msg += f"; did you mean: {result.suggestion}"
        sys.stderr.write(printable(msg) + "\n")
        return 0
    if result.fallback:
        sys.stderr.write("no passage holds every word; showing passages with some of them\n")
    for h in result.hits:
        head = f"{h.rank:>3}. {one_line(h.title, 70)}  {h.date or 'undated'}  {h.passage_id}"
        con.print(printable(head), style="bold" if con.is_terminal else None)
        text, spans = flat(h.snippet, h.snippet_highlights)
        line = marked(text, spans, con)
        line.pad_left(5)
        con.print(line)
    sys.stderr.write(f"{result.total} hits\n")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from newsdesk.tui.export import entity_json

    engine = _engine(args)
    if args.article and engine.article(args.article) is None:
        raise CliError(f"no article {args.article!r} in the index")
    found = engine.entities(type=args.type, article=args.article)
    if args.limit:
        found = found[: args.limit]
    if args.json:
        _dump([entity_json(e) for e in found])
        return 0
    con = console()
    for e in found:
        aliases = ", ".join(a for a in e.aliases if a != e.name)
        row = f"{e.type:<6} {e.mentions:>5}  {e.name}"
        if aliases:
            row += f"  ({aliases})"
        row += f"  · {len(e.articles)} article(s)"
        con.print(one_line(row))
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    from newsdesk.tui.export import fact_json

    engine = _engine(args)
    if args.article and engine.article(args.article) is None:
        raise CliError(f"no article {args.article!r} in the index")
    query = " ".join(args.query) if args.query else None
    try:
        found = engine.facts(
            query=query, entity=args.entity, article=args.article, limit=args.limit
        )
    except NewsdeskError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        _dump([fact_json(f) for f in found])
        return 0
    con = console()
    for f in found:
        neg = " (negated)" if f.negated else ""
        con.print(one_line(f"{f.kind:<6} {f.date or 'undated':<10} {f.statement}{neg}"))
        who = ", ".join(f.who) or "—"
        via = " ← ".join(f.attributed_to)
        meta = (
            f"       who: {who}" + (f" · via: {via}" if via else "") + f" · {f.evidence.passage_id}"
        )
        con.print("       " + one_line(meta))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from newsdesk.tui.export import export

    engine = _engine(args)
    request = SearchRequest(" ".join(args.query))
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        n = export(engine, args.what, request, args.format, out, entity=args.entity)
    finally:
        if args.output:
            out.close()
    sys.stderr.write(f"{n} {args.what} exported\n")
    return 0


# -- the app --------------------------------------------------------------------------------------


def ensure_index(index_dir: Path) -> None:
    """Build the index from the bundled seeds when it is missing."""
    from newsdesk.index.engines import index_exists

    if index_exists(index_dir):
        return
    seeds = paths.seeds_dir()
    if seeds is None:
        raise IndexMissing(
            f"no index at {index_dir} and no bundled seeds: run `newsdesk index PATH`"
        )
    from newsdesk.index.build import build

    sys.stderr.write(f"building the index from the bundled seeds into {index_dir}…\n")
    build(index_dir, [seeds])


def cmd_open(args: argparse.Namespace) -> int:
    index_dir = _index_dir(args)
    ensure_index(index_dir)
    from newsdesk.tui.app import run

    return run(index_dir)


def cmd_serve(args: argparse.Namespace) -> int:
    from textual_serve.server import Server

    index_dir = _index_dir(args)
    ensure_index(index_dir)
    host = args.host or "127.0.0.1"
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        _warn(f"serving on {host}: anyone who can reach this address can read the index")
    command = f"{sys.executable} -m newsdesk.tui.cli open --index {json.dumps(str(index_dir))}"
    server = Server(command, host=host, port=args.port, title="newsdesk")
    server.serve()
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from newsdesk.tui.bench import main as bench_main

    return bench_main(args)


# -- parser ---------------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--index",
        metavar="DIR",
        help="index folder (default: $NEWSDESK_INDEX or the user data dir)",
    )
    p = argparse.ArgumentParser(
        prog="newsdesk",
        description="A keyboard-driven terminal explorer for news.",
        parents=[common],
    )
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("open", parents=[common], help="open the app (the default)")
    s.set_defaults(func=cmd_open)

    s = sub.add_parser("index", parents=[common], help="add or update articles")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument(
        "--prune",
        action="store_true",
        help="remove articles whose files are gone from the given folders",
    )
    s.add_argument("--no-extract", action="store_true", help="skip entity and fact extraction")
    s.add_argument("--workers", type=int, default=0, help="extraction processes (default: 2)")
    s.add_argument(
        "--batch",
        type=int,
        default=500,
        metavar="N",
        help="commit every N articles (a crash costs at most one batch)",
    )
    s.add_argument(
        "--wait",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for another process writing the index",
    )
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("search", parents=[common], help="search passages")
    s.add_argument("query", nargs="+")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--entity", action="append", help="only passages mentioning this entity")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("entities", parents=[common], help="list canonical entities")
    s.add_argument("--type", type=str.upper, choices=["PERSON", "ORG", "PLACE", "MISC"])
    s.add_argument("--article", metavar="ID")
    s.add_argument("--limit", type=int)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_entities)

    s = sub.add_parser("facts", parents=[common], help="list facts")
    s.add_argument("query", nargs="*")
    s.add_argument("--entity", metavar="NAME")
    s.add_argument("--article", metavar="ID")
    s.add_argument("--limit", type=int)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_facts)

    s = sub.add_parser("export", parents=[common], help="export results, entities or facts")
    s.add_argument("what", choices=["results", "entities", "facts"])
    s.add_argument("query", nargs="*")
    s.add_argument("--format", choices=["jsonl", "csv", "md"], default="jsonl")
    s.add_argument("--entity", metavar="NAME")
    s.add_argument("-o", "--output", metavar="FILE")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("serve", parents=[common], help="serve the app in a browser")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", help="address to bind (default 127.0.0.1)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("bench", parents=[common], help="benchmark on a corpus")
    s.add_argument("corpus")
    s.add_argument("--articles", type=int)
    s.add_argument("--json", action="store_true")
    s.add_argument("--skip", default="", help="comma-separated parts to skip")
    s.add_argument("--workdir", help="where to build the benchmark indexes (default: a temp dir)")
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "func", None) is None:
        args.func = cmd_open
    try:
        code: int = args.func(args)
        return code
    except KeyboardInterrupt:
        sys.stderr.write("newsdesk: interrupted\n")
        return 130
    except (NewsdeskError, CliError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    except OSError as exc:
        name = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        _err(f"{name}{exc.strerror or exc}")
        return EXIT_ERROR
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("NEWSDESK_DEBUG"):
            raise
        _err(f"unexpected {type(exc).__name__}: {exc} (set NEWSDESK_DEBUG=1 for a traceback)")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
