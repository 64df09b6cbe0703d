"""A one-line question in a modal: a path to open or to export to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from newsdesk.tui.safe import one_line


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line; enter answers, esc cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "cancel", id="prompt_cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-body") as body:
            body.border_subtitle = "enter ok · esc cancel"
            yield Static(Content(one_line(self.question)), id="prompt-question")
            yield Input(value=self.value, id="prompt-input", select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
