"""Saved searches, and what is new in each since it was last opened.

The file (``newsdesk/saved.jsonl`` under ``platformdirs.user_data_path``, next to the history)
holds one JSON object a line::

    {"name": "boeing in russia", "query": "boeing", "entities": ["Russia"],
     "seen": {"/home/me/news-index": ["boeing-strike#2", ...]}}

``seen`` keeps, per index, the passage ids of the hits when the search was last opened (at most
``MAX_SEEN``, the best first); a hit not among them is new. A damaged line (bad UTF-8, bad JSON,
a wrong shape) is skipped and the rest kept; the file is rewritten whole through a temporary file
renamed over it, so a crash never leaves it half written.

Plain functions and a small store (no Textual): the app's palette and ``newsdesk search --saved
NAME --new`` both use them.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from newsdesk.index.seam import SearchRequest

if TYPE_CHECKING:
    from newsdesk.index.seam import Hit, Reader

APP_NAME = "newsdesk"
MAX_SEEN = 10_000
PAGE = 500


def saved_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "saved.jsonl"


def index_key(location: Path | str) -> str:
    """How a saved search names an index: its folder resolved, or a cluster URL as it is."""
    text = str(location)
    if "://" in text:
        return text
    try:
        return str(Path(text).expanduser().resolve())
    except OSError:
        return text


@attrs.frozen(slots=True)
class Saved:
    name: str
    query: str
    entities: tuple[str, ...] = ()
    seen: dict[str, tuple[str, ...]] = attrs.Factory(dict)

    @property
    def request(self) -> SearchRequest:
        return SearchRequest(self.query, self.entities)

    def describe(self) -> str:
        text = self.query.strip() or "(every passage)"
        if self.entities:
            text += " · " + ", ".join(self.entities)
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "query": self.query,
            "entities": list(self.entities),
            "seen": {k: list(v) for k, v in self.seen.items()},
        }


def _from_json(value: Any) -> Saved | None:
    if not isinstance(value, dict):
        return None
    name, query = value.get("name"), value.get("query")
    entities = value.get("entities") or []
    seen = value.get("seen") or {}
    if not isinstance(name, str) or not name.strip() or not isinstance(query, str):
        return None
    if not isinstance(entities, list) or not all(isinstance(e, str) for e in entities):
        return None
    if not isinstance(seen, dict):
        seen = {}
    clean = {
        k: tuple(i for i in v if isinstance(i, str))
        for k, v in seen.items()
        if isinstance(k, str) and isinstance(v, list)
    }
    return Saved(name.strip(), query, tuple(entities), clean)


class SavedSearches:
    """The saved searches of the user, by name (a name saved again replaces the older one)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.items: dict[str, Saved] = self._load() if path else {}

    def _load(self) -> dict[str, Saved]:
        assert self.path is not None
        try:
            lines = self.path.read_bytes().split(b"\n")
        except OSError:
            return {}
        out: dict[str, Saved] = {}
        for line in lines:
            if not line.strip():
                continue
            try:
                saved = _from_json(json.loads(line.decode("utf-8")))
            except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
                continue
            if saved is not None:
                out[saved.name] = saved
        return out

    def names(self) -> list[str]:
        return sorted(self.items, key=str.lower)

    def get(self, name: str) -> Saved | None:
        if name in self.items:
            return self.items[name]
        folded = {n.lower(): s for n, s in self.items.items()}
        return folded.get(name.strip().lower())

    def add(self, name: str, request: SearchRequest, seen_in: str, seen: list[str]) -> Saved:
        """Save a search under name (its hits now count as seen in that index)."""
        saved = Saved(name.strip(), request.text, request.entities, {seen_in: tuple(seen)})
        self.items[saved.name] = saved
        self.save()
        return saved

    def remove(self, name: str) -> bool:
        saved = self.get(name)
        if saved is None:
            return False
        del self.items[saved.name]
        self.save()
        return True

    def mark_seen(self, name: str, seen_in: str, seen: list[str]) -> None:
        saved = self.get(name)
        if saved is None:
            return
        self.items[saved.name] = attrs.evolve(saved, seen={**saved.seen, seen_in: tuple(seen)})
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        data = "".join(
            json.dumps(s.to_json(), ensure_ascii=True) + "\n" for s in self.items.values()
        )
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".saved.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            tmp = None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def all_hits(engine: Reader, request: SearchRequest, cap: int = MAX_SEEN) -> tuple[list[Hit], int]:
    """The hits of a search, best first (at most cap), and its total."""
    hits: list[Hit] = []
    total = 0
    base = attrs.evolve(request, facets=False, highlight=True)
    while len(hits) < cap:
        res = engine.search(base.page(len(hits), min(PAGE, cap - len(hits))))
        if res.error:
            from newsdesk.index.errors import QueryError

            raise QueryError(res.error)
        total = res.total
        hits.extend(res.hits)
        if not res.hits or len(hits) >= res.total:
            break
    return hits, total


def new_hits(engine: Reader, saved: Saved, seen_in: str) -> tuple[list[Hit], list[Hit], int]:
    """(the new hits, every hit read, the total) of a saved search in an index: a hit is new
    when it was not among the hits the last time the search was opened there (all are new the
    first time in an index)."""
    hits, total = all_hits(engine, saved.request)
    seen = set(saved.seen.get(seen_in, ()))
    return [h for h in hits if h.passage_id not in seen], hits, total
