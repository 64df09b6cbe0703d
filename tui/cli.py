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
from newsdesk.index.when import render_when
from newsdesk.tui import paths
from newsdesk.tui.output import console, flat, marked
from newsdesk.tui.safe import one_line

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    pass


def _err(msg: str) -> None:
    sys.stderr.write(f"newsdesk: error: {one_line(msg)}\n")


def _warn(msg: str) -> None:
    sys.stderr.write(f"newsdesk: warning: {one_line(msg)}\n")


def _index_dir(args: argparse.Namespace) -> Path:
    """The location: an OpenSearch URL (--engine, $NEWSDESK_ENGINE, or a URL given to --index)
    kept as a string, else the index folder (--index, $NEWSDESK_INDEX, the user data folder)."""
    from newsdesk.index.engines import is_cluster

    engine = getattr(args, "engine", None)
    if engine and args.index:
        raise CliError("give --index DIR or --engine URL, not both")
    if args.index and is_cluster(args.index):
        engine = args.index
    if not engine and not args.index:
        engine = os.environ.get("NEWSDESK_ENGINE") or None
    if engine:
        if not is_cluster(engine):
            raise CliError("--engine takes an http(s):// URL of an OpenSearch cluster")
        return engine  # type: ignore[no-any-return]
    return Path(args.index).expanduser() if args.index else paths.default_index()


def _part(text: str) -> tuple[int, int]:
    """--part K/N: share K (1..N) of N."""
    k, sep, n = text.partition("/")
    try:
        part = (int(k), int(n))
    except ValueError:
        raise argparse.ArgumentTypeError("expected K/N, e.g. 1/4") from None
    if not sep or not 1 <= part[0] <= part[1]:
        raise argparse.ArgumentTypeError("expected K/N with 1 <= K <= N, e.g. 1/4")
    return part


def _engine(args: argparse.Namespace) -> Reader:
    from newsdesk.index.engines import open_reader

    return open_reader(_index_dir(args))


_C1 = {c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), 0x2028, 0x2029)}


def _dump(data: Any) -> None:
    """JSON on stdout; control characters escaped (json escapes C0; C1 and DEL are done here)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1).translate(_C1))
    sys.stdout.write("\n")


def _id(article_id: str) -> str:
    """An id for a line of human output: inert, on one line (newlines and tabs as spaces)."""
    return one_line(article_id) if article_id.strip() else repr(article_id)


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
        "part": args.part,
        "rebuild": args.rebuild,
        "on_wait": lambda: _warn(
            f"waiting up to {args.wait:g}s for another process writing this index…"
        ),
    }
    progress: Callable[[int, int, int], None] | None = None
    bar: Any = contextlib.nullcontext()
    if use_bar:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        # the bar moves as articles are extracted and written (not as files are read), so the
        # rate and the time left are extraction's
        bar = Progress(
            TextColumn("indexing"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[articles]:,} articles written"),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console(sys.stderr),
            transient=True,
        )
        task = bar.add_task("index", total=None, articles=0)

        def update(done: int, total: int, articles: int = 0) -> None:
            bar.update(task, completed=done, total=total or None, articles=articles)

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
            ids = ", ".join(_id(i) for i in summary.missing_ids[:5])
            e.write(
                f"{summary.missing} article(s) whose files are gone were kept "
                f"(newsdesk index --prune removes them): "
                f"{ids}{'…' if summary.missing > 5 else ''}\n"
            )
        if summary.pruned:
            e.write(f"{summary.pruned} article(s) whose files are gone were removed\n")
        e.write(f"index: {one_line(str(index_dir))}\n")
    return 0


# -- search, entities, facts ----------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    if getattr(args, "saved", None):
        return _search_saved(args)
    if not args.query:
        raise CliError("give a query (or --saved NAME)")
    engine = _engine(args)
    _check_entities(engine, args.entity or ())
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
        sys.stderr.write(one_line(msg) + "\n")
        return 0
    if result.fallback:
        sys.stderr.write("no passage holds every word; showing passages with some of them\n")
    for h in result.hits:
        head = f"{h.rank:>3}. {one_line(h.title, 70)}  {h.date or 'undated'}  {_id(h.passage_id)}"
        con.print(one_line(head), style="bold" if con.is_terminal else None)
        text, spans = flat(h.snippet, h.snippet_highlights)
        line = marked(text, spans, con)
        line.pad_left(5)
        con.print(line)
    sys.stderr.write(f"{result.total} hits\n")
    return 0


def _search_saved(args: argparse.Namespace) -> int:
    """A saved search (the app's palette saves them); --new: only the hits it gained since it
    was last opened (in the app or here), which then count as seen."""
    from newsdesk.tui.saved import SavedSearches, index_key, new_hits, saved_path

    store = SavedSearches(saved_path())
    saved = store.get(args.saved)
    if saved is None:
        names = ", ".join(store.names()) or "none yet (the app's palette saves a search)"
        raise CliError(f"no saved search {args.saved!r}; saved: {names}")
    if args.query:
        raise CliError("give a query or --saved NAME, not both")
    engine = _engine(args)
    if not args.new:
        args.query = [saved.query]  # "" with filters: every passage naming them
        args.entity = [*saved.entities, *(args.entity or ())]
        args.saved = None
        return cmd_search(args)
    key = index_key(_index_dir(args))
    fresh, hits, total = new_hits(engine, saved, key)
    store.mark_seen(saved.name, key, [h.passage_id for h in hits])
    shown = fresh[: args.limit] if args.limit else fresh
    if args.json:
        _dump([h.as_json() for h in shown])
        return 0
    con = console()
    for h in shown:
        head = f"{h.rank:>3}. {one_line(h.title, 70)}  {h.date or 'undated'}  {_id(h.passage_id)}"
        con.print(one_line(head), style="bold" if con.is_terminal else None)
        text, spans = flat(h.snippet, h.snippet_highlights)
        line = marked(text, spans, con)
        line.pad_left(5)
        con.print(line)
    sys.stderr.write(f"{len(fresh)} new of {total} hits\n")
    return 0


TYPE_NAMES = {"PEOPLE": "PERSON", "PERSONS": "PERSON", "ORGS": "ORG", "PLACES": "PLACE"}


def entity_type(text: str) -> str:
    """An entity type from its name or the app's tab name (people → PERSON)."""
    name = text.strip().upper()
    return TYPE_NAMES.get(name, name)


def cmd_entities(args: argparse.Namespace) -> int:
    from newsdesk.tui.export import entity_json

    engine = _engine(args)
    if args.article and engine.article(args.article) is None:
        raise CliError(f"no article {args.article!r} in the index")
    found = engine.entities(type=args.type, article=args.article)
    if args.article:  # counts of this article only: its mentions, in this one article
        import attrs

        found = [attrs.evolve(e, articles=(args.article,)) for e in found]
    if args.limit:
        found = found[: args.limit]
    if args.json:
        _dump([entity_json(e) for e in found])
        return 0
    con = console()
    for e in found:
        aliases = ", ".join(a for a in e.aliases if a != e.name)
        # counts labelled: mentions (every occurrence), and the articles naming it
        row = f"{e.type:<6} {e.mentions:>5} mention{'s' if e.mentions != 1 else ' '}  {e.name}"
        if aliases:
            row += f"  ({aliases})"
        if not args.article:
            row += f"  · {len(e.articles)} article{'s' if len(e.articles) != 1 else ''}"
        con.print(one_line(row))
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    from newsdesk.tui.export import fact_json

    engine = _engine(args)
    if args.article and engine.article(args.article) is None:
        raise CliError(f"no article {args.article!r} in the index")
    query = " ".join(args.query) if args.query else None
    if args.entity:
        _check_entities(engine, [args.entity], facts=True)
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
        # what qualifies it, as words before the statement: "(conditional, future)"
        qual = f"({', '.join(f.qualifiers)}) " if f.qualifiers else ""
        con.print(one_line(f"{f.kind:<6} {render_when(f.when, f.date):<10} {qual}{f.statement}"))
        who = ", ".join(f.who) or "—"
        via = " ← ".join(f.attributed_to)
        meta = (
            f"       who: {who}"
            + (f" · via: {via}" if via else "")
            + (f" · qualified by: {f.qualified_by}" if f.qualifiers and f.qualified_by else "")
            + f" · {_id(f.evidence.passage_id)}"
        )
        con.print("       " + one_line(meta))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from newsdesk.tui.export import atomic_output, export

    engine = _engine(args)
    if args.entity:
        _check_entities(engine, [args.entity], facts=args.what == "facts")
    request = SearchRequest(" ".join(args.query))
    if args.output:  # a temporary file renamed over FILE on success: a failure leaves FILE alone
        with atomic_output(args.output) as out:
            n = export(engine, args.what, request, args.format, out, entity=args.entity)
    else:
        n = export(engine, args.what, request, args.format, sys.stdout, entity=args.entity)
    sys.stderr.write(f"{n} {args.what} exported\n")
    return 0


# -- corrections ----------------------------------------------------------------------------------

CORRECT_ARGS = {
    "merge": ("ENTITY", "INTO"),
    "split": ("ENTITY", "ALIAS"),
    "hide": ("ENTITY",),
    "type": ("ENTITY", "TYPE"),
    "flag": ("FACT_ID",),
    "list": (),
    "undo": ("N",),
}


def cmd_correct(args: argparse.Namespace) -> int:
    """Record, list or undo a correction (kept beside the index, applied as it is read)."""
    want = CORRECT_ARGS[args.op]
    if len(args.args) != len(want):
        usage = " ".join((args.op, *want))
        raise CliError(f"correct {args.op} takes {len(want)} argument(s): newsdesk correct {usage}")
    engine = _engine(args)
    if args.op == "list":
        entries = engine.corrections().entries
        if args.json:
            _dump([c.as_json() for c in entries])
            return 0
        con = console()
        for c in entries:
            con.print(one_line(f"{c.n:>3}  {c.at}  {c.describe()}"))
        if not entries:
            sys.stderr.write("no corrections\n")
        return 0
    if args.op == "undo":
        try:
            n = int(args.args[0])
        except ValueError:
            raise CliError(
                f"undo takes a number from `newsdesk correct list`, not {args.args[0]!r}"
            ) from None
        made = engine.uncorrect(n)
        verb = "undone"
    else:
        if args.op in ("merge", "split", "hide", "type"):
            _check_entities(engine, args.args[:1])
        if args.op == "merge":
            _check_entities(engine, args.args[1:])
        made = engine.correct(args.op, args.args[0], args.args[1] if len(args.args) > 1 else "")
        verb = "recorded"
    if args.json:
        _dump(made.as_json())
    else:
        sys.stdout.write(one_line(f"{made.n}: {made.describe()}") + "\n")
        sys.stderr.write(f"correction {made.n} {verb}\n")
    return 0


def _check_entities(engine: Reader, names: Sequence[str], facts: bool = False) -> None:
    """A CliError naming near matches for the first name that is no entity of the index.

    With facts, a name that some fact's speaker or actor carries (a source phrase such as
    "officials", not an entity) is fine too."""
    for name in names:
        if engine.resolve_entity(name) is not None:
            continue
        if facts and engine.facts(entity=name, limit=1):
            continue
        near = near_entities(engine, name)
        hint = f"; did you mean: {', '.join(near)}?" if near else ""
        raise CliError(f"no entity {name!r} in the index{hint}")


def near_entities(engine: Reader, name: str, n: int = 5) -> list[str]:
    """Canonical names of the entities whose name or an alias is closest to name (difflib)."""
    import difflib

    by_form: dict[str, str] = {}
    for e in sorted(engine.entities(), key=lambda e: -e.mentions):
        for form in (e.name, *e.aliases):
            by_form.setdefault(form.lower(), e.name)
    close = difflib.get_close_matches(name.strip().lower(), list(by_form), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(by_form[c] for c in close))[:n]


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

    sys.stderr.write(
        f"building the index from the bundled seeds into {one_line(str(index_dir))}…\n"
    )
    build(index_dir, [seeds])


def cmd_open(args: argparse.Namespace) -> int:
    from newsdesk.tui.served import end_with_server

    end_with_server()  # a browser session's app (under serve) never outlives its server
    index_dir = _index_dir(args)
    ensure_index(index_dir)
    from newsdesk.tui.app import run

    return run(index_dir)


def cmd_serve(args: argparse.Namespace) -> int:
    from newsdesk.tui.serve import serve

    index_dir = _index_dir(args)
    ensure_index(index_dir)
    host = args.host or "127.0.0.1"
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        _warn(
            f"serving on {host}: anyone who can reach this address and holds the URL's token "
            "can read the index"
        )
    return serve(index_dir, host=host, port=args.port)


def cmd_bench(args: argparse.Namespace) -> int:
    from newsdesk.tui.bench import main as bench_main

    return bench_main(args)


# -- parser ---------------------------------------------------------------------------------------


# Each subcommand's --help: what it does, then examples (kept here, one place to read them all).
SUBCOMMAND_HELP: dict[str, tuple[str, tuple[str, ...]]] = {
    "correct": (
        "Correct the extraction: merge an entity into another, split an alias off one, hide one,\n"
        "change its type (PERSON, ORG, PLACE, MISC or a tab's name), flag a wrong fact; list the\n"
        "corrections and undo one by its number. They are kept beside the index (the index\n"
        "folder's corrections.json, or the cluster's PREFIX-corrections), applied to every view,\n"
        "filter, fact list and export, and kept when articles are indexed again.",
        (
            'newsdesk correct merge "Boeing Co" Boeing',
            'newsdesk correct split Jordan "Michael Jordan"',
            "newsdesk correct hide Reuters",
            "newsdesk correct type Apple ORG",
            "newsdesk correct flag summit:f3",
            "newsdesk correct list --json",
            "newsdesk correct undo 2",
        ),
    ),
    "open": (
        "Open the app on the index: search as you type, entities, facts and passages.",
        ("newsdesk", "newsdesk open --index ~/news-index"),
    ),
    "index": (
        "Add or update articles from files or folders (text, Markdown, JSON Lines, …): read,\n"
        "cut into passages, extract entities and facts, and write them to the index.",
        ("newsdesk index ~/corpus", "newsdesk index --index ~/news-index a.txt b.md"),
    ),
    "search": (
        'Search passages: words (all of them, else some), "a phrase", person:Name, org:, place:,\n'
        "entity:, kind:, who:, title:, date:[2023-01 TO 2023-12]. --saved runs a search saved in\n"
        "the app; with --new only the hits it gained since it was last opened.",
        (
            'newsdesk search "north korea" --limit 5',
            "newsdesk search boeing --entity Russia --json",
            'newsdesk search --saved "boeing in russia" --new --json',
        ),
    ),
    "entities": (
        "List canonical entities with their counts: mentions (every occurrence) and the articles\n"
        "naming them; with --article, the counts in that article only.",
        ("newsdesk entities --type people --limit 20", "newsdesk entities --article summit --json"),
    ),
    "facts": (
        "List facts (who said or did what, when): all, matching words, about an entity, or in\n"
        "an article.",
        ('newsdesk facts --entity "Anne Neuberger"', "newsdesk facts sanctions kind:QUOTE --json"),
    ),
    "export": (
        "Export the results, entities or facts of a query as JSON Lines, CSV or Markdown.",
        (
            "newsdesk export results boeing --format csv -o boeing.csv",
            'newsdesk export facts --entity "Anne Neuberger" --format md',
        ),
    ),
    "serve": (
        "Serve the app in a browser (textual-serve), on this machine unless --host says so.",
        ("newsdesk serve --port 8000",),
    ),
    "bench": (
        "Benchmark indexing and search on a corpus, in a temporary index.",
        ("newsdesk bench ~/corpora/reuters --articles 500 --json",),
    ),
}


def _describe(sub: Any) -> None:
    """Give every subcommand's --help its description and examples."""
    for name, action in sub.choices.items():
        text = SUBCOMMAND_HELP.get(name)
        if text is None:
            continue
        description, examples = text
        action.description = description
        action.epilog = "examples:\n" + "\n".join(f"  {e}" for e in examples)
        action.formatter_class = argparse.RawDescriptionHelpFormatter


def _location_options(default: Any) -> argparse.ArgumentParser:
    """--index and --engine, accepted before the subcommand and after it. After it they
    default to argparse.SUPPRESS, so a subcommand without them keeps what was given before it
    ("newsdesk --index DIR index …" must not fall back to the default index)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--index",
        metavar="DIR",
        default=default,
        help="index folder (default: $NEWSDESK_INDEX or the user data dir)",
    )
    common.add_argument(
        "--engine",
        metavar="URL",
        default=default,
        help="an OpenSearch cluster instead of an index folder, e.g. "
        "http://127.0.0.1:9200?prefix=newsdesk (default: $NEWSDESK_ENGINE); credentials "
        "come from the environment or the config file, never from here",
    )
    return common


def parser() -> argparse.ArgumentParser:
    common = _location_options(argparse.SUPPRESS)
    p = argparse.ArgumentParser(
        prog="newsdesk",
        description="A keyboard-driven terminal explorer for news.",
        parents=[_location_options(None)],
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
    s.add_argument(
        "--part",
        type=_part,
        metavar="K/N",
        help="index only share K of N of the articles (by id): N writers fill one cluster",
    )
    s.add_argument(
        "--rebuild",
        action="store_true",
        help="(cluster) write a new generation of the index and swap it in when done",
    )
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("search", parents=[common], help="search passages")
    s.add_argument("query", nargs="*")
    s.add_argument("--saved", metavar="NAME", help="run a saved search (saved in the app)")
    s.add_argument(
        "--new",
        action="store_true",
        help="with --saved: only the hits gained since it was last opened (then seen)",
    )
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--entity", action="append", help="only passages mentioning this entity")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("entities", parents=[common], help="list canonical entities")
    s.add_argument(
        "--type",
        type=entity_type,
        choices=["PERSON", "ORG", "PLACE", "MISC"],
        help="PERSON, ORG, PLACE or MISC; the app's tab names People, Orgs, Places, Misc work too",
    )
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

    s = sub.add_parser(
        "correct", parents=[common], help="merge, split, hide or retype entities; flag facts"
    )
    s.add_argument("op", choices=list(CORRECT_ARGS), help="what to do")
    s.add_argument("args", nargs="*", help="the entity (name, alias or id), fact id or number")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_correct)

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
    s.add_argument(
        "--formats",
        metavar="DIR",
        help="also time the readers (MB/s, articles/s per format) over the files under DIR",
    )
    s.set_defaults(func=cmd_bench)
    _describe(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    one_blas_thread()
    args = parser().parse_args(argv)
    if getattr(args, "func", None) is None:
        args.func = cmd_open
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except BrokenPipeError as exc:
        if not _stdout_closed():  # another pipe (a worker process): an error like any other
            _err(f"{exc.strerror or exc}")
            return EXIT_ERROR
        # The reader went away (`newsdesk search … | head`): end quietly, as Python's docs advise
        # (docs.python.org/3/library/signal.html#note-on-sigpipe): point stdout at devnull so the
        # interpreter's last flush does not fail again.
        _quiet_stdout()
        return 0
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


def one_blas_thread() -> None:
    """One OpenBLAS thread in this process and the extraction workers it forks, set in the
    environment before numpy loads (OpenBLAS reads it once, when it loads). newsdesk runs one
    process per core for the parse; BLAS threads on top only contend. The limit set at run time
    instead (threadpoolctl, kept for a numpy loaded earlier) parses ~15% slower: 400 Reuters
    stories 10.0 CPU s against 8.6. A value the user set is kept."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _stdout_closed() -> bool:
    """Whether stdout is a pipe (or socket) whose reader has gone."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        events = poller.poll(0)
    except (OSError, ValueError, AttributeError):
        return True  # cannot tell: the error was about writing, most likely to stdout
    return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in events)


def _quiet_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
