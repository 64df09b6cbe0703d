"""Article text is data: make it safe to print on a terminal.

The same goes for every other string the app did not write itself: paths and folder names, ids,
queries from the history, values from the config file.

Control characters (C0 except newline and tab, DEL, C1) would let an article drive the user's
terminal (clear the screen, write the clipboard through OSC 52, ring the bell). They are replaced
with visible stand-ins: C0 by the Unicode control pictures (ESC shows as ␛), DEL by ␡ and C1 by
the replacement character. Rich markup needs no escaping here because the app and the command line
only ever build ``Text`` objects from article text, never parse it as markup.
"""

from __future__ import annotations

_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x0A, 0x09)}
_TABLE[0x7F] = "\u2421"
_TABLE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
# Unicode line/paragraph separators and bidi overrides can reorder or break lines on a terminal.
_TABLE.update({c: "\ufffd" for c in (0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E)})
_TABLE.update({c: "\ufffd" for c in (0x2066, 0x2067, 0x2068, 0x2069)})


def printable(text: str) -> str:
    """The text with every terminal control character made visible and inert (same length)."""
    return text.translate(_TABLE)


_LINE_TABLE = {**_TABLE, 0x0A: " ", 0x09: " "}


def inert_line(text: str) -> str:
    """Printable text for a one-line field (an Input): newlines and tabs as spaces, same length."""
    return text.translate(_LINE_TABLE)


def one_line(text: str, width: int | None = None) -> str:
    """Printable text on one line (newlines and tabs as spaces), cut to width with an ellipsis."""
    flat = " ".join(printable(text).split())
    if width is not None and len(flat) > width:
        return flat[: max(0, width - 1)].rstrip() + "…"
    return flat
