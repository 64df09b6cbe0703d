"""A parsed article as the fact extractor reads it: who a phrase names, which sources a sentence
is attributed to, which clause a token belongs to, time expressions per clause, and the words that
complete a verb.

``Parsed`` holds what every sentence needs (the doc, the mentions and discourse state of
``refs.Refs``, which tokens are quoted); ``quotes.QuoteFacts`` reads it and ``dep.DepFacts``
extends it (``dep`` uses ``quotes``, never the reverse). "Who" follows the parse: a named head,
its conjuncts (and a name mis-parsed as an apposition in a list), a pronoun or "the company"
resolved by ``Refs``, a relative pronoun's antecedent, an apposed name, else names modifying the
head ("North Korean cyber activities"), else a proper noun the entity extractor missed (typed
MISC).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from newsdesk.index.extract.facts.common import DATE_LABELS, DATE_RE, Quote, clip
from newsdesk.index.extract.facts.refs import ORG_NOUNS, RELATIVE_PRONOUNS, Actor, Refs, dedupe

CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
TIME_NOUNS = frozenset(
    "year day hour week month minute second time decade century point percent".split()
)
TAIL_DEPS = frozenset({"cc", "conj", "advcl", "relcl", "parataxis", "mark", "punct", "prt", "neg"})
MODIFIER_DEPS = frozenset({"compound", "poss", "nmod", "amod"})
MOD_PREPS = frozenset({"of", "in", "from", "at"})
_CALENDAR = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)


class Parsed:
    """One parsed article: the doc, its mentions (``refs``) and its quotations."""

    def __init__(self, text: str, doc: Any, refs: Refs, quotes: Sequence[Quote]) -> None:
        self.text = text
        self.doc = doc
        self.refs = refs
        self.quotes = list(quotes)
        self.quoted = [False] * len(doc)
        qi = 0
        for tok in doc:
            while qi < len(self.quotes) and self.quotes[qi].end <= tok.idx:
                qi += 1
            if qi < len(self.quotes) and self.quotes[qi].start <= tok.idx < self.quotes[qi].end:
                self.quoted[tok.i] = True
        self.consumed: set[int] = set()  # verbs already used (report content, attribution)
        self.quote_verbs: set[int] = set()
        self.sents = [s for s in doc.sents if s.text.strip()]
        self.sent_starts = [s.start_char for s in self.sents]

    def sent_index(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def note_lists(self, sent: Any) -> None:
        for tok in sent:
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
                return self.actors(h.head.head, depth + 1)
            return self.refs.pronoun(h.lower_, h.idx)
        for c in h.children:
            if c.dep_ == "appos":
                got = self.head_actors(c, depth + 1)
                if got:
                    return got
        bare = h.dep_ == "compound" and h.lower_ in ORG_NOUNS  # "Agency officials said"
        got = self.refs.generic(h, bare=bare)
        if got or bare:
            return got
        if h.pos_ == "PROPN" and h.text[:1].isupper() or (h.text.isupper() and len(h.text) > 1):
            got = self.refs.surname(h.text, h.idx) or self.proper_name(h)
            if got:
                return got
        out: list[Actor] = []
        for c in h.children:
            if c.dep_ in MODIFIER_DEPS:
                out += self.head_actors(c, depth + 1)
            elif c.dep_ == "prep" and c.lower_ in MOD_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += self.head_actors(p, depth + 1)
        return dedupe(out)

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
        left = h
        for c in reversed([c for c in h.children if c.i < h.i]):
            if c.dep_ == "compound" and c.pos_ in ("PROPN", "NUM") and c.i == left.i - 1:
                left = c
        span = self.doc[left.i : h.i + 1]
        text = span.text
        words = text.casefold().split()
        if len(text) < 2 or any(w.strip(".") in _CALENDAR for w in words) or not text[0].isupper():
            return []
        if any(self.quoted[t.i] or t.ent_type_ in ("DATE", "TIME", "CARDINAL") for t in span):
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
                        got += [a for p in c.children if p.dep_ == "pobj" for a in self.actors(p)]
            elif low == "per" and (t.head.lower_ == "as" or t.dep_ == "prep"):
                for p in t.children:
                    if p.dep_ == "pobj":
                        got += self.actors(p)
            elif t.pos_ == "VERB" and any(
                c.dep_ == "mark" and c.lower_ == "as" for c in t.children
            ):
                if t.lemma_ in ("report", "say", "state", "announce", "confirm", "quote"):
                    verbs.add(t.i)
                    for c in t.children:
                        if c.dep_ == "agent":
                            got += [
                                a for p in c.children if p.dep_ == "pobj" for a in self.actors(p)
                            ]
                        elif c.dep_ in SUBJECT_DEPS:
                            got += self.actors(c)
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
        if depth < 4 and v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.pos_ == "VERB":
            return self.subject(v.head, depth + 1)  # "he said, adding that ..."
        return None

    def clause_verbs(self, sent: Any) -> list[Any]:
        out = []
        for t in sent:
            if self.quoted[t.i] or t.pos_ != "VERB" or t.dep_ not in CLAUSE_DEPS:
                continue
            if t.dep_ == "conj" and t.head.pos_ not in ("VERB", "AUX"):
                continue
            out.append(t)
        return out

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

    def date_spans(self, sent: Any) -> list[tuple[int, int, Any]]:
        """(start, end, head token) of time expressions in the sentence, outside quotations."""
        spans = []
        for ent in sent.ents:
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
        for c in v.children:
            if c.i < v.i and (c.tag_ == "MD" or c.dep_ in ("neg", "auxpass")):
                words.append(c)
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
