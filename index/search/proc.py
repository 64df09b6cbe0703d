"""Search in a child process, so that a search never waits for the GIL behind the UI.

Whoosh is pure Python: in the app, a search on a worker thread and the screen's painting take
turns on one interpreter lock, and a 30 ms search took 60-120 ms while the screen repainted. Here
``Reader.search`` runs in a process of its own (``python -m newsdesk.index.search.proc``, started fresh: the
app has threads, so it is never forked), on its own searcher over the same index folder; the
caller's thread waits on a socket, which releases the lock. Only ``search`` goes there; everything
else stays in-process.

The child holds no state the parent needs: when it is not ready yet, has died, or fails, the
caller is told (``SearchProcessDown``) and searches in-process instead. Each request carries the
parent's index generation; the child refreshes its searchers when it differs, so both processes
see the same commits.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from newsdesk.index.engines import open_reader
from newsdesk.index.seam import SearchRequest, SearchResult


class SearchProcessDown(Exception):
    """The search process is not (or no longer) able to answer: search in-process."""


def _serve(path: str, conn: Any) -> None:
    """The child: open the engine, say so, answer requests until the socket closes."""
    try:
        engine = open_reader(path)
        engine.search(SearchRequest(""))  # warm: open the searchers and the columns the facets read
    except Exception as exc:
        conn.send(("failed", repr(exc)))
        return
    conn.send(("ready", None))
    generation = 0
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        want_generation, search = request
        try:
            if want_generation != generation:
                engine.refresh()
                generation = want_generation
            conn.send(("ok", engine.search(search)))
        except Exception as exc:  # tell the parent, keep serving
            conn.send(("error", repr(exc)))


class SearchProcess:
    """A child process answering ``Reader.search`` for one index."""

    def __init__(self, path: Path | str) -> None:
        ours, theirs = socket.socketpair()
        try:
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "newsdesk.index.search.proc",
                    str(theirs.fileno()),
                    str(path),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # never write on the app's terminal
                pass_fds=(theirs.fileno(),),
                start_new_session=True,  # signals sent to the app's terminal are not its
            )
        finally:
            theirs.close()
        self._conn = Connection(ours.detach())
        self._lock = threading.Lock()
        self._state = "starting"  # -> "ready" | "down"

    def ready(self) -> bool:
        """Whether the child has opened the index (never blocks)."""
        if self._state == "starting":
            with self._lock:
                try:
                    if self._state == "starting" and self._conn.poll(0):
                        kind, _ = self._conn.recv()
                        self._state = "ready" if kind == "ready" else "down"
                except (EOFError, OSError):
                    self._state = "down"
        return self._state == "ready"

    def search(self, generation: int, request: SearchRequest) -> SearchResult:
        """Reader.search(request) in the child, on the parent's index generation."""
        if not self.ready():
            raise SearchProcessDown("the search process is not ready")
        with self._lock:
            try:
                self._conn.send((generation, request))
                kind, value = self._conn.recv()
            except (EOFError, OSError) as exc:
                self._state = "down"
                raise SearchProcessDown(f"the search process went away: {exc}") from None
        if kind != "ok":
            raise SearchProcessDown(f"the search process failed: {value}")
        assert isinstance(value, SearchResult)
        return value

    def close(self) -> None:
        """Ask the child to stop (it also stops when the socket closes), then make sure."""
        self._state = "down"
        if self._lock.acquire(timeout=0.5):  # not in the middle of a request
            try:
                with contextlib.suppress(OSError, ValueError):
                    self._conn.send(None)
            finally:
                self._lock.release()
        with contextlib.suppress(OSError):
            self._conn.close()
        try:
            self._proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=1.0)


def main(argv: list[str] | None = None) -> int:
    """``python -m newsdesk.index.search.proc FD INDEX``: serve searches over the socket FD."""
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c belongs to the app
    fd, path = int(args[0]), args[1]
    _serve(path, Connection(fd))
    return 0


if __name__ == "__main__":
    sys.exit(main())
