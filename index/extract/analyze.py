"""Extraction at index time: entities and facts for batches of articles, in worker processes.

The app never imports this module (nor spaCy); only the builder does.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsdesk.index.model import Analysis, Article, Passage

# Articles longer than this are not parsed (spaCy's default max_length is 1,000,000 characters and
# memory grows with length); they get the gazetteer entities of rules mode and a warning.
MAX_PARSE_CHARS = 300_000

Item = tuple[Article, Sequence[Passage]]


def extraction_mode() -> str:
    """'spacy' when the model loads (or NEWSDESK_NLP is unset and it is installed), else 'rules'."""
    from newsdesk.index.extract import nlp

    return nlp.mode()


def _analyze(article: Article, passages: Sequence[Passage], doc: Any, mode: str) -> Analysis:
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.extract.facts import extract_facts

    mentions, entities = extract_entities(article, passages, doc)
    facts = extract_facts(article, passages, doc, mentions)
    return Analysis(
        article_id=article.id,
        mentions=tuple(mentions),
        entities=tuple(entities),
        facts=tuple(facts),
        mode=mode,
    )


def analyze_batch(items: Sequence[Item], mode: str | None = None) -> list[Analysis]:
    """Extract entities and facts for a batch in this process (nlp.pipe over the batch)."""
    from newsdesk.index.extract import nlp

    mode = mode or nlp.mode()
    out: list[Analysis] = []
    if mode != "spacy":
        return [_analyze(a, p, None, "rules") for a, p in items]
    parse = [(a, p) for a, p in items if len(a.text) <= MAX_PARSE_CHARS]
    docs = iter(nlp.parse_many([a.text for a, _ in parse], batch_size=16))
    for article, passages in items:
        if len(article.text) <= MAX_PARSE_CHARS:
            out.append(_analyze(article, passages, next(docs), "spacy"))
        else:
            out.append(_analyze(article, passages, None, "rules"))
    return out


def _worker_init(mode: str) -> None:
    if mode == "spacy":
        from newsdesk.index.extract import nlp

        nlp.load()


def _worker_run(args: tuple[Sequence[Item], str]) -> list[Analysis]:
    items, mode = args
    return analyze_batch(items, mode)


def _lazy(items: Sequence[Item], mode: str) -> Iterator[Analysis]:
    yield from analyze_batch(items, mode)


def _flatten(batches: Iterable[list[Analysis]]) -> Iterator[Analysis]:
    for batch in batches:
        yield from batch


class Analyzer:
    """Runs extraction over chunks of articles, in-process or in a pool of worker processes."""

    def __init__(self, workers: int = 0, mode: str | None = None) -> None:
        self.mode = mode or extraction_mode()
        self.workers = workers if workers > 0 else min(2, os.cpu_count() or 1)
        self._pool: Any = None

    def submit(self, items: Sequence[Item], chunk: int = 24) -> Iterator[Analysis]:
        """Analyses in the order of items. Small batches run here (when the iterator is read);
        a large one is handed to the pool at once, so the caller can write the previous batch
        while the workers parse this one.
        """
        if self.workers <= 1 or len(items) < 2 * chunk:
            return _lazy(items, self.mode)
        if self._pool is None:
            ctx = multiprocessing.get_context("fork")
            self._pool = ctx.Pool(self.workers, initializer=_worker_init, initargs=(self.mode,))
        chunks = [(items[i : i + chunk], self.mode) for i in range(0, len(items), chunk)]
        return _flatten(self._pool.imap(_worker_run, chunks))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Analyzer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None and exc[0] is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self.close()
