"""The Whoosh engine's write side (:class:`newsdesk.index.seam.Writer`): batches of articles with
their passages, facts and entity counts, committed crash-safely into an index folder.

- One writer at a time: an flock on the folder (see ``folder.writer_lock``).
- A batch commits passages and facts first, then the articles (whose presence marks an article
  done), then the entity counts, then records the state as consistent (``visible.py``: readers
  hide what a half-written batch shows). An ``entities.dirty`` marker is set around each batch;
  a writer killed in between leaves it, and the next writer restores the last committed state:
  the passages and facts of every article that are not its stored record's are deleted and
  written again from the record, and the entities are recounted from the stored analyses.
- Commits merge only small segments (Whoosh's own policy would merge big ones too, for minutes);
  a big batch is written by two Whoosh processes (see BENCH.md for the measurements).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.extract.analyze import die_with_parent
from newsdesk.index.model import Analysis, Article, Passage
from newsdesk.index.seam import ArticleRecord, Known, Writer
from newsdesk.index.store import entities as entitystore
from newsdesk.index.store.codec import load_analysis
from newsdesk.index.store.docs import (
    article_doc,
    fact_docs,
    passage_docs,
    stored_provenance,
)
from newsdesk.index.store.folder import create_or_open, write_stamp, writer_lock
from newsdesk.index.store.schema import COMPOUND
from newsdesk.index.store.visible import (
    COMMITTED,
    articles_without_passages,
    close,
    record_committed,
    stale,
)

DIRTY = "entities.dirty"
# The writer's in-memory posting pool: past it Whoosh spills sorted runs to disk and merges them
# back through pickle, which cost half again as much CPU on the bulk batches (a batch is bounded
# by the builder's FLUSH_CHARS of text, so the pool holds at most a few hundred MB).
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
# Crash tests: ``NEWSDESK_KILL_AFTER=passages`` (or ``facts``, ``articles``, ``entities``, with
# ``:N`` for the N-th time) SIGKILLs the writer right after that commit, so a test kills at a
# chosen point instead of racing a timer.
KILL_ENV = "NEWSDESK_KILL_AFTER"
_reached: dict[str, int] = {}


def _checkpoint(stage: str) -> None:
    wanted = os.environ.get(KILL_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != stage:
        return
    _reached[stage] = _reached.get(stage, 0) + 1
    if _reached[stage] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


# Processes forked while a writer is open (Whoosh's writer processes, the extraction workers) die
# with this one: a killed build must leave nothing running (and nothing holding the lock, which
# folder.py's own fork hook sees to).
_open_writers = 0


def _forked_child() -> None:
    if _open_writers:
        die_with_parent(os.getppid())


os.register_at_fork(after_in_child=_forked_child)


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


class WhooshWriter(Writer):
    """Writes into a newsdesk index folder; use as a context manager (it holds the lock)."""

    def __init__(
        self,
        path: Path,
        lock_wait_s: float = 10.0,
        on_wait: Callable[[], None] | None = None,
        writer_procs: int = 1,
    ) -> None:
        self.path = Path(path)
        self.location = str(path)
        self.lock_wait_s = lock_wait_s
        self.on_wait = on_wait
        self.writer_procs = writer_procs
        self._lock: Any = None
        self.ix: dict[str, Any] = {}
        self._entities = entitystore.Records()

    def __enter__(self) -> WhooshWriter:
        global _open_writers
        self._lock = writer_lock(self.path, self.lock_wait_s, self.on_wait)
        self._lock.__enter__()
        _open_writers += 1
        try:
            self.ix = create_or_open(self.path)
            if (self.path / DIRTY).exists():
                self._recover()
            elif not (self.path / COMMITTED).exists():
                record_committed(self.path, self.ix)  # an index from before the record
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        global _open_writers
        if self._lock is not None:
            _open_writers -= 1
            self._lock.__exit__(*exc)
            self._lock = None

    def _recover(self) -> None:
        """Bring back the last committed state after a writer was killed in the middle of a batch.

        Passages and facts are committed before their article record. A writer killed in between
        leaves passages and facts that are not the stored record's: of a new article (no record
        yet), or of an update (the record still holds the old text and hash), or none at all (a
        delete killed after the passages went). Every such article is rewritten from what the
        index holds for it: its passages and facts deleted, and added again from the stored record
        when there is one. Then the entity counts are recounted from the stored analyses.
        """
        searchers = {name: self.ix[name].searcher() for name in ("articles", "facts", "passages")}
        try:
            hidden = stale(searchers)
            redo = set(hidden.articles) | articles_without_passages(searchers)
            records = {aid: self._stored_record(searchers["articles"], aid) for aid in redo}
        finally:
            close(searchers)
        if redo:
            pw = self.ix["passages"].writer(compound=COMPOUND)
            fw = self.ix["facts"].writer(compound=COMPOUND)
            for aid in sorted(redo):
                pw.delete_by_term("article_id", aid)
                fw.delete_by_term("article_id", aid)
                rec = records[aid]
                if rec is None:
                    continue
                article, passages, hash_, analysis = rec
                for doc in passage_docs(article, passages, hash_, analysis):
                    pw.add_document(**doc)
                if analysis is not None:
                    for doc in fact_docs(article, analysis):
                        fw.add_document(**doc)
            pw.commit(mergetype=merge_small_segments)
            fw.commit(mergetype=merge_small_segments)
        entitystore.rebuild(self.ix)
        record_committed(self.path, self.ix)
        (self.path / DIRTY).unlink()

    @staticmethod
    def _stored_record(
        s: Any, aid: str
    ) -> tuple[Article, list[Passage], str, Analysis | None] | None:
        """An article as its stored record holds it: text, passages, hash and analysis."""
        f = s.document(id=aid)
        if f is None:
            return None
        text = f.get("text") or ""
        article = Article(
            id=aid,
            title=f.get("title") or "",
            date=f.get("date"),
            source=f.get("source") or "",
            license=f.get("license") or "",
            path=f.get("path") or "",
            text=text,
            **stored_provenance(f),
        )
        passages = [
            Passage(f"{aid}#{i}", aid, i, text[a:b], a, b)
            for i, (a, b) in enumerate(f.get("passages") or [], start=1)
        ]
        analysis = load_analysis(f["analysis"]) if f.get("analysis") else None
        return article, passages, f.get("hash") or "", analysis

    # -- the Writer protocol -----------------------------------------------------------------------

    def known(self) -> dict[str, Known]:
        out = {}
        with self.ix["articles"].searcher() as s:
            for fields in s.all_stored_fields():
                out[fields["id"]] = Known(
                    fields.get("hash", ""),
                    fields.get("path", ""),
                    fields.get("group") or "",
                    fields.get("minhash") or b"",
                )
        return out

    def write(self, records: Sequence[ArticleRecord]) -> None:
        with self.ix["articles"].searcher() as s:  # one-word people linked across articles
            records = entitystore.link(
                self.ix["entities"], records, lambda aid: self._stored_record(s, aid)
            )
        old_analyses = self._stored_analyses([r.article.id for r in records if r.existed])
        (self.path / DIRTY).touch()
        n_passages = sum(len(r.passages) for r in records)
        n_facts = sum(len(r.analysis.facts) for r in records if r.analysis is not None)
        pw = self._writer("passages", n_passages)
        fw = self._writer("facts", n_facts)
        aw = self.ix["articles"].writer(compound=COMPOUND)
        try:
            for r in records:
                article = r.article
                if r.existed:
                    pw.delete_by_term("article_id", article.id)
                    fw.delete_by_term("article_id", article.id)
                for doc in passage_docs(article, r.passages, r.hash, r.analysis):
                    pw.add_document(**doc)
                if r.analysis is not None:
                    for doc in fact_docs(article, r.analysis):
                        fw.add_document(**doc)
                doc = article_doc(article, r.hash, r.passages, r.analysis)
                if r.existed:
                    aw.update_document(**doc)
                else:  # a new id: nothing to replace (and no lookup in every segment)
                    aw.add_document(**doc)
        except BaseException:
            pw.cancel()
            fw.cancel()
            aw.cancel()
            raise
        pw.commit(mergetype=merge_small_segments)
        _checkpoint("passages")
        fw.commit(mergetype=merge_small_segments)
        _checkpoint("facts")
        aw.commit(mergetype=merge_small_segments)
        _checkpoint("articles")
        entitystore.apply(
            self.ix["entities"],
            added=[r.analysis for r in records if r.analysis is not None],
            removed=list(old_analyses.values()),
            records=self._entities,
        )
        _checkpoint("entities")
        record_committed(self.path, self.ix)
        (self.path / DIRTY).unlink()

    def delete(self, ids: Sequence[str]) -> None:
        old = self._stored_analyses(ids)
        (self.path / DIRTY).touch()
        for name in ("passages", "facts", "articles"):
            w = self.ix[name].writer(compound=COMPOUND)
            for aid in ids:
                w.delete_by_term("article_id" if name != "articles" else "id", aid)
            w.commit(mergetype=merge_small_segments)
            _checkpoint(name)
        entitystore.apply(
            self.ix["entities"], added=[], removed=list(old.values()), records=self._entities
        )
        record_committed(self.path, self.ix)
        (self.path / DIRTY).unlink()

    def finish(self, nlp: str) -> None:
        write_stamp(self.path, nlp=nlp, updated=time.strftime("%Y-%m-%dT%H:%M:%S"))

    # -- helpers -----------------------------------------------------------------------------------

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
                    out[aid] = load_analysis(stored["analysis"])
        return out
