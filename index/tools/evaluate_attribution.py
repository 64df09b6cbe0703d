"""Measure attribution (who said or stated what) against hand-made cases.

    python -m newsdesk.index.tools.evaluate_attribution [--cases FILE] [--show]

Each line of FILE (default tests/fixtures/attribution/cases.jsonl) is a short news passage with
its expectations, written before the extractor was run on it: the fact's kind (``QUOTE``,
``REPORT``, or alternatives joined by ``|``), a ``key`` phrase its evidence holds, and the
speaker: ``who`` (a named entity: the fact's first ``who`` must be it), ``source`` with its
``head`` noun (an anonymous or non-person source kept as its phrase: the first ``who`` must hold
the head and no word outside the phrase), ``all`` (every party of a joint statement must be in
``who``), ``via`` (an outlet that must be in ``attributed_to``) and ``not`` (names that must not
be the speaker). An ``optional`` expectation counts only against precision (a wrong speaker),
never as missed.

Per class: expectations, found (a fact of the kind whose evidence holds the key), right (found
with the right speaker, parties and outlet) and wrong (found with a speaker that is not the
expected one). Then the summary the attribution targets are stated in: direct quotes found,
speech-verb and other-cue attributions found, the named speaker right where found, common-noun
sources right, pronoun speakers right.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.model import Article, Fact

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CASES = REPO / "tests" / "fixtures" / "attribution" / "cases.jsonl"
_SMALL = frozenset({"of", "the", "and", "for", "&"})


def _norm(s: str) -> str:
    s = s.replace("\u2019", "'").casefold()
    return " ".join(re.sub(r"[^\w' -]", " ", s).split())


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.casefold() not in _SMALL and w[:1].isalpha())


def same_name(a: str, b: str) -> bool:
    """Names equal after normalising, or one the acronym of the other (WHO, IMF)."""
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return True
    for short, long in ((a, b), (b, a)):
        if short.isupper() and " " not in short.strip() and len(short) >= 2:
            if _initials(long).upper() == short.strip(". ").upper():
                return True
    return False


def source_matches(who: str, phrase: str, head: str) -> bool:
    """A source phrase kept as the speaker: it holds the head noun, and no word the phrase lacks."""
    words = _norm(who).split()
    allowed = set(_norm(phrase).split()) | {"a", "an", "the"}
    return _norm(head) in words and all(w in allowed for w in words)


def load_cases(path: Path = DEFAULT_CASES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def case_article(case: dict[str, Any]) -> Article:
    return Article(
        id=case["id"],
        title="",
        date=case.get("date"),
        source="",
        license="",
        path="",
        text=case["text"],
    )


def judge(exp: dict[str, Any], facts: Sequence[Fact]) -> tuple[str, Fact | None]:
    """'right', 'wrong' (found, speaker not the expected one), 'partial' (right speaker, a party
    or the outlet missing) or 'missed', with the fact judged."""
    kinds = set(exp["kind"].split("|"))
    key = _norm(exp["key"])
    cands = [f for f in facts if f.kind in kinds and key in _norm(f.evidence.text)]
    if not cands:
        return "missed", None
    best: tuple[int, Fact] | None = None
    for f in cands:
        rank = _rank(exp, f)
        if best is None or rank > best[0]:
            best = (rank, f)
    assert best is not None
    return ("wrong", "partial", "right")[best[0]], best[1]


def _rank(exp: dict[str, Any], f: Fact) -> int:
    if not f.who:
        return 0
    first = f.who[0]
    if any(same_name(first, n) for n in exp.get("not", ())):
        return 0
    if "who" in exp:
        ok = same_name(first, exp["who"])
    else:
        ok = source_matches(first, exp["source"], exp["head"])
    if not ok:
        return 0
    if any(not any(same_name(w, n) for w in f.who) for n in exp.get("all", ())):
        return 1
    if "via" in exp and not any(same_name(w, exp["via"]) for w in f.attributed_to):
        return 1
    return 2


def score(results: Iterable[tuple[dict[str, Any], dict[str, Any], str]]) -> dict[str, Any]:
    """Counts per class and the summary, from (case, expectation, verdict) triples."""
    per: dict[str, dict[str, int]] = {}
    summary = {
        k: [0, 0] for k in ("quotes", "speech", "cues", "named_right", "sources", "pronouns")
    }
    for case, exp, verdict in results:
        cls = case["class"]
        row = per.setdefault(cls, {"n": 0, "found": 0, "right": 0, "wrong": 0})
        optional = bool(exp.get("optional"))
        found = verdict != "missed"
        if not optional:
            row["n"] += 1
            row["found"] += found
            row["right"] += verdict == "right"
        row["wrong"] += verdict == "wrong"

        def add(name: str, hit: bool) -> None:
            summary[name][0] += hit
            summary[name][1] += 1

        if optional:
            if found:
                add("named_right", verdict == "right")
            continue
        if "QUOTE" in exp["kind"].split("|"):
            add("quotes", found)
        elif cls == "cue":
            add("cues", found)
        else:
            add("speech", found)
        if "who" in exp and found:
            add("named_right", verdict == "right")
        if "source" in exp:
            add("sources", verdict == "right")
        if cls == "pronoun":
            add("pronouns", verdict == "right")
    return {"classes": per, "summary": summary}


def run(
    nlp: Any, cases: Sequence[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any], str, Fact | None, list[Fact]]]:
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.extract.facts import extract_facts
    from newsdesk.index.ingest.passages import split_passages

    out = []
    for case in cases:
        a = case_article(case)
        passages = split_passages(a)
        doc = nlp(a.text)
        mentions, _ = extract_entities(a, passages, doc)
        facts = extract_facts(a, passages, doc, mentions)
        for exp in case["expect"]:
            verdict, fact = judge(exp, facts)
            out.append((case, exp, verdict, fact, facts))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m newsdesk.index.tools.evaluate_attribution", description=__doc__
    )
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--show", action="store_true", help="print every expectation not right")
    args = ap.parse_args(argv)
    from newsdesk.index.extract import nlp as nlp_module

    nlp = nlp_module.load()
    results = run(nlp, load_cases(args.cases))
    if args.show:
        for case, exp, verdict, fact, facts in results:
            if verdict == "right":
                continue
            want = exp.get("who") or exp.get("source")
            print(f"{case['id']}: {verdict} {exp['kind']} {want!r} key={exp['key']!r}")
            for f in facts:
                mark = "*" if f is fact else " "
                print(
                    f"  {mark}{f.kind:6} {list(f.who)} via={list(f.attributed_to)} | {f.statement}"
                )
    s = score((c, e, v) for c, e, v, _, _ in results)
    for cls, row in s["classes"].items():
        print(
            f"{cls:16} {row['n']:3} expected, found {row['found']:3}, right {row['right']:3}, "
            f"wrong speaker {row['wrong']}"
        )
    for name, (hit, n) in s["summary"].items():
        print(f"{name:12} {hit}/{n} ({100 * hit / max(n, 1):.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
