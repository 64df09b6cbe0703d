"""The app's keys: every action with an id, its default keys and a description, plus the config file.

The config file is TOML in the per-user config folder (``newsdesk/config.toml`` under
``platformdirs.user_config_path``; ``$NEWSDESK_CONFIG`` names another file)::

    [keys]            # binding id = "key" or "key1,key2" (Textual key names)
    search = "/"
    next_hit = "n"
    copy = "y"

    [ui]
    theme = "textual-light"   # any Textual theme: ansi-dark and ansi-light use the terminal's 16 colours

Unknown ids, bad values and TOML errors are reported as warnings; the app still starts. Each key
is checked: a name Textual does not know (``keys.copy: unknown key 'blah'``) is reported and
dropped, and so is a key for a global action (quit, the palette: bindings that win over the
focused widget) that typing in the search box needs — a printable character such as ``j``, or
enter, backspace, the arrows and the box's editing keys. A binding left with no valid key keeps
its default keys.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import attrs
from textual.binding import Binding, BindingType
from textual.keys import REPLACED_KEYS, Keys, key_to_character

from newsdesk.tui.safe import one_line

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
    # checked by the app before it hands the key to a widget: the keys after one that moves the
    # focus (/, tab) then reach the new focus, even typed in one burst (a paste, a fast typist)
    priority: bool = False


# Where each binding lives: "screen" (the main screen: works from every pane, not while typing a
# printable key in the search box), or a widget's own list. Order is the help screen's order.
SCREEN_KEYS: tuple[Key, ...] = (
    Key(
        "search",
        "slash",
        "focus_search",
        "search",
        "Search mode: the box, its query selected (type to replace it)",
        priority=True,
    ),
    Key("next_pane", "tab", "next_pane", "pane", "Next pane", show=False, priority=True),
    Key("prev_pane", "shift+tab", "prev_pane", "pane", "Previous pane", show=False, priority=True),
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
    Key("facts_table", "t", "facts_table", "facts table", "Facts of all hits: who said what, when"),
    Key("copy", "c", "copy_citation", "copy", "Copy a citation (OSC 52, works over SSH)"),
    Key(
        "source",
        "o",
        "open_source",
        "source",
        "Open the article's source URL (over SSH: the URL is copied)",
        False,
    ),
    Key(
        "copies",
        "C,shift+c",
        "show_copies",
        "copies",
        "The hit's copies (its +N near-duplicates): enter opens one, esc back",
    ),
    Key("merge", "m", "merge_entity", "merge", "Entities: merge it into another (a picker)", False),
    Key("hide_entity", "h", "hide_entity", "hide", "Entities: hide it from every view", False),
    Key("retype", "T,shift+t", "retype_entity", "type", "Entities: change its type (tab)", False),
    Key("split", "a", "split_alias", "split", "Entities: split an alias off it", False),
    Key(
        "flag",
        "exclamation_mark",
        "flag_fact",
        "flag",
        "Facts: flag it as wrong (hidden; ctrl+p › Corrections undoes)",
        False,
    ),
    Key("suggest", "ctrl+s", "apply_suggestion", "did you mean", "Use the spelling suggestion"),
    Key("compact", "z", "toggle_compact", "compact", "Results: one line a hit / with snippets"),
    Key("sort", "s", "cycle_sort", "sort", "Results: by relevance, newest first, by article"),
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
            priority=priority or k.priority,
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
# Bindings that win over the focused widget (priority): on a key the search box needs, typing
# that key in the box would run the action instead.
# (The search key is one too, but the main screen turns it off while the box has the focus, so
# the box gets its key: any key may go there.)
GLOBAL_IDS = frozenset(k.id for k in APP_KEYS) | frozenset(
    k.id for k in SCREEN_KEYS if k.priority and k.id != "search"
)
# keys a global action may take though the box lists them: the box never types a tab
BOX_SPARES = {"next_pane": frozenset({"tab"}), "prev_pane": frozenset({"shift+tab"})}
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED = frozenset(k.value for k in Keys if "+" not in k.value and not k.value.startswith("<"))


def check_key(key: str) -> str | None:
    """Why key is not a key name Textual knows (None when it is)."""
    *mods, base = key.split("+")
    bad = [m for m in mods if m not in MODIFIERS]
    if bad:
        return f"unknown modifier {bad[0]!r}"
    if len(set(mods)) != len(mods):
        return "a modifier given twice"
    if not base:
        return "no key after the modifiers"
    if len(base) == 1:
        return None if base.isprintable() and not base.isspace() else "not a printable character"
    if base in _NAMED or _character(base) is not None:
        return None
    return "unknown key"


def _character(name: str) -> str | None:
    """The character a key name stands for ('slash' → '/'), or None."""
    return key_to_character(REPLACED_KEYS.get(name, name))


@cache
def typing_keys() -> frozenset[str]:
    """Keys the search box uses: its editing bindings, enter, and up/down for the history."""
    from textual.widgets import Input

    keys = {"enter", "up", "down", "backspace", "delete", "tab"}
    for b in Input.BINDINGS:
        if isinstance(b, Binding):
            keys.update(part.strip() for part in b.key.split(","))
    return frozenset(keys)


def types_in_the_box(key: str) -> bool:
    """Whether pressing key in the search box types or edits (a printable character, shifted
    or not, or one of the box's own keys)."""
    *mods, base = key.split("+")
    if set(mods) <= {"shift"}:
        char = base if len(base) == 1 else _character(base)
        if char is not None and char.isprintable():
            return True
    return key in typing_keys()


def _check_binding(name: str, value: str, where: Path) -> tuple[list[str], list[str]]:
    """The valid keys of one binding and the problems of the others."""
    keys: list[str] = []
    problems: list[str] = []
    for raw in value.split(","):
        key = raw.strip()
        if not key:
            continue
        why = check_key(key)
        if why is not None:
            problems.append(f"{where}: keys.{name}: {why} in {key!r}; ignored")
        elif (
            name in GLOBAL_IDS
            and types_in_the_box(key)
            and key not in BOX_SPARES.get(name, frozenset())
        ):
            problems.append(
                f"{where}: keys.{name}: {key!r} is needed for typing in the search box "
                f"and {name} works everywhere; ignored"
            )
        else:
            keys.append(key)
    return keys, problems


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
        return Config(problems=(one_line(f"{path}: {exc}"),))
    problems: list[str] = []
    keymap: dict[str, str] = {}
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problems.append(f"{path}: [keys] must be a table")
        keys = {}
    for name, value in keys.items():
        if name not in ALL_IDS:
            problems.append(f"{path}: unknown binding id {name!r}")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: keys.{name} must be a non-empty string")
        else:
            good, bad = _check_binding(name, value, path)
            problems.extend(bad)
            if good:
                keymap[name] = ",".join(good)
            elif bad:
                problems.append(f"{path}: keys.{name}: no usable key, the default stays")
    theme = None
    ui = data.get("ui", {})
    if isinstance(ui, dict) and isinstance(ui.get("theme"), str):
        theme = ui["theme"]
    # paths and names from the file system and the config are shown inert
    return Config(keymap=keymap, theme=theme, problems=tuple(one_line(p) for p in problems))
