"""Candidate generation for one article: the model's named entities (merged, extended, retyped
by context), gazetteer places the model missed, possessive-place organisations ("South Korea's
presidential office"), definite back-references ("the office"), and the gazetteer-only
candidates of the rules mode."""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import TYPE_CHECKING

from newsdesk.index.extract import gazetteer as gaz
from newsdesk.index.extract import lexicon
from newsdesk.index.extract.entities.context import context_type
from newsdesk.index.extract.entities.names import _is_acronym, clean, group_key
from newsdesk.index.extract.entities.roles import find_roles
from newsdesk.index.extract.entities.spans import (
    _Cand,
    _coordination,
    _extend,
    _make,
    _parts,
    _text,
    _trim,
)
from newsdesk.index.extract.entities.words import (
    BACKREF_HEADS,
    CORPORATE_SUFFIXES,
    DETERMINERS,
    EVENT_HEADS,
    FIELD_NOUNS,
    FOREIGN_CONNECTORS,
    FUNCTION_WORDS,
    INDEX_WORDS,
    JOB_NOUNS,
    LABEL_TYPE,
    LEGAL_SUFFIXES,
    MORE_EVENT_HEADS,
    NOMINAL_ORG_HEADS,
    ORG_HEADS,
    PERSON_NOUN_ENDS,
    PERSON_NOUNS,
    PERSON_TITLES,
    PLACE_NOUNS,
    PORTFOLIO_WORDS,
    POSSESSIVE,
    ROLE_HEADS,
    ROYAL_TITLES,
    SOURCE_NOUNS,
    STATE_ABBREVIATIONS,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token


_JOINERS = (["for"], ["of"], ["for", "the"], ["of", "the"], ["on"], ["on", "the"])
# Heads that two portfolios may share ("the Post and Telecommunications Ministry")
_SHARED_HEADS = frozenset({"ministry", "department", "commission", "committee", "bureau"})
_DANGLING = frozenset({"of", "the", "and", "for", "&", ",", "on"})
_NAMED = ("ORG", "GPE", "LOC", "FAC")


_BRACKET_LABELS = frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP", "PRODUCT"})


def _bracketed(doc: Doc, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The wire's company markup: "<International Digital Communications Planning Inc>",
    "<Kokusai Denshin Denwa Co Ltd>". A model span inside the angle brackets becomes the whole
    bracketed name, an organisation, whatever part of it the model saw or how it typed it."""
    out = ents
    n = len(doc)
    for idx, (s, e, label) in enumerate(ents):
        if label not in _BRACKET_LABELS:
            continue
        a = s
        while a > 0 and s - a < 4 and doc[a - 1].text != "<" and _bracket_word(doc[a - 1]):
            a -= 1
        if a == 0 or doc[a - 1].text != "<":
            continue
        b = e - 1 if doc[e - 1].text == ">" else e  # the model kept the mark: "Corp>"
        while b < n and b - e < 6 and doc[b].text != ">" and _bracket_word(doc[b]):
            b += 1
        if b >= n or b <= a or doc[b].text != ">":
            continue
        b += 1  # the closing mark with the name: the parse may make it the head ("<X Corp> said")
        if (a, b) == (s, e) and label == "ORG":
            continue
        if out is ents:
            out = list(ents)
        out[idx] = (a, b, "ORG")
    if out is ents:
        return ents
    # a widened span may now hold the next one ("<Cable and Wireless Plc>")
    kept: list[tuple[int, int, str]] = []
    for s, e, label in out:
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e, label))
    return kept


def _bracket_word(t: Token) -> bool:
    return (
        not t.is_space
        and "\n" not in t.text
        and (t.text[:1].isupper() or t.lower_ in _BRACKET_INNER)
    )


_BRACKET_INNER = frozenset({"and", "&", "of", "de", "the", "-", ".", "'s", "for"})


def _merged_ents(doc: Doc) -> list[tuple[int, int, str]]:
    """The model's entities as (start, end, label), with its cuts repaired: 'Federal Service' +
    'for the' + 'Financial Markets' joined back into one organisation; a span ending on a
    connector joined to the next ('The Philippine Atmospheric, Geophysical and' + 'Astronomical
    Services Administration', 'the Democratic Republic of the' + 'Congo') or extended over the
    capitalised words after it ('the Office of the' + 'Director of National Intelligence'); 'the
    Southern District' + 'of' + 'New York'; 'Port Authority of New York' + 'and New Jersey'; 'Paris'
    + '2024' + 'Olympic Games' one event; and "Treasury Department's Office of Foreign Assets
    Control" split into the two organisations."""
    ents = _foreign_joins(doc, [(e.start, e.end, e.label_) for e in doc.ents])
    ents = _bracketed(doc, ents)
    ents = _firm_joins(doc, ents)
    out: list[tuple[int, int, str]] = []
    org_texts = {doc[a:b].text for a, b, lab in ents if lab == "ORG" and b - a > 2}
    for s, e, label in ents:
        # "Cable" + "and" + "Wireless" where the article names "Cable and Wireless PLC"
        if (
            label in ("ORG", "PERSON")
            and s >= 2
            and doc[s - 1].lower_ in ("and", "&")
            and doc[s - 2].text[:1].isupper()
            and any(o.startswith(doc[s - 2 : e].text + " ") for o in org_texts)
        ):
            if out and out[-1][:2] == (s - 2, s - 1):
                out.pop()  # "Tarsen" (tagged PERSON) + "and" + "Wickley"
            if not out or out[-1][1] <= s - 2:
                s, label = s - 2, "ORG"
        if out:
            ps, pe, plabel = out[-1]
            between = [t.lower_ for t in doc[pe:s]]
            if label == "ORG" and plabel == "ORG" and between in _JOINERS:
                out[-1] = (ps, e, "ORG")
                continue
            if label == "ORG" and plabel == "ORG" and between == ["and"]:
                # "Cable" + "and" + "Wireless" where the article names "Cable and Wireless Plc";
                # "the Post" + "and" + "Telecommunications Ministry": one ministry's two
                # portfolios (a lone word with no head of its own before a ministry)
                org_texts = {doc[a:b].text for a, b, lab in out if lab == "ORG" and b - a > 2}
                joined = doc[ps:e].text
                if any(o.startswith(joined + " ") for o in org_texts) or (
                    pe - ps == 1
                    and e - s >= 2
                    and (doc[e - 1].lower_ in _SHARED_HEADS or doc[e - 1].lower_ in LEGAL_SUFFIXES)
                    and gaz.org(doc[ps].text) is None
                    and gaz.place(doc[ps].text) is None
                ):
                    out[-1] = (ps, e, "ORG")
                    continue
            # a span cut on a connector: "... Geophysical and" + "Astronomical ..."
            if pe == s and plabel in _NAMED and label in _NAMED and doc[pe - 1].lower_ in _DANGLING:
                out[-1] = (ps, e, plabel)
                continue
            # "the Southern District" + "of" + "New York": a name with its place
            if (
                plabel in _NAMED
                and label in ("GPE", "LOC", "ORG")
                and between in (["of"], ["of", "the"])
                and doc[pe - 1].lower_ in _HEADS
                and doc[pe - 1].is_title
            ):
                out[-1] = (ps, e, plabel)
                continue
            # "South-east" + "Asia", "North" + "Africa": a compass word cut from its place
            if (
                pe == s
                and plabel in ("GPE", "LOC")
                and label in ("GPE", "LOC")
                and doc[pe - 1].whitespace_
                and all(t.lower_ in _COMPASS or t.text == "-" for t in doc[ps:pe])
            ):
                out[-1] = (ps, e, label)
                continue
            # "Eureka Springs Cavalcade" + "of" + "Magic", "the Summit" + "of the" + "Americas"
            if (
                plabel in (*_NAMED, "PERSON", "EVENT", "NORP")
                and label in (*_NAMED, "PERSON", "EVENT", "NORP")
                and between in (["of"], ["of", "the"])
                and doc[pe - 1].lower_ in _EVENT_HEADS
                and doc[pe - 1].is_title
            ):
                out[-1] = (ps, e, "EVENT")
                continue
            # "Port Authority of New York" + "and" + "New Jersey"
            if (
                plabel == "ORG"
                and label in ("GPE", "LOC")
                and between == ["and"]
                and _ends_of_place(doc, ps, pe)
                and gaz.place(doc[s:e].text) is not None
            ):
                out[-1] = (ps, e, "ORG")
                continue
            # "Paris" + "2024" + "Olympic Games": one event
            if label == "EVENT" and pe == s and plabel == "GPE":
                out[-1] = (ps, e, "EVENT")
                continue
            if (
                label == "EVENT"
                and pe == s
                and plabel == "DATE"
                and doc[ps:pe].text.isdigit()
                and len(out) > 1
                and out[-2][1] == ps
                and out[-2][2] == "GPE"
            ):
                out[-2:] = [(out[-2][0], e, "EVENT")]
                continue
        # "Lockheed" (ORG) + "Martin" (PRODUCT) side by side: one name
        if (
            out
            and out[-1][1] == s
            and out[-1][2] == "ORG"
            and doc[s - 1].whitespace_
            and doc[s - 1].text not in POSSESSIVE
            and (
                label in ("PRODUCT", "ORG")
                and doc[s].is_title
                and gaz.place(clean(doc[out[-1][0] : out[-1][1]].text)) is None
            )
        ):
            out[-1] = (out[-1][0], e, "ORG")
            continue
        out.append((s, e, label))
    return [part for span in out for part in _repair(doc, *span)]


_HEADS = ORG_HEADS | PLACE_NOUNS | {"administration", "authority"}
_EVENT_HEADS = EVENT_HEADS | MORE_EVENT_HEADS
_COMPASS = frozenset(
    """north south east west northern southern eastern western central north-east north-west
    south-east south-west northeast northwest southeast southwest the""".split()
)


def _foreign_joins(doc: Doc, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Yapi" + "ve" + "Kredi Bankasi (AS)": a name, "and" in another language and capitalised
    words ending with an organisation's head or legal form are one organisation, whatever the
    model tagged of them."""
    n = len(doc)
    for s, e, label in ents:
        if label not in _NAMED + ("PERSON", "PRODUCT", "NORP") or e + 1 >= n:
            continue
        if doc[e].lower_ not in FOREIGN_CONNECTORS or not doc[e].is_lower:
            continue
        end = -1
        for i in range(e + 1, min(e + 7, n)):
            t = doc[i]
            if not t.text[:1].isupper() or not t.is_alpha:
                break
            if t.lower_ in ORG_HEADS or t.lower_ in LEGAL_SUFFIXES:
                end = i + 1
        if end < 0:
            continue
        kept = [x for x in ents if x[1] <= s or x[0] >= end]
        return _foreign_joins(doc, sorted([*kept, (s, end, "ORG")]))  # each join reaches further
    return ents


# the legal forms that end a partnership's name ("Morgan Stanley and Co Inc"); not the two-letter
# forms that are also words or initials ("AS", "SA", "PT")
_FIRM_END = frozenset(w for w in LEGAL_SUFFIXES if len(w.rstrip(".")) >= 2) - {
    "as",
    "sa",
    "se",
    "pt",
    "ab",
    "oy",
    "ag",
    "bv",
    "kk",
    "nv",
}


def _firm_word(t: Token) -> bool:
    return t.text[:1].isupper() and (t.is_alpha or bool(re.fullmatch(r"(?:[A-Z]\.)+", t.text)))


def _full_name(doc: Doc, a: int, b: int) -> bool:
    """A person's full name, no partner's surname: two or more words the model took for a
    person, the last no English word ("Tom Ostrow", not "Goodyear Tire" or "Morgan Stanley")."""
    return (
        b - a >= 2
        and all(t.ent_type_ == "PERSON" for t in doc[a:b])
        and doc[b - 1].lower_ not in lexicon.WORDS
    )


def _firm_joins(doc: Doc, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A firm named after its partners: "Morgan Stanley and Co Inc", "Goodyear Tire and Rubber
    Co", "Carroll, McEntee and McGinley Inc", "Yasuda Trust and Banking Co Ltd" is one
    organisation, however the model cut or typed it ("Co Inc", "Sons Ltd" are no names): an "and"
    between short runs of capitalised words, the last run ending in a legal form. Not two
    companies ("Exxon Corp and Mobil Corp", a known "Texaco and Pennzoil Co")."""
    n = len(doc)
    joins: list[tuple[int, int]] = []
    for i in range(1, n - 1):
        if doc[i].lower_ not in ("and", "&"):
            continue
        r = i + 1
        while r < n and r - i <= 3 and _firm_word(doc[r]) and doc[r].lower_ not in _FIRM_END:
            r += 1
        partner = r > i + 1  # a name after the "and", not just "and Co"
        if r >= n or doc[r].lower_ not in _FIRM_END or not doc[r].text[:1].isupper():
            continue
        while r < n and doc[r].lower_ in _FIRM_END:
            r += 1
        left = i
        while (
            left > 0
            and i - left < 5
            and _firm_word(doc[left - 1])
            and doc[left - 1].lower_ not in FUNCTION_WORDS | DETERMINERS
        ):
            left -= 1
        if left == i or i - left > 4 or any(t.lower_ in _FIRM_END for t in doc[left:i]):
            continue  # none, or a longer run than a firm's partners: "Bank ... Inc" and ...
        if partner and (
            (left > 0 and doc[left - 1].lower_ in PERSON_TITLES) or _full_name(doc, left, i)
        ):
            continue  # "President Mark D. Greenberg and Jacee Securities Inc": two parties
        if gaz.org(doc[left:i].text) is not None or gaz.place(doc[left:i].text) is not None:
            continue
        # two parties: "between A and B Corp", "A and B Inc are ...", "A and B Corp agreed"
        if (left > 0 and doc[left - 1].lower_ in ("between", "both")) or (
            r < n and doc[r].tag_ == "VBP"
        ):
            continue
        # "Carroll, McEntee and McGinley Inc", "L.F. Rothschild, Unterberg, Towbin Inc": partners
        # listed with commas, each one or two capitalised words
        for _ in range(2):
            if left < 2 or doc[left - 1].text != ",":
                break
            k = left - 1
            while k > 0 and left - 1 - k < 2 and _firm_word(doc[k - 1]):
                k -= 1
            part = doc[k : left - 1]
            if (
                k == left - 1
                or (partner and _full_name(doc, k, left - 1))
                or (k > 0 and _firm_word(doc[k - 1]))
                or any(t.lower_ in _FIRM_END or t.lower_ in ORG_HEADS for t in part)
                or gaz.org(part.text) is not None
                or gaz.place(part.text) is not None
            ):
                break
            left = k
        joins.append((left, r))
    if not joins:
        return ents
    kept = [x for x in ents if all(x[1] <= a or x[0] >= b for a, b in joins)]
    return sorted([*kept, *((a, b, "ORG") for a, b in joins)])


def _ends_of_place(doc: Doc, s: int, e: int) -> bool:
    """An organisation named "<head> of <place>" ("Port Authority of New York")."""
    words = [t.lower_ for t in doc[s:e]]
    if "of" not in words:
        return False
    k = len(words) - 1 - words[::-1].index("of")
    return k > 0 and words[k - 1] in _HEADS and gaz.place(doc[s + k + 1 : e].text) is not None


def _repair(doc: Doc, s: int, e: int, label: str) -> list[tuple[int, int, str]]:
    if label != "ORG":
        return [(s, e, label)]
    # "the Office of the" + "Director of National Intelligence" (untagged): extend
    if doc[e - 1].lower_ in ("of", "the", "for") and e < len(doc) and not doc[e].ent_type_:
        k, last = e, -1
        while k < len(doc) and not doc[k].ent_type_ and k - e < 8:
            if doc[k].is_title:
                last = k
            elif doc[k].lower_ not in _DANGLING:
                break
            k += 1
        if last >= e:
            e = last + 1
    # "Treasury Department's Office of Foreign Assets Control": two organisations
    for k in range(s + 1, e - 1):
        if doc[k].text in ("'s", "\u2019s"):
            left = [t.lower_ for t in doc[s:k]]
            right = [t.lower_ for t in doc[k + 1 : e]]
            if any(w in _HEADS for w in left) and any(w in _HEADS for w in right):
                return [(s, k + 1, "ORG"), (k + 1, e, "ORG")]
            # "Apple Computer's Mac OS", "Northwind Corp's Quasar": a company's product
            if (
                left
                and left[-1] in CORPORATE_SUFFIXES
                and right
                and not any(w in _HEADS for w in right)
                and doc[k + 1].text[:1].isupper()
            ):
                return [(s, k + 1, "ORG"), (k + 1, e, "PRODUCT")]
    return [(s, e, label)]


def _outside(start: int, end: int, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of start..end outside the given token ranges."""
    parts = [(start, end)]
    for a, b in names:
        if b <= start or a >= end:
            continue
        parts = [p for s, e in parts for p in ((s, min(e, a)), (max(s, b), e)) if p[0] < p[1]]
    return parts


def _ner_candidates(doc: Doc) -> list[_Cand]:
    out: list[_Cand] = []
    ents = _merged_ents(doc)
    roles = find_roles(doc, ents)
    inner: set[int] = set()
    for r in roles:
        inner |= r.inner
        c = _make(doc, r.name_start, r.name_end, "PERSON", "role", "PERSON", role=r.text)
        if c is not None:
            out.append(c)
    names = [(r.name_start, r.name_end) for r in roles]
    for e_start, e_end, e_label in ents:
        if e_label not in LABEL_TYPE:
            continue
        for start, ent_end in _outside(e_start, e_end, names):
            if all(i in inner for i in range(start, ent_end)):
                continue  # a word of a role: "Commerce", "Trade", "Preparedness"
            out.extend(_span_candidates(doc, start, ent_end, e_label))
    return out


_STAFF = frozenset("management leadership staff personnel workforce".split())
_SENIORITY = frozenset("senior top middle upper junior".split())
_TWO_PARTY_NOUNS = frozenset(
    "merger combination deal tie-up partnership alliance venture talks rivalry feud".split()
)


def _two_parties(doc: Doc, start: int, end: int) -> int | None:
    """Where to cut "Kroger and Albertsons" tagged as one organisation when the sentence speaks
    of two parties: "the merger of A and B", "between A and B". None when the span is one name
    ("Marks and Spencer" alone, "Bureau of Alcohol and Firearms")."""
    words = [t.lower_ for t in doc[start:end]]
    if words.count("and") != 1 or any(w in _HEADS or w in FUNCTION_WORDS - {"and"} for w in words):
        return None
    k = start + words.index("and")
    if k == start or k + 1 >= end or not doc[k + 1].text[:1].isupper():
        return None
    root = doc[start:end].root
    prep = root.head if root.dep_ == "pobj" else None
    if prep is None:
        return None
    if prep.lower_ == "between" or (
        prep.lower_ == "of" and prep.head.lemma_.lower() in _TWO_PARTY_NOUNS
    ):
        return k
    return None


def _span_candidates(doc: Doc, start: int, ent_end: int, label: str) -> list[_Cand]:
    out: list[_Cand] = []
    if label == "ORG":
        caps = [t.lower_ for t in doc[start:ent_end] if t.text[:1].isupper()]
        joined = {t.text for t in doc[start:ent_end]}
        if (
            caps
            and (len(caps) <= 2 or "/" in joined)
            and not joined & {"&", "of", "and"}
            and caps[-1] in FIELD_NOUNS
            and not any(w in _HEADS for w in caps)
            and gaz.org(doc[start:ent_end].text) is None
        ):
            return out  # "Educational / Counseling Psychology": fields of study
        if (
            doc[ent_end - 1].lower_ in _STAFF
            and doc[ent_end - 1].is_title
            and any(t.lower_ in _SENIORITY for t in doc[max(start - 1, 0) : ent_end])
        ):
            return out  # "Senior Plant Management", "top Company Leadership": staff
        cut = _two_parties(doc, start, ent_end)
        if cut is not None:
            return _span_candidates(doc, start, cut, label) + _span_candidates(
                doc, cut + 1, ent_end, label
            )
    end = _extend(doc, start, ent_end, label)
    # "the Shanghai Index", "Hong Kong Police": a place name starting a longer name
    if (
        label in ("GPE", "LOC", "NORP")
        and end < len(doc)
        and doc[end].is_title
        and doc[end].lower_ in ORG_HEADS | INDEX_WORDS
        and doc[end - 1].text not in POSSESSIVE
    ):
        end += 1
        label = "ORG"
    # "Pope Francis", "Prince Harry": a royal or religious title kept with a one-word name
    if (
        label == "PERSON"
        and end - start == 1
        and start > 0
        and doc[start - 1].lower_ in ROYAL_TITLES
        and doc[start - 1].is_title
    ):
        start -= 1
    force = ""
    i = start
    while i > 0 and doc[i - 1].lower_ in DETERMINERS:
        i -= 1
    # "the town of Yeoncheon": a place whatever the model said
    if (
        i >= 3
        and doc[i - 1].lower_ == "of"
        and doc[i - 2].lower_ in PLACE_NOUNS
        and doc[i - 3].lower_ == "the"
    ):
        force = "PLACE"
    # "Secretary of Defense", "Minister of Finance": part of a job title (not "Director of
    # the FBI")
    if (
        label == "ORG"
        and end - start == 1
        and i == start >= 2
        and doc[i - 1].lower_ == "of"
        and doc[i - 2].lower_ in PERSON_TITLES
        and not _is_acronym(doc[start].text)
        and _portfolio(doc[start], doc[i - 2])
    ):
        return out
    # "Superintendent of the Quality Division", "Director of the Census Bureau" tagged as one
    # organisation: the role is no part of it
    if label == "ORG" and end - start >= 3:
        k = start
        while k < end and doc[k].lower_ in DETERMINERS:
            k += 1
        if (
            k + 2 < end
            and doc[k].is_title
            and doc[k].lower_ in JOB_NOUNS
            and doc[k + 1].lower_ in ("of", "for")
        ):
            start = k + 2
            if doc[start].lower_ == "the" and start + 1 < end:
                start += 1
    # "the NASDAQ index", "the MICEX index": a market index
    if label == "ORG" and end < len(doc) and doc[end].lower_ in INDEX_WORDS:
        force = "MISC"
    # "the Beatles": a single-word 'person' with an article is a group
    if (
        label == "PERSON"
        and i < start
        and doc[start - 1].lower_ == "the"
        and end - start == 1
        and not (end < len(doc) and doc[end].pos_ in ("NOUN", "PROPN"))
    ):
        label = "ORG"
    # "the Russian government": the place, not an organisation
    if label == "ORG":
        words = [t for t in doc[start:end] if t.lower_ not in DETERMINERS]
        k = len(words)
        while k > 0 and words[k - 1].lower_ in ("government", "administration", "authorities"):
            k -= 1
        if 0 < k < len(words):
            lead = " ".join(t.text for t in words[:k])
            if gaz.place(lead) is not None or gaz.demonym(lead) is not None:
                end = words[k - 1].i + 1
                label = "GPE"
        elif len(words) >= 2 and _plural_noun(words[-1]):
            # "U.S. Banks", "U.S. Arms": a place and a plural common noun, no organisation
            lead = " ".join(t.text for t in words[:-1])
            if gaz.place(lead) is not None:
                end = words[-2].i + 1
                label = "GPE"
    if label in ("ORG", "PERSON", "PRODUCT") and _abbrev_place_and_word(doc, start, end):
        # "U.S. Hit a record", "U.K. Physical wheat values", "H.K. Dlrs": the wire capitalises
        # the word after a dotted abbreviation; the place alone is the name
        end = start + 1 if doc[start].lower_ not in DETERMINERS else start + 2
        label = "GPE"
    ts, te = _trim(doc, start, end)
    if not force and ts < te:
        retype = context_type(doc, ts, te, label)
        if retype is not None:
            force, start = retype.type, min(start, retype.start)
    for s, e in _parts(doc, doc[start:end], label):
        s2, e2 = _trim(doc, s, e)
        coord = _coordination(doc, s2, e2, label) if e2 > s2 else None
        if coord:
            out.extend(coord)
            continue
        c = _make(doc, s, e, label, force_type=force)
        if c is not None:
            out.append(c)
    return out


_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")


def _abbrev_place_and_word(doc: Doc, start: int, end: int) -> bool:
    """A dotted place abbreviation and one capitalised English word that the sentence does not
    use as a name: a verb or adjective ("U.S. Hit", "U.K. Physical"), or a word the article
    also writes in lower case ("U.S. Dlrs" beside "mln dlrs", "U.K. Wheat" beside "wheat"). Not
    an organisation's head or a known name ("U.S. Army", "U.S. Treasury")."""
    words = [t for t in doc[start:end] if t.lower_ not in DETERMINERS]
    if len(words) != 2 or not lexicon.known():
        return False
    place, w = words
    if not _DOTTED.fullmatch(place.text) or gaz.place(place.text) is None:
        return False
    if not (w.is_title and w.is_alpha) or w.i != place.i + 1:
        return False
    lw = w.lower_
    if lw in ORG_HEADS or lw in CORPORATE_SUFFIXES or lw in INDEX_WORDS:
        return False
    if gaz.org(doc[place.i : w.i + 1].text) is not None:
        return False
    nxt = doc[w.i + 1] if w.i + 1 < len(doc) else None
    if nxt is not None and (nxt.lower_ in JOB_NOUNS or nxt.lower_ in ROLE_HEADS):
        return False  # "a U.S. Customs spokesman": someone's employer
    if w.pos_ in ("VERB", "AUX", "ADJ", "ADV") and lw in lexicon.WORDS:
        return True
    if place.i > 0 and doc[place.i - 1].like_num:
        return True  # "13.6 billion U.S. Dlrs": an amount's currency
    return re.search(r"(?<![\w-])" + re.escape(lw) + r"(?![\w-])", _text(doc)) is not None


def _plural_noun(t: Token) -> bool:
    """A capitalised plural of an English common noun that ends no organisation's name
    ("Banks", "Arms"; not "Airways", "Industries", "Forces")."""
    w = t.lower_
    return (
        bool(lexicon.NOUNS)
        and t.is_title
        and t.tag_ in ("NNS", "NNPS")
        and w.endswith("s")
        and w not in ORG_HEADS
        and w not in CORPORATE_SUFFIXES
        and w not in LEGAL_SUFFIXES
        and t.lemma_.lower() != w
        and t.lemma_.lower() in lexicon.NOUNS
    )


def _portfolio(word: Token, title: Token) -> bool:
    """The word after "<title> of" names a portfolio ("Secretary of Defense", "Minister of
    Finance"), not an employer ("chief executive of Orvex", "the vice president of Dacia"): an
    English noun (or one joined to an English noun: "Media and Communications"), after a
    capitalised title unless a portfolio word. Without the lemmatizer's word
    index every such word is taken for a portfolio."""
    if not lexicon.NOUNS:
        return True
    w = word.lower_
    if gaz.org(word.text) is not None:
        return False
    doc = word.doc
    if word.i + 2 < len(doc) and doc[word.i + 1].lower_ in ("and", "&"):
        if doc[word.i + 2].lower_ in lexicon.NOUNS:
            return True  # "Director of Media and Communications": two portfolios
    if w not in lexicon.NOUNS:
        return False
    return w in PORTFOLIO_WORDS or title.text[:1].isupper()


def _covered(doc: Doc) -> list[bool]:
    cov = [False] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            cov[i] = True
    return cov


def _gazetteer_candidates(doc: Doc, cov: list[bool]) -> list[_Cand]:
    """Places, countries and demonyms in the text that the model did not tag."""
    table = gaz.place_table()
    out = []
    for a, b, surface in gaz.place_matches(doc, _text(doc)):
        span = doc.char_span(a, b, alignment_mode="strict")
        if span is None or any(cov[i] for i in range(span.start, span.end)):
            continue
        first, last = doc[span.start], doc[span.end - 1]
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        # part of a longer proper name ("Air India", "Georgia Tech")?
        if prev is not None and prev.is_title and prev.pos_ == "PROPN" and not prev.is_sent_start:
            continue
        if (
            nxt is not None
            and nxt.is_title
            and nxt.pos_ == "PROPN"
            and nxt.lower_ not in ROLE_HEADS
            and nxt.ent_type_ not in ("DATE", "TIME")  # "in Europe and Asia Monday"
        ):
            continue  # not "Barbados Prime Minister", a place before a role
        place = table[surface]
        is_demonym = gaz.demonym(surface) is not None and gaz.place(surface) is None
        if is_demonym:
            if last.tag_ not in ("JJ", "NNP", "NNPS", "NNS"):
                continue
        elif not any(doc[i].pos_ == "PROPN" for i in range(span.start, span.end)):
            continue
        if first.is_sent_start and first.pos_ not in ("PROPN", "ADJ"):
            continue
        out.append(
            _Cand(
                span.start_char,
                span.end_char,
                surface,
                clean(surface),
                "GPE",
                place.name,
                "PLACE",
                source="gazetteer",
                strong=True,
            )
        )
    return out


def _nominal_candidates(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """The possessive-place organisation "South Korea's presidential office": a place's possessive, lowercase modifiers, an
    organisation head noun (office, ministry, ...), not in apposition to a named organisation."""
    out = []
    places = {(c.start, c.end): c for c in cands if c.type == "PLACE" and c.label == "GPE"}
    by_char = {t.idx: t.i for t in doc}
    for (a, b), c in places.items():
        i = by_char.get(a)
        if i is None:
            continue
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None:
            continue
        j = span.end
        if j >= len(doc) or doc[j].text not in ("'s", "\u2019s"):
            continue
        k = j + 1
        mods: list[Token] = []
        while k < len(doc) and doc[k].is_lower and doc[k].is_alpha and len(mods) < 3:
            mods.append(doc[k])
            k += 1
        if not mods:
            continue
        # the head is the last lowercase word of the noun phrase
        head_at = None
        for n in range(len(mods), 0, -1):
            phrase = " ".join(t.lower_ for t in mods[n - 1 : n])
            if phrase in NOMINAL_ORG_HEADS and mods[n - 1].pos_ == "NOUN":
                head_at = n
                break
        if head_at is None or head_at != len(mods):
            continue
        if any(t.pos_ not in ("ADJ", "NOUN") for t in mods):
            continue
        after = doc[k] if k < len(doc) else None
        if after is not None and (after.ent_type_ in ("ORG", "PERSON") or after.is_title):
            continue  # apposition: "North Korea's main news agency Korean Central News Agency"
        start_char = span.start_char
        end_char = mods[-1].idx + len(mods[-1].text)
        surface = _text(doc)[start_char:end_char]
        possessive = "'" if c.name.endswith("s") else "'s"
        name = f"{c.name}{possessive} {' '.join(t.lower_ for t in mods)}"
        out.append(
            _Cand(
                start_char,
                end_char,
                surface,
                clean(surface),
                "ORG",
                name,
                "ORG",
                source="nominal",
                strong=True,
            )
        )
    return out


def _backrefs(doc: Doc, resolved: list[_Cand], cov: list[bool]) -> list[_Cand]:
    """Definite back-references to a recent organisation with the same head noun: 'the office'
    after "South Korea's presidential office", 'the presidential office', 'the company'."""
    orgs = sorted((c for c in resolved if c.type == "ORG"), key=lambda c: c.start)
    if not orgs:
        return []
    starts = [c.start for c in orgs]
    out = []
    for t in doc:
        if t.lower_ not in BACKREF_HEADS or t.pos_ != "NOUN" or cov[t.i]:
            continue
        # "the [modifiers] head" with nothing noun-like after the head
        k = t.i - 1
        mods: list[Token] = []
        while k >= 0 and doc[k].is_lower and doc[k].pos_ in ("ADJ", "NOUN") and len(mods) < 2:
            mods.insert(0, doc[k])
            k -= 1
        if k < 0 or doc[k].lower_ != "the":
            continue
        if (
            t.i + 1 < len(doc)
            and doc[t.i + 1].pos_ in ("NOUN", "PROPN")
            and doc[t.i + 1].text not in ("'s", "\u2019s")
        ):
            continue
        if t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of":
            continue  # "the office of the president": a new description, not a reference
        pos = bisect.bisect_left(starts, t.idx)
        endings = BACKREF_HEADS[t.lower_]
        target = None
        for c in reversed(orgs[:pos]):
            if t.idx - c.end > 3000:
                break
            words = c.name.casefold().split()
            if words and words[-1] in endings and all(m.lower_ in words for m in mods):
                target = c
                break
        if target is None:
            continue
        a = mods[0].idx if mods else t.idx
        b = t.idx + len(t.text)
        surface = _text(doc)[a:b]
        out.append(
            _Cand(
                a,
                b,
                surface,
                clean(surface),
                "ORG",
                target.name,
                "ORG",
                source="backref",
                strong=True,
                key=target.key,
            )
        )
    return out


def _rules_candidates(text: str) -> list[_Cand]:
    table = gaz.place_table()
    out = []
    for a, b, surface in gaz.place_matches_text(text):
        p = table[surface]
        out.append(
            _Cand(
                a,
                b,
                surface,
                clean(surface),
                "GPE",
                p.name,
                "PLACE",
                source="gazetteer",
                strong=True,
            )
        )
    return out


def _agree(doc: Doc, cands: list[_Cand]) -> None:
    """Coordinated names share a kind: 'Cornwall' (tagged PERSON) in "to Cornwall and the Channel
    Islands" is a place, 'Twitter' in "LinkedIn and Twitter" an organisation, unless a person is
    among them."""
    by_root: dict[int, _Cand] = {}
    for c in cands:
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is not None:
            by_root.setdefault(span.root.i, c)
    for i, c in by_root.items():
        if c.strong or c.type not in ("PERSON", "PLACE"):
            continue
        others = [by_root[t.i] for t in doc[i].conjuncts if t.i in by_root]
        kinds = [o.type for o in others]
        if not others or any(o.strong and o.type == c.type for o in others):
            continue
        kind = None
        if c.type == "PERSON" and "PLACE" in kinds and "ORG" not in kinds:
            kind = "PLACE"  # "on Devon, Cornwall and Somerset"
        elif set(kinds) == {"ORG"} and " " not in c.name:
            kind = "ORG"  # "from Amazon and Alphabet"
        if kind is not None:
            c.type = kind
            c.key = group_key(c.name, kind)
    _place_chains(doc, by_root)


_CHAIN_LINKS = frozenset({"appos", "conj", "npadvmod"})
_LOCATIVE = frozenset({"in", "near", "outside"})


def _place_chains(doc: Doc, by_root: dict[int, _Cand]) -> None:
    """Names chained by commas in a locative phrase with a place among them are places:
    "in Levico Terme, Trento, Italy", "born in Kibbutz Kinneret, Tiberias" (tagged ORG or
    PERSON). The chain is the parse's: each name hangs (appos, conj, npadvmod) on the one before
    it, after a comma, and the first is the object of "in", "near" or "outside"; an
    organisation's head word or a known organisation keeps its type ("in IBM, Armonk")."""
    done: set[int] = set()
    for i in sorted(by_root):
        if i in done:
            continue
        top = doc[i]
        if top.dep_ != "pobj" or top.head.lower_ not in _LOCATIVE:
            continue
        chain = [i]
        k = 0
        while k < len(chain):
            for t in doc[chain[k]].children:
                if (
                    t.i in by_root
                    and t.dep_ in _CHAIN_LINKS
                    and t.i > chain[k]
                    and _after_comma(doc, t)
                ):
                    chain.append(t.i)
            k += 1
        done.update(chain)
        if len(chain) < 2:
            continue
        members = [by_root[x] for x in chain]
        if not any(m.type == "PLACE" for m in members):
            continue
        for m in members:
            if m.type not in ("ORG", "PERSON") or m.strong or m.source != "ner":
                continue
            words = [w.casefold().strip(".,") for w in m.alias.split()]
            if any(w in ORG_HEADS or w in LEGAL_SUFFIXES or w in CORPORATE_SUFFIXES for w in words):
                continue
            if gaz.org(m.alias) is not None:
                continue
            m.type = "PLACE"
            m.key = group_key(m.name, "PLACE")


def _after_comma(doc: Doc, t: Token) -> bool:
    """The name's span starts right after a comma (the chain's separator)."""
    s = t.left_edge.i
    return s > 0 and doc[s - 1].text == ","


# ---------------------------------------------------------------------------------------------
# Senators' party-and-state tags and the outlets of a "Sources" list: found on the text


@cache
def _party_tag() -> re.Pattern[str]:
    """ "(R-Kan.)", "(D-N.Y.)", "(Ky.)", "Sen. Bob Dole, R-Kan.,", "(R-Texas)": a party letter
    and a state, its AP abbreviation, postal code or name, in brackets or between commas."""
    states = {p: p for p in _US_STATES()}
    alt = "|".join(
        re.escape(k) for k in sorted({*STATE_ABBREVIATIONS, *states}, key=len, reverse=True)
    )
    return re.compile(
        rf"(?:\(\s*(?P<p1>[RDI]\s?-\s?)?|(?<=, )(?P<p2>[RDI]-))(?P<st>{alt})(?=\s*\)|,|;)"
    )


@cache
def _US_STATES() -> frozenset[str]:  # noqa: N802 - a constant, computed once
    return frozenset(
        s
        for s in set(STATE_ABBREVIATIONS.values())
        if (p := gaz.place(s)) is not None and p.country == "US"
    )


def _party_tags(text: str, cands: list[_Cand]) -> list[_Cand]:
    """The state of a senator's party-and-state tag, a place (its canonical name): "Kan." in
    "(R-Kan.)" is Kansas. The abbreviations mean the state only there ("Ind." alone may be
    anything). Candidates overlapping one give way to it."""
    if "-" not in text and "(" not in text:
        return cands
    found: list[_Cand] = []
    for m in _party_tag().finditer(text):
        st = m.group("st")
        party = m.group("p1") or m.group("p2")
        if st in STATE_ABBREVIATIONS:
            if not party and "." not in st:
                continue  # "(OK)", "(CA)": only with a party letter
            name = STATE_ABBREVIATIONS[st]
        elif party:
            name = st  # "(R-Texas)": the hyphen hides the name from the gazetteer
        else:
            continue  # "(Texas)" alone: the gazetteer's
        a, b = m.start("st"), m.end("st")
        found.append(_Cand(a, b, st, st, "GPE", name, "PLACE", source="pattern", strong=True))
    if not found:
        return cands
    kept = [c for c in cands if not any(c.start < f.end and f.start < c.end for f in found)]
    return kept + found


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_SOURCE_LINE = re.compile(
    rf"^(?:[^\n\"\u201c]{{0,80}}\.\s+)?[\"\u201c][^\n\"\u201d]{{3,200}}[\"\u201d]\s*[\u2014\u2013-]{{1,2}}\s*"
    rf"(?P<o>[A-Z][^\n,\"\u201c]{{0,60}}?),\s*(?:(?:{_MONTHS})\b|\d{{1,2}} (?:{_MONTHS})|\d{{4}})",
    re.MULTILINE,
)


_SITE = re.compile(r"([A-Z][\w&-]*)\.(?:com|ca|org|net|co\.uk|com\.au)")


def _source_outlets(text: str, cands: list[_Cand]) -> list[_Cand]:
    """The outlet of each line of a "Sources" list ('"Title" — Toronto Star, August 15, 2008';
    'Author. "Title" — Edmonton Sun, ...'): an organisation, whatever the model said of it."""
    if "\u2014" not in text and "\u2013" not in text and " - " not in text:
        return cands
    found: list[_Cand] = []
    for m in _SOURCE_LINE.finditer(text):
        a, b = m.start("o"), m.end("o")
        surface = text[a:b].rstrip()
        b = a + len(surface)
        alias = clean(surface)
        if not alias or gaz.place(alias) is not None:
            continue
        o = gaz.org(alias)
        name = o[0] if o is not None else alias
        site = _SITE.fullmatch(alias)
        if site is not None:
            name = site.group(1)  # "CBC.ca" is the CBC's site: the outlet
        found.append(_Cand(a, b, surface, alias, "ORG", name, "ORG", source="pattern", strong=True))
    if not found:
        return cands
    kept = [c for c in cands if not any(c.start < f.end and f.start < c.end for f in found)]
    return kept + found


def _untagged_outlets(doc: Doc, cov: list[bool]) -> list[_Cand]:
    """Outlets the model did not tag, cited as sources: two to four capitalised proper nouns
    after "a report in" ("according to an April report in Ars Technica") or owning a report
    ("PC World's recent analysis"). Organisations."""
    out: list[_Cand] = []
    n = len(doc)
    i = 0
    while i < n:
        t = doc[i]
        if cov[i] or t.pos_ != "PROPN" or not _name_word(t):
            i += 1
            continue
        j = i
        while j < n and j - i < 4 and not cov[j] and doc[j].pos_ == "PROPN" and _name_word(doc[j]):
            j += 1
        if j - i >= 2 and not doc[i:j].text.isupper():
            last = doc[j - 1]
            before = doc[i - 1] if i > 0 else None
            cited = (
                before is not None
                and before.lower_ == "in"
                and before.i > 0
                and (
                    before.head.lemma_.lower() in SOURCE_NOUNS
                    or doc[before.i - 1].lower_ in SOURCE_NOUNS
                )
            )
            if not cited and j < n and doc[j].text in ("'s", "\u2019s"):
                k = j + 1
                while k < n and k - j <= 3 and doc[k].pos_ in ("ADJ", "ADV"):
                    k += 1
                cited = k < n and doc[k].lemma_.lower() in SOURCE_NOUNS
            text = doc[i:j].text
            if cited and gaz.place(text) is None and gaz.place(last.text) is None:
                c = _make(doc, i, j, "ORG", source="ner", force_type="ORG")
                if c is not None:
                    out.append(c)
        i = j if j > i else i + 1
    return out


def _person_noun(t: Token) -> bool:
    w, lemma = t.lower_, t.lemma_.lower()
    if w in PERSON_NOUNS or lemma in PERSON_NOUNS or w in JOB_NOUNS or w in PERSON_TITLES:
        return True
    return (
        t.pos_ == "NOUN"
        and t.is_lower
        and w.endswith(PERSON_NOUN_ENDS)
        and (not lexicon.known() or w in lexicon.NOUNS or lemma in lexicon.NOUNS)
    )


def _untagged_people(doc: Doc, cov: list[bool]) -> list[_Cand]:
    """People the model did not tag: two or three capitalised proper nouns, untagged, the
    subject of "is/was a/an <person noun>" ("Aner Shalev is an Israeli mathematician and
    writer", "... is a Professor at ..."), not a place or organisation of the gazetteer; and the
    later mentions of the surname alone, untagged ("Currently Shalev is a Professor")."""
    out: list[_Cand] = []
    n = len(doc)
    surnames: set[str] = set()
    fulls: set[tuple[str, ...]] = set()
    i = 0
    while i < n:
        j = i
        while (
            j < n
            and j - i < 3
            and not cov[j]
            and not doc[j].ent_type_
            and doc[j].pos_ == "PROPN"
            and doc[j].is_title
            and doc[j].is_alpha
        ):
            j += 1
        if j - i >= 2 and (j == n or not (doc[j].is_title and doc[j].pos_ == "PROPN")):
            last = doc[j - 1]
            verb = last.head
            attrs_ = [c for c in verb.children if c.dep_ == "attr" and c.i > verb.i]
            nouns = [a for a in attrs_] + [
                c for a in attrs_ for c in a.children if c.dep_ == "conj"
            ]
            text = doc[i:j].text
            if (
                last.dep_ == "nsubj"
                and verb.lemma_.lower() == "be"
                and verb.i == j
                and any(_person_noun(a) for a in nouns)
                and any(
                    c.dep_ == "det" and c.lower_ in ("a", "an") for a in attrs_ for c in a.children
                )
                and gaz.place(text) is None
                and gaz.org(text) is None
                and not any(gaz.place(t.text) is not None for t in doc[i:j])
            ):
                c = _make(doc, i, j, "PERSON", source="ner", force_type="PERSON")
                if c is not None:
                    out.append(c)
                    surnames.add(last.text)
                    fulls.add(tuple(t.text for t in doc[i:j]))
                    for k in range(i, j):
                        cov[k] = True
        i = j if j > i else i + 1
    for full in fulls:  # the full name again, untagged ("Aner Shalev" heading the interview)
        m = len(full)
        for k in range(n - m + 1):
            if tuple(t.text for t in doc[k : k + m]) == full and not any(cov[k : k + m]):
                if any(doc[x].ent_type_ not in ("", "PERSON", "ORG") for x in range(k, k + m)):
                    continue
                c = _make(doc, k, k + m, "PERSON", source="ner", force_type="PERSON")
                if c is not None:
                    out.append(c)
                    for x in range(k, k + m):
                        cov[x] = True
    if surnames:
        for k, t in enumerate(doc):
            if (
                t.text in surnames
                and not cov[k]
                and not t.ent_type_
                and not (k + 1 < n and doc[k + 1].is_title and doc[k + 1].pos_ == "PROPN")
                and not (k > 0 and doc[k - 1].is_title and doc[k - 1].pos_ == "PROPN")
            ):
                c = _make(doc, k, k + 1, "PERSON", source="surname", force_type="PERSON")
                if c is not None:
                    out.append(c)
                    cov[k] = True
    return out


def _name_word(t: Token) -> bool:
    return t.is_title or (t.is_upper and t.is_alpha and len(t.text) <= 4)
