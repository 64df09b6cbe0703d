"""The top of the screen: the corpus line, the search box, and the line of filters and messages."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from newsdesk.tui.history import History
from newsdesk.tui.keymap import SEARCH_KEYS, bindings
from newsdesk.tui.safe import one_line
from newsdesk.tui.widgets.inert import InertInput
from newsdesk.tui.widgets.marks import ERROR, MUTED, SUGGEST, TITLE


class TopBar(Widget):
    """'newsdesk · 163 articles · 1,204 passages · 2,311 entities · 918 facts' and the hit count."""

    counts: reactive[str] = reactive("opening the index…")
    hits: reactive[str] = reactive("")
    busy: reactive[bool] = reactive(False)

    def render(self) -> Content:
        left = Content.assemble(("newsdesk", TITLE), " · ", (self.counts, MUTED))
        right = Content("searching… " if self.busy else "") + Content(self.hits).stylize(TITLE)
        width = self.size.width
        gap = width - left.cell_length - right.cell_length
        if gap < 1:
            left = left.truncate(max(0, width - right.cell_length - 1), ellipsis=True)
            gap = max(1, width - left.cell_length - right.cell_length)
        return left + Content(" " * gap) + right


class SearchBox(InertInput):
    """The query; up/down move through the history, backspace when empty drops a filter.

    Whatever the value (typed, pasted, recalled from the history file), it is shown inert."""

    BINDINGS = bindings(SEARCH_KEYS)

    class PopFilter(Message):
        """Backspace in an empty box: remove the last entity filter."""

    def __init__(self, history: History, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='search: words, "a phrase", person:Name, date:[2023-01 TO 2023-12]',
            id=id,
            compact=True,
            select_on_focus=False,
        )
        self.history = history
        self.browsing = False

    async def _on_key(self, event: events.Key) -> None:
        """The slash never types: it selects the query, as it does from the panes (a new query
        replaces it; the arrows edit it). A slash means nothing in a query."""
        if event.key == "slash":
            event.stop()
            event.prevent_default()
            self.select_all()
            return
        await super()._on_key(event)

    def action_history(self, step: int) -> None:
        value = self.history.move(step, self.value)
        if value is None:
            self.app.bell()
            return
        self.browsing = True
        self.value = value
        self.cursor_position = len(self.value)

    def action_delete_left(self) -> None:
        if not self.value and self.cursor_position == 0:
            self.post_message(self.PopFilter())
            return
        super().action_delete_left()


class Chip(Static):
    """An entity filter; a click removes it."""

    @dataclass
    class Remove(Message):
        """The chip was clicked: remove its entity filter."""

        name: str

    def __init__(self, name: str, glyph: str) -> None:
        super().__init__(Content(f"entity:“{one_line(name, 40)}” {glyph} ✕"), classes="chip")
        self.entity_name = name

    def on_click(self) -> None:
        self.post_message(self.Remove(self.entity_name))


class MessageLine(Static):
    """An error, a 'did you mean' (a click applies it), or a note about the results."""

    @dataclass
    class Apply(Message):
        """The suggestion was clicked: search for it."""

        suggestion: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.suggestion: str | None = None

    def show(
        self,
        error: str | None = None,
        suggestion: str | None = None,
        note: str = "",
        key: str = "",
    ) -> None:
        flipped = bool(self.suggestion) != bool(suggestion)
        self.suggestion = suggestion
        if error:
            content = Content("✗ " + one_line(error)).stylize(ERROR)
        elif suggestion:
            content = Content.assemble(
                ("no hits · did you mean ", MUTED),
                (one_line(suggestion), SUGGEST),
                (f"  ({key} or click)" if key else "  (click)", MUTED),
            )
        else:
            content = Content(one_line(note)).stylize(MUTED)
        self.update(content)
        if flipped:  # the footer shows the 'did you mean' key only with a suggestion
            self.screen.refresh_bindings()

    def on_click(self) -> None:
        if self.suggestion:
            self.post_message(self.Apply(self.suggestion))


class FilterBar(Horizontal):
    """Entity filter chips, then the message line."""
