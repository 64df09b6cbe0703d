"""Pane borders show (issue 14: "`newsdesk serve` draws no pane borders"). They were drawn, in a
browser as in a terminal, but in Textual's dark theme a blurred border is the surface darkened by
2.5 %: a line nobody sees. The panes' border colour (``$pane-border``) stands out from their
background in every theme with colours of its own. (Checked in Chromium on `newsdesk serve`; no
browser test here: it would wait on the page by time.)"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.color import Color

import newsdesk.tui.app as tui_app
from newsdesk.tui.app import PANE_BORDER_CONTRAST, pane_border


def test_a_pane_border_stands_out_from_the_pane_in_every_theme() -> None:
    app = App[None]()
    for name in app.available_themes:
        app.theme = name
        variables = app.get_css_variables()
        border = Color.parse(pane_border(variables))
        surface = Color.parse(variables["surface"])
        if border.ansi is not None or surface.ansi is not None or surface.a == 0:
            continue  # the terminal's own colours
        assert abs(border.brightness - surface.brightness) >= PANE_BORDER_CONTRAST * 0.99, name


def test_a_theme_whose_blurred_border_shows_keeps_it() -> None:
    variables = {"border-blurred": "#585b70", "surface": "#313244", "foreground": "#cdd6f4"}
    assert pane_border(variables) == "#585b70"
    variables.update({"border-blurred": "#191919", "surface": "#1e1e1e", "foreground": "#e0e0e0"})
    assert pane_border(variables) != "#191919"
    assert pane_border({"border-blurred": "ansi_black", "surface": "transparent"}) == "ansi_black"


def test_the_panes_are_drawn_in_it() -> None:
    css = (Path(tui_app.__file__).parent / "app.tcss").read_text(encoding="utf-8")
    assert "$border-blurred" not in css and css.count("$pane-border") >= 3
