"""Names of one span without article context: ``slug`` and ``entity_id``, ``clean`` (a surface
as an alias), ``group_key`` (names that are the same entity), acronym and title helpers, the junk
test, and ``canonical`` (a span alone -> canonical name and type, by gazetteers and rules)."""

from __future__ import annotations

import re
import unicodedata

from newsdesk.index.extract import gazetteer as gaz
from newsdesk.index.extract.entities.words import (
    DROP_LABELS,
    FUNCTION_WORDS,
    GENERIC,
    INDEX_WORDS,
    LABEL_TYPE,
    LEGAL_SUFFIXES,
    NAME_LIKE_PLACES,
    ORG_HEADS,
    ORG_TRAILING_TITLES,
    PARTY_MEMBERS,
    PERSON_ORG_HEADS,
    PERSON_TITLES,
    TIME_ZONES,
    TYPES,
    UNITS,
)

_WS = re.compile(r"\s+")
_ROMAN = re.compile(r"(?:x{0,2})(?:ix|iv|v?i{0,3})", re.IGNORECASE)
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " "})


# ---------------------------------------------------------------------------------------------
# Small helpers


def slug(name: str) -> str:
    """'North Korea' -> 'north-korea'; letters of any script are kept, accents removed."""
    s = unicodedata.normalize("NFKD", name.translate(_APOS))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"[^\w]+|_", "-", s).strip("-")
    return s or "x"


def entity_id(name: str, type_: str) -> str:
    return f"{type_.lower()}:{slug(name)}"


def clean(surface: str) -> str:
    """A surface form as an alias: brackets and quotes removed, possessive and leading
    'the'/'a' dropped, whitespace collapsed. Keeps the writer's spelling otherwise."""
    s = surface.replace("[", " ").replace("]", " ").replace("\u00a0", " ")
    s = _WS.sub(" ", s).strip()
    s = s.strip(" \t\"'\u201c\u201d\u2018\u2019`()[]{}<>,;:!?*")
    # a possessive, also typed with a double quote (wire copy: 'Brazil"s')
    s = re.sub(r"(?:'s|\u2019s|(?<=[A-Za-z])\"s|'|\u2019)$", "", s).strip()
    s = re.sub(r"^(?:the|The|THE|a|A|an|An)\s+", "", s)
    s = s.strip(' \t"\u201c\u201d`()[]{}<>,;:!?*-')
    # a trailing full stop is kept only on abbreviations ("U.S.", "Inc.", "Jr.")
    if s.endswith(".") and not re.search(r"(?:\b[A-Za-z]\.|\b(?:Inc|Co|Corp|Ltd|Jr|Sr|St)\.)$", s):
        s = s[:-1].rstrip()
    return _WS.sub(" ", s)


def _straight(s: str) -> str:
    return s.translate(_APOS)


def _is_acronym(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters) and " " not in s


def _acronym_letters(s: str) -> str:
    return "".join(c for c in s if c.isalpha() and c.isupper())


def _initials(name: str, with_function_words: bool) -> str:
    out = []
    for w in re.split(r"[\s\-]+", name):
        w = w.strip("'\u2019.,()")
        if not w:
            continue
        if w.lower() in FUNCTION_WORDS and not with_function_words:
            continue
        if w.lower().endswith("'s"):
            w = w[:-2]
        out.append(w[0].upper())
    return "".join(out)


_ORG_WORDS = {"co": "company", "corp": "corporation", "inc": "", "ltd": "limited", "&": "and"}


def group_key(name: str, type_: str) -> str:
    """Names that are the same entity within an article: case, full stops and (for
    organisations) 'Co.'/'Company', 'Inc.', a plural or possessive last word are ignored."""
    s = _straight(name).casefold()
    if type_ != "ORG":
        return s
    words = [_ORG_WORDS.get(w, w) for w in s.replace(".", " ").replace(",", " ").split()]
    words = [w for w in words if w]
    if len(words) > 1 and len(words[-1]) > 3 and words[-1].endswith("s"):
        words[-1] = words[-1][:-1]
    return " ".join(words) or s


def _looks_junk(s: str) -> bool:
    """Low-confidence spans that are not entities: no letters, a single lowercase word, a
    generic noun or job title, a time zone, numbers and similar."""
    if not s or not any(c.isalpha() for c in s):
        return True
    if len(s) > 80 or "\n" in s:
        return True
    words = s.split()
    if s.casefold() in GENERIC or s in TIME_ZONES or s in UNITS:
        return True
    if re.match(r"(?:pro|anti|non|post|pre|ex|neo)-", s, re.IGNORECASE):
        return True  # "pro-Beijing", "anti-Pyongyang": an attitude, not a name
    if len(words) > 1 and all(w.islower() for w in words):
        return True  # "vehicle miles", "disco club"
    if all(w.casefold() in GENERIC for w in words):
        return True
    if len(words) == 1 and s[0].islower() and not any(c.isupper() for c in s[1:]):
        # "state", "jargon-free"; keeps "al-Ikhbariya", "iPod", "eBay"
        if "-" not in s or s.split("-")[-1][:1].islower():
            return True
    if sum(c.isdigit() for c in s) > sum(c.isalpha() for c in s):
        return True
    if s.startswith(("http", "www.")) or "@" in s:
        return True
    return False


def _is_org_trailing_title(word: str) -> bool:
    w = word.casefold()
    return w in ORG_TRAILING_TITLES or w.replace(".", "") in ORG_TRAILING_TITLES


def _is_title(word: str) -> bool:
    w = word.casefold()
    return w in PERSON_TITLES or w.replace(".", "") in PERSON_TITLES


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and _is_title(words[0]):
        words = words[1:]
    if words and _is_title(words[0]) and len(words) == 1:
        return ""
    return " ".join(words)


def _place_kind_ok_for_person(p: gaz.Place, s: str) -> bool:
    """A span tagged PERSON that is really a country or region ('Japan' tagged PERSON)."""
    return p.kind in ("country", "former-country", "continent", "region") and (
        s not in NAME_LIKE_PLACES
    )


# ---------------------------------------------------------------------------------------------
# One span without context


def canonical(surface: str, label: str) -> tuple[str, str] | None:
    """(canonical name, type) for one span without article context, or None for junk and for
    labels that are not entities (dates, numbers...). ``label`` is a spaCy label (PERSON, ORG,
    GPE, LOC, FAC, NORP, EVENT, LAW, PRODUCT, WORK_OF_ART, LANGUAGE), one of our types, or ""
    (unknown: gazetteers only). Examples: ('U.S.', 'GPE') -> ('United States', 'PLACE');
    ("North Korea's", 'GPE') -> ('North Korea', 'PLACE'); ('Japanese', 'NORP') -> ('Japan',
    'PLACE'); ('FBI', 'ORG') -> ('Federal Bureau of Investigation', 'ORG')."""
    if label in DROP_LABELS:
        return None
    s = clean(surface)
    if _looks_junk(s) and gaz.org(s) is None:  # "State Department": generic words, a known name
        return None
    typ = LABEL_TYPE.get(label, label if label in TYPES else "")
    if label == "NORP" and s[:1].isupper() and s.casefold() in PARTY_MEMBERS:
        return PARTY_MEMBERS[s.casefold()], "ORG"  # "Democrats", "one Republican"
    p = gaz.place(s)
    if p is not None and (typ != "PERSON" or _place_kind_ok_for_person(p, s)):
        return p.name, "PLACE"
    if typ in ("PLACE", "") and _is_acronym(s) and len(s) == 3:
        iso = gaz.iso_country(s) if label in ("GPE", "LOC", "PLACE") else None
        if iso is not None:
            return iso.name, "PLACE"
    if typ != "PERSON":
        d = gaz.demonym(s)
        if d is not None:
            return d.name, "PLACE"
    o = gaz.org(s)
    if o is not None and typ != "PERSON":
        return o
    if typ == "":
        return None
    name = _straight(s)
    if typ == "PERSON":
        name = _strip_titles(name)
        if not name or _looks_junk(name) or any(c.isdigit() for c in name):
            return None
        if _is_acronym(name):  # "ROTC" tagged PERSON
            return name, "ORG"
        words = name.split()
        if len(words) > 1 and any(
            gaz.is_country_name(w) and w not in NAME_LIKE_PLACES for w in words
        ):
            return name, "ORG"  # "Garuda Indonesia"
        if words[-1].casefold() in PERSON_ORG_HEADS or words[-1].casefold() in LEGAL_SUFFIXES:
            return name, "ORG"
        return name, "PERSON"
    if typ == "ORG":
        # "State Department Spokesperson": a job title after the organisation
        words = name.split()
        while len(words) > 1 and _is_org_trailing_title(words[-1]) and words[-2] != "of":
            words = words[:-1]
        name = " ".join(words)
        o = gaz.org(name)
        if o is not None:
            return o
    last = name.split()[-1].casefold()
    if typ == "ORG":
        if last in INDEX_WORDS:
            return name, "MISC"
        if len(name.split()) > 1 and (_ROMAN.fullmatch(last) or re.fullmatch(r"\d{3,}", last)):
            return name, "MISC"  # "Delta IV", "Boeing 787", "FTSE 100": products and indices
        if re.search(r"\bFlight\b", name):
            return name, "MISC"
        return _normalise_org(name), "ORG"
    if typ == "PLACE" and label == "FAC" and last in ORG_HEADS:
        return name, "ORG"  # "the Saudi Gazette" tagged FAC
    if typ == "PLACE" and name.casefold() in GENERIC:
        return None
    if typ == "PLACE":
        m = re.match(
            r"(?i)(?:the )?(?:state|province|city|municipality|republic|kingdom|commonwealth"
            r"|county|district|region|island|town|village) of (.+)$",
            name,
        )
        if m and m.group(1)[:1].isupper():
            inner = canonical(m.group(1), label)
            return inner if inner is not None else (m.group(1), "PLACE")
    return name, typ


def _normalise_org(name: str) -> str:
    """An organisation's name as the text writes it ("U.S. Agriculture Department"): the group
    key already makes "US" and "U.S." one name, and sources quoting it keep the spelling."""
    return name
