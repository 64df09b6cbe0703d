"""What qualifies a fact: negated, conditional, hedged, future — read off the dependency parse.

A fact never states as true what its text conditions, hedges or denies. ``qualify(text, drafts,
doc)`` decides each draft's qualifiers from the parse of its evidence and makes its one-line
statement say them; ``extract_facts`` calls it before numbering the facts.

The cues are found once per article: a spaCy ``Matcher`` (``cue_matcher``) picks the tokens that
may qualify something (the word classes below, ``neg`` dependents), and ``Cues`` checks the tree
around each — a ``DependencyMatcher`` with the same patterns cost 4–7% of the whole extraction's
CPU, this about 0.5%. Each cue qualifies one verb (its *target*):

- negated: a ``neg`` child ("not", "n't", "never"), "no" determining the subject or object ("No
  agreement was reached"), a negative governing verb over its complement ("refused to sign",
  "failed to reach", "denied that …");
- conditional: an adverbial clause marked "if" / "unless" (not "even if", "as if"), or
  "provided (that)" / "providing": the main verb is conditional (the *consequent*), and so is the
  condition's own verb (the *antecedent*: "… if Boeing is indicted" states no indictment);
- hedged: the modals may / might / could / should, a hedging adverb on the verb ("nearly broke",
  "reportedly stole"; not on a number: "nearly 2,000 workers walked out" is asserted), a hedging
  governor ("appears to", "seems to", "is believed / thought / alleged / said to", "is likely to");
- future: will / shall / would, and governors of intent or schedule ("plans to", "aims to",
  "intends to", "is expected to", "is set to", "is going to", "is due to", "vowed to").

The verbs a draft speaks for: its predicate's token, the chain of ``xcomp`` complements below it
and the ``xcomp`` heads above it ("refused → sign", "is expected → raise"), for a report the
reported clause too ("said [Germany has not sent …]"); a conjoined verb without its own subject
or auxiliary shares its first conjunct's ("will not raise prices or cut jobs"). A quotation
takes the cues of the words framing it ("his intent was not to “…”") and of its own main verb.

The statement keeps what qualifies it: a conditional one ends with (or restores) its condition
("… if Boeing is indicted by the Justice Department"); a fact that *is* the condition reads as
one ("If Boeing is indicted …, the suspension is reinstated"), or, when the sentence gave a fact
for the clause it conditions, is merged into that fact (its actors added after); a hedge, modal
or negation the statement dropped is put back before its verb ("nearly broke", "may have
exposed"); a quotation under a negated frame is quoted with its frame.

The rules mode (no parse) decides its drafts' qualifiers in ``rules``, from the sentence's words:
``text_qualifiers`` here is what it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from newsdesk.index.extract.facts.common import REPORT_VERBS, SPEECH_VERBS, Draft, clip

QUALIFIERS = ("negated", "conditional", "hedged", "future")

# Word classes the matcher's patterns are built from (lemmas unless said otherwise).
NEG_GOVERNORS = ("deny", "refuse", "fail", "decline", "reject", "refute")
COND_MARKS = ("if", "unless")
# "if" after these opens an indirect question, not a condition ("asked if Germany would send")
QUESTION_VERBS = (
    "ask wonder know see check decide determine question doubt inquire learn clear unclear sure"
).split()
COND_WORDS = ("provided", "providing")  # "provided (that) the government approves"
FUTURE_MODALS = ("will", "shall", "'ll", "wo", "would", "'d")
# Verbs whose complement is what someone is asked or told to do, not what the fact asserts.
REQUEST_FRAMES = frozenset("ask tell urge order instruct advise".split())
HEDGE_MODALS = ("may", "might", "could", "should")
HEDGE_ADVERBS = (
    "nearly almost reportedly allegedly apparently possibly probably perhaps maybe "
    "purportedly supposedly seemingly presumably reputedly ostensibly likely"
).split()
HEDGE_GOVERNORS = ("appear", "seem")  # active: "appears to have built"
HEDGE_PASSIVES = (  # passive: "is believed to have supplied"
    "believe think suspect allege say report rumor rumour understand fear"
).split()
ACCUSED = ("suspect", "accuse", "allege")  # passive with "of": "is suspected of having leaked"
HEDGE_ADJECTIVES = ("likely", "unlikely", "possible")
FUTURE_GOVERNORS = (
    "plan aim intend expect schedule prepare propose seek hope promise pledge vow threaten want"
).split()
FUTURE_PASSIVES = ("set", "schedule", "slate", "expect")  # "is set to hold"
FUTURE_ADJECTIVES = ("due", "poised", "set", "about", "ready", "likely")
# A clause of time in the present tense under a verb with will / would / shall speaks of the
# future too ("would start work when Funaro returns")
TIME_MARKS = ("when", "once", "after", "before", "until", "till", "as soon as")
# A negated verb whose infinitive complement then does not happen ("would not allow it to
# commit"); not the verbs whose negation asserts it ("did not hesitate to sell")
NEG_PASS_THROUGH = frozenset("allow permit let enable mean want need plan intend".split())

# After "not", words that make it no negation of the verb ("not only … but also", "not least")
NOT_NEGATING = frozenset({"only", "just", "merely", "simply", "least"})
# How a quotation hangs from the words framing it ("was not to “…”", "refused “to …”")
FRAME_DEPS = frozenset({"xcomp", "ccomp", "acomp", "attr", "pcomp", "pobj", "dobj", "oprd"})
# Contractions as a reader wants them in a cue
_CONTRACTED = {"n't": "not", "'ll": "will", "wo": "will", "'d": "would", "ca": "can"}

_MATCHERS: list[tuple[Any, Any]] = []  # (vocab, Matcher): one per loaded pipeline


def cue_matcher(vocab: Any) -> Any:
    """A spaCy ``Matcher`` for the tokens that may qualify a verb: the words and lemmas of the
    lists above and every ``neg`` dependent. ``Cues`` checks the tree around each."""
    for v, m in _MATCHERS:
        if v is vocab:
            return m
    from spacy.matcher import Matcher

    words = {"no", "yet", "long", "going", *COND_MARKS, *COND_WORDS, *FUTURE_MODALS}
    words |= set(TIME_MARKS)
    words |= {*HEDGE_MODALS, *HEDGE_ADVERBS, *HEDGE_ADJECTIVES, *FUTURE_ADJECTIVES}
    lemmas = {*NEG_GOVERNORS, *HEDGE_GOVERNORS, *HEDGE_PASSIVES, *ACCUSED}
    lemmas |= {*FUTURE_GOVERNORS, *FUTURE_PASSIVES}
    m = Matcher(vocab)
    m.add("WORD", [[{"LOWER": {"IN": sorted(words)}}]])
    m.add("LEMMA", [[{"LEMMA": {"IN": sorted(lemmas)}}]])
    m.add("NEG", [[{"DEP": "neg"}]])
    _MATCHERS.append((vocab, m))
    return m


VERBAL = frozenset({"VERB", "AUX"})


class Cues:
    """The qualifier cues of one parsed article, by the token they qualify."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        # target token index -> [(qualifier, cue token index)]
        self.on: dict[int, list[tuple[str, int]]] = {}
        # antecedent verb index -> (consequent verb index, condition's first token index)
        self.antecedent: dict[int, tuple[int, int]] = {}
        # consequent verb index -> condition spans (first, last token index)
        self.conditions: dict[int, list[tuple[int, int]]] = {}
        seen: set[int] = set()
        for _, start, _ in cue_matcher(doc.vocab)(doc):
            if start not in seen:
                seen.add(start)
                self._token(doc[start])

    def add(self, target: Any, kind: str, cue: Any) -> None:
        self.on.setdefault(target.i, []).append((kind, cue.i))

    def condition(self, consequent: Any, clause: Any, first: int, last: int) -> None:
        """consequent holds if clause does (clause may be None: no verb found in it)."""
        self.on.setdefault(consequent.i, []).append(("conditional", first))
        self.conditions.setdefault(consequent.i, []).append((first, last))
        if clause is not None:
            self.on.setdefault(clause.i, []).append(("conditional", first))
            self.antecedent[clause.i] = (consequent.i, first)

    def _token(self, t: Any) -> None:
        low, dep, lemma = t.lower_, t.dep_, t.lemma_.casefold()
        h = t.head
        doc = self.doc
        # negated
        if dep == "neg":
            if t.i + 1 >= len(doc) or doc[t.i + 1].lower_ not in NOT_NEGATING:
                self.add(h, "negated", t)  # not "not only … but also", "not least"
                if h.lemma_.casefold() in NEG_PASS_THROUGH:
                    for c in h.children:  # "would not allow it to commit": no commitment
                        if c.dep_ == "ccomp" and infinitive(c):
                            self.add(c, "negated", t)
        elif low == "no" and dep == "det":
            if h.lemma_ in _NO_DOUBT and any(
                x.lower_ == "that" and x.dep_ == "mark" and x.i > h.i for x in h.sent
            ):
                pass  # "I have no doubt that …", "there is no question that …": a certainty
            elif h.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and h.head.pos_ in VERBAL:
                self.add(h.head, "negated", t)  # "No agreement was reached"
        elif low == "yet" and dep == "advmod" and h.lemma_ in ("have", "be"):
            for x in _xcomps(h):
                self.add(x, "negated", t)  # "has yet to ratify"
        if lemma in NEG_GOVERNORS and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ in ("xcomp", "ccomp"):
                    self.add(c, "negated", t)  # "refused to sign", "denied that …"
        # modals: will / would (not "would like") ahead; may / might / could / should hedged
        if t.tag_ == "MD" and h.i != t.i:
            if low in FUTURE_MODALS and h.lemma_ not in ("like", "love", "prefer", "rather"):
                self.add(h, "future", t)
            elif low in HEDGE_MODALS:
                self.add(h, "hedged", t)
        # hedged: an adverb on the verb (not on a number), a hedging governor
        if dep == "advmod" and low in HEDGE_ADVERBS and h.pos_ in VERBAL:
            self.add(h, "hedged", t)
        passive = t.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in t.children)
        if (
            (lemma in HEDGE_GOVERNORS and t.pos_ == "VERB")
            or (lemma in HEDGE_PASSIVES and passive)
            or (low in HEDGE_ADJECTIVES and t.pos_ == "ADJ")
        ):
            for x in _xcomps(t):
                self.add(x, "hedged", t)
        if lemma in ACCUSED and passive:  # "is suspected of having leaked": the fact, hedged
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
                self.add(t, "hedged", t)
        # future: governors of intent or schedule
        if (
            (lemma in FUTURE_GOVERNORS and t.pos_ == "VERB")
            or (lemma in FUTURE_PASSIVES and passive)
            or (low == "going" and t.tag_ == "VBG")
            or (low in FUTURE_ADJECTIVES and t.pos_ in ("ADJ", "ADV"))
        ):
            for x in _xcomps(t):
                self.add(x, "future", t)
        # future: a present-tense clause of time under a verb with will / would / shall
        if (
            low in TIME_MARKS
            and dep in ("advmod", "mark")
            and h.dep_ == "advcl"
            and h.tag_ in ("VBZ", "VBP")
            and any(
                c.tag_ == "MD" and c.lower_ in FUTURE_MODALS and c.lower_ not in ("'d",)
                for c in h.head.children
            )
        ):
            self.add(h, "future", t)
        # conditional
        if dep == "mark" and low in COND_MARKS and h.dep_ == "advcl":
            main = h.head
            if (
                main.i != h.i
                and main.pos_ in ("VERB", "AUX", "ADJ", "NOUN")
                and main.lemma_ not in QUESTION_VERBS  # "asked if …": a question
                and not _concessive(h, t)
            ):
                self.condition(main, h, t.i, _clause_end(h))
        elif low == "long" and dep == "advmod" and h.pos_ in ("VERB", "AUX", "ADJ"):
            for clause in t.children:  # "as long as" / "so long as" the ban stays
                if clause.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ == "as" for m in clause.children
                ):
                    self.condition(h, clause, t.left_edge.i, _clause_end(clause))
                    break
        elif (
            low in COND_WORDS
            and h.pos_ in VERBAL
            and h.i != t.i
            and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in t.children)
            and _opens_clause(t)
        ):  # "provided (that) the government approves", not "would be provided to", nor
            # "the data provided by the company shows"
            end = _provided_end(t, h)
            verbs = [x for x in doc[t.i + 1 : end + 1] if x.pos_ in VERBAL]
            if verbs:
                clause = next(
                    (x for x in verbs if x.dep_ in ("conj", "advcl", "ccomp", "pcomp")), None
                )
                self.condition(h, clause, t.i, end)


def infinitive(v: Any) -> bool:
    """A verb in the infinitive: "to commit", or bare after "let" ("let it commit")."""
    return v.tag_ == "VB" or any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


def _opens_clause(t: Any) -> bool:
    """Does a clause with its own subject start right after t ("provided [that] Israel
    pauses")?"""
    doc = t.doc
    i = t.i + 1
    if i < len(doc) and doc[i].lower_ == "that":
        i += 1
    if i >= len(doc):
        return False
    x = doc[i]
    for _ in range(4):  # "the government", "its own board": up to the noun
        if x.dep_ not in ("det", "compound", "amod", "poss", "nummod") or x.head.i == x.i:
            break
        x = x.head
    return x.dep_ in ("nsubj", "nsubjpass") and x.head.i > t.i


# "no doubt / question that …" affirms what follows
_NO_DOUBT = frozenset({"doubt", "question"})


def _xcomps(t: Any) -> list[Any]:
    return [c for c in t.children if c.dep_ == "xcomp"]


def _concessive(clause: Any, mark: Any) -> bool:
    """'even if', 'as if': no condition on what the main clause says."""
    for c in clause.children:
        if c.i < mark.i and c.lower_ == "even":
            return True
        if c.dep_ == "mark" and c.i != mark.i and c.lower_ == "as":
            return True
    prev = mark.doc[mark.i - 1] if mark.i > 0 else None
    return prev is not None and prev.lower_ in ("even", "as")


def _clause_end(clause: Any) -> int:
    end = clause.right_edge.i
    while end > clause.i and (clause.doc[end].is_punct or clause.doc[end].is_space):
        end -= 1
    return end


def _provided_end(cue: Any, target: Any) -> int:
    """The last token of 'provided (that) <clause>': up to the next comma or semicolon, within
    the sentence."""
    doc = cue.doc
    end = cue.i
    for t in doc[cue.i + 1 : cue.sent.end]:
        if t.text in (",", ";", ":") or t.is_sent_end and t.is_punct:
            break
        if t.is_punct and t.i == cue.sent.end - 1:
            break
        end = t.i
    return end


# --- which verbs a draft speaks for --------------------------------------------------------------


def _down(t: Any) -> list[Any]:
    """t and the chain of its xcomp complements ("refused → sign", "expected → raise"), not
    past a request ("asked them not to leave" asks; it is not negated)."""
    out = [t]
    seen = {t.i}
    while out[-1].lemma_.casefold() not in REQUEST_FRAMES:
        nxt = next(
            (c for c in out[-1].children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None
        )
        if nxt is None or nxt.i in seen:
            return out
        seen.add(nxt.i)
        out.append(nxt)
    return out


def _up(t: Any) -> list[Any]:
    """The xcomp heads above t ("sign" → "refused")."""
    out: list[Any] = []
    x = t
    while x.dep_ == "xcomp" and x.head.i != x.i and len(out) < 6:
        x = x.head
        out.append(x)
    return out


def _shared(t: Any) -> list[Any]:
    """The first conjunct whose auxiliaries and negation a conjoined verb shares: a conj with no
    subject or auxiliary of its own."""
    out: list[Any] = []
    x = t
    while (
        x.dep_ == "conj"
        and x.head.pos_ in ("VERB", "AUX")
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg") for c in x.children)
        and len(out) < 4
    ):
        x = x.head
        out.append(x)
    return out


def _find(text: str, phrase: str, start: int, end: int) -> int:
    """Where phrase (one-lined, maybe clipped with an ellipsis) begins in text[start:end]."""
    words = phrase.replace("\u2026", " ").split()[:6]
    if not words:
        return -1
    i = text.find(" ".join(words), start, end)
    if i >= 0:
        return i
    pat = r"\s+".join(re.escape(w) for w in words)
    m = re.compile(pat).search(text, start, end)
    return m.start() if m else -1


class _Token:
    """Token lookups by character offset, for one doc."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def at(self, pos: int) -> Any:
        from bisect import bisect_right

        i = bisect_right(self.starts, pos) - 1
        return self.doc[max(0, i)]


# --- qualify -------------------------------------------------------------------------------------


def qualify(text: str, drafts: list[Draft], doc: Any) -> list[Draft]:
    """Set each draft's qualifiers from the parse and make its statement say them; a draft that
    is only the condition of another draft of its sentence is merged into it. Drafts of the
    rules mode (doc None) keep what ``rules`` decided; their statements are checked alike."""
    if doc is None:
        for d in drafts:
            _say_condition_text(d)
        return drafts
    if not drafts:
        return drafts
    cues = Cues(doc)
    if not cues.on:
        return drafts
    toks = _Token(doc)
    spoken: list[set[int]] = []
    infos: list[tuple[Any, Any, Any]] = []
    for d in drafts:
        pred, content, quote = _anchor(text, d, doc, toks)
        verbs = _verbs(pred, content, quote)
        spoken.append({t.i for t in verbs})
        infos.append((pred, content, quote))
        _apply(text, d, verbs, cues, doc, quote)
    # a draft that is only a condition: into the draft of the clause it conditions, or of the
    # condition's first conjunct ("if Boeing is indicted or convicted"); else it reads as one
    cores = [
        None if quote is not None else (content if content is not None else pred)
        for pred, content, quote in infos
    ]
    dropped: set[int] = set()
    for k, d in enumerate(drafts):
        core = cores[k]
        if core is None:
            continue
        ante = next((x for x in [core, *_shared(core)] if x.i in cues.antecedent), None)
        if ante is None:
            continue
        consequent, mark = cues.antecedent[ante.i]

        def near(j: int, k: int = k, d: Draft = d) -> bool:
            return j != k and j not in dropped and drafts[j].start <= d.start < drafts[j].end

        into = next((j for j in range(len(drafts)) if near(j) and consequent in spoken[j]), None)
        if into is None and ante.i != core.i:
            into = next(
                (j for j in range(len(drafts)) if near(j) and getattr(cores[j], "i", -1) == ante.i),
                None,
            )
        if into is not None:
            e = drafts[into]
            e.who = e.who + [a for a in d.who if a not in e.who]
            e.where = e.where + [w for w in d.where if w not in e.where]
            dropped.add(k)
        else:
            d.statement = _as_condition(ante, doc[consequent], mark, cues, doc)
    return [d for k, d in enumerate(drafts) if k not in dropped]


def _anchor(text: str, d: Draft, doc: Any, toks: _Token) -> tuple[Any, Any, Any]:
    """(predicate token, reported clause's token or None, quotation span or None)."""
    span = doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None or not len(span):
        return None, None, None
    if d.kind == "QUOTE":
        a = _find(text, d.object, d.start, d.end)
        if a < 0:
            return None, None, None
        b = min(d.end, a + len(d.object.rstrip("\u2026")))
        q = doc.char_span(a, b, alignment_mode="expand")
        return None, None, q
    word = d.predicate.split()[0] if d.predicate else ""
    cands = [t for t in span if t.lemma_.casefold() == word and t.pos_ in ("VERB", "AUX")]
    obj_at = _find(text, d.object, d.start, d.end) if d.object else -1
    pred = None
    if len(cands) == 1:
        pred = cands[0]
    elif cands:
        if obj_at >= 0:
            o = toks.at(obj_at)
            holding = [t for t in cands if t.left_edge.i <= o.i <= t.right_edge.i]
            # the nearest: "X has not said …, but Y says [the object]" is Y's "says"
            pred = min(holding, key=lambda t: t.right_edge.i - t.left_edge.i, default=None)
        pred = pred or cands[0]
    else:
        pred = span.root if span.root.pos_ in ("VERB", "AUX") else None
        if pred is None:
            return None, None, None
    content = None
    if d.kind == "REPORT" and obj_at >= 0:
        o = toks.at(obj_at)
        x = o
        for _ in range(12):  # up from the first word of what is reported to pred's child
            if x.head.i == x.i or x.head.i == pred.i:
                break
            x = x.head
        if x.head.i == pred.i and x.i != pred.i and x.pos_ in ("VERB", "AUX"):
            content = x
        elif (  # "…, analysts point out, X is expected to …": the clause the aside frames
            pred.dep_ == "parataxis"
            and pred.head.pos_ in ("VERB", "AUX")
            and pred.head.left_edge.i <= o.i <= pred.head.right_edge.i
        ):
            content = pred.head
    return pred, content, None


def _verbs(pred: Any, content: Any, quote: Any) -> list[Any]:
    if quote is not None:
        root = quote.root
        out = _down(root) if len(list(quote.sents)) == 1 else []
        x = root
        for _ in range(12):  # the frame: heads the quotation complements, up to the speech verb
            if x.head.i == x.i or x.dep_ not in FRAME_DEPS:
                break
            x = x.head
            if quote.start <= x.i < quote.end:
                continue
            out.append(x)
            if x.lemma_.casefold() in SPEECH_VERBS or x.lemma_.casefold() in REPORT_VERBS:
                break
        return out
    if pred is None:
        return []
    out = []
    for t in [pred] + ([content] if content is not None else []):
        for x in _down(t) + _up(t):
            out.append(x)
            out += _shared(x)
    return list({t.i: t for t in out}.values())


def _apply(text: str, d: Draft, verbs: Sequence[Any], cues: Cues, doc: Any, quote: Any) -> None:
    found: dict[str, list[tuple[int, int]]] = {}  # qualifier -> [(cue, target)]
    for v in verbs:
        for kind, cue in cues.on.get(v.i, ()):
            found.setdefault(kind, []).append((cue, v.i))
    if not found:
        return
    d.negated = d.negated or "negated" in found
    d.conditional = "conditional" in found
    d.hedged = "hedged" in found
    d.future = "future" in found
    words: list[str] = []
    conditions: list[str] = []
    consequent: list[str] = []  # conditions on what the draft states (not the draft itself)
    for kind in QUALIFIERS:
        for cue, target in found.get(kind, ()):
            if kind == "conditional":
                own = cues.antecedent.get(target, (-1, -1))[1] == cue
                span = next((s for s in cues.conditions.get(target, []) if s[0] == cue), None)
                if span is None:  # the fact is the condition itself
                    span = (cue, _clause_end(doc[target]))
                c = _flat(doc[span[0] : span[1] + 1].text)
                if c not in conditions:
                    conditions.append(c)
                    if not own:
                        consequent.append(c)
            else:
                w = _cue_words(doc[cue], doc[target])
                if w.casefold() not in (x.casefold() for x in words):
                    words.append(w)
    d.qualified_by = "; ".join(conditions + words)
    if quote is not None:
        _frame_quote(text, d, verbs, quote, found, doc)
        return
    _restore_words(d, verbs, found, doc)
    for c in consequent:
        d.statement = _with_condition(d.statement, c)


def _cue_words(cue: Any, target: Any) -> str:
    """The words of a cue as a reader wants them: a governor with its "to" ("set to", "refused
    to"), else the word ("not", "nearly", "will")."""
    if cue.i != target.i and target.head.i == cue.i and cue.dep_ not in ("neg", "aux", "advmod"):
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in target.children):
            return f"{cue.text} to"
    return _CONTRACTED.get(cue.lower_, str(cue.text))


def _flat(s: str) -> str:
    return " ".join(s.split())


def _restore_words(
    d: Draft, verbs: Sequence[Any], found: dict[str, list[tuple[int, int]]], doc: Any
) -> None:
    """The verb group of each negation, modal, hedge or governor as the text has it ("nearly
    broke", "may have exposed", "is going to cut", "is not"): put back where the statement has
    the verb without the cue, or with the cue but part of its group; left alone where the cue
    stands elsewhere in the statement ("has never before been")."""
    done: set[int] = set()
    for kind in ("negated", "hedged", "future"):
        for cue_i, _target in found.get(kind, ()):
            cue = doc[cue_i]
            if cue.dep_ == "det":
                continue  # "No agreement": in the subject
            v = cue.head if cue.dep_ in ("neg", "aux", "advmod") or cue.tag_ == "MD" else cue

            if v.i in done:
                continue
            done.add(v.i)
            before = [c for c in v.children if c.i < v.i and _in_group(c)]
            after = []
            for t in doc[v.i + 1 : v.i + 4]:  # "is not", "was probably not"
                if t.head.i != v.i or not _in_group(t) or t.dep_ in ("aux", "auxpass"):
                    break
                after.append(t)
            group = sorted([*before, v, *after], key=lambda t: t.i)
            if len(group) == 1:
                continue
            words = "|".join(re.escape(t.text) for t in group if t.i != v.i)
            pat = rf"(?<!\w)(?:(?:{words})\s+)*{re.escape(v.text)}(?:\s+(?:{words}))*(?!\w)"
            m = re.search(pat, d.statement)
            if m is None:  # "may reach or exceed": the conjunct the draft speaks for
                shared = " ".join(_CONTRACTED.get(t.lower_, t.text) for t in group if t.i != v.i)
                for x in verbs:
                    if any(y.i == v.i for y in _shared(x)):
                        _insert_before(d, x, shared)
                continue
            said = re.search(rf"(?<!\w){re.escape(cue.text)}(?!\w)", d.statement, re.I)
            if said and not (m.start() <= said.start() < m.end()):
                continue  # the statement says it elsewhere
            full = " ".join(t.text for t in group)
            if _flat(doc[group[0].i : group[-1].i + 1].text) in d.statement:
                continue  # "is also expected": the group as the text has it, adverb and all
            if m.group(0) != full:
                d.statement = clip(d.statement[: m.start()] + full + d.statement[m.end() :])


def _insert_before(d: Draft, verb: Any, words: str) -> None:
    """Words shared from a first conjunct ("will not") before the conjoined verb the draft speaks
    for ("… or cut jobs" → "will not cut jobs"), unless they stand right before it already."""
    m = re.search(rf"(?<!\w){re.escape(verb.text)}(?!\w)", d.statement)
    if m is None or d.statement[: m.start()].rstrip().casefold().endswith(words.casefold()):
        return
    d.statement = clip(f"{d.statement[: m.start()]}{words} {d.statement[m.start() :]}")


def _in_group(c: Any) -> bool:
    return c.dep_ in ("aux", "auxpass", "neg") or (c.dep_ == "advmod" and c.lower_ in HEDGE_ADVERBS)


def _with_condition(statement: str, condition: str) -> str:
    """The statement with its condition: kept if there (its first words will do in a statement
    cut short), its mark put back if the statement has the clause without it, else added at the
    end."""
    flat = _flat(statement)
    low = flat.casefold()
    cond = condition[0].lower() + condition[1:] if condition[:1].isupper() else condition
    words = cond.split()
    if cond.casefold() in low or " ".join(words[:4]).casefold() in low:
        return statement
    mark, rest = words[0], " ".join(words[1:5]).casefold()
    if rest and rest in low:
        i = low.index(rest)
        return clip(flat[:i] + mark + " " + flat[i:])
    body = flat.rstrip(" .;,")
    if body.casefold().endswith(" " + mark.casefold()):  # "… oil field provided"
        body = body[: -len(mark) - 1]
    return clip(f"{body} {cond}")


def _as_condition(ante: Any, consequent: Any, mark: int, cues: Cues, doc: Any) -> str:
    """'If <the condition, as the text has it>, <the clause it conditions>'."""
    spans = cues.conditions.get(consequent.i, [])
    first, last = next(((a, b) for a, b in spans if a == mark), (mark, _clause_end(ante)))
    skip = {t.i for t in ante.subtree}
    for a, b in spans:  # every condition of that clause is said once, in front
        skip.update(range(a, b + 1))
    words = [t for t in consequent.subtree if t.i not in skip]
    while words and (words[0].is_punct or words[0].is_space or words[0].dep_ == "mark"):
        words.pop(0)
    while words and (words[-1].is_punct or words[-1].is_space):
        words.pop()
    then = _flat(" ".join(_join_tokens(words)))
    if words and words[0].pos_ != "PROPN" and words[0].text != "I" and then[:1].isupper():
        then = then[:1].lower() + then[1:]
    cond = _flat(doc[first : last + 1].text)
    cond = cond[:1].upper() + cond[1:]
    return clip(f"{cond}, {then}" if then else cond)


def _join_tokens(words: Iterable[Any]) -> list[str]:
    """Token texts with their original spacing (one string per run of adjacent tokens)."""
    out: list[str] = []
    prev = None
    for t in words:
        if prev is not None and t.i == prev.i + 1 and out:
            out[-1] += prev.whitespace_ + t.text
        else:
            out.append(t.text)
        prev = t
    return out


def _frame_quote(
    text: str,
    d: Draft,
    verbs: Sequence[Any],
    quote: Any,
    found: dict[str, list[tuple[int, int]]],
    doc: Any,
) -> None:
    """A quotation under a frame that negates, conditions or hedges it ("his intent was not to
    “…”"): quoted with its frame."""
    inside = range(quote.start, quote.end)
    outer = quote.root
    while outer.i in inside and outer.head.i != outer.i:
        outer = outer.head  # the first word outside the quotation that it hangs from
    framing = []
    starts = []
    for pairs in found.values():
        for cue_i, target_i in pairs:
            cue, target = doc[cue_i], doc[target_i]
            if cue_i in inside:
                continue
            if target_i not in inside:
                tok = target
            elif cue.dep_ in ("neg", "aux", "advmod", "det", "mark") or cue.tag_ == "MD":
                tok = outer  # "was not to “perpetuate …”": the cue stands before the quotation
            else:
                tok = cue  # a governor: "refused “to let …”"
            if tok.i in inside or tok.lemma_.casefold() in SPEECH_VERBS:
                tok = cue
            framing.append(tok)
            starts.append(cue.idx)
    if not framing:
        return
    top = max(framing, key=lambda v: v.right_edge.i - v.left_edge.i)
    first = top.left_edge
    while first.i < top.i and (first.is_punct or first.dep_ == "mark"):
        first = doc[first.i + 1]
    a = min([first.idx, *starts])
    # up to the quotation's end, or a cue after it ("“…” is not what we want"), not the rest
    # of the frame's clause
    b = max([quote.end_char, *(t.idx + len(t.text) for t in framing)])
    while b < len(text) and text[b] in "\u201d\"'.\u2019":
        b += 1
    who = d.statement.split(": ", 1)[0] if ": " in d.statement else ""
    frame = text[a:b]
    d.statement = clip(f"{who}: {frame}" if who else frame, 600)


def _say_condition_text(d: Draft) -> None:
    """Rules mode: the condition the rules found (``qualified_by``) is in the statement."""
    if d.conditional and d.qualified_by:
        cond = d.qualified_by.split("; ")[0]
        first = cond.split(" ", 1)[0].casefold()
        if first in COND_MARKS + COND_WORDS or cond.casefold().startswith("as long as "):
            d.statement = _with_condition(d.statement, cond)


# --- the rules mode: qualifiers from a sentence's words -------------------------------------------

_NEG_WORDS = re.compile(r"(?<!\w)(?:not|never|no longer)(?!\w)|n't\b", re.I)
_NEG_GOVERNING = re.compile(
    r"(?<!\w)(?:den(?:y|ies|ied)|refus(?:e|es|ed)|fail(?:s|ed)? to|declin(?:e|es|ed) to)(?!\w)",
    re.I,
)
_FUTURE_WORDS = re.compile(r"(?<!\w)(?:will|shall|would|plans? to|aims? to|is set to)(?!\w)", re.I)
_HEDGE_WORDS = re.compile(
    r"(?<!\w)(?:may|might|could|nearly|almost|reportedly|allegedly|apparently|probably)(?!\w)",
    re.I,
)
# "if" / "unless" / "provided that" opening a condition; not "even if", "as if", nor an indirect
# question ("asked if", "unclear whether")
_CONDITION = re.compile(
    r"(?<![Ee]ven )(?<![Aa]s )(?<!ask )(?<!asks )(?<!asked )(?<!asking )(?<!wonder )"
    r"(?<!wondered )(?<!know )(?<!unclear )(?<!see )(?<!decide )(?<!check )"
    r"\b(?:[Ii]f|[Uu]nless|[Pp]rovided(?: that)?|[Aa]s long as)\s+[^,;:.!?\u201c\u201d\"]+",
)


def text_qualifiers(
    verb_words: str, sentence: str, quoted: Sequence[tuple[int, int]] = ()
) -> dict[str, str]:
    """Qualifiers from words alone (the rules mode): ``verb_words`` are the words between the
    actor and its verb, with the verb ("has not signed", "will", "reportedly"); ``sentence`` the
    sentence, ``quoted`` its quotations (offsets into sentence), where no condition is looked
    for. Conservative: a condition only from "if/unless/provided that/as long as" outside
    quotations, negation only in the verb's own words or a negative verb governing it. Returns
    {qualifier: the words that give it}."""
    out: dict[str, str] = {}
    m = _NEG_WORDS.search(verb_words) or _NEG_GOVERNING.search(verb_words)
    if m:
        out["negated"] = m.group(0).strip()
    m = _HEDGE_WORDS.search(verb_words)
    if m:
        out["hedged"] = m.group(0)
    m = _FUTURE_WORDS.search(verb_words)
    if m:
        out["future"] = m.group(0)
    for m in _CONDITION.finditer(sentence):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        out["conditional"] = m.group(0).strip()
        break
    return out
