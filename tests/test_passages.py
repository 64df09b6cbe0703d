"""Passage splitting: exact offsets, paragraphs, short ones joined, long ones cut at sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.index.ingest.passages import split_passages
from newsdesk.index.ingest.sources import read_paths
from newsdesk.index.model import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"


def article(text: str, aid: str = "a") -> Article:
    return Article(id=aid, title="", date=None, source="", license="", path="", text=text)


def check_offsets(art: Article, passages: list) -> None:
    text = art.text
    prev_end = 0
    for n, p in enumerate(passages, start=1):
        assert text[p.start : p.end] == p.text
        assert p.text and p.text == p.text.strip()
        assert p.start >= prev_end
        assert (p.id, p.article_id, p.ordinal) == (f"{art.id}#{n}", art.id, n)
        # never cut inside a word
        assert p.start == 0 or text[p.start - 1].isspace()
        assert p.end == len(text) or text[p.end].isspace()
        prev_end = p.end
    starts = [p.start for p in passages] + [len(text)]
    ends = [0] + [p.end for p in passages]
    between = "".join(text[e:s] for e, s in zip(ends, starts, strict=True))
    assert not between.strip(), "text between passages must be whitespace only"


ALPHABET = st.sampled_from(
    list("aAbB zZ019")
    + [" ", " ", "\n", "\n\n", "\t", ".", "!", "?", "…", '"', "”", "\u00a0"]
    + ["\u2028", "Mr.", "U.S.", "É", "\r", " \n \n"]
)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(ALPHABET, max_size=400),
    max_chars=st.integers(min_value=10, max_value=300),
    min_chars=st.integers(min_value=0, max_value=80),
)
def test_offsets_are_exact_for_any_text(parts: list[str], max_chars: int, min_chars: int) -> None:
    art = article("".join(parts))
    passages = split_passages(art, max_chars=max_chars, min_chars=min_chars)
    check_offsets(art, passages)
    if len(passages) > 1:
        assert all(len(p.text) >= min_chars for p in passages)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=600))
def test_offsets_are_exact_for_arbitrary_unicode(text: str) -> None:
    art = article(text)
    check_offsets(art, split_passages(art, max_chars=80, min_chars=20))


def test_empty_and_blank_texts_have_no_passages() -> None:
    assert split_passages(article("")) == []
    assert split_passages(article(" \n\n\t ")) == []


def test_seed_article_passages() -> None:
    seed = sorted((REPO / "seeds").glob("*.txt"))[0]
    art = next(item for item in read_paths([seed]) if isinstance(item, Article))
    passages = split_passages(art)
    check_offsets(art, passages)
    paragraphs = [p for p in art.text.split("\n\n") if p.strip()]
    assert 1 < len(passages) < len(paragraphs)
    assert passages[0].text.startswith("In a coordinated effort")
    question = "What's the aim of this consultative group?"
    (joined,) = [p for p in passages if question in p.text]
    assert joined.text.startswith(question + "\n\n")
    assert len(joined.text) > len(question) + 60
    assert all(len(p.text) >= 60 for p in passages)


def test_paragraphs_become_passages() -> None:
    paras = [
        f"Paragraph {i} says something long enough to stand on its own as a passage."
        for i in range(5)
    ]
    art = article("\n\n".join(paras) + "\n")
    passages = split_passages(art)
    assert [p.text for p in passages] == paras


def test_short_paragraphs_join_the_next_and_the_last_joins_the_previous() -> None:
    body = "This is a normal paragraph with enough words to be a passage of its own."
    text = f"HEADING\n\nDateline, 2 May\n\n{body}\n\n{body}\n\nEnds."
    art = article(text)
    passages = split_passages(art)
    check_offsets(art, passages)
    assert len(passages) == 2
    assert passages[0].text == f"HEADING\n\nDateline, 2 May\n\n{body}"
    assert passages[1].text == f"{body}\n\nEnds."


def test_long_paragraph_is_cut_at_sentence_ends() -> None:
    sentences = [
        f"Sentence {i} tells Mr. Brown that the U.S. Navy and Acme Inc. agreed on point {i}."
        for i in range(40)
    ]
    text = " ".join(sentences)
    art = article(text)
    passages = split_passages(art, max_chars=500)
    check_offsets(art, passages)
    assert len(passages) > 1
    for p in passages:
        assert len(p.text) <= 500
        assert p.text.startswith("Sentence ") and p.text.endswith(".")
    # Abbreviations and initials are not sentence ends.
    assert not any(p.text.endswith(("Mr.", "U.S.", "Inc.")) for p in passages)


def test_sentence_with_quotes_and_digits_after_it() -> None:
    text = ('He said: "We are ready." 2024 will be busy! “Really?” she asked. ' * 30).strip()
    art = article(text)
    passages = split_passages(art, max_chars=200, min_chars=20)
    check_offsets(art, passages)
    assert all(len(p.text) <= 200 for p in passages)
    assert all(p.text[-1] in '.!?"”' for p in passages)


def test_sentence_without_ends_is_cut_at_whitespace() -> None:
    text = " ".join(f"word{i}" for i in range(600))
    art = article(text)
    passages = split_passages(art, max_chars=300)
    check_offsets(art, passages)
    assert len(passages) > 5
    assert all(len(p.text) <= 300 for p in passages)


def test_a_giant_word_is_not_cut() -> None:
    giant = "x" * 2000
    art = article(f"Before the token. {giant} after the token.")
    passages = split_passages(art, max_chars=500)
    check_offsets(art, passages)
    assert any(giant in p.text for p in passages)


def test_one_sentence_per_line_is_merged() -> None:
    lines = [
        f"Line {i} is one sentence of a text that has no blank lines between its sentences."
        for i in range(30)
    ]
    art = article("\n".join(lines))
    passages = split_passages(art)
    check_offsets(art, passages)
    assert 1 < len(passages) < len(lines)
    assert all(len(p.text) <= 1500 for p in passages)
    assert all(p.text.count("\n") >= 1 for p in passages)
    assert "\n".join(p.text for p in passages) == art.text


@pytest.mark.skipif(not (SHARED / "corpora" / "wikinews" / "txt").is_dir(), reason="no corpus")
def test_wikinews_corpus_offsets() -> None:
    arts = [
        a for a in read_paths([SHARED / "corpora" / "wikinews" / "txt"]) if isinstance(a, Article)
    ]
    assert arts
    for art in arts:
        passages = split_passages(art)
        assert passages
        check_offsets(art, passages)
