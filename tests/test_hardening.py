"""Hardening (issue 16, items 3-6 and 14-17): each test reruns an attack that used to work.

Symbolic links out of the indexed folder, escape sequences in folder names, ids and the history,
``export -o`` on a failing query, a damaged history file, keymap entries that break typing, a
quoted ``people:`` phrase, spreadsheet formulas in CSV cells, a closed pipe and an unknown entity.
Item 1-2 (serve) are in test_serve.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from newsdesk.index.build import build
from newsdesk.index.engines import open_reader
from newsdesk.index.seam import SearchRequest
from newsdesk.tui.cli import main
from newsdesk.tui.export import _cell, atomic_output, export, md_code
from newsdesk.tui.history import History
from newsdesk.tui.keymap import load_config
from newsdesk.tui.safe import inert_line

from .conftest import REPO, write_article
from .conftest import settle as settle_app

OSC_TITLE = "\x1b]0;PWNED\x07"  # sets the terminal's title
OSC_CLIP = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes `rm -rf ~` to the clipboard
WIDE = (130, 40)


def cli(*args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newsdesk.tui.cli", *args],
        capture_output=True,
        cwd=REPO,
        timeout=120,
        **kw,  # type: ignore[call-overload]
    )


async def settle(pilot):  # type: ignore[no-untyped-def]
    """Wait until the app is idle; its main screen."""
    await settle_app(pilot)
    return pilot.app.screen_stack[0]


def painted(app) -> str:  # type: ignore[no-untyped-def]
    """Everything the app would write to the terminal for the current screen, escapes included."""
    update = app.screen._compositor.render_full_update()
    return str(update.render_segments(app.console))


def no_raw_escapes(text: str) -> bool:
    """No OSC (title, clipboard) and no BEL: Textual's own output uses CSI sequences only."""
    return "\x1b]" not in text and "\x07" not in text and "\x9b" not in text


# -- 3. symbolic links ------------------------------------------------------------------------------


def test_links_out_of_the_folder_are_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "The ferry to the island runs twice a day in summer.")
    write_article(corpus / "sub", "b.txt", "The lighthouse keeper logs every passing ship.")
    (corpus / "etc").symlink_to(outside)  # a folder out of the corpus
    (corpus / "pw").symlink_to(outside / "passwd")  # a file out of the corpus
    (corpus / "inside").symlink_to(corpus / "sub" / "b.txt")  # stays inside: followed

    summary = build(tmp_path / "ix", [corpus], extract=False)

    engine = open_reader(tmp_path / "ix")
    assert engine.search(SearchRequest("root bash", facets=False)).total == 0
    assert engine.search(SearchRequest("ferry", facets=False)).total == 1
    assert engine.article("inside") is not None
    out = [str(p) for p in summary.problems if "out of the indexed folder" in p.message]
    assert len(out) == 2, summary.problems
    assert any(str(corpus / "etc") in p for p in out)
    assert any(str(corpus / "pw") in p for p in out)


def test_a_path_given_explicitly_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    write_article(real, "a.txt", "The ferry to the island runs twice a day in summer.")
    (tmp_path / "link").symlink_to(real)
    summary = build(tmp_path / "ix", [tmp_path / "link"], extract=False)
    assert summary.added == 1 and not summary.problems


def test_the_same_folder_through_a_linked_path_keeps_its_ids(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_article(real, "a.txt", "The ferry to the island runs twice a day in summer.")
    write_article(real / "sub", "b.txt", "The lighthouse keeper logs every passing ship.")
    (tmp_path / "link").symlink_to(real)
    first = build(tmp_path / "ix", [real], extract=False)
    again = build(tmp_path / "ix", [tmp_path / "link"], extract=False)
    assert first.added == 2
    assert (again.added, again.renamed, again.unchanged, again.missing) == (0, 0, 2, 0)
    engine = open_reader(tmp_path / "ix")
    assert engine.stats().articles == 2
    assert engine.article("a") is not None and engine.article("b") is not None
    # and a file gone is still noticed through the link
    (real / "a.txt").unlink()
    third = build(tmp_path / "ix", [tmp_path / "link"], extract=False)
    assert third.missing_ids == ["a"]


# -- 4. escapes from the file system, the history and ids -------------------------------------------


def test_inert_line_keeps_length_and_drops_controls() -> None:
    hostile = f"a{OSC_TITLE}b\nc\td\x9be"
    shown = inert_line(hostile)
    assert len(shown) == len(hostile)
    assert all(ch.isprintable() for ch in shown)


async def test_the_export_prompt_shows_a_hostile_folder_inert(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a short base, so the whole path fits the prompt whatever the temporary folder is called
    base = Path(tempfile.mkdtemp(prefix="nd", dir="/tmp"))
    folder = base / f"dir{OSC_TITLE}{OSC_CLIP}x"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.ask_export("results", "csv")
        await pilot.pause()
        assert type(app.screen).__name__ == "PromptScreen"
        out = painted(app)
        assert no_raw_escapes(out), repr(out)
        assert "dir␛]0" in out  # shown, as inert stand-ins
        await pilot.press("enter")  # the default: the real folder, not its stand-ins
        await settle(pilot)
    try:
        assert (folder / "newsdesk-results.csv").exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)


async def test_a_query_recalled_from_history_is_inert(make_app, tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    history.write_text(json.dumps(f"cyber{OSC_TITLE}{OSC_CLIP}") + "\n", encoding="utf-8")
    app = make_app(history_file=history)
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.search_box.focus()
        await pilot.press("up")
        await pilot.pause()
        assert screen.search_box.value.startswith("cyber␛]0;PWNED")
        assert "\x1b" not in screen.search_box.value
        out = painted(app)
        assert no_raw_escapes(out), repr(out)


async def test_a_pasted_escape_is_inert(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.search_box.focus()
        screen.search_box.insert_text_at_cursor(f"x{OSC_CLIP}")
        await pilot.pause()
        assert "\x1b" not in screen.search_box.value
        assert no_raw_escapes(painted(app))


def test_index_prints_missing_ids_inert(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, f"gone{OSC_TITLE}.txt", "The ferry to the island runs twice a day.")
    write_article(corpus, "two\nlines.txt", "The lighthouse keeper logs every passing ship.")
    write_article(corpus, "stays.txt", "The harbour master counted forty boats at dawn.")
    ix = str(tmp_path / "ix")
    assert cli("index", str(corpus), "--index", ix, "--no-extract").returncode == 0
    (corpus / f"gone{OSC_TITLE}.txt").unlink()
    (corpus / "two\nlines.txt").unlink()
    proc = cli("index", str(corpus), "--index", ix, "--no-extract")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert no_raw_escapes(err), repr(err)
    kept = [line for line in err.splitlines() if "whose files are gone were kept" in line]
    assert len(kept) == 1 and "gone␛]0;PWNED" in kept[0] and "two lines" in kept[0]


@pytest.fixture(scope="module")
def odd_ids(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index whose ids hold a newline, backticks and an escape (JSONL records keep any id)."""
    root = tmp_path_factory.mktemp("odd")
    records = [
        {"id": "tick`id\nsecond line", "title": "Ticks", "text": "The ferry to the island runs."},
        {"id": f"esc{OSC_TITLE}", "title": "Esc", "text": "The ferry back runs at dusk."},
    ]
    (root / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    build(root / "ix", [root / "r.jsonl"], extract=False)
    return root / "ix"


def test_odd_ids_keep_the_cli_output_one_line_a_field(odd_ids: Path) -> None:
    proc = cli("search", "ferry", "--index", str(odd_ids))
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    assert no_raw_escapes(out)
    heads = [line for line in out.splitlines() if line.lstrip().startswith(("1.", "2."))]
    assert len(heads) == 2, out
    assert any("tick`id second line#" in h for h in heads), out
    assert "second line" not in out.replace("tick`id second line", "")


def test_odd_ids_in_markdown_export(odd_ids: Path) -> None:
    out = io.StringIO()
    engine = open_reader(odd_ids)
    assert export(engine, "results", SearchRequest("ferry"), "md", out) == 2
    text = out.getvalue()
    assert no_raw_escapes(text)
    assert "``tick`id second line#1``" in text
    assert "second line" not in text.replace("tick`id second line", "")


def test_md_code_spans() -> None:
    assert md_code("a#1") == "`a#1`"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x``") == "``` `x`` ```"
    assert md_code("a\nb") == "`a b`"


# -- 5. atomic export -------------------------------------------------------------------------------


def test_export_to_a_file_on_a_failing_query_leaves_it_alone(
    app_index: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("the old export\n", encoding="utf-8")
    proc = cli(
        "export",
        "results",
        "date:[",
        "--format",
        "csv",
        "-o",
        str(target),
        "--index",
        str(app_index),
    )
    assert proc.returncode == 1
    assert b"error" in proc.stderr and b"Traceback" not in proc.stderr
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary left
    ok = cli(
        "export",
        "results",
        "cyber",
        "--format",
        "csv",
        "-o",
        str(target),
        "--index",
        str(app_index),
    )
    assert ok.returncode == 0, ok.stderr
    assert target.read_text(encoding="utf-8").startswith("rank,article_id")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_output_keeps_permissions_and_writes_devices_in_place(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    with atomic_output(target) as out:
        out.write("new")
    assert target.read_text(encoding="utf-8") == "new"
    assert (target.stat().st_mode & 0o777) == 0o640
    with atomic_output(os.devnull) as out:  # never replaced by a regular file
        out.write("x")
    assert Path(os.devnull).is_char_device()


async def test_the_app_asks_before_replacing_a_file(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "newsdesk-results.csv"
    target.write_text("keep me\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.ask_export("results", "csv")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "keep me\n"
        screen.ask_export("results", "csv")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("y")
        await settle(pilot)
    assert target.read_text(encoding="utf-8").startswith("rank,article_id")


# -- serve mode in the app (items 1: confined exports, no index switching) ---------------------------


async def test_served_app_confines_exports_and_keeps_its_index(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports = tmp_path / "exports"
    monkeypatch.setenv("NEWSDESK_SERVE", "1")
    monkeypatch.setenv("NEWSDESK_EXPORT_DIR", str(exports))
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        for bad in ("../escape.csv", str(tmp_path / "abs.csv"), "..", ".hidden"):
            screen.ask_export("results", "csv")
            await pilot.pause()
            prompt = app.screen.query_one("#prompt-input")
            prompt.value = bad
            await pilot.press("enter")
            await settle(pilot)
        assert not (tmp_path / "escape.csv").exists() and not (tmp_path / "abs.csv").exists()
        screen.ask_export("results", "csv")
        await pilot.pause()
        await pilot.press("enter")  # the default: a file name in the export folder
        await settle(pilot)
        assert (exports / "newsdesk-results.csv").exists()
        before = app.index_dir
        screen.ask_open_index()
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"  # no prompt: switching is off
        assert app.index_dir == before
    from newsdesk.tui.served import NotAllowed, confine_export

    with pytest.raises(NotAllowed):
        confine_export("sub/x.csv")
    (exports / "link.csv").symlink_to(tmp_path / "outside.csv")
    with pytest.raises(NotAllowed):
        confine_export("link.csv")


# -- 6. history -------------------------------------------------------------------------------------


def test_a_bad_history_line_loses_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    lines = [json.dumps(f"query {i}").encode() for i in range(12)]
    lines.insert(5, b'"bad \xff\xfe byte"')
    lines.insert(8, b"{not json")
    path.write_bytes(b"\n".join(lines) + b"\n")
    h = History(path)
    assert h.entries == [f"query {i}" for i in range(12)]
    h.add("next")
    again = History(path)
    assert again.entries == [*(f"query {i}" for i in range(12)), "next"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.jsonl"]


def test_history_is_replaced_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.jsonl"
    h = History(path)
    h.add("one")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    h.add("two")  # never raises: history is a convenience
    assert path.read_text(encoding="utf-8") == '"one"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.jsonl"]


# -- 14. keymap -------------------------------------------------------------------------------------


def write_config(tmp_path: Path, keys: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"[keys]\n{keys}\n", encoding="utf-8")
    return path


def test_a_nonsense_key_is_named_and_ignored(tmp_path: Path) -> None:
    cfg = load_config(
        write_config(tmp_path, 'copy = "y,blah"\nfacts = "ctrl+bogus"\nhelp = "ctlr+h"')
    )
    assert cfg.keymap == {"copy": "y"}
    assert any("keys.copy" in p and "'blah'" in p for p in cfg.problems), cfg.problems
    assert any("keys.facts" in p and "'ctrl+bogus'" in p for p in cfg.problems), cfg.problems
    assert any("keys.help" in p and "'ctlr+h'" in p for p in cfg.problems), cfg.problems


def test_known_key_names_pass(tmp_path: Path) -> None:
    keys = 'search = "s,slash"\ncopy = "ctrl+y"\nhelp = "question_mark,f1"\nfirst = "home,G"'
    cfg = load_config(write_config(tmp_path, keys))
    assert not cfg.problems
    assert cfg.keymap["help"] == "question_mark,f1"


def test_a_global_binding_that_collides_with_typing_is_rejected(tmp_path: Path) -> None:
    cfg = load_config(write_config(tmp_path, 'quit = "j"\npalette = "ctrl+k,ctrl+o,space,shift+x"'))
    assert "quit" not in cfg.keymap  # the default (ctrl+q) stays
    assert cfg.keymap["palette"] == "ctrl+o"  # ctrl+k edits the box; space and X type
    assert any("keys.quit" in p and "'j'" in p and "search box" in p for p in cfg.problems)
    assert any("'space'" in p for p in cfg.problems) and any("'shift+x'" in p for p in cfg.problems)


async def test_typing_j_in_the_box_never_quits(make_app, tmp_path: Path) -> None:
    app = make_app(config_path=write_config(tmp_path, 'quit = "j"'))
    async with app.run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        screen.search_box.focus()
        screen.search_box.value = ""
        await pilot.press("j", "a", "m")
        await pilot.pause()
        assert app.is_running
        assert screen.search_box.value == "jam"


def test_config_problems_are_inert(tmp_path: Path) -> None:
    cfg = load_config(write_config(tmp_path, f'copy = "y{OSC_TITLE}"'))
    assert cfg.problems and all(no_raw_escapes(p) for p in cfg.problems)


# -- 15. aliases never touch quoted text -------------------------------------------------------------


def test_a_quoted_alias_stays_text(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "book.txt", "Her new book, the people: a history, sold well in spring.")
    write_article(corpus, "other.txt", "The person who wrote a history of the town spoke.")
    build(tmp_path / "ix", [corpus], extract=False)
    engine = open_reader(tmp_path / "ix")
    res = engine.search(SearchRequest('"the people: a history"', facets=False))
    assert res.error is None and [h.article_id for h in res.hits] == ["book"]
    res = engine.search(SearchRequest('"the person a history"', facets=False))
    assert res.total == 0


def test_aliases_and_field_case_still_work(app_index: Path) -> None:
    engine = open_reader(app_index)
    want = engine.search(SearchRequest('person:"Anne Neuberger"', facets=False)).total
    assert want > 0
    for q in ('people:"Anne Neuberger"', 'PERSON:"Anne Neuberger"', 'Persons:"anne neuberger"'):
        assert engine.search(SearchRequest(q, facets=False)).total == want, q


# -- 16. CSV formulas -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        '\t=HYPERLINK("http://x")',
        "\r=1",
        "  =1",
        "\n@x",
        "\u00a0=1",
    ],
)
def test_every_formula_trigger_is_neutralised(value: str) -> None:
    cell = _cell(value)
    assert cell.startswith("'"), repr(cell)
    assert all(ch.isprintable() or ch == "\t" for ch in cell[1:]) or "\r" not in cell


def test_plain_cells_are_unchanged() -> None:
    assert _cell("plain text") == "plain text"
    assert _cell(-3) == "-3"  # a number is a number
    assert _cell("a=b") == "a=b"


def test_a_tab_formula_in_any_cell_exports_inert() -> None:
    from newsdesk.tui.export import _csv

    rows = [
        {"statement": '\t=HYPERLINK("http://evil.example","x")', "who": ["\r+1", "a"]},
        {"statement": " @cmd", "who": []},
    ]
    out = io.StringIO()
    assert _csv(iter(rows), ("statement", "who"), out) == 2
    got = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["statement"][0] for r in got] == ["'", "'"]
    assert got[0]["who"].startswith("'")


def test_an_article_starting_with_a_formula_exports_inert(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write_article(corpus, "f.txt", '\t=HYPERLINK("http://evil.example","the harbour report")')
    build(tmp_path / "ix", [corpus], extract=False)
    out = io.StringIO()
    export(open_reader(tmp_path / "ix"), "results", SearchRequest("harbour"), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1
    assert rows[0]["text"].startswith("'"), rows[0]["text"]


# -- 17. the command line in pipes, unknown entities ------------------------------------------------


def test_a_closed_pipe_ends_quietly(app_index: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line (`| head -0`)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "newsdesk.tui.cli", "search", "ledger", "--limit", "200"]
            + ["--index", str(app_index)],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=REPO,
            timeout=120,
        )
    finally:
        os.close(write)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().strip() == "", proc.stderr


def test_a_closed_pipe_with_json_ends_quietly(app_index: Path) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "newsdesk.tui.cli", "entities", "--json"]
            + ["--index", str(app_index)],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=REPO,
            timeout=120,
        )
    finally:
        os.close(write)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("facts", "--entity", "Anne Nueberger"),
        ("search", "cyber", "--entity", "Anne Nueberger"),
        ("export", "results", "cyber", "--entity", "Anne Nueberger"),
        ("export", "facts", "--entity", "Anne Nueberger"),
    ],
)
def test_an_unknown_entity_is_an_error_with_near_matches(
    app_index: Path, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--index", str(app_index)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no entity 'Anne Nueberger'" in captured.err
    assert "did you mean: Anne Neuberger" in captured.err


def test_a_known_entity_or_alias_still_works(
    app_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["facts", "--entity", "anne neuberger", "--index", str(app_index), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert main(["facts", "--entity", "zzzzqqq", "--index", str(app_index)]) == 1
    assert "did you mean" not in capsys.readouterr().err  # nothing near: no list
