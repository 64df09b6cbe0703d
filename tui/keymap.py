"""The app's keys: every action with an id, its default keys and a description, plus the config file.

The config file is TOML in the per-user config folder (``newsdesk/config.toml`` under
``platformdirs.user_config_path``; ``$NEWSDESK_CONFIG`` names another file)::

    [keys]            # binding id = "key" or "key1,key2" (Textual key names)
    search = "/"
    next_hit = "n"
    copy = "y"

    [ui]
    theme = "textual-light"   # any Textual theme: ansi-dark and ansi-light use the terminal's 16 colours

Unknown ids, bad values and TOML errors are reported as warnings; the app still starts.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import attrs
from textual.binding import Binding, BindingType

APP_NAME = "newsdesk"


@attrs.frozen(slots=True)
class Key:
    id: str
    keys: str  # Textual key names, comma separated
    action: str
    description: str  # short, for the footer
    help: str  # one line for the help screen
    show: bool = True  # in the footer
    display: str | None = None  # how the footer shows the key


# Where each binding lives: "screen" (the main screen: works from every pane, not while typing a
# printable key in the search box), or a widget's own list. Order is the help screen's order.
SCREEN_KEYS: tuple[Key, ...] = (
    Key("search", "slash", "focus_search", "search", "Go to the search box"),
    Key("next_pane", "tab", "next_pane", "pane", "Next pane", show=False),
    Key("prev_pane", "shift+tab", "prev_pane", "pane", "Previous pane", show=False),
    Key(
        "open",
        "enter",
        "open",
        "open",
        "Open the hit / filter by the entity / show evidence",
        False,
    ),
    Key("next_hit", "n", "next_hit", "next hit", "Next hit in the passage", show=False),
    Key("prev_hit", "N,shift+n", "prev_hit", "prev hit", "Previous hit in the passage", show=False),
    Key("prev_tab", "left_square_bracket", "entity_tab(-1)", "tab", "Previous entity tab", False),
    Key("next_tab", "right_square_bracket", "entity_tab(1)", "tab", "Next entity tab", False),
    Key("filter", "e", "filter_entity", "filter", "Filter by the selected entity"),
    Key("unfilter", "backspace", "unfilter", "unfilter", "Remove the last entity filter", False),
    Key("facts", "f", "facts", "facts", "Facts of the selected passage or entity"),
    Key("evidence", "v", "evidence", "evidence", "Show the selected fact's evidence"),
    Key("copy", "c", "copy_citation", "copy", "Copy a citation (OSC 52, works over SSH)"),
    Key("suggest", "ctrl+s", "apply_suggestion", "did you mean", "Use the spelling suggestion"),
    Key("refresh", "r", "refresh_index", "refresh", "Reload the index", show=False),
    Key("export", "x", "export_menu", "export", "Export results, entities or facts", show=False),
    Key(
        "toggle_entities",
        "E,shift+e",
        "toggle_pane('entities')",
        "entities",
        "Show/hide entities",
        False,
    ),
    Key("toggle_facts", "F,shift+f", "toggle_pane('facts')", "fact pane", "Show/hide facts", False),
    Key("back", "escape", "back", "back", "Back: close, leave the pane, drop a filter", False),
    Key("help", "question_mark,f1", "help", "help", "This help", display="?"),
)
LIST_KEYS: tuple[Key, ...] = (
    Key("down", "j", "cursor_down", "down", "Down (also ↓)", show=False),
    Key("up", "k", "cursor_up", "up", "Up (also ↑)", show=False),
    Key("first", "g", "first", "first", "First (also Home)", show=False),
    Key("last", "G,shift+g", "last", "last", "Last (also End)", show=False),
)
PASSAGE_KEYS: tuple[Key, ...] = (
    Key("down", "j", "scroll_down", "down", "Scroll down", show=False),
    Key("up", "k", "scroll_up", "up", "Scroll up", show=False),
    Key("first", "g", "scroll_home", "top", "Top", show=False),
    Key("last", "G,shift+g", "scroll_end", "bottom", "Bottom", show=False),
)
SEARCH_KEYS: tuple[Key, ...] = (
    Key("history_prev", "up", "history(-1)", "history", "Previous query", show=False),
    Key("history_next", "down", "history(1)", "history", "Next query", show=False),
)
APP_KEYS: tuple[Key, ...] = (
    Key("palette", "ctrl+p", "command_palette", "palette", "Command palette", show=False),
    Key("quit", "ctrl+q", "quit", "quit", "Quit", display="^q"),
)


def bindings(keys: tuple[Key, ...], priority: bool = False) -> list[BindingType]:
    return [
        Binding(
            k.keys,
            k.action,
            k.description,
            show=k.show,
            key_display=k.display,
            id=k.id,
            tooltip=k.help,
            priority=priority,
        )
        for k in keys
    ]


def help_rows() -> list[tuple[str, str, str]]:
    """(id, default keys, help) for every action, in help order."""
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for k in (*SCREEN_KEYS, *LIST_KEYS, *SEARCH_KEYS, *APP_KEYS):
        if k.id in seen:
            continue
        seen.add(k.id)
        rows.append((k.id, k.keys, k.help))
    return rows


ALL_IDS = frozenset(k.id for k in (*SCREEN_KEYS, *LIST_KEYS, *SEARCH_KEYS, *APP_KEYS))


@attrs.frozen(slots=True)
class Config:
    keymap: dict[str, str] = attrs.Factory(dict)
    theme: str | None = None
    problems: tuple[str, ...] = ()


def config_path() -> Path:
    from newsdesk.tui.paths import config_file

    return config_file()


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file is the default config, a bad one a list of problems."""
    path = path or config_path()
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        return Config(problems=(f"{path}: {exc}",))
    problems: list[str] = []
    keymap: dict[str, str] = {}
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problems.append(f"{path}: [keys] must be a table")
        keys = {}
    for name, value in keys.items():
        if name not in ALL_IDS:
            problems.append(f"{path}: unknown key id {name!r}")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: keys.{name} must be a non-empty string")
        else:
            keymap[name] = ",".join(part.strip() for part in value.split(","))
    theme = None
    ui = data.get("ui", {})
    if isinstance(ui, dict) and isinstance(ui.get("theme"), str):
        theme = ui["theme"]
    return Config(keymap=keymap, theme=theme, problems=tuple(problems))
