"""Measuring entity extraction against hand-made gold files.

Gold: one ``<article id>.json`` per article, ``{"entities": [{name, type, aliases}], "facts":
[...]}`` (the format of ../shared/gold). ``predict`` runs extraction over a folder of articles and
returns (or writes) the PRED.json that ../shared/tools/score_extraction.py reads; ``score``
re-implements that scorer's entity matching so tests can use it on a fresh clone:

- names are compared after casefold, curly->straight apostrophes, a leading 'the ' and a trailing
  "'s" removed, whitespace collapsed, surrounding ' .,' stripped;
- an extracted entity (PERSON, ORG or PLACE) matches an unused gold entity of the same type when
  its name or an alias equals the gold name or a gold alias; each gold entity matches once, so an
  unmerged alias ('US' beside 'United States') is a false positive.

Command line::

    python -m newsdesk.index.tools.evaluate GOLD_DIR [ARTICLES ...] [--pred PRED.json] [--rules] [--show]
    python -m newsdesk.index.tools.evaluate --bench CORPUS [--n-process N] [--batch-size B] [--components C]

ARTICLES defaults to GOLD_DIR (the gold folder holding the article files beside the gold).
``--bench`` times parsing plus entity extraction over a corpus and prints words per second.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from newsdesk.index.model import Article, Entity, Passage

SCORED_TYPES = ("PERSON", "ORG", "PLACE")


def norm(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u2018", "'").casefold().strip()
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"^the ", "", s)
    s = re.sub(r"'s$", "", s)
    return s.strip(" .,")


def _names(e: dict[str, Any]) -> set[str]:
    return {norm(e.get("name", ""))} | {norm(a) for a in e.get("aliases", []) or []}


def load_gold(gold_dir: str | Path) -> dict[str, dict[str, Any]]:
    out = {}
    for p in sorted(Path(gold_dir).glob("*.json")):
        out[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    return out


def score(pred: dict[str, Any], gold: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Entity precision, recall and F1 over the gold articles, with per-type counts and the
    false positives / negatives by article."""
    tp = fp = fn = 0
    per_type = {t: [0, 0, 0] for t in SCORED_TYPES}
    errors: dict[str, dict[str, list[str]]] = {}
    for aid, g in gold.items():
        p = pred.get(aid) or {"entities": []}
        gents = [e for e in g["entities"] if e["type"] in SCORED_TYPES]
        used: set[int] = set()
        err: dict[str, list[str]] = {"fp": [], "fn": []}
        for e in p.get("entities", []):
            t = e.get("type")
            if t not in SCORED_TYPES:
                continue
            names = _names(e)
            hit = None
            for i, ge in enumerate(gents):
                if i not in used and ge["type"] == t and names & _names(ge):
                    hit = i
                    break
            if hit is None:
                fp += 1
                per_type[t][1] += 1
                err["fp"].append(f"{t} {e.get('name')} {sorted(e.get('aliases', []))}")
            else:
                used.add(hit)
                tp += 1
                per_type[t][0] += 1
        for i, ge in enumerate(gents):
            if i not in used:
                fn += 1
                per_type[ge["type"]][2] += 1
                err["fn"].append(f"{ge['type']} {ge['name']}")
        errors[aid] = err
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "per_type": {t: {"tp": v[0], "fp": v[1], "fn": v[2]} for t, v in per_type.items()},
        "errors": errors,
    }


def read_articles(paths: Sequence[str | Path]) -> list[Article]:
    from newsdesk.index.ingest.sources import read_paths  # noqa: PLC0415

    return [a for a in read_paths(list(paths)) if isinstance(a, Article)]


def _passages(article: Article) -> list[Passage]:
    try:
        from newsdesk.index.ingest.passages import split_passages  # noqa: PLC0415
    except ImportError:  # pragma: no cover - before the passages module exists
        return [Passage(f"{article.id}#0", article.id, 0, article.text, 0, len(article.text))]
    return list(split_passages(article))


def entities_json(entities: Iterable[Entity]) -> list[dict[str, Any]]:
    return [{"name": e.name, "type": e.type, "aliases": list(e.aliases)} for e in entities]


def predict(
    articles: Sequence[Article], rules: bool = False, n_process: int = 1
) -> dict[str, dict[str, Any]]:
    """{article id: {"entities": [...], "facts": []}} for the given articles."""
    from newsdesk.index.extract import nlp  # noqa: PLC0415
    from newsdesk.index.extract.entities import extract_entities  # noqa: PLC0415

    out: dict[str, dict[str, Any]] = {}
    if rules:
        docs: Iterable[Any] = (None for _ in articles)
    else:
        docs = nlp.parse_many([a.text for a in articles], n_process=n_process)
    for article, doc in zip(articles, docs, strict=True):
        _, ents = extract_entities(article, _passages(article), doc)
        out[article.id] = {"entities": entities_json(ents), "facts": []}
    return out


def benchmark(
    paths: Sequence[str | Path],
    n_process: int = 1,
    batch_size: int = 32,
    components: str = "full",
) -> dict[str, float]:
    """Parse (nlp.pipe) and extract entities over every article under paths; words/s counts
    whitespace-separated words of the article texts. The model is loaded before timing."""
    from newsdesk.index.extract import nlp  # noqa: PLC0415
    from newsdesk.index.extract.entities import extract_entities  # noqa: PLC0415

    articles = read_articles(paths)
    words = sum(len(a.text.split()) for a in articles)
    nlp.load(components)
    t0 = time.perf_counter()
    docs = nlp.parse_many(
        [a.text for a in articles],
        n_process=n_process,
        batch_size=batch_size,
        components=components,
    )
    extract = 0.0
    for article, doc in zip(articles, docs, strict=True):
        t1 = time.perf_counter()
        extract_entities(article, _passages(article), doc)
        extract += time.perf_counter() - t1
    total = time.perf_counter() - t0
    return {
        "articles": len(articles),
        "words": words,
        "seconds": total,
        "extract_seconds": extract,
        "words_per_second": words / total if total else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m newsdesk.index.tools.evaluate", description=(__doc__ or "").split("\n")[0]
    )
    ap.add_argument("paths", nargs="+", help="GOLD_DIR [ARTICLES ...], or CORPUS with --bench")
    ap.add_argument("--pred", help="write PRED.json here (for ../shared/tools/score_extraction.py)")
    ap.add_argument("--rules", action="store_true", help="rules mode (no spaCy model)")
    ap.add_argument("--show", action="store_true", help="list false positives and negatives")
    ap.add_argument("--bench", action="store_true", help="time parsing + extraction over PATHS")
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--components", default="full")
    args = ap.parse_args(argv)
    if args.bench:
        b = benchmark(args.paths, args.n_process, args.batch_size, args.components)
        print(
            f"{b['articles']} articles, {b['words']} words in {b['seconds']:.1f}s "
            f"(entity extraction {b['extract_seconds']:.1f}s): {b['words_per_second']:.0f} words/s "
            f"(n_process={args.n_process}, batch_size={args.batch_size}, "
            f"components={args.components})"
        )
        return 0
    gold_dir, *article_paths = args.paths
    gold = load_gold(gold_dir)
    articles = [a for a in read_articles(article_paths or [gold_dir]) if a.id in gold]
    t0 = time.perf_counter()
    pred = predict(articles, rules=args.rules)
    took = time.perf_counter() - t0
    if args.pred:
        Path(args.pred).write_text(json.dumps(pred, indent=1, ensure_ascii=False), encoding="utf-8")
    r = score(pred, gold)
    if args.show:
        for aid, err in r["errors"].items():
            if err["fp"] or err["fn"]:
                print(f"== {aid}")
                for x in err["fp"]:
                    print(f"  FP {x}")
                for x in err["fn"]:
                    print(f"  FN {x}")
    for t, v in r["per_type"].items():
        print(f"{t}: tp={v['tp']} fp={v['fp']} fn={v['fn']}")
    missing = sorted(set(gold) - {a.id for a in articles})
    if missing:
        print("articles with no text:", ", ".join(missing), file=sys.stderr)
    print(
        f"entities P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
        f"({len(articles)} articles, {took:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
