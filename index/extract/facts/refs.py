"""Who a phrase points at: mentions by position, pronouns and generic nouns, within one article.

The entity extractor gives canonical mentions; this module answers "which entities does this token
(a subject, a speaker) stand for", including what mentions do not cover: "he"/"she" (the most recent
person), "it"/"they" (the most recent non-person subject), "the country"/"the nation" (the most
recent place named as a subject), "the company"/"the office" (the most recent organisation, one
whose name holds the noun first), and "the three nations" (the most recent list of three places).
State is updated in reading order by the extractor (``note_subject``, ``note_lists``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

from newsdesk.index.model import Mention

Actor = tuple[str, str]  # (canonical name, type)
# The type of a speaker that is no entity: "officials", "a source familiar with the matter", "the
# report". Kept as the source phrase in a fact's ``who``; never an entity of the tabs.
SOURCE = "SOURCE"

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom"})
PLACE_NOUNS = frozenset({"nation", "country", "republic", "kingdom", "state", "region", "city"})
ORG_NOUNS = frozenset(
    """office company firm automaker carmaker maker manufacturer agency ministry department
    government group bank organization organisation church party court board council union
    airline retailer network newspaper broadcaster military army navy police regulator
    administration commission committee institute university club team corporation business
    giant lender insurer exchange embassy parliament senate congress cabinet coalition alliance
    consortium operator carrier producer supplier chain studio publisher service authority
    authorities regime fund charity foundation website site""".split()
)
# Nouns that, bare ("the company"), refer back to the last organisation even if not its name.
ANAPHORIC_ORG = frozenset(
    """company firm automaker carmaker maker manufacturer airline retailer bank lender insurer
    group organization organisation agency corporation business giant operator carrier
    producer supplier chain studio publisher network broadcaster newspaper""".split()
)
# People a plural common noun names, who may speak ("analysts", "bankers"): "they" said later
# stands for them when they were the last to be a subject.
PEOPLE_NOUNS = frozenset(
    """analyst official banker trader economist expert investor observer critic researcher
    scientist lawyer diplomat executive manager worker resident witness leader lawmaker
    legislator protester activist petitioner voter developer customer employee source
    spokesman spokesperson dealer broker farmer doctor teacher student union negotiator
    prosecutor investigator officer minister member""".split()
)
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "both": 2}
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
GOVERNMENT_SPAN = 3000  # how far back "the government" looks for the country named with one


class Refs:
    """Mentions of one article, looked up by position, plus the discourse state for references."""

    def __init__(self, mentions: Sequence[Mention], doc: Any = None) -> None:
        ms = [m for m in mentions if m.name and m.type in ("PERSON", "ORG", "PLACE", "MISC")]
        ms.sort(key=lambda m: (m.start, -m.end))
        self.mentions = ms
        self.starts = [m.start for m in ms]
        self.by_type: dict[str, tuple[list[int], list[Mention]]] = {}
        for t in ("PERSON", "ORG", "PLACE", "MISC"):
            sub = [m for m in ms if m.type == t]
            self.by_type[t] = ([m.start for m in sub], sub)
        self.tok_mention: list[Mention | None] = []
        if doc is not None:
            self.tok_mention = [None] * len(doc)
            for m in ms:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                for i in range(span.start, span.end):
                    if self.tok_mention[i] is None:
                        self.tok_mention[i] = m
        self.last_thing: list[Actor] = []  # the most recent non-person subject
        self.last_thing_pos = -1
        self.last_they_pos = -1  # the last such subject "they" may stand for
        self.unnamed_pos = -1  # the last subject that named no entity ("the plane")
        self.last_place: Actor | None = None  # the most recent place named as a subject
        self.last_speaker: Actor | None = None
        self.last_org: Actor | None = None
        self.gender: dict[str, str] = {}  # person → "m"/"f", from the pronouns resolved to them
        self.last_person: tuple[int, Actor] | None = None  # (position, person) of a subject
        self.lists: list[tuple[int, list[Actor]]] = []  # (end offset, conjoined entities)
        self.last_people: tuple[int, Actor] | None = None  # ("analysts", position)
        # noun → (position, organisation) last described so ("NPD Group, a research firm")
        self.described: dict[str, tuple[int, Actor]] = {}

    # -- lookups ------------------------------------------------------------------------------

    def mention_at_token(self, tok: Any) -> Mention | None:
        if self.tok_mention:
            return self.tok_mention[tok.i]
        return self.mention_at(tok.idx, tok.idx + len(tok))

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The first mention overlapping [start, end)."""
        i = bisect_left(self.starts, start)
        for j in range(i - 1, max(-1, i - 4), -1):  # one that began before, still running
            if self.mentions[j].end > start:
                return self.mentions[j]
        if i < len(self.mentions) and self.mentions[i].start < end:
            return self.mentions[i]
        return None

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping [start, end), in text order."""
        i = bisect_left(self.starts, start)
        j = i
        while j > 0 and self.mentions[j - 1].end > start:
            j -= 1
        out = []
        for m in self.mentions[j:]:
            if m.start >= end:
                break
            if m.end > start:
                out.append(m)
        return out

    def before(
        self, etype: str, pos: int, word: str | None = None, span: int = 0, head: str = ""
    ) -> Mention | None:
        """The most recent mention of a type starting before pos (holding word, when given;
        whose head noun is ``head``, when given: "Exchange" of "Amsterdam Stock Exchange",
        "Bank" of "Bank of America").

        ``span`` bounds how far back to look (characters; 0 = the whole article)."""
        starts, ms = self.by_type[etype]
        i = bisect_left(starts, pos) - 1
        while i >= 0:
            m = ms[i]
            if span and pos - m.start > span:
                return None
            if head:
                if _head_word(m.name) == head:
                    return m
            elif word is None or word in m.name.casefold() or word in m.surface.casefold():
                return m
            i -= 1
        return None

    def after(self, etype: str, pos: int, head: str, span: int) -> Mention | None:
        """The first mention of a type after pos, within ``span`` characters, whose head noun
        is ``head`` ("West Germany's biggest bank said …" then "Deutsche Bank AG said …")."""
        starts, ms = self.by_type[etype]
        for i in range(bisect_left(starts, pos), len(ms)):
            m = ms[i]
            if m.start - pos > span:
                break
            if _head_word(m.name) == head:
                return m
        return None

    # -- discourse state ----------------------------------------------------------------------

    def note_subject(self, actors: Sequence[Actor], pos: int = -1) -> None:
        """A clause's subject resolved to these entities (at text position pos)."""
        actors = [a for a in actors if a[1] != SOURCE]
        things = [a for a in actors if a[1] != "PERSON"]
        if things:
            self.last_thing = list(things)
            self.last_thing_pos = pos
            if len(actors) > 1 or things[0][1] != "MISC":
                self.last_they_pos = pos  # a lone product or event is no "they"
            places = [a for a in things if a[1] == "PLACE"]
            if places:
                self.last_place = places[0]
            orgs = [a for a in things if a[1] == "ORG"]
            if orgs:
                self.last_org = orgs[0]
        people = [a for a in actors if a[1] == "PERSON"]
        if people and len(actors) == 1:
            self.last_person = (pos, people[0])

    def note_unnamed(self, pos: int) -> None:
        """A clause's subject was a thing the text does not name ("the plane"): an "it" right
        after stands for it, not for the nearest name."""
        self.unnamed_pos = pos

    def people_for_they(self, pos: int) -> Actor | None:
        """The people last named as a subject by a plural common noun ("Industry analysts
        have …; they point out …"), when no entity was a subject since and it is recent."""
        lp = self.last_people
        if lp is None or lp[0] > pos or pos - lp[0] > 600 or self.last_they_pos > lp[0]:
            return None
        return lp[1]

    def note_list(self, end: int, actors: list[Actor]) -> None:
        if len(actors) >= 2:
            self.lists.append((end, actors))

    def recent_list(self, pos: int, n: int | None, etype: str | None) -> list[Actor]:
        for end, actors in reversed(self.lists):
            if end > pos:
                continue
            if n is not None and len(actors) != n:
                continue
            if etype is not None and any(a[1] != etype for a in actors):
                continue
            return actors
        return []

    # -- resolution ---------------------------------------------------------------------------

    def pronoun(self, word: str, pos: int, speaks: bool = False) -> list[Actor]:
        """The entities a pronoun stands for; ``speaks``: it is the subject of a speech or
        report verb (an unnamed thing just before is then not what it stands for)."""
        w = word.casefold()
        if w in PERSON_PRONOUNS:
            return self._person(w, pos)
        recent = self.last_thing and pos - self.last_thing_pos < 800
        if w in THING_PRONOUNS:
            if (
                not speaks
                and self.last_thing_pos < self.unnamed_pos < pos
                and pos - self.unnamed_pos < 300
            ):
                return []  # "After the plane was delivered in Singapore, it was flown …"
            if recent:
                return self.last_thing[:1]
            i = bisect_left(self.starts, pos) - 1
            while i >= 0 and pos - self.mentions[i].start < 400:
                m = self.mentions[i]
                if m.type != "PERSON":
                    return [(m.name, m.type)]  # no subject to go by: the nearest thing named
                i -= 1
            return []
        if w in PLURAL_PRONOUNS:  # not a lone product or event ("Dashboard gives …; they …")
            return (
                list(self.last_thing)
                if recent and self.last_they_pos == self.last_thing_pos
                else []
            )
        return []

    def _person(self, w: str, pos: int) -> list[Actor]:
        """he/she: the person last named as a subject or quoted (if recent), else the one person
        mentioned lately the pronoun can stand for; one already referred to by the other pronoun
        is passed over. When several could be meant and nothing tells them apart: none (a wrong
        speaker is worse than none)."""
        gender = "m" if w in ("he", "him", "his", "himself") else "f"

        def fits(a: Actor) -> bool:
            return self.gender.get(a[0], gender) == gender

        lp = self.last_person
        if lp is not None and lp[0] <= pos and pos - lp[0] < 600 and fits(lp[1]):
            self.gender[lp[1][0]] = gender
            return [lp[1]]
        starts, ms = self.by_type["PERSON"]
        i = bisect_left(starts, pos) - 1
        found: list[Actor] = []
        while i >= 0 and pos - ms[i].start < 1500 and len(found) < 6:
            a = (ms[i].name, ms[i].type)
            if a not in found and fits(a):
                found.append(a)
            i -= 1
        known = [a for a in found if a[0] in self.gender]
        pick = found if len(found) == 1 else known if len(known) == 1 else []
        if not pick:
            return []
        self.gender[pick[0][0]] = gender
        return pick[:1]

    def generic(self, tok: Any, bare: bool = False) -> list[Actor]:
        """'the country', 'the company', 'the three nations' → entities, else []. ``bare``
        accepts the noun without a determiner (a compound: "company officials said")."""
        lemma = tok.lemma_.casefold()
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "predet")}
        nums = [c for c in tok.children if c.dep_ == "nummod"]
        has_poss = any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in tok.children)
        if not (bare or dets & DEFINITE or has_poss or "both" in dets or nums):
            return []
        plural = tok.tag_ in ("NNS", "NNPS")
        etype = "PLACE" if lemma in PLACE_NOUNS else "ORG" if lemma in ORG_NOUNS else None
        if etype is None:
            if lemma in ("side", "party", "partner", "member") and plural:
                etype = None
            else:
                return []
        if plural:
            n = None
            for c in nums:
                n = NUMBER_WORDS.get(c.lower_) or (int(c.text) if c.text.isdigit() else None)
            if "both" in dets or any(c.lower_ == "both" for c in tok.children):
                n = 2
            return list(self.recent_list(tok.idx, n, etype))
        if etype == "PLACE":
            if self.last_place is not None:
                return [self.last_place]
            m = self.before("PLACE", tok.idx)
            return [(m.name, m.type)] if m else []
        said = self.described.get(lemma)
        if said is not None and said[0] < tok.idx and tok.idx - said[0] < 1500:
            return [said[1]]  # "NPD Group, a market research firm. The firm said …"
        # the organisation whose name ends with the noun ("the exchange" → Amsterdam Stock
        # Exchange, not the Securities and Exchange Commission named since), else one holding it
        m = self.before("ORG", tok.idx, head=lemma, span=3000) or self.before(
            "ORG", tok.idx, word=lemma
        )
        if m is not None:
            return [(m.name, m.type)]
        if lemma == "government" and not any(
            c.dep_ in ("amod", "compound", "nmod", "poss") for c in tok.children
        ):
            return self.government_of(tok)  # "the Romanian government …; the government paid"
        if lemma not in ANAPHORIC_ORG or any(
            c.dep_ in ("amod", "compound", "nmod") for c in tok.children
        ):
            return []  # "this consultative group" is something new, not the last organisation
        # the last organisation of the same kind: "the agency" one named before its sentence
        # and no company ("… if Boeing is indicted, the agency said"), "the company" no ministry
        public = lemma in _PUBLIC_NOUNS
        if lemma in ("group",):  # a company's group or a group of states: either kind
            if self.last_org is not None:
                return [self.last_org]
            m = self.before("ORG", tok.idx, span=3000)
            return [(m.name, m.type)] if m else []
        if self.last_org is not None and not public and not _public_body(self.last_org[0]):
            return [self.last_org]
        if bare and tok.head.lemma_.casefold() not in PEOPLE_NOUNS | {"spokeswoman"}:
            return []  # "the commissioned bank system": not a bank named further back
        starts, ms = self.by_type["ORG"]
        before = tok.sent.start_char if public else tok.idx
        for i in range(bisect_left(starts, before) - 1, -1, -1):
            m = ms[i]
            if tok.idx - m.start > 3000:
                break
            if (_company(m.name) if public else _public_body(m.name)) is False:
                return [(m.name, m.type)]
        return []

    def government_of(self, tok: Any) -> list[Actor]:
        """The country of the last government the article named with its country before tok
        ("the Romanian government", "Romania's government", "the government of Romania"),
        within GOVERNMENT_SPAN characters; [] when none (a bare "the government" is not
        guessed)."""
        doc = tok.doc
        for i in range(tok.i - 1, -1, -1):
            t = doc[i]
            if tok.idx - t.idx > GOVERNMENT_SPAN:
                break
            if t.lemma_.casefold() != "government" or t.dep_ == "compound":
                continue  # "U.S. Government securities": no government spoken of
            near = [c for c in t.children if c.dep_ in ("amod", "compound", "poss")]
            near += [p for c in t.children if c.lower_ == "of" for p in c.children]
            for c in near:
                m = self.mention_at_token(c)
                if m is not None and m.type == "PLACE":
                    return [(m.name, m.type)]
        return []

    def person_named(self, name: str) -> Actor | None:
        """The one person of the article whose name ends with the last word of ``name``
        ("PENCE", "Mr. Pence" → Mike Pence); None when no person or several do."""
        words = name.replace("\u2019", "'").casefold().split()
        if not words:
            return None
        last = words[-1].strip(".'")
        found = {m.name for m in self.by_type["PERSON"][1] if m.name.casefold().split()[-1] == last}
        return (found.pop(), "PERSON") if len(found) == 1 else None

    def role_holder(self, tok: Any) -> Actor | None:
        """ "the trade minister said" after "trade and industry secretary Jose Concepcion": the
        one person named before with a role that fits the description, its head word ("the
        minister") or, for a government post, its portfolio ("the trade minister" for a
        secretary of trade). None when no person or several fit."""
        if tok.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return None
        head = tok.lower_
        mods = set()
        for c in tok.children:
            if c.dep_ in ("compound", "amod") and c.i < tok.i:
                if not c.is_alpha:
                    return None
                mods.add(c.lower_)
            elif c.dep_ in ("poss", "prep", "nummod"):
                return None  # "the company's chairman", "the minister of X": someone else
        found: set[str] = set()
        starts, ms = self.by_type["PERSON"]
        for m in ms[: bisect_left(starts, tok.idx)]:
            if not m.role:
                continue
            words = set(m.role.casefold().replace("-", " ").split())
            if not mods <= words:
                continue
            if head in words or (mods and head in _POSTS and words & _POSTS):
                found.add(m.name)
        return (found.pop(), "PERSON") if len(found) == 1 else None

    def org_named(self, word: str) -> Actor | None:
        """The one organisation of the article whose name starts with ``word``."""
        found = {m.name for m in self.by_type["ORG"][1] if m.name.split()[0] == word}
        return (found.pop(), "ORG") if len(found) == 1 else None

    def surname(self, word: str, pos: int) -> list[Actor]:
        """A bare surname the entity extractor missed: the person named so before."""
        starts, ms = self.by_type["PERSON"]
        for i in range(bisect_left(starts, pos) - 1, -1, -1):
            parts = ms[i].name.split()
            if len(parts) > 1 and parts[-1] == word:
                return [(ms[i].name, "PERSON")]
        return []


_PUBLIC_NOUNS = frozenset({"agency", "organization", "organisation"})
# Heads of government posts that one country calls a minister and another a secretary.
_POSTS = frozenset({"minister", "secretary"})
_PUBLIC_HEADS = frozenset(
    """agency administration authority board bureau commission committee council court
    department directorate institute ministry office organization organisation service""".split()
)


def _public_body(name: str) -> bool:
    """A public body or an organisation, not a company: a name with such a head word
    ("Federal Aviation Administration", "World Health Organization") or an acronym ("FAA")."""
    words = name.replace(".", "").split()
    if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
        return True
    return any(w.casefold() in _PUBLIC_HEADS for w in words)


def _company(name: str) -> bool:
    """A company's name: it ends with a legal form or a corporate word ("Boeing Co")."""
    words = name.casefold().replace(".", "").split()
    return bool(words) and words[-1] in _LEGAL | _CORPORATE


_CORPORATE = frozenset("group holdings corporation company airlines motors bancorp".split())


def _head_word(name: str) -> str:
    """The head noun of a name, casefolded: its last word, or the last before "of"."""
    words = name.casefold().split()
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    while len(words) > 1 and words[-1].strip(".,") in _LEGAL:
        words.pop()  # "Deutsche Bank AG": a bank
    return words[-1] if words else ""


_LEGAL = frozenset("inc corp co ltd plc ag sa nv llc gmbh".split())


def dedupe(actors: Iterable[Actor]) -> list[Actor]:
    seen: set[str] = set()
    out = []
    for a in actors:
        if a[0] and a[0] not in seen:
            seen.add(a[0])
            out.append(a)
    return out
