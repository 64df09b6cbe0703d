"""The formats news comes in (web pages, RSS/Atom, WARC, PDF, email), their provenance, bad input
of each kind, and near-duplicates grouped at index time and folded in search.

The binary fixtures (WARC, PDF) are made by tests/fixtures/formats/make_binary.py.
"""

from __future__ import annotations

import gzip
import io
import json
import mailbox
import tracemalloc
from pathlib import Path

import pytest

from newsdesk.index.build import build
from newsdesk.index.engines import open_reader
from newsdesk.index.ingest.dedupe import Deduper
from newsdesk.index.ingest.sources import Problem, read_paths
from newsdesk.index.model import Article
from newsdesk.index.seam import SearchRequest
from newsdesk.index.store.docs import passage_docs
from newsdesk.index.store.folder import create_or_open

FX = Path(__file__).parent / "fixtures" / "formats"


def read(*paths: str | Path) -> tuple[list[Article], list[Problem]]:
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in read_paths(list(paths)):
        if isinstance(item, Article):
            articles.append(item)
        else:
            problems.append(item)
    return articles, problems


def messages(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


# --- web pages ------------------------------------------------------------------------------------


def test_html_page_main_text_and_metadata() -> None:
    (a,), problems = read(FX / "port-strike.html")
    assert problems == []
    assert a.id == "port-strike"
    assert a.title == "Dock workers strike at Port of Halden"
    assert a.author == "Maria Lindqvist"
    assert a.date == "2024-03-12"
    assert a.publisher == a.source == "Example News"
    assert a.url == "https://www.example-news.com/world/2024/03/port-strike"
    assert a.text.startswith("Dock workers at the Port of Halden walked off the job")
    assert "\n\n" in a.text  # paragraphs kept apart, so passages follow them
    for boilerplate in ("cookies", "Privacy", "All rights reserved", "Home"):
        assert boilerplate not in a.text


def test_html_without_main_text_is_named() -> None:
    articles, problems = read(FX / "nav-only.html")
    assert articles == []
    assert "nav-only.html: no main text" in messages(problems)


# --- feeds ----------------------------------------------------------------------------------------


def test_rss_one_article_per_entry_full_text() -> None:
    articles, problems = read(FX / "rates.rss")
    assert [a.locator for a in articles] == ["entry 1", "entry 2"]
    rates, ferry = articles
    assert rates.title == "Central bank raises rates by half a point"
    # content:encoded (the full text), not the one-line description
    assert "Governor Ana Ruiz" in rates.text and rates.text.count("\n\n") == 2
    assert rates.date == "2024-05-09"
    assert rates.author == "Tomas Berg"
    assert rates.publisher == "Harbour Gazette — Business"
    assert rates.url == "https://harbourgazette.example/business/2024/05/rates-up"
    assert ferry.text.startswith("Vestvik Shipyard has won")  # an HTML description, as text
    assert "<p>" not in ferry.text
    assert rates.id != ferry.id and rates.id.startswith("rates~")
    (p,) = problems
    assert "rates.rss" in str(p) and "entry 3 has no text" in p.message and p.skipped


def test_feed_ids_stay_when_the_feed_gains_entries(tmp_path: Path) -> None:
    before, _ = read(FX / "rates.rss")
    text = (FX / "rates.rss").read_text(encoding="utf-8")
    newer = text.replace(
        "<item>",
        "<item><title>New</title><guid>hg-new</guid><description>A brand new entry about "
        "the harbour authority and its plans for next year.</description></item>\n<item>",
        1,
    )
    (tmp_path / "rates.rss").write_text(newer, encoding="utf-8")
    after, _ = read(tmp_path / "rates.rss")
    assert {a.id for a in before} < {a.id for a in after}


def test_atom_entry() -> None:
    (a,), problems = read(FX / "wire.atom")
    assert problems == []
    assert a.title == "Flood barrier closes for the first time in a decade"
    assert a.date == "2024-06-02" and a.author == "Ingrid Solheim"
    assert a.publisher == "Northwire Newswire" and a.license == "© 2024 Northwire"
    assert a.url == "https://northwire.example/2024/06/02/flood-barrier"
    assert '"The barrier did exactly what it was built to do," said' in a.text


@pytest.mark.parametrize("name", ["broken.rss", "notafeed.xml"])
def test_malformed_feed_is_named(name: str) -> None:
    articles, problems = read(FX / name)
    assert articles == []
    (p,) = problems
    assert p.path.endswith(name) and "malformed feed" in p.message and p.skipped


# --- WARC -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl-plain.warc"])
def test_warc_html_responses_with_url_and_capture_date(name: str) -> None:
    articles, problems = read(FX / name)
    assert [a.title for a in articles] == [
        "Ferry fares to rise by 12 percent",
        "Lighthouse keeper's cottage restored",
    ]
    fares, lighthouse = articles
    assert fares.url == "https://coastline.example/news/2024/04/ferry-fares"
    assert fares.captured == "2024-04-03T10:15:00Z" and fares.date == "2024-04-02"
    assert fares.locator == "record 2" and fares.publisher == "Coastline Times"
    assert fares.author == "Lena Fjeld"
    assert lighthouse.date == "2024-03-28" and lighthouse.locator == "record 5"
    # the stylesheet and the redirect are passed over; the menu page is named
    (p,) = problems
    assert "record 6 (https://coastline.example/menu): no main text" in p.message


def test_truncated_warc_keeps_the_records_before() -> None:
    articles, problems = read(FX / "truncated.warc.gz")
    assert [a.title for a in articles] == ["Ferry fares to rise by 12 percent"]
    (p,) = problems
    assert p.path.endswith("truncated.warc.gz")
    assert "truncated WARC: record 5" in p.message and not p.skipped


def test_not_a_warc(tmp_path: Path) -> None:
    bad = tmp_path / "junk.warc.gz"
    bad.write_bytes(gzip.compress(b"this is not a web archive\n" * 20))
    articles, problems = read(bad)
    assert articles == []
    assert "junk.warc.gz" in messages(problems) and problems[0].skipped


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_pages_kept_for_citations() -> None:
    (a,), problems = read(FX / "shipping-report.pdf")
    assert problems == []
    assert a.title == "Annual Report on Coastal Shipping 2023"
    assert a.author == "Coastal Shipping Council" and a.date == "2024-02-15"
    assert len(a.pages) == 3 and a.pages[0] == 0
    safety = a.text.index("Safety.")
    outlook = a.text.index("Outlook.")
    assert a.page_at(0) == 1 and a.page_at(safety) == 2 and a.page_at(outlook) == 3
    assert a.text[a.pages[1] :].startswith("Safety.")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("locked.pdf", "encrypted PDF: it needs a password"),
        ("scanned-filing.pdf", "image-only"),
        ("damaged.pdf", "not a readable PDF"),
    ],
)
def test_bad_pdf_is_named(name: str, words: str) -> None:
    articles, problems = read(FX / name)
    assert articles == []
    (p,) = problems
    assert p.path.endswith(name) and words in p.message and p.skipped


# --- email ----------------------------------------------------------------------------------------


def test_eml_sender_and_date() -> None:
    (a,), problems = read(FX / "press-release.eml")
    assert problems == []
    assert a.id == "press-release"
    assert a.title == "Statement on the strike at the container terminal"
    assert a.date == "2024-03-12"
    assert a.author == "Port of Halden Press Office <press@halden-port.example>"
    assert a.publisher == a.source == "Port of Halden Press Office"
    assert "redirected to Oslo and Gothenburg" in a.text  # quoted-printable decoded


def test_mbox_one_article_per_message() -> None:
    articles, problems = read(FX / "inbox.mbox")
    assert [a.locator for a in articles] == ["message 1", "message 2"]
    alert, quota = articles
    assert alert.title == "ALERT: Lindholm flood barrier closes" and alert.date == "2024-06-02"
    assert quota.publisher == "Ministry of Fisheries"
    assert "21,000 tonnes" in quota.text and "<p>" not in quota.text  # the HTML part, as text
    (p,) = problems
    assert "inbox.mbox" in str(p) and "message 3 has no text" in p.message


def test_mbox_split_inside_an_attachment_drops_the_base64(tmp_path: Path) -> None:
    """A mailbox that did not escape a body line starting "From " splits a message there: the
    rest of its attachment is not indexed as words, and the message is named."""
    import base64

    blob = base64.encodebytes(bytes(range(256)) * 40).decode("ascii")
    head = "From: Desk <desk@example.org>\nDate: Mon, 3 Jun 2024 09:00:00 +0000\n"
    box = (
        "From desk@example.org Mon Jun  3 09:00:00 2024\n" + head + "Subject: Harbour scans\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        "The harbour master sent the scans of the damaged gate this morning.\n--b\n"
        "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
        + blob[:400]
        + "\nFrom the archive, page two follows\n"
        + blob[400:]
        + "--b--\n\n"
        "From desk@example.org Mon Jun  3 10:00:00 2024\n" + head + "Subject: Gate repaired\n"
        "Content-Type: text/plain\n\nCrews repaired the flood gate before the evening tide.\n"
    )
    (tmp_path / "split.mbox").write_text(box, encoding="ascii")
    articles, problems = read(tmp_path / "split.mbox")
    assert [a.title for a in articles] == ["Harbour scans", "Gate repaired"]
    assert all(len(a.text) < 200 for a in articles)
    (p,) = problems
    assert "message 2 is only" in p.message and "base64" in p.message and p.skipped


# --- a folder mixing everything -----------------------------------------------------------------


def test_folder_of_every_format_reads_the_good_and_names_the_bad() -> None:
    articles, problems = read(FX)
    read_from = {Path(a.path).name for a in articles}
    assert read_from >= {
        "port-strike.html",
        "rates.rss",
        "wire.atom",
        "crawl.warc.gz",
        "shipping-report.pdf",
        "press-release.eml",
        "inbox.mbox",
    }
    named = {Path(p.path).name for p in problems}
    for bad in ("broken.rss", "locked.pdf", "scanned-filing.pdf", "truncated.warc.gz"):
        assert bad in named


def test_index_and_search_every_format(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    summary = build(ix, [FX], extract=False)
    assert summary.added >= 11
    reader = open_reader(ix)
    try:
        for query, source in [
            ("container traffic", "port-strike"),
            ("Ruiz", "rates~"),
            ("Hagen", "wire~"),
            ("Skarvholmen", "crawl"),
            ("pilotage", "shipping-report"),
            ('"available for talks"', "press-release"),
            ("coastal cod quota", "inbox~"),
        ]:
            res = reader.search(SearchRequest(query))
            assert res.error is None
            assert any(h.article_id.startswith(source) for h in res.hits), (query, res.hits)
        (hit,) = reader.search(SearchRequest("pilotage")).hits
        assert hit.page == 2
        js = hit.as_json()
        assert js["page"] == 2 and "copies" not in js  # only when it has copies
        (hit,) = reader.search(SearchRequest("Skarvholmen")).hits
        assert hit.url == "https://coastline.example/news/2024/04/lighthouse"
        assert hit.captured == "2024-04-03T10:16:00Z" and hit.locator == "record 5"
        article = reader.article(hit.article_id)
        assert article is not None and article.captured == hit.captured
        # the same page in the gzipped and the plain archive: one hit, its copy one call away
        assert hit.copies == 1
        (copy,) = reader.copies(hit.article_id)
        assert copy.url == hit.url and copy.path != article.path
    finally:
        reader.close()
    again = build(ix, [FX], extract=False)
    assert again.added == again.updated == 0 and again.unchanged == summary.added


# --- duplicates -----------------------------------------------------------------------------------

STORY = [
    "The storm-surge barrier at Lindholm closed on Sunday for the first time since 2014, as "
    "forecasters warned of water levels 2.1 metres above normal along the southern coast.",
    '"The barrier did exactly what it was built to do," said coastal agency director Pal '
    "Hagen, adding that crews would stay on site through the night.",
    "Residents of low-lying streets in Lindholm and Skarv were told to move their cars, and the "
    "evening ferry to Skarv was cancelled. Schools will open as usual on Monday.",
    "The barrier, finished in 2011 at a cost of 1.9 billion kroner, has been tested every spring "
    "but had not been needed in a real storm for a decade.",
]
SWAPS = [
    ("closed on Sunday", "shut on Sunday"),
    ("forecasters warned", "meteorologists warned"),
    ("said coastal agency director", "said the coastal agency's director"),
    ("were told to move", "were asked to move"),
    ("was cancelled", "was called off"),
    ("Schools will open as usual", "Schools will open normally"),
    ("at a cost of", "for"),
    ("has been tested every spring", "is tested each spring"),
]


def rewrites(n: int) -> list[str]:
    """n outlets' versions of one wire story: each changes a few words (different ones)."""
    out = []
    for i in range(n):
        text = "\n\n".join(STORY)
        for j, (a, b) in enumerate(SWAPS):
            if (i >> (j % 4)) & 1 and j % 2 == i % 2:
                text = text.replace(a, b)
        out.append(f"{text}\n\nReporting by outlet {i + 1}.")
    return out


def write_wire(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(rewrites(n)):
        head = f"date 2024-06-02\ntitle: Flood barrier closes ({i + 1})\nsource: Outlet {i + 1}\n\n"
        (folder / f"outlet{i + 1:02d}.txt").write_text(head + text, encoding="utf-8")
    other = (
        "date 2024-06-03\ntitle: Quota cut\n\nThe ministry set next year's coastal cod quota at "
        "21,000 tonnes, a cut of 8 percent, after advice from marine researchers. The barrier "
        "debate in Lindholm was not mentioned at the meeting in the capital on Monday."
    )
    (folder / "quota.txt").write_text(other, encoding="utf-8")


def test_deduper_groups_rewrites_not_other_stories() -> None:
    d = Deduper()
    texts = rewrites(20)
    placed = [d.place(f"o{i}", t) for i, t in enumerate(texts)]
    assert {p.group for p in placed} == {"o0"}
    assert not any(p.exact for p in placed)
    assert d.place("other", STORY[0][:90] + " Markets closed higher on Friday.").group == "other"
    assert d.place("same", texts[3] + "\n").exact  # whitespace aside, the same text


def test_deduper_remembers_indexed_signatures() -> None:
    from newsdesk.index.ingest.dedupe import signature

    text = rewrites(1)[0]
    d = Deduper({"first": ("first", signature(text))})
    assert d.place("later", rewrites(2)[1]).group == "first"
    assert d.place("first", text).group == "first"  # never its own copy


def test_twenty_rewrites_are_one_hit_with_copies(tmp_path: Path, fake_nlp: None) -> None:
    corpus = tmp_path / "wire"
    write_wire(corpus, 20)
    (corpus / "zz-exact.txt").write_text(
        (corpus / "outlet05.txt").read_text(encoding="utf-8").replace("(5)", "(copy)"),
        encoding="utf-8",
    )
    ix = tmp_path / "ix"
    summary = build(ix, [corpus])
    assert summary.duplicates == 1 and summary.near_duplicates == 19
    (exact,) = [p for p in summary.problems if "same text" in p.message]
    assert exact.path.endswith("zz-exact.txt") and "'outlet05'" in exact.message
    reader = open_reader(ix)
    try:
        res = reader.search(SearchRequest("barrier"))
        arts = {h.article_id for h in res.hits}
        assert arts == {"outlet01", "quota"}, arts
        first = next(h for h in res.hits if h.article_id == "outlet01")
        assert first.copies == 20 and first.as_json()["copies"] == 20
        copies = reader.copies("outlet01")
        assert len(copies) == 20 and {c.group for c in copies} == {"outlet01"}
        # paging walks the folded list
        one = reader.search(SearchRequest("barrier", limit=1))
        two = reader.search(SearchRequest("barrier", limit=1, offset=1))
        assert [h.passage_id for h in one.hits + two.hits] == [h.passage_id for h in res.hits[:2]]
    finally:
        reader.close()
    # an unchanged rerun keeps every group
    again = build(ix, [corpus])
    assert again.added == again.updated == 0


def test_facets_count_a_group_once(tmp_path: Path, fake_nlp: None) -> None:
    corpus = tmp_path / "wire"
    corpus.mkdir()
    text = "\n\n".join(STORY) + "\n\nJapan and North Korea were not affected, Reuters said."
    for i in range(5):
        (corpus / f"copy{i}.txt").write_text(f"title: Copy {i}\n\n{text}", encoding="utf-8")
    build(tmp_path / "ix", [corpus])
    reader = open_reader(tmp_path / "ix")
    try:
        res = reader.search(SearchRequest("Japan"))
        assert len(res.hits) == 1 and res.hits[0].copies == 4
        counts = {row.name: row.count for rows in res.facets.values() for row in rows}
        assert counts.get("Japan") == 1
    finally:
        reader.close()


def test_copies_passages_carry_no_entity_counts() -> None:
    from newsdesk.index.model import Passage

    a = Article("b", "t", None, "", "", "f", "Japan text here", group="a")
    docs = list(passage_docs(a, [Passage("b#1", "b", 1, a.text, 0, len(a.text))], "h", None))
    assert docs[0]["group"] == "a" and docs[0]["dup"] == "1"


# --- an index from before provenance and groups ----------------------------------------------------


def test_old_index_gains_the_new_fields(tmp_path: Path) -> None:
    from whoosh import index

    from newsdesk.index.store import folder, schema

    ix = tmp_path / "old"
    ix.mkdir()
    folder.write_stamp(ix, created="then")
    new = ("group", "dup", "prov", "url", "publisher", "author", "captured", "locator", "pages")
    for name, make in schema.SCHEMAS.items():
        sc = make()
        for field in (*new, "minhash"):
            if field in sc:
                sc.remove(field)
        index.create_in(str(ix), sc, indexname=name)
    opened = create_or_open(ix)
    assert "group" in opened["passages"].schema and "url" in opened["articles"].schema
    build(ix, [FX / "wire.atom"], extract=False)
    reader = open_reader(ix)
    try:
        (hit,) = reader.search(SearchRequest("Hagen")).hits
        assert hit.url.startswith("https://northwire.example/")
    finally:
        reader.close()


# --- bounded memory -------------------------------------------------------------------------------


def test_big_mbox_streams_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    body = ("The harbour board met again to discuss the dredging contract. " * 60 + "\n") * 4
    box = mailbox.mbox(str(path))
    for i in range(1500):
        box.add(
            f"From: desk{i}@example.org\nSubject: Note {i}\nDate: Mon, 03 Jun 2024 08:00:00 +0000\n"
            f"Message-ID: <n{i}@example.org>\n\n{body}"
        )
    box.close()
    size = path.stat().st_size
    assert size > 20_000_000
    tracemalloc.start()
    try:
        n = sum(1 for item in read_paths([path]) if isinstance(item, Article))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 1500
    assert peak < size / 4, (peak, size)


def test_big_warc_streams_in_bounded_memory(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "big.warc.gz"
    blob = b"x" * 1_000_000
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        for i in range(25):
            http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            rec = w.create_warc_record(
                f"https://example.org/img{i}.png",
                "response",
                payload=io.BytesIO(blob),
                http_headers=http,
            )
            w.write_record(rec)
        page = (FX / "port-strike.html").read_bytes()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(
                "https://example.org/strike",
                "response",
                payload=io.BytesIO(page),
                http_headers=http,
            )
        )
    tracemalloc.start()
    try:
        articles, problems = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.title for a in articles] == ["Dock workers strike at Port of Halden"], problems
    assert peak < 8_000_000, peak  # 25 MB of payload, never more than a record or so at once


def test_search_json_has_provenance(tmp_path: Path) -> None:
    from newsdesk.tui.cli import main

    ix = tmp_path / "ix"
    build(ix, [FX / "shipping-report.pdf"], extract=False)
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        rc = main(["search", "pilotage", "--index", str(ix), "--json"])
    assert rc in (0, None)
    (hit,) = json.loads(out.getvalue())
    assert hit["page"] == 2 and "copies" not in hit and "url" not in hit  # present when known


# --- the app's side -------------------------------------------------------------------------------


def test_citation_names_page_url_and_capture() -> None:
    from newsdesk.tui.citation import passage_citation

    (pdf,), _ = read(FX / "shipping-report.pdf")
    start = pdf.text.index("Safety.")
    cited = passage_citation(pdf.text[start : start + 40], "shipping-report#2", pdf)
    assert "p. 2" in cited and "[shipping-report#2]" in cited
    (page, _), _ = read(FX / "crawl.warc.gz")
    cited = passage_citation(page.text[:50], f"{page.id}#1", page)
    assert page.url in cited and "captured 2024-04-03" in cited


def test_results_row_shows_copies() -> None:
    from newsdesk.index.seam import Hit
    from newsdesk.tui.widgets.results import hit_prompt

    hit = Hit(1, "a", "a#1", "Barrier closes", "2024-06-02", 1.0, "t", (), "t", (), 1, 0, 1, 19)
    assert "+19 copies" in hit_prompt(hit, 80).plain
    assert "+19 copies" in hit_prompt(hit, 80, compact=True).plain
    assert (
        "copies"
        not in hit_prompt(Hit(1, "a", "a#1", "B", None, 1.0, "t", (), "t", (), 1, 0, 1)).plain
    )
