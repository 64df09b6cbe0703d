"""Measure fact extraction against hand-made gold files (the format of ../shared/gold).

    python -m newsdesk.index.tools.evaluate_facts [--gold DIR] [--rules] [--show] [--missed]

Each ``<id>.json`` in DIR (default tests/fixtures/facts: eight Wikinews articles and the seed; a
second set written after the first round of work is in tests/fixtures/facts/heldout) is matched
with its article, ``<id>.txt`` in the same folder or in seeds/. Scoring follows ../shared/tools/score_extraction.py: a gold fact
is found when one extracted fact's evidence text holds all its keywords and its ``who`` shares a
name with the gold ``who`` (names normalised, gold aliases mapped to gold names); a found fact's
date is right when it starts with the gold date. Prints one line per article, then the totals and
the time facts took next to the parse.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.model import Article, Fact
from newsdesk.index.tools.evaluate import norm

REPO = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = REPO / "tests" / "fixtures" / "facts"


def score_article(gold: dict[str, Any], facts: Sequence[Fact]) -> dict[str, Any]:
    """found/total/dated/dates_ok for one article, and the gold facts missed or misdated."""
    alias: dict[str, str] = {}
    for ge in gold.get("entities", []):
        for n in [ge["name"], *ge.get("aliases", [])]:
            alias[norm(n)] = norm(ge["name"])
    found = dated = dates_ok = 0
    missed: list[str] = []
    misdated: list[str] = []
    for gf in gold["facts"]:
        gwho = {norm(w) for w in gf["who"]}
        kws = [k.casefold().replace("\u2019", "'") for k in gf["keywords"]]
        best = None
        for f in facts:
            ev = f.evidence.text.replace("\u2019", "'").casefold()
            if not all(k in ev for k in kws):
                continue
            if {alias.get(norm(w), norm(w)) for w in f.who} & gwho:
                best = f
                break
        if gf.get("date"):
            dated += 1
        if best is None:
            missed.append(gf["summary"])
            continue
        found += 1
        if gf.get("date"):
            if str(best.date or "").startswith(gf["date"]):
                dates_ok += 1
            else:
                misdated.append(f"{gf['summary']} (gold {gf['date']}, got {best.date})")
    return {
        "found": found,
        "total": len(gold["facts"]),
        "dated": dated,
        "dates_ok": dates_ok,
        "predicted": len(facts),
        "missed": missed,
        "misdated": misdated,
    }


def article_for(gold_path: Path) -> Path | None:
    for folder in (gold_path.parent, REPO / "seeds"):
        p = folder / (gold_path.stem + ".txt")
        if p.is_file():
            return p
    return None


def load_article(path: Path) -> Article:
    from newsdesk.index.ingest.sources import read_file

    for item in read_file(path):
        if isinstance(item, Article):
            return item
    raise ValueError(f"{path}: no article")


def extract(article: Article, rules: bool = False) -> tuple[list[Fact], float, float]:
    """(facts, parse seconds, facts seconds) for one article, with the project's pipeline."""
    from newsdesk.index.extract.entities import extract_entities
    from newsdesk.index.extract.facts import extract_facts
    from newsdesk.index.ingest.passages import split_passages

    passages = split_passages(article)
    t0 = time.perf_counter()
    doc = None
    if not rules:
        from newsdesk.index.extract.nlp import parse

        doc = parse(article.text)
    t1 = time.perf_counter()
    mentions, _ = extract_entities(article, passages, doc)
    t2 = time.perf_counter()
    facts = extract_facts(article, passages, doc, mentions)
    t3 = time.perf_counter()
    return facts, t1 - t0, t3 - t2


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m newsdesk.index.tools.evaluate_facts", description=__doc__
    )
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--rules", action="store_true", help="no parse (the rules mode)")
    ap.add_argument("--show", action="store_true", help="print every extracted fact")
    ap.add_argument("--missed", action="store_true", help="print missed and misdated gold facts")
    args = ap.parse_args(argv)
    totals = {"found": 0, "total": 0, "dated": 0, "dates_ok": 0, "predicted": 0}
    parse_s = facts_s = 0.0
    for gp in sorted(args.gold.glob("*.json")):
        ap_ = article_for(gp)
        if ap_ is None:
            print(f"{gp.name}: no article file", file=sys.stderr)
            continue
        gold = json.loads(gp.read_text(encoding="utf-8"))
        article = load_article(ap_)
        facts, tp, tf = extract(article, rules=args.rules)
        parse_s += tp
        facts_s += tf
        r = score_article(gold, facts)
        for k in totals:
            totals[k] += r[k]
        print(
            f"{gp.stem}: found {r['found']}/{r['total']}, dates {r['dates_ok']}/{r['dated']}, "
            f"{r['predicted']} facts"
        )
        if args.missed:
            for m in r["missed"]:
                print(f"   missed: {m}")
            for m in r["misdated"]:
                print(f"   misdated: {m}")
        if args.show:
            for f in facts:
                print(f"   {f.kind:6} {f.date or '-':10} {list(f.who)} | {f.statement}")
                print(
                    f"          pred={f.predicate} neg={f.negated} where={list(f.where)} "
                    f"via={list(f.attributed_to)} when={f.when.text if f.when else None!r}"
                )
    t, d = totals["total"], totals["dated"]
    print(
        f"facts found {totals['found']}/{t} ({100 * totals['found'] / max(t, 1):.0f}%), "
        f"dates right {totals['dates_ok']}/{d} ({100 * totals['dates_ok'] / max(d, 1):.0f}%), "
        f"{totals['predicted']} facts predicted"
    )
    if not args.rules:
        print(
            f"time: parse {parse_s:.2f}s, facts {facts_s:.2f}s ({100 * facts_s / max(parse_s, 1e-9):.0f}%)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
