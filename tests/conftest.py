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
    import index.analyze
    import index.build

    from .fake_extraction import fake_batch

    monkeypatch.setattr(index.analyze, "analyze_batch", fake_batch)
    monkeypatch.setattr(index.build, "extraction_mode", lambda: "fake")
    yield
