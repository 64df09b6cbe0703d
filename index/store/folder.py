"""The Whoosh store on disk: schemas, opening and creating, the format stamp and the writer lock.

One folder holds four Whoosh indexes (Whoosh's ``indexname``): ``passages`` (what search runs on),
``articles`` (metadata, text, content hash and the stored extraction of each article), ``entities``
(canonical entities with aliases and counts, merged across articles) and ``facts``.
Only the classic Whoosh 2.7 API is used, so whoosh3 and whoosh-reloaded are interchangeable.
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

from newsdesk.index import FORMAT_VERSION
from newsdesk.index.errors import IndexBusy, IndexMissing, IndexVersionMismatch, NewsdeskError
from whoosh import columns, fields, index
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer

STAMP = "newsdesk.json"
LOCK = "newsdesk-write.lock"
INDEXES = ("passages", "articles", "entities", "facts")
ENTITY_FIELDS = ("person", "org", "place", "misc")  # plus "entity", which holds them all
TYPE_FIELD = {"PERSON": "person", "ORG": "org", "PLACE": "place", "MISC": "misc"}
SEP = "\x1f"  # separates values in column fields
# Segments are written as separate files (compound=False), not one compound file: whoosh3 copies
# a compound segment's postings and term index into memory when a reader opens it (BytesIO over
# the mmap), which cost the app ~420 MB on the Reuters index; separate files are read on demand.
# Every writer passes it.
COMPOUND = False


def stem_analyzer() -> Any:
    return StemmingAnalyzer(cachesize=50000)


def exact_analyzer() -> Any:
    return StandardAnalyzer(stoplist=None)


def _keywords() -> fields.KEYWORD:
    return fields.KEYWORD(lowercase=True, commas=True, scorable=False)


def passage_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        article_id=fields.ID(stored=True),
        ordinal=fields.NUMERIC(stored=True),
        start=fields.NUMERIC(stored=True),
        end=fields.NUMERIC(stored=True),
        text=fields.TEXT(analyzer=stem_analyzer(), stored=True, spelling=True, phrase=True),
        exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        title=fields.TEXT(analyzer=stem_analyzer(), stored=True, field_boost=1.5),
        title_exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True, field_boost=1.5),
        date=fields.DATETIME(stored=True),
        hash=fields.ID(stored=True),
        person=_keywords(),
        org=_keywords(),
        place=_keywords(),
        misc=_keywords(),
        entity=_keywords(),
        kind=_keywords(),
        who=_keywords(),
        ents=fields.COLUMN(columns.VarBytesColumn()),
    )


def article_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        hash=fields.ID(stored=True),
        title=fields.STORED(),
        date=fields.STORED(),
        source=fields.STORED(),
        license=fields.STORED(),
        text=fields.STORED(),
        analysis=fields.STORED(),
        passages=fields.STORED(),
    )


def entity_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        name=fields.TEXT(stored=True),
        type=fields.ID(stored=True),
        aliases=fields.TEXT(),
        names=_keywords(),
        article=_keywords(),
        data=fields.STORED(),
    )


def fact_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        article_id=fields.ID(stored=True),
        passage_id=fields.ID(stored=True),
        kind=_keywords(),
        who=_keywords(),
        entity=_keywords(),
        person=_keywords(),
        org=_keywords(),
        place=_keywords(),
        misc=_keywords(),
        text=fields.TEXT(analyzer=stem_analyzer(), spelling=True),
        exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        title=fields.TEXT(analyzer=stem_analyzer()),
        title_exact=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        date=fields.DATETIME(stored=True),
        data=fields.STORED(),
    )


SCHEMAS: dict[str, Callable[[], fields.Schema]] = {
    "passages": passage_schema,
    "articles": article_schema,
    "entities": entity_schema,
    "facts": fact_schema,
}


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
            out[name] = index.open_dir(str(path), indexname=name)
        else:
            out[name] = index.create_in(str(path), schema(), indexname=name)
    return out


@contextlib.contextmanager
def writer_lock(
    path: Path, wait_s: float = 10.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the one-writer lock of an index folder; wait up to wait_s, then raise IndexBusy.

    An flock dies with its process, so a writer killed with SIGKILL never leaves a stale lock.
    """
    path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
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
        os.close(fd)
