"""The readers: every input format, and bad input that is reported without losing the batch."""

from __future__ import annotations

import json
import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from newsdesk.index.ingest import sources
from newsdesk.index.ingest.sources import Problem, SourceError, parse_date, read_file, read_paths
from newsdesk.index.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
FORMATS = FIXTURES / "formats"
REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"


def read(*paths: str | Path) -> tuple[list[Article], list[Problem]]:
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in read_paths(list(paths)):
        (articles if isinstance(item, Article) else problems).append(item)  # type: ignore[arg-type]
    return articles, problems


def one(path: str | Path) -> Article:
    articles, problems = read(path)
    assert len(articles) == 1, (articles, problems)
    return articles[0]


# --- formats -----------------------------------------------------------------------------------


def test_seed_file_parses() -> None:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    assert seeds
    article = one(seeds[0])
    assert article.date == "2023-11-06"
    assert article.text.startswith("In a coordinated effort")
    assert article.id == seeds[0].stem
    assert article.path == str(seeds[0])
    assert "date" not in article.text[:20]
    assert 0 < len(article.title) <= 120
    assert article.title.startswith("In a coordinated effort")


def test_seed_format_with_own_fixture() -> None:
    article = one(FORMATS / "seedlike.txt")
    assert article.date == "2022-08-30"
    assert article.text.startswith("Farmers in the northern valley")
    assert article.text.endswith("over the next fortnight.")
    assert article.title.endswith("…") and len(article.title) <= 120
    assert article.source == "" and article.license == ""


def test_header_format_any_order_and_case() -> None:
    article = one(FORMATS / "header.txt")
    assert article.id == "header"
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.date == "2021-04-12"
    assert article.source == "https://example.org/harbour-bridge"
    assert article.license == "CC BY 4.0"
    assert article.text.startswith("The harbour bridge reopened")
    assert article.text.endswith("Mayor Lena Ortiz said.")


def test_header_date_with_colon_and_time(tmp_path: Path) -> None:
    p = tmp_path / "timed.txt"
    p.write_text("date: 2023-11-06T10:00:00Z\ntitle: Timed\n\nBody text of the timed article.\n")
    article = one(p)
    assert (article.date, article.title, article.text) == (
        "2023-11-06",
        "Timed",
        "Body text of the timed article.",
    )


def test_header_date_with_a_space_and_time_is_not_seed_format(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("date 2023-11-06 10:00\n\nThe body.\n")
    article = one(p)
    assert article.date == "2023-11-06"
    assert article.text == "The body."


def test_plain_text() -> None:
    article = one(FORMATS / "plain.txt")
    assert article.date is None
    assert article.title == "The library will extend its opening hours during the exam period"
    assert article.text == (FORMATS / "plain.txt").read_text().rstrip()


def test_plain_text_whose_first_line_looks_like_a_date_word(tmp_path: Path) -> None:
    p = tmp_path / "d.txt"
    p.write_text("Date night is back in fashion, a survey says.\n\nMore text.\n")
    article = one(p)
    assert article.date is None
    assert article.text.startswith("Date night")


def test_no_extension_is_plain_text() -> None:
    article = one(FORMATS / "notes")
    assert article.id == "notes"
    assert article.text.startswith("A file without an extension")


def test_markdown_front_matter() -> None:
    article = one(FORMATS / "frontmatter.md")
    assert article.title == "Council approves new cycle lanes"
    assert article.date == "2020-06-01"
    assert article.source == "Town Gazette"
    assert article.license == "CC0"
    assert article.text.startswith("# A heading that is not the title")
    assert "*Funding* comes" in article.text


def test_markdown_heading_title() -> None:
    article = one(FORMATS / "heading.md")
    assert article.title == "Museum opens a new wing"
    assert article.date is None
    assert article.text.startswith("# Museum opens a new wing\n\nThe city museum")


def test_jsonl_records_and_their_problems() -> None:
    path = FORMATS / "records.jsonl"
    articles, problems = read(path)
    by_id = {a.id: a for a in articles}
    assert list(by_id) == ["r1", "2", "r3", "r1~8", "r8", "r9"]
    r1 = by_id["r1"]
    assert (r1.date, r1.title, r1.source, r1.license) == (
        "2023-11-06",
        "First record",
        "Wire",
        "CC BY",
    )
    assert r1.path == f"{path}:1"
    assert r1.text == "The first record has a date with a time.\n\nIt has two paragraphs."
    assert by_id["2"].title == "The second record has a numeric id, no title and no date"
    assert by_id["r3"].date is None and by_id["r3"].path == f"{path}:4"
    assert by_id["r8"].date is None
    assert by_id["r9"].date is None
    lines = {p.line: p for p in problems}
    assert set(lines) == {4, 5, 6, 7, 8, 9}
    assert "impossible date" in lines[4].message and not lines[4].skipped
    assert "malformed JSON" in lines[5].message and lines[5].skipped
    assert "no id" in lines[6].message and lines[6].skipped
    assert "no text" in lines[7].message and lines[7].skipped
    assert "duplicate id 'r1'" in lines[8].message and "r1~8" in lines[8].message
    assert not lines[8].skipped
    assert "unparseable date" in lines[9].message
    assert all(p.path == str(path) for p in problems)
    assert str(lines[5]).startswith(f"{path}:5: malformed JSON")


def test_json_array_streams_records_with_line_numbers() -> None:
    path = FORMATS / "array.json"
    articles, problems = read(path)
    assert [a.id for a in articles] == ["a1", "a2"]
    assert articles[0].date == "2019-05-05" and articles[0].title == "Array one"
    assert articles[0].path == f"{path}:2"
    assert articles[1].path == f"{path}:3"
    assert [(p.line, p.skipped) for p in problems] == [(7, True)]
    assert "empty text" in problems[0].message


def test_json_single_record() -> None:
    article = one(FORMATS / "single.json")
    assert (article.id, article.title, article.date, article.source) == (
        "solo",
        "A single record",
        "2018-01-31",
        "Desk",
    )
    assert article.path.endswith("single.json:1")


def test_json_file_holding_json_lines(tmp_path: Path) -> None:
    p = tmp_path / "lines.json"
    p.write_text('{"id": "x", "text": "Ex."}\n{"id": "y", "text": "Why."}\n')
    articles, problems = read(p)
    assert [a.id for a in articles] == ["x", "y"] and not problems


def test_jsonl_holding_a_json_array(tmp_path: Path) -> None:
    p = tmp_path / "array.jsonl"
    p.write_text('[{"id": "x", "text": "Ex."},\n {"id": "y", "text": "Why."}]\n')
    articles, _ = read(p)
    assert [a.id for a in articles] == ["x", "y"]


def test_malformed_json_array_keeps_earlier_records(tmp_path: Path) -> None:
    p = tmp_path / "broken.json"
    p.write_text('[\n{"id": "ok", "text": "Fine."},\n{"id": "bad", "text": oops},\n{"id": "z"}]')
    articles, problems = read(p)
    assert [a.id for a in articles] == ["ok"]
    assert len(problems) == 1 and problems[0].line == 3 and "malformed JSON" in problems[0].message


def test_text_normalisation(tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"\xef\xbb\xbf\r\n\r\nFirst line.\r\nSecond line.\rThird line.  \r\n\r\n\t \n")
    article = one(p)
    assert article.text == "First line.\nSecond line.\nThird line."


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    p = tmp_path / "wide.txt"
    p.write_bytes("title: Wide\n\nText in UTF-16 — with a dash.\n".encode("utf-16"))
    article = one(p)
    assert article.title == "Wide" and article.text == "Text in UTF-16 — with a dash."


def test_title_is_first_sentence_cut_at_a_word_boundary(tmp_path: Path) -> None:
    p = tmp_path / "long.txt"
    p.write_text("word " * 60 + "end. Second sentence.\n")
    title = one(p).title
    assert len(title) <= 120 and title.endswith("word…")


def test_explicit_file_with_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    p = tmp_path / "story.log"
    p.write_text("A story kept in a log file is still text.\n")
    article = one(p)
    assert article.id == "story"


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    for name in ("b/2.txt", "a/9.txt", "a/10.txt", "c.txt", "a/.hidden.txt"):
        (tmp_path / name).write_text(f"Text of {name}.\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden folder\n")
    articles, problems = read(tmp_path)
    assert [a.path for a in articles] == [
        str(tmp_path / "a" / "10.txt"),
        str(tmp_path / "a" / "9.txt"),
        str(tmp_path / "b" / "2.txt"),
        str(tmp_path / "c.txt"),
    ]
    assert problems == []
    assert [a.id for a in read(tmp_path)[0]] == [a.id for a in articles]


def test_read_file_reads_one_file() -> None:
    items = list(read_file(FORMATS / "single.json"))
    assert [i.id for i in items if isinstance(i, Article)] == ["solo"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-06", "2023-11-06"),
        ("2023-11-06T10:00:00Z", "2023-11-06"),
        ("2023-11-06 23:59", "2023-11-06"),
        ("20231106", "2023-11-06"),
        (" 2023-11-06 ", "2023-11-06"),
        ("2023-02-30", None),
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    iso, why = parse_date(value)
    assert iso == expected
    assert (why is None) == (expected is not None)


def test_problem_str() -> None:
    assert str(Problem("a.jsonl", 3, "bad", True)) == "a.jsonl:3: bad"
    assert str(Problem("a.txt", None, "bad", False)) == "a.txt: bad"


# --- bad input ---------------------------------------------------------------------------------


def test_missing_top_level_path_raises_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="does-not-exist"):
        read_paths([FORMATS / "plain.txt", tmp_path / "does-not-exist"])


def test_broken_symlink_at_top_level_raises(tmp_path: Path) -> None:
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(SourceError, match="broken symbolic link"):
        read_paths([link])


def test_invalid_utf8_is_kept_with_a_count(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\xe9 in S\xe3o Paulo reopens.\n".encode("latin-1"))
    articles, problems = read(p)
    assert articles[0].text == "Caf\ufffd in S\ufffdo Paulo reopens."
    assert len(problems) == 1 and not problems[0].skipped
    assert "2 bytes replaced" in problems[0].message and problems[0].path == str(p)


def test_invalid_utf8_in_a_jsonl_line_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    articles, problems = read(p)
    assert [a.text for a in articles] == ["ok", "caf\ufffd"]
    assert [(q.line, q.skipped) for q in problems] == [(2, False)]


def test_binary_file_with_nul_bytes_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "blob.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    articles, problems = read(p)
    assert not articles and problems[0].skipped and "binary" in problems[0].message


def test_mostly_non_text_file_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 40)
    articles, problems = read(p)
    assert not articles and "binary" in problems[0].message


@pytest.mark.parametrize("content", [b"", b"  \n\t\n\r\n"])
def test_empty_or_whitespace_file_is_skipped(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    articles, problems = read(p)
    assert not articles and problems[0].skipped and problems[0].path == str(p)


def test_header_without_body_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "h.txt"
    p.write_text("date 2020-01-01\ntitle: Nothing follows\n\n")
    articles, problems = read(p)
    assert not articles and "no text after the header" in problems[0].message


def test_header_with_empty_date_is_kept_undated(tmp_path: Path) -> None:
    p = tmp_path / "nodate.txt"
    p.write_text("title: No date\ndate:\n\nBody.\n")
    articles, problems = read(p)
    assert articles[0].date is None and articles[0].title == "No date"
    assert [(q.line, q.skipped) for q in problems] == [(2, False)]


def test_impossible_date_is_kept_undated(tmp_path: Path) -> None:
    p = tmp_path / "feb30.txt"
    p.write_text("date 2023-02-30\ntitle: Leap\n\nBody.\n")
    articles, problems = read(p)
    assert articles[0].date is None
    assert "impossible date" in problems[0].message and problems[0].line == 1
    assert not problems[0].skipped


def test_unparseable_date_in_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "x.md"
    p.write_text("---\ntitle: T\ndate: someday\n---\nBody.\n")
    articles, problems = read(p)
    assert articles[0].date is None and problems[0].line == 3


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("Secret.\n")
    p.chmod(0)
    try:
        articles, problems = read(tmp_path)
    finally:
        p.chmod(0o644)
    assert not articles and problems[0].skipped and "cannot read" in problems[0].message


def test_open_failure_is_skipped_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("Alpha.\n")
    (tmp_path / "b.txt").write_text("Beta.\n")
    real_open = open

    def fake_open(path: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(sources, "open", fake_open, raising=False)
    articles, problems = read(tmp_path)
    assert [a.id for a in articles] == ["b"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'a.txt'}: cannot read: Permission denied, skipped"
    ]


def test_deeply_nested_json_line_is_a_problem(tmp_path: Path) -> None:
    p = tmp_path / "deep.jsonl"
    deep = '{"id": "x", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    p.write_text(deep + '\n{"id": "ok", "text": "Fine."}\n')
    articles, problems = read(p)
    assert [a.id for a in articles] == ["ok"] and problems[0].line == 1


def test_a_single_path_string_is_accepted() -> None:
    items = list(read_paths(str(FORMATS / "plain.txt")))  # type: ignore[arg-type]
    assert [i.id for i in items if isinstance(i, Article)] == ["plain"]


def test_broken_symlink_in_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    articles, problems = read(tmp_path)
    assert not articles and "broken symbolic link" in problems[0].message


def test_symlink_loops_do_not_recurse(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Alpha.\n")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a loop back to the top
    (tmp_path / "self").symlink_to(tmp_path / "self")  # a link to itself
    articles, problems = read(tmp_path)
    assert [a.id for a in articles] == ["a"]
    messages = {Path(p.path).name: p.message for p in problems}
    assert "loop" in messages["self"]
    assert "already read" in messages["up"]
    assert all(p.skipped for p in problems)


def test_fifo_is_skipped(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.txt")
    articles, problems = read(tmp_path)
    assert not articles and "not a regular file" in problems[0].message


def test_non_article_files_in_folders_are_named(tmp_path: Path) -> None:
    (tmp_path / "manifest.tsv").write_text("id\tvia\n")
    (tmp_path / "script.py").write_text("print('hi')\n")
    (tmp_path / "a.txt").write_text("Alpha.\n")
    articles, problems = read(tmp_path)
    assert [a.id for a in articles] == ["a"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'manifest.tsv'}: not an article file (.tsv), skipped",
        f"{tmp_path / 'script.py'}: not an article file (.py), skipped",
    ]


def test_problems_per_file_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_PROBLEMS_PER_FILE", 3)
    p = tmp_path / "junk.jsonl"
    p.write_text("not json\n" * 10 + '{"id": "ok", "text": "Survivor."}\n')
    articles, problems = read(p)
    assert [a.id for a in articles] == ["ok"]
    assert len(problems) == 4 and "7 more problems" in problems[-1].message


def test_mixed_folder_keeps_good_articles_and_names_each_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "good", folder)
    bad = {
        "binary.txt": b"\x00\x01\x02 binary",
        "empty.txt": b"",
        "blank.md": b"\n   \n",
        "latin1.txt": "Caf\xe9 au lait.\n".encode("latin-1"),
        "broken.jsonl": b'{"id": "x", "text": \n',
        "noid.jsonl": b'{"text": "no id"}\n',
        "feb30.txt": b"date 2023-02-30\n\nImpossible day.\n",
        "image.png": b"\x89PNG\r\n\x1a\n",
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop").symlink_to(folder)
    articles, problems = read(folder)
    good = {"one", "two", "good-three"}
    assert good <= {a.id for a in articles}
    titles = {a.id: a.title for a in articles}
    assert titles["one"] == "Good one" and titles["two"] == "Good two"
    assert titles["good-three"] == "The third good article of the mixed folder"
    named = {Path(p.path).name for p in problems}
    assert named == set(bad) | {"dangling.txt", "loop"}
    # The kept-with-warning ones are the two whose text survives.
    kept = {a.id for a in articles} - good
    assert kept == {"latin1", "feb30"}


# --- large input -------------------------------------------------------------------------------


def _write_big_text(path: Path, size: int) -> str:
    para = ("lorem ipsum dolor sit amet " * 20).strip() + ".\n\n"
    block = para * 2000
    with path.open("w") as f:
        while f.tell() < size:
            f.write(block)
    return path.read_text().rstrip()


def test_large_text_file_is_split_at_paragraphs(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    original = _write_big_text(p, 50 * 1024 * 1024)
    articles, problems = read(p)
    n = len(articles)
    assert n >= 50 * 1024 * 1024 // sources.LARGE_TEXT_BYTES
    assert [a.id for a in articles] == ["huge"] + [f"huge~p{i}" for i in range(2, n + 1)]
    assert all(len(a.text) <= sources.LARGE_TEXT_BYTES for a in articles)
    assert "\n\n".join(a.text for a in articles) == original
    assert len(problems) == 1 and not problems[0].skipped
    assert f"split into {n}" in problems[0].message


def test_large_text_file_uses_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "LARGE_TEXT_BYTES", 1024 * 1024)
    p = tmp_path / "huge.txt"
    _write_big_text(p, 50 * 1024 * 1024)
    tracemalloc.start()
    try:
        count = sum(isinstance(item, Article) for item in read_paths([p]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count >= 50
    assert peak < 16 * 1024 * 1024


@pytest.mark.parametrize("as_array", [False, True])
def test_large_json_streams(tmp_path: Path, as_array: bool) -> None:
    p = tmp_path / ("big.json" if as_array else "big.jsonl")
    body = "word " * 20000
    n = 0
    with p.open("w") as f:
        f.write("[\n" if as_array else "")
        while f.tell() < 50 * 1024 * 1024:
            n += 1
            record = json.dumps({"id": n, "date": "2001-02-03", "text": body + str(n)})
            f.write(("," if as_array and n > 1 else "") + record + "\n")
        f.write("]\n" if as_array else "")
    tracemalloc.start()
    try:
        count = 0
        for item in read_paths([p]):
            assert isinstance(item, Article), item
            count += 1
            last = item
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n and last.id == str(n) and last.path == f"{p}:{n + int(as_array)}"
    assert peak < 16 * 1024 * 1024


# --- the shared corpus -------------------------------------------------------------------------


@pytest.mark.skipif(not (SHARED / "corpora" / "wikinews" / "txt").is_dir(), reason="no corpus")
def test_wikinews_corpus() -> None:
    articles, problems = read(SHARED / "corpora" / "wikinews" / "txt")
    assert len(articles) == 163 and not problems
    assert all(a.date and a.title and a.source and a.license for a in articles)
    assert len({a.id for a in articles}) == 163
