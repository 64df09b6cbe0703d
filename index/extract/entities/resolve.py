"""Article context and the public API: acronyms defined in the text or matching initials, short
names of people and organisations resolved to full ones, types by vote, low-confidence groups
demoted or dropped; ``extract_entities`` (one article -> mentions and entities) and
``merge_entities`` (the cross-article merge)."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from newsdesk.index.extract import gazetteer as gaz
from newsdesk.index.extract import lexicon
from newsdesk.index.extract.dates import DOC_TEXT
from newsdesk.index.extract.entities.candidates import (
    _agree,
    _backrefs,
    _covered,
    _gazetteer_candidates,
    _ner_candidates,
    _nominal_candidates,
    _party_tags,
    _rules_candidates,
    _source_outlets,
    _untagged_outlets,
    _untagged_people,
)
from newsdesk.index.extract.entities.names import (
    _acronym_letters,
    _initials,
    _is_acronym,
    _straight,
    _strip_titles,
    entity_id,
    group_key,
)
from newsdesk.index.extract.entities.spans import _TEXTS, _Cand
from newsdesk.index.extract.entities.words import (
    COMPANY_MARKS,
    COMPANY_TAILS,
    CORPORATE_SUFFIXES,
    FACILITY_HEADS,
    FIELD_NOUNS,
    FUNCTION_WORDS,
    JOB_NOUNS,
    LEGAL_SUFFIXES,
    MASTHEAD_HEADS,
    ORG_HEADS,
    PLANT_HEADS,
    PRODUCT_CUES,
    PRODUCT_NOUNS,
    ROLE_HEADS,
    TIE_ORDER,
)
from newsdesk.index.model import Analysis, Article, Entity, Mention, Passage

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

_FACILITY_ENDS = FACILITY_HEADS | PLANT_HEADS

# ---------------------------------------------------------------------------------------------
# Article context


def _acronym_definitions(text: str, cands: list[_Cand]) -> dict[str, _Cand]:
    """'Federal Bureau of Investigation (FBI)' -> {'FBI': <long form>} when the letters fit."""
    ends = {c.end: c for c in cands if c.type in ("ORG", "MISC", "PLACE") and " " in c.alias}
    out: dict[str, _Cand] = {}
    # (the wire closes its company markup first: "<International Digital … Inc> (IDC)")
    for m in re.finditer(r">?\s*[(\[]\s*([A-Z][A-Za-z&.\-]{0,9}[A-Z.])\s*[)\]]", text):
        long = ends.get(m.start()) or ends.get(m.start() + 1)  # before or after the ">"
        if long is None:
            continue
        acr = m.group(1)
        letters = _acronym_letters(acr)
        if _initials_fit(letters, long.alias):
            out.setdefault(acr, long)
    # a stock ticker after a company's name ("General Motors Corp <GM>"): whatever its letters
    for m in re.finditer(r" ?<([A-Z][A-Z.]{0,7})>", text):
        long = ends.get(m.start())
        if long is not None and long.type == "ORG":
            out.setdefault(m.group(1), long)
    return out


def _unglued(cands: list[_Cand]) -> list[_Cand]:
    """A person's name glued to a country by a missing comma or colon ("Lawson told Funaro
    Brazil had to ..."): a span tagged PERSON whose last word is a country and whose other words
    are a person named elsewhere in the article is that person and that country."""
    people = {c.alias for c in cands if c.type == "PERSON"}
    out: list[_Cand] = []
    for c in cands:
        words = c.alias.split()
        if c.label == "PERSON" and c.source == "ner" and not c.strong and len(words) >= 2:
            head = " ".join(words[:-1])
            k = c.surface.rfind(words[-1])
            if head in people and k > 0 and gaz.is_country_name(words[-1]):
                a, b = c.start, c.start + len(c.surface[:k].rstrip())
                place = gaz.place(words[-1])
                assert place is not None
                out.append(_Cand(a, b, c.surface[: b - a], head, "PERSON", head, "PERSON"))
                out.append(
                    _Cand(
                        c.start + k,
                        c.end,
                        words[-1],
                        words[-1],
                        "GPE",
                        place.name,
                        "PLACE",
                        source="gazetteer",
                        strong=True,
                    )
                )
                continue
        out.append(c)
    return out


def _initials_fit(letters: str, name: str) -> bool:
    """An acronym written in brackets after a name: its initials, or those after the head's
    "of" ("ATF" for "Bureau of Alcohol, Tobacco, Firearms and Explosives")."""
    if len(letters) < 2:
        return False
    tail = _tail_initials(name)
    return (
        letters
        in (_initials(name, False), _initials(name, True), _initials(_unsuffixed(name), False))
        or (_subsequence(letters, _initials(name, True)) and letters[0] == name[:1].upper())
        or (len(letters) >= 3 and tail.startswith(letters))
    )


def _unsuffixed(name: str) -> str:
    """A company's name without its legal form: 'General Motors Corp' -> 'General Motors'."""
    words = name.split()
    while len(words) > 1 and words[-1].casefold().strip(",") in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def _tail_initials(name: str) -> str:
    """'Department of Health and Human Services' -> 'HHS'."""
    parts = re.split(r"\bof\b", name, maxsplit=1)
    return _initials(parts[1], False) if len(parts) == 2 else ""


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def _resolve(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Group keys: acronyms -> long forms, short person names -> full names, short ORG names ->
    the longer name they end, case variants together."""
    cands[:] = _unglued(cands)
    cands.sort(key=lambda c: (c.start, -c.end))
    # acronyms defined in the text
    defs = _acronym_definitions(text, cands)
    for c in cands:
        long = defs.get(c.alias)
        if long is not None and c is not long:
            c.name, c.type, c.key, c.strong = long.name, long.type, long.key, long.strong
    # acronyms matching the initials of an organisation named in the article
    longs = [c for c in cands if c.type == "ORG" and " " in c.name]
    runs: dict[str, list[tuple[int, int, str]]] | None = None
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
            if letters
            in (
                _initials(lf.name, False),
                _initials(lf.name, True),
                _tail_initials(lf.name),
                _initials(_unsuffixed(lf.name), False),
            )
        }
        if not fits and len(letters) >= 4:
            # "USDA" for "U.S. Agriculture Department": the same initials, reordered
            fits = {
                lf.key: lf
                for lf in longs
                if sorted(letters) == sorted(_dotted_initials(lf.name))
                and letters[0] == _dotted_initials(lf.name)[0]
            }
        if len(fits) == 1:
            lf = next(iter(fits.values()))
            c.name, c.type, c.key = lf.name, lf.type, lf.key
        elif not fits and c.type == "ORG" and not c.strong:
            if runs is None:
                runs = _capital_runs(text)
            thing = _thing_spelled_out(runs, letters, cands)
            if thing is not None:  # "IE" of "Internet Explorer", "ROS" of "Reactive Oxygen …"
                c.name, c.type, c.key = thing, "MISC", group_key(thing, "MISC")
    _resolve_people(cands)
    _resolve_short_orgs(cands)
    _resolve_cut_places(text, cands)
    _resolve_short_facilities(cands)
    _resolve_short_things(cands)
    _resolve_variants(cands)
    return cands


def _resolve_short_things(cands: list[_Cand]) -> None:
    """'Columbia' after 'Space Shuttle Columbia': a one-word name the gazetteer does not know,
    tagged as anything, that is the last word of exactly one longer MISC name of the
    article (a craft, a product, a work) is that thing."""
    ends: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        if c.type == "MISC" and " " in c.key:
            ends[c.key.rsplit(" ", 1)[1]].append(c)
    if not ends:
        return
    for c in cands:
        if c.type not in ("ORG", "PERSON", "PLACE", "MISC") or c.strong or " " in c.key:
            continue
        fits = {f.key: f for f in ends.get(c.key, ())}
        if len(fits) != 1 or gaz.place(c.alias) is not None or gaz.org(c.alias) is not None:
            continue
        f = next(iter(fits.values()))
        c.name, c.key, c.type = f.name, f.key, "MISC"


def _thing_spelled_out(
    runs: dict[str, list[tuple[int, int, str]]], letters: str, cands: list[_Cand]
) -> str | None:
    """The capitalised words whose initials an acronym tagged as an organisation spells
    ("Internet Explorer" for "IE", "Reactive Oxygen Species" for "ROS"), when no name of an
    organisation, person or place covers them and no word of them says organisation: then the
    acronym names a thing (a product, a substance, a vehicle), not an organisation. A part of
    them the model tagged as an organisation on its own ("Explorer") becomes that thing.
    ``runs``: the article's runs of capitalised words by their initials (``_capital_runs``)."""
    if not 2 <= len(letters) <= 6 or not letters.isalpha() or not letters.isupper():
        return None
    found = None
    for start, end, words in runs.get(letters, ()):
        ws = [w.casefold() for w in words.split()]
        if any(w in ORG_HEADS or w in CORPORATE_SUFFIXES or w in ROLE_HEADS for w in ws):
            return None
        inside = []
        for c in cands:
            if c.type in ("ORG", "PERSON", "PLACE") and c.start < end and start < c.end:
                if c.type != "ORG" or c.start < start or c.end > end or c.strong:
                    return None
                inside.append(c)  # "Explorer" tagged alone in "Internet Explorer's share"
        found = found or words
        for c in inside:
            c.name, c.type, c.key = found, "MISC", group_key(found, "MISC")
    return found


_CAPITAL_RUN = re.compile(
    r"(?<![\w.&'\u2019-])[A-Z][\w.&'\u2019-]*(?:[ \t]+[A-Z&][\w.&'\u2019-]*)*"
)
_PLAIN_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Za-z]+)?")


def _capital_runs(text: str) -> dict[str, list[tuple[int, int, str]]]:
    """Runs of two to six plain capitalised words ("Internet Explorer", not "U.S. Steel" nor
    "Bank of Japan"), a leading article and a trailing possessive left out, by their
    initials: {initials: [(start, end, words)]}."""
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for m in _CAPITAL_RUN.finditer(text):
        run = m.group(0)
        start, end = m.start(), m.end()
        first = run.split(None, 1)[0]
        if first in ("The", "A", "An") and " " in run:
            rest = run[len(first) :].lstrip()
            start += len(run) - len(rest)
            run = rest
        for poss in ("'s", "\u2019s", "'", "\u2019"):
            if run.endswith(poss):
                run, end = run[: -len(poss)], end - len(poss)
                break
        words = run.split()
        if 2 <= len(words) <= 6 and all(_PLAIN_WORD.fullmatch(w) for w in words):
            out["".join(w[0] for w in words)].append((start, end, " ".join(words)))
    return out


def _dotted_initials(name: str) -> str:
    """Initials counting each letter of a dotted abbreviation: 'U.S. Agriculture Department'
    -> 'USAD'."""
    out = []
    for w in name.split():
        if re.fullmatch(r"(?:[A-Z]\.?){2,3}", w):  # "U.S.", "US", "UK"
            out.append(w.replace(".", ""))
        elif w.casefold() not in FUNCTION_WORDS:
            out.append(w[:1].upper())
    return "".join(out)


def _transposed(a: str, b: str) -> bool:
    """Two spellings one swap of neighbouring letters apart ("Chrylser", "Chrysler")."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and (a[diff[1]] == b[diff[0]])
    )


def _resolve_variants(cands: list[_Cand]) -> None:
    """Two spellings of one name in an article: a typo swapping two letters ("Chrylser" beside
    "Chrysler"), a person's short and long given name with the same surname ("Tim Cook",
    "Timothy D. Cook"). The less frequent spelling joins the other when only one fits."""
    count = Counter((c.key, c.type) for c in cands)
    groups: dict[tuple[str, str], _Cand] = {}
    for c in cands:
        groups.setdefault((c.key, c.type), c)
    moves: dict[tuple[str, str], _Cand] = {}
    # only names of one length (a swap) or one surname (a person) can pair: bucket them
    buckets: dict[tuple[Any, ...], list[tuple[str, str]]] = defaultdict(list)
    for key, typ in groups:
        if typ in ("PERSON", "ORG", "PLACE"):
            buckets[(typ, len(key))].append((key, typ))
            if typ == "PERSON" and " " in key:
                buckets[(typ, key.rsplit(" ", 1)[1])].append((key, typ))
    for (key, typ), c in groups.items():
        if typ not in ("PERSON", "ORG", "PLACE") or (c.strong and c.source != "ner"):
            continue
        near = buckets[(typ, len(key))] if len(key) >= 6 else []
        same = buckets[(typ, key.rsplit(" ", 1)[1])] if typ == "PERSON" and " " in key else []
        if len(near) < 2 and len(same) < 2:
            continue
        fits = []
        for k2, t2 in dict.fromkeys(near + same):
            if k2 == key or count[(k2, t2)] < count[(key, typ)]:
                continue
            other = groups[(k2, t2)]
            if len(key) >= 6 and _transposed(key, k2):
                fits.append(other)
            elif typ == "PERSON" and _same_person(c.name, other.name):
                fits.append(other)
        if len(fits) == 1 and (
            count[(fits[0].key, typ)] > count[(key, typ)] or fits[0].start < c.start
        ):
            moves[(key, typ)] = fits[0]
    # "Chrome" (tagged PERSON) beside "Google Chrome", "Firefox" beside "Mozilla Firefox": a
    # one-word 'person' (or unknown place: "Beauveria" beside "Beauveria bassiana") that starts
    # or ends the one longer name of a thing in the article
    ends: dict[str, list[_Cand]] = defaultdict(list)
    for (key, typ), c in groups.items():
        words = key.split()
        if typ in ("ORG", "MISC", "PLACE") and len(words) > 1:
            for w in {words[0], words[-1]}:
                ends[w].append(c)
    retype: dict[tuple[str, str], _Cand] = {}
    for key, typ in groups:
        if (
            (typ == "PERSON" or typ == "PLACE" and gaz.place(key) is None)
            and " " not in key
            and len(ends.get(key, ())) == 1
        ):
            retype[(key, typ)] = ends[key][0]
    for c in cands:
        target = moves.get((c.key, c.type))
        if target is not None and (target.key, target.type) not in moves:
            c.name, c.key = target.name, target.key
            continue
        target = retype.get((c.key, c.type))
        if target is not None:
            c.name, c.key, c.type = target.name, target.key, target.type


def _same_person(a: str, b: str) -> bool:
    """ "Tim Cook" and "Timothy D. Cook": the same surname, one given name the other's start."""
    wa, wb = _straight(a).split(), _straight(b).split()
    if len(wa) < 2 or len(wb) < 2 or wa[-1].casefold() != wb[-1].casefold():
        return False
    fa, fb = wa[0].casefold().rstrip("."), wb[0].casefold().rstrip(".")
    if fa == fb or min(len(fa), len(fb)) < 3:
        return False
    return fa.startswith(fb) or fb.startswith(fa)


def _resolve_short_facilities(cands: list[_Cand]) -> None:
    """'Milbury' after 'Milbury Atomic Power Station': the one facility named in the article
    that starts with a name the gazetteer does not know."""
    facilities = {
        c.key: c
        for c in cands
        if c.type == "PLACE"
        and c.strong
        and c.source == "ner"
        and " " in c.key
        and c.key.rsplit(" ", 1)[1] in _FACILITY_ENDS
    }
    if not facilities:
        return
    firsts = {k.split()[0] for k in facilities}
    for c in cands:
        if c.type not in ("PLACE", "ORG") or c.strong or c.key in facilities:
            continue
        mine = _straight(c.name).casefold().split()
        if not mine or mine[0] not in firsts or gaz.place(c.alias) is not None:
            continue
        fits = [f for k, f in facilities.items() if k.split()[: len(mine)] == mine]
        if len(fits) == 1 and len(fits[0].key.split()) > len(mine):
            c.name, c.key, c.type = fits[0].name, fits[0].key, "PLACE"


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _resolve_people(cands: list[_Cand]) -> None:
    """'Neuberger' after 'Anne Neuberger' (or before it, when no full name precedes)."""
    fulls = [c for c in cands if c.type == "PERSON" and len(c.name.split()) > 1]
    if not fulls:
        return
    by_last: dict[str, list[_Cand]] = defaultdict(list)
    for f in fulls:
        words = f.name.split()
        while len(words) > 2 and words[-1].casefold().rstrip(".,") in _GENERATIONS:
            words = words[:-1]  # "Charles Siess Jr": "Siess" is his surname
        by_last[words[-1].casefold()].append(f)
        if len(words) > 2:
            by_last[" ".join(words[-2:]).casefold()].append(f)
    by_first: dict[str, set[str]] = defaultdict(set)
    for f in fulls:
        by_first[f.name.split()[0].casefold()].add(f.key)
    for c in cands:
        if c.source not in ("ner", "surname", "role") or (c.strong and c.type != "PERSON"):
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


def _org_words(name: str) -> list[str]:
    return (
        _straight(name).casefold().replace(".", " ").replace(",", " ").replace("&", " and ").split()
    )


def _partners(mine: list[str], words: dict[str, list[str]]) -> bool:
    """A 'person' whose words open a firm of the article named after its partners: "Halvorsen
    Brandt" after "Halvorsen Brandt and Co Inc"."""
    n = len(mine)
    return any(
        len(ws) > n + 1 and ws[:n] == mine and ws[n] == "and" and ws[-1] in CORPORATE_SUFFIXES
        for ws in words.values()
    )


def _resolve_short_orgs(cands: list[_Cand]) -> None:
    """'Air Force' after 'United States Air Force'; 'Goldman Sachs' when one longer 'Goldman Sachs
    Group Inc' name clearly dominates; then 'Goldman' when one organisation of the article starts
    with it."""
    orgs = Counter(c.key for c in cands if c.type == "ORG")
    names = {c.key: c for c in cands if c.type == "ORG"}
    words = {k: _org_words(c.name) for k, c in names.items()}
    for c in cands:
        if c.type not in ("ORG", "PERSON", "PLACE") or c.strong and c.source != "ner":
            continue  # a weak place too: "Nvidia" (tagged GPE) after "Nvidia Corp"
        if c.type == "PLACE" and c.strong:
            continue
        key = group_key(c.name, c.type)
        mine = _org_words(c.name)
        if c.key != key or " " in key and c.type == "PERSON" and not _partners(mine, words):
            continue
        suffix = [k for k in names if k != key and k.endswith(" " + key)]
        prefix = [
            k
            for k in names
            if k != key
            and len(words[k]) > len(mine)
            and words[k][: len(mine)] == mine
            and all(w in CORPORATE_SUFFIXES or w == "and" for w in words[k][len(mine) :])
            and words[k][-1] in CORPORATE_SUFFIXES  # "Morgan Stanley and Co Inc"
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
    # "Goldman" after "Goldman Sachs Group Inc": the one organisation that starts with it
    longer: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        ws = _org_words(c.name)
        # a company's full name ("Goldman Sachs Group Inc"), not a model ("Chrysler Aspen")
        if c.type == "ORG" and len(ws) > 1 and ws[-1] in CORPORATE_SUFFIXES:
            longer[ws[0]].add(c.key)
    for c in cands:
        if c.type not in ("ORG", "PERSON", "PLACE") or " " in c.name.strip() or c.strong:
            if not (c.type == "ORG" and c.source == "ner" and " " not in c.name.strip()):
                continue
        keys = longer.get(_org_words(c.name)[0] if c.name.strip() else "", set())
        if len(keys) == 1 and not gaz.place(c.alias) and not _is_acronym(c.alias):
            # "Drexel" (tagged PERSON) after "Drexel Burnham Lambert Inc": its short name, the
            # people's surnames having been resolved before
            target = names.get(next(iter(keys))) or next(x for x in cands if x.key in keys)
            c.name, c.key, c.type = target.name, target.key, "ORG"


def _resolve_cut_places(text: str, cands: list[_Cand]) -> None:
    """'Midwest' (a place the gazetteer knows) cut by the model from "Midwest Distributing's
    markets" after "Midwest Distributing Co": a place whose next words in the text continue one
    organisation of the article is that organisation."""
    orgs = [
        c
        for c in cands
        if c.type == "ORG"
        and c.source == "ner"
        and " " in c.name
        and c.name.split()[-1].casefold() in LEGAL_SUFFIXES | CORPORATE_SUFFIXES
    ]
    if not orgs:
        return
    for c in cands:
        if c.type != "PLACE" or c.source != "ner" or " " in c.alias:
            continue
        p = gaz.place(c.alias)
        if p is not None and p.kind in ("country", "former-country", "continent"):
            continue
        after = text[c.end : c.end + 40].split()
        if not after or not after[0][:1].isupper():
            continue
        nxt = after[0].split("'")[0].split("\u2019")[0]
        fits = {
            o.key: o for o in orgs if o.alias.split()[:2] == [c.alias, nxt] and o.start != c.start
        }
        if len(fits) == 1:
            o = next(iter(fits.values()))
            c.name, c.type, c.key = o.name, "ORG", o.key


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


def _low_confidence(cs: list[_Cand], typ: str, products: bool = False) -> str | None:
    """'drop', 'MISC' or None for a group of mentions that does not look like a real name."""
    if any(c.strong for c in cs):
        return None
    if typ == "ORG" and all(_role_or_field(c.alias) for c in cs):
        return "drop"  # "the Operations Engineer", "Senior Plant Management", "Economics"
    if typ == "ORG":
        aliases = {c.alias for c in cs}
        if any(_is_acronym(a) for a in aliases):
            return None
        words = [w for a in aliases for w in a.split()]
        if any(w.casefold().strip(".,'") in ORG_HEADS for w in words):
            return None
        if any(a.split()[-1].casefold() in LEGAL_SUFFIXES for a in aliases if " " in a):
            return None  # "Reading and Bates Drilling Co", "C. Itoh and Co Ltd": a company
        if len(cs) == 1:
            c = cs[0]
            ws = c.alias.split()
            if (
                len(ws) == 1
                and (c.sent_start or c.after_det)
                and c.dep not in ("nsubj", "nsubjpass")
                and not (c.after_det and c.dep == "compound")
            ):
                # "Hydrogen peroxide ...", "an Oath"; not "Toyota recalled", "a DoorDash courier"
                return "drop"
            if len(ws) > 2 and any(w in ("of", "and") for w in ws):
                return "MISC"  # "Weapons of Mass Destruction", "Peace and Security"
    if typ == "PERSON" and products and _common_noun_name(cs):
        return "MISC"  # "Spotlight integrates search", "web browser Safari": no person
    if typ == "PERSON" and len(cs) == 1:
        c = cs[0]
        if c.after_det:
            return "drop"
        if c.sent_start and " " not in c.name and c.dep not in ("nsubj", "nsubjpass"):
            # "Iodine deficiency ...": a capitalised noun; "Obama will campaign" is kept
            return "drop"
    return None


def _common_noun_name(cs: list[_Cand]) -> bool:
    """A one-word 'person' that is an English common noun ("Spotlight", "Dashboard", "Safari")
    and nothing in the article makes a person: never with a given name (it would have been
    resolved to the full name), a title or role, nor as the speaker of a speech verb. The
    model tags product and feature names so; a surname alone ("Bush said", "President Reagan")
    keeps its type."""
    if not lexicon.NOUNS:
        return False
    words = {c.alias for c in cs}
    if len(words) != 1:
        return False
    word = words.pop()
    if " " in word or not word[:1].isupper() or not word[1:].islower():
        return False
    if any(c.role or c.speaks or c.source not in ("ner", "backref") for c in cs):
        return False
    return word.casefold() in lexicon.NOUNS


def _role_or_field(alias: str) -> bool:
    """A name that ends with a job title or the staff of a place ("Operations Engineer",
    "Plant Management") or is a field of study ("Economics", "Counseling Psychology"), with no
    organisation's head word before it."""
    words = [w.casefold().strip(".,'") for w in alias.split()]
    if not words or _is_acronym(alias) or any(w in ORG_HEADS for w in words[:-1]):
        return False
    last = words[-1]
    return (last in JOB_NOUNS and len(words) > 1) or (last in FIELD_NOUNS and len(words) <= 2)


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
        cands = _source_outlets(text, _party_tags(text, _rules_candidates(text)))
    else:
        if not _parsed_from(doc, text):
            raise ValueError(f"{article.id}: the doc was not parsed from article.text")
        _TEXTS[id(doc)] = text
        doc.user_data[DOC_TEXT] = text  # doc.text joins every token on each call
        try:
            cands = _ner_candidates(doc)
            cov = _covered(doc)
            cands += _gazetteer_candidates(doc, cov)
            cands += _untagged_outlets(doc, cov)
            cands += _untagged_people(doc, cov)
            cands += _nominal_candidates(doc, cands)
            cands = _source_outlets(text, _party_tags(text, cands))
            _agree(doc, cands)
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
    return _finish(article, passages, cands, doc is not None and _about_products(text))


def _about_products(text: str) -> bool:
    """The article speaks of software, devices or their features: common nouns that say so
    ("browser", "software", "version", "widgets") are used at least three times, two of them at
    least. There a one-word name that is also a common noun ("Spotlight", "Dashboard") is a
    product's name, not a surname."""
    n = 0
    seen: set[str] = set()
    for m in _PRODUCT_CUE.finditer(text):
        n += 1
        seen.add(m.group(1))
        if n >= 3 and len(seen) >= 2:
            return True
    return False


_PRODUCT_CUE = re.compile(r"\b(" + "|".join(sorted(PRODUCT_CUES)) + r")s?\b")


_FIRM_ENDS = CORPORATE_SUFFIXES | LEGAL_SUFFIXES | (COMPANY_TAILS - {"music", "media"})
_LOWER_CAMEL = re.compile(r"[a-z]+[A-Z][\w-]*")
_PREV_CAMEL = re.compile(r"(?<![\w-])([a-z]+[A-Z][\w-]*) ?[\"\u201c]?$")  # 'iTunes "App Store"'
_COMPANY_MARK = re.compile(
    r"\b([A-Za-z][\w-]*)(?:'s|\u2019s)?,? (?:" + "|".join(sorted(COMPANY_MARKS)) + r")\b",
    re.IGNORECASE,
)
_COMPANY_KIND = re.compile(  # "a website I used to run called eHow", "the company eBay"
    r"\b(?:website|site|company|firm|startup|start-up|retailer|publisher)\s+"
    r"(?:[^.\n]{0,30}?\b(?:called|named)\s+)?([a-z]+[A-Z][\w-]*)"
)
_PRODUCT_NOUN = re.compile(r"\s+(" + "|".join(sorted(PRODUCT_NOUNS)) + r")\b")


def _product_names(text: str, cands: list[_Cand], products: bool) -> None:
    """Names of products the model took for organisations, people or places, made MISC: a
    lowercase-initial camelCase name and names built on it ("iPod Touch", "iTunes Music Store"),
    unless the text treats it as a company ("eBay Inc", "iGo said"); in an article about
    software or devices, a company's product after its possessive ("RIM's BlackBerry",
    "Microsoft's Windows Mobile") and a company of the article with a word that is no
    organisation's ("Microsoft Longhorn", "Mozilla Firefox" beside "Mozilla"); a 'person'
    modifying a product noun ("the MacBook Wi-Fi updates")."""
    companies: set[str] | None = None
    orgs1 = {c.key for c in cands if c.type == "ORG" and " " not in c.key}
    org_ends = {c.end for c in cands if c.type == "ORG"}
    for c in cands:
        if c.type not in ("ORG", "PERSON", "PLACE") or c.strong or not c.alias:
            continue
        words = c.alias.split()
        first = words[0].casefold()
        product = False
        prev = _PREV_CAMEL.search(text, max(0, c.start - 30), c.start)
        if _LOWER_CAMEL.fullmatch(words[0]) or prev is not None:
            if companies is None:
                companies = {
                    m.group(1).casefold()
                    for pattern in (_COMPANY_MARK, _COMPANY_KIND)
                    for m in pattern.finditer(text)
                }
            w = prev.group(1).casefold() if prev is not None else first
            product = (
                w not in companies
                and w.rstrip("s") not in companies
                and not any(w.casefold().strip(".,") in _FIRM_ENDS for w in words[1:])
                and not (c.type == "PERSON" and len(words) > 2)  # "sGeorge A. Linden": a typo
            )
        elif not products or gaz.org(c.alias) is not None:
            continue
        elif (
            c.label != "PERSON"
            and c.start - 3 in org_ends
            and text[c.start - 3 : c.start]
            in (
                "'s ",
                "\u2019s ",
            )
        ):
            product = not _org_words_in(words)  # "RIM's BlackBerry"
        elif len(words) >= 2 and first in orgs1 and c.key != first:
            rest = words[1:]
            product = (
                all(w[:1].isupper() for w in rest)
                and not _org_words_in(words)
                and gaz.place(" ".join(rest)) is None
                and gaz.demonym(" ".join(rest)) is None
            )  # "Microsoft Longhorn"
        elif c.type == "PERSON" and c.dep in ("compound", "nmod", "conj"):
            product = _PRODUCT_NOUN.match(text, c.end) is not None  # "MacBook Wi-Fi updates"
        if product:
            c.type, c.key = "MISC", group_key(c.name, "MISC")


def _org_words_in(words: list[str]) -> bool:
    return any(
        w.casefold().strip(".,") in ORG_HEADS
        or w.casefold().strip(".,") in CORPORATE_SUFFIXES
        or w.casefold().strip(".,") in LEGAL_SUFFIXES
        or w.casefold() in MASTHEAD_HEADS
        or w.casefold() in COMPANY_TAILS
        for w in words[1:]
    )


def _parsed_from(doc: Doc, text: str) -> bool:
    """Was the doc parsed from this text? Its length and a sample of its tokens agree (``doc.text
    == text`` joins every token: a millisecond an article)."""
    if not len(doc):
        return not text.strip()
    last = doc[-1]
    if last.idx + len(last.text_with_ws) != len(text):
        return False
    step = max(1, len(doc) // 16)
    for i in range(0, len(doc), step):
        t = doc[i]
        if not text.startswith(t.text, t.idx):
            return False
    return True


def _finish(
    article: Article, passages: Sequence[Passage], cands: list[_Cand], products: bool = False
) -> tuple[list[Mention], list[Entity]]:
    cands = _dedupe(cands)
    _product_names(article.text, cands, products)
    decided = _vote(cands)
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        groups[c.key].append(c)
    final: dict[str, tuple[str, str]] = {}
    for key, (name, typ) in decided.items():
        verdict = _low_confidence(groups[key], typ, products)
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
                role=c.role if typ == "PERSON" else "",
            )
        )
        e = info.setdefault(eid, {"name": name, "type": typ, "aliases": set(), "n": 0, "roles": {}})
        e["n"] += 1
        if c.role and typ == "PERSON":
            e["roles"].setdefault(c.role, None)
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
            roles=tuple(e["roles"]),
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
    """Cross-article merge: the same id is one entity (aliases, roles and articles united,
    mentions summed; the first name seen for an id is kept), and a one-word person joins the one
    full name the lists hold for it ('Obama' -> 'Barack Obama', as ``link_people`` does when the
    store writes an article)."""
    lists = [list(ents) for ents in per_article]
    people: dict[str, set[str]] = defaultdict(set)
    for ents in lists:
        for e in ents:
            last = surname(e.name) if e.type == "PERSON" else None
            if last:
                people[last].add(e.name)
    acc: dict[str, dict[str, Any]] = {}
    for ents in lists:
        for e in ents:
            eid, name = e.id, e.name
            if e.type == "PERSON" and " " not in e.name.strip():
                full = people.get(_straight(e.name).casefold().strip(), set())
                if len(full) == 1:
                    name = next(iter(full))
                    eid = entity_id(name, "PERSON")
            a = acc.setdefault(
                eid,
                {
                    "name": name,
                    "type": e.type,
                    "aliases": set(),
                    "n": 0,
                    "arts": set(),
                    "roles": {},
                },
            )
            a["aliases"].update(e.aliases)
            a["roles"].update(dict.fromkeys(e.roles))
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
            roles=tuple(a["roles"]),
        )
        for eid, a in sorted(acc.items())
    ]


# ---------------------------------------------------------------------------------------------
# Across articles: a surname alone and the one full name the corpus holds for it


def surname(name: str) -> str | None:
    """The last word of a person's full name ('Barack Obama' -> 'obama'); None for one word."""
    words = _straight(name).split()
    return words[-1].casefold() if len(words) > 1 else None


def full_names(analyses: Iterable[Analysis]) -> dict[str, set[str]]:
    """{surname: the full PERSON names ending with it} over some analyses."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in analyses:
        for e in a.entities:
            last = surname(e.name) if e.type == "PERSON" else None
            if last:
                out[last].add(e.name)
    return out


def link_people(analysis: Analysis, people: Mapping[str, Collection[str]]) -> Analysis:
    """An article's one-word people named by the full name the corpus holds for them: 'Obama'
    becomes 'Barack Obama' when ``people['obama']`` (every full PERSON name ending with that word,
    this article's and the corpus's) holds exactly one name. Mentions, entities (aliases keep the
    short form) and the facts' ``who`` and ``attributed_to`` follow. Unchanged when nothing links.
    """
    rename: dict[str, tuple[str, str]] = {}  # old id -> (new id, full name)
    short: dict[str, str] = {}  # old name -> full name
    for e in analysis.entities:
        if e.type != "PERSON" or " " in e.name.strip():
            continue
        names = people.get(_straight(e.name).casefold().strip(), ())
        if len(names) != 1:
            continue
        full = next(iter(names))
        rename[e.id] = (entity_id(full, "PERSON"), full)
        short[e.name] = full
    if not rename:
        return analysis
    mentions = tuple(
        attrs.evolve(m, entity_id=rename[m.entity_id][0], name=rename[m.entity_id][1])
        if m.entity_id in rename
        else m
        for m in analysis.mentions
    )
    merged: dict[str, Entity] = {}
    for e in analysis.entities:
        eid, name = rename.get(e.id, (e.id, e.name))
        e = attrs.evolve(e, id=eid, name=name, aliases=tuple(sorted({*e.aliases, name})))
        prev = merged.get(eid)
        if prev is not None:
            e = attrs.evolve(
                prev,
                aliases=tuple(sorted({*prev.aliases, *e.aliases})),
                mentions=prev.mentions + e.mentions,
                roles=tuple(dict.fromkeys((*prev.roles, *e.roles))),
            )
        merged[eid] = e
    facts = tuple(
        attrs.evolve(
            f,
            who=tuple(dict.fromkeys(short.get(w, w) for w in f.who)),
            attributed_to=tuple(short.get(w, w) for w in f.attributed_to),
        )
        if any(w in short for w in (*f.who, *f.attributed_to))
        else f
        for f in analysis.facts
    )
    entities = sorted(merged.values(), key=lambda e: (-e.mentions, e.name))
    return attrs.evolve(analysis, mentions=mentions, entities=tuple(entities), facts=facts)
