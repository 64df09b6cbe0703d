"""An index folder on disk: the format stamp, opening and creating the four Whoosh indexes, and
the one-writer lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index

from newsdesk.index.errors import IndexBusy, IndexMissing, IndexVersionMismatch, NewsdeskError
from newsdesk.index.store.schema import INDEXES, SCHEMAS

# The on-disk format; a folder of another version is refused with the command that rebuilds it.
FORMAT_VERSION = 1
STAMP = "newsdesk.json"
LOCK = "newsdesk-write.lock"
# The lock's descriptors held by this process. A forked child (extraction workers, Whoosh's writer
# processes) closes them at once: an flock belongs to the open file, so a child that outlived a
# killed writer would otherwise keep the index locked.
_HELD: set[int] = set()


def _close_held() -> None:
    while _HELD:
        os.close(_HELD.pop())


os.register_at_fork(after_in_child=_close_held)


def read_stamp(path: Path) -> dict[str, Any]:
    stamp = path / STAMP
    if not stamp.exists():
        if path.exists() and any(path.iterdir()):
            raise IndexVersionMismatch(
                f"{path} is not a newsdesk index (no {STAMP}); "
                "point --index at an empty or new folder"
            )
        raise IndexMissing(
            f"no index at {path}: build one with `newsdesk index PATH --index {path}`"
        )
    try:
        data: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NewsdeskError(f"{stamp}: unreadable index stamp ({exc})") from exc
    version = data.get("format")
    if version != FORMAT_VERSION:
        raise IndexVersionMismatch(
            f"the index at {path} has format {version}, this newsdesk reads format "
            f"{FORMAT_VERSION}: rebuild it with `rm -r {path} && newsdesk index PATH --index {path}`"
        )
    return data


def write_stamp(path: Path, **extra: Any) -> None:
    data: dict[str, Any] = {"format": FORMAT_VERSION}
    with contextlib.suppress(NewsdeskError):
        data.update(read_stamp(path))
    data.update(extra)
    data["format"] = FORMAT_VERSION
    tmp = path / (STAMP + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path / STAMP)


def open_indexes(path: Path) -> dict[str, Any]:
    """Open the four indexes of an existing newsdesk index folder (read side)."""
    read_stamp(path)
    out = {}
    for name in INDEXES:
        if not index.exists_in(str(path), indexname=name):
            raise IndexVersionMismatch(
                f"the index at {path} is incomplete (no {name!r} part): rebuild it with "
                f"`rm -r {path} && newsdesk index PATH --index {path}`"
            )
        out[name] = index.open_dir(str(path), indexname=name)
    return out


def create_or_open(path: Path) -> dict[str, Any]:
    """Open the indexes for writing, creating the folder and any missing part."""
    path.mkdir(parents=True, exist_ok=True)
    if not (path / STAMP).exists():
        if any(p.name != LOCK for p in path.iterdir()):
            raise NewsdeskError(
                f"{path} is not empty and not a newsdesk index; choose another --index folder"
            )
        write_stamp(path, created=time.strftime("%Y-%m-%dT%H:%M:%S"))
    read_stamp(path)
    out = {}
    for name, schema in SCHEMAS.items():
        if index.exists_in(str(path), indexname=name):
            out[name] = _migrate(index.open_dir(str(path), indexname=name), schema())
        else:
            out[name] = index.create_in(str(path), schema(), indexname=name)
    return out


def _migrate(ix: Any, schema: Any) -> Any:
    """An index written before fields were added to its schema (provenance, near-duplicate
    groups) gains them, empty in its existing documents: no rebuild needed."""
    missing = [n for n in schema.names() if n not in ix.schema]
    if not missing:
        return ix
    w = ix.writer()
    try:
        for n in missing:
            w.add_field(n, schema[n])
    except BaseException:
        w.cancel()
        raise
    w.commit()
    return ix.refresh()


@contextlib.contextmanager
def writer_lock(
    path: Path, wait_s: float = 10.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the one-writer lock of an index folder; wait up to wait_s, then raise IndexBusy.

    An flock dies with its process, so a writer killed with SIGKILL never leaves a stale lock.
    """
    path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _HELD.add(fd)
    try:
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and on_wait is not None:
                    on_wait()
                    told = True
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"the index at {path} is being written by another process; "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        _HELD.discard(fd)
        os.close(fd)
