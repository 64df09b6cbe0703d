"""The indexing pipeline: read → passages → extraction → Whoosh, incremental and crash-safe.

- Idempotent: an article whose content hash (text, metadata, extraction mode and extractor
  version) is unchanged is skipped; a changed one has its passages and facts replaced.
- Ids: the file stem or the record's id. When a new input brings an id that the index (or this
  run) already holds for another file, the newcomer gets ``<id>~<8 hex of its file path>`` and a
  warning: nothing is silently replaced or lost, and the rule gives the same id on every rerun.
- Deleted files: an article whose file is gone from a folder (or whose record is gone from a
  JSONL file) given again is kept and reported as missing; ``prune=True`` (``--prune``) deletes it.
- Crash safety: one writer (a lock), commits every ``commit_every`` articles; a SIGKILL costs at
  most the batch in flight and a rerun completes it (passages are keyed by unique ids, so nothing
  is duplicated). Entity counts are rebuilt from the stored analyses if a run died in between.
  In a bulk run (mostly new articles) batches grow to half of what the run has written, up to
  ``BULK_MAX_BATCH`` articles, so a big build leaves a dozen segments, not hundreds.
- Speed: the next batch's extraction runs in the worker processes while the current batch is
  written; passages and facts are written by two processes when no extraction runs beside them;
  commits merge only small segments (see BENCH.md for the measurements).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
from newsdesk.index.extract.analyze import Analyzer, extraction_mode
from newsdesk.index.ingest.passages import split_passages
from newsdesk.index.ingest.sources import Problem, SourceError, read_paths
from newsdesk.index.model import Analysis, Article, Passage, to_dict
from newsdesk.index.store import entities as entitystore
from newsdesk.index.store.folder import (
    COMPOUND,
    SEP,
    TYPE_FIELD,
    create_or_open,
    write_stamp,
    writer_lock,
)

EXTRACTOR_VERSION = "1"
DIRTY = "entities.dirty"
# A batch is also committed once it holds this much text, so huge articles keep memory bounded.
FLUSH_CHARS = 4_000_000
# A bulk run (most of what it reads is new) lets its batches grow to half of what it has already
# indexed, up to this many articles: every commit leaves a segment and Whoosh's merges cost about
# as much as indexing again, so a full build ends with a dozen segments instead of one per 500
# articles (or minutes of merging). Incremental runs keep commit_every as it is.
BULK_MAX_BATCH = 4_000
# The writer's in-memory posting pool: past it Whoosh spills sorted runs to disk and merges them
# back through pickle, which cost half again as much CPU on the bulk batches (a batch is bounded
# by FLUSH_CHARS of text, so the pool holds at most a few hundred MB).
WRITER_MB = 256
# Commits merge the index's segments under this many documents once there are MERGE_AT of them;
# bigger segments are left alone (Whoosh's own policy would merge them too, for minutes).
SMALL_SEGMENT = 2_000
MERGE_AT = 4
# A writer runs as two Whoosh processes (procs=2, multisegment), beside the extraction workers
# too, when its batch holds at least this many documents: each process then writes a segment
# well above SMALL_SEGMENT, which no commit merges again. (A batch of 2,000 split in two gave
# small segments that the next commits merged: slower than one process.)
PARALLEL_DOCS = 4 * SMALL_SEGMENT


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: merge the small segments once there are several of them."""
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    if len(small) < MERGE_AT:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if all(s is not m for m in small)]


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
    mode: str = "off"
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        d = attrs.asdict(self)
        d["problems"] = [str(p) for p in self.problems]
        return d


ProgressFn = Callable[[int, int], None]


def content_hash(article: Article, mode: str) -> str:
    h = hashlib.sha256()
    for part in (article.title, article.date or "", article.source, article.license, article.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    h.update(f"{mode}:{EXTRACTOR_VERSION}".encode())
    return h.hexdigest()[:32]


def file_of(path: str) -> str:
    """The file part of an article path (JSONL records carry ':LINE')."""
    head, sep, tail = path.rpartition(":")
    return head if sep and tail.isdigit() else path


def _abspath(path: str) -> str:
    f = file_of(path)
    rest = path[len(f) :]
    return os.path.abspath(f) + rest


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return None


def passage_doc(article: Article, passage: Passage, hash_: str, analysis: Analysis | None) -> dict:
    doc: dict[str, Any] = {
        "id": passage.id,
        "article_id": article.id,
        "ordinal": passage.ordinal,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "exact": passage.text,
        "title": article.title,
        "title_exact": article.title,
        "hash": hash_,
    }
    when = _date(article.date)
    if when is not None:
        doc["date"] = when
    if analysis is not None:
        by_type: dict[str, set[str]] = defaultdict(set)
        ids: list[str] = []
        for m in analysis.mentions:
            if m.passage_id != passage.id:
                continue
            by_type[TYPE_FIELD.get(m.type, "misc")].add(m.name.replace(",", " "))
            if m.entity_id not in ids:
                ids.append(m.entity_id)
        for field, names in by_type.items():
            doc[field] = ",".join(sorted(names))
        every = set().union(*by_type.values()) if by_type else set()
        if every:
            doc["entity"] = ",".join(sorted(every))
        if ids:
            doc["ents"] = SEP.join(ids).encode("utf-8")
        kinds = {f.kind for f in analysis.facts if f.evidence.passage_id == passage.id}
        who = {w for f in analysis.facts if f.evidence.passage_id == passage.id for w in f.who}
        if kinds:
            doc["kind"] = ",".join(sorted(kinds))
        if who:
            doc["who"] = ",".join(sorted(w.replace(",", " ") for w in who))
    return doc


def fact_doc(article: Article, fact: Any, analysis: Analysis) -> dict:
    names = {m.name: m.type for m in analysis.mentions}
    doc: dict[str, Any] = {
        "id": fact.id,
        "article_id": article.id,
        "passage_id": fact.evidence.passage_id,
        "kind": fact.kind,
        "text": f"{fact.statement}\n{fact.evidence.text}",
        "exact": fact.evidence.text,
        "title": article.title,
        "title_exact": article.title,
        "data": json.dumps(to_dict(fact), ensure_ascii=False),
    }
    who = [w.replace(",", " ") for w in fact.who]
    if who:
        doc["who"] = ",".join(who)
    involved = set(who) | {w.replace(",", " ") for w in fact.where}
    if involved:
        doc["entity"] = ",".join(sorted(involved))
    by_type: dict[str, set[str]] = defaultdict(set)
    for name in involved:
        t = names.get(name)
        if t:
            by_type[TYPE_FIELD.get(t, "misc")].add(name)
    for field, vals in by_type.items():
        doc[field] = ",".join(sorted(vals))
    when = _date(fact.date if fact.date and len(fact.date) == 10 else None) or _date(
        (fact.when.start if fact.when else None) or article.date
    )
    if when is not None:
        doc["date"] = when
    return doc


@attrs.define
class _Batch:
    changed: list[tuple[Article, str, bool]]  # (article, content hash, already in the index)
    split: list[tuple[Article, list[Passage]]]
    analyses: Iterator[Analysis | None]


class Builder:
    """Indexes articles into an index folder; use as a context manager (it holds the lock)."""

    def __init__(
        self,
        path: Path,
        extract: bool = True,
        workers: int = 0,
        commit_every: int = 500,
        lock_wait_s: float = 10.0,
        on_wait: Callable[[], None] | None = None,
        writer_procs: int = 1,
    ) -> None:
        self.path = path
        self.extract = extract
        self.workers = workers
        self.commit_every = commit_every
        self.lock_wait_s = lock_wait_s
        self.on_wait = on_wait
        self.writer_procs = writer_procs
        self.mode = "off"
        self._lock: Any = None
        self._analyzer: Any = None

    def __enter__(self) -> Builder:
        self._lock = writer_lock(self.path, self.lock_wait_s, self.on_wait)
        self._lock.__enter__()
        self.ix = create_or_open(self.path)
        self.mode = extraction_mode() if self.extract else "off"
        if (self.path / DIRTY).exists():
            self._recover()
        return self

    def _recover(self) -> None:
        """Mend what a writer killed in the middle of a batch left behind.

        Passages and facts are committed before their article, whose presence marks it done; a
        writer killed in between leaves passages of articles the index does not hold. They are
        deleted here (the rerun adds them again) and the entity counts are recounted from the
        stored analyses.
        """
        with self.ix["articles"].searcher() as s:
            done = {f["id"] for f in s.all_stored_fields()}
        for name in ("passages", "facts"):
            with self.ix[name].searcher() as s:
                present = {
                    t.decode("utf-8") if isinstance(t, bytes) else t
                    for t in s.lexicon("article_id")
                }
                live = {aid for aid in present if s.doc_frequency("article_id", aid)}
            orphans = live - done
            if orphans:
                w = self.ix[name].writer(compound=COMPOUND)
                for aid in orphans:
                    w.delete_by_term("article_id", aid)
                w.commit()
        entitystore.rebuild(self.ix)
        (self.path / DIRTY).unlink()

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.__exit__(*exc)
            self._lock = None

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
        done = 0
        known = self._known_articles()
        seen: dict[str, str] = {}  # id -> file, this run
        pending: list[Article] = []
        pending_chars = 0
        # The batch whose extraction runs in the workers while the one before it is written.
        inflight: _Batch | None = None
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
                done += len(article.text)
                pending.append(article)
                pending_chars += len(article.text)
                if len(pending) >= self._batch_size(summary) or pending_chars >= FLUSH_CHARS:
                    inflight = self._advance(inflight, pending, known, summary)
                    pending, pending_chars = [], 0
                if progress is not None:
                    progress(min(done, total), total)
            if pending:
                inflight = self._advance(inflight, pending, known, summary)
            if inflight is not None:  # the last batch
                self._write(inflight, known, summary)
            self._analyzer = None
        self._missing(paths, known, seen, prune, summary)
        write_stamp(self.path, nlp=self.mode, updated=time.strftime("%Y-%m-%dT%H:%M:%S"))
        if progress is not None:
            progress(total, total)
        summary.seconds = time.perf_counter() - started
        return summary

    def _known_articles(self) -> dict[str, tuple[str, str]]:
        """id -> (hash, path) of every article in the index."""
        out = {}
        with self.ix["articles"].searcher() as s:
            for fields in s.all_stored_fields():
                out[fields["id"]] = (fields.get("hash", ""), fields.get("path", ""))
        return out

    def _settle_id(
        self,
        article: Article,
        known: dict[str, tuple[str, str]],
        seen: dict[str, str],
        summary: Summary,
    ) -> Article:
        path = _abspath(article.path)
        article = attrs.evolve(article, path=path)
        mine = file_of(path)
        other = seen.get(article.id) or (known[article.id][1] if article.id in known else None)
        if other is not None and file_of(other) != mine:
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

    def _batch_size(self, summary: Summary) -> int:
        """commit_every; in a bulk run, up to half of what this run has indexed so far."""
        written = summary.added + summary.updated
        if written < self.commit_every or summary.unchanged > written:
            return self.commit_every
        return max(self.commit_every, min(BULK_MAX_BATCH, written // 2))

    def _prepare(
        self, articles: list[Article], known: dict[str, tuple[str, str]], summary: Summary
    ) -> _Batch | None:
        """The changed articles of a batch, split into passages, their extraction started."""
        changed: list[tuple[Article, str, bool]] = []
        for a in articles:
            h = content_hash(a, self.mode)
            old = known.get(a.id)
            if old is not None and old[0] == h:
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
        known: dict[str, tuple[str, str]],
        summary: Summary,
    ) -> _Batch | None:
        """Start extraction of the next batch, then write (and commit) the one in flight."""
        nxt = self._prepare(articles, known, summary)
        if inflight is not None:
            self._write(inflight, known, summary)
        return nxt

    def _write(
        self,
        batch: _Batch,
        known: dict[str, tuple[str, str]],
        summary: Summary,
    ) -> None:
        changed, split = batch.changed, batch.split
        analyses = list(batch.analyses)
        old_analyses = self._stored_analyses([a.id for a, _, existed in changed if existed])
        (self.path / DIRTY).touch()
        n_passages = sum(len(p) for _, p in split)
        n_facts = sum(len(a.facts) for a in analyses if a is not None)
        pw = self._writer("passages", n_passages)
        fw = self._writer("facts", n_facts)
        aw = self.ix["articles"].writer(compound=COMPOUND)
        try:
            for (article, h, existed), (_, passages), analysis in zip(
                changed, split, analyses, strict=True
            ):
                if existed:
                    pw.delete_by_term("article_id", article.id)
                    fw.delete_by_term("article_id", article.id)
                for p in passages:
                    pw.add_document(**passage_doc(article, p, h, analysis))
                if analysis is not None:
                    for fact in analysis.facts:
                        fw.add_document(**fact_doc(article, fact, analysis))
                if existed:
                    aw.update_document(**_article_doc(article, h, passages, analysis))
                else:  # a new id: nothing to replace (and no lookup in every segment)
                    aw.add_document(**_article_doc(article, h, passages, analysis))
                summary.passages += len(passages)
                summary.words += len(article.text.split())
                if existed:
                    summary.updated += 1
                else:
                    summary.added += 1
                known[article.id] = (h, article.path)
        except BaseException:
            pw.cancel()
            fw.cancel()
            aw.cancel()
            raise
        pw.commit(mergetype=merge_small_segments)
        fw.commit(mergetype=merge_small_segments)
        aw.commit(mergetype=merge_small_segments)
        entitystore.apply(
            self.ix["entities"],
            added=[a for a in analyses if a is not None],
            removed=list(old_analyses.values()),
        )
        (self.path / DIRTY).unlink()

    def _writer(self, name: str, docs: int) -> Any:
        """A writer for one index: two processes when the batch is big enough to pay off."""
        procs = self.writer_procs
        if procs <= 1 and docs >= PARALLEL_DOCS and (os.cpu_count() or 1) > 1:
            procs = 2
        return self.ix[name].writer(
            procs=procs, multisegment=procs > 1, limitmb=WRITER_MB, compound=COMPOUND
        )

    def _stored_analyses(self, ids: Iterable[str]) -> dict[str, Analysis]:
        out = {}
        with self.ix["articles"].searcher() as s:
            for aid in ids:
                stored = s.document(id=aid)
                if stored and stored.get("analysis"):
                    out[aid] = entitystore.load_analysis(stored["analysis"])
        return out

    def _missing(
        self,
        paths: Sequence[str | Path],
        known: dict[str, tuple[str, str]],
        seen: dict[str, str],
        prune: bool,
        summary: Summary,
    ) -> None:
        roots = [os.path.abspath(p) for p in paths]
        gone = []
        for aid, (_, path) in known.items():
            if aid in seen:
                continue
            f = file_of(path)
            under = any(f == r or f.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
            if under:
                gone.append(aid)
        summary.missing = len(gone)
        summary.missing_ids = sorted(gone)
        if prune and gone:
            self.delete(gone)
            summary.pruned = len(gone)
            for aid in gone:
                known.pop(aid, None)

    def delete(self, ids: Sequence[str]) -> None:
        old = self._stored_analyses(ids)
        (self.path / DIRTY).touch()
        for name in ("passages", "facts", "articles"):
            w = self.ix[name].writer(compound=COMPOUND)
            for aid in ids:
                w.delete_by_term("article_id" if name != "articles" else "id", aid)
            w.commit(mergetype=merge_small_segments)
        entitystore.apply(self.ix["entities"], added=[], removed=list(old.values()))
        (self.path / DIRTY).unlink()


def _article_doc(
    article: Article, h: str, passages: Sequence[Passage], analysis: Analysis | None
) -> dict:
    return {
        "id": article.id,
        "path": article.path,
        "hash": h,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "license": article.license,
        "text": article.text,
        "passages": [[p.start, p.end] for p in passages],
        "analysis": entitystore.dump_analysis(analysis) if analysis is not None else "",
    }


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
    index_dir: Path,
    paths: Sequence[str | Path],
    extract: bool = True,
    prune: bool = False,
    progress: ProgressFn | None = None,
    **kw: Any,
) -> Summary:
    with Builder(index_dir, extract=extract, **kw) as b:
        return b.run(paths, prune=prune, progress=progress)
