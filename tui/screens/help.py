"""The help screen: every key (as currently mapped), the marks, and the query syntax."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from newsdesk.tui.keymap import help_rows
from newsdesk.tui.widgets.marks import GLYPH, LABEL, MARK_CLASSES, MUTED, TITLE, TYPE_LABEL

SYNTAX = (
    ("cyber theft", "passages with both words (else either, ranked)"),
    ('"North Korea"', "an exact phrase"),
    ("crypto OR bitcoin", "either word; NOT, AND and (…) too"),
    ("theft*", "a prefix"),
    ("person:Neuberger", "a person (also org: place: misc: entity:)"),
    ('entity:"North Korea"', "any entity, by canonical name or alias"),
    ("date:[2023-01 TO 2023-12]", "a date range (date:2023, date:>2022)"),
    ("kind:quote", "passages with a fact of that kind (quote report event value)"),
    ("title:summit", "words in the title"),
)


KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "esc",
    "exclamation_mark": "!",
}


def key_text(keys: str) -> str:
    """Keys as people type them: '/', '?', 'N' (not 'shift+n' when 'N' is there too)."""
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    shown = []
    for k in parts:
        if k.startswith("shift+") and len(k) == 7 and k[-1].upper() in parts:
            continue
        shown.append(KEY_NAMES.get(k, k))
    return " ".join(shown)


def help_content(keymap: dict[str, str]) -> Content:
    lines: list[Content] = [Content("Keys").stylize(TITLE)]
    for key_id, default, text in help_rows():
        keys = key_text(keymap.get(key_id, default))
        lines.append(Content.assemble((f"  {keys:<11}", LABEL), (f"{key_id:<16} ", MUTED), text))
    lines.append(Content(""))
    lines.append(Content("Marks").stylize(TITLE))
    lines.append(Content.assemble(("  «word»", LABEL), "  a hit of the query"))
    glyphs = "  ".join(f"{GLYPH[t]} {TYPE_LABEL[t].lower()}" for t in GLYPH)
    lines.append(Content.assemble(("  name◆", LABEL), "  an entity mention: " + glyphs))
    lines.append(Content.assemble(("  ⟦…⟧", LABEL), "  the evidence of the selected fact"))
    lines.append(Content.assemble(("  ‹…›", LABEL), "  the time words of a fact"))
    lines.append(Content.assemble(("  ▌", LABEL), "  the selected passage (¶ its number)"))
    lines.append(Content(""))
    lines.append(Content("Query syntax").stylize(TITLE))
    for example, text in SYNTAX:
        lines.append(Content.assemble((f"  {example:<28}", LABEL), text))
    lines.append(Content(""))
    lines.append(
        Content(
            'Keys can be remapped in config.toml ([keys] id = "key"); '
            "ctrl+p opens the command palette."
        ).stylize(MUTED)
    )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Keys and query syntax; any of esc, ?, f1, q closes it."""

    COMPONENT_CLASSES = MARK_CLASSES

    BINDINGS = [
        Binding("escape,question_mark,f1,q", "close", "close", id="help_close"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "help"
            body.border_subtitle = "esc close"
            yield Static(help_content(self.keymap), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=step, animate=False)
