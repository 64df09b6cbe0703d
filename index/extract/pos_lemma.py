"""Part of speech, morphology and lemmas after the tagger and parser, the cheap way.

The small English pipeline sets these with two components: an ``attribute_ruler`` (179 Matcher
rules mapping tags, words and dependency labels to POS and morphology) and a rule ``lemmatizer``.
Both touch every token from Python and together cost a fifth of the pipeline's time. This
component gives the same annotations (checked token for token on Reuters and Wikinews text in
the tests) from the same rules, computed once per distinct (word, tag, dependency) and then looked
up: one-token rules are evaluated on a cache miss, and the same cache says which positions of the
few two-token rules a token fills; the lemmatizer is called once per distinct (word, POS,
morphology).

Only ``index.nlp`` imports this module, when it loads a model (it imports spaCy).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG

# Token-pattern keys and operators the one-token evaluator understands; a model whose rules use
# anything else keeps its own components (see ``supported``).
_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}
_OPS = {"IN", "NOT_IN", "REGEX"}
_WRITABLE = (POS, MORPH, LEMMA, TAG, DEP)


def _token_pattern_ok(tok: dict[str, Any]) -> bool:
    for key, value in tok.items():
        if key not in _KEYS:
            return False
        if isinstance(value, dict) and not set(value) <= _OPS:
            return False
    return True


def supported(ruler: Any, lemmatizer: Any = None) -> bool:
    """Whether every rule of this attribute ruler uses only what this module evaluates, and the
    lemmatizer is one it can cache: a rule or lookup lemmatizer (its lemma depends on the word,
    POS and morphology only) that keeps lemmas already set (``overwrite=False``), as this module
    does."""
    if lemmatizer is not None and (
        getattr(lemmatizer, "mode", None) not in ("rule", "lookup")
        or getattr(lemmatizer, "overwrite", True)
    ):
        return False
    if any(set(attrs) - set(_WRITABLE) for attrs in ruler.attrs):
        return False
    return all(
        _token_pattern_ok(tok)
        for entry in ruler.patterns
        for pattern in entry["patterns"]
        for tok in pattern
    )


def _value_matches(spec: Any, value: Any) -> bool:
    if isinstance(spec, dict):
        for op, arg in spec.items():
            if op == "IN" and value not in arg:
                return False
            if op == "NOT_IN" and value in arg:
                return False
            if op == "REGEX" and not re.search(arg, value):
                return False
        return True
    return bool(spec == value)


# The caches grow with the vocabulary; past this many entries they start again (a bound on memory
# for very large builds, far above what Reuters-21578 needs).
CACHE_LIMIT = 250_000

Rule = tuple[int, dict[int, int]]  # (attr_id: the rule's place in the ruler, its attributes)
Slot = tuple[int, int, int]  # (attr_id, which alternative, token position in it)


class PosLemma:
    """A pipeline component standing in for ``attribute_ruler`` + ``lemmatizer``."""

    def __init__(self, ruler: Any, lemmatizer: Any, vocab: Any) -> None:
        self.vocab = vocab
        self.lemmatizer = lemmatizer
        self.attrs: list[dict[int, int]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        # Every token pattern of every rule, bucketed by what it needs of LOWER or TAG when that is
        # a plain value, so that a cache miss only evaluates the few that could match.
        self.by_lower: dict[str, list[tuple[Slot, dict[str, Any]]]] = {}
        self.by_tag: dict[str, list[tuple[Slot, dict[str, Any]]]] = {}
        self.generic: list[tuple[Slot, dict[str, Any]]] = []
        self.lengths: dict[tuple[int, int], int] = {}
        for attr_id, entry in enumerate(ruler.patterns):
            for alt, pattern in enumerate(entry["patterns"]):
                self.lengths[(attr_id, alt)] = len(pattern)
                for pos, tok in enumerate(pattern):
                    item = ((attr_id, alt, pos), tok)
                    if isinstance(tok.get("LOWER"), str):
                        self.by_lower.setdefault(tok["LOWER"], []).append(item)
                    elif isinstance(tok.get("TAG"), str):
                        self.by_tag.setdefault(tok["TAG"], []).append(item)
                    else:
                        self.generic.append(item)
        Classes = tuple[tuple[Rule, ...], frozenset[Slot]]
        self._classes: dict[tuple[int, int, int, int], Classes] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def _classify(self, key: tuple[int, int, int, int]) -> tuple[tuple[Rule, ...], frozenset[Slot]]:
        """The one-token rules that apply to a token with these values, sorted by attr_id, and
        the slots of longer rules it fills."""
        strings = self.vocab.strings
        lower, tag, dep, space = key
        lower_s = strings[lower] if lower else ""
        tag_s = strings[tag] if tag else ""
        dep_s = strings[dep] if dep else ""
        values = {"LOWER": lower_s, "TAG": tag_s, "DEP": dep_s, "IS_SPACE": bool(space)}
        candidates = self.by_lower.get(lower_s, []) + self.by_tag.get(tag_s, []) + self.generic
        single: set[int] = set()
        slots = set()
        for slot, tok in candidates:
            if all(_value_matches(spec, values[k]) for k, spec in tok.items()):
                attr_id, alt, _pos = slot
                if self.lengths[(attr_id, alt)] == 1:
                    single.add(attr_id)
                else:
                    slots.add(slot)
        return tuple((a, self.attrs[a]) for a in sorted(single)), frozenset(slots)

    def _longer_matches(self, slots: list[frozenset[Slot]], n: int) -> dict[int, list[Rule]]:
        """Rules of two or more tokens that match: token index -> the rules it gets."""
        extra: dict[int, list[Rule]] = {}
        for i in range(n):
            for attr_id, alt, pos in slots[i]:
                if pos != 0:
                    continue
                length = self.lengths[(attr_id, alt)]
                if i + length > n or not all(
                    (attr_id, alt, k) in slots[i + k] for k in range(1, length)
                ):
                    continue
                index = self.indices[attr_id]
                target = i + index if index >= 0 else i + length + index
                if i <= target < i + length:
                    extra.setdefault(target, []).append((attr_id, self.attrs[attr_id]))
        return extra

    def __call__(self, doc: Any) -> Any:
        import numpy  # noqa: PLC0415 - spaCy's own dependency

        n = len(doc)
        if n == 0:
            return doc
        if len(self._classes) > CACHE_LIMIT or len(self._lemmas) > CACHE_LIMIT:
            self._classes.clear()
            self._lemmas.clear()
        cols = doc.to_array([LOWER, TAG, DEP, IS_SPACE, POS, MORPH, LEMMA, ORTH]).tolist()
        classes = self._classes
        rules: list[tuple[Rule, ...]] = []
        slots: list[frozenset[Slot]] = []
        any_slots = False
        for row in cols:
            key = (row[0], row[1], row[2], row[3])
            found = classes.get(key)
            if found is None:
                found = classes[key] = self._classify(key)
            rules.append(found[0])
            slots.append(found[1])
            any_slots = any_slots or bool(found[1])
        if any_slots:
            for i, more in self._longer_matches(slots, n).items():
                rules[i] = tuple(sorted(rules[i] + tuple(more), key=lambda r: r[0]))
        out_pos, out_morph, out_lemma, out_tag = [], [], [], []
        new_deps: list[tuple[int, int]] = []
        for i, (_lower, tag, dep, _space, pos, morph, lemma, _orth) in enumerate(cols):
            for _attr_id, attrs in rules[i]:
                for attr, value in attrs.items():
                    if attr == POS:
                        pos = value
                    elif attr == MORPH:
                        morph = value
                    elif attr == LEMMA:
                        lemma = value
                    elif attr == TAG:
                        tag = value
                    elif attr == DEP and value != dep:
                        new_deps.append((i, value))
            out_pos.append(pos)
            out_morph.append(morph)
            out_lemma.append(lemma)
            out_tag.append(tag)
        doc.from_array(
            [TAG, POS, MORPH], numpy.array([out_tag, out_pos, out_morph], dtype="uint64").T
        )
        for i, value in new_deps:  # rare (a space token's label): set one by one
            doc[i].dep = value
        lemmas = self._lemmas
        for i in range(n):
            if out_lemma[i]:
                continue
            lkey = (cols[i][7], out_pos[i], out_morph[i])
            found_lemma = lemmas.get(lkey)
            if found_lemma is None:
                text = self.lemmatizer.lemmatize(doc[i])[0]
                found_lemma = lemmas[lkey] = self.vocab.strings.add(text)
            out_lemma[i] = found_lemma
        doc.from_array([LEMMA], numpy.array(out_lemma, dtype="uint64").reshape(-1, 1))
        return doc


# The load-time check (``self_check``): news prose, titles and abbreviations, numbers and
# currencies, and the rules for non-standard English (two-token rules such as "ai" + "n't").
SELF_CHECK_TEXT = (
    "South Korea's presidential office said on Monday that it was aimed at countering North "
    "Korea's cyber activities. Mr. Neuberger didn't comment, but U.S. officials had told "
    "Reuters that 3.5 million dollars ($3,500,000) were stolen in 2022.\n\n"
    "Y'all ain't gonna believe it.  There were 3 people.  Let's go, c'mon! "
    "The ministers met in Tokyo, where they're expected to sign the deal by Oct. 30, 2023; "
    "talks will resume next week. Isn't it?"
)


def _annotations(doc: Any) -> list[tuple[Any, ...]]:
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


def self_check(nlp: Any, component: Any, text: str = SELF_CHECK_TEXT) -> bool:
    """Whether the component gives, token for token, what the pipeline's own attribute_ruler and
    lemmatizer give on the text (run while both are still in the pipeline)."""
    expected = _annotations(nlp(text))
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        doc = nlp(text)
    try:
        got = _annotations(component(doc))
    except Exception:  # any failure means: keep spaCy's components
        return False
    return got == expected
