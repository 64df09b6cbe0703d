"""Facts from a parsed article: one per clause at most, read off spaCy's dependency parse.

Each clause (a verb heading a sentence, a conjoined, complement, adverbial or relative clause) gives
at most one draft: a REPORT when its verb reports speech or a position ("said that", "denied"),
or when the sentence is attributed ("according to X", "as reported by X"); otherwise an EVENT when
its subject resolves to an entity (or its verb is an event verb with named objects); a clause
holding an amount of money, a percentage or a quantity is a VALUE. Quotations get their speaker
from the speech verb they hang from (see ``quotes``). Clauses inside quotations are the
speaker's words and give no facts of their own.

A parenthetical speech verb ("…, X said, Y began …", "Y was halted, X said") reports the clause
it is set in; a participle with a named agent ("the petition, filed by A, B and C") is an EVENT
of every agent. A subject that names no entity acts under its phrase when it is a state's body
("parliament passed a law") or people ("bankers agreed …", "the minister, who met X"); the
object is never made the actor in its place. "It"/"they" reporting a thing's or people's words
("the bank said it would …") stand for the speaker itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsdesk.index.extract.facts.common import (
    EVENT_VERBS,
    NEGATING_VERBS,
    PHYSICAL_CUES,
    REPORT_VERBS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    STOP_PREDICATES,
    VALUE_LABELS,
    Draft,
    Quote,
    clip,
    names,
)
from newsdesk.index.extract.facts.modality import NEG_PASS_THROUGH, QUESTION_VERBS, infinitive
from newsdesk.index.extract.facts.parsed import (
    CLAUSE_DEPS,
    STATE_NOUNS,
    SUBJECT_DEPS,
    Parsed,
    is_aide,
)
from newsdesk.index.extract.facts.quotes import QuoteFacts
from newsdesk.index.extract.facts.refs import ORG_NOUNS, PEOPLE_NOUNS, SOURCE, Actor, dedupe

HOLDINGS = frozenset("share stake interest holding investment".split())
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "off"})
# Speech verbs that, with nothing reported, only carry a quotation ("the office said").
BARE_SPEECH = frozenset(
    "say state add tell write explain reply note continue ask quote respond remark".split()
)
# Report verbs whose object (not only a clause) is what they report, and those taking "to ...".
OBJECT_REPORTS = frozenset(
    """deny confirm announce reveal allege claim report admit acknowledge estimate predict
    forecast reject dismiss refute disclose promise pledge vow threaten concede""".split()
)
# Verbs of a speaker's clause whose words an outlet's clause after them passes on.
NESTED_SPEECH = SPEECH_VERBS & REPORT_VERBS
# A state's bodies, acting under their common noun ("parliament passed a law").
INSTITUTIONS = frozenset(
    """government parliament congress senate cabinet police army military navy court
    legislature assembly""".split()
)
# Speech verbs that report a request or a question put to someone ("asked officials how …",
# "told staff to leave").
REQUESTS = frozenset({"ask", "tell"})
WH_WORDS = frozenset("how why what whether if when where who which".split())
# The past tense a statement gives a participle of speech ("…, with X saying …": X said).
PAST = {
    "say": "said",
    "tell": "told",
    "add": "added",
    "announce": "announced",
    "warn": "warned",
    "note": "noted",
    "claim": "claimed",
    "report": "reported",
    "state": "stated",
    "insist": "insisted",
    "argue": "argued",
    "predict": "predicted",
    "estimate": "estimated",
    "confirm": "confirmed",
    "deny": "denied",
    "explain": "explained",
    "suggest": "suggested",
    "write": "wrote",
}
# Source phrases that say nothing of who speaks ("others would see it as …").
VAGUE = frozenset("other others some many most few several both all any".split())
# Verbs whose passive complement with a named agent says what that agent will or must do.
PASSIVE_FRAMES = frozenset("have need be go expect set due require schedule plan".split())
ADVICE = frozenset("suggest recommend propose advise".split())
INTENT_REPORTS = frozenset("deny promise pledge vow threaten refuse claim".split())


class DepFacts(Parsed):
    """Drafts for one parsed article. ``run`` reads the sentences in order."""

    mixed_case: bool | None = None  # is the article written in mixed case (``table_line``)

    def run(self) -> Iterator[Draft]:
        quotes = QuoteFacts(self)
        by_first: dict[int, list[Quote]] = {}
        for q in self.quotes:
            by_first.setdefault(self.sent_index(q.outer_start), []).append(q)
        for si, sent in enumerate(self.sents):
            self.note_lists(sent)
            for q in by_first.get(si, []):
                yield from quotes.draft(q, self.sent_index(max(q.start, q.end - 1)))
            yield from self.sentence(sent)

    def sentence(self, sent: Any) -> Iterator[Draft]:
        if self.table_line(sent):
            return  # "USSR CORN", "Production 12.50 12.50 14.40 …": a heading or a table row
        clauses = self.clause_verbs(sent)
        owner = self.owners(sent, clauses)
        dates = self.date_spans(sent)
        sources, source_verbs = self.sources(sent)
        self.consumed |= source_verbs
        by_clause: dict[int, list[Actor]] = {}
        for tok, actors in sources:
            o = owner.get(tok.i, sent.root)
            by_clause.setdefault(o.i if o.i in {c.i for c in clauses} else sent.root.i, []).extend(
                actors
            )
        drafts: dict[int, Draft] = {}
        for t in sent:  # copulas give no fact, but their subjects are referred to later
            if t.pos_ == "AUX" and t.dep_ in CLAUSE_DEPS and not self.quoted[t.i]:
                subj = self.subject(t)
                if subj is not None:
                    self.note_subject(subj, self.actors(subj))
        for v in clauses:  # what report verbs report is theirs, whatever the word order
            if self.reports(v) and v.i not in self.consumed:
                c = self.content(v)
                if c is not None and c.pos_ in ("VERB", "AUX"):
                    self.consumed.add(c.i)
                    self.consumed.update(x.i for x in c.conjuncts)
        for v in clauses:
            if v.i in self.consumed:
                continue
            d = self.clause(v, sent, owner, dedupe(by_clause.get(v.i, [])))
            if d is not None:
                d.dates = self.ordered_dates(v, dates, owner)
                drafts[v.i] = d
        all_sources = dedupe([a for _, actors in sources for a in actors])
        if all_sources and not any(d.kind == "REPORT" for d in drafts.values()):
            d = self.attributed(sent, all_sources, dates)
            if d is not None:
                drafts[-1] = d
        if not drafts:
            d = self.fallback(sent, dates)
            if d is not None:
                drafts[-2] = d
        kept: dict[str, Draft] = {}  # one fact per statement, with the actors of both
        for d in drafts.values():
            first = kept.setdefault(d.statement.casefold(), d)
            if first is not d:
                first.who = dedupe(first.who + d.who)
        yield from kept.values()
        yield from self.values(sent, owner, drafts, dates)

    def table_line(self, sent: Any) -> bool:
        """A line of a table or a heading, not prose: in an article written in mixed case, a
        sentence without a lowercase letter; or one of eight or more words, two in five of
        them numbers, and no verb in lowercase ("Production 12.50 12.50 14.40 …", not "Viacom
        shares climbed 2-1/2 to 50-3/8")."""
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if not any(c.islower() for c in sent.text) and any(c.isalpha() for c in sent.text):
            if self.mixed_case is None:
                letters = [c for c in self.text if c.isalpha()]
                lower = sum(c.islower() for c in letters)
                self.mixed_case = lower > 0.5 * len(letters)
            if self.mixed_case:
                return True
        numbers = sum(1 for t in words if any(c.isdigit() for c in t.text))
        if len(words) < 8 or numbers * 5 < len(words) * 2:
            return False
        return not any(t.pos_ in ("VERB", "AUX") and t.text.islower() for t in words)

    def clause(
        self, v: Any, sent: Any, owner: dict[int, Any], sources: list[Actor]
    ) -> Draft | None:
        lemma = v.lemma_.casefold()
        if _is_question(v):
            return None  # "asked whether the U.S. was proposing …": a question, no fact
        subj = self.subject(v)
        who = self.actors(subj) if subj is not None else []
        negated = any(c.dep_ == "neg" or c.lower_ == "never" for c in v.children)
        if subj is not None and any(c.lower_ == "no" for c in subj.children if c.dep_ == "det"):
            negated = True
        if who and subj is not None:
            self.note_subject(subj, who)
        elif subj is not None and subj.tag_ == "NNS" and subj.lemma_.casefold() in PEOPLE_NOUNS:
            self.refs.last_people = (subj.idx, (self.source_phrase(subj), SOURCE))
        elif (
            subj is not None
            and subj.tag_ == "NN"
            and v.dep_ != "relcl"
            and subj.lemma_.casefold() not in ORG_NOUNS | PEOPLE_NOUNS | STATE_NOUNS
            and lemma not in SPEECH_VERBS
            and not self.reports(v)  # "the utility said …; it is establishing …": a speaker
        ):  # "the plane was delivered …; it was flown …" (not "the retailer reported …")
            self.refs.note_unnamed(subj.idx)
        content = self.content(v) if self.reports(v) else None
        if content is not None:
            return self.report(v, sent, subj, who, content, negated, sources)
        cue = self.cues.get(v.i)
        if cue is not None:
            d = self.cue_report(v, sent, subj, cue, negated, owner, sources)
            if d is not None:
                return d
        if self.characterizes(v) is not None:
            d = self.characterized(v, sent, subj, negated, sources)
            if d is not None:
                return d
        if lemma in REQUESTS and self.asks(v):
            return self.request(v, sent, subj, negated, sources)
        if lemma in SPEECH_VERBS and lemma in BARE_SPEECH:
            return None
        own_subject = any(c.dep_ in SUBJECT_DEPS for c in v.children)
        if v.dep_ == "advcl" and not own_subject and not sources:
            return None  # "..., utilizing sophisticated techniques": a modifier, not a fact
        d = self.event(v, sent, subj, who, negated, owner, attributed=bool(sources))
        if sources:  # "according to X, ...": the clause's fact, attributed
            if d is None:
                return self.report(v, sent, subj, who, None, negated, sources)
            d.kind = "REPORT"
            d.who = dedupe(sources + d.who)
            d.attributed_to = [a[0] for a in sources]
            d.statement = clip(f"According to {names(sources)}: {d.statement}")
            d.confidence = 0.6
        return d

    def cue_report(
        self,
        v: Any,
        sent: Any,
        subj: Any,
        cue: str,
        negated: bool,
        owner: dict[int, Any],
        sources: list[Actor],
    ) -> Draft | None:
        """'X accused Y of …', 'A, B and C condemned …', 'X called for …': a REPORT whose
        predicate is the cue, its speakers (every party) first, then the named parties it is
        about. Not for a passive without an agent ("X was accused of …": X is the target), nor
        a cue without a complement; a cue with a physical sense too ("hails from", "the plane
        promises more range") needs an object and, for a source that is no entity, a clause
        ("the union threatened to strike")."""
        deps = {c.dep_ for c in v.children}
        clausal = bool(deps & {"ccomp", "xcomp"})
        physical = v.lemma_.casefold() in PHYSICAL_CUES
        if physical and not (clausal or "dobj" in deps):
            return None
        if not deps & {"dobj", "ccomp", "xcomp", "prep", "dative", "attr", "oprd", "agent"}:
            return None
        if "auxpass" in deps:
            speakers = []
            for c in v.children:
                if c.dep_ == "agent":
                    speakers += [
                        a
                        for p in c.children
                        if p.dep_ == "pobj"
                        for a in self.speakers_of_phrase(p)
                    ]
            target, subj = subj, None
        else:
            target = None
            speakers = self.speaker_of(v, subj)
        if physical and not clausal:
            speakers = [a for a in speakers if a[1] in ("PERSON", "ORG", "PLACE")]
        if not speakers:
            return None
        d = self.event(v, sent, subj, speakers, negated, owner, attributed=bool(sources))
        if d is None:
            return None
        if target is not None:  # "X was praised by Y": the statement keeps its subject
            d.statement = clip(
                f"{self.subject_text(target)} {self.verb_phrase(v)} {self.text_of(v)}".strip()
            )
        d.kind = "REPORT"
        d.predicate = cue
        d.who = dedupe(sources + speakers + d.who)
        d.attributed_to = [a[0] for a in dedupe(speakers + sources)]
        d.confidence = 0.65
        return d

    def content(self, v: Any) -> Any:
        """What a report verb reports: its clausal complement, else its object ("said in a
        statement that …" included)."""
        aside = (
            self.aside_subject(v) if not any(c.dep_ in SUBJECT_DEPS for c in v.children) else None
        )
        for c in v.children:
            if c.dep_ in ("ccomp", "parataxis") and not self.quoted[c.i]:
                if aside is not None and c.i == aside[1].i:
                    continue  # the aside after the subject, not what is said
                return c
        for c in v.children:
            if c.dep_ != "prep":
                continue
            for p in c.children:
                if p.dep_ == "pobj" and p.lemma_.casefold() in STATEMENT_NOUNS:
                    for x in p.children:
                        if (
                            x.dep_ in ("acl", "ccomp", "relcl")
                            and x.pos_ in ("VERB", "AUX")
                            and any(m.dep_ == "mark" and m.lower_ == "that" for m in x.children)
                            and not self.quoted[x.i]
                        ):
                            return x
        lemma = v.lemma_.casefold()
        for c in v.children:
            if c.dep_ == "dobj" and lemma in OBJECT_REPORTS and not self.quoted[c.i]:
                return c  # "denied any involvement", "announced a plan"
            if c.dep_ == "xcomp" and lemma in INTENT_REPORTS and not self.quoted[c.i]:
                return c  # "threatened to attack"
            if c.dep_ == "xcomp" and c.tag_ == "VBG" and lemma in ADVICE and not self.quoted[c.i]:
                return c  # "suggest waiting for the first release"
        return self.framed(v)

    def framed(self, v: Any) -> Any:
        """The clause a parenthetical speech verb frames: "…, X said, Y began …" and "Y was
        halted, X said" parsed as a parataxis of Y's clause (a speech verb with no words of its
        own, set off by a comma)."""
        h = v.head
        if (
            v.dep_ != "parataxis"
            or h.pos_ not in ("VERB", "AUX")
            or self.quoted[h.i]
            or not (v.lemma_.casefold() in SPEECH_VERBS or self.reports(v))
            or any(c.dep_ in ("dobj", "ccomp", "xcomp", "parataxis") for c in v.children)
            or not any(c.dep_ in SUBJECT_DEPS for c in v.children)
        ):
            return None
        words = [t.i for t in v.subtree if not t.is_punct]
        a, b = min(words), max(words)
        before = self.doc[a - 1].text if a > v.sent.start else ""
        after = self.doc[b + 1].text if b + 1 < v.sent.end else ""
        marks = (",", "\u2014", "\u2013", "-")
        if v.i < h.i:  # "X added, Y has …" opening the sentence, "…, X said, Y began …"
            if after not in marks or (a > v.sent.start and before not in marks):
                return None
        elif before not in marks:  # "Y was halted, X said"
            return None
        return h

    def report(
        self,
        v: Any,
        sent: Any,
        subj: Any,
        speakers: list[Actor],
        content: Any,
        negated: bool,
        sources: list[Actor],
    ) -> Draft | None:
        tail: list[Actor] = []  # "…, Reuters reported": the outlet after the speaker
        inner = content
        if (
            inner is not None
            and inner.pos_ == "VERB"
            and self.subject(inner) is not None
            and not self.quoted[inner.i]
        ):
            # the outlet's clause closes the sentence, after the speaker's: "X said …, the
            # Journal reported" (the parse may hang either from the other)
            outlet_v, speech_v = (inner, v) if inner.i > v.i else (v, inner)
            if (
                outlet_v.lemma_ in ("report", "say", "write")
                and speech_v.lemma_ in NESTED_SPEECH
                and self.ends_sentence(outlet_v)
            ):
                tail = self.speaker_of(outlet_v)
                if not tail or any(a[1] == "PERSON" for a in tail):
                    tail = []  # "Ecuador asked …, Lusinchi said": a speaker, not an outlet
                elif speech_v is inner:
                    self.consumed.update((v.i, inner.i))
                    v, subj = inner, self.subject(inner)
                    speakers = self.actors(subj) if subj is not None else []
                    negated = any(c.dep_ == "neg" or c.lower_ == "never" for c in v.children)
                    content = self.content(inner)
                else:
                    self.consumed.add(inner.i)
                    content = self.content(inner)
        lemma = v.lemma_.casefold()
        if not any(c.dep_ == "auxpass" for c in v.children):
            speakers = self.speaker_of(v, subj) or speakers
        if lemma in PHYSICAL_CUES and (content is None or content.pos_ not in ("VERB", "AUX")):
            speakers = [a for a in speakers if a[1] != SOURCE]  # "the plane promises range"
        outlets = self.outlets(v) + tail
        others: list[Actor] = []
        if content is not None:
            self.consumed.add(content.i)
            self.consumed.update(x.i for x in content.conjuncts)
            csubj = self.subject(content)
            if csubj is not None and self.same_speaker(subj, csubj):
                # "the bank said it would …", "Boeing officials said they …"
                others = [a for a in speakers if a[1] != SOURCE] + [
                    a for a in self.actors(subj) if a[1] in ("ORG", "MISC")
                ]
            elif csubj is not None:
                others = self.actors(csubj)
        affiliation = self.affiliation(subj) if subj is not None else []
        if any(c.dep_ == "auxpass" for c in v.children):  # "X is said to be ...": X is the topic
            topic, speakers, affiliation = speakers, [], []
            for c in v.children:
                if c.dep_ == "agent":
                    speakers += [a for p in c.children if p.dep_ == "pobj" for a in self.actors(p)]
            others = dedupe(topic + others)
        who = dedupe(sources + speakers + others)
        if not who:
            return None
        if lemma in NEGATING_VERBS:
            negated = True
        if content is not None and content.i == v.head.i and v.dep_ == "parataxis":
            obj = self.text_without(content, v)  # "…, X said, Y began …": Y's clause alone
        else:
            obj = (
                self.text_of(content, whole=True)
                if content is not None
                else self.text_of(v, whole=True)
            )
        said_by = sources + speakers if sources else speakers
        verb = self.verb_phrase(v)
        head = names(said_by) if said_by else self.subject_text(subj)
        if v.tag_ == "VBG" and v.lemma_ in PAST and v.dep_ in ("advcl", "pcomp", "acl"):
            verb = PAST[v.lemma_]  # "…, with X saying …", "…, adding that …": X said, added
        aide = self.aide_of(subj, speakers)
        if aide:  # "an aide to Sen. X said": X's position, in the aide's words
            head = aide
            affiliation = [*affiliation, (aide, SOURCE)]
        if content is not None:
            statement = f"{head} {verb} {obj}"
        else:
            statement = f"According to {head}: {self.text_of(v, whole=True)}"
        return Draft(
            kind="REPORT",
            who=who,
            predicate=lemma,
            object=obj,
            statement=clip(statement),
            start=sent.start_char,
            end=sent.end_char,
            method="dep-parse",
            confidence=0.7 if speakers else 0.55,
            negated=negated,
            attributed_to=[a[0] for a in dedupe(speakers + affiliation + sources + outlets)],
            where=[],
        )

    def event(
        self,
        v: Any,
        sent: Any,
        subj: Any,
        who: list[Actor],
        negated: bool,
        owner: dict[int, Any],
        attributed: bool = False,
    ) -> Draft | None:
        lemma = v.lemma_.casefold()
        passive = self.passive_under(v)  # "will have to be approved by Apple"
        if passive is not None:
            lemma = passive.lemma_.casefold()
        if lemma in STOP_PREDICATES or not lemma.isalpha():
            return None
        subj_actors = list(who)
        agents: list[Actor] = []
        others: list[Actor] = []
        targets: list[Actor] = []  # "sanctions on Russia", "action against North Korea"
        where: list[str] = []
        at_verb: list[Actor] = []  # places the verb itself happened in ("fell in Europe")
        skip = set(t.i for t in subj.subtree) if subj is not None else set()
        for t in v.subtree:
            if t.i in skip or self.quoted[t.i] or owner[t.i].i != v.i:
                continue
            m = self.refs.mention_at_token(t)
            if m is None and t.dep_ in ("pobj", "dobj") and t.tag_ == "NNS":
                others += self.refs.generic(t)  # "among the three countries"
                continue
            if m is None or (t.i > 0 and self.refs.mention_at_token(t.doc[t.i - 1]) is m):
                continue
            r = _mention_root(t, m)
            while r.dep_ == "conj" and r.head.i != r.i:
                r = r.head  # "in Europe and Asia": both hang on "in"
            prep = r.head.lower_ if r.dep_ == "pobj" else ""
            if m.type == "PLACE" and prep in PLACE_PREPS:
                where.append(m.name)
                if r.head.head.i == v.i:
                    at_verb.append((m.name, m.type))
            elif m.type in ("PERSON", "ORG", "PLACE"):
                others.append((m.name, m.type))
                if _targeted(t, v):
                    targets.append((m.name, m.type))
        for c in v.children if passive is None else passive.children:
            if c.dep_ == "agent":
                agents += [a for p in c.children if p.dep_ == "pobj" for a in self.actors(p)]
        confidence = 0.65 if lemma in EVENT_VERBS else 0.5
        if agents:
            who = dedupe(agents + who)
        if who and self.only_mentions(subj):
            confidence -= 0.15  # "North Korea's cyber activities": about, not by
        if not who and subj is not None and self.institution(subj):
            # "parliament passed a law", "police arrested two men": the body as the text names it
            who, confidence = [(self.source_phrase(subj), SOURCE)], 0.45
        elif not who and subj is not None and self.someone(subj, v):
            # "the minister, who met X, …": someone unnamed acted; X is not the actor
            ante = subj.head.head if subj.lower_ in ("who", "that") else subj
            if subj.lower_ in ("who", "that") and subj.head.dep_ != "relcl":
                return None
            if ante.pos_ != "NOUN" or ante.lemma_.casefold() not in PEOPLE_NOUNS | STATE_NOUNS:
                return None
            who, confidence = [(self.source_phrase(ante), SOURCE)], 0.45
        if not who:  # never the party acted against as the actor (modality: the fact's sense)
            others = [a for a in others if a not in targets]
            if (
                not others
                and lemma in EVENT_VERBS
                and at_verb
                and subj is not None
                and subj.pos_ == "NOUN"
            ):  # "Stock prices fell in Europe and Asia": the places are all the text names (not
                # "…, which would fall due in London": a pronoun's antecedent is not a place)
                others = dedupe(at_verb)
                where = [w for w in where if w not in names(others)]
            if not others or (lemma not in EVENT_VERBS and not attributed):
                return None
            who, others, confidence = others, [], 0.35
        # the other parties named, not one the action is against ("agreed to impose sanctions
        # on Russia" does not list Russia among those that agreed)
        parties = [a for a in others if a[1] in ("PERSON", "ORG", "PLACE") and a not in targets]
        who = dedupe(who + parties)[:6]
        if not where:
            where = [a[0] for a in others if a[1] == "PLACE" and a not in who]
        head = self.named_subject(subj, subj_actors) or names(who[:1])
        if not subj_actors and subj is not None and subj.lower_ in ("who", "that", "which") and who:
            head = names(who[:1])  # "the minister, who met X" → "the minister met X"
        obj = self.text_of(v)
        gov = v.head
        if (
            v.dep_ == "ccomp"
            and gov.lemma_.casefold() in NEG_PASS_THROUGH
            and any(c.dep_ == "neg" for c in gov.children)
            and infinitive(v)
        ):  # "… would not allow it to commit X": the statement keeps what denies it
            gsubj = self.subject(gov)
            head = self.subject_text(gsubj) if gsubj is not None else head
            statement = f"{head} {self.verb_phrase(gov)} {self.text_of(gov)}"
            negated = True
        elif self.done_by(v):  # "the petition filed by A, B and C"
            noun = v.head
            first = min([noun.i] + [c.i for c in noun.children if c.i < noun.i])
            head, obj = self.doc[first : noun.i + 1].text, self.text_of(v, whole=True)
            statement = f"{head} {obj}"
        else:
            statement = f"{head} {self.verb_phrase(v)} {obj}"
        return Draft(
            kind="EVENT",
            who=who,
            predicate=lemma,
            object=obj,
            statement=clip(statement),
            start=sent.start_char,
            end=sent.end_char,
            method="dep-parse",
            confidence=confidence,
            negated=negated,
            where=dedupe_str(where),
        )

    def passive_under(self, v: Any) -> Any:
        """ "All applications will have to be approved by Apple", "the deal is expected to be
        signed by X": a passive with a named agent under a verb of obligation, plan or
        expectation is what the clause says happens (the agent acts). Else None."""
        if v.lemma_.casefold() not in PASSIVE_FRAMES:
            return None
        for c in v.children:
            if (
                c.dep_ == "xcomp"
                and c.pos_ == "VERB"
                and c.tag_ == "VBN"
                and not self.quoted[c.i]
                and any(x.dep_ == "auxpass" for x in c.children)
                and any(
                    x.dep_ == "agent"
                    and any(p.dep_ == "pobj" and self.named_agent(p) for p in x.children)
                    for x in c.children
                )
            ):
                return c
        return None

    def asks(self, v: Any) -> bool:
        """ "X asked officials how …", "X asked whether …", "X asked/told Y to …": what is
        asked or told is no quotation (a bare "X told reporters" only carries one)."""
        kids = list(v.children)
        if any(c.dep_ == "auxpass" for c in kids):
            return False  # "X was asked to …": X is asked
        if any(c.dep_ == "xcomp" and c.i > v.i and not self.quoted[c.i] for c in kids):
            return True
        if v.lemma_.casefold() != "ask":
            return False
        objs = [c for c in kids if c.dep_ in ("dobj", "dative") and c.i > v.i]
        after = v.i + 1
        if objs:  # after the object's own words (a question misparsed as its relative clause)
            o = objs[0]
            after = 1 + max(
                [o.i]
                + [
                    c.right_edge.i
                    for c in o.children
                    if c.i > o.i and c.dep_ not in ("relcl", "acl")
                ]
            )
        while after < v.sent.end and self.doc[after].dep_ in ("prt", "punct"):
            after += 1
        if after >= v.sent.end or self.quoted[after]:
            return False
        return self.doc[after].lower_ in WH_WORDS and self.doc[after].tag_ != "WDT"

    def request(
        self, v: Any, sent: Any, subj: Any, negated: bool, sources: list[Actor]
    ) -> Draft | None:
        """A REPORT of what a speaker asked or told someone (the question or request is the
        speaker's, not a fact of its own)."""
        if subj is None or self.quoted[subj.i]:
            return None
        speakers = self.speaker_of(v, subj)
        if not speakers:
            return None
        for c in v.children:
            if c.dep_ in ("ccomp", "xcomp") and not self.quoted[c.i]:
                self.consumed.add(c.i)
                self.consumed.update(x.i for x in c.conjuncts)
        obj = self.text_of(v)
        said_by = names(sources + speakers)
        return Draft(
            kind="REPORT",
            who=dedupe(sources + speakers),
            predicate=v.lemma_.casefold(),
            object=obj,
            statement=clip(f"{said_by} {self.verb_phrase(v)} {obj}"),
            start=sent.start_char,
            end=sent.end_char,
            method="dep-parse",
            confidence=0.6,
            negated=negated,
            attributed_to=[a[0] for a in dedupe(speakers + sources + self.outlets(v))],
            where=[],
        )

    def characterized(
        self, v: Any, sent: Any, subj: Any, negated: bool, sources: list[Actor]
    ) -> Draft | None:
        """ "X described the ruling as a victory", "what X called “reckless”": a REPORT of the
        speaker's words about a thing (a named speaker or a source that may speak)."""
        if subj is None or self.quoted[subj.i]:
            return None
        speakers = [
            a for a in self.speaker_of(v, subj) if a[1] != SOURCE or a[0].casefold() not in VAGUE
        ]  # not "others would see it as …"
        if not speakers:
            return None
        who = dedupe(sources + speakers)
        obj = self.text_of(v)
        if any(c.dep_ == "dobj" and c.tag_ in ("WP", "WDT") for c in v.children):
            obj = "it " + obj  # "what X described as …": X described it as …
        said_by = names(sources + speakers)
        return Draft(
            kind="REPORT",
            who=who,
            predicate=v.lemma_.casefold(),
            object=obj,
            statement=clip(f"{said_by} {self.verb_phrase(v)} {obj}"),
            start=sent.start_char,
            end=sent.end_char,
            method="dep-parse",
            confidence=0.6,
            negated=negated,
            attributed_to=[a[0] for a in dedupe(speakers + sources)],
            where=[],
        )

    def aide_of(self, subj: Any, speakers: list[Actor]) -> str:
        """The phrase of an aide speaking for the person named ("an aide to Sen. X"), when the
        speakers are that person; else ""."""
        if (
            subj is None
            or not is_aide(subj)
            or not speakers
            or not all(a[1] == "PERSON" for a in speakers)
            or not any(c.dep_ == "prep" and c.lower_ == "to" for c in subj.children)
        ):
            return ""
        return self.source_phrase(subj)

    def someone(self, subj: Any, v: Any) -> bool:
        """The active subject is a person or people the text does not name: a pronoun, "who",
        or a noun for people ("the minister", "bankers")."""
        if subj.dep_ != "nsubj" or subj.head.i != v.i:
            return False
        if subj.lower_ in ("who", "he", "she", "they", "i", "we", "you"):
            return True
        if subj.lower_ == "that" and subj.head.dep_ == "relcl":
            subj = subj.head.head
        return subj.pos_ == "NOUN" and subj.lemma_.casefold() in PEOPLE_NOUNS | STATE_NOUNS

    def institution(self, subj: Any) -> bool:
        """A subject that is a state's body named by its common noun ("parliament", "the
        police", "the cabinet"), acting, with no entity it stands for."""
        return (
            subj.pos_ == "NOUN"
            and subj.lemma_.casefold() in INSTITUTIONS
            and not subj.conjuncts
            and not any(
                c.dep_ in ("det", "poss") and c.lower_ not in ("the",) for c in subj.children
            )
            and not any(c.dep_ in ("amod", "compound", "nummod") for c in subj.children)
        )

    def same_speaker(self, subj: Any, pron: Any) -> bool:
        """ "The bank said it would …", "Bankers said they expect …": the pronoun subject of the
        words reported is the speaker itself when the speaker is a thing or people that agree
        with it in number (never a person: "he" and "she" are resolved as usual)."""
        if subj is None or subj.pos_ == "PRON" or pron.i < subj.i:
            return False
        m = self.refs.mention_at_token(subj)
        if m is not None and m.type == "PERSON":
            return False
        if pron.lower_ == "it":
            return subj.tag_ in ("NN", "NNP") and not subj.conjuncts
        if pron.lower_ == "they":
            return subj.tag_ in ("NNS", "NNPS") or bool(subj.conjuncts)
        return False

    def text_without(self, head: Any, aside: Any) -> str:
        """The words of head's phrase without the aside's (and the commas around it)."""
        inner = [t.i for t in aside.subtree if not t.is_punct]
        a, b = min(inner), max(inner)
        left, right = head.left_edge.i, head.right_edge.i
        while a - 1 > left and self.doc[a - 1].is_punct:
            a -= 1
        while b + 1 < right and self.doc[b + 1].is_punct:
            b += 1
        text = self.doc[left:a].text + " " + self.doc[b + 1 : right + 1].text
        return clip(text.strip(" ,;:.\u2014\u2013-"), 160)

    def ends_sentence(self, v: Any) -> bool:
        """Nothing but punctuation, or the verb's own adverbials ("on Monday"), after it."""
        for t in v.sent[v.i - v.sent.start + 1 :]:
            if _trailing(t):
                continue
            x = t
            while x.i != v.i and x.dep_ in (
                "prep",
                "pobj",
                "npadvmod",
                "advmod",
                "det",
                "amod",
                "compound",
                "nummod",
                "poss",
            ):
                x = x.head
            if x.i != v.i:
                return False
        return True

    def attributed(self, sent: Any, sources: list[Actor], dates: list[Any]) -> Draft | None:
        """A sentence attributed to a source whose main clause gave no fact of its own."""
        root = sent.root
        if self.quoted[root.i]:
            return None
        return Draft(
            kind="REPORT",
            who=list(sources),
            predicate="report",
            object=clip(sent.text, 300),
            statement=clip(f"According to {names(sources)}: {sent.text}"),
            start=sent.start_char,
            end=sent.end_char,
            method="dep-parse",
            confidence=0.5,
            attributed_to=[a[0] for a in sources],
            dates=[(s, e, self.future(self.verb_of(root))) for s, e, root in dates],
        )

    def fallback(self, sent: Any, dates: list[Any]) -> Draft | None:
        """A sentence parsed without a verb at its root ('X, the adviser, engaged in talks'):
        the named root is the subject of the first verb after it that has an object."""
        root = sent.root
        if root.pos_ not in ("PROPN", "NOUN") or self.quoted[root.i]:
            return None
        who = [a for a in self.head_actors(root) if a[1] in ("PERSON", "ORG", "PLACE")]
        if not who:
            return None
        for t in root.subtree:
            if t.i <= root.i or t.pos_ != "VERB" or t.dep_ not in ("acl", "relcl", "advcl", "conj"):
                continue
            if not any(c.dep_ in ("prep", "dobj", "xcomp", "ccomp") for c in t.children):
                continue
            if t.lemma_ in STOP_PREDICATES:
                continue
            obj = self.text_of(t)
            return Draft(
                kind="EVENT",
                who=who,
                predicate=t.lemma_.casefold(),
                object=obj,
                statement=clip(f"{names(who)} {t.text} {obj}"),
                start=sent.start_char,
                end=sent.end_char,
                method="dep-fallback",
                confidence=0.4,
                dates=[(s, e, self.future(self.verb_of(root))) for s, e, root in dates],
            )
        return None

    def values(
        self, sent: Any, owner: dict[int, Any], drafts: dict[int, Draft], dates: list[Any]
    ) -> Iterator[Draft]:
        """Amounts: a clause with money, a percentage or a quantity is a VALUE fact (an EVENT
        of that clause becomes one); counts of things only where the clause gave no fact."""
        groups: dict[int, list[Any]] = {}
        for ent in self.sent_ents(sent):
            if self.quoted[ent.root.i] or any(s <= ent.start_char < e for s, e, _ in dates):
                continue
            if ent.label_ in VALUE_LABELS:
                pass
            elif ent.label_ == "CARDINAL" and self.counts_things(ent):
                pass
            else:
                continue
            o = owner.get(ent.root.i)
            if o is None or o.pos_ not in ("VERB", "AUX"):
                continue
            groups.setdefault(o.i, []).append(ent)
        for vi, ents in groups.items():
            if vi in self.quote_verbs:
                continue  # a quotation's speech verb: the amounts are in the quotation fact
            strong = [e for e in ents if e.label_ in VALUE_LABELS]
            d = drafts.get(vi)
            if d is not None and d.kind == "EVENT":
                if strong:
                    d.kind = "VALUE"
                continue
            if not strong and d is not None:
                continue
            v = self.doc[vi]
            subj = self.subject(v)
            who = self.actors(subj) if subj is not None else []
            if not who and (subj is None or subj.pos_ != "PRON"):
                # "shares in HBOS falling by 41%": the name nearest before the amount (not for
                # an "it" that stands for no entity: "It has a 3.5-inch LCD display")
                first = min(e.start_char for e in ents)
                near = []
                for m in self.refs.within(sent.start_char, first):
                    span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                    if span is None or owner.get(span.root.i, span.root).i != vi:
                        continue
                    r = span.root
                    if (
                        m.type == "PLACE"
                        and r.dep_ == "pobj"
                        and r.head.lower_ in PLACE_PREPS
                        and r.head.head.lemma_ not in HOLDINGS
                    ):
                        continue  # "sales in Europe": where, not who ("shares in X" is X's)
                    near.append(m)
                if near:
                    who = [(near[-1].name, near[-1].type)]
            if not who and not strong:
                continue
            amounts = ", ".join(e.text for e in (strong or ents))
            obj = self.text_of(v)
            if (v.lemma_.casefold() in SPEECH_VERBS or self.reports(v)) and _reported(
                v, strong or ents
            ):
                continue  # "…, dealers said": the amounts are in what the REPORT holds
            head = self.named_subject(subj, who)
            yield Draft(
                kind="VALUE",
                who=who,
                predicate=v.lemma_.casefold(),
                object=obj or amounts,
                statement=clip(f"{head}: {self.verb_phrase(v)} {obj}".strip(": ")),
                start=sent.start_char,
                end=sent.end_char,
                method="dep-parse",
                confidence=0.6 if who else 0.3,
                dates=self.ordered_dates(v, dates, owner),
            )


def _reported(v: Any, ents: list[Any]) -> bool:
    """Do all the amounts lie in what speech verb v reports (a clausal complement the
    REPORT holds: "its ceiling could be 2.95 marks, dealers said")?"""
    parts = [c for c in v.children if c.dep_ in ("ccomp", "parataxis")]
    return bool(parts) and all(
        any(c.left_edge.i <= e.root.i <= c.right_edge.i for c in parts) for e in ents
    )


def _is_question(v: Any) -> bool:
    """Is clause v an indirect question: "whether …", or "if …" after a verb of asking or
    knowing ("asked if Germany would send …")? It states nothing as true."""
    for c in v.children:
        if c.dep_ == "mark" and c.lower_ == "whether":
            return True
        if c.dep_ == "mark" and c.lower_ == "if" and v.head.lemma_.casefold() in QUESTION_VERBS:
            return True
    return False


def _targeted(t: Any, v: Any) -> bool:
    """Is t (in v's clause) what the action is against or on: "action against North Korea('s
    …)", "impose sanctions on Russia"? Never the actor when the subject names no one."""
    x = t
    for _ in range(8):
        if x.i == v.i or x.head.i == x.i:
            return False
        if x.dep_ == "pobj" and x.head.lower_ in ("against", "on", "upon"):
            return True
        x = x.head
    return False


def _trailing(t: Any) -> bool:
    return t.is_punct or t.is_space


def dedupe_str(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _mention_root(t: Any, m: Any) -> Any:
    """The token of the mention starting at ``t`` that the parse hangs outside it ("States" in
    "the United States"): its dependency says how the name is used."""
    doc = t.doc
    k = t.i
    while k < len(doc) and doc[k].idx < m.end:
        h = doc[k].head
        if h.i == k or not (m.start <= h.idx < m.end):
            return doc[k]
        k += 1
    return t
