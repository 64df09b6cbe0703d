"""The Whoosh engine's write side (:class:`newsdesk.index.seam.Writer`): batches of articles with
their passages, facts and entity counts, committed crash-safely into an index folder.

- One writer at a time: an flock on the folder (see ``folder.writer_lock``).
- A batch commits passages and facts first, then the articles (whose presence marks an article
  done), then the entity counts. An ``entities.dirty`` marker is set around each batch; a writer
  killed in between leaves it, and the next writer deletes the passages and facts of articles
  the index does not hold and recounts the entities from the stored analyses.
- Commits merge only small segments (Whoosh's own policy would merge big ones too, for minutes);
  a big batch is written by two Whoosh processes (see BENCH.md for the measurements).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.model import Analysis
from newsdesk.index.seam import ArticleRecord, Known, Writer
from newsdesk.index.store import entities as entitystore
from newsdesk.index.store.codec import load_analysis
from newsdesk.index.store.docs import article_doc, fact_docs, passage_docs
from newsdesk.index.store.folder import create_or_open, write_stamp, writer_lock
from newsdesk.index.store.schema import COMPOUND

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

    def __enter__(self) -> WhooshWriter:
        self._lock = writer_lock(self.path, self.lock_wait_s, self.on_wait)
        self._lock.__enter__()
        try:
            self.ix = create_or_open(self.path)
            if (self.path / DIRTY).exists():
                self._recover()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.__exit__(*exc)
            self._lock = None

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

    # -- the Writer protocol -----------------------------------------------------------------------

    def known(self) -> dict[str, Known]:
        out = {}
        with self.ix["articles"].searcher() as s:
            for fields in s.all_stored_fields():
                out[fields["id"]] = Known(fields.get("hash", ""), fields.get("path", ""))
        return out

    def write(self, records: Sequence[ArticleRecord]) -> None:
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
        fw.commit(mergetype=merge_small_segments)
        aw.commit(mergetype=merge_small_segments)
        entitystore.apply(
            self.ix["entities"],
            added=[r.analysis for r in records if r.analysis is not None],
            removed=list(old_analyses.values()),
        )
        (self.path / DIRTY).unlink()

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
