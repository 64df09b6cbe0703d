"""Shared fixtures. Sections are owned by different parts of the suite; append, don't rewrite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"

# --- engine fixtures ---


def write_article(
    folder: Path,
    name: str,
    body: str,
    date: str | None = None,
    title: str | None = None,
    source: str = "",
) -> Path:
    """A header-format article file (the format of ../shared/corpora)."""
    folder.mkdir(parents=True, exist_ok=True)
    head = []
    if date:
        head.append(f"date {date}")
    if title:
        head.append(f"title: {title}")
    if source:
        head.append(f"source: {source}")
    text = ("\n".join(head) + "\n\n" if head else "") + body
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user's index, config or history."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("NEWSDESK_INDEX", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield


def corpora_or_skip(name: str) -> Path:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"{path} is not here (a fresh clone has no ../shared)")
    return path


os.environ.setdefault("NEWSDESK_TEST", "1")


@pytest.fixture
def fake_nlp(monkeypatch: pytest.MonkeyPatch):
    """Extraction by the fake extractor in tests/fake_extraction.py (no spaCy)."""
    from newsdesk.index import build as index_build
    from newsdesk.index.extract import analyze as index_analyze

    from .fake_extraction import fake_batch

    monkeypatch.setattr(index_analyze, "analyze_batch", fake_batch)
    monkeypatch.setattr(index_build, "extraction_mode", lambda: "fake")
    yield


# --- app fixtures ---
# The app's tests (tests/test_app*.py, test_snapshots.py, test_tmux.py) share one small index built
# once per session from tests/fixtures/app, with the fake extractor (fixed entities and facts: no
# spaCy, and snapshots that do not move when the real extractors change), plus two generated
# articles: one full of Rich markup and terminal escapes, one with enough passages to page.

APP_FIXTURES = Path(__file__).parent / "fixtures" / "app"

HOSTILE_TITLE = "[bold red]Loud[/] \x1b[2J title [@click=app.quit]x[/]"
HOSTILE_BODY = (
    "Injected [link=file:///etc/passwd]passwd[/link] and [@click=app.quit]quit[/] in the cyber "
    "text.\n\n"
    "Escapes: \x1b[31mred\x1b[0m and \x1b]52;c;aGk=\x07 and a bell \x07 near the cyber mark."
)
LEDGER_PASSAGES = 130


def write_app_corpus(folder: Path) -> Path:
    """The app's test corpus in folder: the fixture texts and the two generated articles."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(APP_FIXTURES.glob("*.txt")):
        (folder / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    write_article(folder, "hostile.txt", HOSTILE_BODY, date="2023-12-01", title=HOSTILE_TITLE)
    body = "\n\n".join(
        f"Entry {i}: the ledger records payment number {i}, made to a supplier of office paper "
        "and printer ink for the regional branch."
        for i in range(1, LEDGER_PASSAGES + 1)
    )
    write_article(folder, "ledger.txt", body, date="2021-05-05", title="The long ledger")
    return folder


@pytest.fixture(scope="session")
def app_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the app corpus, extracted by tests/fake_extraction.py."""
    from newsdesk.index import build as index_build
    from newsdesk.index.extract import analyze as index_analyze

    from .fake_extraction import fake_batch

    root = tmp_path_factory.mktemp("app")
    corpus = write_app_corpus(root / "corpus")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_analyze, "analyze_batch", fake_batch)
        mp.setattr(index_build, "extraction_mode", lambda: "fake")
        index_build.build(root / "ix", [corpus], extract=True, workers=1)
    return root / "ix"


async def settle(pilot, rounds: int = 200) -> None:
    """Wait until the app is idle: the index open, no search pending, every worker done."""
    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one
            continue
        await pilot.pause(0.01)
        screen = app.screen_stack[0]
        pending = (
            getattr(screen, "_debounce", None) is not None
            or getattr(screen, "_open_timer", None) is not None
        )
        busy = getattr(getattr(screen, "topbar", None), "busy", False)
        running = any(not w.is_finished for w in app.workers)
        opening = getattr(app, "engine", None) is None and not getattr(screen, "failed", False)
        # a message not yet handled (a hit highlighted by new results, whose handler starts the
        # passage's load) means more is to come: on a loaded machine it can wait a while
        queued = any(
            not node._message_queue.empty() for node in (app, *screen.walk_children(with_self=True))
        )
        if not (pending or busy or running or opening or queued):
            await pilot.pause(0.01)
            return
    raise AssertionError("the app did not settle")


@pytest.fixture
def make_app(app_index: Path, tmp_path: Path):
    """A factory of apps on the test index, with their own history file and no index polling."""
    from newsdesk.tui.app import NewsdeskApp

    def make(index_dir: Path | None = None, **kw: object) -> NewsdeskApp:
        kw.setdefault("history_file", tmp_path / "history.jsonl")
        kw.setdefault("watch_seconds", None)
        kw.setdefault("config_path", tmp_path / "config.toml")
        app = NewsdeskApp(index_dir or app_index, **kw)
        return app

    return make


# --- OpenSearch fixtures ---
# The two-node test cluster (tests/opensearch_cluster.py): `opensearch_cluster`, `opensearch_url`.
from .opensearch_cluster import opensearch_cluster, opensearch_url  # noqa: E402, F401
