"""The blind gold sets (tests/fixtures/blind) are well-formed, and the harness that scores a
newsdesk executable on them (newsdesk.index.tools.blind) works end to end.

No score threshold here: the figures are measured with ``python -m newsdesk.index.tools.blind``
and recorded in tests/fixtures/blind/FIRST_SIGHT.md. Checks that need the article texts read
../shared/corpora and skip when it is absent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from newsdesk.index.tools import blind

from .conftest import CORPORA, REPO, SHARED

BLIND = REPO / "tests" / "fixtures" / "blind"
GENRES = ("wire", "wikinews", "speech")
SPLITS = {"dev": 5, "heldout": 4, "heldout2": 4, "heldout3": 4, "heldout4": 4, "heldout5": 4}
KINDS = {"QUOTE", "REPORT", "EVENT", "VALUE"}
TYPES = {"PERSON", "ORG", "PLACE", "MISC"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SCORER = SHARED / "tools" / "score_extraction.py"
# Sentence ends for the "exactly one sentence" check: a period, ! or ? (and a closing quote)
# after two lowercase letters, digits or closers, then space and a capital, quote or bracket.
# Initials ("D. Cook"), "U.S." and "Co." do not end a sentence here.
SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]%\"”]{2})([.!?][\"”]?)\s+(?=[\"“A-Z\[])")


def gold_files() -> list[Path]:
    return sorted(BLIND.glob("*/*/*.json"))


def load(p: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    return data


def norm(s: str) -> str:
    """The scorer's name normalisation (../shared/tools/score_extraction.py)."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").casefold().strip()
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"^the ", "", s)
    s = re.sub(r"'s$", "", s)
    return s.strip(" .,")


def fold(s: str) -> str:
    return s.replace("\u2019", "'").casefold()


def sentences(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n\s*\n", text):
        start = 0
        for m in SENTENCE_END.finditer(para):
            out.append(para[start : m.end(1)])
            start = m.end()
        out.append(para[start:])
    return out


@cache
def reuters() -> dict[str, dict[str, Any]]:
    path = CORPORA / "reuters21578" / "reuters21578.jsonl"
    wanted = {load(p)["id"] for p in gold_files() if load(p).get("source") == "reuters21578"}
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in wanted:
                out[rec["id"]] = rec
    return out


def article(g: dict[str, Any]) -> tuple[str, str]:
    """(body text, date) of a gold file's article, from ../shared/corpora."""
    if not CORPORA.exists():
        pytest.skip(f"{CORPORA} is not here (a fresh clone has no ../shared)")
    if g.get("source") == "reuters21578":
        rec = reuters()[g["id"]]
        return rec["text"], rec["date"]
    raw = (CORPORA / "wikinews" / "txt" / g["file"]).read_text(encoding="utf-8")
    head, _, body = raw.partition("\n\n")
    m = re.search(r"^date (\S+)", head, re.M)
    assert m, g["file"]
    return body, m.group(1)


# -- the shape of the sets ------------------------------------------------------------------------


def test_sets_have_their_size_and_do_not_overlap() -> None:
    seen: dict[str, str] = {}
    for genre in GENRES:
        for split, n in SPLITS.items():
            files = sorted((BLIND / genre / split).glob("*.json"))
            assert len(files) >= n, f"{genre}/{split} has {len(files)} articles, wants {n}"
            for p in files:
                assert p.stem not in seen, f"{p.stem} in {seen[p.stem]} and {genre}/{split}"
                seen[p.stem] = f"{genre}/{split}"
    assert {p.parent.parent.name for p in gold_files()} == set(GENRES)


def test_no_article_of_the_other_fixtures() -> None:
    used = set()
    for d in ("gold", "facts", "facts/heldout"):
        used |= {p.stem for p in (REPO / "tests" / "fixtures" / d).glob("*.json")}
    assert not used & {p.stem for p in gold_files()}


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_gold_file_is_well_formed(path: Path) -> None:
    g = load(path)
    assert isinstance(g.get("file"), str) and g["file"]
    dt.date.fromisoformat(g["date"])
    if g.get("source") == "reuters21578":
        assert g["id"] == path.stem and g["file"] == "reuters21578.jsonl"
    else:
        assert g["file"] == f"{path.stem}.txt" and "source" not in g
    assert "text" not in g, "no article text in the gold (Reuters: research use only)"

    owner: dict[str, str] = {}
    for e in g["entities"]:
        assert isinstance(e["name"], str) and e["name"].strip()
        assert e["type"] in TYPES, e
        assert e["aliases"] and all(isinstance(a, str) and a.strip() for a in e["aliases"])
        for n in {norm(e["name"]), *map(norm, e["aliases"])}:
            assert n not in owner, f"{n!r} belongs to {owner[n]!r} and {e['name']!r}"
            owner[n] = e["name"]

    assert 3 <= len(g["facts"]) <= 8, "3-8 key facts"
    for f in g["facts"]:
        assert f["kind"] in KINDS, f
        assert isinstance(f["summary"], str) and f["summary"].strip()
        assert f["who"] and all(isinstance(w, str) and w.strip() for w in f["who"]), f
        for w in f["who"]:
            # the scorer compares the gold `who` as written: an entity must appear by its name
            if norm(w) in owner:
                assert norm(owner[norm(w)]) == norm(w), f"who {w!r}: write {owner[norm(w)]!r}"
        assert 2 <= len(f["keywords"]) <= 4, f
        assert all(isinstance(k, str) and k.strip() for k in f["keywords"]), f
        if f["date"] is not None:
            assert DATE.match(f["date"]), f
            parts = [int(x) for x in f["date"].split("-")] + [1, 1]
            dt.date(*parts[:3])


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_gold_matches_its_article(path: Path) -> None:
    g = load(path)
    text, date = article(g)
    assert g["date"] == date
    low = fold(text)
    for e in g["entities"]:
        for a in e["aliases"]:
            assert fold(a) in low, f"alias {a!r} is not in the text"
    sents = [fold(s) for s in sentences(text)]
    for f in g["facts"]:
        kws = [fold(k) for k in f["keywords"]]
        for k in kws:
            assert k in low, f"keyword {k!r} is not in the text"
        n = sum(all(k in s for k in kws) for s in sents)
        assert n == 1, f"keywords {f['keywords']} together in {n} sentences, want exactly one"
    if g.get("source") == "reuters21578":
        # short keywords only: no run of 8 words of the story anywhere in the gold
        words = re.findall(r"\w+", low)
        grams = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
        for f in g["facts"]:
            for s in (f["summary"], *f["keywords"]):
                w = re.findall(r"\w+", fold(s))
                assert not any(" ".join(w[i : i + 8]) in grams for i in range(len(w) - 7)), s


# -- the harness ----------------------------------------------------------------------------------

FAKE = """
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
index = Path(args[args.index("--index") + 1])
gold = {p.stem: json.loads(p.read_text()) for p in Path(os.environ["FAKE_GOLD"]).glob("*/*/*.json")}
if args[0] == "index":
    index.mkdir(parents=True, exist_ok=True)
    ids = [p.stem for p in Path(args[1]).glob("*.txt")]
    for p in Path(args[1]).glob("*.jsonl"):
        ids += [json.loads(line)["id"] for line in p.open()]
    (index / "ids.json").write_text(json.dumps(ids))
    sys.exit(0)
aid = args[args.index("--article") + 1]
if aid not in json.loads((index / "ids.json").read_text()):
    sys.stderr.write(f"newsdesk: error: no article {aid!r} in the index\\n")
    sys.exit(1)
g = gold[aid]
if args[0] == "entities":
    out = [dict(e, id=str(i), mentions=1, articles=[aid]) for i, e in enumerate(g["entities"])]
else:
    out = [{"id": str(i), "kind": f["kind"], "statement": f["summary"], "who": f["who"],
            "date": f["date"], "attributed_to": [], "article_id": aid,
            "evidence": {"text": " ".join(f["keywords"]), "start": 0, "end": 1}}
           for i, f in enumerate(g["facts"])]
print(json.dumps(out))
"""


def fake_newsdesk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A stand-in `newsdesk` that returns the gold itself, for the articles it was given."""
    exe = tmp_path / "newsdesk"
    exe.write_text(f"#!{sys.executable}\n{FAKE}", encoding="utf-8")
    exe.chmod(0o755)
    monkeypatch.setenv("FAKE_GOLD", str(BLIND))
    return str(exe)


def test_harness_scores_a_newsdesk_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not CORPORA.exists() or not SCORER.is_file():
        pytest.skip(f"{CORPORA} or {SCORER} is not here (a fresh clone has no ../shared)")
    exe = fake_newsdesk(tmp_path, monkeypatch)
    argv = ["--newsdesk", exe, "--set", "wire/dev", "--set", "speech/heldout", "--json"]
    assert blind.main([*argv, "--keep", str(tmp_path / "work")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["set"] for s in out["sets"]] == ["speech/heldout", "wire/dev"]
    for s in [*out["sets"], out["all"]]:
        assert s["entity_f1"] == 1.0 and s["fact_recall"] == 1.0, s
        assert s["fact_dates_ok"] == s["fact_dates_total"] > 0
        assert not s["missing_articles"]
    pred = json.loads((tmp_path / "work" / "wire-dev" / "pred.json").read_text())
    assert set(pred) == {p.stem for p in (BLIND / "wire" / "dev").glob("*.json")}
    fact = next(iter(pred.values()))["facts"][0]
    assert isinstance(fact["evidence"], str) and {"kind", "who", "date"} <= set(fact)
    # the Reuters texts went to the work folder, never beside the gold
    assert list((tmp_path / "work" / "wire-dev" / "input").glob("*.jsonl"))

    assert blind.main(["--newsdesk", exe, "--set", "wikinews/heldout"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wikinews/heldout")
    assert "F1=1.000" in lines[0] and "facts 28/28" in lines[0]


def test_harness_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not SCORER.is_file():
        pytest.skip(f"{SCORER} is not here (a fresh clone has no ../shared)")
    assert blind.main(["--newsdesk", str(tmp_path / "nope"), "--set", "wire/dev"]) == 1
    assert "no newsdesk executable" in capsys.readouterr().err
    exe = fake_newsdesk(tmp_path, monkeypatch)
    assert blind.main(["--newsdesk", exe, "--set", "poetry/dev"]) == 1
    assert "no gold set poetry/dev" in capsys.readouterr().err
