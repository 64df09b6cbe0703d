"""Facts of one article: quotes, reports, events and values, with who, when, where and evidence.

``extract_facts(article, passages, doc, mentions)`` works on the spaCy doc already parsed for the
entities (no second parse); with ``doc=None`` (the rules mode) it does what regular expressions
can: quotations with "X said", "according to X", "X said/denied that ...", amounts. ``who`` holds
canonical entity names from the mentions (speaker or actors first); a speaker that is no entity
("officials", "a source familiar with the matter", "the report") is kept as the source phrase and
listed in ``Fact.sources`` (never an entity); a fact with no actor at all is dropped.

Modules: ``common`` (drafts, verb lists, quotation and date spans), ``refs`` (pronouns, "the
office", "the three nations"), ``parsed`` (who a phrase names, attributions, which clause a token
belongs to, on the parse), ``quotes`` (quotations and speakers), ``dep`` (clauses → facts) and
``rules`` (no parse); ``tools.evaluate_facts`` measures against hand-made gold.

Dates (``_when``): ``dates.resolve`` on the clause's own time expression, else one of its
complement clauses', else its governing clause's (not a relative clause's: "X, who two days ago
..., said"), else any other DATE entity of the evidence outside quotations and relative clauses
(an explicit date beats the article's); a year or a recurrence naming a thing ("the 1991
agreement", "a $2 billion annual loss") is skipped. Each is resolved in the tense of the clause
it hangs from (``dates.clause_tense``, ``dates.span_tense``); the first that gives a date wins, a
past time is skipped for a clause spoken of as ahead ("will cut jobs after a loss last year"); a
fact with none is dated by its article (When granularity "article").
The spaCy pipeline must include the parser and the lemmatizer (``nlp.load("full")``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import attrs

from newsdesk.index.extract.dates import (
    article_when,
    clause_tense,
    evidence_dates,
    fact_date,
    names_a_thing,
    resolve,
    span_tense,
)
from newsdesk.index.extract.facts.common import Draft, find_quotes
from newsdesk.index.extract.facts.modality import qualify
from newsdesk.index.extract.facts.refs import Refs
from newsdesk.index.model import Article, Evidence, Fact, Mention, Passage, When


def extract_facts(
    article: Article, passages: Sequence[Passage], doc: Any | None, mentions: Sequence[Mention]
) -> list[Fact]:
    """The facts of an article, in text order. ``doc`` is spaCy's parse of ``article.text``
    (None in the rules mode); ``mentions`` are the canonical mentions of the entities."""
    text = article.text
    if not text.strip():
        return []
    quotes = find_quotes(text)
    refs = Refs(mentions, doc)
    drafts: list[Draft]
    if doc is not None:
        from newsdesk.index.extract.facts.dep import DepFacts

        drafts = list(DepFacts(text, doc, refs, quotes, title=article.title).run())
    else:
        from newsdesk.index.extract.facts.rules import rule_drafts

        drafts = rule_drafts(text, refs, quotes)
    return _finish(article, passages, drafts, doc)


def _finish(
    article: Article, passages: Sequence[Passage], drafts: list[Draft], doc: Any = None
) -> list[Fact]:
    text = article.text
    starts = [p.start for p in passages]
    out: list[Fact] = []
    seen: set[tuple[Any, ...]] = set()
    drafts = sorted(drafts, key=lambda d: (d.start, d.kind != "QUOTE"))
    drafts = qualify(text, drafts, doc)
    for d in drafts:
        who = tuple(dict.fromkeys(a[0] for a in d.who if a[0]))
        if not who and d.kind != "VALUE":
            continue
        key = (d.kind, d.start, d.predicate, who)
        if key in seen:
            continue
        seen.add(key)
        when = _when(text, d, article.date, doc)
        i = bisect_right(starts, d.start) - 1
        pid = passages[i].id if passages and i >= 0 else f"{article.id}#1"
        n = len(out) + 1
        out.append(
            Fact(
                id=f"{article.id}:f{n}",
                kind=d.kind,
                statement=d.statement,
                who=who,
                predicate=d.predicate,
                object=d.object,
                negated=d.negated,
                date=fact_date(when, article.date),
                when=when,
                where=tuple(dict.fromkeys(d.where)),
                attributed_to=tuple(dict.fromkeys(d.attributed_to)),
                article_id=article.id,
                evidence=Evidence(
                    passage_id=pid, start=d.start, end=d.end, text=text[d.start : d.end]
                ),
                method=d.method,
                confidence=round(d.confidence, 2),
                sources=tuple(dict.fromkeys(a[0] for a in d.who if a[1] == "SOURCE")),
                conditional=d.conditional,
                hedged=d.hedged,
                future=d.future,
                qualified_by=d.qualified_by,
            )
        )
    return out


def _when(text: str, d: Draft, article_date: str | None, doc: Any = None) -> When | None:
    """The first candidate time expression that gives a date: the clause's own, its
    sub-clauses', its governors' (``d.dates``), then any other DATE entity of the evidence
    outside quotations and relative clauses (an explicit date beats the article's); else the
    first that resolves at all (a recurrence, a decade); else the article's date. Each is
    resolved in the tense of the clause it hangs from (``dates.clause_tense``)."""
    cands = [(s, e, future, None) for s, e, future in d.dates]
    if doc is not None:
        taken = [(s, e) for s, e, _ in d.dates]
        for s, e, root in evidence_dates(doc, d.start, d.end):
            if any(a < e and s < b for a, b in taken) or _in_quotes(text, s, d.start):
                continue
            cands.append((s, e, False, root))
    undated = None
    for s, e, future, root in cands:
        tense = None
        if doc is not None:
            if root is None:
                span = doc.char_span(s, e, alignment_mode="expand")
                root = span.root if span is not None else None
            if root is not None and names_a_thing(root, s, e):
                continue
            tense = clause_tense(root) if root is not None else None
        if future and tense != "past":
            tense = "future"
        w = resolve(text[s:e], article_date, tense=span_tense(text, s, e, tense))
        if w is None:
            continue
        a = s + max(0, text[s:e].find(w.text)) if w.text != text[s:e] else s
        w = attrs.evolve(w, char_start=a, char_end=a + len(w.text))
        if tense == "future" and article_date and w.end and w.end < article_date:
            continue  # "will cut jobs after a loss last year": the loss's time, not the cut's
        if fact_date(w, article_date) is not None:
            return w
        if undated is None:
            undated = w
    return undated or article_when(article_date)


def _in_quotes(text: str, pos: int, start: int) -> bool:
    """Is pos inside a quotation opened after start (an odd number of marks before it)?"""
    before = text[start:pos]
    return (before.count("\u201c") > before.count("\u201d")) or before.count('"') % 2 == 1
