"""Event extraction on the sample article against the team's hand-read gold.

Prints precision, recall and F1 of (line, label) pairs and the share of found events whose
count is right. Usage: python scripts/eval_facts.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import muragat

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO.parent / "shared" / "samples" / "000_5736a8e420be0dde.txt"
GOLD = REPO / "scripts" / "data" / "sample_events_gold.tsv"


def _gold() -> list[tuple[int, str, str]]:
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            n, label, count = line.split("\t")
            rows.append((int(n), label, count))
    return rows


def evaluate(layers: tuple[str, ...] | None = None) -> dict:
    text = SAMPLE.read_text(encoding="utf-8")
    doc = muragat.analyze(text) if layers is None else muragat.analyze(text, layers)
    found = []
    for s in doc.spans_of("event"):
        count = s.attrs.get("count")
        found.append((text.count("\n", 0, s.start) + 1, s.label, "-" if count is None else str(count)))
    gold = _gold()
    gold_keys = Counter((n, lab) for n, lab, _ in gold)
    found_keys = Counter((n, lab) for n, lab, _ in found)
    tp = sum((gold_keys & found_keys).values())
    p = tp / sum(found_keys.values()) if found_keys else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    counts_right = sum((Counter(gold) & Counter(found)).values())
    return {
        "events_gold": len(gold), "events_found": len(found), "precision": p,
        "recall": r, "f1": f, "counts_right": counts_right,
        "missed": sorted((gold_keys - found_keys).elements()),
        "spurious": sorted((found_keys - gold_keys).elements()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not SAMPLE.exists():
        sys.exit(f"sample not found: {SAMPLE}")
    result = evaluate()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print("facts on the sample article (gold: scripts/data/sample_events_gold.tsv)")
    print(f"  events: gold {result['events_gold']}, found {result['events_found']}")
    print(f"  precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}")
    print(f"  events with the right count: {result['counts_right']}/{result['events_gold']}")
    for key in ("missed", "spurious"):
        if result[key]:
            print(f"  {key}: {result[key]}")


if __name__ == "__main__":
    main()
