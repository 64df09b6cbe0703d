"""Measure whether facts keep what qualifies them: negation, condition, hedge, future.

    python -m newsdesk.index.tools.evaluate_modality [CASES.tsv] [--rules] [--show]
    python -m newsdesk.index.tools.evaluate_modality --cpu [ARTICLES_DIR]

CASES.tsv (default tests/fixtures/modality/cases.tsv, written before the extractor ran on it) has
the columns ``id, expected, key, sentence``: ``expected`` is asserted | negated | conditional |
hedged | future, ``key`` the words of the qualified clause (``|`` between alternatives: "indicted"
for "… if Boeing is indicted"). Each sentence is extracted as a one-sentence article; the facts
*about* the case are those whose statement holds a key. Counted per class:

- facts: facts about the case; cases with none are "no fact";
- misstated: a fact about a qualified case that does not carry the expected qualifier (it states
  as asserted, or as otherwise qualified, what the text conditions, hedges or denies); for an
  asserted case, a fact that carries a qualifier the text does not give;
- unsaid: a qualified fact whose statement, read alone, lacks the words that qualify it
  ("if …", "not", "nearly", "will"): the flag is right but the one line misleads;
- reads asserted: a fact about a qualified case whose statement lacks the words of the expected
  qualifier, whatever its flags (what a reader of the one line takes as plain truth).

``--cpu`` measures what deciding the qualifiers costs: the articles of a folder (default
tests/fixtures/gold) are parsed once, then their facts extracted with and without
``modality.qualify``, alternately, best of 7 process-CPU times, against the whole extraction
(parse + entities + facts).

The fixture's sentences are the project's own text.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from newsdesk.index.model import Article, Fact

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CASES = REPO / "tests" / "fixtures" / "modality" / "cases.tsv"
QUALIFIERS = ("negated", "conditional", "hedged", "future")

# Words that, in a statement, say the qualifier (to count statements that drop it).
_SAYS = {
    "negated": re.compile(
        r"\b(?:not|never|no|none|nor|without|den(?:y|ies|ied)|refus\w*|fail\w*|reject\w*|"
        r"declin\w*|yet to)\b|n't\b|\bnegated\b",
        re.I,
    ),
    "conditional": re.compile(
        r"\b(?:if|unless|provided|providing|as long as|on condition)\b", re.I
    ),
    "hedged": re.compile(
        r"\b(?:nearly|almost|reportedly|allegedly|purportedly|supposedly|may|might|could|"
        r"should|appears?|appeared|seems?|seemed|believed|thought|probably|possibly|perhaps|"
        r"likely|apparently|suspected|said to)\b",
        re.I,
    ),
    "future": re.compile(
        r"\b(?:will|would|shall|plans?|planned|planning|expected|expects?|aims?|aimed|"
        r"intends?|intended|set to|going to|due to|scheduled)\b|'ll\b",
        re.I,
    ),
}


def read_cases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def qualifiers(fact: Fact) -> set[str]:
    """The qualifiers a fact carries (works on facts from before the qualifiers existed)."""
    return {q for q in QUALIFIERS if getattr(fact, q, False)}


def about(facts: Sequence[Fact], key: str) -> list[Fact]:
    keys = [k.strip().casefold() for k in key.split("|") if k.strip()]
    out = []
    for f in facts:
        text = f.statement.casefold()
        if any(re.search(r"\b" + re.escape(k) + r"\b", text) for k in keys):
            out.append(f)
    return out


def _facts(case: dict[str, str], rules: bool) -> list[Fact]:
    from newsdesk.index.tools.evaluate_facts import extract

    article = Article(
        id=case["id"],
        title="",
        date=case.get("article_date") or "2024-03-15",
        source="",
        license="",
        path="",
        text=case["sentence"],
    )
    facts, _, _ = extract(article, rules=rules)
    return facts


def evaluate(
    cases: Sequence[dict[str, str]], rules: bool = False, show: bool = False
) -> dict[str, Counter[str]]:
    """Counts per class (and ``all``): n, facts, no_fact, misstated (facts), misstated_cases,
    unsaid (facts), plain (facts that read asserted)."""
    out: dict[str, Counter[str]] = {}
    for c in cases:
        expected = c["expected"]
        facts = about(_facts(c, rules), c["key"])
        bad: list[Fact] = []
        unsaid: list[Fact] = []
        plain = 0
        for f in facts:
            if expected != "asserted" and not _SAYS[expected].search(f.statement):
                plain += 1
            got = qualifiers(f)
            if (expected == "asserted" and got) or (expected != "asserted" and expected not in got):
                bad.append(f)
            for q in got:
                if not _SAYS[q].search(f.statement):
                    unsaid.append(f)
                    break
        counts = Counter(
            n=1,
            facts=len(facts),
            no_fact=not facts,
            misstated=len(bad),
            misstated_cases=bool(bad),
            unsaid=len(unsaid),
            plain=plain,
        )
        for k in (expected, "all"):
            out.setdefault(k, Counter()).update(counts)
        if show and (bad or unsaid or not facts):
            print(f"  {c['id']} expected {expected}: {c['sentence']}")
            for f in facts:
                mark = "✗" if f in bad else ("~" if f in unsaid else "✓")
                label = ",".join(sorted(qualifiers(f))) or "asserted"
                print(f"    {mark} {f.kind} [{label}] {f.statement}")
            if not facts:
                print("    (no fact about it)")
    return out


def cpu(folder: Path, rounds: int = 7) -> dict[str, float]:
    """Process-CPU seconds: parse, entities, facts without and with qualifiers (best of
    rounds)."""
    import time

    from newsdesk.index.extract import facts as facts_mod
    from newsdesk.index.extract import nlp
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.ingest.passages import split_passages
    from newsdesk.index.tools.evaluate_facts import load_article

    articles = [load_article(p) for p in sorted(folder.glob("*.txt"))]
    nlp.load()
    t0 = time.process_time()
    docs = [nlp.parse(a.text) for a in articles]
    t1 = time.process_time()
    parts = []
    for a, doc in zip(articles, docs, strict=True):
        passages = split_passages(a)
        parts.append((passages, extract_entities(a, passages, doc)[0]))
    t2 = time.process_time()
    real = facts_mod.qualify
    best = {"off": float("inf"), "on": float("inf")}
    try:
        for _ in range(rounds):
            for mode in ("off", "on"):
                facts_mod.qualify = real if mode == "on" else (lambda text, drafts, doc: drafts)
                t = time.process_time()
                for a, doc, (passages, mentions) in zip(articles, docs, parts, strict=True):
                    facts_mod.extract_facts(a, passages, doc, mentions)
                best[mode] = min(best[mode], time.process_time() - t)
    finally:
        facts_mod.qualify = real
    words = sum(len(a.text.split()) for a in articles)
    return {
        "articles": len(articles),
        "words": words,
        "parse": t1 - t0,
        "entities": t2 - t1,
        "facts": best["off"],
        "qualify": best["on"] - best["off"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m newsdesk.index.tools.evaluate_modality", description=__doc__
    )
    ap.add_argument("cases", type=Path, nargs="?", default=None)
    ap.add_argument("--rules", action="store_true", help="no parse (the rules mode)")
    ap.add_argument("--show", action="store_true", help="print the cases with a wrong fact")
    ap.add_argument("--cpu", action="store_true", help="time the qualifiers over ARTICLES_DIR")
    args = ap.parse_args(argv)
    if args.cpu:
        c = cpu(args.cases or REPO / "tests" / "fixtures" / "gold")
        total = c["parse"] + c["entities"] + c["facts"]
        print(
            f"{c['articles']} articles, {c['words']} words, process CPU: parse {c['parse']:.3f}s, "
            f"entities {c['entities']:.3f}s, facts {c['facts']:.3f}s; qualifiers "
            f"+{c['qualify']:.3f}s = +{100 * c['qualify'] / total:.1f}% of the extraction"
        )
        return 0
    args.cases = args.cases or DEFAULT_CASES
    res = evaluate(read_cases(args.cases), rules=args.rules, show=args.show)
    for key in sorted(res, key=lambda k: (k == "all", k)):
        r = res[key]
        print(
            f"{key:12} cases {r['n']:3}  no fact {r['no_fact']:3}  facts {r['facts']:3}  "
            f"misstated {r['misstated']:3} (in {r['misstated_cases']} cases)  "
            f"statement drops the qualifier {r['unsaid']:3}  reads asserted {r['plain']:3}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
