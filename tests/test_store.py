"""The Whoosh store and the incremental build: idempotent, replacing, keeping, locking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.index.build import build
from newsdesk.index.engines import open_reader
from newsdesk.index.errors import IndexBusy, IndexVersionMismatch
from newsdesk.index.ingest.sources import SourceError
from newsdesk.index.seam import Reader, SearchRequest
from newsdesk.index.store import writer as store_writer
from newsdesk.index.store.folder import FORMAT_VERSION, STAMP, writer_lock

from .conftest import write_article

pytestmark = pytest.mark.store

BODY_A = (
    "The ministry confirmed the new satellite launch on Tuesday morning at the coast.\n\n"
    "Engineers said the rocket carried three small payloads into a low orbit."
)
BODY_B = (
    "Farmers in the valley reported the best harvest in a decade of hard seasons.\n\n"
    "The cooperative said prices for apples would fall this winter."
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_article(folder, "launch.txt", BODY_A, date="2024-03-05", title="Satellite launch")
    write_article(folder, "harvest.txt", BODY_B, date="2024-09-30", title="Record harvest")
    return folder


def hits(engine: Reader, q: str) -> list[str]:
    return [h.passage_id for h in engine.search(SearchRequest(q, limit=50, facets=False)).hits]


def test_build_then_search_finds_the_passage(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "ix"
    s = build(ix, [corpus], extract=False)
    assert (s.added, s.updated, s.unchanged, s.skipped) == (2, 0, 0, 0)
    engine = open_reader(ix)
    assert hits(engine, "rocket payloads") == ["launch#2"]
    assert engine.stats().articles == 2
    assert json.loads((ix / STAMP).read_text())["format"] == FORMAT_VERSION


def test_reindexing_the_same_inputs_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "ix"
    build(ix, [corpus], extract=False)
    before = open_reader(ix).search(SearchRequest("the", limit=100, facets=False)).total
    again = build(ix, [corpus], extract=False)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    engine = open_reader(ix)
    assert engine.search(SearchRequest("the", limit=100, facets=False)).total == before
    assert engine.stats().passages == 4


def test_a_changed_article_replaces_its_passages(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "ix"
    build(ix, [corpus], extract=False)
    write_article(
        corpus,
        "launch.txt",
        "The launch was postponed because of high winds.",
        date="2024-03-05",
        title="Satellite launch",
    )
    s = build(ix, [corpus], extract=False)
    assert (s.added, s.updated, s.unchanged) == (0, 1, 1)
    engine = open_reader(ix)
    assert hits(engine, "payloads") == []
    assert hits(engine, "postponed winds") == ["launch#1"]
    assert engine.stats().passages == 3


def test_a_deleted_file_is_kept_unless_pruned(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "ix"
    build(ix, [corpus], extract=False)
    (corpus / "harvest.txt").unlink()
    kept = build(ix, [corpus], extract=False)
    assert kept.missing == 1 and kept.missing_ids == ["harvest"] and kept.pruned == 0
    assert hits(open_reader(ix), "apples") == ["harvest#2"]
    pruned = build(ix, [corpus], extract=False, prune=True)
    assert pruned.pruned == 1
    assert hits(open_reader(ix), "apples") == []
    assert open_reader(ix).stats().articles == 1


def test_the_same_id_from_two_files_keeps_both(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "ix"
    other = tmp_path / "other"
    write_article(other, "launch.txt", "A different launch: a new bakery opened downtown.")
    build(ix, [corpus], extract=False)
    s = build(ix, [other], extract=False)
    assert s.renamed == 1 and s.added == 1
    assert any("already used" in str(p) for p in s.problems)
    engine = open_reader(ix)
    assert hits(engine, "payloads") == ["launch#2"]
    (bakery,) = hits(engine, "bakery")
    assert bakery.startswith("launch~")
    again = build(ix, [other], extract=False)  # the rule gives the same id every time
    assert again.unchanged == 1 and again.added == 0


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        build(tmp_path / "ix", [tmp_path / "nope"], extract=False)


def test_a_second_writer_gets_a_clear_busy_error(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "ix"
    build(ix, [corpus], extract=False)
    with writer_lock(ix), pytest.raises(IndexBusy, match="being written by another process"):
        build(ix, [corpus], extract=False, lock_wait_s=0.3)


def test_an_index_of_another_format_says_how_to_rebuild(tmp_path: Path, corpus: Path) -> None:
    ix = tmp_path / "ix"
    build(ix, [corpus], extract=False)
    (ix / STAMP).write_text(json.dumps({"format": FORMAT_VERSION + 1}))
    with pytest.raises(IndexVersionMismatch, match="rebuild"):
        open_reader(ix)


def test_entities_facets_and_facts_are_stored(tmp_path: Path, fake_nlp: None) -> None:
    folder = tmp_path / "c"
    write_article(
        folder,
        "a.txt",
        "Anne Neuberger met officials in Japan to discuss a long list of matters.\n\n"
        "Reuters reported that North Korea denied it again in a statement on Monday.",
        date="2023-11-06",
    )
    write_article(
        folder, "b.txt", "Japan and North Korea held talks, Reuters said.", date="2023-11-07"
    )
    ix = tmp_path / "ix"
    build(ix, [folder])
    engine = open_reader(ix)
    names = {e.name: e for e in engine.entities()}
    assert names["Japan"].mentions == 2 and names["Japan"].articles == ("a", "b")
    assert {e.name for e in engine.entities(type="PERSON")} == {"Anne Neuberger"}
    assert {e.name for e in engine.entities(article="b")} == {"Japan", "North Korea", "Reuters"}
    res = engine.search(SearchRequest('entity:"North Korea"', facets=True))
    assert {h.passage_id for h in res.hits} == {"a#2", "b#1"}
    places = {r.name: r.count for r in res.facets["PLACE"]}
    assert places == {"North Korea": 2, "Japan": 1}
    assert [h.passage_id for h in engine.search(SearchRequest('person:"anne neuberger"')).hits] == [
        "a#1"
    ]
    assert [
        h.passage_id for h in engine.search(SearchRequest("talks", entities=["Japan"])).hits
    ] == ["b#1"]
    (fact,) = engine.facts(entity="Anne Neuberger")
    assert fact.who == ("Anne Neuberger",) and fact.evidence.passage_id == "a#1"
    assert [h.passage_id for h in engine.search(SearchRequest("kind:QUOTE")).hits] == ["a#1"]
    view = engine.article_view("a")
    assert view is not None and view.article == engine.article("a")
    assert list(view.passages) == engine.passages("a")
    assert list(view.mentions) == engine.mentions("a") and len(view.mentions) == 4
    assert engine.article_view("nope") is None


def test_entity_counts_follow_replaced_and_pruned_articles(tmp_path: Path, fake_nlp: None) -> None:
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "Japan and Japan again.", date="2023-11-06")
    write_article(folder, "b.txt", "Reuters wrote about Japan.", date="2023-11-07")
    ix = tmp_path / "ix"
    build(ix, [folder])
    write_article(folder, "a.txt", "Nothing about any country now.", date="2023-11-06")
    build(ix, [folder])
    japan = open_reader(ix).resolve_entity("japan")
    assert japan is not None and japan.mentions == 1 and japan.articles == ("b",)
    (folder / "b.txt").unlink()
    build(ix, [folder], prune=True)
    assert open_reader(ix).resolve_entity("Japan") is None
    assert open_reader(ix).entities() == []


def test_facets_survive_a_segment_without_entities(tmp_path: Path, fake_nlp: None) -> None:
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "Japan announced a harbour plan for the coming decade.")
    ix = tmp_path / "ix"
    build(ix, [folder])
    write_article(folder, "b.txt", "The harbour plan was welcomed by local fishing crews.")
    build(ix, [folder])  # a new segment whose passages have no entity values
    res = open_reader(ix).search(SearchRequest("harbour"))
    assert res.error is None and res.total == 2
    assert [r.name for r in res.facets["PLACE"]] == ["Japan"]


def test_a_writer_killed_between_passages_and_article_leaves_no_duplicates(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.index.seam import ArticleRecord
    from newsdesk.index.store import writer as w
    from newsdesk.index.store.docs import passage_docs

    ix = tmp_path / "ix"
    original_write = w.WhooshWriter.write

    def write_then_die(self: w.WhooshWriter, records: list[ArticleRecord]) -> None:
        """Commit the batch's passages, then die before its articles are committed."""
        (self.path / w.DIRTY).touch()
        pw = self.ix["passages"].writer()
        for r in records:
            for doc in passage_docs(r.article, r.passages, "h", None):
                pw.add_document(**doc)
        pw.commit()
        raise KeyboardInterrupt

    monkeypatch.setattr(w.WhooshWriter, "write", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        build(ix, [corpus], extract=False)
    monkeypatch.setattr(w.WhooshWriter, "write", original_write)
    # the orphan passages are on disk but no reader shows them (their articles are not stored)
    assert open_reader(ix).stats().passages == 0 and open_reader(ix).stats().articles == 0
    assert hits(open_reader(ix), "rocket payloads") == []
    s = build(ix, [corpus], extract=False)
    assert s.added == 2
    engine = open_reader(ix)
    assert engine.stats().passages == 4
    assert hits(engine, "rocket payloads") == ["launch#2"]


def test_phrases_inside_a_field_group_keep_their_field(tmp_path: Path, fake_nlp: None) -> None:
    folder = tmp_path / "c"
    write_article(folder, "a.txt", "North Korea and Japan met to talk about fishing rights again.")
    write_article(folder, "b.txt", "Reuters wrote that the talks about fishing ended early today.")
    ix = tmp_path / "ix"
    build(ix, [folder])
    engine = open_reader(ix)
    assert hits(engine, 'place:(japan OR "north korea") fishing') == ["a#1"]
    assert hits(engine, 'org:(reuters OR "lazarus group")') == ["b#1"]


def test_updates_written_by_two_writer_processes_replace_not_duplicate(
    tmp_path: Path, fake_nlp: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bulk batches go to two Whoosh processes (procs=2); an update through them deletes the old
    passages and facts, and the index ends as a clean build of the new texts would."""

    monkeypatch.setattr(store_writer, "PARALLEL_DOCS", 1)  # every batch, even a small one
    folder = tmp_path / "c"
    for i in range(12):
        body = f"Anne Neuberger spoke in Japan, story {i}.\n\nReuters reported it the same day."
        write_article(folder, f"s{i:02}.txt", body, date="2023-11-06")
    ix = tmp_path / "ix"
    build(ix, [folder], workers=1)
    for i in range(0, 12, 2):
        body = f"Anne Neuberger spoke in Japan, story {i}.\n\nA zebrafish paragraph was added."
        write_article(folder, f"s{i:02}.txt", body, date="2023-11-06")
    summary = build(ix, [folder], workers=1)
    assert (summary.updated, summary.unchanged) == (6, 6)
    clean = tmp_path / "clean"
    build(clean, [folder], workers=1)
    got, want = open_reader(ix), open_reader(clean)
    assert got.stats() == want.stats()
    assert (
        got.search(SearchRequest("zebrafish")).total == 6
        and got.search(SearchRequest("reuters")).total == 6
    )
    for q in ("zebrafish", "reuters", "neuberger", "kind:QUOTE OR kind:REPORT OR kind:EVENT"):
        assert got.search(SearchRequest(q)).total == want.search(SearchRequest(q)).total, q
    assert sorted(f.id for f in got.facts()) == sorted(f.id for f in want.facts())
