"""One-line questions in a modal: a path to open or to export to, and a yes/no confirmation.

Every string shown here may come from the file system (a folder name, a path): the question is
shown as literal, printable Content and the answer is edited in an InertInput, so no control
character in it reaches the terminal.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from newsdesk.tui.safe import inert_line, one_line
from newsdesk.tui.widgets.inert import InertInput


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line; enter answers, esc cancels (None).

    The value is shown inert; answered unchanged, the original value is given back (a default
    path keeps its real characters even when they are shown as stand-ins)."""

    BINDINGS = [Binding("escape", "cancel", "cancel", id="prompt_cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-body") as body:
            body.border_subtitle = "enter ok · esc cancel"
            yield Static(Content(one_line(self.question)), id="prompt-question")
            yield InertInput(value=self.value, id="prompt-input", select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = self.value if event.value == inert_line(self.value) else event.value
        self.dismiss(answer.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y answers yes; n or esc no."""

    DEFAULT_CSS = "ConfirmScreen { align: center middle; }"
    BINDINGS = [
        Binding("y", "answer(True)", "yes", id="confirm_yes"),
        Binding("n", "answer(False)", "no", id="confirm_no"),
        Binding("escape", "answer(False)", "no", id="confirm_cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-body") as body:
            body.border_subtitle = "y yes · n or esc no"
            yield Static(Content(one_line(self.question)), id="prompt-question")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
