"""Events against hand-read gold: the team's documents (dev and held-out apart) and the sample.

For each part prints precision, recall and F1 by type (an event is found when its line and type
are right), strict F1 (type + subject + date + count all right), slot accuracy over the found
events (date, term, count, subject, mod), how many terms came out as dates (must be 0), and the
time of the events layer against the whole pipeline. The events scored are read from `muragat
analyze --to json`, run as a process over each part's files; the layer timing is taken in-process
(`muragat.analyze`, the least of --repeat runs), as a share of the pipeline.

Gold: scripts/data/events_gold/*.tsv (README there), scripts/data/sample_events_gold.tsv.
Every folder events_gold/heldout*/ (heldout/ doc14-17, heldout2/ doc18-22, heldout3/ doc23-27,
...) is a part of its own, so a held-out part whose output has been seen stays apart from a
fresh one.
Usage: python scripts/eval_facts.py [--json] [--part dev|heldout|heldout2|...|sample]
       [--errors] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import muragat
from muragat import facts
from muragat.pipeline import DEFAULT_LAYERS

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "scripts" / "data" / "events_gold"
SAMPLE = REPO.parent / "shared" / "samples" / "000_5736a8e420be0dde.txt"
MURAGAT = str(Path(sys.executable).with_name("muragat"))
SAMPLE_GOLD = REPO / "scripts" / "data" / "sample_events_gold.tsv"
COLUMNS = ("line", "type", "trigger", "subject", "inferred", "date", "mod", "term", "count",
           "place", "actor", "article")
SLOTS = ("date", "term", "count", "subject", "mod")
UPSTREAM = tuple(name for name in DEFAULT_LAYERS if name != "facts")


@dataclass
class Tally:
    gold: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    hit: Counter = field(default_factory=Counter)
    strict: int = 0
    dated: int = 0  # type and date right: the measure of the held-back bar
    slot_right: Counter = field(default_factory=Counter)
    terms_as_dates: int = 0
    errors: list[str] = field(default_factory=list)
    facts_s: float = 0.0
    pipeline_s: float = 0.0


def read_gold(path: Path) -> list[dict[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cells = line.split("\t")
            rows.append(dict(zip(COLUMNS, cells + ["-"] * (len(COLUMNS) - len(cells)), strict=True)))
    return rows


def system_row(text: str, span: dict[str, Any]) -> dict[str, str]:
    a = span["attrs"]

    def cell(key: str) -> str:
        value = a.get(key)
        return "-" if value is None else str(value)

    return {"line": str(text.count("\n", 0, span["start"]) + 1), "type": span["label"],
            "subject": cell("subject"), "date": cell("date"), "mod": cell("date_mod"),
            "term": cell("term"), "count": cell("count")}


def _subject_ok(gold: str, got: str) -> bool:
    if gold == "-":
        return got == "-"
    words = got.casefold().split()
    return all(any(w.startswith(g[: max(4, len(g) - 3)]) for w in words)
               for g in gold.casefold().split())


def slot_ok(slot: str, gold: dict[str, str], got: dict[str, str]) -> bool:
    if slot == "subject":
        return _subject_ok(gold["subject"], got["subject"])
    return gold[slot] == got[slot]


def _strict(gold: dict[str, str], got: dict[str, str]) -> bool:
    return all(slot_ok(s, gold, got) for s in ("subject", "date", "count"))


def _timed(text: str, repeat: int) -> tuple[Any, float, float]:
    """The analysed document, and the least time of `repeat` runs of the whole pipeline and of
    its events layer (the least is the one least disturbed by other work on the machine)."""
    best_all = best_facts = float("inf")
    doc = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        doc = muragat.analyze(text, UPSTREAM)
        t1 = time.perf_counter()
        facts.annotate(doc)
        t2 = time.perf_counter()
        best_all, best_facts = min(best_all, t2 - t0), min(best_facts, t2 - t1)
    return doc, best_all, best_facts


def cli_events(paths: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """The event spans of each file, as `muragat analyze --to json` writes them (one process for
    the part: the figures are what a user of the command gets)."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([MURAGAT, "analyze", *map(str, paths), "--to", "json", "-o", out + "/"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        written = {p: Path(out) / (p.name + ".json") for p in paths}
        if len(paths) == 1 and not written[paths[0]].exists():
            written = {paths[0]: next(Path(out).glob("*.json"))}
        return {p: [s for s in json.loads(f.read_text(encoding="utf-8"))["spans"]
                    if s["layer"] == "event"] for p, f in written.items()}


def score_doc(tally: Tally, name: str, text: str, gold: list[dict[str, str]],
              events_json: list[dict[str, Any]], repeat: int = 1) -> None:
    _, whole, events = _timed(text, repeat)
    tally.pipeline_s += whole
    tally.facts_s += events
    found = [system_row(text, s) for s in events_json]
    tally.terms_as_dates += sum(1 for f in found if f["date"].startswith("P"))
    pool = list(found)
    for g in gold:
        tally.gold[g["type"]] += 1
        same = [f for f in pool if f["line"] == g["line"] and f["type"] == g["type"]]
        if not same:
            tally.errors.append(f"{name}:{g['line']} missed {g['type']} ({g['trigger']})")
            continue
        best = max(same, key=lambda f: sum(slot_ok(s, g, f) for s in SLOTS))
        pool.remove(best)
        tally.hit[g["type"]] += 1
        for s in SLOTS:
            tally.slot_right[s] += slot_ok(s, g, best)
        tally.dated += slot_ok("date", g, best)
        if _strict(g, best):
            tally.strict += 1
        else:
            wrong = [f"{s} {best[s]!r}≠{g[s]!r}" for s in ("subject", "date", "count")
                     if not slot_ok(s, g, best)]
            tally.errors.append(f"{name}:{g['line']} {g['type']}: " + ", ".join(wrong))
    for f in found:
        tally.found[f["type"]] += 1
    for f in pool:
        tally.errors.append(f"{name}:{f['line']} spurious {f['type']} {f['subject']} {f['date']}")


def prf(tp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / found if found else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def summary(tally: Tally) -> dict[str, Any]:
    gold, found, hit = sum(tally.gold.values()), sum(tally.found.values()), sum(tally.hit.values())
    p, r, f = prf(hit, found, gold)
    sp, sr, sf = prf(tally.strict, found, gold)
    dp, dr, df = prf(tally.dated, found, gold)
    types = sorted(set(tally.gold) | set(tally.found))
    return {
        "events_gold": gold, "events_found": found, "precision": p, "recall": r, "f1": f,
        "strict_precision": sp, "strict_recall": sr, "strict_f1": sf,
        "type_date_precision": dp, "type_date_recall": dr, "type_date_f1": df,
        "slot_accuracy": {s: (tally.slot_right[s] / hit if hit else 0.0) for s in SLOTS},
        "terms_as_dates": tally.terms_as_dates,
        "by_type": {t: dict(zip(("p", "r", "f1"), prf(tally.hit[t], tally.found[t], tally.gold[t]),
                                strict=True)) | {"gold": tally.gold[t], "found": tally.found[t]}
                    for t in types},
        "facts_seconds": tally.facts_s, "pipeline_seconds": tally.pipeline_s,
        "facts_share": tally.facts_s / tally.pipeline_s if tally.pipeline_s else 0.0,
        "errors": tally.errors,
    }


def heldout_parts() -> list[str]:
    """The held-out folders beside the dev documents, in name order (heldout, heldout2, ...)."""
    if not GOLD_DIR.exists():
        return []
    return sorted(p.name for p in GOLD_DIR.glob("heldout*") if p.is_dir())


def parts() -> dict[str, list[tuple[str, Path, Path]]]:
    def docs(folder: Path) -> list[tuple[str, Path, Path]]:
        return [(p.stem, p, p.with_suffix(".tsv")) for p in sorted(folder.glob("doc*.txt"))]

    out = {"dev": docs(GOLD_DIR)}
    for name in heldout_parts():
        out[name] = docs(GOLD_DIR / name)
    if SAMPLE.exists():
        out["sample"] = [("sample", SAMPLE, SAMPLE_GOLD)]
    return out


def evaluate(only: str | None = None, repeat: int = 1) -> dict[str, Any]:
    results = {}
    for part, docs in parts().items():
        if only and part != only:
            continue
        tally = Tally()
        by_file = cli_events([text_path for _, text_path, _ in docs])
        for name, text_path, gold_path in docs:
            score_doc(tally, name, text_path.read_text(encoding="utf-8"), read_gold(gold_path),
                      by_file[text_path], repeat)
        results[part] = summary(tally)
    return results


def report(part: str, res: dict[str, Any], errors: bool) -> None:
    print(f"== {part}: gold {res['events_gold']}, found {res['events_found']}")
    print(f"   type+line   P {res['precision']:.3f}  R {res['recall']:.3f}  F1 {res['f1']:.3f}")
    print(f"   type+date   P {res['type_date_precision']:.3f}  R {res['type_date_recall']:.3f}  "
          f"F1 {res['type_date_f1']:.3f}")
    print(f"   strict      P {res['strict_precision']:.3f}  R {res['strict_recall']:.3f}  "
          f"F1 {res['strict_f1']:.3f}   (type + subject + date + count)")
    acc = "  ".join(f"{k} {v:.3f}" for k, v in res["slot_accuracy"].items())
    print(f"   slot accuracy on found events: {acc}")
    print(f"   terms output as dates: {res['terms_as_dates']}")
    print(f"   time (in-process, least of --repeat runs): events layer {res['facts_seconds']:.3f} s of pipeline "
          f"{res['pipeline_seconds']:.3f} s = {100 * res['facts_share']:.1f} %")
    print(f"   {'type':28s} {'gold':>4s} {'found':>5s}   P     R     F1")
    for t, v in res["by_type"].items():
        print(f"   {t:28s} {v['gold']:4d} {v['found']:5d}  {v['p']:.2f}  {v['r']:.2f}  {v['f1']:.2f}")
    if errors:
        for e in res["errors"]:
            print("   !", e)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--part", choices=("dev", *heldout_parts(), "sample"))
    parser.add_argument("--errors", action="store_true", help="list every miss and wrong slot")
    parser.add_argument("--repeat", type=int, default=3, help="runs per document for the timing")
    args = parser.parse_args()
    if not GOLD_DIR.exists():
        sys.exit(f"gold not found: {GOLD_DIR}")
    results = evaluate(args.part, max(1, args.repeat))
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    for part, res in results.items():
        report(part, res, args.errors)
    for part in (p for p in results if p.startswith("heldout") and "dev" in results):
        gap = 100 * (results["dev"]["strict_f1"] - results[part]["strict_f1"])
        print(f"{part} strict F1 is {gap:+.1f} points below dev" if gap >= 0
              else f"{part} strict F1 is {-gap:.1f} points above dev")


if __name__ == "__main__":
    main()
