"""Canonical entities: spans from spaCy (or gazetteers in rules mode) turned into mentions of
article-local entities with canonical names, merged aliases and fixed types.

Pipeline for one article (spaCy mode):

1. candidates: named-entity spans (trimmed: leading 'the', possessives, punctuation; split at
   commas and at "North and South Korea"), gazetteer places the model missed, "the town of X",
   and possessive-place nominal organisations ("South Korea's presidential office");
2. ``canonical``: each span alone -> (name, type) with gazetteers (countries, codes, demonyms,
   cities, states, regions, known organisations), titles stripped from people, junk dropped;
3. article context: acronyms defined in the text ("Federal Bureau of Investigation (FBI)") or
   matching an organisation's initials, later short mentions of people ("Neuberger"), short
   forms of longer organisation names ("Air Force"), definite back-references ("the office");
4. types by vote (gazetteer knowledge wins), low-confidence organisations demoted, ids made.

Types are PERSON, ORG, PLACE and MISC; dates, times, money, quantities and numbers are left to
the facts extractor. Nothing here imports spaCy: ``doc`` is only read.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from newsdesk.index.extract import gazetteer as gaz
from newsdesk.index.model import Article, Entity, Mention, Passage

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

TYPES = ("PERSON", "ORG", "PLACE", "MISC")
TIE_ORDER = ("ORG", "PERSON", "PLACE", "MISC")  # a 1:1 vote between labels goes to the first
LABEL_TYPE = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
}
DROP_LABELS = frozenset(
    """
    DATE TIME MONEY PERCENT QUANTITY ORDINAL CARDINAL
    """.split()
)

# Words that end an organisation's name (used to keep, retype and recognise organisations).
ORG_HEADS = frozenset(
    """agency airline airlines airways army assembly association authority bank board bureau
    cabinet center centre church club coalition college commission committee company conference
    congress consortium corporation corps council court courts department division exchange
    federation force forces foundation fund gazette group guard herald holdings hospital house
    inc institute institution league legion magazine ministry movement museum navy network news
    office organisation organization parliament partnership party police post press project
    radio railway railways regiment school senate service services society squad station studio
    store studios team telegraph television times trust tribune tv union university
    """.split()
)
# Heads that make a span tagged PERSON an organisation ("Music Store"); not the ones that are
# also common surnames (Press, House, Post, Church, Bank, Times...).
PERSON_ORG_HEADS = frozenset(
    """
    agency airlines airways association authority bureau club college commission committee company
    corporation corps council department foundation group institute magazine ministry museum office
    organisation organization party school society store university
    """.split()
)
# Heads of definite back-references ("the office", "the company") and their ORG-name endings.
BACKREF_HEADS: dict[str, frozenset[str]] = {
    "office": frozenset({"office"}),
    "ministry": frozenset({"ministry"}),
    "agency": frozenset({"agency"}),
    "department": frozenset({"department"}),
    "commission": frozenset({"commission"}),
    "committee": frozenset({"committee"}),
    "council": frozenset({"council"}),
    "court": frozenset({"court"}),
    "bank": frozenset({"bank"}),
    "party": frozenset({"party"}),
    "union": frozenset({"union"}),
    "university": frozenset({"university"}),
    "group": frozenset({"group"}),
    "company": frozenset("company inc inc. corp corp. corporation co co. ltd ltd. llc plc".split()),
    "firm": frozenset("company inc inc. corp corp. corporation ltd plc".split()),
}
# Heads of possessive-place organisations: "South Korea's presidential office".
NOMINAL_ORG_HEADS = frozenset(
    "office ministry department agency parliament cabinet embassy".split()
)
PLACE_NOUNS = frozenset(
    """
    town city village province county district region state island islands port capital
    municipality prefecture suburb neighbourhood neighborhood
    """.split()
)
# Leading words dropped from people's names. Royal and religious titles are kept ("Pope Francis").
PERSON_TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor emeritus president vice prime
    minister senator sen. rep. representative congressman congresswoman governor gov. judge
    justice presiding general gen. major maj. colonel col. lieutenant lt. captain capt.
    sergeant sgt. admiral adm. commander chancellor secretary chairman chairwoman ceo director
    mayor ambassador commissioner inspector detective officer coach chief deputy former late
    dame sir lord lady rev. reverend spokesman spokeswoman spokesperson analyst editor
    administrator founder co-founder executive manager head
    """.split()
)
# Names of countries that are also common given names: a PERSON span keeps them.
NAME_LIKE_PLACES = frozenset({"Jordan", "Chad", "Georgia", "Israel", "India", "Kenya", "Niger"})
# Generic words and job titles that are never an entity on their own (compared casefolded).
GENERIC = frozenset(
    """government state court commission church parliament council ministry department office
    agency police army navy military president minister professor professors secretary chairman
    ceo director officer officers senator governor mayor judge king queen prince pope company
    group party union republic kingdom empire federal national international interview image
    photo wikinews wikipedia internet web online the a an north south east west northern
    administration authorities games
    southern eastern western central city town state province region county capital emeritus
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday tomorrow
    """.split()
)
TIME_ZONES = frozenset(
    "UTC GMT BST CET CEST EET EEST EST EDT CST CDT MST MDT PST PDT AEST AEDT JST KST IST".split()
)
UNITS = frozenset(
    "GB MB KB TB GHz MHz kHz Mbps Gbps USD EUR GBP JPY CNY AUD CAD CHF RMB mph kph km".split()
)
# Caption and credit words that trail names in image captions ("Washington D.C. Image").
TRAILING_NOISE = frozenset({"image", "photo", "picture", "archived", "file", "video", "audio"})
# Lowercase particles that belong inside names ("al-Amr", "de Gaulle", "van Gogh").
NAME_PARTICLES = frozenset(
    """
    al de del della di da du van von der den la le bin ibn el dos das y e
    """.split()
)
# What may follow a company's short name in its full name ("Apple" -> "Apple Computer").
CORPORATE_SUFFIXES = frozenset(
    """
    inc inc. corp corp. corporation company co co. ltd ltd. plc llc group computer computers
    holdings international motor motors airlines airways ag sa s.a. n.v. limited industries
    systems technologies entertainment communications bank energy pharmaceuticals
    """.split()
)
COMMA_KEEP = frozenset(
    """
    inc inc. ltd ltd. jr jr. sr sr. d.c. dc co co. llc plc s.a. n.v. ag
    """.split()
)
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019", "s"})
FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "on"})
INDEX_WORDS = frozenset({"index", "indices", "average", "composite"})

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
    s = re.sub(r"(?:'s|\u2019s|'|\u2019)$", "", s).strip()
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


ORG_TRAILING_TITLES = frozenset(
    """
    spokesman spokeswoman spokesperson executive administrator chairman chairwoman ceo president
    director analyst editor founder co-founder manager commissioner official officials economist
    """.split()
)


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
    if _looks_junk(s):
        return None
    typ = LABEL_TYPE.get(label, label if label in TYPES else "")
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
        if words[-1].casefold() in PERSON_ORG_HEADS:
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
    name = re.sub(r"^U\.S\.\s", "US ", name)
    name = re.sub(r"^U\.K\.\s", "UK ", name)
    return name


# ---------------------------------------------------------------------------------------------
# Candidates


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


def _parts(doc: Doc, ent: Span) -> list[tuple[int, int]]:
    """Split an entity span at commas, semicolons and opening brackets ("the Academy, Squadron
    Officer School"; "World Health Organisation (WHO"), keeping "Apple, Inc." whole."""
    out = []
    s = ent.start
    for i in range(ent.start, ent.end):
        t = doc[i].text
        if (
            t in (";", "(", "[", "\u2014", "--", "*", "\u2022", "|", "/")
            or ("\n" in t and doc[i].is_space)
            or (t == "," and not (i + 1 < ent.end and doc[i + 1].lower_ in COMMA_KEEP))
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
        if doc[j].text in ('"', "\u201c", "'", "\u2018", "(", "[", "-", "\u2013", "\u2014"):
            return True
        j -= 1
    return False


def _after_det(doc: Doc, i: int) -> bool:
    return i > 0 and doc[i - 1].lower_ in ("a", "an")


def _make(
    doc: Doc, start: int, end: int, label: str, source: str = "ner", force_type: str = ""
) -> _Cand | None:
    start, end = _trim(doc, start, end)
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
    )


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


def _merged_ents(doc: Doc) -> list[tuple[int, int, str]]:
    """The model's entities as (start, end, label), with 'Federal Service' + 'for the' +
    'Financial Markets' joined back into one organisation."""
    ents = [(e.start, e.end, e.label_) for e in doc.ents]
    out: list[tuple[int, int, str]] = []
    for s, e, label in ents:
        if out and label == "ORG" and out[-1][2] == "ORG":
            ps, pe, _ = out[-1]
            between = [t.lower_ for t in doc[pe:s]]
            if between in (["for"], ["of"], ["for", "the"], ["of", "the"], ["on"], ["on", "the"]):
                out[-1] = (ps, e, "ORG")
                continue
        # "Lockheed" (ORG) + "Martin" (PRODUCT) side by side: one name
        if (
            out
            and out[-1][1] == s
            and out[-1][2] == "ORG"
            and doc[s - 1].whitespace_
            and (
                label in ("PRODUCT", "ORG")
                and doc[s].is_title
                and gaz.place(clean(doc[out[-1][0] : out[-1][1]].text)) is None
            )
        ):
            out[-1] = (out[-1][0], e, "ORG")
            continue
        out.append((s, e, label))
    return out


def _ner_candidates(doc: Doc) -> list[_Cand]:
    out: list[_Cand] = []
    for start, ent_end, label in _merged_ents(doc):
        if label not in LABEL_TYPE:
            continue
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
        # "Secretary of Defense", "Minister of Finance": part of a job title
        if (
            label == "ORG"
            and end - start == 1
            and i >= 2
            and doc[i - 1].lower_ == "of"
            and doc[i - 2].lower_ in PERSON_TITLES
        ):
            continue
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
        for s, e in _parts(doc, doc[start:end]):
            s2, e2 = _trim(doc, s, e)
            coord = _coordination(doc, s2, e2, label) if e2 > s2 else None
            if coord:
                out.extend(coord)
                continue
            c = _make(doc, s, e, label, force_type=force)
            if c is not None:
                out.append(c)
    return out


def _covered(doc: Doc) -> list[bool]:
    cov = [False] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            cov[i] = True
    return cov


def _gazetteer_candidates(doc: Doc, cov: list[bool]) -> list[_Cand]:
    """Places, countries and demonyms in the text that the model did not tag."""
    pattern, table = gaz.place_patterns()
    out = []
    for m in pattern.finditer(_text(doc)):
        span = doc.char_span(m.start(), m.end(), alignment_mode="strict")
        if span is None or any(cov[i] for i in range(span.start, span.end)):
            continue
        first, last = doc[span.start], doc[span.end - 1]
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        # part of a longer proper name ("Air India", "Georgia Tech")?
        if prev is not None and prev.is_title and prev.pos_ == "PROPN" and not prev.is_sent_start:
            continue
        if nxt is not None and nxt.is_title and nxt.pos_ == "PROPN":
            continue
        surface = m.group()
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
    pattern, table = gaz.place_patterns()
    out = []
    for m in pattern.finditer(text):
        surface = m.group()
        p = table[surface]
        out.append(
            _Cand(
                m.start(),
                m.end(),
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


# ---------------------------------------------------------------------------------------------
# Article context


def _acronym_definitions(text: str, cands: list[_Cand]) -> dict[str, _Cand]:
    """'Federal Bureau of Investigation (FBI)' -> {'FBI': <long form>} when the letters fit."""
    ends = {c.end: c for c in cands if c.type in ("ORG", "MISC", "PLACE") and " " in c.alias}
    out: dict[str, _Cand] = {}
    for m in re.finditer(r"\s*[(\[]\s*([A-Z][A-Za-z&.\-]{0,9}[A-Z.])\s*[)\]]", text):
        long = ends.get(m.start())
        if long is None:
            continue
        acr = m.group(1)
        letters = _acronym_letters(acr)
        if _initials_fit(letters, long.alias):
            out.setdefault(acr, long)
    return out


def _initials_fit(letters: str, name: str) -> bool:
    if len(letters) < 2:
        return False
    return letters in (_initials(name, False), _initials(name, True)) or (
        _subsequence(letters, _initials(name, True)) and letters[0] == name[:1].upper()
    )


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def _resolve(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Group keys: acronyms -> long forms, short person names -> full names, short ORG names ->
    the longer name they end, case variants together."""
    cands.sort(key=lambda c: (c.start, -c.end))
    # acronyms defined in the text
    defs = _acronym_definitions(text, cands)
    for c in cands:
        long = defs.get(c.alias)
        if long is not None and c is not long:
            c.name, c.type, c.key, c.strong = long.name, long.type, long.key, long.strong
    # acronyms matching the initials of an organisation named in the article
    longs = [c for c in cands if c.type == "ORG" and " " in c.name]
    for c in cands:
        if c.type not in ("ORG", "MISC", "PERSON") or not _is_acronym(c.alias) or c.alias in defs:
            continue
        if c.strong and c.source != "ner":
            continue
        if gaz.org(c.alias) is not None or gaz.place(c.alias) is not None:
            continue
        letters = _acronym_letters(c.alias)
        fits = {
            lf.key: lf
            for lf in longs
            if letters in (_initials(lf.name, False), _initials(lf.name, True))
        }
        if len(fits) == 1:
            lf = next(iter(fits.values()))
            c.name, c.type, c.key = lf.name, lf.type, lf.key
    _resolve_people(cands)
    _resolve_short_orgs(cands)
    return cands


def _resolve_people(cands: list[_Cand]) -> None:
    """'Neuberger' after 'Anne Neuberger' (or before it, when no full name precedes)."""
    fulls = [c for c in cands if c.type == "PERSON" and len(c.name.split()) > 1]
    if not fulls:
        return
    by_last: dict[str, list[_Cand]] = defaultdict(list)
    for f in fulls:
        words = f.name.split()
        by_last[words[-1].casefold()].append(f)
        if len(words) > 2:
            by_last[" ".join(words[-2:]).casefold()].append(f)
    by_first: dict[str, set[str]] = defaultdict(set)
    for f in fulls:
        by_first[f.name.split()[0].casefold()].add(f.key)
    for c in cands:
        if c.source not in ("ner", "surname") or (c.strong and c.type != "PERSON"):
            continue
        short = _strip_titles(_straight(c.alias))
        if (
            c.type == "PERSON"
            and " " not in short
            and short.casefold() not in by_last
            and len(by_first.get(short.casefold(), ())) == 1
        ):
            # "Steve" after "Steve Jobs", when no other full name starts with it
            pick = next(f for f in fulls if f.key in by_first[short.casefold()])
            c.name, c.key = pick.name, pick.key
            continue
        if not short or (
            short.casefold() == c.name.casefold() and c.type == "PERSON" and " " in short
        ):
            continue
        options = by_last.get(short.casefold())
        if not options:
            continue
        before = [f for f in options if f.start < c.start]
        pick = before[-1] if before else options[0]
        if c.type != "PERSON" and gaz.place(short) is not None:
            continue
        c.name, c.type, c.key = pick.name, "PERSON", pick.key


def _resolve_short_orgs(cands: list[_Cand]) -> None:
    """'Air Force' after 'United States Air Force'; 'Apple' when one longer 'Apple ...' name
    clearly dominates."""
    orgs = Counter(c.key for c in cands if c.type == "ORG")
    names = {c.key: c for c in cands if c.type == "ORG"}
    for c in cands:
        if c.type not in ("ORG", "PERSON") or c.strong and c.source != "ner":
            continue
        key = group_key(c.name, c.type)
        if c.key != key or " " in key and c.type == "PERSON":
            continue
        suffix = [k for k in names if k != key and k.endswith(" " + key)]
        prefix = [
            k
            for k in names
            if k != key
            and k.startswith(key + " ")
            and all(w in CORPORATE_SUFFIXES for w in k[len(key) + 1 :].split())
        ]
        options = suffix if len(suffix) == 1 else []
        if not options and prefix:
            ranked = sorted(prefix, key=lambda k: -orgs[k])
            if len(ranked) == 1 or orgs[ranked[0]] > sum(orgs[k] for k in ranked[1:]):
                options = ranked[:1]
        if options and not gaz.place(c.alias):
            target = names[options[0]]
            if c.type == "PERSON" and len(c.name.split()) == 1:
                continue
            c.name, c.type, c.key = target.name, "ORG", target.key


def _vote(cands: list[_Cand]) -> dict[str, tuple[str, str]]:
    """Per group key: (display name, type). Knowledge wins; else the majority of labels (ties:
    PERSON, ORG, PLACE, MISC); the display name is the most frequent spelling."""
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        groups[c.key].append(c)
    out = {}
    for key, cs in groups.items():
        strong = Counter(c.type for c in cs if c.strong)
        if strong:
            typ = max(strong, key=lambda t: (strong[t], -TIE_ORDER.index(t)))
        else:
            votes = Counter(c.type for c in cs)
            typ = max(votes, key=lambda t: (votes[t], -TIE_ORDER.index(t)))
        names = Counter(c.name for c in cs if c.type == typ) or Counter(c.name for c in cs)
        name = max(
            names,
            key=lambda n: (not _is_acronym(n), names[n], sum(ch.isupper() for ch in n), len(n)),
        )
        out[key] = (name, typ)
    return out


def _low_confidence(cs: list[_Cand], typ: str) -> str | None:
    """'drop', 'MISC' or None for a group of mentions that does not look like a real name."""
    if any(c.strong for c in cs):
        return None
    if typ == "ORG":
        aliases = {c.alias for c in cs}
        if any(_is_acronym(a) for a in aliases):
            return None
        words = [w for a in aliases for w in a.split()]
        if any(w.casefold().strip(".,'") in ORG_HEADS for w in words):
            return None
        if len(cs) == 1:
            c = cs[0]
            ws = c.alias.split()
            if len(ws) == 1 and (c.sent_start or c.after_det):
                return "drop"  # "Hydrogen peroxide ...", "an Oath"
            if len(ws) > 2 and any(w in ("of", "and") for w in ws):
                return "MISC"  # "Weapons of Mass Destruction", "Peace and Security"
    if typ == "PERSON" and len(cs) == 1:
        c = cs[0]
        if c.after_det:
            return "drop"
        if c.sent_start and " " not in c.name:
            return "drop"  # "Iodine deficiency ...", "Photographs of ...": a capitalised noun
    return None


# ---------------------------------------------------------------------------------------------
# Public API


def extract_entities(
    article: Article, passages: Sequence[Passage], doc: Doc | None
) -> tuple[list[Mention], list[Entity]]:
    """Mentions (offsets into article.text) and article-local entities of one article.

    ``doc`` is spaCy's parse of ``article.text``; None means rules mode (gazetteer places
    only)."""
    text = article.text
    if doc is None:
        cands = _rules_candidates(text)
    else:
        if doc.text != text:
            raise ValueError(f"{article.id}: the doc was not parsed from article.text")
        _TEXTS[id(doc)] = text
        try:
            cands = _ner_candidates(doc)
            cov = _covered(doc)
            cands += _gazetteer_candidates(doc, cov)
            cands += _nominal_candidates(doc, cands)
            cands = _resolve(text, cands)
            for c in cands:
                if c.source == "nominal":
                    span = doc.char_span(c.start, c.end, alignment_mode="expand")
                    if span is not None:
                        for i in range(span.start, span.end):
                            cov[i] = True
            cands += _backrefs(doc, cands, cov)
        finally:
            _TEXTS.pop(id(doc), None)
    return _finish(article, passages, cands)


def _finish(
    article: Article, passages: Sequence[Passage], cands: list[_Cand]
) -> tuple[list[Mention], list[Entity]]:
    cands = _dedupe(cands)
    decided = _vote(cands)
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        groups[c.key].append(c)
    final: dict[str, tuple[str, str]] = {}
    for key, (name, typ) in decided.items():
        verdict = _low_confidence(groups[key], typ)
        if verdict == "drop":
            continue
        final[key] = (name, verdict or typ)
    # case variants and retyped groups may now share an id: merge them by id
    pstarts = [p.start for p in passages]
    mentions: list[Mention] = []
    info: dict[str, dict[str, Any]] = {}
    for c in sorted(cands, key=lambda c: (c.start, c.end)):
        if c.key not in final:
            continue
        name, typ = final[c.key]
        eid = entity_id(name, typ)
        mentions.append(
            Mention(
                entity_id=eid,
                passage_id=_passage_id(article, passages, pstarts, c.start),
                start=c.start,
                end=c.end,
                surface=c.surface,
                name=name,
                type=typ,
            )
        )
        e = info.setdefault(eid, {"name": name, "type": typ, "aliases": set(), "n": 0})
        e["n"] += 1
        if c.alias and (len(c.alias.split()) > 1 or not c.alias.islower()):
            e["aliases"].add(c.alias)
    entities = [
        Entity(
            id=eid,
            name=e["name"],
            type=e["type"],
            aliases=tuple(sorted(e["aliases"] | {e["name"]})),
            mentions=e["n"],
            articles=(article.id,),
        )
        for eid, e in info.items()
    ]
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return mentions, entities


def _dedupe(cands: list[_Cand]) -> list[_Cand]:
    """One candidate per exact span (the first, i.e. the model's, wins)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for c in cands:
        if (c.start, c.end) in seen:
            continue
        seen.add((c.start, c.end))
        out.append(c)
    return out


def _passage_id(
    article: Article, passages: Sequence[Passage], starts: list[int], offset: int
) -> str:
    if not passages:
        return f"{article.id}#0"
    i = bisect.bisect_right(starts, offset) - 1
    return passages[max(i, 0)].id


def merge_entities(per_article: Iterable[Sequence[Entity]]) -> list[Entity]:
    """Cross-article merge: the same id is one entity (aliases united, mentions summed,
    articles united and sorted). The first name seen for an id is kept."""
    acc: dict[str, dict[str, Any]] = {}
    for ents in per_article:
        for e in ents:
            a = acc.setdefault(
                e.id, {"name": e.name, "type": e.type, "aliases": set(), "n": 0, "arts": set()}
            )
            a["aliases"].update(e.aliases)
            a["n"] += e.mentions
            a["arts"].update(e.articles)
    return [
        Entity(
            id=eid,
            name=a["name"],
            type=a["type"],
            aliases=tuple(sorted(a["aliases"])),
            mentions=a["n"],
            articles=tuple(sorted(a["arts"])),
        )
        for eid, a in sorted(acc.items())
    ]
