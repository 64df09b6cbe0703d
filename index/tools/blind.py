"""Blind extraction quality: the gold sets of tests/fixtures/blind, scored from the outside.

    python -m newsdesk.index.tools.blind [--newsdesk PATH] [--set wire/dev ...] [--json]
                                         [--misses] [--keep DIR] [--gold DIR] [--corpora DIR]
                                         [--scorer PATH]

For each gold set (``<genre>/<dev|heldout>`` under the gold folder) the harness

1. gathers the articles' texts: Wikinews files from ``<corpora>/wikinews/txt``, Reuters-21578
   records by id from ``<corpora>/reuters21578/reuters21578.jsonl``, written to a temporary
   folder only (Reuters texts never enter the repository);
2. builds a temporary index with the given ``newsdesk`` executable (``newsdesk index DIR --index
   TMP``; default: the ``newsdesk`` of the running interpreter), so an older or newer checkout
   can be measured the same way;
3. exports ``newsdesk entities --article ID --json`` and ``newsdesk facts --article ID --json``
   into the scorer's PRED.json shape, ``{article_id: {"entities": [{name, type, aliases}],
   "facts": [{kind, who, evidence, date}]}}`` with ``evidence`` the evidence sentence's text;
4. runs ``score_extraction.py --gold SETDIR PRED.json REPORT.json`` (../shared/tools) and prints
   one line per set: entity P/R/F1 with F1 per type, key facts found with the right actor, dated
   facts right (the scorer counts a dated fact that was not found as wrong; ``[of found: …]``
   gives the dates right among the dated facts found, in the scorer's matching, to tell date
   resolution from fact recall). A last line pools all the sets asked for (the scorer matches
   article by article, so summing its counts equals scoring the union).

``--misses`` adds, per article, what was missed: gold entities not found, extracted entities that
matched nothing, gold facts not found (with why: no fact holds the keywords, or the facts that do
name someone else) and facts found with a wrong date. ``--keep DIR`` keeps the inputs, indexes,
PRED and REPORT files there instead of a temporary folder (keep it outside the repository: it
holds Reuters texts). Needs only the standard library; never imports the rest of newsdesk.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = REPO / "tests" / "fixtures" / "blind"
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
REUTERS = "reuters21578"
TYPES = ("PERSON", "ORG", "PLACE")


class BlindError(Exception):
    """A problem that stops the run: one line for stderr."""


@dataclass
class GoldSet:
    name: str  # "wire/dev"
    folder: Path
    gold: dict[str, dict[str, Any]] = field(default_factory=dict)


def find_sets(gold_root: Path, wanted: Sequence[str] = ()) -> list[GoldSet]:
    """The ``<genre>/<split>`` folders holding gold JSON files, sorted; ``wanted`` narrows them
    (a genre alone, ``wire``, means both of its splits)."""
    sets = []
    for folder in sorted(p for p in gold_root.glob("*/*") if p.is_dir()):
        files = sorted(folder.glob("*.json"))
        if not files:
            continue
        name = f"{folder.parent.name}/{folder.name}"
        if wanted and not any(name == w.strip("/") or folder.parent.name == w for w in wanted):
            continue
        gs = GoldSet(name, folder)
        for p in files:
            gs.gold[p.stem] = json.loads(p.read_text(encoding="utf-8"))
        sets.append(gs)
    if wanted:
        known = {s.name for s in sets} | {s.name.split("/")[0] for s in sets}
        unknown = [w for w in wanted if w.strip("/") not in known]
        if unknown:
            raise BlindError(f"no gold set {', '.join(unknown)} under {gold_root}")
    if not sets:
        raise BlindError(f"no gold sets under {gold_root}")
    return sets


def reuters_records(jsonl: Path, ids: Iterable[str]) -> dict[str, str]:
    """The JSON lines of the given record ids, as they stand in the corpus."""
    wanted = set(ids)
    out: dict[str, str] = {}
    if not wanted:
        return out
    if not jsonl.is_file():
        raise BlindError(f"Reuters corpus not found: {jsonl}")
    with jsonl.open(encoding="utf-8") as fh:
        for line in fh:
            rid = json.loads(line).get("id")
            if rid in wanted:
                out[rid] = line if line.endswith("\n") else line + "\n"
                if len(out) == len(wanted):
                    break
    missing = wanted - set(out)
    if missing:
        raise BlindError(f"not in {jsonl.name}: {', '.join(sorted(missing))}")
    return out


def gather(gs: GoldSet, corpora: Path, dest: Path) -> None:
    """Write the set's articles into ``dest``: Wikinews files copied, Reuters records as one
    JSON Lines file."""
    dest.mkdir(parents=True, exist_ok=True)
    reuters_ids = []
    for aid, g in gs.gold.items():
        if g.get("source") == REUTERS:
            reuters_ids.append(g.get("id", aid))
            continue
        src = corpora / "wikinews" / "txt" / g.get("file", f"{aid}.txt")
        if not src.is_file():
            raise BlindError(f"article file not found for {gs.name}/{aid}: {src}")
        shutil.copyfile(src, dest / src.name)
    records = reuters_records(corpora / REUTERS / f"{REUTERS}.jsonl", reuters_ids)
    if records:
        with (dest / f"{REUTERS}-{gs.name.replace('/', '-')}.jsonl").open(
            "w", encoding="utf-8"
        ) as fh:
            for rid in sorted(records):
                fh.write(records[rid])


def default_newsdesk() -> str:
    beside = Path(sys.executable).with_name("newsdesk")
    if beside.is_file():
        return str(beside)
    found = shutil.which("newsdesk")
    if not found:
        raise BlindError("no newsdesk executable found; pass --newsdesk PATH")
    return found


class Newsdesk:
    """One ``newsdesk`` executable, run as a child process on one index folder."""

    def __init__(self, exe: str, index: Path) -> None:
        self.exe = exe
        self.index = index
        self.env = {k: v for k, v in os.environ.items() if k not in ("NEWSDESK_ENGINE",)}
        self.env["NEWSDESK_INDEX"] = str(index)

    def run(self, *args: str) -> str:
        cmd = [self.exe, *args, "--index", str(self.index)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=self.env, check=False)
        if proc.returncode != 0:
            err = proc.stderr.strip().splitlines()
            raise BlindError(
                f"{' '.join(cmd[:3])}… exited {proc.returncode}: {err[-1] if err else ''}"
            )
        return proc.stdout

    def build(self, inputs: Path) -> None:
        self.run("index", str(inputs), "-q")

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json"))


def evidence_text(f: dict[str, Any]) -> str:
    ev = f.get("evidence")
    if isinstance(ev, dict):
        return str(ev.get("text") or "")
    return str(ev or "")


def predict(nd: Newsdesk, article_ids: Iterable[str]) -> dict[str, Any]:
    """PRED.json for the articles: entities and facts as the scorer reads them."""
    pred: dict[str, Any] = {}
    for aid in sorted(article_ids):
        ents = nd.json("entities", "--article", aid)
        facts = nd.json("facts", "--article", aid)
        pred[aid] = {
            "entities": [
                {"name": e["name"], "type": e["type"], "aliases": list(e.get("aliases") or [])}
                for e in ents
            ],
            "facts": [
                {
                    "kind": f.get("kind"),
                    "who": list(f.get("who") or []),
                    "evidence": evidence_text(f),
                    "date": f.get("date"),
                    "statement": f.get("statement"),
                    "attributed_to": list(f.get("attributed_to") or []),
                }
                for f in facts
            ],
        }
    return pred


def run_scorer(scorer: Path, gold_dir: Path, pred_path: Path, report_path: Path) -> dict[str, Any]:
    cmd = [sys.executable, str(scorer), "--gold", str(gold_dir), str(pred_path), str(report_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BlindError(f"the scorer failed: {proc.stderr.strip().splitlines()[-1:]}")
    report: dict[str, Any] = json.loads(report_path.read_text(encoding="utf-8"))
    return report


def load_scorer(scorer: Path) -> ModuleType:
    """The scorer as a module, for its name normalisation in ``--misses``."""
    spec = importlib.util.spec_from_file_location("_score_extraction", scorer)
    if spec is None or spec.loader is None:
        raise BlindError(f"cannot load the scorer {scorer}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# -- figures ---------------------------------------------------------------------------------------


def f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def totals(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The scorer's figures for several sets pooled (its counts summed)."""
    per_type = {t: {"tp": 0, "fp": 0, "fn": 0} for t in TYPES}
    for r in reports:
        for t in TYPES:
            for k in ("tp", "fp", "fn"):
                per_type[t][k] += r["per_type"][t][k]
    tp = sum(v["tp"] for v in per_type.values())
    fp = sum(v["fp"] for v in per_type.values())
    fn = sum(v["fn"] for v in per_type.values())
    out: dict[str, Any] = {
        "entity_precision": tp / (tp + fp) if tp + fp else 0.0,
        "entity_recall": tp / (tp + fn) if tp + fn else 0.0,
        "entity_f1": f1(tp, fp, fn),
        "per_type": per_type,
    }
    for k in (
        "facts_found",
        "facts_total",
        "facts_predicted",
        "fact_dates_ok",
        "fact_dates_total",
        "found_dates_ok",
        "found_dates_total",
    ):
        out[k] = sum(r.get(k, 0) for r in reports)
    out["fact_recall"] = out["facts_found"] / out["facts_total"] if out["facts_total"] else 0.0
    out["missing_articles"] = [a for r in reports for a in r["missing_articles"]]
    return out


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "0/0"


def line(name: str, n_articles: int, r: dict[str, Any]) -> str:
    types = " ".join(
        f"{t} {f1(v['tp'], v['fp'], v['fn']):.2f}"
        for t, v in r["per_type"].items()
        if any(v.values())
    )
    return (
        f"{name:<16} {n_articles:>2} art  entities P={r['entity_precision']:.3f} "
        f"R={r['entity_recall']:.3f} F1={r['entity_f1']:.3f} ({types})  "
        f"facts {pct(r['facts_found'], r['facts_total'])}  "
        f"dated {pct(r['fact_dates_ok'], r['fact_dates_total'])}"
        f" [of found: {pct(r.get('found_dates_ok', 0), r.get('found_dates_total', 0))}]"
    )


# -- misses ----------------------------------------------------------------------------------------


def _names(e: dict[str, Any], norm: Any) -> set[str]:
    return {norm(e.get("name", ""))} | {norm(a) for a in e.get("aliases") or []}


def fact_outcomes(
    gold: dict[str, Any], pred: dict[str, Any], norm: Any
) -> list[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]]:
    """Per gold fact: the extracted facts whose evidence holds its keywords, and the one the
    scorer takes (the first of them sharing a name with the gold ``who``), or None."""
    alias = {n: norm(ge["name"]) for ge in gold["entities"] for n in _names(ge, norm)}
    out = []
    for gf in gold["facts"]:
        gwho = {norm(w) for w in gf["who"]}
        kws = [k.casefold().replace("\u2019", "'") for k in gf["keywords"]]
        holding = [
            f
            for f in pred.get("facts", [])
            if all(k in (f.get("evidence") or "").replace("\u2019", "'").casefold() for k in kws)
        ]
        best = next(
            (
                f
                for f in holding
                if {alias.get(norm(w), norm(w)) for w in f.get("who") or []} & gwho
            ),
            None,
        )
        out.append((gf, holding, best))
    return out


def dates_of_found(gold: dict[str, Any], pred: dict[str, Any], norm: Any) -> tuple[int, int]:
    """(right, total) dates among the dated gold facts that were found: date resolution apart
    from fact recall."""
    ok = total = 0
    for gf, _, best in fact_outcomes(gold, pred, norm):
        if best is not None and gf.get("date"):
            total += 1
            ok += str(best.get("date") or "").startswith(gf["date"])
    return ok, total


def misses(gold: dict[str, Any], pred: dict[str, Any], norm: Any) -> list[str]:
    """What one article lost, in the scorer's own matching."""
    out: list[str] = []
    gents = [e for e in gold["entities"] if e["type"] in TYPES]
    used: set[int] = set()
    fps = []
    for e in pred.get("entities", []):
        if e.get("type") not in TYPES:
            continue
        en = _names(e, norm)
        hit = next(
            (
                i
                for i, ge in enumerate(gents)
                if i not in used and ge["type"] == e["type"] and en & _names(ge, norm)
            ),
            None,
        )
        if hit is not None:
            used.add(hit)
            continue
        other = [ge for ge in gents if en & _names(ge, norm)]
        if not other:
            why = ""
        elif other[0]["type"] == e["type"]:
            why = " (unmerged: gold already matched)"
        else:
            why = f" (gold {other[0]['type']})"
        fps.append(f"{e['name']}/{e['type']}{why}")
    fns = [f"{ge['name']}/{ge['type']}" for i, ge in enumerate(gents) if i not in used]
    if fns:
        out.append("  entities missed: " + "; ".join(fns))
    if fps:
        out.append("  entities extra:  " + "; ".join(fps))
    for gf, holding, best in fact_outcomes(gold, pred, norm):
        tag = f"{gf['kind']} {gf['summary'][:90]}"
        if not holding:
            out.append(f"  fact missed (no fact holds the keywords): {tag}")
        elif best is None:
            whos = "; ".join(f"{f.get('kind')} who={f.get('who')}" for f in holding[:3])
            out.append(f"  fact missed (wrong actor: {whos}): {tag} [gold who={gf['who']}]")
        elif gf.get("date") and not str(best.get("date") or "").startswith(gf["date"]):
            out.append(f"  date wrong (gold {gf['date']}, got {best.get('date')}): {tag}")
    return out


# -- the run ---------------------------------------------------------------------------------------


def measure(
    gs: GoldSet, exe: str, corpora: Path, scorer: Path, work: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(scorer report, PRED) for one set, built in ``work``."""
    inputs, index = work / "input", work / "index"
    for p in (inputs, index):
        if p.exists():
            shutil.rmtree(p)
    gather(gs, corpora, inputs)
    nd = Newsdesk(exe, index)
    nd.build(inputs)
    pred = predict(nd, gs.gold)
    pred_path = work / "pred.json"
    pred_path.write_text(json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
    report = run_scorer(scorer, gs.folder, pred_path, work / "report.json")
    return report, pred


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m newsdesk.index.tools.blind",
        description="Score a newsdesk executable on the blind gold sets.",
    )
    ap.add_argument("--newsdesk", metavar="PATH", help="the newsdesk executable to measure")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="GENRE/SPLIT",
        help="a gold set such as wire/dev, or a genre (repeatable; default: all)",
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--misses", action="store_true", help="list what each article missed")
    ap.add_argument("--keep", metavar="DIR", help="keep inputs, indexes and PRED files here")
    ap.add_argument("--gold", metavar="DIR", default=str(DEFAULT_GOLD))
    ap.add_argument("--corpora", metavar="DIR", default=str(DEFAULT_CORPORA))
    ap.add_argument(
        "--scorer", metavar="PATH", help="score_extraction.py (default: ../shared/tools)"
    )
    args = ap.parse_args(argv)
    try:
        corpora = Path(args.corpora)
        scorer = (
            Path(args.scorer) if args.scorer else corpora.parent / "tools" / "score_extraction.py"
        )
        if not scorer.is_file():
            raise BlindError(f"scorer not found: {scorer}")
        exe = args.newsdesk or default_newsdesk()
        if not (Path(exe).is_file() or shutil.which(exe)):
            raise BlindError(f"no newsdesk executable at {exe}")
        sets = find_sets(Path(args.gold), args.set)
        norm = load_scorer(scorer).norm
        rows: list[dict[str, Any]] = []
        with tempfile.TemporaryDirectory(prefix="newsdesk-blind-") as tmp:
            root = Path(args.keep) if args.keep else Path(tmp)
            for gs in sets:
                if not args.json:
                    sys.stderr.write(f"{gs.name}: building and scoring {len(gs.gold)} articles…\n")
                work = root / gs.name.replace("/", "-")
                work.mkdir(parents=True, exist_ok=True)
                report, pred = measure(gs, exe, corpora, scorer, work)
                row: dict[str, Any] = {"set": gs.name, "articles": len(gs.gold), **report}
                found = [dates_of_found(g, pred.get(aid, {}), norm) for aid, g in gs.gold.items()]
                row["found_dates_ok"] = sum(ok for ok, _ in found)
                row["found_dates_total"] = sum(n for _, n in found)
                if args.misses:
                    row["misses"] = {
                        aid: misses(g, pred.get(aid, {}), norm) for aid, g in gs.gold.items()
                    }
                rows.append(row)
                if not args.json:
                    print(line(gs.name, len(gs.gold), row), flush=True)
                    for aid, lost in (row.get("misses") or {}).items():
                        if lost:
                            print(f" {aid}")
                            print("\n".join(lost))
        pooled = totals(rows)
        n = sum(r["articles"] for r in rows)
        if args.json:
            print(json.dumps({"newsdesk": exe, "sets": rows, "all": pooled}, indent=1))
        elif len(rows) > 1:
            print(line("all", n, pooled))
    except BlindError as exc:
        sys.stderr.write(f"blind: error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
