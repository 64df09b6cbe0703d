"""Worst-case inputs stay cheap (issue 16, items 9-13): text without spaces, "did you mean" on
pasted tokens, thousands of hits in one passage, huge records and sentences, giant phrases.

Each pathological input used to take from 25 s to many minutes. The tests check the behaviour
that bounds the work (passage sizes, caps, messages) and run the input under a generous deadline
(SIGALRM) that only a hang, not a busy machine, can reach.
"""

from __future__ import annotations

import contextlib
import json
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.index.build import build
from newsdesk.index.engines import open_reader
from newsdesk.index.extract.analyze import MAX_SENTENCE_CHARS, analyze_batch, bounded_text
from newsdesk.index.ingest import sources
from newsdesk.index.ingest.passages import HARD_CHARS, sentence_ends, split_passages
from newsdesk.index.model import Article
from newsdesk.index.seam import SearchRequest, Span
from newsdesk.index.search.highlight import find_all, snippet, spans_for

from .conftest import write_article

# Far above what any of these takes on a loaded machine, far below what they took before.
DEADLINE_S = 120


class Hang(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: int = DEADLINE_S) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def article(text: str, aid: str = "a") -> Article:
    return Article(id=aid, title="t", date="2023-01-01", source="", license="", path="", text=text)


# -- 9, 11: passages are cut at a hard length, even without whitespace --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "iVBORw0KGgo" * 400_000,  # a base64 image, 4.4 MB on one line
        ",".join(f"word{i}" for i in range(20_000)),  # comma-joined words
        "A start. " + "x" * 50_000 + " and an end.",
    ],
    ids=["base64", "commas", "long-word"],
)
def test_no_passage_is_longer_than_the_hard_limit(text: str) -> None:
    art = article(text)
    with deadline():
        passages = split_passages(art)
    # (a passage shorter than min_chars, 60, is joined to the next one)
    assert max(len(p.text) for p in passages) <= HARD_CHARS + 60
    for p in passages:
        assert text[p.start : p.end] == p.text
    # nothing is lost: only whitespace between passages
    ends = [0] + [p.end for p in passages]
    starts = [p.start for p in passages] + [len(text)]
    assert not "".join(text[e:s] for e, s in zip(ends, starts, strict=True)).strip()


def test_comma_joined_words_are_cut_after_a_comma() -> None:
    text = ",".join(f"word{i}" for i in range(20_000))
    passages = split_passages(article(text))
    assert len(passages) > 50
    assert all(p.text.endswith(",") for p in passages[:-1])


def test_wrapping_a_long_token_is_linear() -> None:
    from newsdesk.tui.widgets.passage import wrap

    text = "x" * 2_000_000 + " tail " + "é" * 300_000
    with deadline():
        lines = wrap(text, 80)
    assert all(e - s <= 80 for s, e in lines)
    assert lines[0] == (0, 80) and text[lines[-1][0] : lines[-1][1]] == "é" * (300_000 % 80 or 80)


async def test_the_passage_view_shows_a_huge_one_line_article_and_quits() -> None:
    """An article of one 3 MB passage (an index from before the hard limit) opens and the app
    still takes keys."""
    from textual.app import App, ComposeResult

    from newsdesk.index.model import Passage
    from newsdesk.tui.widgets.passage import MAX_SHOWN_CHARS, PassageView

    class Viewer(App[None]):
        def compose(self) -> ComposeResult:
            yield PassageView(id="p")

    text = "QUJD" * 750_000
    art = article(text)
    passage = Passage("a#1", "a", 1, text, 0, len(text))
    app = Viewer()
    with deadline():
        async with app.run_test(size=(80, 24)) as pilot:
            view = app.query_one(PassageView)
            view.show(art, [passage], "a#1", hits=[Span(10, 14)])
            await pilot.pause()
            await pilot.press("pagedown", "pagedown", "G")
            await pilot.pause()
            assert sum(len(b.text) for b in view._blocks) <= MAX_SHOWN_CHARS + 1_000
            await pilot.press("ctrl+q")
    assert app.return_code is not None or not app.is_running


async def test_a_long_article_shows_the_passages_around_the_selected_one() -> None:
    from textual.app import App, ComposeResult

    from newsdesk.tui.widgets.passage import MAX_SHOWN_CHARS, PassageView

    class Viewer(App[None]):
        def compose(self) -> ComposeResult:
            yield PassageView(id="p")

    text = "\n\n".join(f"Paragraph {i} " + "words and more words " * 50 for i in range(1_000))
    art = article(text)
    passages = split_passages(art)
    chosen = passages[700]
    app = Viewer()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(PassageView)
        view.show(art, passages, chosen.id)
        await pilot.pause()
        shown = [b.passage_id for b in view._blocks if b.passage_id]
        assert chosen.id in shown and len(shown) < len(passages)
        assert sum(len(b.text) for b in view._blocks) <= MAX_SHOWN_CHARS + 2 * HARD_CHARS
        notes = [b.text for b in view._blocks if "not shown" in b.text]
        assert len(notes) == 2  # earlier and later passages


# -- 11: snippets and highlights are linear in the hits -------------------------------------------


def test_a_snippet_of_twenty_thousand_hits() -> None:
    text = ", ".join(["theft"] * 20_000)
    with deadline():
        spans = spans_for(text, {"text": frozenset({"theft"})})
        snip, moved = snippet(text, spans)
    assert len(spans) == 20_000 and len(snip) <= 230
    assert moved and all(snip[s.start : s.end] == "theft" for s in moved)


def test_a_long_phrase_over_repeated_words() -> None:
    text = " ".join(["north"] * 20_000)
    phrase = "\x00".join(["north"] * 24)
    with deadline():
        spans = spans_for(text, {"phrase:exact": frozenset({phrase})})
    assert spans == [Span(0, len(text))]


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from("abc"), max_size=60),
    phrase=st.lists(st.sampled_from("abc"), min_size=1, max_size=5),
)
def test_find_all_finds_what_a_scan_finds(words: list[str], phrase: list[str]) -> None:
    n = len(phrase)
    naive = [i for i in range(len(words) - n + 1) if words[i : i + n] == phrase]
    assert find_all(words, phrase) == naive


# -- 10, 13: searches are bounded ---------------------------------------------------------------


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("hangs")
    folder = root / "c"
    write_article(folder, "a.txt", "The government announced new sanctions on the shipping firms.")
    write_article(folder, "b.txt", "International observers watched the election in the north.")
    write_article(folder, "c.txt", ("North Korea " * 300).strip() + ".")
    build(root / "ix", [folder], extract=False)
    return open_reader(root / "ix")


def test_did_you_mean_still_helps(reader) -> None:  # type: ignore[no-untyped-def]
    res = reader.search(SearchRequest("goverment"))
    assert res.total == 0 and res.suggestion == "government"
    res = reader.search(SearchRequest("internationl obsrvers"))
    assert res.suggestion == "international observers"


@pytest.mark.parametrize("n", [15, 200, 999])
def test_did_you_mean_on_long_unknown_words_is_bounded(reader, n: int) -> None:  # type: ignore[no-untyped-def]
    word = ("qzxjv" * 400)[:n]
    with deadline(60):
        res = reader.search(SearchRequest(word))
        many = reader.search(SearchRequest(" ".join(["qzxjvw", "vqzjxw"] * 30)))
    assert res.error is None and res.total == 0 and res.suggestion is None
    assert many.error is None and many.suggestion is None


def test_a_pasted_page_is_refused_with_a_message(reader) -> None:  # type: ignore[no-untyped-def]
    res = reader.search(SearchRequest("x" * 2_000))
    assert res.error is not None and "too long" in res.error


def test_a_phrase_of_two_hundred_words_is_refused(reader) -> None:  # type: ignore[no-untyped-def]
    phrase = '"' + " ".join(["no"] * 200) + '"'
    with deadline(60):
        res = reader.search(SearchRequest(phrase))
    assert res.error is not None and "phrase is too long" in res.error
    ok = reader.search(SearchRequest('"' + " ".join(["north", "korea"] * 10) + '"'))
    assert ok.error is None and ok.total >= 1


def test_too_many_words_are_refused(reader) -> None:  # type: ignore[no-untyped-def]
    res = reader.search(SearchRequest(" ".join(f"w{i}x" for i in range(100))))
    assert res.error is not None and "too many words" in res.error


def test_a_search_past_its_budget_says_so(reader) -> None:  # type: ignore[no-untyped-def]
    saved = reader.budget_s
    reader.budget_s = 0.0  # every search is over budget at once
    try:
        res = reader.search(SearchRequest("north"))
    finally:
        reader.budget_s = saved
    assert res.error is not None and res.error.startswith("the query took too long")
    assert reader.search(SearchRequest("north")).total > 0


# -- 12: huge records are split, long sentences are cut for extraction ------------------------------


def test_a_huge_jsonl_record_is_split_into_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "LARGE_TEXT_BYTES", 50_000)
    paragraphs = [f"Paragraph {i} of the long record. " * 20 for i in range(200)]
    text = "\n\n".join(paragraphs)
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "big", "title": "Big", "text": text}) + "\n"
        + json.dumps({"id": "small", "text": "A small one."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    items = list(sources.read_paths([path]))
    arts = [i for i in items if isinstance(i, Article)]
    problems = [str(i) for i in items if not isinstance(i, Article)]
    ids = [a.id for a in arts]
    assert ids[0] == "big" and ids[1] == "big~p2" and ids[-1] == "small"
    parts = [a for a in arts if a.id.startswith("big")]
    assert len(parts) > 2 and all(len(a.text) <= 50_000 for a in parts)
    assert [a.title for a in parts[:2]] == ["Big", "Big (part 2)"]
    assert all(a.path.endswith("big.jsonl:1") for a in parts)
    # cut at paragraph breaks: every paragraph is whole in one part
    assert sorted(p.strip() for a in parts for p in a.text.split("\n\n")) == sorted(
        p.strip() for p in paragraphs
    )
    assert any("split into" in p and "big.jsonl:1" in p for p in problems)


def test_long_sentences_are_cut_for_extraction_offsets_kept() -> None:
    long_sentence = " ".join(f"Paris and word{i}" for i in range(20_000))
    text = "Officials in Berlin said it. " + long_sentence + ". The end came.\n" + "Z" * 5_000
    bounded = bounded_text(text)
    assert len(bounded) == len(text)
    for line in re.finditer(r"[^\n]+", bounded):
        cuts = [line.start(), *sentence_ends(bounded, *line.span()), line.end()]
        assert max(b - a for a, b in zip(cuts, cuts[1:], strict=False)) <= MAX_SENTENCE_CHARS
    # only whitespace became newlines, and the blob without whitespace was blanked
    for a, b in zip(text, bounded, strict=True):
        assert a == b or (a.isspace() and b == "\n") or (a == "Z" and b in " \n")
    normal = "A normal text. It has two sentences.\n\nAnd a paragraph."
    assert bounded_text(normal) is normal


def test_extraction_of_a_huge_sentence_is_bounded() -> None:
    long_sentence = " ".join(f"Paris officials said item{i}" for i in range(40_000))
    art = article("The council met in Lyon on Monday. " + long_sentence + ".")
    passages = split_passages(art)
    with deadline():
        (analysis,) = analyze_batch([(art, passages)], "rules")
    assert any(m.name == "Paris" for m in analysis.mentions)
    for f in analysis.facts:  # evidence quotes the article itself
        assert art.text[f.evidence.start : f.evidence.end] == f.evidence.text
