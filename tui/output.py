"""Human output of the command line: article text printed literally, hits marked.

Article text goes through :func:`index.safe.printable` and into ``rich.text.Text`` objects, so
neither Rich markup nor terminal escape sequences in an article take effect. On a terminal hits
are bold and underlined; otherwise (a pipe, a file, ``NO_COLOR``) they are marked «like this».
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.text import Text

from newsdesk.index.seam import Span
from newsdesk.tui.safe import printable


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich exits with status 1 here; a closed pipe is cli.main's to end (quietly, 0)."""
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def console(file: TextIO | None = None) -> Console:
    out = file or sys.stdout
    return _Console(
        file=out,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=not out.isatty(),
        no_color=bool(os.environ.get("NO_COLOR")) or None,
    )


def marked(text: str, spans: Sequence[Span], con: Console) -> Text:
    """Text with spans marked: styled on a colour terminal, «bracketed» elsewhere."""
    safe = printable(text)
    styled = con.is_terminal and not con.no_color
    out = Text()
    pos = 0
    for s in spans:
        out.append(safe[pos : s.start])
        if styled:
            out.append(safe[s.start : s.end], style="bold underline")
        else:
            out.append("«" + safe[s.start : s.end] + "»")
        pos = s.end
    out.append(safe[pos:])
    return out


def flat(text: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
    """Newlines and runs of spaces folded to one space, spans moved to match."""
    out: list[str] = []
    mapping: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            ch = " "
            prev_space = True
        else:
            prev_space = False
        mapping.append(i)
        out.append(ch)
    mapping.append(len(text))
    index = {orig: new for new, orig in enumerate(mapping)}

    def at(pos: int) -> int:
        while pos not in index and pos < len(text):
            pos += 1
        return index.get(pos, len(out))

    return "".join(out), [Span(at(s.start), at(s.end)) for s in spans]
