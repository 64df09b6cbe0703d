"""`o` opens the article's source URL (issue 14): in a browser where there is one beside the
terminal or under serve, copied over SSH; only http(s) addresses ever reach a browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.index.build import build
from newsdesk.index.model import Article
from newsdesk.tui.screens import reading
from newsdesk.tui.screens.main import MainScreen
from newsdesk.tui.screens.reading import source_url

from .conftest import settle as settle_app

WIDE = (130, 40)


@pytest.fixture
def web_index(tmp_path: Path) -> Path:
    rows = [
        {"id": "web", "date": "2024-03-01", "title": "Harbour reopens",
         "source": "https://news.example.org/harbour", "text": "The harbour reopened today."},
        {"id": "local", "date": "2024-03-02", "title": "Harbour fees",
         "source": "a printed leaflet", "text": "Harbour fees rise in April."},
    ]  # fmt: skip
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    build(tmp_path / "ix", [corpus], extract=False)
    return tmp_path / "ix"


async def open_hit(pilot, article: str) -> MainScreen:  # type: ignore[no-untyped-def]
    await settle_app(pilot)
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    screen.search_box.focus()
    screen.search_box.value = "harbour"
    await settle_app(pilot)
    await pilot.press("tab")  # NAVIGATE mode, on the results
    screen.results.highlighted = next(
        i for i, h in enumerate(screen.results.hits) if h.article_id == article
    )
    await pilot.press("enter")
    await settle_app(pilot)
    assert screen.doc is not None and screen.doc.article.id == article
    return screen


def urls_opened(app, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The addresses the app asks a browser to open, recorded instead."""
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    return opened


async def press_o_on(pilot, article: str) -> None:  # type: ignore[no-untyped-def]
    await open_hit(pilot, article)
    await pilot.press("o")
    await pilot.pause()


@pytest.mark.asyncio
async def test_o_opens_the_source_in_a_browser_when_there_is_one(
    make_app, web_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "has_desktop", lambda: True)
    app = make_app(web_index)
    opened = urls_opened(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        await press_o_on(pilot, "web")
    assert opened == ["https://news.example.org/harbour"]


@pytest.mark.asyncio
async def test_over_ssh_the_url_is_copied_instead(
    make_app, web_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(web_index)
    opened = urls_opened(app, monkeypatch)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        await press_o_on(pilot, "web")
    assert opened == [] and copied == ["https://news.example.org/harbour"]


@pytest.mark.asyncio
async def test_an_article_without_a_web_address_says_so(
    make_app, web_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "has_desktop", lambda: True)
    app = make_app(web_index)
    opened = urls_opened(app, monkeypatch)
    async with app.run_test(size=WIDE) as pilot:
        await press_o_on(pilot, "local")
        shown = [n.message for n in app._notifications]
    assert opened == [] and any("no web address" in m for m in shown)


def test_only_web_addresses_are_opened() -> None:
    def art(url: str = "", source: str = "") -> Article:
        return Article("a", "t", None, source, "", "f", "text", url=url)

    assert source_url(art(url="https://x.example/a")) == "https://x.example/a"
    assert source_url(art(source="http://x.example/b")) == "http://x.example/b"
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "https://x.example/\x1b]0;t", ""):
        assert source_url(art(url=bad, source=bad)) is None
