"""A parsed article as the fact extractor reads it: who a phrase names, which sources a sentence
is attributed to, which clause a token belongs to, time expressions per clause, and the words that
complete a verb.

``Parsed`` holds what every sentence needs (the doc, the mentions and discourse state of
``refs.Refs``, which tokens are quoted); ``quotes.QuoteFacts`` reads it and ``dep.DepFacts``
extends it (``dep`` uses ``quotes``, never the reverse). "Who" follows the parse: a named head,
its conjuncts (and a name mis-parsed as an apposition in a list), a pronoun or "the company"
resolved by ``Refs``, a relative pronoun's antecedent ("which" never a person: "X, the CEO of
GM, which filed …" is GM), an apposed name (every party: "the petitioners, A and B"), the named
examples ("sites such as Mac News"), else names modifying the head ("North Korean cyber
activities"), else a proper noun the entity extractor missed (typed MISC). A common noun that
speaks is kept as its phrase: a place only describes it ("West Germany's biggest bank", not
West Germany) unless it names a state's organ ("the Belgian government"); a bare noun modifier
refers back to an organisation only when it modifies the head itself ("agency officials", not
"bank industry sources"). Layouts without marks: "NAME: …" lines, statement paragraphs under a
heading, and the answers of an interview laid out as questions and answers (``interview``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

from newsdesk.index.extract.entities.words import PERSON_TITLES
from newsdesk.index.extract.facts.common import (
    CUE_VERBS,
    DATE_LABELS,
    DATE_RE,
    REPORT_VERBS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    Quote,
    _paragraphs,
    clip,
    names,
)
from newsdesk.index.extract.facts.refs import (
    ORG_NOUNS,
    PEOPLE_NOUNS,
    RELATIVE_PRONOUNS,
    SOURCE,
    Actor,
    Refs,
    dedupe,
)

CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
TIME_NOUNS = frozenset(
    "year day hour week month minute second time decade century point percent".split()
)
TAIL_DEPS = frozenset({"cc", "conj", "advcl", "relcl", "parataxis", "mark", "punct", "prt", "neg"})
MODIFIER_DEPS = frozenset({"compound", "poss", "nmod", "amod"})
MOD_PREPS = frozenset({"of", "in", "from", "at"})
SPEAKER_TYPES = frozenset({"PERSON", "ORG", "PLACE", SOURCE})
# Words a title chain runs through ("Acting Assistant Director of the Criminal Investigative
# Division Michael Tran", "Special Agent in Charge ...").
CHAIN_WORDS = frozenset({"of", "for", "the", "and", "in", "'s", "\u2019s", "-", "\u2013", "&"})
# Clauses and asides left out of a source phrase ("officials, who spoke on condition ...").
PHRASE_DROP = frozenset({"relcl", "appos", "conj", "cc", "punct", "advcl", "parataxis"})
# Nouns for a state's own organs and people: a place modifying them is who speaks ("the Belgian
# government", "Pakistani officials"); modifying another noun it only locates or describes it
# ("West Germany's biggest bank", "Japanese analysts").
STATE_NOUNS = frozenset(
    """government ministry administration authority authorities regime cabinet parliament
    army military navy police embassy court senate congress official minister spokesman
    spokeswoman spokesperson diplomat envoy ambassador negotiator lawmaker legislator leader
    president prosecutor delegation state""".split()
)
# What an issuer releases besides statements ("figures released by X").
# People who speak for themselves, not for the organisation named with them: "a CBT crush
# trader said" is the trader's word: the source is the phrase, which names the exchange.
OWN_VOICE = frozenset(
    "trader dealer broker analyst economist strategist investor customer client employee worker"
    " member observer critic".split()
)
# Verbs by which a speaker characterises a thing ("described it as", "called it reckless").
CHARACTERIZE = frozenset(
    "describe call dub label term brand characterize characterise see view regard".split()
)
# Of those, the ones whose complement is "as …" only ("sees the dispute as a test case").
AS_ONLY = frozenset("describe see view regard".split())
DATA_NOUNS = frozenset("figure data statistic estimate number result finding record".split())
# People who speak for the person they serve: "an aide to Sen. X said" is X's position (as a
# spokesman's is his organisation's).
AIDE_NOUNS = frozenset("aide adviser advisor spokesman spokeswoman spokesperson staffer".split())
_QUOTE_MARKS = '"\u201c'
# "PENCE: …", "Schumer: Republicans are …": a line opening with a name and a colon.
_COLON_LINE = re.compile(
    r"^[ \t]*([A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,3})[ \t]*:[ \t]+(\S[^\n]*)$",
    re.M,
)
_EMBEDDED = frozenset({"relcl", "acl", "ccomp", "xcomp", "pcomp", "csubj"})
# A question paragraph of an interview, and the mark opening an answer.
_QUESTION = re.compile(r"\?[\"'\u201d\u2019)]*\s*$|^\s*(?:Q|Question)\s*[:.]\s")
_ANSWER = re.compile(r"(?:A|Answer)\s*[:.]\s+")
# A picture's credit ending a caption ("… Image: Danny Newman.").
_CREDIT = re.compile(r"\b(?:Image|Photo|Picture)(?: credit)?:[ \t]")
# A headline saying someone is interviewed or talks ("interviews X", "X tells Wikinews").
_TITLE_INTERVIEW = re.compile(r"(?i)\binterview|\b(?:tells|talks|speaks)\b")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# A colon inside a line, words following it; a first-person word.
_INLINE_COLON = re.compile(r"(?<=\w)[ \t]*:[ \t]+(?=\S)")
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|my|My|our|Our|me|us)\b")
_HEADING_END = re.compile(r":[ \t]*\r?\n\s*")  # a line ending with a colon
_CALENDAR = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)


class Parsed:
    """One parsed article: the doc, its mentions (``refs``) and its quotations."""

    def __init__(
        self, text: str, doc: Any, refs: Refs, quotes: Sequence[Quote], title: str = ""
    ) -> None:
        self.text = text
        self.title = title
        self.doc = doc
        self.refs = refs
        self.quotes = list(quotes)
        self.quoted = [False] * len(doc)
        self.consumed: set[int] = set()  # verbs already used (report content, attribution)
        self.quote_verbs: set[int] = set()
        self.sents = [s for s in doc.sents if s.text.strip()]
        self.ents = list(doc.ents)  # Span.ents walks every entity of the doc on each call
        self.ent_starts = [e.start for e in self.ents]
        self.sent_starts = [s.start_char for s in self.sents]
        self.mark_quoted()
        self.cues = cues(doc)  # token index → the attribution cue it heads ("accuse", "call for")
        layout = self.colon_lines()
        if layout:
            self.quotes = sorted(self.quotes + layout, key=lambda q: q.outer_start)
        layout += self.headings()
        layout += self.inline_texts(layout)
        if layout:
            merged = {id(q): q for q in self.quotes + layout}
            self.quotes = sorted(merged.values(), key=lambda q: q.outer_start)
        answers = self.interview()
        if answers:
            self.quotes = sorted(self.quotes + answers, key=lambda q: q.outer_start)
        if layout or answers:
            self.mark_quoted()

    def mark_quoted(self) -> None:
        qi = 0
        for tok in self.doc:
            while qi < len(self.quotes) and self.quotes[qi].end <= tok.idx:
                qi += 1
            if qi < len(self.quotes) and self.quotes[qi].start <= tok.idx < self.quotes[qi].end:
                self.quoted[tok.i] = True

    def in_quote(self, start: int, end: int) -> bool:
        return any(q.outer_start < end and start < q.outer_end for q in self.quotes)

    # -- layouts without a speech verb next to the words -------------------------------------

    def colon_lines(self) -> list[Quote]:
        """ "PENCE: We're going to …", "Schumer: Republicans are …": a line opening with the
        name of a person the article names, then a colon: that person's words."""
        out: list[Quote] = []
        if ":" not in self.text:
            return out
        for m in _COLON_LINE.finditer(self.text):
            if self.in_quote(m.start(1), m.end(2)):
                continue
            who = self.refs.person_named(m.group(1))
            if who is None:
                continue
            start, end = m.start(2), m.end(2)
            while end > start and self.text[end - 1].isspace():
                end -= 1
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
                continue  # "Frank Messina: An Interview with …" is a title, not words said
            out.append(Quote(start, end, start, end, [who], m.start(1), "colon"))
        return out

    def headings(self) -> list[Quote]:
        """ "As stated by Secretary X:", "The full statement from Governor Y:", "Z said:" at a
        line's end: the next paragraph is the statement (its quotation, or the paragraph)."""
        out: list[Quote] = []
        text = self.text
        for hm in _HEADING_END.finditer(text):
            colon, nxt = hm.start(), hm.end()
            sent = self.sents[self.sent_index(colon)]
            if nxt >= len(text) or self.in_quote(sent.start_char, colon + 1):
                continue
            line = self.doc.char_span(sent.start_char, colon, alignment_mode="contract")
            speakers = self.heading_speaker(line) if line is not None and len(line) else []
            if not speakers:
                continue
            marked = next((q for q in self.quotes if q.outer_start == nxt), None)
            if marked is not None:
                if not marked.speakers:
                    marked.speakers, marked.intro = speakers, sent.start_char
                continue
            if text[nxt] in _QUOTE_MARKS:
                continue
            para_end = text.find("\n\n", nxt)
            para_end = len(text) if para_end == -1 else para_end
            while para_end > nxt and text[para_end - 1].isspace():
                para_end -= 1
            para_end = self.narration(nxt, para_end)
            if (
                para_end - nxt < 20
                or self.in_quote(nxt, para_end)
                or any(q.outer_start < para_end and nxt < q.outer_end for q in out)
            ):
                continue
            out.append(Quote(nxt, para_end, nxt, para_end, speakers, sent.start_char, "heading"))
        return out

    def interview(self) -> list[Quote]:
        """An interview laid out as questions and answers: paragraphs that are a question (end
        with "?", or open with "Q:") each followed by answer paragraphs, in an article that says
        before the first question whom it interviews ("X interviewed Y", "spoke with Y", "Y,
        interviewed by X"). Each answer paragraph (not one holding a quotation of its own, nor
        a caption without a verb, nor narration reporting someone else) is that person's
        words. Needs two questions or more and one person interviewed."""
        text = self.text
        if "?" not in text and "Q:" not in text:
            return []
        paras = [(a, b) for a, b in _paragraphs(text) if text[a:b].strip()]
        asks = [_QUESTION.search(text[a:b]) is not None for a, b in paras]
        if sum(asks) < 2:
            return []
        first = asks.index(True)
        if first > 8:
            return []  # the questions open the piece, after a short introduction
        who = (
            self.interviewee(paras[first][0])
            or self.heading_interviewee(paras[:first])
            or self.title_interviewee()
        )
        if who is None:
            return []
        for q in self.quotes:  # a quotation standing alone as a paragraph: a pull quote
            if not q.speakers and self.alone_in_paragraph(q):
                q.speakers = [who]
        out: list[Quote] = []
        for (a, b), ask in zip(paras[first:], asks[first:], strict=True):
            if ask:
                continue
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            m = _ANSWER.match(text, a, b)
            if m:
                a = m.end()
            b = self.narration(a, b)
            if b - a < 20 or _CREDIT.search(text, a, b):
                continue  # "This map shows … Image: Daly et al.": a caption with its credit
            span = self.doc.char_span(a, b, alignment_mode="expand")
            if span is None or not any(s.root.pos_ in ("VERB", "AUX") for s in span.sents):
                continue  # "File photo of …": a caption
            for s, e in self.pieces(a, b):
                out.append(Quote(s, e, s, e, [who], -1, "interview"))
        return out

    def interviewee(self, end: int) -> Actor | None:
        """The one person the text before ``end`` says is interviewed: the object of
        "interview", "spoke/talked with/to", the subject of "was interviewed"."""
        found: list[Actor] = []
        for sent in self.sents[: self.sent_index(end) + 1]:
            if sent.start_char >= end:
                break
            for t in sent:
                lemma = t.lemma_.casefold()
                if t.pos_ != "VERB" or lemma not in ("interview", "speak", "talk"):
                    continue
                if lemma != "interview":  # "Wikinews spoke with X", not "Obama spoke with X"
                    subj = self.subject(t)
                    m = self.refs.mention_at_token(subj) if subj is not None else None
                    if subj is None or subj.lower_ in ("he", "she") or (m and m.type == "PERSON"):
                        continue
                heads = []
                for c in t.children:
                    if lemma == "interview" and c.dep_ in ("dobj", "nsubjpass", "appos"):
                        heads.append(c)
                    elif c.dep_ == "prep" and c.lower_ in ("with", "to"):
                        heads += [p for p in c.children if p.dep_ == "pobj"]
                if lemma == "interview" and t.dep_ == "acl" and t.tag_ == "VBN":
                    heads.append(t.head)  # "Jack Herrick, wikiHow founder interviewed by …"
                for h in heads:
                    if h.lower_ in ("he", "she", "him", "her"):  # "He was interviewed by …"
                        found += self.only_person_before(sent.start_char)
                    found += [a for a in self.interviewed(h) if a[1] == "PERSON"]
        names_ = {a[0] for a in found}
        return found[0] if len(names_) == 1 else None

    def only_person_before(self, end: int) -> list[Actor]:
        """The one person the text names before ``end`` (none if it names several)."""
        people = {m.name for m in self.refs.by_type["PERSON"][1] if m.start < end}
        return [(people.pop(), "PERSON")] if len(people) == 1 else []

    def heading_interviewee(self, paras: list[tuple[int, int]]) -> Actor | None:
        """A heading line that is only a person's name, the last one before the questions
        ("Interview / Aner Shalev / What are you going to talk about …?")."""
        for a, b in reversed(paras[-3:]):
            line = self.text[a:b].strip()
            if not line or len(line) > 60:
                continue
            for x in self.refs.by_type["PERSON"][1]:  # the line names a person of the text
                if line in (x.name, x.surface.strip()):
                    return (x.name, "PERSON")
        return None

    def alone_in_paragraph(self, q: Quote) -> bool:
        """The quotation is its paragraph: nothing but blanks before it on its line and
        nothing but blanks and a full stop after it."""
        text = self.text
        line_start = text.rfind("\n", 0, q.outer_start) + 1
        line_end = text.find("\n", q.outer_end)
        line_end = len(text) if line_end == -1 else line_end
        return not text[line_start : q.outer_start].strip() and not text[
            q.outer_end : line_end
        ].strip(" \t.")

    def title_interviewee(self) -> Actor | None:
        """The person the headline says is interviewed or talks ("Wikinews interviews
        Marymegan Daly on …", "Biologist Nick Bos tells Wikinews about …") when the text names
        them: the one person of the article whose surname is a word of the headline."""
        if not self.title or _TITLE_INTERVIEW.search(self.title) is None:
            return None
        words = {w.casefold() for w in _WORD.findall(self.title)}
        found = {
            m.name for m in self.refs.by_type["PERSON"][1] if m.name.casefold().split()[-1] in words
        }
        return (found.pop(), "PERSON") if len(found) == 1 else None

    def interviewed(self, h: Any) -> list[Actor]:
        """The one person a phrase names ("the site's founder, Jack Herrick", "Assistant
        Professor in … at Washington State University Simon Ličen"), else none."""
        people = dedupe(
            (m.name, m.type)
            for t in h.subtree
            if (m := self.refs.mention_at_token(t)) is not None and m.type == "PERSON"
        )
        return people if len(people) == 1 else []

    def pieces(self, a: int, b: int, limit: int = 1000) -> list[tuple[int, int]]:
        """An answer cut at sentence ends into pieces of at most ``limit`` characters."""
        out: list[tuple[int, int]] = []
        s = last = -1
        for sent in self.sents[self.sent_index(a) :]:
            if sent.start_char >= b:
                break
            ss, e = max(sent.start_char, a), min(sent.end_char, b)
            if self.in_quote(ss, e):  # a sentence quoting someone: its quotation's own fact
                if last > s:
                    out.append((s, last))
                s = last = -1
                continue
            if s < 0:
                s = ss
            elif e - s > limit and last > s:
                out.append((s, last))
                s = ss
            last = e
        if last > s >= 0:
            out.append((s, last))
        return out

    def inline_texts(self, taken: list[Quote]) -> list[Quote]:
        """ "Apple released the text of Jobs's email, which reads: Team, At my request, …": a
        colon inside a line after a statement noun whose issuer is named (or a speech verb with
        its speaker); the words after it to the paragraph's end are the issuer's, and so are
        the next paragraphs while they speak in the first person (a letter or statement printed
        without marks), up to narration."""
        out: list[Quote] = []
        text = self.text
        for cm in _INLINE_COLON.finditer(text):
            colon, nxt = cm.start(), cm.end()
            if self.in_quote(colon, nxt) or any(q.start <= colon < q.end for q in taken):
                continue
            sent = self.sents[self.sent_index(colon)]
            para = text.rfind("\n", 0, colon) + 1
            line = self.doc.char_span(max(sent.start_char, para), colon, alignment_mode="contract")
            if line is None or not len(line) or text[nxt] in _QUOTE_MARKS:
                continue
            speakers = self.issued(line)  # not "The results: …", "He had one aim: …"
            if not speakers:
                continue
            start, first = nxt, True
            while start < len(text):
                end = text.find("\n\n", start)
                end = len(text) if end == -1 else end
                while end > start and text[end - 1].isspace():
                    end -= 1
                cut = self.narration(start, end)
                if (
                    cut - start < 20
                    or self.in_quote(start, end)
                    or (not first and not _FIRST_PERSON.search(text, start, end))
                ):
                    break
                out.append(
                    Quote(
                        start, cut, start, cut, speakers, sent.start_char if first else -1, "text"
                    )
                )
                if cut < end:
                    break
                m = re.compile(r"\s*").match(text, end)
                start, first = (m.end() if m else end), False
        return out

    def issued(self, line: Any) -> list[Actor]:
        """The person or organisation a statement noun of the line comes from ("the text of
        Jobs's email", "a statement from the ministry")."""
        for t in reversed(line):  # the nearest the colon first
            if t.pos_ not in ("NOUN", "PROPN") or t.lemma_.casefold() not in STATEMENT_NOUNS:
                continue
            if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in t.children):
                continue  # "its website": whose is a guess
            got = [a for a in self.issuer(t) if a[1] in ("PERSON", "ORG")]
            for c in t.children:
                if not got and c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj" and p.lemma_.casefold() in STATEMENT_NOUNS:
                            got = [a for a in self.issuer(p) if a[1] in ("PERSON", "ORG")]
            if got:
                return got
        return []

    def narration(self, start: int, end: int) -> int:
        """Where a statement paragraph under a heading turns back to narration: the first
        sentence whose main clause reports someone else's words ("They also claimed that …")."""
        si = self.sent_index(start)
        while si < len(self.sents) and self.sents[si].start_char < end:
            sent = self.sents[si]
            for t in sent:
                if (
                    t.pos_ == "VERB"
                    and (t.lemma_ in SPEECH_VERBS or t.lemma_ in REPORT_VERBS)
                    and any(c.dep_ in ("ccomp", "parataxis") for c in t.children)
                    and not any(a.dep_ in _EMBEDDED for a in [t, *t.ancestors])
                ):
                    subj = self.subject(t)
                    if subj is not None and subj.lower_ not in ("i", "we", "you", "that", "this"):
                        cut = max(start, sent.start_char)
                        while cut > start and self.text[cut - 1].isspace():
                            cut -= 1
                        return cut
            si += 1
        return end

    def heading_speaker(self, sent: Any) -> list[Actor]:
        """Who a heading line names as the speaker: the speaker of its speech verb ("X said:",
        "As stated by X:"), the source of a statement noun ("statement from X", "X's remarks"),
        or a line that is only a (titled) name."""
        for t in sent:
            if (
                t.pos_ == "VERB"
                and (t.lemma_ in SPEECH_VERBS or t.lemma_ in REPORT_VERBS)
                and not any(a.dep_ in _EMBEDDED for a in [t, *t.ancestors])
            ):  # "X said:", not "a piece that the Times quoted:"
                got = self.speaker_of(t)
                if got:
                    return got
        for t in sent:
            if t.pos_ in ("NOUN", "PROPN") and t.lemma_.casefold() in STATEMENT_NOUNS:
                for c in t.children:
                    if c.dep_ == "poss":
                        return self.speakers_of_phrase(c)
                    if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                        for p in c.children:
                            if p.dep_ == "pobj":
                                return self.speakers_of_phrase(p)
        toks = [t for t in sent if not t.is_space and t.text != ":"]
        chain = self.chain(toks[0].i, toks[-1].i) if toks else []
        if chain and len(chain) == len(toks):
            return [a for a in self.chain_name(chain) if a[1] == "PERSON"]
        return []

    # -- speakers ----------------------------------------------------------------------------

    def speaker_of(self, verb: Any, subj: Any = None) -> list[Actor]:
        """The speaker of a speech or cue verb, through the parse: its subject (a title chain
        collapsed onto the name it ends in, all the parties of a joint statement), the name after
        it in '"…," said <title> <Name>', the agent of "as stated by X"; a subject naming no
        entity is kept as the source phrase ("officials", "the report")."""
        quoted = self.quoted_as_saying(verb)
        if quoted:
            return quoted
        if subj is None:
            subj = self.subject(verb)
        fallback: list[Actor] = []
        said_after = not any(  # '"…," said X', not "as saying the White House expected …"
            c.dep_ in ("ccomp", "xcomp", "parataxis") and c.i > verb.i for c in verb.children
        )
        if said_after and (subj is None or subj.i > verb.i or self.quoted[subj.i]):
            chain = self.chain(verb.i + 1, verb.sent.end - 1)
            got = self.chain_name(chain)
            if got:
                return got
            fallback = self.chain_name(chain, tail=False, any_type=True)
            if subj is not None and not self.quoted[subj.i]:
                got = self.speakers_of_phrase(subj)
                if any(a[1] == "PERSON" for a in got) or not fallback:
                    return got
            if fallback:
                return fallback
        if subj is None:
            for c in verb.children:
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return self.speakers_of_phrase(p)
            return []
        if self.quoted[subj.i]:
            return []
        if subj.lower_ == "they" and subj.head.i == verb.i:
            people = self.refs.people_for_they(subj.idx)
            if people is not None:  # "Industry analysts have …; they point out …"
                return [people]
        got = self.dislocated(verb, subj) or self.speakers_of_phrase(subj)
        if any(a[1] == SOURCE for a in got) and not self.may_source(verb, subj):
            got = [a for a in got if a[1] != SOURCE]
        return got

    def reports(self, v: Any) -> bool:
        """A verb that reports what follows it: a report verb, or "point out"."""
        lemma = v.lemma_.casefold()
        if lemma in REPORT_VERBS:
            return True
        return lemma == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in v.children)

    def may_source(self, verb: Any, subj: Any) -> bool:
        """Whether a subject that names no entity is a source: of a speech verb ("officials
        said"), its own subject (not "the rise …, noting"); of another reporting verb, people,
        institutions or documents ("investigators believe", "the union threatened", "the report
        found"), not "a pause suggests"."""
        lemma = subj.lemma_.casefold()
        if subj.head.i != verb.i and not (verb.dep_ == "acl" and verb.head.i == subj.i):
            # "the report was critical of …, saying …": a subject inherited by a participle
            # speaks only if people, an institution or a document
            return (
                verb.dep_ == "advcl"
                and verb.tag_ == "VBG"
                and verb.head.i == subj.head.i
                and (
                    subj.tag_ in ("NNS", "NNPS")
                    or lemma in STATEMENT_NOUNS | ORG_NOUNS | PEOPLE_NOUNS
                )
            )  # "the senior banker was opposed, saying …" too
        if verb.lemma_.casefold() in SPEECH_VERBS:
            return True
        return subj.tag_ in ("NNS", "NNPS") or lemma in STATEMENT_NOUNS or lemma in ORG_NOUNS

    def dislocated(self, verb: Any, subj: Any) -> list[Actor]:
        """ "The head of NATO, Hoop Scheffer, he has explained …": a he/she subject after another
        subject of the same verb stands for the person named there (the last one)."""
        if subj.lower_ not in ("he", "she"):
            return []
        for c in verb.children:
            if c.dep_ in SUBJECT_DEPS and c.i < subj.i:
                people = [
                    m
                    for t in c.subtree
                    if (m := self.refs.mention_at_token(t)) is not None and m.type == "PERSON"
                ]
                if people:
                    return [(people[-1].name, "PERSON")]
        return []

    def quoted_as_saying(self, verb: Any) -> list[Actor]:
        """ "the NRC quoted the official as saying", "quoting an unnamed official as saying":
        the one quoted speaks, the subject only reports it."""
        if verb.lemma_.casefold() != "quote":
            return []
        obj = next((c for c in verb.children if c.dep_ == "dobj" and not self.quoted[c.i]), None)
        if obj is None or not any(
            c.dep_ == "prep" and c.lower_ == "as" or c.dep_ == "advcl" and c.lower_ == "saying"
            for c in verb.children
        ):
            return []
        return self.speakers_of_phrase(obj)

    def speakers_of_phrase(self, tok: Any) -> list[Actor]:
        """The speakers a subject names, every conjunct's; a description conjoined with a
        name ("American academic and professor Marc Lamont Hill") gives way to the name."""
        got = [self.head_speaker(h) for h in self.members(tok)]
        if any(a[1] == "PERSON" for g in got for a in g):
            got = [g for g in got if not any(a[1] == SOURCE for a in g)]
        return dedupe(a for g in got for a in g)

    def head_speaker(self, h: Any) -> list[Actor]:
        m = self.refs.mention_at_token(h)
        if m is not None and m.type == "PERSON":
            return [(m.name, m.type)]
        if m is None and h.pos_ == "PROPN" and is_aide(h):
            # "Aides to Sen. X" tagged a proper noun at a sentence's start
            got = dedupe(
                a
                for c in h.children
                if c.dep_ == "prep" and c.lower_ == "to"
                for a in self.people_in_phrase(c)
            )
            if got:
                return got
        if h.pos_ == "PROPN" or (h.text[:1].isupper() and h.pos_ != "PRON"):
            chain = self.chain(h.left_edge.i, h.right_edge.i)
            if chain and chain[-1].i >= h.i:
                got = self.chain_name(chain, tail=m is None)
                if got:
                    return got
        if m is None and len(h.text) > 1 and h.text.isupper() and h.is_alpha:
            return [(h.text, "ORG")]  # "WHO say …": an acronym nothing else named
        got = [
            a
            for a in self.head_actors(h)
            if a[1] != "MISC"
            or (h.pos_ == "PROPN" and not all(w in PERSON_TITLES for w in a[0].casefold().split()))
        ]
        if h.pos_ != "NOUN" or self.names_itself(h):
            return got
        for c in h.children:  # "American academic Marc Lamont Hill"
            if c.dep_ in ("compound", "appos", "nmod", "flat"):
                m = self.refs.mention_at_token(c)
                if m is not None and m.type == "PERSON":
                    return [(m.name, m.type)]
        holder = self.refs.role_holder(h)
        if holder is not None:  # "the trade minister said": the person named with that role
            return [holder]
        issuer = self.issuer(h)
        if issuer:  # "a statement from the White House", "a spokesperson for Amazon"
            return issuer
        if (
            h.lower_.endswith("ing")
            or any(
                c.dep_ == "det" and c.lower_ in ("no", "any", "every", "each") for c in h.children
            )
            or any(t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY") for t in h.subtree)
        ):
            return got  # "writing in a blog post", "no question would reveal": not a source
        if any(a[1] == "ORG" for a in got):
            if h.lemma_.casefold() in OWN_VOICE:  # "a CBT trader": the phrase names the exchange
                return [(self.source_phrase(h), SOURCE)]
            return got  # "Boeing officials", "officials at the WHO": the organisation speaks
        if h.i == h.sent.start and h.text[:1].isupper():  # "Perception said": a name, lowercased?
            named = self.refs.org_named(h.text)
            if named is not None:
                return [named]
        lemma = h.lemma_.casefold()
        if lemma in STATE_NOUNS and any(a[1] == "PLACE" for a in got):
            if lemma in ORG_NOUNS:
                return got  # "the Belgian government": the country, as everywhere else
        else:  # "West Germany's biggest bank", "Japanese analysts": not the country speaking
            got = [a for a in got if a[1] != "PLACE"]
            if lemma in ORG_NOUNS and h.tag_ == "NN" and self.described_by_place(h):
                # "West Germany's biggest bank said": the bank the article named, if one
                m = self.refs.before("ORG", h.idx, head=lemma, span=3000)
                m = m or self.refs.after("ORG", h.idx, head=lemma, span=600)  # a wire's lede
                if m is not None:
                    return [(m.name, m.type)]
        return dedupe([(self.source_phrase(h), SOURCE), *got])

    def described_by_place(self, h: Any) -> bool:
        """ "West Germany's biggest bank", "the country's largest carmaker": a singular thing
        of a place, ranked (a superlative), which the article has named."""
        poss = [c for c in h.children if c.dep_ == "poss"]
        if not poss or not any(c.tag_ == "JJS" for c in h.children if c.dep_ == "amod"):
            return False
        m = self.refs.mention_at_token(poss[0])
        return (m is not None and m.type == "PLACE") or poss[0].lower_ in ("country", "nation")

    def issuer(self, h: Any) -> list[Actor]:
        """Who a common noun's words come from: "a statement by / from X", "an email from X",
        "a spokesperson for X" (an organisation), "X's statement", "an aide to Sen. X" (a
        person)."""
        out: list[Actor] = []
        aide = is_aide(h)
        for c in h.children:
            if c.dep_ == "poss" and h.lemma_.casefold() in STATEMENT_NOUNS:  # "Cornyn's statement"
                out += [a for a in self.actors(c) if a[1] in ("PERSON", "ORG")]
            if (
                c.dep_ == "acl"
                and self.done_by(c)
                and h.lemma_.casefold() in STATEMENT_NOUNS | DATA_NOUNS
                and c.i == min(x.i for x in h.children if x.i > h.i)
            ):  # "a report released by X"
                c = next(x for x in c.children if x.dep_ == "agent")
            if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from", "for"):
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    for a in self.actors(p):
                        if a[1] == "ORG" or (a[1] == "PERSON" and c.lower_ != "for"):
                            out.append(a)
            if aide and c.dep_ == "prep" and c.lower_ == "to":
                out += self.people_in_phrase(c)
        return dedupe(out)

    def people_in_phrase(self, top: Any) -> list[Actor]:
        """The people a phrase names outside its clauses ("to Sens. Mitch McConnell (Ky.) and
        Pete Wilson", however the parse hangs the names; not "the panel that X chairs")."""
        out: list[Actor] = []
        for t in top.subtree:
            m = self.refs.mention_at_token(t)
            if m is None or m.type != "PERSON":
                continue
            x = t
            while x.i != top.i and x.dep_ not in ("relcl", "acl", "advcl", "ccomp"):
                x = x.head
            if x.i == top.i:
                out.append((m.name, m.type))
        return dedupe(out)

    def chain(self, start: int, limit: int) -> list[Any]:
        """The tokens from ``start`` (to ``limit``) that can make a title chain and a name:
        capitalised words, the words titles run through, modifiers of a later word."""
        out = []
        for i in range(start, limit + 1):
            t = self.doc[i]
            if self.quoted[i] or t.is_space:
                break
            if (
                t.text[:1].isupper()
                or t.lower_ in CHAIN_WORDS
                or (t.dep_ in ("compound", "amod", "nmod") and i < t.head.i <= limit)
            ):
                out.append(t)
            elif t.text == "," and out and i < limit and self.starts_person(self.doc[i + 1]):
                continue  # "said Airbus President and Chief Executive Officer, Tom Enders"
            else:
                break
        return out

    def starts_person(self, t: Any) -> bool:
        m = self.refs.mention_at_token(t)
        return m is not None and m.type == "PERSON" and m.start == t.idx

    def chain_name(
        self, chain: list[Any], tail: bool = True, any_type: bool = False
    ) -> list[Actor]:
        """The person a title chain ends in: its first person named (with those joined by
        "and"), else (``tail``) a run of two or more capitalised words no entity covers and no
        title ("Alejandro Ruiz" after "Deputy Secretary of Homeland Security"), else
        (``any_type``) the first entity in it ("said the United Auto Workers")."""
        people: list[Actor] = []
        first_other: Actor | None = None
        joined = False
        for t in chain:
            m = self.refs.mention_at_token(t)
            if m is None:
                if people and t.lower_ == "and":
                    joined = True
                continue
            if m.type == "PERSON":
                if not people or joined:
                    people.append((m.name, m.type))
                joined = False
            elif first_other is None and m.type in ("ORG", "PLACE"):
                first_other = (m.name, m.type)
        if people:
            return dedupe(people)
        if tail:
            runs: list[list[Any]] = [[]]
            for t in chain:
                if (
                    t.pos_ == "PROPN"
                    and t.text[:1].isupper()
                    and t.is_alpha
                    and self.refs.mention_at_token(t) is None
                    and t.lower_ not in PERSON_TITLES
                    and t.ent_type_ in ("", "PERSON")
                ):
                    runs[-1].append(t)
                elif runs[-1]:
                    runs.append([])
            names = [r for r in runs if len(r) >= 2]
            if names:
                return [(" ".join(t.text for t in names[-1]), "PERSON")]
        if any_type and first_other is not None and chain and chain[0].lower_ != "and":
            return [first_other]
        return []

    def source_phrase(self, h: Any) -> str:
        """A source that is no entity, as the text names it: "officials", "two people familiar
        with the matter", "the study's authors" (its relative clauses and asides left out)."""
        keep = {h.i}
        stack = [
            c for c in h.children if c.dep_ not in PHRASE_DROP and self.with_subject(c) is None
        ]
        while stack:  # below the head, a list stays whole ("officials from Japan and Germany")
            c = stack.pop()
            keep.add(c.i)
            stack += [
                x
                for x in c.children
                if x.dep_ not in PHRASE_DROP or (x.dep_ in ("conj", "cc") and c.dep_ == "pobj")
            ]
        a = min(keep)
        b = a
        while b + 1 in keep:
            b += 1
        if b < h.i:
            b = h.i
        if b - a >= 10:
            b = max(h.i, a + 9)
        if a < b and self.doc[a].lower_ in ("a", "an"):
            a += 1  # "an observer said": the source is "observer" (as "the" is dropped from names)
        words = [t.text_with_ws for t in self.doc[a : b + 1]]
        first = self.doc[a]
        if first.pos_ in ("DET", "NUM", "PRON") or (
            first.pos_ in ("NOUN", "ADJ") and not first.ent_type_ and not first.text.isupper()
        ):  # "Two people …", "Officials" at a sentence's start; not "Pakistani officials"
            words[0] = words[0][:1].lower() + words[0][1:]
        return "".join(words).strip(" ,;:")

    def sent_index(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def note_lists(self, sent: Any) -> None:
        for tok in sent:
            if tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.lemma_.casefold() in ORG_NOUNS:
                m = self.refs.mention_at_token(tok.head)
                if m is not None and m.type == "ORG":  # "NPD Group, a market research firm"
                    self.refs.described[tok.lemma_.casefold()] = (tok.idx, (m.name, m.type))
            if tok.dep_ == "conj" or not tok.conjuncts:
                continue
            group = []
            for h in self.members(tok):
                m = self.refs.mention_at_token(h)
                if m is not None:
                    group.append((m.name, m.type))
            group = dedupe(group)
            if len(group) >= 2 and len({t for _, t in group}) == 1:
                self.refs.note_list(sent.end_char, group)

    def head_actors(self, h: Any, depth: int = 0) -> list[Actor]:
        """The entities one noun (or pronoun) stands for."""
        m = self.refs.mention_at_token(h)
        if m is not None:
            return [(m.name, m.type)]
        if depth > 3:
            return []
        if h.pos_ == "PRON" or h.lower_ in RELATIVE_PRONOUNS:
            if h.lower_ in RELATIVE_PRONOUNS and h.head.dep_ == "relcl":
                ante = h.head.head
                m = self.refs.mention_at_token(ante)
                if h.lower_ == "which" and m is not None and m.type == "PERSON":
                    return self.thing_before(h, ante)  # "X, the CEO of GM, which …"
                return self.actors(ante, depth + 1)
            speaks = h.dep_ == "nsubj" and (
                h.head.lemma_.casefold() in SPEECH_VERBS or self.reports(h.head)
            )  # "it said": no unnamed thing speaks
            return self.refs.pronoun(h.lower_, h.idx, speaks=speaks)
        for c in h.children:
            if c.dep_ == "appos":  # "the petitioners, A and B, said": every party
                got = self.actors(c, depth + 1)
                if got:
                    return got
        if h.pos_ == "NOUN":
            got = self.set_off_holder(h)
            if got:
                return got
        if h.pos_ == "NOUN" and h.dep_ == "nsubj" and h.head.lemma_ == "be":
            # "Three companies which pulled out were A, B and C": the names it is said to be
            for c in h.head.children:
                if c.dep_ == "attr" and c.i > h.i and c.pos_ == "PROPN":
                    got = [a for a in self.actors(c, depth + 1) if a[1] in ("PERSON", "ORG")]
                    if got:
                        return got
        # "Agency officials said", not "bank industry sources" (a kind of industry, no bank)
        bare = h.dep_ == "compound" and h.lower_ in ORG_NOUNS and h.head.dep_ != "compound"
        got = self.refs.generic(h, bare=bare)
        if got or bare:
            return got
        if h.pos_ == "PROPN" and h.text[:1].isupper() or (h.text.isupper() and len(h.text) > 1):
            got = self.refs.surname(h.text, h.idx) or self.proper_name(h)
            if got:
                return got
        out: list[Actor] = []
        for c in h.children:  # "support sites such as Mac News", "banks including X and Y"
            if c.dep_ == "prep" and (
                (c.lower_ == "as" and any(x.lower_ == "such" for x in c.children))
                or c.lower_ in ("including", "like")
            ):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += [a for a in self.actors(p, depth + 1) if a[1] != "PLACE"]
        if out:
            return dedupe(out)
        for c in h.children:
            if c.dep_ in MODIFIER_DEPS:
                out += self.head_actors(c, depth + 1)
            elif c.dep_ == "prep" and c.lower_ in MOD_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj":  # "officials from Japan and Germany": both
                        out += self.actors(p, depth + 1)
        return dedupe(out)

    def set_off_holder(self, h: Any) -> list[Actor]:
        """ "the vice president of Dacia, Constantin Stroe, said": the person set off after the
        role's organisation, which the parse hangs on the organisation, holds the role."""
        for c in h.children:
            if c.dep_ != "prep" or c.lower_ not in ("of", "for", "at"):
                continue
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                for a in p.children:
                    m = self.refs.mention_at_token(a) if a.dep_ == "appos" else None
                    if m is not None and m.type == "PERSON" and a.i > p.i:
                        return [(m.name, m.type)]
        return []

    def thing_before(self, pron: Any, antecedent: Any) -> list[Actor]:
        """ "which" never stands for a person: the last organisation or place named between
        the person it was attached to and the pronoun, else nobody."""
        for i in range(pron.i - 1, antecedent.i, -1):
            m = self.refs.mention_at_token(self.doc[i])
            if m is not None and m.type in ("ORG", "PLACE"):
                return [(m.name, m.type)]
        return []

    def members(self, tok: Any) -> list[Any]:
        """A phrase's head and its conjuncts; in a list, a name parsed as an apposition counts
        ("the United States, South Korea, and Japan" with "South Korea" as appos)."""
        out = [tok]
        if any(c.dep_ == "conj" for c in tok.children):
            head = self.refs.mention_at_token(tok)
            for c in tok.children:
                if c.dep_ == "appos" and head is not None:
                    m = self.refs.mention_at_token(c)
                    if m is not None and m.type == head.type:
                        out.append(c)
        out += tok.conjuncts
        return sorted(out, key=lambda t: t.i)

    def proper_name(self, h: Any) -> list[Actor]:
        """A name the entity extractor missed ("HBOS", "the Eurogroup"): the proper noun with its
        proper-noun compounds, typed MISC. Not for months, days or single capitals."""
        # the proper nouns and numbers of its own phrase just before it, at any depth ("Dow"
        # of "Dow Jones Industrial Average", "Russel 2000" of "Russel 2000 Index")
        doc, left = self.doc, h.i
        while left > h.left_edge.i and doc[left - 1].pos_ in ("PROPN", "NUM"):
            left -= 1
        while left < h.i and doc[left].pos_ == "NUM":
            left += 1
        right = h.i + 1  # "Standard and Poor's": a name with its conjoined part
        conj = [c for c in h.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
        if (
            conj
            and right + 1 < len(doc)
            and doc[right].lower_ in ("and", "&")
            and doc[right + 1].i == conj[0].i
            and conj[0].text[:1].isupper()
        ):
            right = conj[0].i + 1
            if right + 1 < len(doc) and doc[right].text in ("'s", "\u2019s"):
                if doc[right + 1].pos_ == "NUM":  # "Standard and Poor's 500"
                    right += 2
        span = doc[left:right]
        text = span.text
        words = text.casefold().split()
        if len(text) < 2 or any(w.strip(".") in _CALENDAR for w in words) or not text[0].isupper():
            return []
        if any(
            self.quoted[t.i]
            or t.ent_type_ in ("DATE", "TIME", "CARDINAL")
            and not (t.pos_ == "NUM" and t.i > left and doc[t.i - 1].pos_ in ("PROPN", "PART"))
            for t in span
        ):
            return []
        return [(text, "MISC")]

    def actors(self, tok: Any, depth: int = 0) -> list[Actor]:
        """The entities a phrase stands for: its head and its conjuncts."""
        out: list[Actor] = []
        for h in self.members(tok):
            out += self.head_actors(h, depth)
        return dedupe(out)

    def note_subject(self, subj: Any, who: list[Actor]) -> None:
        """Remember a subject for later pronouns: the entity it names, or the organisation or
        name that modifies it ("the Dow Jones index"), not a place that does ("the St. Louis
        plant" is not St. Louis)."""
        if not self.names_itself(subj):
            who = [a for a in who if a[1] != "PLACE"]
        if who:
            self.refs.note_subject(who, subj.idx)

    def names_itself(self, tok: Any) -> bool:
        """The phrase is the entity (a name, a pronoun, "the company", an apposed name), not a
        thing merely modified by one ("the St. Louis plant")."""
        if self.refs.mention_at_token(tok) is not None or tok.pos_ in ("PRON", "PROPN"):
            return True
        if any(c.dep_ == "appos" and self.refs.mention_at_token(c) for c in tok.children):
            return True
        return bool(self.refs.generic(tok))

    def affiliation(self, tok: Any) -> list[Actor]:
        """'X, a spokesman for Y' → Y (entities inside the subject's apposition)."""
        out: list[Actor] = []
        for c in tok.children:
            if c.dep_ == "appos" and self.refs.mention_at_token(c) is None:
                for t in c.subtree:
                    m = self.refs.mention_at_token(t)
                    if m is not None and m.type in ("ORG", "PLACE"):
                        out.append((m.name, m.type))
        return dedupe(out)

    def outlets(self, verb: Any) -> list[Actor]:
        """Where a speaker said it: 'told Reuters', 'in a statement to X', 'in an interview with
        X', 'speaking to the BBC, X said'."""
        out: list[Actor] = []
        lemma = verb.lemma_.casefold()
        for c in verb.children:
            if c.dep_ in ("dative", "dobj") and lemma in ("tell", "inform", "brief"):
                out += self.actors(c)
            elif c.dep_ == "prep" and c.lower_ == "in":
                for p in c.children:
                    if p.dep_ == "pobj" and p.lemma_ in ("statement", "interview", "post"):
                        for pp in p.children:
                            if pp.dep_ == "prep" and pp.lower_ in ("to", "with"):
                                for o in pp.children:
                                    if o.dep_ == "pobj":
                                        out += self.actors(o)
            elif c.dep_ == "advcl" and c.lemma_ in ("speak", "talk") and c.tag_ == "VBG":
                for pp in c.children:
                    if pp.dep_ == "prep" and pp.lower_ in ("to", "with"):
                        for o in pp.children:
                            if o.dep_ == "pobj":
                                out += self.actors(o)
        return out

    def sources(self, sent: Any) -> tuple[list[tuple[Any, list[Actor]]], set[int]]:
        """Attributions in a sentence: 'according to X', 'as reported by X', 'as per X's
        statement', 'quoting X', 'citing X'. Returns (attribution token, sources) pairs and the
        verbs they used."""
        out: list[tuple[Any, list[Actor]]] = []
        verbs: set[int] = set()
        for t in sent:
            if self.quoted[t.i]:
                continue
            low = t.lower_
            got: list[Actor] = []
            if low == "according":
                for c in t.children:
                    if c.lower_ == "to":
                        got += [
                            a
                            for p in c.children
                            if p.dep_ == "pobj"
                            for a in self.speakers_of_phrase(p)
                        ]
            elif low == "per" and (t.head.lower_ == "as" or t.dep_ == "prep"):
                for p in t.children:
                    if p.dep_ == "pobj":  # "as per X" may name a source, "per share" not
                        got += [
                            a
                            for a in self.speakers_of_phrase(p)
                            if a[1] != SOURCE or t.head.lower_ == "as"
                        ]
            elif t.pos_ == "VERB" and any(
                c.dep_ == "mark" and c.lower_ == "as" for c in t.children
            ):
                if t.lemma_ in (
                    "report",
                    "say",
                    "state",
                    "announce",
                    "confirm",
                    "quote",
                ) and not any(
                    c.dep_ in ("dobj", "ccomp") for c in t.children
                ):  # "as Reuters reported", not "as makers reported lower sales"
                    verbs.add(t.i)
                    if any(c.dep_ == "auxpass" for c in t.children):  # "as reported by X"
                        got += [
                            a
                            for c in t.children
                            if c.dep_ == "agent"
                            for p in c.children
                            if p.dep_ == "pobj"
                            for a in self.speakers_of_phrase(p)
                        ]
                    else:
                        got += self.speaker_of(t)
            elif t.lemma_ in ("quote", "cite") and t.pos_ == "VERB" and t.tag_ == "VBG":
                verbs.add(t.i)
                for c in t.children:
                    if c.dep_ == "dobj":
                        got += self.actors(c)
            if got:
                out.append((t, got))
        return out, verbs

    def subject(self, v: Any, depth: int = 0) -> Any:
        subjects = [c for c in v.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            # "Malaysia's Prime Minister, Najib Razak said" / "Whitey MacDonald, chairperson of
            # Local 1520, Canadian Auto Workers union said": a named person, else the nearest
            before = [c for c in subjects if c.i < v.i] or subjects
            for c in reversed(before):
                m = self.refs.mention_at_token(c)
                if m is not None and m.type == "PERSON":
                    return c
            return before[-1]
        if depth < 4 and v.dep_ in ("conj", "xcomp") and v.head.pos_ in ("VERB", "AUX"):
            return self.subject(v.head, depth + 1)
        if v.dep_ == "acl" and self.with_subject(v) is not None:
            return v.head  # "…, with analysts saying …"
        if depth < 4 and v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ in ("VERB", "AUX"):
            # "he said, adding that ...", "the report was critical of it, saying ..."
            return self.subject(v.head, depth + 1)
        if v.dep_ == "ROOT" and v.tag_ in ("VBD", "VBZ", "VBP") and v.i > v.sent.start:
            got = self.stranded(v)
            if got is not None:
                return got
        aside = self.aside_subject(v)
        return aside[0] if aside is not None else None

    def aside_subject(self, v: Any) -> tuple[Any, Any] | None:
        """ "Britain, angry over what it feels are moves …, views the issue as a test case",
        "Aides to Sen. X, whose spots were rumored to be in jeopardy, said …": a verb parsed
        without a subject, whose subject opening the sentence was hung on a clause of the aside
        set off by commas after it (parsed as a complement before the verb). Returns (subject,
        that clause), else None."""
        for c in v.children:
            if c.dep_ != "ccomp" or c.i > v.i or v.i - 1 <= c.i or self.doc[v.i - 1].text != ",":
                continue
            subs = [x for x in c.children if x.dep_ in SUBJECT_DEPS and x.i < c.i]
            if not subs:
                continue
            s = min(subs, key=lambda x: x.i)
            if any(not (t.is_space or t.is_punct) for t in self.doc[v.sent.start : s.left_edge.i]):
                continue
            comma = next((t for t in self.doc[s.i + 1 : c.i] if t.text == ","), None)
            if (
                comma is None
                or not s.is_ancestor(comma)
                or any(t.pos_ in ("VERB", "AUX") for t in self.doc[s.i : comma.i])
                or self.quoted[s.i]
            ):
                continue
            return s, c
        return None

    def stranded(self, v: Any) -> Any:
        """ "In a press conference at 16:15 UTC, Fritz Henderson, the CEO of GM, which …,
        outlined a plan": a main verb parsed without a subject whose named subject was hung as
        an apposition of the words before it. Walks up from the word before the verb to the
        first named person or organisation set off as an apposition."""
        i = v.i - 1
        while i > v.sent.start and self.doc[i].is_punct:
            i -= 1
        x = self.doc[i]
        for _ in range(12):
            if self.quoted[x.i] or x.i == v.i or x.head.i == x.i:
                return None
            m = self.refs.mention_at_token(x)
            if m is not None and m.type in ("PERSON", "ORG") and x.dep_ == "appos":
                return x
            x = x.head
        return None

    def done_by(self, t: Any) -> bool:
        """ "The petition, filed by A, B and C, asks …": a participle describing a noun with
        its agent is a clause of its own (the agents acted)."""
        return (
            t.dep_ == "acl"
            and t.tag_ == "VBN"
            and t.head.pos_ in ("NOUN", "PROPN")
            and any(  # by someone named, not "by the Americans with Disabilities Act"
                c.dep_ == "agent"
                and any(p.dep_ == "pobj" and self.named_agent(p) for p in c.children)
                for c in t.children
            )
        )

    def named_agent(self, p: Any) -> bool:
        """A person or organisation named, or a place by its name ("Americans" is not one)."""
        m = self.refs.mention_at_token(p)
        if m is None:
            return False
        return m.type in ("PERSON", "ORG") or (m.type == "PLACE" and p.tag_ == "NNP")

    def clause_verbs(self, sent: Any) -> list[Any]:
        out = []
        for t in sent:
            if self.quoted[t.i] or t.pos_ != "VERB":
                continue
            if t.dep_ not in CLAUSE_DEPS and not self.done_by(t) and not self.absolute(t):
                continue
            if t.dep_ == "conj" and t.head.pos_ not in ("VERB", "AUX"):
                continue
            out.append(t)
        return out

    def absolute(self, t: Any) -> bool:
        """ "…, with Airbus spokesman X saying the move was unprecedented": a participle of a
        report verb with a subject of its own after "with" is a clause of its own."""
        if (
            t.dep_ == "pcomp"
            and self.characterizes(t)
            and any(c.dep_ == "nsubj" for c in t.children)
        ):
            return True  # "…, for what Steve Jobs described as “a nominal charge”"
        if t.tag_ != "VBG" or not self.reports(t):
            return False
        if t.dep_ == "pcomp":  # "with X saying …"
            return t.head.lower_ == "with" and any(c.dep_ == "nsubj" for c in t.children)
        return self.with_subject(t) is not None  # "with analysts saying …" (X hung on "with")

    def characterizes(self, v: Any) -> Any:
        """ "X described it as …", "what X called “…”", "X dubbed the conflict …": the
        complement that says what the subject called a thing ("as" or a predicate after the
        object), else None ("called a meeting", "described the scene" are not)."""
        lemma = v.lemma_.casefold()
        if lemma not in CHARACTERIZE or any(c.dep_ == "auxpass" for c in v.children):
            return None
        for c in v.children:
            if self.quoted[c.i]:
                continue
            if c.dep_ == "oprd" and lemma not in AS_ONLY:
                return c
            if c.dep_ == "prep" and c.lower_ == "as" and lemma != "call":
                if any(p.dep_ == "pobj" for p in c.children):
                    return c
        return None

    def with_subject(self, t: Any) -> Any:
        """The noun a participle hangs from in "…, with analysts saying …" (the noun the object
        of a verb's "with"), else None."""
        n = t.head
        if (
            t.dep_ == "acl"
            and t.tag_ == "VBG"
            and n.dep_ == "pobj"
            and n.head.lower_ == "with"
            and n.head.dep_ == "prep"
            and n.head.head.pos_ in ("VERB", "AUX")
        ):
            return n
        return None

    def owners(self, sent: Any, clauses: list[Any]) -> dict[int, Any]:
        """token index → the clause verb it belongs to (its nearest clause ancestor)."""
        cset = {c.i for c in clauses}
        owner: dict[int, Any] = {}
        for t in sent:
            x = t
            for _ in range(40):
                if x.i in cset or x.dep_ == "ROOT" or x.head.i == x.i:
                    break
                x = x.head
            owner[t.i] = x
        return owner

    def sent_ents(self, sent: Any) -> list[Any]:
        """The model's entities inside a sentence (``sent.ents``, without the walk)."""
        out = []
        for i in range(bisect_left(self.ent_starts, sent.start), len(self.ents)):
            ent = self.ents[i]
            if ent.start >= sent.end:
                break
            if ent.end <= sent.end:
                out.append(ent)
        return out

    def date_spans(self, sent: Any) -> list[tuple[int, int, Any]]:
        """(start, end, head token) of time expressions in the sentence, outside quotations."""
        spans = []
        for ent in self.sent_ents(sent):
            if ent.label_ in DATE_LABELS and not self.quoted[ent.root.i]:
                spans.append((ent.start_char, ent.end_char, ent.root))
        base = sent.start_char
        for m in DATE_RE.finditer(sent.text):
            a, b = base + m.start(), base + m.end()
            if any(a < e and s < b for s, e, _ in spans):
                continue
            span = self.doc.char_span(a, b, alignment_mode="expand")
            if span is not None and not self.quoted[span.root.i]:
                spans.append((a, b, span.root))
        return sorted(spans)

    def ordered_dates(
        self, v: Any, spans: list[tuple[int, int, Any]], owner: dict[int, Any]
    ) -> list[tuple[int, int, bool]]:
        """Date spans for a clause: its own, then its sub-clauses', then its governors'."""
        own, below, above = [], [], []
        chain = []  # governing clauses whose time a clause inherits (not across relatives)
        x = v
        for _ in range(12):
            if x.head.i == x.i or x.dep_ in ("relcl", "acl"):
                break
            x = owner.get(x.head.i, x.head)
            chain.append(x.i)
        for s, e, root in spans:
            o = owner.get(root.i, root)
            item = (s, e, self.future(o))
            if o.i == v.i:
                own.append(item)
            elif _classifier_year(self.doc.text[s:e], root):
                continue  # "said 1986 profit fell", "for fiscal 1987": no time of v's
            elif v.is_ancestor(o):
                if not self.describes_a_noun(o, v):
                    below.append(item)
            elif o.i in chain:
                above.append((chain.index(o.i), item))
        return own + below + [item for _, item in sorted(above, key=lambda x: x[0])]

    def describes_a_noun(self, o: Any, v: Any) -> bool:
        """Is clause o (under v) a relative or adjectival clause of a noun ("X, who two days ago
        expressed doubts, said ...")? Its time is not v's."""
        x = o
        for _ in range(12):
            if x.i == v.i or x.head.i == x.i:
                return False
            if x.dep_ in ("relcl", "acl", "appos"):
                return True
            x = x.head
        return False

    def counts_things(self, ent: Any) -> bool:
        root = ent.root
        if root.dep_ != "nummod" or root.head.pos_ != "NOUN":
            return False
        return root.head.lemma_.casefold() not in TIME_NOUNS

    def text_of(self, v: Any, whole: bool = False, limit: int = 160) -> str:
        """The words after a verb that complete it (objects, complements, adverbials), or with
        ``whole`` the verb's whole phrase."""
        if v is None:
            return ""
        if whole:
            a, b = v.left_edge.i, v.right_edge.i
            while a < b and (self.doc[a].dep_ in ("mark", "punct") or self.doc[a].lower_ == "that"):
                a += 1
        else:
            parts = [c for c in v.children if c.i > v.i and c.dep_ not in TAIL_DEPS]
            if not parts:
                return ""
            a = min(p.left_edge.i for p in parts)
            b = max(p.right_edge.i for p in parts)
        span = self.doc[a : b + 1]
        return clip(span.text.strip(" ,;:"), limit)

    def verb_phrase(self, v: Any) -> str:
        words = []
        passive = any(c.dep_ == "auxpass" for c in v.children)
        for c in v.children:
            if c.i < v.i and (c.tag_ == "MD" or c.dep_ in ("neg", "auxpass")):
                words.append(c)
            elif c.i < v.i and passive and c.dep_ == "aux":
                words.append(c)  # "has been fined", not "been fined"
            elif (
                c.i < v.i
                and c.lower_ in ("did", "does", "do")
                and any(x.dep_ == "neg" for x in v.children)
            ):
                words.append(c)
        words.append(v)
        words += [c for c in v.children if c.dep_ == "prt"]
        return " ".join(w.text for w in sorted(words, key=lambda w: w.i))

    def subject_text(self, subj: Any) -> str:
        if subj is None:
            return ""
        return clip(self.doc[subj.left_edge.i : subj.right_edge.i + 1].text, 60)

    def named_subject(self, subj: Any, actors: list[Actor]) -> str:
        """How a statement names its subject: by the actors when the subject is one of them (a
        name, a pronoun, "the company"), else as written: "Stock prices in the United States
        rose", not "United States rose"; "American lenders began", not "United States began"."""
        if not actors:
            return self.subject_text(subj)
        if self.only_mentions(subj):
            return self.subject_text(subj) or names(actors)
        return names(actors)

    def only_mentions(self, subj: Any) -> bool:
        """The subject is a common noun that is no actor itself, neither a name nor a reference
        to one ("the company"): the actors named inside it ("North Korea's cyber activities",
        "Stock prices in the United States") are what it is about, not who acted."""
        return (
            subj is not None
            and subj.pos_ == "NOUN"
            and self.refs.mention_at_token(subj) is None
            and not self.refs.generic(subj)
        )

    def verb_of(self, tok: Any) -> Any:
        """The verb a token hangs from (itself if a verb)."""
        x = tok
        for _ in range(12):
            if x.pos_ in ("VERB", "AUX") or x.head.i == x.i:
                return x
            x = x.head
        return x

    def future(self, v: Any) -> bool:
        """Spoken of as ahead: 'will', 'shall', 'is going to', 'plans to', 'is due to'."""
        if any(c.lower_ in ("will", "shall", "'ll", "wo") for c in v.children if c.dep_ == "aux"):
            return True
        if v.lemma_ in ("go", "plan", "schedule", "expect", "due") and any(
            c.dep_ == "xcomp" for c in v.children
        ):
            return True
        return v.dep_ == "xcomp" and v.head.lemma_ in ("go", "plan", "schedule", "due")


def is_aide(h: Any) -> bool:
    """An aide's noun ("aide", "Aides" however tagged)."""
    low = h.lower_
    return low in AIDE_NOUNS or (low.endswith("s") and low[:-1] in AIDE_NOUNS)


_MATCHERS: list[tuple[Any, Any]] = []  # (vocab, Matcher): one per loaded pipeline
# Verbs that head a multi-word cue: "call/appeal for", "express/voice <concern>", "speak/lash
# out", "take aim".
_PHRASAL = frozenset("call appeal express voice speak lash take".split())


def cue_matcher(vocab: Any) -> Any:
    """spaCy's Matcher for cue verbs, on the lemma and the part of speech (one pass over the
    doc, a few per cent of the facts' time; a DependencyMatcher for the phrasal cues cost five
    times as much, so their one child is checked on the matched verb)."""
    for v, m in _MATCHERS:
        if v is vocab:
            return m
    from spacy.matcher import Matcher

    m = Matcher(vocab)
    m.add("CUE", [[{"POS": "VERB", "LEMMA": {"IN": sorted(CUE_VERBS | _PHRASAL)}}]])
    _MATCHERS.append((vocab, m))
    return m


def cues(doc: Any) -> dict[int, str]:
    """token index of a cue verb → the cue ("accuse", "call for", "express concern")."""
    out: dict[int, str] = {}
    for _, start, _ in cue_matcher(doc.vocab)(doc):
        v = doc[start]
        lemma = v.lemma_.casefold()
        if lemma in CUE_VERBS:
            out[v.i] = lemma
            continue
        for c in v.children:
            if lemma in ("call", "appeal") and c.dep_ == "prep" and c.lower_ == "for":
                out[v.i] = f"{lemma} for"
            elif lemma in ("express", "voice") and c.dep_ == "dobj":
                out[v.i] = f"{lemma} {c.lemma_.casefold()}"
            elif lemma in ("speak", "lash") and c.dep_ == "prt" and c.lower_ == "out":
                out[v.i] = f"{lemma} out"
            elif lemma == "take" and c.dep_ == "dobj" and c.lower_ == "aim":
                out[v.i] = "take aim"
    return out


_YEAR = re.compile(r"(?:fiscal\s+)?(?:19|20)\d\d")


def _classifier_year(text: str, root: Any) -> bool:
    """A bare year that classifies a noun ("1986 profit", "fiscal 1987 budget", "the 1987
    payments"), not a time adverbial: a clause's time only where it is the clause's own."""
    return bool(_YEAR.fullmatch(text.strip())) and (
        root.dep_ in ("compound", "nmod", "amod", "nummod") and root.head.pos_ in ("NOUN", "PROPN")
    )
