"""Roles written before names: "Deputy Secretary of Commerce Linda Haverford", "ATF Special Agent
in Charge Marcus Bell", "Acting Director of the Office of Management and Budget Shalanda Young".

A role is a chain of title words (``ROLE_HEADS``, with the modifiers the parse hangs on them:
"Deputy", "Acting", "Trade"), optionally a complement ("of the Office of Management and Budget",
"for Preparedness and Response"), then the name. The name is the model's PERSON span at the end
of the run of capitalised words when there is one; otherwise the words after the complement's
first word past its last connector ("…and Budget | Shalanda Young"), at most three. The role
becomes the mention's ``role``; capitalised words of the role that the model tagged on their own
("Commerce", "Terrorism", "Trade") are not entities, while organisations named inside it
("Office of Management and Budget", "FBI") are. spaCy is never imported: ``doc`` is only read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from newsdesk.index.extract import gazetteer as gaz
from newsdesk.index.extract.entities.names import _is_acronym
from newsdesk.index.extract.entities.words import (
    CORPORATE_SUFFIXES,
    LEGAL_SUFFIXES,
    NAME_PARTICLES,
    ORG_HEADS,
    PLACE_NOUNS,
    PORTFOLIO_WORDS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    ROLE_TAILS,
    ROYAL_TITLES,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

COMPLEMENT_PREPS = frozenset({"of", "for", "in", "to", "at", "on"})
CONNECTORS = frozenset({"and", "&", ",", "of", "the", "for", "on", "'s", "\u2019s", "-"})
BLOCKING = frozenset({"GPE", "NORP", "LOC", "FAC", "PERSON", "DATE", "CARDINAL", "ORDINAL"})
NAME_HEADS = ORG_HEADS | PLACE_NOUNS | {"administration"}
COMPANY_WORDS = CORPORATE_SUFFIXES | LEGAL_SUFFIXES
# capitalised words a role may start with: its modifiers and a ministry's portfolio
MODIFIERS = ROLE_MODIFIERS | PORTFOLIO_WORDS


@attrs.frozen
class Role:
    start: int  # first token of the role
    name_start: int  # the name: tokens name_start..name_end-1
    name_end: int
    text: str  # "Deputy Secretary of Commerce"
    inner: frozenset[int]  # tokens of the role that are not a named organisation in it


def _is_head(t: Token) -> bool:
    w = t.lower_.rstrip(".")
    return t.is_alpha and (w in ROLE_HEADS or t.lower_ in ROLE_HEADS) and w not in ROYAL_TITLES


def _cap(t: Token) -> bool:
    return t.text[:1].isupper()


def _nameish(t: Token) -> bool:
    if t.lower_ in NAME_PARTICLES and t.is_lower:
        return True
    return _cap(t) and (t.is_alpha or any(c in t.text for c in "'\u2019.-"))


def _label_spans(doc: Doc, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str] | None]:
    at: list[tuple[int, int, str] | None] = [None] * len(doc)
    for s, e, label in ents:
        for i in range(s, e):
            at[i] = (s, e, label)
    return at


def _affiliation(doc: Doc, span: tuple[int, int, str]) -> bool:
    """An organisation named inside a role ("the Office of Management and Budget", "FBI")."""
    s, e, label = span
    if label != "ORG":
        return False
    words = [t.text for t in doc[s:e] if t.lower_ not in ("the", "'s", "\u2019s")]
    text = " ".join(words)
    if len(words) == 1 and (_is_acronym(words[0]) or gaz.org(text) is not None):
        return True
    return any(w.lower() in NAME_HEADS for w in words)


def find_roles(doc: Doc, ents: list[tuple[int, int, str]]) -> list[Role]:
    at = _label_spans(doc, ents)
    n = len(doc)
    out: list[Role] = []
    i = 0
    while i < n:
        t = doc[i]
        span = at[i]
        if not _is_head(t) or (span is not None and span[2] not in ("PERSON", "ORG")):
            i += 1
            continue
        if span is not None and span[2] == "ORG" and span[0] <= i and _org_owns(doc, span, i):
            i = span[1]
            continue
        # the chain: head words and their tails ("Attorney General", "Director-General")
        j = i + 1
        while j < n and (
            doc[j].text == "-"
            or (_is_head(doc[j]) or doc[j].lower_ in ROLE_TAILS)
            and _cap(doc[j]) == _cap(t)
        ):
            j += 1
        if doc[j - 1].text == "-":
            j -= 1
        start = _left_modifiers(doc, i, j, at)
        role = _after_chain(doc, start, j, at, capital=_cap(t))
        if role is not None:
            out.append(role)
            i = role.name_end
        else:
            i = j
    return out


def _org_owns(doc: Doc, span: tuple[int, int, str], i: int) -> bool:
    """The head word belongs to an organisation's name ("General Motors", "Justice Department"),
    not to a role glued to a name by the model ("Chancellor Olaf Scholz" tagged ORG)."""
    s, e, _ = span
    rest = [t for t in doc[i + 1 : e] if not _is_head(t)]
    if len(rest) < 2 or any(t.lower_ in NAME_HEADS or t.lower_ in COMPANY_WORDS for t in doc[s:e]):
        return True  # "General Motors Pilipinas", "General Motors Corp": a company's name
    return gaz.org(doc[s:e].text) is not None


def _left_modifiers(doc: Doc, i: int, j: int, at: list[tuple[int, int, str] | None]) -> int:
    """Words before the head that the parse hangs on the chain: "Deputy", "Acting", "Trade",
    "Works council"; not an organisation, place or nationality ("ATF", "Saudi")."""
    start = i
    chain = set(range(i, j))
    k = i - 1
    while k >= 0 and i - k <= 3:
        t = doc[k]
        span = at[k]
        if t.lower_ == "and" and k - 1 >= 0 and k + 1 == start and k + 1 < i:
            # "trade and industry secretary": a second portfolio joined to the first
            left = doc[k - 1]
            if (
                left.is_alpha
                and _cap(left) == _cap(doc[k + 1])
                and at[k - 1] is None
                and left.lower_ in MODIFIERS
                and left.pos_ in ("PROPN", "NOUN", "ADJ")
                and not _is_head(left)
            ):
                chain.update((k, k - 1))
                start = k - 1
                k -= 2
                continue
        if not t.is_alpha or t.lower_ in ("the", "a", "an", "and", "of") or t.lower_ in NAME_HEADS:
            break
        if span is not None and not (span[1] - span[0] == 1 and t.lower_ in MODIFIERS):
            break  # "Uralsib analyst", "Saudi Foreign Minister": the affiliation is a name
        if _cap(t) and t.lower_ not in MODIFIERS and not _is_head(t):
            break  # "Meta spokesperson": the employer, not the role
        if t.head.i not in chain and not _is_head(t) and t.dep_ not in ("compound", "amod"):
            break
        if t.pos_ not in ("PROPN", "NOUN", "ADJ") or gaz.place(t.text) or gaz.demonym(t.text):
            break
        chain.add(k)
        start = k
        k -= 1
    return start


def _after_chain(
    doc: Doc, start: int, j: int, at: list[tuple[int, int, str] | None], capital: bool
) -> Role | None:
    n = len(doc)
    comp_start = j
    if j < n and doc[j].lower_ in COMPLEMENT_PREPS and capital:
        k = j + 1
        if k < n and doc[k].lower_ == "the":
            k += 1
        if k >= n or not _cap(doc[k]):
            return None
        run_from = k
    else:
        run_from = j
    # the run of capitalised words (with connectors inside it) after the chain
    k = run_from
    last_cap = -1
    while k < n:
        t = doc[k]
        if _nameish(t) and not (t.is_sent_start and k > run_from):
            last_cap = k
            span = at[k]
            if (
                comp_start != run_from
                and span is not None
                and span[2] == "PERSON"
                and span[1] == k + 1
                and k + 1 < n
                and doc[k + 1].lower_ in (",", "and", "&")
            ):
                break  # "of Staff Howard Baker, Treasury Secretary James Baker": a list
        elif t.text == "-" and k > run_from and not doc[k - 1].whitespace_ and k + 1 < n:
            pass  # "al-Amr"
        elif t.lower_ in CONNECTORS and comp_start != run_from:
            pass  # connectors only inside a complement
        else:
            break
        k += 1
    if last_cap < run_from:
        return None
    run_end = last_cap + 1
    name = _name_in_run(doc, run_from, run_end, at, has_complement=comp_start != run_from)
    if name is None:
        return None
    ns, ne = name
    # a royal or religious title before a longer name is part of the role
    while ne - ns > 2 and doc[ns].lower_ in ROYAL_TITLES:
        ns += 1
    if not _plausible_name(doc, ns, ne, at):
        return None
    text = doc[start:ns].text.strip(" ,")
    if not text:
        return None
    inner = set()
    for x in range(start, ns):
        span = at[x]
        if span is None or not _affiliation(doc, span):
            inner.add(x)
    return Role(start, ns, ne, text, frozenset(inner))


def _name_in_run(
    doc: Doc, a: int, b: int, at: list[tuple[int, int, str] | None], has_complement: bool
) -> tuple[int, int] | None:
    # the model's person at the end of the run
    span = at[b - 1]
    if span is not None and span[2] == "PERSON" and span[1] == b:
        s = max(span[0], a)
        while s < b - 1 and _is_head(doc[s]):
            s += 1
        if has_complement:
            s = max(s, _after_last_connector(doc, a, b))
        if s < b:
            return s, b
    if not has_complement:
        return (a, b) if b - a <= 4 else None
    s = _after_last_connector(doc, a, b)
    return (s, b) if s < b else None


def _after_last_connector(doc: Doc, a: int, b: int) -> int:
    """Where the name starts in a complement's run of capitalised words: after the first word
    past the last connector. In "for Preparedness and Response Dawn O'Connell" that word is
    "Response", in "of Commerce Linda Haverford" "Commerce"; past an organisation's head word
    ("of the FBI's Cyber Division Bryan Vorndran") in any case."""
    last = a - 1
    for x in range(a, b):
        if doc[x].lower_ in CONNECTORS:
            last = x
    s = last + 2 if last >= a else a + 1
    for x in range(s, b):
        if doc[x].lower_ in NAME_HEADS:
            s = x + 1
    if b - s > 2 and not any(_inside_name(t) for t in doc[s + 1 : b - 1]):
        s = b - 2  # "…Personnel Management | Rosalind Kebede": a name of two words
    return s


def _inside_name(t: Token) -> bool:
    """Words that make a name longer than two: particles, initials, hyphens ("bin", "J.")."""
    return t.is_lower or t.text == "-" or (len(t.text) == 2 and t.text.endswith("."))


def _plausible_name(doc: Doc, s: int, e: int, at: list[tuple[int, int, str] | None]) -> bool:
    if s >= e or e - s > 5:
        return False
    words = doc[s:e]
    if any(t.lower_ in NAME_HEADS or _is_head(t) for t in words):
        return False
    if not all(_nameish(t) or t.text == "-" for t in words) or words[-1].text == "-":
        return False
    if any(t.is_upper and len(t.text) > 1 and not t.text.isalpha() for t in words):
        return False
    if gaz.place(words.text) is not None or gaz.org(words.text) is not None:
        return False
    labels = {at[x][2] for x in range(s, e) if at[x] is not None}  # type: ignore[index]
    if labels & {"GPE", "LOC", "NORP", "FAC"}:
        return False
    # the first words of a longer organisation ("lead manager Morgan Stanley and Co Inc")
    if any(span[2] == "ORG" and span[1] > e for span in (at[x] for x in range(s, e)) if span):
        return False
    if e - s == 1:
        return "PERSON" in labels
    return True
