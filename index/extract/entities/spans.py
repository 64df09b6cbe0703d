"""Candidate mentions from token ranges of the spaCy doc: the ``_Cand`` record, trimming a
range (determiners, possessives, punctuation, caption words), splitting an entity at commas,
"North and South Korea", and ``_make`` (a range -> a candidate with its canonical name). spaCy
is never imported: ``doc`` is only read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from newsdesk.index.extract import gazetteer as gaz
from newsdesk.index.extract.entities.names import (
    _is_org_trailing_title,
    _is_title,
    _straight,
    canonical,
    clean,
    group_key,
)
from newsdesk.index.extract.entities.words import (
    COMMA_KEEP,
    COMMON_ACRONYMS,
    DETERMINERS,
    LEGAL_SUFFIXES,
    NAME_PARTICLES,
    ORG_HEADS,
    PARTY_MEMBERS,
    POSSESSIVE,
    ROLE_HEADS,
    SPEECH_LEMMAS,
    TRAILING_NOISE,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


@attrs.define
class _Cand:
    start: int  # char offsets into the article text
    end: int
    surface: str  # literal text, possessive dropped
    alias: str  # cleaned surface
    label: str  # spaCy label or a type
    name: str
    type: str
    source: str = "ner"  # ner | gazetteer | pattern | nominal | backref | acronym | surname
    strong: bool = False  # the type comes from knowledge (gazetteer, definition, pattern)
    sent_start: bool = False
    after_det: bool = False  # preceded by a determiner ("an Oath")
    key: str = ""  # group key after resolution
    role: str = ""  # the title or role written before a person ("Deputy Secretary of Commerce")
    dep: str = ""  # the dependency label of the span's root ("nsubj", "compound"...)
    speaks: bool = False  # the subject of a speech verb ("Bush said")

    def __attrs_post_init__(self) -> None:
        if not self.key:
            self.key = group_key(self.name, self.type)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading determiners/punctuation and trailing possessives/punct."""
    while start < end and (
        doc[start].lower_ in DETERMINERS
        or doc[start].is_punct
        or doc[start].is_space
        or doc[start].text in ("[", "]", "(", ")")
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or (doc[end - 1].is_punct and not _is_abbrev(doc[end - 1].text))
        or doc[end - 1].text in POSSESSIVE - {"s"}
        or (doc[end - 1].text == "s" and end - 1 > start and doc[end - 2].text in ("'", "\u2019"))
    ):
        end -= 1
    return start, end


def _is_abbrev(text: str) -> bool:
    return len(text) > 1 and text.endswith(".") and any(c.isalpha() for c in text)


_LIST_WORDS = frozenset({"and", "&", ",", "of", "the", "for"})
_LIST_HEADS = ORG_HEADS | {"administration", "authority"}


def _comma_name(ent: Span, label: str) -> bool:
    """Commas inside one organisation's name: "Bureau of Alcohol, Tobacco, Firearms and
    Explosives", "Philippine Atmospheric, Geophysical and Astronomical Services Administration"
    (capitalised words listed up to an "and", with an organisation's head word)."""
    if label != "ORG":
        return False
    commas = [t.i for t in ent if t.text == ","]
    if not commas or not any(t.lower_ in ("and", "&") and t.i > commas[-1] for t in ent):
        return False
    if not all(t.text[:1].isupper() or t.lower_ in _LIST_WORDS for t in ent):
        return False
    # ... or a firm named after its partners ("Carroll, McEntee and McGinley Inc")
    return any(t.lower_ in _LIST_HEADS for t in ent) or ent[-1].lower_ in LEGAL_SUFFIXES


def _parts(doc: Doc, ent: Span, label: str = "") -> list[tuple[int, int]]:
    """Split an entity span at commas, semicolons and opening brackets ("the Academy, Squadron
    Officer School"; "World Health Organisation (WHO"), keeping "Apple, Inc." and the commas of
    one name ("Bureau of Alcohol, Tobacco, Firearms and Explosives") whole."""
    keep_commas = _comma_name(ent, label)
    out = []
    s = ent.start
    for i in range(ent.start, ent.end):
        t = doc[i].text
        if (
            t in (";", "(", "[", "\u2014", "--", "*", "\u2022", "|", "/")
            or ("\n" in t and doc[i].is_space)
            or (
                t == ","
                and not keep_commas
                and not (i + 1 < ent.end and doc[i + 1].lower_ in COMMA_KEEP)
            )
        ):
            if i > s:
                out.append((s, i))
            s = i + 1
    if ent.end > s:
        out.append((s, ent.end))
    return out


def _surface(doc: Doc, start: int, end: int) -> tuple[int, int, str]:
    """Char offsets and literal text of tokens start..end (doc.text is slow: it joins all
    tokens on every call, so extract_entities keeps the article text at hand)."""
    a = doc[start].idx
    last = doc[end - 1]
    b = last.idx + len(last.text)
    return a, b, _text(doc)[a:b]


_TEXTS: dict[int, str] = {}  # id(doc) -> its text, while extract_entities runs


def _text(doc: Doc) -> str:
    t = _TEXTS.get(id(doc))
    return t if t is not None else doc.text


def _is_sent_start(doc: Doc, i: int) -> bool:
    t = doc[i]
    if t.is_sent_start:
        return True
    j = i - 1
    while j >= 0 and (doc[j].is_punct or doc[j].is_space) and doc[j].text not in (",",):
        if doc[j].text in (".", "!", "?", "\n") or doc[j].is_sent_start:
            return True
        if doc[j].text in ("-", "\u2013", "\u2014") and j > 0 and doc[j - 1].pos_ == "NOUN":
            return False  # "the automakers - Ford, Chrysler": names set off after a noun
        if doc[j].text in ('"', "\u201c", "'", "\u2018", "(", "[", "-", "\u2013", "\u2014"):
            return True
        j -= 1
    return False


def _after_det(doc: Doc, i: int) -> bool:
    return i > 0 and doc[i - 1].lower_ in ("a", "an")


def _make(
    doc: Doc,
    start: int,
    end: int,
    label: str,
    source: str = "ner",
    force_type: str = "",
    role: str = "",
) -> _Cand | None:
    start, end = _trim(doc, start, end)
    if label == "PERSON" or force_type == "PERSON":
        # "President Obama": the title is the mention's role, the name is the span
        k = start
        while end - k > 1 and _is_title(doc[k].text) and doc[k].text[:1].isupper():
            k += 1
        if k > start and not role:
            role = _surface(doc, start, k)[2]
        start = k
    if end - start == 1 and doc[start].text in COMMON_ACRONYMS:
        return None  # "AI", "SMS", "GPS": common terms, not organisations
    titled = _lowercase_name(doc, start, end, label)
    if titled is not None:  # "finance minister domingo cordovez", "returning to quito"
        a, b, surface = _surface(doc, start, end)
        c = canonical(titled, label)
        if c is None:
            return None
        return _Cand(
            a,
            b,
            surface,
            clean(titled),
            label,
            c[0],
            force_type or c[1],
            source=source,
            strong=bool(force_type) or label != "PERSON",  # a place the gazetteer knows
            sent_start=_is_sent_start(doc, start),
            role=role,
            dep=doc[start:end].root.dep_,
            speaks=_speaks(doc[start:end].root),
        )
    while end - start > 1 and doc[end - 1].lower_ in TRAILING_NOISE:
        end -= 1
    # drop leading lowercase words ("united Germany", "magician David Gish")
    while (
        end - start > 1
        and doc[start].is_lower
        and doc[start].is_alpha
        and doc[start].lower_ not in NAME_PARTICLES
        and doc[start].whitespace_
    ):
        start += 1
    start, end = _trim(doc, start, end)
    if start >= end:
        return None
    # drop trailing lowercase words ("Yonhap news agency") while a capitalised word remains
    if label in ("ORG", "PERSON", "GPE", "LOC", "NORP"):
        e = end
        while (
            e - 1 > start
            and doc[e - 1].is_lower
            and doc[e - 1].is_alpha
            and doc[e - 2].whitespace_  # not "Kim Jong-un"
            and doc[e - 1].lower_ != "party"  # "the Republican party" is the party
        ):
            e -= 1
        if any(not doc[k].is_lower for k in range(start, e)):
            end = e
    a, b, surface = _surface(doc, start, end)
    c = canonical(surface, label)
    if c is None:
        return None
    name, typ = c
    alias = clean(surface)
    if typ in ("PERSON", "ORG") and alias != name and name in alias:
        rest = alias.replace(name, " ").split()
        if rest and all(_is_title(w) or _is_org_trailing_title(w) for w in rest):
            alias = name  # "Spokeswoman Sandy Angers", "Boeing Executive": the name itself
    strong = False
    if force_type:
        if typ != force_type:
            name = _straight(clean(surface))
        typ, strong = force_type, True
    known = gaz.place(clean(surface)) or gaz.demonym(clean(surface)) or gaz.org(clean(surface))
    if known is not None and typ in ("PLACE", "MISC", "ORG") and label != "PERSON":
        strong = True
    if label == "NORP" and typ == "ORG" and alias.casefold() in PARTY_MEMBERS:
        strong = True  # "a Democrat": the party, known as a demonym is
    root = doc[start:end].root
    return _Cand(
        a,
        b,
        surface,
        alias,
        label,
        name,
        typ,
        source=source,
        strong=strong,
        sent_start=_is_sent_start(doc, start),
        after_det=_after_det(doc, start),
        role=role,
        dep=root.dep_,
        speaks=_speaks(root),
    )


def _lowercase_name(doc: Doc, start: int, end: int, label: str) -> str | None:
    """A name the wire wrote in lowercase ("finance minister domingo cordovez", "before
    returning to quito") that the model still tagged: its capitalised form, when that form is a
    place the gazetteer knows or the article writes it so elsewhere, or, for a person, a role
    word comes just before it. None for anything else (lowercase spans are mostly common
    nouns: "the ruling party")."""
    if label not in ("PERSON", "GPE", "LOC") or end - start > 3:
        return None
    words = doc[start:end]
    if not all(t.is_lower and t.is_alpha for t in words) or any(t.is_stop for t in words):
        return None
    titled = " ".join(
        t.text if t.lower_ in NAME_PARTICLES and k else t.text.capitalize()
        for k, t in enumerate(words)
    )
    if label != "PERSON":
        return titled if gaz.place(titled) is not None else None
    if end - start < 2:
        return None
    text = _TEXTS.get(id(doc), "")
    if titled in text:
        return titled
    prev = doc[start - 1] if start else None
    if prev is not None and prev.lower_ in ROLE_HEADS:
        return titled
    return None


def _speaks(root: Token) -> bool:
    """The span is the subject of a speech verb ("Bush said"): a person, or a body."""
    return root.dep_ == "nsubj" and root.head.lemma_ in SPEECH_LEMMAS


def _coordination(doc: Doc, start: int, end: int, label: str) -> list[_Cand] | None:
    """'North and South Korea' -> North Korea ('North') + South Korea ('South Korea')."""
    words = [doc[i].text for i in range(start, end)]
    if label not in ("GPE", "LOC") or "and" not in words:
        return None
    k = words.index("and")
    left, right = words[:k], words[k + 1 :]
    if not left or len(right) < 2:
        return None
    right_place = gaz.place(" ".join(right))
    joined = gaz.place(" ".join(left + right[1:]))
    if right_place is None or joined is None:
        return None
    a, b, s = _surface(doc, start, start + k)
    first = _Cand(a, b, s, clean(s), label, joined.name, "PLACE", strong=True)
    a, b, s = _surface(doc, start + k + 1, end)
    second = _Cand(a, b, s, clean(s), label, right_place.name, "PLACE", strong=True)
    return [first, second]


def _extend(doc: Doc, start: int, end: int, label: str) -> int:
    """Extend 'Garuda Indonesia Flight' + '200' and 'FTSE' + '100' to the number after them."""
    if end < len(doc) and doc[end].like_num and label in ("ORG", "PRODUCT", "EVENT"):
        last = doc[end - 1].text
        if last == "Flight" or gaz.org(f"{doc[start:end].text} {doc[end].text}") is not None:
            return end + 1
    return end
