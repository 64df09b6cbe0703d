"""The engine contract: what every storage engine must do, asserted through the seam only.

Each engine is one entry of ENGINES (a factory giving a location, a reader and a writer); every
test runs against each. The tests know the engine only as :class:`newsdesk.index.seam.Reader`
and :class:`newsdesk.index.seam.Writer`, built through ``Builder`` with the fake extractor of
tests/fake_extraction.py (fixed entities and facts, no spaCy).

The corpus (five short articles) names the fake extractor's entities in known passages:

    cyber   #1 Anne Neuberger, Lazarus Group, Japan   #2 Reuters, North Korea   #3 -
    summit  #1 Japan, North Korea                     #2 Anne Neuberger         #3 -
    harvest #1 Japan                                  #2 -
    launch  #1 -                                      #2 -
    markets #1 Reuters                                #2 -

and a fact (a QUOTE) for each mention of a person: cyber:f1 (cyber#1), summit:f1 (summit#2).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import pytest

from newsdesk.index import build as index_build
from newsdesk.index.build import Builder, Summary, content_hash
from newsdesk.index.engines import open_reader, open_writer
from newsdesk.index.errors import IndexBusy, NewsdeskError
from newsdesk.index.extract import analyze as index_analyze
from newsdesk.index.ingest.passages import split_passages
from newsdesk.index.model import Analysis, Article, Entity, Mention
from newsdesk.index.seam import ArticleRecord, Reader, SearchRequest, SearchResult, Span, Writer

from .fake_extraction import fake_batch
from .test_formats import write_wire

pytestmark = pytest.mark.store

# -- the engines -----------------------------------------------------------------------------------


class EngineFactory(Protocol):
    def location(self, tmp_path: Path) -> str: ...

    def reader(self, location: str) -> Reader: ...

    def writer(self, location: str, **kw: Any) -> Writer: ...


class WhooshEngine:
    """The embedded engine: a location is an index folder."""

    def location(self, tmp_path: Path) -> str:
        return str(tmp_path / "ix")

    def reader(self, location: str) -> Reader:
        return open_reader(location)

    def writer(self, location: str, **kw: Any) -> Writer:
        return open_writer(location, **kw)


class OpenSearchEngine:
    """A cluster: a location is the test cluster's URL with an index prefix of its own (the
    cluster starts on first use; see tests/opensearch_cluster.py)."""

    def location(self, tmp_path: Path) -> str:
        from .opensearch_cluster import cluster, location

        return location(cluster().url)

    def reader(self, location: str) -> Reader:
        return open_reader(location)

    def writer(self, location: str, **kw: Any) -> Writer:
        return open_writer(location, **kw)


# One entry per engine; an engine that needs a service adds marks.
ENGINES = [
    pytest.param(WhooshEngine(), id="whoosh"),
    pytest.param(OpenSearchEngine(), id="opensearch", marks=pytest.mark.opensearch),
]


@pytest.fixture(scope="module", params=ENGINES)
def engine_kind(request: pytest.FixtureRequest) -> EngineFactory:
    factory: EngineFactory = request.param
    return factory


# -- the corpus ------------------------------------------------------------------------------------

# id -> (date, title, source, license, paragraphs); every paragraph is one passage (>= 60 chars)
ARTICLES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "cyber": (
        "2023-03-14",
        "Hackers target crypto exchanges",
        "Tech Wire",
        "CC BY 4.0",
        (
            "Anne Neuberger said the Lazarus Group had stolen millions from crypto exchanges "
            "in Japan last year.",
            "Reuters reported that investigators traced the stolen funds to wallets controlled "
            "from North Korea.",
            "Security firms urged exchanges to rotate their keys and to audit every hot wallet "
            "each month.",
        ),
    ),
    "summit": (
        "2023-05-22",
        "Leaders meet in Hiroshima",
        "World Desk",
        "CC BY 4.0",
        (
            "Leaders from Japan and its allies met in Hiroshima to discuss sanctions on "
            "North Korea and trade.",
            "Anne Neuberger briefed the delegations on cyber threats to banks and power grids "
            "across the region.",
            "The summit closed with a joint statement on maritime security and shipping lanes.",
        ),
    ),
    "harvest": (
        "2022-09-30",
        "Record rice harvest",
        "Farm Weekly",
        "CC0",
        (
            "Farmers in northern Japan reported a record rice harvest after a warm and unusually "
            "dry summer.",
            "The cooperative said prices for rice would fall this winter as warehouses filled up "
            "quickly.",
        ),
    ),
    "launch": (
        "2024-02-17",
        "Satellite launch delayed",
        "Space Notes",
        "CC BY-SA 4.0",
        (
            "The space agency delayed the satellite launch by a week because of strong winds "
            "over the coast.",
            "Engineers said the rocket carried three small payloads bound for a low orbit around "
            "the planet.",
        ),
    ),
    "markets": (
        "2023-08-09",
        "Markets slip on bank worries",
        "Money Daily",
        "CC BY 4.0",
        (
            "Shares of regional banks fell sharply as traders worried about rising interest "
            "rates, Reuters said.",
            "Analysts expected the central bank to hold rates steady at its next meeting in "
            "September.",
        ),
    ),
}
N_PASSAGES = sum(len(a[4]) for a in ARTICLES.values())

# entity id -> (name, type, mentions, articles), as the fake extractor finds them in ARTICLES
ENTITIES = {
    "place:japan": ("Japan", "PLACE", 3, {"cyber", "summit", "harvest"}),
    "place:north-korea": ("North Korea", "PLACE", 2, {"cyber", "summit"}),
    "person:anne-neuberger": ("Anne Neuberger", "PERSON", 2, {"cyber", "summit"}),
    "org:reuters": ("Reuters", "ORG", 2, {"cyber", "markets"}),
    "org:lazarus-group": ("Lazarus Group", "ORG", 1, {"cyber"}),
}


def write_news(
    folder: Path,
    aid: str,
    date: str,
    title: str,
    source: str,
    license: str,
    paragraphs: Sequence[str],
) -> Path:
    """A header-format article file (date, title, source, license, a blank line, the body)."""
    folder.mkdir(parents=True, exist_ok=True)
    head = f"date {date}\ntitle: {title}\nsource: {source}\nlicense: {license}\n\n"
    path = folder / f"{aid}.txt"
    path.write_text(head + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def write_corpus(folder: Path, only: Sequence[str] | None = None) -> Path:
    for aid, (date, title, source, lic, paragraphs) in ARTICLES.items():
        if only is None or aid in only:
            write_news(folder, aid, date, title, source, lic, paragraphs)
    return folder


def index(
    kind: EngineFactory, location: str, paths: Sequence[Path], prune: bool = False
) -> Summary:
    """Run the pipeline into the engine (extraction patched to the fake extractor by callers)."""
    with Builder(kind.writer(location), extract=True, workers=1, commit_every=2) as b:
        return b.run(paths, prune=prune)


@pytest.fixture(scope="module")
def built(
    engine_kind: EngineFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Reader, Summary]]:
    """The corpus indexed once per engine, for the tests that only read."""
    root = tmp_path_factory.mktemp("contract")
    corpus = write_corpus(root / "corpus")
    location = engine_kind.location(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_analyze, "analyze_batch", fake_batch)
        mp.setattr(index_build, "extraction_mode", lambda: "fake")
        summary = index(engine_kind, location, [corpus])
    reader = engine_kind.reader(location)
    yield reader, summary
    reader.close()


@pytest.fixture
def reader(built: tuple[Reader, Summary]) -> Reader:
    return built[0]


@pytest.fixture
def fresh(
    engine_kind: EngineFactory, tmp_path: Path, fake_nlp: None
) -> Iterator[tuple[EngineFactory, str, Path, list[Reader]]]:
    """A function-scoped index location and corpus folder (not yet indexed), for writer tests;
    readers appended to the list are closed afterwards."""
    readers: list[Reader] = []
    yield engine_kind, engine_kind.location(tmp_path), tmp_path / "corpus", readers
    for r in readers:
        r.close()


def open_r(fresh: tuple[EngineFactory, str, Path, list[Reader]]) -> Reader:
    kind, location, _, readers = fresh
    r = kind.reader(location)
    readers.append(r)
    return r


def search(reader: Reader, text: str, **kw: Any) -> SearchResult:
    res = reader.search(SearchRequest(text, limit=kw.pop("limit", 50), facets=False, **kw))
    assert res.error is None, res.error
    return res


def ids(reader: Reader, text: str, **kw: Any) -> list[str]:
    return [h.passage_id for h in search(reader, text, **kw).hits]


def articles_of(reader: Reader, text: str, **kw: Any) -> set[str]:
    return {h.article_id for h in search(reader, text, **kw).hits}


def marked(text: str, spans: Sequence[Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


def check_spans(text: str, spans: Sequence[Span]) -> None:
    """Sorted, non-empty, non-overlapping spans inside text."""
    end = 0
    for s in spans:
        assert end <= s.start < s.end <= len(text), (spans, len(text))
        end = s.end


def words(parts: Sequence[str]) -> set[str]:
    return {w.lower().strip('.,"') for p in parts for w in p.split()}


# -- the writer ------------------------------------------------------------------------------------


def test_the_first_run_adds_every_article(built: tuple[Reader, Summary]) -> None:
    _, summary = built
    assert (summary.added, summary.updated, summary.unchanged, summary.skipped) == (5, 0, 0, 0)
    assert summary.passages == N_PASSAGES and summary.mode == "fake"


def test_known_holds_every_article_with_its_hash(fresh: Any) -> None:
    kind, location, corpus, _ = fresh
    index(kind, location, [write_corpus(corpus)])
    reader = open_r(fresh)
    with kind.writer(location) as w:
        known = w.known()
    assert set(known) == set(ARTICLES)
    for aid, k in known.items():
        article = reader.article(aid)
        assert article is not None
        assert k.hash == content_hash(article, "fake")
        assert k.path == os.path.abspath(corpus / f"{aid}.txt")


def test_rerunning_the_same_inputs_writes_nothing(fresh: Any) -> None:
    kind, location, corpus, _ = fresh
    index(kind, location, [write_corpus(corpus)])
    before = open_r(fresh).stats()
    again = index(kind, location, [corpus])
    assert (again.added, again.updated, again.unchanged, again.pruned) == (0, 0, 5, 0)
    assert again.passages == 0
    assert open_r(fresh).stats() == before


def test_a_record_written_directly_is_held_with_its_hash_and_aliases(fresh: Any) -> None:
    kind, location, _, _ = fresh
    text = (
        "Anne Neuberger met the cabinet on Friday to discuss the new cyber rules for banks.\n\n"
        "Officials said Neuberger would return next month with a draft of the regulation."
    )
    article = Article("memo", "Staff memo", "2023-04-01", "Desk", "CC0", "/virtual/memo.txt", text)
    passages = tuple(split_passages(article))
    assert [p.id for p in passages] == ["memo#1", "memo#2"]
    eid = "person:anne-neuberger"
    full, short = text.index("Anne Neuberger"), text.index("Neuberger would")
    mentions = (
        Mention(eid, "memo#1", full, full + 14, "Anne Neuberger", "Anne Neuberger", "PERSON"),
        Mention(eid, "memo#2", short, short + 9, "Neuberger", "Anne Neuberger", "PERSON"),
    )
    entity = Entity(eid, "Anne Neuberger", "PERSON", ("Anne Neuberger", "Neuberger"), 2, ("memo",))
    analysis = Analysis("memo", mentions, (entity,), (), "fake")
    with kind.writer(location) as w:
        w.write([ArticleRecord(article, "hash-1", passages, analysis, existed=False)])
        w.finish(nlp="fake")
        assert w.known()["memo"].hash == "hash-1"
        assert w.known()["memo"].path == "/virtual/memo.txt"
    reader = open_r(fresh)
    assert reader.article("memo") == article
    assert reader.passages("memo") == list(passages)
    for name in ("Neuberger", "neuberger", "ANNE NEUBERGER", "anne neuberger"):
        found = reader.resolve_entity(name)
        assert found is not None, name
        assert (found.id, found.name, found.mentions) == (eid, "Anne Neuberger", 2)
    assert reader.resolve_entity("Nobody Known") is None
    # an alias filters search like the canonical name
    assert ids(reader, "regulation", entities=("neuberger",)) == ["memo#2"]


def test_a_changed_article_replaces_its_passages_and_facts(fresh: Any) -> None:
    kind, location, corpus, _ = fresh
    index(kind, location, [write_corpus(corpus)])
    old_reader = open_r(fresh)
    assert ids(old_reader, "lazarus") == ["cyber#1"]
    write_news(
        corpus,
        "cyber",
        "2023-03-14",
        "Hackers target crypto exchanges",
        "Tech Wire",
        "CC BY 4.0",
        (
            "Reuters reported that the exchange recovered most of the stolen coins after a long "
            "audit by regulators.",
            "The regulators in Japan said new rules for custody of digital assets would take "
            "effect in spring.",
        ),
    )
    s = index(kind, location, [corpus])
    assert (s.added, s.updated, s.unchanged) == (0, 1, 4)
    reader = open_r(fresh)
    assert ids(reader, "lazarus") == [] and ids(reader, "investigators") == []
    assert ids(reader, "custody") == ["cyber#2"]
    assert [p.id for p in reader.passages("cyber")] == ["cyber#1", "cyber#2"]
    assert reader.passage("cyber#3") is None
    assert reader.stats().passages == N_PASSAGES - 1
    # the person is gone from it: so is its fact
    assert reader.facts(article="cyber") == []
    assert [f.id for f in reader.facts(entity="Anne Neuberger")] == ["summit:f1"]
    assert reader.stats().facts == 1
    view = reader.article_view("cyber")
    assert view is not None and {m.name for m in view.mentions} == {"Reuters", "Japan"}
    # and the entity counts follow
    counts = {e.name: (e.mentions, set(e.articles)) for e in reader.entities()}
    assert counts == {
        "Japan": (3, {"cyber", "summit", "harvest"}),
        "North Korea": (1, {"summit"}),
        "Anne Neuberger": (1, {"summit"}),
        "Reuters": (2, {"cyber", "markets"}),
    }
    assert reader.resolve_entity("Lazarus Group") is None


def test_prune_removes_the_article_and_everything_of_it(fresh: Any) -> None:
    kind, location, corpus, _ = fresh
    index(kind, location, [write_corpus(corpus)])
    (corpus / "summit.txt").unlink()
    kept = index(kind, location, [corpus])
    assert kept.missing_ids == ["summit"] and kept.pruned == 0
    assert ids(open_r(fresh), "hiroshima") != []
    pruned = index(kind, location, [corpus], prune=True)
    assert pruned.pruned == 1
    reader = open_r(fresh)
    assert reader.article("summit") is None and reader.article_view("summit") is None
    assert reader.passages("summit") == [] and reader.passage("summit#1") is None
    assert reader.analysis("summit") is None
    assert ids(reader, "hiroshima") == [] and ids(reader, "delegations") == []
    assert reader.facts(article="summit") == [] and reader.facts(passage="summit#2") == []
    assert reader.entities(article="summit") == []
    counts = {e.name: (e.mentions, set(e.articles)) for e in reader.entities()}
    assert counts == {
        "Japan": (2, {"cyber", "harvest"}),
        "North Korea": (1, {"cyber"}),
        "Anne Neuberger": (1, {"cyber"}),
        "Reuters": (2, {"cyber", "markets"}),
        "Lazarus Group": (1, {"cyber"}),
    }
    st = reader.stats()
    assert (st.articles, st.passages, st.entities, st.facts) == (4, N_PASSAGES - 3, 5, 1)
    with kind.writer(location) as w:
        assert "summit" not in w.known()


def test_delete_removes_articles_and_their_entity_counts(fresh: Any) -> None:
    kind, location, corpus, _ = fresh
    index(kind, location, [write_corpus(corpus)])
    with kind.writer(location) as w:
        w.delete(["cyber", "harvest"])
        assert set(w.known()) == {"summit", "launch", "markets"}
    reader = open_r(fresh)
    assert reader.article("cyber") is None and reader.article("harvest") is None
    assert ids(reader, "wallet") == [] and ids(reader, "rice") == []
    assert [f.id for f in reader.facts()] == ["summit:f1"]
    counts = {e.name: (e.mentions, set(e.articles)) for e in reader.entities()}
    assert counts == {
        "Japan": (1, {"summit"}),
        "North Korea": (1, {"summit"}),
        "Anne Neuberger": (1, {"summit"}),
        "Reuters": (1, {"markets"}),
    }
    res = reader.search(SearchRequest("japan OR korea OR reuters"))
    facet = {r.id: r.count for rows in res.facets.values() for r in rows}
    assert facet == {"place:japan": 1, "place:north-korea": 1, "org:reuters": 1}
    st = reader.stats()
    assert (st.articles, st.passages, st.entities, st.facts) == (3, 7, 4, 1)


def test_a_second_writer_waits_then_fails_busy(fresh: Any) -> None:
    kind, location, _, _ = fresh
    waited: list[bool] = []
    with kind.writer(location):
        started = time.monotonic()
        with (
            pytest.raises(IndexBusy),
            kind.writer(location, lock_wait_s=0.3, on_wait=lambda: waited.append(True)),
        ):
            pass
        assert time.monotonic() - started >= 0.25
    assert waited == [True]
    with kind.writer(location, lock_wait_s=0.3) as w:  # free again once the first has finished
        assert w.known() == {}


# -- search ----------------------------------------------------------------------------------------


def test_plural_finds_singular(reader: Reader) -> None:
    assert ids(reader, "rockets") == ["launch#2"]
    assert set(ids(reader, "wallets")) == {"cyber#2", "cyber#3"}


def test_all_words_first_then_a_scored_or(reader: Reader) -> None:
    res = search(reader, "rice warehouses")
    assert not res.fallback and [h.passage_id for h in res.hits] == ["harvest#2"]
    res = search(reader, "rice zeppelin")
    assert res.fallback and res.hits and {h.article_id for h in res.hits} == {"harvest"}


def test_quoted_phrases_are_exact(reader: Reader) -> None:
    assert ids(reader, '"joint statement"') == ["summit#3"]
    assert ids(reader, '"statement joint"') == []
    assert ids(reader, '"joint statements"') == []  # exact: not stemmed


def test_boolean_or_and_not(reader: Reader) -> None:
    assert set(ids(reader, "rocket OR warehouses")) == {"launch#2", "harvest#2"}
    assert set(ids(reader, "rates")) == {"markets#1", "markets#2"}
    assert ids(reader, "rates NOT september") == ["markets#1"]


def test_prefix(reader: Reader) -> None:
    assert ids(reader, "payl*") == ["launch#2"]
    assert set(ids(reader, "wall*")) == {"cyber#2", "cyber#3"}


def test_date_ranges(reader: Reader) -> None:
    assert articles_of(reader, "japan") == {"cyber", "summit", "harvest"}
    assert articles_of(reader, "date:[2023-01 TO 2023-06] japan") == {"cyber", "summit"}
    assert articles_of(reader, "date:[2023-01 TO 2023-06]") == {"cyber", "summit"}
    assert articles_of(reader, "date:2024") == {"launch"}
    for h in search(reader, "date:[2023-01 TO 2023-06]").hits:
        assert h.date is not None and "2023-01-01" <= h.date <= "2023-06-30"


def test_title_field(reader: Reader) -> None:
    assert set(ids(reader, "title:hiroshima")) == {"summit#1", "summit#2", "summit#3"}
    assert ids(reader, "title:rocket") == []


def test_entity_filters(reader: Reader) -> None:
    assert set(ids(reader, "banks")) == {"summit#2", "markets#1", "markets#2"}
    assert ids(reader, "banks", entities=("Anne Neuberger",)) == ["summit#2"]
    assert ids(reader, "banks", entities=("anne neuberger",)) == ["summit#2"]
    assert ids(reader, "japan", entities=("Japan", "North Korea")) == ["summit#1"]
    assert ids(reader, "banks", entities=("Nobody Known",)) == []
    assert set(ids(reader, 'person:"anne neuberger"')) == {"cyber#1", "summit#2"}
    assert set(ids(reader, 'entity:"North Korea"')) == {"cyber#2", "summit#1"}
    assert ids(reader, 'org:"lazarus group"') == ["cyber#1"]
    assert ids(reader, 'entity:"Reuters" rates') == ["markets#1"]


def test_paging(reader: Reader) -> None:
    text = "japan OR banks OR rates OR wallet OR rice"
    whole = reader.search(SearchRequest(text, limit=50, facets=False))
    assert whole.total == len(whole.hits) == 9
    seen: list[str] = []
    for offset in range(0, 10, 2):
        page = reader.search(SearchRequest(text, limit=2, offset=offset, facets=False))
        assert page.total == 9
        assert [h.rank for h in page.hits] == list(range(offset + 1, offset + 1 + len(page.hits)))
        seen += [h.passage_id for h in page.hits]
    assert seen == [h.passage_id for h in whole.hits]
    assert len(set(seen)) == 9
    beyond = reader.search(SearchRequest(text, limit=2, offset=20, facets=False))
    assert beyond.hits == () and beyond.total == 9


def test_hits_carry_their_passage(reader: Reader) -> None:
    for h in search(reader, "japan OR banks").hits:
        article = reader.article(h.article_id)
        assert article is not None
        assert (h.title, h.date) == (article.title, article.date)
        assert article.text[h.start : h.end] == h.text
        assert h.passage_id == f"{h.article_id}#{h.ordinal}"
        assert reader.passage(h.passage_id) is not None


def test_highlights_cover_the_query_words(reader: Reader) -> None:
    (hit,) = search(reader, "rockets payloads").hits
    check_spans(hit.text, hit.highlights)
    assert [w.lower() for w in marked(hit.text, hit.highlights)] == ["rocket", "payloads"]
    check_spans(hit.snippet, hit.snippet_highlights)
    assert [w.lower() for w in marked(hit.snippet, hit.snippet_highlights)] == [
        "rocket",
        "payloads",
    ]
    (hit,) = search(reader, '"joint statement"').hits
    check_spans(hit.text, hit.highlights)
    assert words(marked(hit.text, hit.highlights)) == {"joint", "statement"}
    (hit,) = reader.search(SearchRequest("rockets", highlight=False, facets=False)).hits
    assert hit.highlights == ()


def test_facets_count_passages_per_entity_over_the_whole_result(reader: Reader) -> None:
    text = "japan OR korea OR banks"
    page = reader.search(SearchRequest(text, limit=1))
    everything = reader.search(SearchRequest(text, limit=50, facets=False))
    assert page.error is None and len(page.hits) == 1 and page.total == everything.total > 1
    expected: Counter[str] = Counter()
    for h in everything.hits:
        view = reader.article_view(h.article_id)
        assert view is not None
        expected.update({m.entity_id for m in view.mentions if m.passage_id == h.passage_id})
    rows = [r for typ, rs in page.facets.items() for r in rs if r.type == typ]
    assert len(rows) == sum(len(rs) for rs in page.facets.values())  # every row under its type
    assert {r.id: r.count for r in rows} == dict(expected)
    assert all(0 < r.count <= page.total for r in rows)
    assert {r.id: (r.name, r.type) for r in rows} == {eid: ENTITIES[eid][:2] for eid in expected}
    for rs in page.facets.values():  # most counted first
        assert [r.count for r in rs] == sorted((r.count for r in rs), reverse=True)
    # the passage-level counts: Japan in cyber#1, summit#1, harvest#1; North Korea in two
    assert expected["place:japan"] == 3 and expected["place:north-korea"] == 2
    # a filtered search counts only its own passages
    only = reader.search(SearchRequest(text, entities=("North Korea",)))
    assert {r.id: r.count for rs in only.facets.values() for r in rs} == {
        "place:north-korea": 2,  # cyber#2 and summit#1
        "place:japan": 1,  # summit#1
        "org:reuters": 1,  # cyber#2
    }


def test_a_syntax_error_is_a_message_not_an_exception(reader: Reader) -> None:
    for text in ("date:[notadate TO alsonot]", "date:foo japan"):
        request = SearchRequest(text)
        res = reader.search(request)
        assert isinstance(res.error, str) and res.error, text
        assert res.hits == () and res.request == request


def test_no_hits_suggests_a_spelling(reader: Reader) -> None:
    res = reader.search(SearchRequest("satelite"))
    assert res.error is None and res.total == 0 and res.hits == ()
    assert res.suggestion == "satellite"
    # the passage holding the word; the title alone makes no hit (issue 14)
    assert set(ids(reader, res.suggestion)) == {"launch#1"}
    assert search(reader, "satellite").suggestion is None


def test_the_result_carries_its_request(reader: Reader) -> None:
    request = SearchRequest("japan", entities=("North Korea",), limit=3, offset=1)
    res = reader.search(request)
    assert res.request == request and res.query == "japan"


def test_a_request_is_a_hashable_value() -> None:
    a = SearchRequest("japan", entities=["Japan"])
    b = SearchRequest("japan", entities=("Japan",))
    assert a == b and hash(a) == hash(b)
    cache = {a: 1}
    assert cache[b] == 1
    assert SearchRequest("japan") != SearchRequest("japan", offset=20)
    other = b.page(20, 10)
    assert other.scope == b.scope and (other.offset, other.limit) == (20, 10)
    assert other != b and {b: 1, other: 2}[other] == 2


# -- lookups ---------------------------------------------------------------------------------------


def test_article(reader: Reader) -> None:
    article = reader.article("cyber")
    assert article is not None
    date, title, source, lic, paragraphs = ARTICLES["cyber"]
    assert (article.id, article.title, article.date) == ("cyber", title, date)
    assert (article.source, article.license) == (source, lic)
    assert article.text.strip() == "\n\n".join(paragraphs)
    assert article.path.endswith("cyber.txt")
    assert reader.article("nope") is None


def test_passages_slice_the_article_text(reader: Reader) -> None:
    for aid, (*_, paragraphs) in ARTICLES.items():
        article = reader.article(aid)
        assert article is not None
        passages = reader.passages(aid)
        assert [p.text for p in passages] == list(paragraphs)
        assert [p.ordinal for p in passages] == list(range(1, len(paragraphs) + 1))
        for p in passages:
            assert article.text[p.start : p.end] == p.text
            assert p.id == f"{aid}#{p.ordinal}" and p.article_id == aid
            assert reader.passage(p.id) == p
    assert reader.passages("nope") == []
    assert reader.passage("cyber#9") is None and reader.passage("nope#1") is None


def test_article_view(reader: Reader) -> None:
    view = reader.article_view("cyber")
    assert view is not None
    assert view.article == reader.article("cyber")
    assert list(view.passages) == reader.passages("cyber")
    by_passage = {(m.passage_id, m.name) for m in view.mentions}
    assert by_passage == {
        ("cyber#1", "Anne Neuberger"),
        ("cyber#1", "Lazarus Group"),
        ("cyber#1", "Japan"),
        ("cyber#2", "Reuters"),
        ("cyber#2", "North Korea"),
    }
    for m in view.mentions:
        assert view.article.text[m.start : m.end] == m.surface
    assert [f.id for f in view.facts] == ["cyber:f1"]
    assert list(view.facts) == reader.facts(article="cyber")
    assert reader.article_view("nope") is None


def test_analysis(reader: Reader) -> None:
    analysis = reader.analysis("summit")
    assert analysis is not None and analysis.article_id == "summit"
    assert {e.name for e in analysis.entities} == {"Japan", "North Korea", "Anne Neuberger"}
    assert [f.id for f in analysis.facts] == ["summit:f1"]
    view = reader.article_view("summit")
    assert view is not None and analysis.mentions == view.mentions
    assert reader.analysis("nope") is None


def test_resolve_entity(reader: Reader) -> None:
    for name in ("North Korea", "north korea", "NORTH KOREA"):
        e = reader.resolve_entity(name)
        assert e is not None, name
        assert (e.id, e.name, e.type, e.mentions) == (
            "place:north-korea",
            "North Korea",
            "PLACE",
            2,
        )
        assert set(e.articles) == {"cyber", "summit"}
    assert reader.resolve_entity("Atlantis") is None


def test_entities(reader: Reader) -> None:
    every = reader.entities()
    got = {e.id: (e.name, e.type, e.mentions, set(e.articles)) for e in every}
    assert got == ENTITIES
    assert [e.mentions for e in every] == sorted((e.mentions for e in every), reverse=True)
    assert [e.name for e in reader.entities(type="PLACE")] == ["Japan", "North Korea"]
    assert [e.name for e in reader.entities(type="PERSON")] == ["Anne Neuberger"]
    assert {e.name for e in reader.entities(type="ORG")} == {"Reuters", "Lazarus Group"}
    assert reader.entities(type="MISC") == []
    in_summit = reader.entities(article="summit")
    assert {e.name for e in in_summit} == {"Japan", "North Korea", "Anne Neuberger"}
    assert {e.id: e.type for e in in_summit} == {
        "place:japan": "PLACE",
        "place:north-korea": "PLACE",
        "person:anne-neuberger": "PERSON",
    }
    assert {e.name for e in reader.entities(type="PLACE", article="harvest")} == {"Japan"}
    assert reader.entities(article="launch") == [] and reader.entities(article="nope") == []


def test_facts(reader: Reader) -> None:
    by_entity = reader.facts(entity="Anne Neuberger")
    assert [f.id for f in by_entity] == ["cyber:f1", "summit:f1"]
    assert [f.id for f in reader.facts(entity="anne neuberger")] == ["cyber:f1", "summit:f1"]
    for f in by_entity:
        assert f.kind == "QUOTE" and f.who == ("Anne Neuberger",)
        article = reader.article(f.article_id)
        assert article is not None
        assert article.text[f.evidence.start : f.evidence.end] == f.evidence.text
    (cyber,) = reader.facts(article="cyber")
    assert cyber.evidence.passage_id == "cyber#1" and cyber.date == "2023-03-14"
    assert [f.id for f in reader.facts(passage="summit#2")] == ["summit:f1"]
    assert reader.facts(passage="summit#1") == [] and reader.facts(article="launch") == []
    assert [f.id for f in reader.facts("delegations")] == ["summit:f1"]
    assert reader.facts("rocket") == []
    assert [f.id for f in reader.facts(entity="Anne Neuberger", article="summit")] == ["summit:f1"]
    assert len(reader.facts(limit=1)) == 1
    assert {f.id for f in reader.facts()} == {"cyber:f1", "summit:f1"}
    assert reader.facts(entity="Reuters") == []


def test_stats(reader: Reader) -> None:
    st = reader.stats()
    assert (st.articles, st.passages, st.entities, st.facts) == (5, N_PASSAGES, 5, 2)
    assert st.nlp == "fake"


def test_highlights_of_a_passage_match_the_hits(reader: Reader) -> None:
    for text in ("rockets payloads", '"joint statement" maritime', "japan OR korea"):
        res = search(reader, text)
        assert res.hits and res.terms
        for hit in res.hits:
            passage = reader.passage(hit.passage_id)
            assert passage is not None and passage.text == hit.text
            spans = reader.highlights(passage.text, res.terms)
            assert tuple(spans) == hit.highlights and spans, (text, hit.passage_id)


def test_copies_are_the_other_articles_of_a_near_duplicate_group(fresh: Any) -> None:
    """Four rewrites of one wire story and another story: search shows the rewrites as one hit
    with 3 copies; copies() of any rewrite lists the other three (the group named after the
    first); the writer gives the group and signature back, so a rerun keeps every group and
    writes nothing."""
    kind, location, corpus, _ = fresh
    write_wire(corpus, 4)
    summary = index(kind, location, [corpus])
    assert summary.near_duplicates == 3
    reader = open_r(fresh)
    copies = reader.copies("outlet01")
    assert [c.id for c in copies] == ["outlet02", "outlet03", "outlet04"]
    assert {c.group for c in copies} == {"outlet01"}
    assert (copies[0].title, copies[0].source, copies[0].date) == (
        "Flood barrier closes (2)",
        "Outlet 2",
        "2024-06-02",
    )
    assert "barrier" in copies[0].text
    assert [c.id for c in reader.copies("outlet03")] == ["outlet01", "outlet02", "outlet04"]
    assert reader.copies("quota") == [] and reader.copies("no-such-article") == []
    # search shows one hit per group, its copies counted; paging walks the folded list
    res = search(reader, "barrier")
    assert {h.article_id for h in res.hits} == {"outlet01", "quota"}
    first = next(h for h in res.hits if h.article_id == "outlet01")
    assert (first.copies, first.group) == (3, "outlet01")
    assert next(h for h in res.hits if h.article_id == "quota").copies == 0
    one = search(reader, "barrier", limit=1)
    two = search(reader, "barrier", limit=1, offset=1)
    assert [h.passage_id for h in one.hits + two.hits] == [h.passage_id for h in res.hits[:2]]
    with kind.writer(location) as w:
        known = w.known()
    assert known["outlet02"].group == "outlet01" and known["outlet02"].sig
    again = index(kind, location, [corpus])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)


# -- refresh ---------------------------------------------------------------------------------------


def _refresh_case(fresh: Any, use_before_write: bool) -> None:
    kind, location, corpus, _ = fresh
    # cyber has entities and facts: every part of the index holds something
    index(kind, location, [write_corpus(corpus, only=["cyber"])])
    reader = open_r(fresh)
    generation = reader.generation
    if use_before_write:
        assert reader.stats().articles == 1 and ids(reader, "rates") == []
        assert reader.refresh() is False and reader.generation == generation
    write_corpus(corpus, only=["cyber", "markets"])
    index(kind, location, [corpus])
    assert reader.stats().articles == 1  # not seen yet
    assert ids(reader, "rates") == [] and reader.article("markets") is None
    assert reader.refresh() is True
    assert reader.generation > generation
    assert reader.stats().articles == 2
    assert set(ids(reader, "rates")) == {"markets#1", "markets#2"}
    assert reader.article("markets") is not None
    reuters = reader.resolve_entity("Reuters")
    assert reuters is not None and set(reuters.articles) == {"cyber", "markets"}
    later = reader.generation
    assert reader.refresh() is False and reader.generation == later


def test_refresh_picks_up_another_write(fresh: Any) -> None:
    _refresh_case(fresh, use_before_write=True)


def test_a_reader_opened_before_a_write_sees_it_only_after_refresh(
    fresh: Any, request: pytest.FixtureRequest
) -> None:
    if isinstance(fresh[0], WhooshEngine):
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="whoosh: a reader's snapshot is taken at its first use, not when it is "
                "opened: a reader not used before another write sees that write at once, and "
                "refresh() then returns False without bumping generation",
            )
        )
    _refresh_case(fresh, use_before_write=False)


def _refresh_idle(fresh: Any, only: list[str]) -> None:
    kind, location, corpus, _ = fresh
    index(kind, location, [write_corpus(corpus, only=only)])
    reader = open_r(fresh)
    assert reader.stats().articles == len(only)
    generation = reader.generation
    assert reader.refresh() is False and reader.generation == generation
    index(kind, location, [corpus])  # unchanged inputs: nothing written
    assert reader.refresh() is False and reader.generation == generation


def test_refresh_with_nothing_new_is_false(fresh: Any) -> None:
    _refresh_idle(fresh, only=["cyber"])


def test_refresh_with_nothing_new_is_false_when_a_part_is_empty(fresh: Any) -> None:
    _refresh_idle(fresh, only=["launch"])


# -- corrections by the user (index/corrections.py) ------------------------------------------------


def _corrected(fresh: Any) -> Reader:
    kind, location, corpus, _ = fresh
    index(kind, location, [write_corpus(corpus)])
    return open_r(fresh)


def _facets(reader: Reader, text: str = "") -> dict[str, dict[str, int]]:
    res = reader.search(SearchRequest(text, limit=50))
    assert res.error is None, res.error
    return {t: {r.name: r.count for r in rows} for t, rows in res.facets.items() if rows}


def test_corrections_merge_joins_two_entities_everywhere(fresh: Any) -> None:
    reader = _corrected(fresh)
    assert reader.corrections().entries == ()
    c = reader.correct("merge", "Lazarus Group", "reuters")
    assert (c.n, c.op, c.target, c.value) == (1, "merge", "org:lazarus-group", "org:reuters")
    assert [x.n for x in reader.corrections().entries] == [1]
    orgs = reader.entities(type="ORG")
    assert [(e.id, e.name, e.mentions, set(e.aliases), set(e.articles)) for e in orgs] == [
        ("org:reuters", "Reuters", 3, {"Reuters", "Lazarus Group"}, {"cyber", "markets"})
    ]
    for name in ("Lazarus Group", "reuters"):  # a merged name finds the entity it went into
        found = reader.resolve_entity(name)
        assert found is not None and found.id == "org:reuters" and found.mentions == 3
    # facets: one row, the passages of both (cyber#1, cyber#2, markets#1)
    assert _facets(reader)["ORG"] == {"Reuters": 3}
    # a filter by the survivor matches the merged one's passages too
    res = reader.search(SearchRequest("", entities=("Reuters",), limit=50, facets=False))
    assert {h.passage_id for h in res.hits} == {"cyber#1", "cyber#2", "markets#1"}
    # a passage naming both is counted once: Japan cyber#1 summit#1 harvest#1, NK cyber#2 summit#1
    reader.correct("merge", "Japan", "North Korea")
    assert _facets(reader)["PLACE"] == {"North Korea": 4}
    nk = reader.resolve_entity("japan")
    assert nk is not None and (nk.name, nk.mentions) == ("North Korea", 5)
    in_cyber = reader.entities(article="cyber", type="ORG")
    assert [e.id for e in in_cyber] == ["org:reuters"]
    view = reader.article_view("cyber")
    assert view is not None
    assert {m.entity_id for m in view.mentions if m.type == "ORG"} == {"org:reuters"}


def test_corrections_hide_type_and_flag(fresh: Any) -> None:
    reader = _corrected(fresh)
    hide = reader.correct("hide", "Japan")
    assert reader.resolve_entity("Japan") is None
    assert "Japan" not in {e.name for e in reader.entities()}
    assert "Japan" not in _facets(reader).get("PLACE", {})
    retype = reader.correct("type", "North Korea", "orgs")  # a tab's name works
    assert retype.value == "ORG"
    assert "North Korea" in {e.name for e in reader.entities(type="ORG")}
    assert "North Korea" not in {e.name for e in reader.entities(type="PLACE")}
    assert _facets(reader)["ORG"]["North Korea"] == 2
    nk = reader.resolve_entity("north korea")
    assert nk is not None and nk.type == "ORG"
    flag = reader.correct("flag", "summit:f1")
    assert [f.id for f in reader.facts()] == ["cyber:f1"]
    assert [f.id for f in reader.facts(entity="Anne Neuberger")] == ["cyber:f1"]
    assert [f.id for f in reader.facts("delegations")] == []
    view = reader.article_view("summit")
    assert view is not None and view.facts == ()
    # undo, one at a time, by number
    assert reader.uncorrect(flag.n) == flag
    assert {f.id for f in reader.facts()} == {"cyber:f1", "summit:f1"}
    reader.uncorrect(hide.n)
    assert reader.resolve_entity("Japan") is not None
    assert [c.n for c in reader.corrections().entries] == [retype.n]
    with pytest.raises(NewsdeskError):
        reader.uncorrect(hide.n)


def test_corrections_split_an_alias_off(fresh: Any) -> None:
    reader = _corrected(fresh)
    reader.correct("merge", "Lazarus Group", "Reuters")
    c = reader.correct("split", "Reuters", "lazarus group")
    assert c.value == "Lazarus Group"
    orgs = {e.name: e for e in reader.entities(type="ORG")}
    assert set(orgs) == {"Reuters", "Lazarus Group"}
    assert orgs["Reuters"].aliases == ("Reuters",) and orgs["Reuters"].mentions == 2
    split = orgs["Lazarus Group"]
    assert (split.mentions, split.articles) == (1, ("cyber",))
    found = reader.resolve_entity("Lazarus Group")
    assert found is not None and found.id == split.id


def test_a_split_alias_is_an_entity_of_its_own_in_filters_counts_and_queries(
    fresh: Any,
) -> None:
    reader = _corrected(fresh)
    reader.correct("merge", "Lazarus Group", "Reuters")
    assert set(ids(reader, "", entities=("Reuters",))) == {"cyber#1", "cyber#2", "markets#1"}
    reader.correct("split", "Reuters", "lazarus group")
    # the alias filters by its own passages, its entity by the others
    assert ids(reader, "", entities=("Lazarus Group",)) == ["cyber#1"]
    assert set(ids(reader, "", entities=("Reuters",))) == {"cyber#2", "markets#1"}
    assert ids(reader, "stolen", entities=("lazarus group",)) == ["cyber#1"]
    # counted as its own row, and not under the entity it was split off
    assert _facets(reader)["ORG"] == {"Reuters": 2, "Lazarus Group": 1}
    assert _facets(reader, "stolen")["ORG"] == {"Lazarus Group": 1, "Reuters": 1}
    assert "ORG" not in _facets(reader, "hiroshima")
    # field queries: the alias's passages only; its entity's without them
    assert ids(reader, 'org:"lazarus group"') == ["cyber#1"]
    assert set(ids(reader, "org:reuters")) == {"cyber#2", "markets#1"}
    assert set(ids(reader, 'entity:"Reuters"')) == {"cyber#2", "markets#1"}
    # facts: the passage's facts go with the entities written in it
    assert [f.id for f in reader.facts(entity="Lazarus Group")] == []
    # the article view marks its mention as the split entity's
    view = reader.article_view("cyber")
    assert view is not None
    split = reader.resolve_entity("Lazarus Group")
    assert split is not None
    assert {m.entity_id for m in view.mentions if m.type == "ORG"} == {"org:reuters", split.id}
    # undone: one entity again
    reader.uncorrect(2)
    assert set(ids(reader, "", entities=("Reuters",))) == {"cyber#1", "cyber#2", "markets#1"}
    assert _facets(reader)["ORG"] == {"Reuters": 3}


def test_field_queries_follow_the_corrections(fresh: Any) -> None:
    reader = _corrected(fresh)
    # a type changed: the new type's field finds it, the old one's no longer
    reader.correct("type", "Anne Neuberger", "ORG")
    assert set(ids(reader, 'org:"anne neuberger"')) == {"cyber#1", "summit#2"}
    assert ids(reader, 'person:"anne neuberger"') == []
    assert set(ids(reader, 'entity:"anne neuberger"')) == {"cyber#1", "summit#2"}
    assert [f.id for f in reader.facts('org:"anne neuberger"')] != []
    assert reader.facts('person:"anne neuberger"') == []
    # merged: either name finds the passages of both
    reader.correct("merge", "Japan", "North Korea")
    both = {"cyber#1", "cyber#2", "summit#1", "harvest#1"}
    assert set(ids(reader, "place:japan")) == both
    assert set(ids(reader, 'place:"north korea"')) == both
    assert set(ids(reader, "place:japan rice")) == {"harvest#1"}
    assert ids(reader, "org:japan") == []
    # hidden: no entity, so no field finds it (its words still do)
    reader.correct("hide", "North Korea")
    assert ids(reader, "place:japan") == ids(reader, 'place:"north korea"') == []
    assert ids(reader, 'entity:"north korea"') == []
    assert set(ids(reader, '"north korea"')) == {"cyber#2", "summit#1"}
    # an entity no correction touches is found as before
    assert ids(reader, 'org:"lazarus group"') == ["cyber#1"]


def test_corrections_refuse_what_cannot_be(fresh: Any) -> None:
    reader = _corrected(fresh)
    for op, target, value in (
        ("merge", "Atlantis", "Japan"),
        ("merge", "Japan", "japan"),
        ("hide", "Nobody", ""),
        ("type", "Japan", "CITY"),
        ("type", "Japan", "place"),
        ("split", "Japan", "Nippon"),
        ("flag", "cyber:f9", ""),
        ("rename", "Japan", ""),
    ):
        with pytest.raises(NewsdeskError):
            reader.correct(op, target, value)
    assert reader.corrections().entries == ()


def test_corrections_survive_indexing_again_and_reach_other_readers(fresh: Any) -> None:
    kind, location, corpus, _ = fresh
    reader = _corrected(fresh)
    other = open_r(fresh)
    assert other.resolve_entity("Japan") is not None
    reader.correct("hide", "Japan")
    assert other.refresh() is True  # another reader notices a correction
    assert other.resolve_entity("Japan") is None
    (corpus / "extra.txt").write_text(
        "date 2023-09-01\ntitle: Japan again\nsource: Desk\nlicense: CC0\n\n"
        "Japan and Reuters appear once more in this paragraph, which is long enough to index.\n",
        encoding="utf-8",
    )
    index(kind, location, [corpus])
    again = open_r(fresh)
    assert again.stats().articles == 6
    assert again.resolve_entity("Japan") is None
    assert "Japan" not in {e.name for e in again.entities()}
    assert [c.op for c in again.corrections().entries] == ["hide"]


def test_corrections_need_no_index_lock(fresh: Any) -> None:
    kind, location, _, _ = fresh
    reader = _corrected(fresh)
    with kind.writer(location, lock_wait_s=0.1):  # as a `newsdesk index` run holds the index
        made = reader.correct("hide", "Japan")
        assert reader.resolve_entity("Japan") is None
    assert [c.n for c in reader.corrections().entries] == [made.n]


def test_the_date_facet_counts_passages_by_month(reader: Reader) -> None:
    want: Counter[str] = Counter()
    for date, _, _, _, paragraphs in ARTICLES.values():
        want[date[:7]] += len(paragraphs)
    every = reader.search(SearchRequest("", limit=1))
    assert every.error is None
    assert every.months == dict(sorted(want.items())) and list(every.months) == sorted(want)
    some = reader.search(SearchRequest("exchanges", limit=1))
    assert some.months == {"2023-03": 2} and some.total == 2
    assert reader.search(SearchRequest("exchanges", limit=1, facets=False)).months == {}
