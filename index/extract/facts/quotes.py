"""QUOTE facts from a parsed article: a quotation, its speaker and the attribution chain.

The speaker is the subject of the speech verb the quotation hangs from ("…,” the office said";
"X said, “…”"), else of a speech verb in the same sentences, else of a sentence just before that
ends with a colon or comma ("Rathbun stated,"), else a name after a dash ("… - Matthew Ingram"),
else the speaker of the quotation just before it (a quotation running on). "it/they added" goes
to the previous non-person speaker. The attribution chain is the speaker, then the organisation a
spokesman speaks for, then the outlet ("told Reuters", "according to the BBC").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from newsdesk.index.extract.facts.common import SPEECH_VERBS, Draft, Quote, clip, names
from newsdesk.index.extract.facts.parsed import Parsed
from newsdesk.index.extract.facts.refs import Actor, dedupe

_DASH = re.compile(r"^[\s.,]*[-\u2013\u2014]+\s*")
MAX_EVIDENCE = 1200


class QuoteFacts:
    def __init__(self, dep: Parsed) -> None:
        self.dep = dep
        self.prev: tuple[Quote, list[Actor], Draft] | None = None

    def draft(self, q: Quote, last: int) -> Iterator[Draft]:
        dep = self.dep
        first = dep.sent_index(q.outer_start)
        verb, speakers = self.speech_verb(q, first, last)
        span = [first, last]
        if verb is not None:
            dep.consumed.add(verb.i)
            dep.quote_verbs.add(verb.i)
            vsi = dep.sent_index(verb.idx)
            span = [min(first, vsi), max(last, vsi)]
        if not speakers:
            speakers = self.dash_speaker(q)
        method = "quote-rule"
        if not speakers and self.prev is not None:
            pq, pspeakers, _ = self.prev
            between = dep.text[pq.outer_end : q.outer_start]
            if len(between) < 400 and dep.sent_index(q.outer_start) - dep.sent_index(pq.end) <= 1:
                speakers, method = pspeakers, "quote-continued"
        if not speakers:
            return
        affiliation: list[Actor] = []
        outlets: list[Actor] = []
        if verb is not None:
            subj = dep.subject(verb)
            if subj is not None:
                affiliation = dep.affiliation(subj)
            outlets = self.outlets(verb)
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
        self.prev = (q, speakers, d)
        yield d

    def speech_verb(self, q: Quote, first: int, last: int) -> tuple[Any, list[Actor]]:
        dep = self.dep
        sents = [dep.sents[last]] + ([dep.sents[first]] if first != last else [])
        # 1. the speech verb the quoted words hang from
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
                if not (q.start <= x.idx < q.end) and self.is_speech(x):
                    found = self.speaker(x, q)
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

    def is_speech(self, t: Any) -> bool:
        return t.pos_ == "VERB" and t.lemma_.casefold() in SPEECH_VERBS

    def speaker(self, verb: Any, q: Quote) -> list[Actor]:
        dep = self.dep
        subj = dep.subject(verb)
        if subj is None:  # "said KCNA" parsed without a subject: a name right after the verb
            for c in verb.children:
                if c.i > verb.i and c.dep_ in ("dobj", "npadvmod", "attr", "dep", "appos"):
                    if dep.refs.mention_at_token(c) is not None:
                        subj = c
                        break
        if subj is None or dep.quoted[subj.i]:
            return []
        low = subj.lower_
        if low in ("it", "they") and dep.refs.last_speaker is not None:
            return [dep.refs.last_speaker]
        if low in ("he", "she"):
            return dep.refs.pronoun(low, min(q.outer_start, subj.idx))
        return [a for a in dep.actors(subj) if a[1] in ("PERSON", "ORG", "PLACE")]

    def outlets(self, verb: Any) -> list[Actor]:
        """'told Reuters', 'in a statement to X', 'in an interview with X'."""
        dep = self.dep
        out: list[Actor] = []
        for c in verb.children:
            if c.dep_ in ("dative", "dobj") and verb.lemma_ == "tell":
                out += dep.actors(c)
            if c.dep_ == "prep" and c.lower_ == "in":
                for p in c.children:
                    if p.dep_ == "pobj" and p.lemma_ in ("statement", "interview", "post"):
                        for pp in p.children:
                            if pp.dep_ == "prep" and pp.lower_ in ("to", "with"):
                                for o in pp.children:
                                    if o.dep_ == "pobj":
                                        out += dep.actors(o)
        return out

    def dash_speaker(self, q: Quote) -> list[Actor]:
        dep = self.dep
        after = dep.text[q.outer_end : q.outer_end + 80]
        m = _DASH.match(after)
        if not m:
            return []
        pos = q.outer_end + m.end()
        men = dep.refs.mention_at(pos, pos + 1)
        return [(men.name, men.type)] if men is not None else []
