"""An Input whose value is always inert: no control character ever reaches the terminal.

Textual's Input renders its value as a Rich ``Text``, which keeps ESC and the other control
characters: a value taken from a folder name, the history or the config (or pasted) could set the
terminal's title or write its clipboard. The value is made printable when it is set, by whatever
means (the constructor, code, typing, a paste), keeping its length so the cursor stays put.
"""

from __future__ import annotations

from textual.widgets import Input

from newsdesk.tui.safe import inert_line


class InertInput(Input):
    """A one-line Input that never holds a control character."""

    def _validate_value(self, value: str) -> str:
        return inert_line(value)
