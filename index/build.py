"""The indexing pipeline: read → ids → content hash → passages → extraction → an engine's Writer.

- Idempotent: an article whose content hash (text, metadata, extraction mode and extractor
  version) is unchanged is skipped; a changed one has its passages and facts replaced.
- Ids: the file stem or the record's id. When a new input brings an id that the index (or this
  run) already holds for another file, the newcomer gets ``<id>~<8 hex of its file path>`` and a
  warning: nothing is silently replaced or lost, and the rule gives the same id on every rerun.
- Deleted files: an article whose file is gone from a folder (or whose record is gone from a
  JSONL file) given again is kept and reported as missing; ``prune=True`` (``--prune``) deletes it.
- Batches: every ``commit_every`` articles (or FLUSH_CHARS of text) the writer commits; a SIGKILL
  costs at most the batch in flight and a rerun completes it (the writer mends a killed batch).
  In a bulk run (mostly new articles) batches grow to half of what the run has written, up to
  ``BULK_MAX_BATCH`` articles, so a big build leaves a dozen segments, not hundreds.
- Speed: the next batch's extraction runs in the worker processes while the current batch is
  written (see BENCH.md for the measurements).

The pipeline knows storage only through :class:`newsdesk.index.seam.Writer`.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from newsdesk.index.extract.analyze import Analyzer, extraction_mode
from newsdesk.index.ingest.dedupe import Deduper
from newsdesk.index.ingest.passages import split_passages
from newsdesk.index.ingest.sources import Problem, SourceError, read_paths
from newsdesk.index.model import Analysis, Article, Passage
from newsdesk.index.seam import ArticleRecord, Known, Writer

EXTRACTOR_VERSION = "6"
# A batch is also committed once it holds this much text, so huge articles keep memory bounded.
FLUSH_CHARS = 4_000_000
# A bulk run (most of what it reads is new) lets its batches grow to half of what it has already
# indexed, up to this many articles: every commit leaves a segment and merges cost about as much
# as indexing again, so a full build ends with a dozen segments instead of one per 500 articles.
# Incremental runs keep commit_every as it is.
BULK_MAX_BATCH = 4_000


@attrs.define
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: int = 0
    renamed: int = 0
    missing: int = 0
    pruned: int = 0
    passages: int = 0
    words: int = 0
    problems: list[Problem] = attrs.Factory(list)
    missing_ids: list[str] = attrs.Factory(list)
    duplicates: int = 0  # articles whose text another article has (exact copies)
    near_duplicates: int = 0  # articles grouped with a nearly identical one
    mode: str = "off"
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        d = attrs.asdict(self)
        d["problems"] = [str(p) for p in self.problems]
        return d


# progress(done, total, articles): characters of the articles finished (extracted and written,
# or found unchanged) out of those of every file given, and the articles written so far
ProgressFn = Callable[[int, int, int], None]


def content_hash(article: Article, mode: str) -> str:
    h = hashlib.sha256()
    for part in (article.title, article.date or "", article.source, article.license, article.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    prov = provenance_key(article)
    if prov:  # only formats with provenance: the text formats' hashes stay as they were
        h.update(prov.encode("utf-8", "surrogatepass"))
    h.update(f"{mode}:{EXTRACTOR_VERSION}".encode())
    return h.hexdigest()[:32]


def provenance_key(article: Article) -> str:
    """The provenance of an article, for its content hash ("" when none). Its duplicate group
    is left out: the group is decided after the hash tells whether the article changed (an
    unchanged article keeps the group it has)."""
    parts = (
        article.url,
        article.publisher,
        article.author,
        article.captured or "",
        article.locator,
        ",".join(map(str, article.pages)),
    )
    return "\x00".join(parts) if any(parts) else ""


def file_of(path: str) -> str:
    """The file part of an article path (JSONL records carry ':LINE')."""
    head, sep, tail = path.rpartition(":")
    return head if sep and tail.isdigit() else path


def _abspath(path: str, real: dict[str, str] | None = None) -> str:
    """The path with symbolic links resolved: a folder indexed through a linked path keeps its
    ids. ``real`` caches the resolved files (a JSONL file holds thousands of articles)."""
    f = file_of(path)
    if real is None:
        return os.path.realpath(f) + path[len(f) :]
    r = real.get(f)
    if r is None:
        r = real[f] = os.path.realpath(f)
    return r + path[len(f) :]


@attrs.define
class _Batch:
    changed: list[tuple[Article, str, bool]]  # (article, content hash, already in the index)
    split: list[tuple[Article, list[Passage]]]
    analyses: Iterator[Analysis | None]

    def records(self) -> list[ArticleRecord]:
        return [
            ArticleRecord(article, h, tuple(passages), analysis, existed)
            for (article, h, existed), (_, passages), analysis in zip(
                self.changed, self.split, self.analyses, strict=True
            )
        ]


class Builder:
    """Indexes articles through an engine's writer, which it holds for the run (a context
    manager: the writer's lock is taken on entry)."""

    def __init__(
        self,
        writer: Writer,
        extract: bool = True,
        workers: int = 0,
        commit_every: int = 500,
        part: tuple[int, int] | None = None,
    ) -> None:
        self.writer = writer
        self.part = part  # (K, N): only the articles of share K of N (see in_part)
        self.extract = extract
        self.workers = workers
        self.commit_every = commit_every
        self.mode = "off"
        self._analyzer: Any = None

    def __enter__(self) -> Builder:
        self.writer.__enter__()
        self.mode = extraction_mode() if self.extract else "off"
        return self

    def __exit__(self, *exc: object) -> None:
        self.writer.__exit__(*exc)

    # -- the run ---------------------------------------------------------------------------------

    def run(
        self,
        paths: Sequence[str | Path],
        prune: bool = False,
        progress: ProgressFn | None = None,
    ) -> Summary:
        started = time.perf_counter()
        for p in paths:
            if not os.path.lexists(p):
                raise SourceError(f"{p}: no such file or folder")
        summary = Summary(mode=self.mode)
        total = sum(_size(Path(p)) for p in paths)
        self._progress = progress
        self._total = total
        self._finished = 0  # characters of articles written or found unchanged
        self._real: dict[str, str] = {}  # file -> its real path, this run
        known = self.writer.known()
        seen: dict[str, str] = {}  # id -> file, this run
        pending: list[Article] = []
        pending_chars = 0
        # The batch whose extraction runs in the workers while the one before it is written.
        inflight: _Batch | None = None
        dedupe = Deduper({aid: (k.group, k.sig) for aid, k in known.items() if k.sig})
        with Analyzer(self.workers, self.mode if self.mode != "off" else "rules") as analyzer:
            self._analyzer = analyzer
            for item in read_paths(list(paths)):
                if isinstance(item, Problem):
                    summary.problems.append(item)
                    if item.skipped:
                        summary.skipped += 1
                    else:
                        summary.warnings += 1
                    continue
                article = self._settle_id(item, known, seen, summary)
                if self.part is not None and not in_part(article.id, self.part):
                    continue  # another writer's share
                article = self._group(article, dedupe, seen, known, summary)
                pending.append(article)
                pending_chars += len(article.text)
                if len(pending) >= self._batch_size(summary) or pending_chars >= FLUSH_CHARS:
                    inflight = self._advance(inflight, pending, known, summary)
                    pending, pending_chars = [], 0
            if pending:
                inflight = self._advance(inflight, pending, known, summary)
            if inflight is not None:  # the last batch
                self._write(inflight, known, summary)
            self._analyzer = None
        self._missing(paths, known, seen, prune, summary)
        self.writer.finish(nlp=self.mode)
        if progress is not None:
            progress(total, total, summary.added + summary.updated)
        summary.seconds = time.perf_counter() - started
        return summary

    def _settle_id(
        self,
        article: Article,
        known: dict[str, Known],
        seen: dict[str, str],
        summary: Summary,
    ) -> Article:
        real = self._real
        path = _abspath(article.path, real)
        article = attrs.evolve(article, path=path)
        mine = file_of(path)
        other = seen.get(article.id) or (known[article.id].path if article.id in known else None)
        if other is not None and _abspath(file_of(other), real) != mine:
            new_id = f"{article.id}~{hashlib.sha1(mine.encode()).hexdigest()[:8]}"
            summary.problems.append(
                Problem(
                    path=article.path,
                    line=None,
                    message=f"article id {article.id!r} is already used by {file_of(other)}; "
                    f"indexed as {new_id!r}",
                    skipped=False,
                )
            )
            summary.warnings += 1
            summary.renamed += 1
            article = attrs.evolve(article, id=new_id)
        seen[article.id] = path
        return article

    def _group(
        self,
        article: Article,
        dedupe: Deduper,
        seen: dict[str, str],
        known: dict[str, Known],
        summary: Summary,
    ) -> Article:
        """The article with its near-duplicate group; an exact copy is reported (and kept). An
        article the index holds unchanged keeps its group without being placed again (its
        MinHash is the cost of a no-op run otherwise)."""
        old = known.get(article.id)
        if old is not None and old.sig and old.hash == content_hash(article, self.mode):
            dedupe.keep(article.id)
            return attrs.evolve(article, group=old.group or article.id)
        placed = dedupe.place(article.id, article.text)
        if placed.group != article.id and placed.like is not None:
            if placed.exact:
                summary.duplicates += 1
                like = placed.like
                where = seen.get(like) or (known[like].path if like in known else "")
                summary.problems.append(
                    Problem(
                        path=article.path,
                        line=None,
                        message=f"same text as {like!r}"
                        + (f" ({where})" if where else "")
                        + "; kept as a copy in its group",
                        skipped=False,
                    )
                )
                summary.warnings += 1
            else:
                summary.near_duplicates += 1
        return attrs.evolve(article, group=placed.group)

    def _batch_size(self, summary: Summary) -> int:
        """commit_every; in a bulk run, up to half of what this run has indexed so far."""
        written = summary.added + summary.updated
        if written < self.commit_every or summary.unchanged > written:
            return self.commit_every
        return max(self.commit_every, min(BULK_MAX_BATCH, written // 2))

    def _prepare(
        self, articles: list[Article], known: dict[str, Known], summary: Summary
    ) -> _Batch | None:
        """The changed articles of a batch, split into passages, their extraction started."""
        changed: list[tuple[Article, str, bool]] = []
        for a in articles:
            h = content_hash(a, self.mode)
            old = known.get(a.id)
            if old is not None and old.hash == h:
                summary.unchanged += 1
                continue
            changed.append((a, h, old is not None))
        if not changed:
            return None
        split = [(a, split_passages(a)) for a, _, _ in changed]
        analyses: Iterator[Analysis | None]
        if self.mode == "off":
            analyses = iter([None] * len(split))
        else:
            analyses = self._analyzer.submit(split)
        return _Batch(changed, split, analyses)

    def _advance(
        self,
        inflight: _Batch | None,
        articles: list[Article],
        known: dict[str, Known],
        summary: Summary,
    ) -> _Batch | None:
        """Start extraction of the next batch, then write (and commit) the one in flight."""
        nxt = self._prepare(articles, known, summary)
        changed = {a.id for a, _, _ in nxt.changed} if nxt is not None else set()
        self._finished += sum(len(a.text) for a in articles if a.id not in changed)
        if inflight is not None:
            self._write(inflight, known, summary)
        else:
            self._report(summary)
        return nxt

    def _report(self, summary: Summary) -> None:
        """Progress as it is: what was extracted and written (or found unchanged)."""
        progress = getattr(self, "_progress", None)
        if progress is not None:
            total = self._total
            progress(min(self._finished, total), total, summary.added + summary.updated)

    def _write(self, batch: _Batch, known: dict[str, Known], summary: Summary) -> None:
        records = batch.records()
        self.writer.write(records)
        for r in records:
            summary.passages += len(r.passages)
            summary.words += len(r.article.text.split())
            if r.existed:
                summary.updated += 1
            else:
                summary.added += 1
            known[r.article.id] = Known(r.hash, r.article.path)
            self._finished += len(r.article.text)
        self._report(summary)

    def _missing(
        self,
        paths: Sequence[str | Path],
        known: dict[str, Known],
        seen: dict[str, str],
        prune: bool,
        summary: Summary,
    ) -> None:
        roots = [os.path.realpath(p) for p in paths]
        gone = []
        for aid, k in known.items():
            if aid in seen or (self.part is not None and not in_part(aid, self.part)):
                continue
            f = file_of(k.path)
            under = any(f == r or f.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
            if under:
                gone.append(aid)
        summary.missing = len(gone)
        summary.missing_ids = sorted(gone)
        if prune and gone:
            self.writer.delete(gone)
            summary.pruned = len(gone)
            for aid in gone:
                known.pop(aid, None)


def in_part(article_id: str, part: tuple[int, int]) -> bool:
    """Whether an article belongs to share K of N (1-based): a stable hash of its id, so N
    writers, each reading every input, split the articles between them the same way on every
    run and every machine."""
    k, n = part
    digest = hashlib.sha1(article_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def _size(path: Path) -> int:
    try:
        if path.is_file():
            return path.stat().st_size
        total = 0
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for f in files:
                if not f.startswith("."):
                    try:
                        total += os.stat(os.path.join(root, f)).st_size
                    except OSError:
                        pass
        return total
    except OSError:
        return 0


def build(
    index_dir: Path | str,
    paths: Sequence[str | Path],
    extract: bool = True,
    prune: bool = False,
    progress: ProgressFn | None = None,
    workers: int = 0,
    commit_every: int = 500,
    lock_wait_s: float = 10.0,
    on_wait: Callable[[], None] | None = None,
    writer_procs: int = 1,
    part: tuple[int, int] | None = None,
    rebuild: bool = False,
) -> Summary:
    """Index paths into the index folder (the embedded Whoosh engine)."""
    from newsdesk.index.engines import open_writer

    writer = open_writer(
        index_dir,
        lock_wait_s=lock_wait_s,
        on_wait=on_wait,
        writer_procs=writer_procs,
        part=part,
        rebuild=rebuild,
    )
    with Builder(
        writer, extract=extract, workers=workers, commit_every=commit_every, part=part
    ) as b:
        return b.run(paths, prune=prune, progress=progress)
