"""The copies of a hit: the other articles of its near-duplicate group (the "+N copies" a hit
folds in), one row each — date, publisher or source, title, capture date, where it was read.

Opened from the results with the ``copies`` key (``C``); ``enter`` closes it on the chosen copy,
which the main screen then opens in the passage view; ``escape`` goes back. The rows come from
``Reader.copies``. Every cell is article text: shown as rich ``Text`` (never parsed as markup),
made printable.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from newsdesk.index.model import Article
from newsdesk.tui.safe import one_line

COLUMNS = ("Date", "Publisher", "Title", "Captured", "Where")


def publisher(article: Article) -> str:
    """Who published it: the publisher when known, else the source line."""
    return article.publisher or article.source


def where(article: Article) -> str:
    """Where it was read: the URL, else the file and its record (entry, message, page)."""
    if article.url:
        return article.url
    place = article.path.rsplit("/", 1)[-1] if article.path else article.id
    return f"{place} · {article.locator}" if article.locator else place


class CopiesTable(DataTable[Text]):
    BINDINGS = [
        Binding("j", "cursor_down", "down", show=False),
        Binding("k", "cursor_up", "up", show=False),
        Binding("g", "scroll_top", "first", show=False),
        Binding("G,shift+g", "scroll_bottom", "last", show=False),
    ]


class CopiesScreen(Screen[Article | None]):
    """The copies of one hit; dismissed with the copy to open (or None)."""

    BINDINGS = [
        Binding("enter", "open", "open"),
        Binding("escape", "back", "back"),
        Binding("q", "back", "close", show=False),
    ]

    def __init__(self, shown: Article, copies: Sequence[Article]) -> None:
        super().__init__()
        self.shown = shown
        self.copies = list(copies)

    def compose(self) -> ComposeResult:
        yield Static(id="copies-title", markup=False)
        yield CopiesTable(id="copies-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        n = len(self.copies)
        title = one_line(self.shown.title or self.shown.id, 60)
        src = one_line(publisher(self.shown), 30)
        head = f"{n:,} cop{'y' if n == 1 else 'ies'} of “{title}”"
        head += f" ({src}, {self.shown.date or 'undated'})" if src else ""
        self.query_one("#copies-title", Static).update(
            head + " · enter opens one in the passage · esc back"
        )
        table = self.query_one(CopiesTable)
        for name in COLUMNS:
            table.add_column(name, key=name.lower())
        for a in self.copies:
            table.add_row(
                Text(one_line(a.date or "—", 12)),
                Text(one_line(publisher(a) or "—", 30)),
                Text(one_line(a.title or a.id, 70)),
                Text(one_line((a.captured or "")[:10] or "—", 12)),
                Text(one_line(where(a), 60)),
                key=a.id,
            )
        table.focus()

    @property
    def current(self) -> Article | None:
        row = self.query_one(CopiesTable).cursor_row
        return self.copies[row] if 0 <= row < len(self.copies) else None

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        article = self.current
        if article is None:
            self.app.bell()
            return
        self.dismiss(article)

    def action_back(self) -> None:
        self.dismiss(None)
