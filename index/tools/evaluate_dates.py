"""Measure how facts date themselves against sentence/article-date pairs with a gold resolution.

    python -m newsdesk.index.tools.evaluate_dates [CASES.tsv] [--rules] [--show]

CASES.tsv (default tests/fixtures/dates/cases.tsv, written before the resolver ran on it) has the
columns ``id, article_date, class, expr, gold, sentence``. ``gold`` is a day (``2024-03-15``), a
month (``2024-03``) or a year (``2024``) — compared with the fact's filed date —, a range
(``2023-10-30..2023-11-05``) compared with the When's first and last day, or a recurrence
(``every 3 months``). Each sentence is extracted as a one-sentence article of that date, and
three things are counted, as the outside check on TimeBank counts them:

- in evidence: some fact's evidence holds the expression;
- used: some fact's ``when`` overlaps the expression (its words are the fact's time);
- right: of the facts whose evidence holds the expression, the first one is dated right
  (end to end, what a reader sees), and separately, of those that use it, all are right.

``--drafts`` dates every draft, those dropped for want of a named actor too: the choice of date
apart from attribution. Also printed: the resolver alone (``dates.resolve`` on the expression, past tense) per class.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from newsdesk.index.extract.dates import fact_date, resolve
from newsdesk.index.model import Article, Fact, When

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CASES = REPO / "tests" / "fixtures" / "dates" / "cases.tsv"


def read_cases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def matches(when: When | None, date: str | None, gold: str) -> bool:
    """Does a When (and the date it is filed under) give the gold resolution?"""
    if gold.startswith("every"):
        return when is not None and when.recurrence == gold
    if ".." in gold:
        a, b = gold.split("..")
        return when is not None and (when.start, when.end) == (a, b)
    return date == gold


def _facts(case: dict[str, str], rules: bool, drafts: bool) -> list[Fact]:
    from newsdesk.index.tools.evaluate_facts import extract

    article = Article(
        id=case["id"],
        title="",
        date=case["article_date"],
        source="",
        license="",
        path="",
        text=case["sentence"],
    )
    if drafts:
        return _drafts(article, rules)
    facts, _, _ = extract(article, rules=rules)
    return facts


def _drafts(article: Article, rules: bool) -> list[Fact]:
    """Every draft dated as ``extract_facts`` dates facts, those without a named actor too: the
    date choice measured apart from attribution."""
    import attrs

    from newsdesk.index.extract import facts as facts_mod
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.extract.facts.common import find_quotes
    from newsdesk.index.extract.facts.refs import Refs
    from newsdesk.index.ingest.passages import split_passages

    passages = split_passages(article)
    doc = None
    if not rules:
        from newsdesk.index.extract.nlp import parse

        doc = parse(article.text)
    mentions, _ = extract_entities(article, passages, doc)
    quotes = find_quotes(article.text)
    refs = Refs(mentions, doc)
    if doc is not None:
        from newsdesk.index.extract.facts.dep import DepFacts

        drafts = list(DepFacts(article.text, doc, refs, quotes).run())
    else:
        from newsdesk.index.extract.facts.rules import rule_drafts

        drafts = rule_drafts(article.text, refs, quotes)
    out = []
    for d in drafts:
        d = attrs.evolve(d, who=d.who or [("?", "MISC")])
        out += facts_mod._finish(article, passages, [d], doc)
    return out


def evaluate(
    cases: Sequence[dict[str, str]], rules: bool = False, show: bool = False, drafts: bool = False
) -> dict[str, Counter[str]]:
    """Counts per class (and ``all``): n, in_evidence, used, used_right, right, resolver."""
    out: dict[str, Counter[str]] = {}
    for c in cases:
        text, expr, gold = c["sentence"], c["expr"], c["gold"]
        a = text.find(expr)
        b = a + len(expr)
        facts = _facts(c, rules, drafts)
        holding = [f for f in facts if f.evidence.start <= a and b <= f.evidence.end]
        using = [
            f
            for f in holding
            if f.when is not None
            and f.when.char_start is not None
            and f.when.char_end is not None
            and f.when.char_start < b
            and a < f.when.char_end
        ]
        w = resolve(expr, c["article_date"])
        counts = Counter(
            n=1,
            in_evidence=bool(holding),
            used=bool(using),
            used_right=bool(using) and all(matches(f.when, f.date, gold) for f in using),
            right=bool(holding) and matches(holding[0].when, holding[0].date, gold),
            resolver=matches(w, fact_date(w, c["article_date"]), gold),
        )
        for key in (c["class"], "all"):
            out.setdefault(key, Counter()).update(counts)
        if show and not counts["right"]:
            got = [
                (f.date, f.when.text if f.when else None, f.when.recurrence if f.when else None)
                for f in holding
            ]
            print(f"  {c['id']} {c['article_date']} {expr!r} gold {gold} got {got or 'no fact'}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m newsdesk.index.tools.evaluate_dates", description=__doc__
    )
    ap.add_argument("cases", type=Path, nargs="?", default=DEFAULT_CASES)
    ap.add_argument("--rules", action="store_true", help="no parse (the rules mode)")
    ap.add_argument("--drafts", action="store_true", help="date every draft, named actor or not")
    ap.add_argument("--show", action="store_true", help="print the cases dated wrong")
    args = ap.parse_args(argv)
    res = evaluate(read_cases(args.cases), rules=args.rules, show=args.show, drafts=args.drafts)

    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({100 * a / max(b, 1):.0f}%)"

    for key in sorted(res, key=lambda k: (k == "all", k)):
        r = res[key]
        print(
            f"{key:14} in evidence {pct(r['in_evidence'], r['n']):14} "
            f"used {pct(r['used'], r['n']):14} right where used {pct(r['used_right'], r['used']):14} "
            f"right {pct(r['right'], r['n']):14} resolver alone {pct(r['resolver'], r['n'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
