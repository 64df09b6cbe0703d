"""Entity scoring on short blind cases: one JSON object a line, ``{id, date, text, entities:
[{name, type, aliases?, also?}]}``, written before newsdesk ever ran on them
(``tests/fixtures/entities_blind/cases.jsonl``).

Matching is ``evaluate.score``'s (names compared after ``evaluate.norm``; each gold entity matches
once), with two additions for what the gold cannot decide alone:

- ``also``: other acceptable types (a platform may be ORG or MISC); a prediction of the gold type
  or of an ``also`` type matches; a gold entity whose type or ``also`` is MISC is not a false
  negative when missed or typed MISC;
- MISC gold (events, products, malware, storms) is not scored, but a PERSON, ORG or PLACE
  prediction that names it is a false positive of that type (a storm typed PERSON is wrong).

Command line::

    python -m newsdesk.index.tools.evaluate_entities_blind [CASES.jsonl] [--show] [--rules]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.model import Article
from newsdesk.index.tools.evaluate import SCORED_TYPES, _names, predict

DEFAULT_CASES = Path("tests/fixtures/entities_blind/cases.jsonl")


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def articles_of(cases: Sequence[dict[str, Any]]) -> list[Article]:
    return [
        Article(c["id"], "", c.get("date"), "blind", "", f"{c['id']}.txt", c["text"]) for c in cases
    ]


def _ok_types(g: dict[str, Any]) -> set[str]:
    return {g["type"], *g.get("also", [])}


def score_cases(pred: dict[str, Any], cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    per_type = {t: [0, 0, 0] for t in SCORED_TYPES}
    errors: dict[str, dict[str, list[str]]] = {}
    for case in cases:
        golds = case["entities"]
        used: set[int] = set()
        err: dict[str, list[str]] = {"fp": [], "fn": []}
        preds = pred.get(case["id"], {}).get("entities", [])
        for e in preds:
            t = e.get("type")
            names = _names(e)
            hit = None
            for i, g in enumerate(golds):
                if i not in used and t in _ok_types(g) and names & _names(g):
                    hit = i
                    break
            if hit is not None:
                used.add(hit)
                if t in SCORED_TYPES:
                    per_type[t][0] += 1
            elif t in SCORED_TYPES:
                per_type[t][1] += 1
                err["fp"].append(f"{t} {e.get('name')} {sorted(e.get('aliases', []))}")
        for i, g in enumerate(golds):
            if i in used or g["type"] not in SCORED_TYPES or "MISC" in g.get("also", []):
                continue
            per_type[g["type"]][2] += 1
            err["fn"].append(f"{g['type']} {g['name']}")
        errors[case["id"]] = err
    tp = sum(v[0] for v in per_type.values())
    fp = sum(v[1] for v in per_type.values())
    fn = sum(v[2] for v in per_type.values())
    return {
        **_prf(tp, fp, fn),
        "per_type": {t: _prf(*v) for t, v in per_type.items()},
        "errors": errors,
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newsdesk.index.tools.evaluate_entities_blind")
    ap.add_argument("cases", nargs="?", default=str(DEFAULT_CASES))
    ap.add_argument("--show", action="store_true", help="list false positives and negatives")
    ap.add_argument("--rules", action="store_true", help="rules mode (no spaCy model)")
    args = ap.parse_args(argv)
    cases = load_cases(args.cases)
    t0 = time.perf_counter()
    pred = predict(articles_of(cases), rules=args.rules)
    took = time.perf_counter() - t0
    r = score_cases(pred, cases)
    if args.show:
        for cid, err in r["errors"].items():
            if err["fp"] or err["fn"]:
                print(f"== {cid}")
                for x in err["fp"]:
                    print(f"  FP {x}")
                for x in err["fn"]:
                    print(f"  FN {x}")
    for t, v in r["per_type"].items():
        print(
            f"{t}: P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} "
            f"(tp={v['tp']} fp={v['fp']} fn={v['fn']})"
        )
    print(
        f"entities P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
        f"({len(cases)} cases, {took:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
