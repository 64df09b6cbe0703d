"""What the app does differently when `newsdesk serve` runs it for a browser.

`newsdesk serve` starts one app process per browser session with ``NEWSDESK_SERVE=1`` and
``NEWSDESK_EXPORT_DIR`` in its environment (see :mod:`newsdesk.tui.serve`). Under serve the person
at the browser is not necessarily the one who started the server, so the app:

- writes exports only into the export folder (``./newsdesk-exports`` under the folder `serve` was
  started from), by plain file name: no other folder, no ``..``, no path;
- does not open another index ("Open another index…" is refused).

This module is light (no aiohttp, no textual-serve): the app imports it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from pathlib import Path

SERVE_ENV = "NEWSDESK_SERVE"
EXPORT_DIR_ENV = "NEWSDESK_EXPORT_DIR"
SERVER_PID_ENV = "NEWSDESK_SERVER_PID"
EXPORT_FOLDER = "newsdesk-exports"


class NotAllowed(Exception):
    """What a browser session may not do."""


def served() -> bool:
    """Whether this app runs under `newsdesk serve`."""
    return os.environ.get(SERVE_ENV) == "1"


def end_with_server() -> None:
    """A served app ends when its server does, however the server ends (Linux): the server
    runs it directly (``exec``), so it asks for SIGTERM when its parent dies, and exits now if
    the server is already gone. Before, a server killed with a session open left its app
    running for good."""
    server = os.environ.get(SERVER_PID_ENV, "")
    if not served() or not server.isdigit():
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != int(server):
        os._exit(0)


def export_dir() -> Path:
    """The one folder a served app exports into."""
    env = os.environ.get(EXPORT_DIR_ENV)
    return Path(env) if env else Path.cwd() / EXPORT_FOLDER


def confine_export(name: str) -> Path:
    """The path in the export folder for a file name given in a served app; NotAllowed for
    anything but a plain file name (a folder, an absolute path, ``..``, a hidden name)."""
    name = name.strip()
    folder = export_dir()
    if not name or name != Path(name).name or name in (".", "..") or name.startswith("."):
        raise NotAllowed(f"exports go to {folder}: give a file name only")
    if "\x00" in name or os.sep in name or (os.altsep and os.altsep in name):
        raise NotAllowed(f"exports go to {folder}: give a file name only")
    folder.mkdir(parents=True, exist_ok=True)
    real = folder.resolve()
    path = real / name
    if path.is_symlink() or path.resolve().parent != real:
        raise NotAllowed(f"{name} is a link out of {folder}")
    return path
