"""QUOTE facts from a parsed article: a quotation, its speaker and the attribution chain.

The speaker is found through the parse (``Parsed.speaker_of``): the subject of the speech verb the
quotation hangs from ("…,” the office said"; "X said, “…”"; a title chain collapsed onto its
name: "…,” said Deputy Secretary of Some Department Jane Roe"), else of a speech verb in the same
sentences, else of a verb whose clause introduces it with a colon ("X put it plainly: “…”"), else
of a line just before that ends with a colon or comma ("Rathbun stated,", "As stated by X:"), else
a name after a dash ("… - Matthew Ingram"), else the speaker of the quotation just before it (a
quotation running on) or just after it (paragraphs of one quotation whose attribution comes last).
Layouts without marks come from ``Parsed`` with their speaker: a transcript or headline colon
("PENCE: …") and a statement paragraph under a heading. "it/they added" goes to the previous
non-person speaker, "he/she said" to the person they refer to. The attribution chain is the
speaker, then the organisation a spokesman speaks for, then the outlet ("told Reuters",
"according to the BBC").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from newsdesk.index.extract.facts.common import (
    REPORT_VERBS,
    SPEECH_VERBS,
    Draft,
    Quote,
    clip,
    names,
)
from newsdesk.index.extract.facts.parsed import SPEAKER_TYPES, Parsed
from newsdesk.index.extract.facts.refs import Actor, dedupe

_DASH = re.compile(r"^[\s.,]*[-\u2013\u2014]+\s*")
MAX_EVIDENCE = 1200


class QuoteFacts:
    def __init__(self, dep: Parsed) -> None:
        self.dep = dep
        self.prev: tuple[Quote, list[Actor], Draft] | None = None
        # quotations alone in their paragraphs with no speaker yet, waiting for the next one
        self.pending: list[tuple[Quote, int, int]] = []

    def draft(self, q: Quote, last: int) -> Iterator[Draft]:
        dep = self.dep
        first = dep.sent_index(q.outer_start)
        verb: Any = None
        speakers: list[Actor] = []
        method = "quote-rule"
        if q.layout == "marks":
            verb, speakers = self.speech_verb(q, first, last)
        if not speakers and q.speakers:
            speakers, method = list(q.speakers), f"quote-{q.layout}"
        if not speakers and q.layout == "marks":
            speakers = self.dash_speaker(q)
        if not speakers and self.prev is not None:
            pq, pspeakers, _ = self.prev
            between = dep.text[pq.outer_end : q.outer_start]
            if len(between) < 400 and dep.sent_index(q.outer_start) - dep.sent_index(pq.end) <= 1:
                speakers, method = pspeakers, "quote-continued"
        if not speakers:
            if self.alone(q):
                if not (self.pending and self.adjacent(self.pending[-1][0], q)):
                    self.pending = []
                self.pending.append((q, first, last))
            return
        if self.pending and method == "quote-rule" and self.adjacent(self.pending[-1][0], q):
            for pq, pf, pl in self.pending:
                yield from self.make(pq, pf, pl, None, speakers, "quote-continued")
        self.pending = []
        yield from self.make(q, first, last, verb, speakers, method)

    def make(
        self, q: Quote, first: int, last: int, verb: Any, speakers: list[Actor], method: str
    ) -> Iterator[Draft]:
        dep = self.dep
        span = [first, last]
        if q.intro >= 0:
            span[0] = min(span[0], dep.sent_index(q.intro))
        if verb is not None:
            dep.consumed.add(verb.i)
            dep.quote_verbs.add(verb.i)
            vsi = dep.sent_index(verb.idx)
            span = [min(span[0], vsi), max(span[1], vsi)]
        affiliation: list[Actor] = []
        outlets: list[Actor] = []
        if verb is not None:
            subj = dep.subject(verb)
            if subj is not None:
                affiliation = dep.affiliation(subj)
            outlets = dep.outlets(verb)
        for si in range(span[0], span[1] + 1):
            src, _ = dep.sources(dep.sents[si])
            outlets += [a for _, actors in src for a in actors]
        start, end = dep.sents[span[0]].start_char, dep.sents[span[1]].end_char
        if end - start > MAX_EVIDENCE:  # a long quotation: keep its end and the attribution
            k = span[1]
            while k > span[0] and end - dep.sents[k - 1].start_char <= MAX_EVIDENCE:
                k -= 1
            start = dep.sents[k].start_char
            if verb is not None and verb.idx < start:
                start = dep.sents[dep.sent_index(verb.idx)].start_char
        words = dep.text[q.start : q.end].strip()
        speaker_names = [a[0] for a in speakers]
        chain = dedupe(speakers + affiliation + outlets)
        if self.prev is not None:
            pq, pspeakers, pd = self.prev
            if pd.start == start and pd.end == end and pspeakers == speakers:
                pd.object = clip(pd.object + " … " + words, 600)
                pd.statement = clip(f"{names(speakers)}: \u201c{pd.object}\u201d")
                self.prev = (q, speakers, pd)
                return
        dates = []
        for si in range(span[0], span[1] + 1):
            dates += [
                (s, e, dep.future(dep.verb_of(r))) for s, e, r in dep.date_spans(dep.sents[si])
            ]
        d = Draft(
            kind="QUOTE",
            who=list(speakers),
            predicate=verb.lemma_.casefold() if verb is not None else "say",
            object=clip(words, 600),
            statement=clip(f"{', '.join(speaker_names)}: \u201c{words}\u201d"),
            start=start,
            end=end,
            method=method,
            confidence=0.8 if method == "quote-rule" else 0.55,
            attributed_to=[a[0] for a in chain],
            dates=dates,
        )
        non_person = [a for a in speakers if a[1] != "PERSON"]
        if non_person:
            dep.refs.last_speaker = non_person[0]
        elif len(speakers) == 1:  # "he said" later: the last person quoted
            dep.refs.note_subject(speakers, verb.idx if verb is not None else q.outer_start)
        self.prev = (q, speakers, d)
        yield d

    def alone(self, q: Quote) -> bool:
        """The quotation is its paragraph (nothing but space around it up to the line ends)."""
        text = self.dep.text
        before = text[max(0, text.rfind("\n", 0, q.outer_start) + 1) : q.outer_start]
        nl = text.find("\n", q.outer_end)
        after = text[q.outer_end : len(text) if nl == -1 else nl]
        return not before.strip() and not after.strip()

    def adjacent(self, a: Quote, b: Quote) -> bool:
        gap = self.dep.text[a.outer_end : b.outer_start]
        return not gap.strip() and "\n" in gap

    def speech_verb(self, q: Quote, first: int, last: int) -> tuple[Any, list[Actor]]:
        dep = self.dep
        sents = [dep.sents[last]] + ([dep.sents[first]] if first != last else [])
        introduced = dep.text[: q.outer_start].rstrip().endswith(":")
        # 1. the speech verb the quoted words hang from (any verb, when a colon introduces them)
        for sent in sents:
            for t in sent:
                if not (q.start <= t.idx < q.end):
                    continue
                x = t
                for _ in range(8):
                    if x.head.i == x.i:
                        break
                    x = x.head
                    if not (q.start <= x.idx < q.end):
                        break
                if q.start <= x.idx < q.end:
                    continue
                if self.is_speech(x, broad=True):
                    found = self.speaker(x, q)
                    if found:
                        return x, found
                elif introduced and x.pos_ == "VERB" and x.idx < q.start and not dep.quoted[x.i]:
                    # "X put it plainly: “…”": a named subject of the clause before the colon
                    found = [a for a in self.speaker(x, q) if a[1] in ("PERSON", "ORG")]
                    if found:
                        return x, found
        # 2. any speech verb outside quotations in the same sentences, nearest first
        cands = []
        for sent in sents:
            for t in sent:
                if self.is_speech(t) and not dep.quoted[t.i]:
                    dist = min(abs(t.idx - q.outer_end), abs(t.idx - q.outer_start))
                    cands.append((dist, t.i))
        for _, i in sorted(cands):
            found = self.speaker(dep.doc[i], q)
            if found:
                return dep.doc[i], found
        # 3. a sentence just before, ending with a colon or a comma
        if first > 0:
            prev = dep.sents[first - 1]
            if prev.text.rstrip()[-1:] in (":", ","):
                for t in prev:
                    if self.is_speech(t) and not dep.quoted[t.i]:
                        found = self.speaker(t, q)
                        if found:
                            return t, found
        return None, []

    def is_speech(self, t: Any, broad: bool = False) -> bool:
        """A speech verb; with ``broad``, any verb reporting a statement or stance ("vowed",
        "insisted", "warned"): the verb the quoted words hang from."""
        if t.pos_ != "VERB":
            return False
        lemma = t.lemma_.casefold()
        return lemma in SPEECH_VERBS or (broad and (lemma in REPORT_VERBS or t.i in self.dep.cues))

    def speaker(self, verb: Any, q: Quote) -> list[Actor]:
        dep = self.dep
        subj = dep.subject(verb)
        if subj is not None and subj.i < verb.i and not dep.quoted[subj.i]:
            low = subj.lower_
            if low in ("it", "they") and dep.refs.last_speaker is not None:
                return [dep.refs.last_speaker]
            if low in ("he", "she"):
                return dep.dislocated(verb, subj) or dep.refs.pronoun(
                    low, min(q.outer_start, subj.idx)
                )
        got = [a for a in dep.speaker_of(verb, subj) if a[1] in SPEAKER_TYPES]
        if not got and subj is None:  # "said KCNA" parsed without a subject
            for c in verb.children:
                if c.i > verb.i and c.dep_ in ("dobj", "npadvmod", "attr", "dep", "appos"):
                    m = dep.refs.mention_at_token(c)
                    if m is not None and m.type in SPEAKER_TYPES:
                        return [(m.name, m.type)]
        return got

    def dash_speaker(self, q: Quote) -> list[Actor]:
        dep = self.dep
        after = dep.text[q.outer_end : q.outer_end + 80]
        m = _DASH.match(after)
        if not m:
            return []
        pos = q.outer_end + m.end()
        men = dep.refs.mention_at(pos, pos + 1)
        return [(men.name, men.type)] if men is not None else []
