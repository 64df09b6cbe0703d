"""Gazetteers: countries (pycountry plus a curated table), demonyms, cities, states, regions and a
few well-known organisations, read from ``index/data/gazetteer_*.tsv``.

Lookups are exact on a normalised surface (curly apostrophes straightened, whitespace collapsed).
Names also match case-insensitively; codes and acronyms ('US', 'UK', 'DPRK') only as written, so
'us' is never the United States. pycountry's fuzzy search is deliberately not used: it maps 'U.S.'
to the Virgin Islands and 'Korea' to North Korea.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import attrs

DATA = Path(__file__).resolve().parents[1] / "data"


@attrs.frozen(slots=True)
class Place:
    name: str  # canonical
    kind: str  # country | city | state | province | nation | region | continent | former-country
    country: str = ""  # ISO alpha-2 of the country it is in ("" for regions and countries)


def norm(surface: str) -> str:
    """Straight apostrophes, single spaces, no surrounding spaces."""
    s = surface.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


def _is_code(s: str) -> bool:
    """Acronyms and codes ('US', 'U.S.', 'DPRK', 'NSW') match only as written."""
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 6


def _rows(name: str) -> Iterator[list[str]]:
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        yield [c.strip() for c in cols]


def _split(col: str) -> list[str]:
    return [x.strip() for x in col.split(";") if x.strip()]


@attrs.define
class _Tables:
    places: dict[str, Place] = attrs.Factory(dict)  # exact surface -> place
    places_ci: dict[str, Place] = attrs.Factory(dict)  # casefolded name -> place
    demonyms: dict[str, Place] = attrs.Factory(dict)  # exact demonym -> place
    demonyms_ci: dict[str, Place] = attrs.Factory(dict)
    iso_codes: dict[str, Place] = attrs.Factory(dict)  # alpha-2 / alpha-3 -> country
    orgs: dict[str, tuple[str, str]] = attrs.Factory(dict)  # surface -> (canonical, type)
    orgs_ci: dict[str, tuple[str, str]] = attrs.Factory(dict)
    countries: dict[str, Place] = attrs.Factory(dict)  # alpha-2 -> country

    def add_place(self, surface: str, place: Place, *, override: bool = False) -> None:
        s = norm(surface)
        if not s:
            return
        if override or s not in self.places:
            self.places[s] = place
        if not _is_code(s):
            key = s.casefold()
            if override or key not in self.places_ci:
                self.places_ci[key] = place
        if s.startswith("The ") or s.startswith("the "):
            self.add_place(s[4:], place, override=override)

    def add_demonym(self, surface: str, place: Place) -> None:
        s = norm(surface)
        self.demonyms.setdefault(s, place)
        self.demonyms_ci.setdefault(s.casefold(), place)

    def add_org(self, surface: str, value: tuple[str, str]) -> None:
        s = norm(surface)
        self.orgs.setdefault(s, value)
        if not _is_code(s):
            self.orgs_ci.setdefault(s.casefold(), value)


@cache
def _tables() -> _Tables:
    import pycountry  # noqa: PLC0415 - only the index builder needs it

    t = _Tables()
    curated: dict[str, tuple[str, list[str], list[str]]] = {}
    for cols in _rows("gazetteer_countries.tsv"):
        cols += [""] * (4 - len(cols))
        code, name, aliases, demonyms = cols[:4]
        curated[code] = (name, _split(aliases), _split(demonyms))
    # Curated canonical names and aliases first: they win over pycountry's ISO names.
    for code, (name, alias_list, demonym_list) in curated.items():
        place = Place(name, "country")
        t.countries[code] = place
        t.add_place(name, place, override=True)
        for a in alias_list:
            t.add_place(a, place, override=True)
        for d in demonym_list:
            t.add_demonym(d, place)
    for c in pycountry.countries:
        code = c.alpha_2
        if code in curated:
            place = t.countries[code]
        else:  # territories not in the curated table keep their common or ISO name
            name = getattr(c, "common_name", None) or c.name
            place = Place(name, "country")
            t.countries[code] = place
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                t.add_place(value, place)
        t.iso_codes.setdefault(c.alpha_2, place)
        t.iso_codes.setdefault(c.alpha_3, place)
    for cols in _rows("gazetteer_places.tsv"):
        cols += [""] * (5 - len(cols))
        name, kind, country, aliases, adjectives = cols[:5]
        place = Place(name, kind, country)
        t.add_place(name, place)
        for a in _split(aliases):
            t.add_place(a, place)
        for d in _split(adjectives):
            t.add_demonym(d, place)
    for cols in _rows("gazetteer_orgs.tsv"):
        cols += [""] * (3 - len(cols))
        name, typ, aliases = cols[:3]
        t.add_org(name, (name, typ))
        for a in _split(aliases):
            t.add_org(a, (name, typ))
    return t


def place(surface: str) -> Place | None:
    """The place a name or code stands for ('U.S.' -> United States, 'Peking' -> Beijing)."""
    t = _tables()
    s = norm(surface)
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", s):  # "U.S" when the tokenizer took the final stop
        s += "."
    return t.places.get(s) or (None if _is_code(s) else t.places_ci.get(s.casefold()))


def iso_country(code: str) -> Place | None:
    """An ISO 3166 alpha-2/alpha-3 code, upper case only ('FR', 'FRA'); for spans tagged as places."""
    s = norm(code)
    if not s.isupper():
        return None
    return _tables().iso_codes.get(s)


def demonym(surface: str) -> Place | None:
    """The country (or region) a demonym stands for ('North Korean' -> North Korea)."""
    t = _tables()
    s = norm(surface)
    return t.demonyms.get(s) or t.demonyms_ci.get(s.casefold())


def org(surface: str) -> tuple[str, str] | None:
    """(canonical name, type) of a known organisation or known non-organisation ('FTSE' -> MISC)."""
    t = _tables()
    s = norm(surface)
    return t.orgs.get(s) or (None if _is_code(s) else t.orgs_ci.get(s.casefold()))


def country(code: str) -> Place | None:
    return _tables().countries.get(code)


def is_country_name(surface: str) -> bool:
    p = place(surface)
    return p is not None and p.kind in ("country", "former-country")


@cache
def place_patterns() -> tuple[re.Pattern[str], dict[str, Place]]:
    """A case-sensitive word-bounded regex over every place name, alias and demonym (longest
    first), and the map from a matched surface to its place. For rules mode and for places the
    statistical model missed."""
    t = _tables()
    table: dict[str, Place] = {}
    for surface, p in t.places.items():
        if p.kind == "country" and surface not in _CURATED_SURFACES() and "," in surface:
            continue
        table[surface] = p
    for surface, p in t.demonyms.items():
        table.setdefault(surface, p)
    # ISO alpha-3 and most alpha-2 codes are not in the tables above (only curated codes are).
    names = sorted(table, key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names)
    pattern = re.compile(rf"(?<![\w.\-])(?:{alternation})(?![\w\-]|\.\w)")
    return pattern, table


@cache
def _CURATED_SURFACES() -> frozenset[str]:  # noqa: N802 - a constant, computed once
    out = set()
    for cols in _rows("gazetteer_countries.tsv"):
        cols += [""] * (4 - len(cols))
        out.add(norm(cols[1]))
        out.update(norm(a) for a in _split(cols[2]))
    return frozenset(out)
