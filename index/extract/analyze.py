"""Extraction at index time: entities and facts for batches of articles, in worker processes.

The app never imports this module (nor spaCy); only the builder does.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from newsdesk.index.ingest.passages import sentence_ends
from newsdesk.index.model import Analysis, Article, Passage

# Articles longer than this are not parsed (spaCy's default max_length is 1,000,000 characters and
# memory grows with length); they get the gazetteer entities of rules mode and a warning.
MAX_PARSE_CHARS = 300_000
# Extraction (the parser, the rules' sentence readers) costs the square of a sentence's length:
# for extraction, a sentence longer than this is cut into lines of at most this many characters
# (a whitespace character becomes a newline, so offsets do not move and newlines end sentences
# in both modes), and a run without whitespace longer than this is blanked.
MAX_SENTENCE_CHARS = 1_000

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


_LONG_RUN = re.compile(rf"\S{{{MAX_SENTENCE_CHARS + 1},}}")
_LAST_SPACE = re.compile(r"[^\S\n](?=\S*\Z)")
_SPACE = re.compile(r"[^\S\n]")


def _long_lines(text: str, cap: int) -> list[tuple[int, int]]:
    """(start, end) of the lines of text longer than cap characters."""
    out = []
    start = 0
    for line in text.split("\n"):
        if len(line) > cap:
            out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def bounded_text(text: str, cap: int = MAX_SENTENCE_CHARS) -> str:
    """The text extraction reads: the same length and offsets, no sentence over ``cap``
    characters (see MAX_SENTENCE_CHARS). Most texts come back unchanged (the same object)."""
    if not _long_lines(text, cap):
        return text
    chars = list(text)
    for m in _LONG_RUN.finditer(text):  # a base64 blob, a URL a page long: nothing to read
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    blanked = "".join(chars)
    for start, end in _long_lines(blanked, cap):
        cuts = [start, *sentence_ends(blanked, start, end), end]
        for a, b in zip(cuts, cuts[1:], strict=False):
            pos = a
            while b - pos > cap:
                space = _LAST_SPACE.search(blanked, pos + 1, pos + cap)
                if space is None:  # a word of almost cap characters: the next space, then
                    space = _SPACE.search(blanked, pos + cap, b)
                    if space is None:
                        break
                chars[space.start()] = "\n"
                pos = space.start() + 1
    out = "".join(chars)
    return text if out == text else out


def _bounded(article: Article, passages: Sequence[Passage]) -> tuple[Article, Sequence[Passage]]:
    text = bounded_text(article.text)
    if text is article.text:
        return article, passages
    return attrs.evolve(article, text=text), [
        attrs.evolve(p, text=text[p.start : p.end]) for p in passages
    ]


def _restored(analysis: Analysis, original: Article) -> Analysis:
    """Evidence quoted from the article as it is, not as extraction read it."""
    text = original.text
    facts = tuple(
        attrs.evolve(
            f, evidence=attrs.evolve(f.evidence, text=text[f.evidence.start : f.evidence.end])
        )
        for f in analysis.facts
    )
    return attrs.evolve(analysis, facts=facts)


def analyze_batch(items: Sequence[Item], mode: str | None = None) -> list[Analysis]:
    """Extract entities and facts for a batch in this process (nlp.pipe over the batch)."""
    from newsdesk.index.extract import nlp

    mode = mode or nlp.mode()
    out: list[Analysis] = []
    readable = [_bounded(a, p) for a, p in items]
    if mode != "spacy":
        analyses = [_analyze(a, p, None, "rules") for a, p in readable]
    else:
        parse = [a.text for a, _ in readable if len(a.text) <= MAX_PARSE_CHARS]
        docs = iter(nlp.parse_many(parse, batch_size=16))
        analyses = []
        for article, passages in readable:
            if len(article.text) <= MAX_PARSE_CHARS:
                analyses.append(_analyze(article, passages, next(docs), "spacy"))
            else:
                analyses.append(_analyze(article, passages, None, "rules"))
    for (original, _), (read, _), analysis in zip(items, readable, analyses, strict=True):
        out.append(analysis if read is original else _restored(analysis, original))
    return out


def die_with_parent(parent: int) -> None:
    """This process gets SIGKILL when its parent dies (Linux), and exits now if it already has:
    an extraction worker or a Whoosh writer process must never outlive a killed build."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _worker_init(mode: str, parent: int) -> None:
    die_with_parent(parent)
    if mode == "spacy":
        from newsdesk.index.extract import nlp

        nlp.single_threaded_blas()
        nlp.load()


def _worker_run(args: tuple[Sequence[Item], str]) -> list[Analysis]:
    items, mode = args
    return analyze_batch(items, mode)


def _lazy(items: Sequence[Item], mode: str) -> Iterator[Analysis]:
    # Parsing here too: one BLAS thread, as in the workers. Two threads cost twice the CPU for
    # the same wall time (17.9 s against 8.4 s for the parse of 400 Reuters stories).
    if mode == "spacy":
        from newsdesk.index.extract import nlp

        nlp.single_threaded_blas()
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
            self._pool = ctx.Pool(
                self.workers, initializer=_worker_init, initargs=(self.mode, os.getpid())
            )
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
