"""Walking: the files to read under the given paths, folders recursively in sorted name order,
with a Problem for what cannot be read (broken symbolic links, link loops, special files,
unreadable folders); hidden entries are ignored and each folder is read once.

A symbolic link inside a given folder is followed only while it stays inside that folder (its
real path under the folder's real path): a link to ``/etc`` in a corpus is skipped with a
warning, never read. A path given on the command line is followed wherever it points."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from newsdesk.index.ingest.problems import Problem


class Found(NamedTuple):
    """A regular file to read: its path, whether it was found inside a folder, and its size."""

    path: str
    in_folder: bool
    size: int


def check_top(path: str | Path) -> str | None:
    """Why a top-level path cannot be read at all (for a SourceError), or None."""
    try:
        os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"broken symbolic link: {path}"
        return f"no such file or folder: {path}"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return f"symbolic link loop: {path}"
        return f"cannot access {path}: {e.strerror}"
    return None


def walk(paths: Sequence[str]) -> Iterator[Found | Problem]:
    """The regular files under ``paths`` (in order, folders recursively), and Problems.

    Hidden files and folders (``.name``) inside folders are ignored silently. Folders are
    tracked by real path, so one reached again through a symbolic link is a Problem; so is a
    link inside a folder that leads out of it.
    """
    visited: set[str] = set()
    for path in paths:
        yield from _walk_any(path, visited, in_folder=False, root=os.path.realpath(path))


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _walk_any(
    path: str, visited: set[str], in_folder: bool, root: str
) -> Iterator[Found | Problem]:
    if in_folder and os.path.islink(path):
        real = os.path.realpath(path)
        if not _inside(real, root):
            yield Problem(
                path, None, f"symbolic link out of the indexed folder (to {real}), skipped", True
            )
            return
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            yield Problem(path, None, "broken symbolic link, skipped", True)
        else:
            yield Problem(path, None, "disappeared while reading, skipped", True)
        return
    except OSError as e:
        if e.errno == errno.ELOOP:
            yield Problem(path, None, "symbolic link loop, skipped", True)
        else:
            yield Problem(path, None, f"cannot read: {e.strerror}, skipped", True)
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk_dir(path, visited, root)
    elif stat.S_ISREG(st.st_mode):
        yield Found(path, in_folder, st.st_size)
    else:
        yield Problem(path, None, "not a regular file (device, FIFO or socket), skipped", True)


def _walk_dir(path: str, visited: set[str], root: str) -> Iterator[Found | Problem]:
    real = os.path.realpath(path)
    if real in visited:
        yield Problem(path, None, f"symbolic link to a folder already read ({real}), skipped", True)
        return
    visited.add(real)
    try:
        with os.scandir(path) as it:
            names = sorted(entry.name for entry in it)
    except OSError as e:
        yield Problem(path, None, f"cannot read folder: {e.strerror}, skipped", True)
        return
    for name in names:
        if name.startswith("."):
            continue
        yield from _walk_any(os.path.join(path, name), visited, in_folder=True, root=root)
