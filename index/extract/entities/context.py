"""A span's type from its sentence, not the model's first guess: its own last word ("G20 Summit",
"Rakhine State"), a storm word before it ("Cyclone Mocha"), the common noun it modifies or stands
in apposition to ("the Qakbot malware", "Sinbad, a virtual currency mixer", "Florida's Big Bend
coast"), the preposition it hangs on ("at the Munich Security Conference", "posted on Twitter"),
and a model number in it ("Volkswagen ID.4"). spaCy is never imported: ``doc`` is only read."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from newsdesk.index.extract import gazetteer as gaz
from newsdesk.index.extract import lexicon
from newsdesk.index.extract.entities.words import (
    BROADCAST_WORDS,
    COMPANY_COMPOUND_NOUNS,
    COMPANY_NOUNS,
    CORPORATE_SUFFIXES,
    EVENT_HEADS,
    EVENT_WORDS,
    FACILITY_HEADS,
    FIRM_JOBS,
    FUNCTION_WORDS,
    JOB_NOUNS,
    KIND_NOUNS,
    LEGAL_SUFFIXES,
    LOCATION_PREPS,
    MASTHEAD_HEADS,
    MASTHEAD_SURNAMES,
    MEETING_HEADS,
    MEETING_PREPS,
    MORE_EVENT_HEADS,
    ORG_HEADS,
    PLACE_NOUNS,
    PLANT_HEADS,
    PLANT_WORDS,
    PLATFORM_WORDS,
    SOURCE_NOUNS,
    STORM_WORDS,
    STREET_HEADS,
    TRAILING_NOISE,
    VEHICLE_WORDS,
    WORK_NOUNS,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

# Kinds that are never an organisation, whatever the model said ("the LockBit ransomware").
NEVER_ORG = frozenset(
    "malware ransomware virus trojan botnet worm spyware backdoor storm hurricane cyclone typhoon".split()
)
MEETING_VERBS = frozenset("open close end begin start hold host attend conclude wrap".split())
_GOING = frozenset("be go travel head fly come return".split())
_MODEL_NO = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z\d.\-]+$")
_VERSION = re.compile(r"[A-Z]{2,3}$")  # "Windows XP", "Mac OS": a version or edition
_ROMAN_NO = re.compile(r"[IVX]+$")  # "Henry VIII", "John Paul II": a person's number
_EVENTS = EVENT_HEADS | MORE_EVENT_HEADS
# Nouns a person may have too ("Smith's customers" is rare, "Paris passengers" is not): they
# make only a span tagged PERSON an organisation.
_PERSON_COMPANY_NOUNS = frozenset("customer customers passenger passengers flights".split())


@attrs.frozen
class Retype:
    type: str
    start: int  # the span may grow to the left ("Cyclone" + "Mocha")


def _cap(t: Token) -> bool:
    return t.text[:1].isupper()


def _noun_of(doc: Doc, start: int, end: int) -> Token | None:
    """The common noun the span names a thing of: the noun it modifies ("the Qakbot malware"),
    its appositive ("Sinbad, a virtual currency mixer"), or the noun just before it that it is
    in apposition to ("rival Aer Lingus")."""
    root = doc[start:end].root
    head = root.head
    if root.dep_ in ("compound", "nmod", "amod") and head.i >= end and head.pos_ == "NOUN":
        # "the LockBit ransomware attacks": the kind is the first noun that says one
        for t in doc[end : head.i]:
            if (
                t.pos_ == "NOUN"
                and t.is_lower
                and (t.lower_ in KIND_NOUNS or t.lemma_ in KIND_NOUNS)
            ):
                return t
        return head
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN" and child.i >= end:
            return child
    if root.dep_ == "appos" and head.pos_ == "NOUN" and head.i < start and head.is_lower:
        return head
    if start > 0:
        prev = doc[start - 1]
        if (
            (prev.pos_ == "NOUN" or prev.lower_ in KIND_NOUNS)  # "the Dutch daily NRC", tagged ADV
            and prev.is_lower
            and prev.head.i in range(start, end)
        ):
            return prev
    return None


def context_type(doc: Doc, start: int, end: int, label: str) -> Retype | None:
    """The type the sentence gives a model span (start..end, its label), or None to keep the
    model's label. Types: PERSON, ORG, PLACE, MISC."""
    first, last = doc[start], doc[end - 1]
    if _binomial(doc, start, end):
        return Retype("MISC", start)  # "Formica fusca", "Edwardsiella andrillae": a species
    # storms: "Cyclone Mocha", "Tropical Storm Ciaran", "Mocha" after an untagged "Cyclone"
    if first.lower_ in STORM_WORDS and _cap(first) and end - start >= 2:
        return Retype("MISC", start)
    if start > 0 and doc[start - 1].lower_ in STORM_WORDS and _cap(doc[start - 1]):
        s = start - 1
        if s > 0 and doc[s - 1].lower_ == "tropical":
            s -= 1
        return Retype("MISC", s)
    if (
        _cap(last)
        and (end - start >= 2 or label in ("PERSON", "GPE", "LOC"))
        and (last.lower_ in _EVENTS or last.lower_.endswith("fest"))
    ):
        return Retype("MISC", start)  # "G20 Summit", "Magic Jubilee", "Jubilee" tagged PERSON
    if last.lower_ in EVENT_WORDS:  # "the Paralympics", "the Olympic movement"
        return Retype("MISC", start)
    for k in range(start + 1, end - 1):  # "the Winter Carnival of Magic", "Festival of Lights"
        if doc[k].lower_ in _EVENTS and _cap(doc[k]) and doc[k + 1].lower_ == "of":
            return Retype("MISC", start)
    if label in ("ORG", "GPE", "LOC", "PERSON") and _cap(last) and end - start >= 2:
        words = {t.lower_ for t in doc[start : end - 1]}
        if last.lower_ in FACILITY_HEADS or (last.lower_ in PLANT_HEADS and words & PLANT_WORDS):
            return Retype("PLACE", start)  # "the East Coast", "Milbury Atomic Power Station"
    if _masthead(doc, start, end, label) or _cited_outlet(doc, start, end, label):
        return Retype("ORG", start)  # "the Edmonton Sun", "told the Globe and Mail"
    if _street(doc, start, end, label):
        return Retype("PLACE", start)  # "on Castlefrank Road", "at Bethesda Naval Hospital"
    if label in ("GPE", "LOC") and _unknown_place(doc, start, end):
        return Retype("ORG", start)
    if _cap(last) and last.lower_ in MEETING_HEADS and _at_meeting(doc, start, end):
        return Retype("MISC", start)
    if end - start >= 2 and _MODEL_NO.match(last.text) and not first.like_num:
        return Retype("MISC", start)  # "Volkswagen ID.4", "Galaxy S24"
    if label in ("PERSON", "GPE", "LOC") and _MODEL_NO.match(last.text):
        return Retype("MISC", start)  # "IE6" is no place, "R2-D2" no person
    if (
        label in ("GPE", "LOC", "FAC", "PERSON")
        and end - start >= 2
        and _VERSION.match(last.text)
        and not _ROMAN_NO.match(last.text)
        and last.lower_ not in LEGAL_SUFFIXES
        and gaz.place(doc[start:end].text) is None
        and gaz.place(last.text) is None
    ):
        return Retype("MISC", start)  # "Windows XP" is no place, "Mac OS" no person
    if label in ("PERSON", "GPE", "LOC", "FAC", "NORP", "PRODUCT") and _owns_company_noun(
        doc, start, end, label
    ):
        return Retype("ORG", start)  # "Cisco's shares", "Ryanair passengers", "Twitter users"
    if label == "PERSON" and end - start >= 2 and _cap(last) and last.lower_ in PLACE_NOUNS:
        return Retype("PLACE", start)  # "Rakhine State"
    if label in ("PERSON", "ORG", "GPE", "LOC", "FAC") and _craft(doc, start, end):
        return Retype("MISC", start)  # "Space Shuttle Atlantis", "the Space Shuttle Program"
    if label == "PERSON" and _firm_of_job(doc, start, end):
        return Retype("ORG", start)  # "Paine Webber analyst X", "analyst X of C.J. Lawrence"
    kind_of_list = _listed_under(doc, start)
    if kind_of_list == "ORG" and label in ("PERSON", "GPE", "LOC", "FAC"):
        if gaz.place(doc[start:end].text) is None:
            return Retype("ORG", start)  # "retailers, including Best Buy and Radio Shack"
    if kind_of_list == "PLACE" and label == "PERSON":
        return Retype("PLACE", start)  # "in towns such as Kelby Marsh"
    noun = _noun_of(doc, start, end)
    text = doc[start:end].text
    if noun is not None and gaz.place(text) is None and gaz.demonym(text) is None:
        kind = KIND_NOUNS.get(noun.lemma_.lower()) or KIND_NOUNS.get(noun.lower_)
        if noun.i < start or noun.dep_ == "appos":
            if noun.lower_ in WORK_NOUNS or noun.lemma_.lower() in WORK_NOUNS:
                if label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"):
                    return Retype("MISC", start)  # "the film Easy Rider", "X, a TV show"
        if kind == "MISC" and (
            label != "ORG"
            or noun.lower_ in NEVER_ORG
            or noun.lemma_ in NEVER_ORG
            or (noun.i < start and not _org_words(doc, start, end))  # "1988-model Cadillac X"
        ):
            return Retype("MISC", start)
        if kind == "ORG" and label in ("PERSON", "GPE", "LOC", "NORP", "FAC", "PRODUCT"):
            return Retype("ORG", start)
        if kind == "PLACE" and (
            label in ("PERSON", "PRODUCT", "WORK_OF_ART")
            or (
                label == "ORG"
                and gaz.org(text) is None
                and not any(t.lower_ in CORPORATE_SUFFIXES for t in doc[start:end])
            )
        ):
            return Retype("PLACE", start)  # "the Page-Williams mine", "Celgar pulp mills"
    if label == "PERSON" and end - start == 1 and _on_platform(doc[start]):
        return Retype("ORG", start)
    return None


def _org_words(doc: Doc, start: int, end: int) -> bool:
    return any(
        t.lower_.strip(".") in CORPORATE_SUFFIXES
        or t.lower_.strip(".") in LEGAL_SUFFIXES
        or t.lower_ in ORG_HEADS
        for t in doc[start:end]
    )


def _craft(doc: Doc, start: int, end: int) -> bool:
    """A vehicle's word starts the name, capitalised, another capitalised word after it:
    "Space Shuttle Atlantis", "Shuttle Discovery", "the Space Shuttle Program"; not a company's
    name ("Rocket Lab Inc": an organisation's word in it) nor a cut name."""
    if end < len(doc) and _cap(doc[end]):
        return False  # "Orbiter Processing" + "Facility-1": a cut name
    return any(
        doc[k].lower_ in VEHICLE_WORDS and _cap(doc[k]) and _cap(doc[k + 1])
        for k in range(start, end - 1)
    ) and not _org_words(doc, start, end)


_LIST_CUES = frozenset({"including", "like"})


def _listed_under(doc: Doc, start: int) -> str | None:
    """The kind (KIND_NOUNS) of the plural noun whose examples a list names, the span one of
    them: "retailers, including Best Buy and Radio Shack", "companies such as Harlow Widgets".
    """
    k = start - 1
    while k >= 0 and start - k <= 12:
        t = doc[k]
        if t.lower_ in _LIST_CUES or (t.lower_ == "as" and k > 0 and doc[k - 1].lower_ == "such"):
            k -= 2 if t.lower_ == "as" else 1
            if k >= 0 and doc[k].text == ",":
                k -= 1
            if k < 0 or doc[k].tag_ != "NNS" or not doc[k].is_lower:
                return None
            return KIND_NOUNS.get(doc[k].lemma_.lower()) or KIND_NOUNS.get(doc[k].lower_)
        if not (_cap(t) or t.lower_ in ("and", "&", ",", ".", "-", "of")):
            return None
        k -= 1
    return None


def _firm_of_job(doc: Doc, start: int, end: int) -> bool:
    """A 'person' that is the employer of a job: it modifies an analyst's or economist's noun
    with a name after it ("Paine Webber analyst Bernie Savaiko"), or follows "of" after a
    person's name ("analyst Peter Appert of C.J. Lawrence")."""
    if gaz.place(doc[start:end].text) is not None:
        return False  # "Smit Tak International of Rotterdam"
    root = doc[start:end].root
    head = root.head
    if root.dep_ == "compound" and head.i == end and head.lower_ in FIRM_JOBS:
        return end + 1 < len(doc) and doc[end + 1].ent_type_ == "PERSON"
    if root.dep_ == "pobj" and head.lower_ == "of" and head.i == start - 1:
        owner = head.head
        return owner.i < head.i and owner.ent_type_ == "PERSON" and owner.ent_iob_ != ""
    return False


_LATIN_END = re.compile(r"(?:a|ae|us|um|is|i|ii|ensis|oides|ata|atus|ica|icus)$")


def _binomial(doc: Doc, start: int, end: int) -> bool:
    """A genus and its species: one capitalised word followed (inside the span or just after
    it) by a lowercase Latin word that is no English word ("Formica fusca", "Beauveria
    bassiana"). Needs the lemmatizer's word index (``index.lexicon``)."""
    if not lexicon.WORDS or end - start > 2 or not doc[start].is_title or not doc[start].is_alpha:
        return False
    k = start + 1
    if end - start == 1 and end < len(doc):
        k = end
    if k >= len(doc) or (end - start == 2 and k != end - 1):
        return False
    t = doc[k]
    return (
        t.is_lower
        and t.is_alpha
        and len(t.text) >= 4
        and not t.is_stop
        and _LATIN_END.search(t.text) is not None
        and t.text not in lexicon.WORDS
        and t.lemma_ not in lexicon.WORDS
        and gaz.place(doc[start].text) is None  # "Philippines versus", "Costa rica"
        and gaz.place(doc[start : k + 1].text) is None
    )


def _owns_company_noun(doc: Doc, start: int, end: int, label: str) -> bool:
    """The span owns or modifies a noun only a company has: "Cisco's shares", "the Ryanair
    passengers", "Twitter users"; not a place or nationality of the gazetteer."""
    root = doc[start:end].root
    head = root.head
    if root.dep_ not in ("poss", "compound") or head.i < end or not head.is_lower:
        return False
    word = head.lower_
    if root.dep_ == "poss":
        if word not in COMPANY_NOUNS:
            return False
    elif word not in COMPANY_COMPOUND_NOUNS and not (
        label == "PERSON" and word in _PERSON_COMPANY_NOUNS
    ):
        return False
    text = doc[start:end].text
    return gaz.place(text) is None and gaz.demonym(text) is None


def _unknown_place(doc: Doc, start: int, end: int) -> bool:
    """A span tagged as a place that the gazetteer does not know and the sentence says is an
    organisation: an acronym of three letters or more ("the TAOM in Dallas"; places written so
    are in the gazetteer), or the source of a figure ("according to Quantcast")."""
    text = doc[start:end].text
    if gaz.place(text) is not None or gaz.demonym(text) is not None:
        return False
    if end - start == 1 and text.isalpha() and text.isupper() and len(text) >= 3:
        return gaz.iso_country(text) is None
    root = doc[start:end].root
    return root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according"


def _at_meeting(doc: Doc, start: int, end: int) -> bool:
    """ "at / during / ahead of / on the sidelines of the X Conference", "the X Forum opened"."""
    root = doc[start:end].root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in MEETING_PREPS:
        return True
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in MEETING_PREPS:
        return True
    if root.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in _GOING:
        return True  # "I have been to the X Convention", "delegates travelled to the X Forum"
    if root.dep_ in ("dobj", "nsubj", "nsubjpass") and head.lemma_.lower() in MEETING_VERBS:
        return True
    return False


def _on_platform(t: Token) -> bool:
    """ "posting on Twitter", "a video on TikTok": a medium, not a person."""
    head = t.head
    if t.dep_ != "pobj" or head.lower_ not in ("on", "via"):
        return False
    gov = head.head
    return gov.lemma_.lower() in PLATFORM_WORDS or gov.lower_ in PLATFORM_WORDS


def _masthead(doc: Doc, start: int, end: int, label: str) -> bool:
    """A newspaper's or magazine's name: two words or more, the last a masthead word ("Edmonton
    Sun", "Toronto Star", "The Globe and Mail"), not a place the gazetteer knows; a span tagged
    PERSON not when that word is also a surname ("Emily Post") unless "the" comes before it."""
    last = doc[end - 1]
    if end - start < 2 or not _cap(last) or last.lower_ not in MASTHEAD_HEADS:
        return False
    if label not in ("PERSON", "GPE", "LOC", "FAC", "NORP", "ORG", "WORK_OF_ART", "PRODUCT"):
        return False
    if label == "PERSON" and last.lower_ in MASTHEAD_SURNAMES:
        if (
            not (start > 0 and doc[start - 1].lower_ == "the")
            and gaz.place(doc[start].text) is None
        ):
            return False
    if any(t.lower_ in ("of", "for") for t in doc[start:end]):
        return False  # "Order of the Rising Sun", "Bureau for the Post"
    return gaz.place(doc[start:end].text) is None


_SOURCE_VERBS = frozenset("report quote publish cite".split())


def _cited_outlet(doc: Doc, start: int, end: int, label: str) -> bool:
    """A name the sentence cites as an outlet, not a person nor a place: "a report in X", "wrote
    in X", "told the X", "the X reported" (with "the": "Smith reported" is a person)."""
    if label not in ("PERSON", "GPE", "LOC", "FAC", "NORP"):
        return False
    text = doc[start:end].text
    if gaz.place(text) is not None or gaz.demonym(text) is not None:
        return False
    root = doc[start:end].root
    head = root.head
    the = start > 0 and doc[start - 1].lower_ == "the"
    if root.dep_ == "pobj" and head.lower_ == "in":
        gov = head.head
        return gov.lemma_.lower() in SOURCE_NOUNS or gov.lemma_.lower() == "write"
    if not the or label == "NORP" or doc[end - 1].lower_ in JOB_NOUNS:
        return False  # "the Maintenance Supervisor would report"
    if root.dep_ == "dobj" and head.lemma_.lower() == "tell":
        return True
    return root.dep_ == "nsubj" and head.lemma_.lower() in _SOURCE_VERBS


def _street(doc: Doc, start: int, end: int, label: str) -> bool:
    """A street, square, bridge, station or hill ("Castlefrank Road", "McMurdo Station", "Capitol
    Hill"), or a hospital where it is a location ("at Bethesda Naval Hospital"): a place. Not a
    station after a broadcaster's word ("Radio Station"), a hill tagged PERSON ("Anita Hill"),
    nor a name modifying a noun ("Wall Street analysts", "Downing Street spokesman")."""
    if end - start < 2 or label not in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
        return False
    last = doc[end - 1]
    w = last.lower_
    if not _cap(last) or not _cap(doc[start]):
        return False
    root = doc[start:end].root
    if (
        root.dep_ in ("compound", "nmod", "amod")
        and root.head.i >= end
        and root.head.lower_ not in TRAILING_NOISE  # "McMurdo Station image": a caption
    ):
        return False
    if w == "hospital":
        return root.dep_ == "pobj" and root.head.lower_ in LOCATION_PREPS
    if w not in STREET_HEADS:
        return False
    if w == "hill" and label == "PERSON":
        return False
    words = {t.lower_ for t in doc[max(0, start - 1) : end - 1]}
    if w == "station" and words & BROADCAST_WORDS:
        return False
    return any(t.lower_ not in FUNCTION_WORDS for t in doc[start : end - 1])
