"""Query history: newest last, no duplicates, kept in the per-user data folder between sessions.

The file (``newsdesk/history.jsonl`` under ``platformdirs.user_data_path``) holds one JSON string a
line, so queries with any characters survive. A damaged line (invalid UTF-8, bad JSON, not a
string) is skipped and the rest kept; the file is rewritten whole, to a temporary file renamed
over it, so a crash or a full disk never leaves it half written.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

APP_NAME = "newsdesk"
MAX_ENTRIES = 500


def history_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "history.jsonl"


class History:
    """The list of past queries and a cursor for moving through it with up/down."""

    def __init__(self, path: Path | None = None, max_entries: int = MAX_ENTRIES) -> None:
        self.path = path
        self.max_entries = max_entries
        self.entries: list[str] = self._load() if path else []
        self.cursor: int | None = None  # index into entries while browsing; None = not browsing
        self.draft = ""  # what was typed before browsing started

    def _load(self) -> list[str]:
        assert self.path is not None
        try:
            lines = self.path.read_bytes().split(b"\n")
        except OSError:
            return []
        out: list[str] = []
        for line in lines:
            try:
                value = json.loads(line.decode("utf-8"))
            except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
                continue
            if isinstance(value, str) and value.strip():
                out.append(value)
        return _dedupe(out)[-self.max_entries :]

    def add(self, query: str) -> None:
        """Remember a query (moved to the end if already there) and stop browsing."""
        query = query.strip()
        self.cursor = None
        if not query:
            return
        if self.entries and self.entries[-1] == query:
            return
        self.entries = [q for q in self.entries if q != query]
        self.entries.append(query)
        del self.entries[: -self.max_entries]
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        data = "".join(_line(q) for q in self.entries)
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".history.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            tmp = None
        except (OSError, UnicodeError):
            pass  # history is a convenience: never fail a search over it
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def move(self, step: int, current: str) -> str | None:
        """The query step entries back (-1) or forward (+1), or None when there is nothing there.

        Moving forward past the newest entry gives back what was typed before browsing.
        """
        if not self.entries:
            return None
        if self.cursor is None:
            if step > 0:
                return None
            self.draft = current
            self.cursor = len(self.entries)
        target = self.cursor + step
        if target < 0:
            return None
        if target >= len(self.entries):
            self.cursor = None
            return self.draft
        self.cursor = target
        return self.entries[target]

    def reset(self) -> None:
        self.cursor = None


def _line(query: str) -> str:
    """One JSON line; a query with lone surrogates (a bad paste) is written as ASCII escapes."""
    try:
        return json.dumps(query, ensure_ascii=False).encode("utf-8").decode("utf-8") + "\n"
    except UnicodeError:
        return json.dumps(query) + "\n"


def _dedupe(entries: list[str]) -> list[str]:
    """Keep the last occurrence of each query, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for q in reversed(entries):
        if q not in seen:
            seen.add(q)
            out.append(q)
    out.reverse()
    return out
