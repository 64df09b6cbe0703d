"""The command line: JSON shapes, one-line errors, clean stdout, literal article text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.tui.cli import main

from .conftest import REPO, write_article

HOSTILE = (
    "Breaking: \x1b]52;c;cm0gLXJmIH4=\x07 clipboard \x1b[2J cleared [bold]loud[/bold] "
    "[link=file:///etc/passwd]link[/link] [@click=app.quit]quit[/] \x9b31m c1 bell\x07 end.\n\n"
    "A second paragraph about the harbour and its fishing boats, long enough to stand alone."
)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    write_article(
        root / "c",
        "harbour.txt",
        HOSTILE,
        date="2024-05-01",
        title="Harbour \x1b[31mnews\x1b[0m [bold]today[/bold]",
    )
    write_article(
        root / "c",
        "plain.txt",
        "The harbour master counted forty boats at dawn "
        "and wrote the number in the old ledger by the door.",
        date="2024-05-02",
    )
    assert main(["index", str(root / "c"), "--index", str(root / "ix"), "--no-extract", "-q"]) == 0
    return root / "ix"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newsdesk.tui.cli", *args],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_search_json_has_the_design_shape(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "harbour master", "--index", str(index_dir), "--json"]) == 0
    out = capsys.readouterr().out
    hits = json.loads(out)
    assert hits[0]["passage_id"] == "plain#1" and hits[0]["article_id"] == "plain"
    assert set(hits[0]) == {
        "article_id",
        "passage_id",
        "title",
        "date",
        "score",
        "text",
        "highlights",
    }
    assert hits[0]["date"] == "2024-05-02"


def test_human_output_never_carries_escapes(index_dir: Path) -> None:
    for env in ({}, {"NO_COLOR": "1"}, {"TERM": "xterm-256color", "FORCE_COLOR": "1"}):
        res = run("search", "clipboard", "--index", str(index_dir), env=env)
        assert res.returncode == 0, res.stderr
        assert b"clipboard" in res.stdout
        out = res.stdout.decode()
        # our own styling (FORCE_COLOR) may use SGR; nothing from the article may reach the tty
        assert "\x07" not in out and "]52;" not in out.replace("␛]52;", "")
        assert "\x9b" not in out and "\x1b[2J" not in out
        assert "[bold]loud[/bold]" in out and "[@click=app.quit]" in out
        if not env.get("FORCE_COLOR"):
            assert "\x1b" not in out


def test_json_escapes_control_characters(index_dir: Path) -> None:
    res = run("search", "clipboard", "--index", str(index_dir), "--json")
    assert res.returncode == 0
    assert b"\x1b" not in res.stdout and b"\x07" not in res.stdout
    assert "\x9b".encode() not in res.stdout
    hits = json.loads(res.stdout)
    assert "\x1b]52;c;" in hits[0]["text"]  # the data itself is kept, only escaped


def test_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    res = run("search", "x", "--index", str(tmp_path / "nothing-here"))
    assert res.returncode != 0 and res.stdout == b""
    err = res.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err and "no index" in err
    res = run("index", str(tmp_path / "does-not-exist"), "--index", str(tmp_path / "ix"))
    assert res.returncode != 0 and "does-not-exist" in res.stderr.decode()
    assert "Traceback" not in res.stderr.decode()


def test_index_reports_what_it_did(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    write_article(folder, "one.txt", "A council meeting on the harbour lasted until midnight.")
    (folder / "broken.jsonl").write_text(
        '{"id": "ok", "text": "Fine record about ships."}\n{oops\n'
    )
    res = run("index", str(folder), "--index", str(tmp_path / "ix"), "--no-extract", "--json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["added"] == 2 and summary["skipped"] == 1
    assert any("broken.jsonl:2" in p for p in summary["problems"])
    assert "broken.jsonl:2" in res.stderr.decode()
    again = json.loads(
        run("index", str(folder), "--index", str(tmp_path / "ix"), "--no-extract", "--json").stdout
    )
    assert again["unchanged"] == 2 and again["added"] == 0


def test_index_defaults_to_the_env_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "c"
    write_article(folder, "one.txt", "Lighthouse keepers gathered on the pier at night.")
    monkeypatch.setenv("NEWSDESK_INDEX", str(tmp_path / "envix"))
    assert main(["index", str(folder), "--no-extract", "-q"]) == 0
    assert (tmp_path / "envix" / "newsdesk.json").exists()
    assert main(["search", "lighthouse", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["article_id"] == "one"


@pytest.mark.parametrize(
    ("argv", "index"),
    [
        (["--index", "/data/a", "index", "news.jsonl"], "/data/a"),  # before the subcommand
        (["index", "news.jsonl", "--index", "/data/b"], "/data/b"),  # after it
        (["--index", "/data/a", "search", "oil", "--index", "/data/b"], "/data/b"),  # last wins
        (["index", "news.jsonl"], None),  # neither: the default index
    ],
)
def test_the_index_option_counts_before_and_after_the_subcommand(
    argv: list[str], index: str | None
) -> None:
    from newsdesk.tui.cli import parser

    ns = parser().parse_args(argv)
    assert ns.index == index
    assert ns.engine is None


def test_an_index_given_before_the_subcommand_is_where_articles_go(tmp_path: Path) -> None:
    src = tmp_path / "news"
    write_article(src, "a.txt", "Boeing delivered its first jet to Qantas on Monday.")
    target = tmp_path / "chosen"
    assert main(["--index", str(target), "index", str(src), "--no-extract", "-q"]) == 0
    assert target.is_dir() and any(target.iterdir())
