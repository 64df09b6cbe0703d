"""Facts without a parse (the rules mode): what regular expressions and mentions can find.

- QUOTE: a quotation followed by "…,” said X" / "X said" / "he said", or preceded by "X said,";
- REPORT: "according to X", "as reported by X", "X (has) said/reported/denied/... (that)";
- EVENT: a named actor directly followed by an event verb in the past tense ("X agreed", "X has
  signed");
- VALUE: money and percentages, credited to the nearest actor named before them in the sentence
  (not a source named by "according to").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from newsdesk.index.extract.dates import is_future
from newsdesk.index.extract.facts.common import (
    DATE_RE,
    EVENT_VERBS,
    NEGATING_VERBS,
    Draft,
    Quote,
    clip,
    names,
    split_sentences,
)
from newsdesk.index.extract.facts.modality import text_qualifiers
from newsdesk.index.extract.facts.refs import ORG_NOUNS, PLACE_NOUNS, Actor, Refs, dedupe

QUALIFIER_ORDER = ("conditional", "negated", "hedged", "future")  # as ``modality`` writes them


def first_clause(words: str) -> str:
    """What is reported, up to its first clause break: where its own negation or modal is."""
    return re.split(r"[,;:]| and | but | which | who ", words, maxsplit=1)[0]


_SAY = r"(?:said|says|added|adds|stated|states|told|wrote|explained|noted|warned|declared|insisted)"
_REPORT_FORMS = {
    "said": "say", "says": "say", "reported": "report", "alleged": "allege", "warned": "warn",
    "announced": "announce", "claimed": "claim", "claims": "claim", "denied": "deny",
    "denies": "deny", "stated": "state", "confirmed": "confirm", "revealed": "reveal",
    "told": "tell", "admitted": "admit", "accused": "accuse", "estimated": "estimate",
    "rejected": "reject",
}  # fmt: skip
_IRREGULAR = {
    "met": "meet", "won": "win", "stole": "steal", "struck": "strike", "sold": "sell",
    "bought": "buy", "paid": "pay", "lost": "lose", "spent": "spend", "held": "hold",
    "sent": "send", "left": "leave", "froze": "freeze", "built": "build", "fell": "fall",
    "rose": "rise", "quit": "quit", "cut": "cut", "shut": "shut", "hit": "hit", "led": "lead",
}  # fmt: skip
_AUX = r"(?:(?:has|have|had|was|were|is|are|will|would|also|reportedly|consistently|"
_AUX += r"previously|recently|already|later|then|jointly|never|not)\s+)*"
_REPORT_RE = re.compile(r"^,?\s*" + _AUX + r"(" + "|".join(_REPORT_FORMS) + r")\b")
_EVENT_RE = re.compile(r"^,?\s*" + _AUX + r"([a-z]+)\b")
_MONEY = re.compile(
    r"(?:(?:US|A|C|HK|NZ)?\$|€|£|¥)\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion|bn|m)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:million|billion|trillion)?\s?(?:dollars|euros|pounds|yen|yuan|"
    r"rupees|won)\b"
    r"|\b\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b)"
)
_GENERIC = re.compile(r"\b(?:the|this) (\w+)\s*$", re.I)
_PRONOUN = re.compile(r"\b(he|she|it|they)\s*$", re.I)


def _lemma(word: str) -> str | None:
    w = word.casefold()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for cut in ("ied", "ed", "d"):
        if w.endswith(cut):
            base = w[: -len(cut)] + ("y" if cut == "ied" else "")
            if base in EVENT_VERBS:
                return base
            if cut == "ed" and len(base) > 2 and base[-1] == base[-2] and base[:-1] in EVENT_VERBS:
                return base[:-1]  # "stopped"
    return None


class _Rules:
    def __init__(self, text: str, refs: Refs) -> None:
        self.text = text
        self.refs = refs

    def actor_ending(self, a: int, b: int) -> list[Actor]:
        """Who the words just before position b stand for (a mention, pronoun, 'the office')."""
        chunk = self.text[a:b]
        stripped = chunk.rstrip(" ,")
        end = a + len(stripped)
        ms = [m for m in self.refs.within(a, end) if m.end >= end - 1]
        if ms:
            return [(ms[-1].name, ms[-1].type)]
        m = _PRONOUN.search(stripped)
        if m:
            w = m.group(1).casefold()
            if w in ("it", "they") and self.refs.last_speaker is not None:
                return [self.refs.last_speaker]
            return self.refs.pronoun(w, end)
        m = _GENERIC.search(stripped)
        if m:
            noun = m.group(1).casefold().rstrip("s")
            if noun in ORG_NOUNS:
                men = self.refs.before("ORG", end, word=noun) or self.refs.before("ORG", end)
                return [(men.name, men.type)] if men else []
            if noun in PLACE_NOUNS:
                men = self.refs.before("PLACE", end)
                return [(men.name, men.type)] if men else []
        return []

    def actor_starting(self, a: int, b: int) -> list[Actor]:
        m = self.refs.mention_at(a, a + 1)
        if m is not None and m.start <= a + 4:
            return [(m.name, m.type)]
        words = self.text[a:b].split()
        if words and words[0].casefold() in ("he", "she"):
            return self.refs.pronoun(words[0], a)
        if len(words) > 1 and words[0].casefold() == "the":
            return self.actor_ending(a, a + len(words[0]) + 1 + len(words[1]))
        return []

    def dates(self, s: int, e: int, quotes: Sequence[Quote] = ()) -> list[tuple[int, int, bool]]:
        words = self.text[s:e]
        for q in quotes:  # the tense of the reporting words, not of what was said
            if s <= q.start and q.end <= e:
                words = words.replace(self.text[q.start : q.end], " " * (q.end - q.start))
        out = []
        for m in DATE_RE.finditer(self.text[s:e]):
            # the tense of the clause holding the date, not of the whole sentence
            left = max(words.rfind(c, 0, m.start()) for c in (",", ";", " and ", " but "))
            rights = [i for c in (",", ";", " and ", " but ") if (i := words.find(c, m.end())) >= 0]
            clause = words[left + 1 : min(rights) if rights else len(words)]
            out.append((s + m.start(), s + m.end(), is_future(clause)))
        return out

    def quote(self, q: Quote, s: int, e: int, first_start: int) -> Draft | None:
        """A quotation ending in sentence [s, e) (beginning in the one at first_start)."""
        text = self.text
        after = text[q.outer_end : e]
        who: list[Actor] = []
        m = re.match(r"^[\s,.]*" + _SAY + r"\s+", after)
        if m:
            who = self.actor_starting(q.outer_end + m.end(), e)
        if not who:
            m = re.match(r"^[\s,.]*(.{1,80}?)\s+" + _SAY + r"\b", after)
            if m:
                who = self.actor_ending(q.outer_end + m.start(1), q.outer_end + m.end(1))
        if not who:
            ss = first_start
            before = text[ss : q.outer_start]
            m = re.search(r"(.{1,80}?)\s+" + _SAY + r"(?:\s+\w+)?[,:]?\s*$", before)
            if m:
                who = self.actor_ending(ss + m.start(1), ss + m.end(1))
        if not who:
            return None
        non_person = [a for a in who if a[1] != "PERSON"]
        if non_person:
            self.refs.last_speaker = non_person[0]
        words = text[q.start : q.end].strip()
        return Draft(
            kind="QUOTE",
            who=who,
            predicate="say",
            object=clip(words, 600),
            statement=clip(f"{names(who)}: \u201c{words}\u201d"),
            start=min(first_start, q.outer_start),
            end=max(e, q.outer_end),
            method="quote-regex",
            confidence=0.6,
            attributed_to=[a[0] for a in who] + self._outlets(s, e),
            dates=[d for d in self.dates(s, e, [q]) if not (q.start <= d[0] < q.end)],
        )

    def _outlets(self, s: int, e: int) -> list[str]:
        out = []
        for m in re.finditer(
            r"\b(?:according to|reported by|told|quoting|citing)\s+", self.text[s:e]
        ):
            got = self.actor_starting(s + m.end(), e)
            out += [a[0] for a in got]
        return out

    def sentence(self, s: int, e: int, quotes: list[Quote]) -> list[Draft]:
        text = self.text
        sent = text[s:e]
        quoted = [(q.start, q.end) for q in quotes]

        def free(pos: int) -> bool:
            return not any(a <= pos < b for a, b in quoted)

        sources: list[Actor] = []
        for m in re.finditer(
            r"\b(?:[Aa]ccording to|as reported by|as per|quoting|citing)\s+", sent
        ):
            if free(s + m.start()):
                sources += self.actor_starting(s + m.end(), e)
        dates = self.dates(s, e, quotes)
        out: list[Draft] = []

        inside = [(a - s, b - s) for a, b in quoted]

        def add(
            kind: str,
            who: list[Actor],
            predicate: str,
            obj: str,
            statement: str,
            confidence: float,
            negated: bool = False,
            via: Sequence[Actor] = (),
            verb_words: str = "",
        ) -> None:
            q = text_qualifiers(verb_words, sent, inside)
            out.append(Draft(
                kind=kind, who=who, predicate=predicate, object=obj, statement=clip(statement),
                start=s, end=e, method="regex", confidence=confidence,
                negated=negated or "negated" in q, attributed_to=[a[0] for a in via], dates=dates,
                conditional="conditional" in q, hedged="hedged" in q, future="future" in q,
                qualified_by="; ".join(q[k] for k in QUALIFIER_ORDER if k in q),
            ))  # fmt: skip

        for men in self.refs.within(s, e):
            if not free(men.start) or men.type not in ("PERSON", "ORG", "PLACE"):
                continue
            rest = text[men.end : e]
            actor = (men.name, men.type)
            rm = _REPORT_RE.match(rest)
            em = _EVENT_RE.match(rest)
            if rm:
                lemma = _REPORT_FORMS[rm.group(1)]
                obj = clip(rest[rm.end() :].strip(" ,:").removeprefix("that ").strip(), 160)
                if obj:
                    negated = lemma in NEGATING_VERBS or " not " in rest[: rm.end()]
                    words = rest[: rm.end()] + " " + first_clause(obj)
                    verb = " ".join(rest[: rm.end()].strip(" ,").split())  # "has denied"
                    add("REPORT", dedupe(sources + [actor]), lemma, obj,
                        f"{men.name} {verb} {obj}", 0.5, negated,
                        dedupe([actor] + sources), words)  # fmt: skip
            elif em and _lemma(em.group(1)):
                obj = clip(rest[em.end() :].strip(" ,"), 160)
                verb = " ".join(rest[: em.end()].strip(" ,").split())  # "has not sent"
                statement = f"{men.name} {verb} {obj}"
                if sources:
                    statement = f"According to {names(sources)}: {statement}"
                negated = " not " in rest[: em.end()] or " never " in rest[: em.end()]
                add("REPORT" if sources else "EVENT", dedupe(sources + [actor]),
                    _lemma(em.group(1)) or "", obj, statement, 0.4, negated, sources,
                    rest[: em.end()] + " " + obj.partition(" ")[0])  # fmt: skip
        if sources and not out:
            add("REPORT", sources, "report", clip(sent, 300),
                f"According to {names(sources)}: {sent}", 0.45, via=sources)  # fmt: skip
        for m in _MONEY.finditer(sent):
            if not free(s + m.start()):
                continue
            before = [x for x in self.refs.within(s, s + m.start()) if free(x.start)]
            actors = [(x.name, x.type) for x in before if x.type in ("PERSON", "ORG", "PLACE")]
            who = [a for a in actors if a not in sources][-1:]  # the name nearest before it
            head = names(who) + ": " if who else ""
            # the words from the name nearest before the amount to it, within one clause
            between = text[before[-1].end : s + m.start()] if before else ""
            words = "" if re.search(r"[,;:]", between) else between
            add("VALUE", who, "amount", m.group(0), f"{head}{m.group(0)} — {sent}",
                0.4 if who else 0.25, verb_words=words)  # fmt: skip
        return out


def rule_drafts(text: str, refs: Refs, quotes: list[Quote]) -> list[Draft]:
    """Drafts sentence by sentence; a quotation is read with the sentence it ends in."""
    rules = _Rules(text, refs)
    sentences = split_sentences(text)
    starts = [s for s, _ in sentences]
    ending: dict[int, list[Quote]] = {}
    touching: dict[int, list[Quote]] = {}
    for q in quotes:
        last = max(0, bisect_right(starts, max(q.start, q.end - 1)) - 1)
        first = max(0, bisect_right(starts, q.outer_start) - 1)
        ending.setdefault(last, []).append(q)
        for i in range(first, last + 1):
            touching.setdefault(i, []).append(q)
    out: list[Draft] = []
    for i, (s, e) in enumerate(sentences):
        for q in ending.get(i, []):
            first = max(0, bisect_right(starts, q.outer_start) - 1)
            d = rules.quote(q, s, e, sentences[first][0])
            if d is not None:
                out.append(d)
        out += rules.sentence(s, e, touching.get(i, []))
    return out
