"""The English words the model's own lemmatizer knows (its ``lemma_index`` table, WordNet's
nouns, verbs, adjectives and adverbs), as plain sets: filled by ``index.nlp`` when it loads a
pipeline with a rule lemmatizer, empty otherwise (rules mode: the checks that need them do not
fire). The entity rules ask it whether a capitalised one-word name is also a common English noun
("Spotlight", "Dashboard") or no English word at all ("andrillae" of "Edwardsiella andrillae").
Nothing here imports spaCy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

NOUNS: set[str] = set()
WORDS: set[str] = set()  # every part of speech, nouns included


def fill(index: Mapping[str, Iterable[str]]) -> None:
    """Fill the sets from a lemmatizer's ``lemma_index`` table ({pos: [lemma, ...]})."""
    if NOUNS:
        return
    for pos in ("noun", "verb", "adj", "adv"):
        ws = {w for w in index.get(pos, ()) if "_" not in w}
        WORDS.update(ws)
        if pos == "noun":
            NOUNS.update(ws)


def known() -> bool:
    """Whether the sets were filled (a pipeline with a rule lemmatizer was loaded)."""
    return bool(NOUNS)
