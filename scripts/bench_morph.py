"""Speed benchmark of the morphology layer on one core.

Stream: the sentences of KazNERD IOB2_valid.txt (transcribed news, ~129k tokens) read from the
shared data folder at run time, tagged sentence by sentence with `muragat.morph.tag_words`
(full disambiguation, per-form cache as in the pipeline). Reports:
  - stream rate, first pass (cache filling as it goes: realistic single pass)
  - stream rate, second pass (warm cache)
  - cold analysis rate: unique unseen forms through the analyzer + candidate scoring, caches cleared

  .venv/bin/python scripts/bench_morph.py [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_morph import shared_dir  # noqa: E402


def read_stream(path: Path, limit: int) -> list[list[str]]:
    sents: list[list[str]] = []
    cur: list[str] = []
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if cur:
                sents.append(cur)
                n += len(cur)
                cur = []
                if n >= limit:
                    break
            continue
        cur.append(parts[0])
    if cur:
        sents.append(cur)
    return sents


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=130_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import muragat.morph as morph
    from muragat.morph import analyzer, ranker
    from muragat.morph.crf import _word as crf_words

    sents = read_stream(shared_dir() / "data" / "kaznerd" / "IOB2_valid.txt", args.limit)
    n = sum(len(s) for s in sents)
    uniq = len({w for s in sents for w in s})
    morph.tag_words(["жүктеу"])  # load lexicon, suffix index and model (not timed)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    for s in sents:
        morph.tag_words(s)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sents:
        morph.tag_words(s)
    warm = time.perf_counter() - t0
    # cold: every unique form analysed and scored with empty caches
    forms = sorted({w for s in sents for w in s})
    analyzer.analyze_word.cache_clear()
    ranker.next_signature.cache_clear()
    tagger = morph._tagger()
    assert tagger is not None
    tagger._static.cache_clear()
    view = tagger.model.crf  # the sentence view keeps per-form vectors: built cold as well
    crf_words.cache_clear()
    if view is not None:
        view.clear()
    t0 = time.perf_counter()
    for w in forms:
        tagger._static(w)
        if view is not None:
            view.form_vectors(w)
    cold = time.perf_counter() - t0
    res = {"tokens": n, "unique_forms": uniq, "first_pass_wps": n / first,
           "warm_pass_wps": n / warm, "cold_forms_per_s": len(forms) / cold,
           "load_avg_1min_at_start": load}
    if args.json:
        print(json.dumps(res, indent=1))
        return
    print(f"stream: KazNERD valid, {n} tokens, {uniq} unique forms; 1-min load at start {load:.2f}")
    print("| measure | rate |")
    print("|---|---|")
    print(f"| stream, first pass (cache filling) | {res['first_pass_wps']:,.0f} words/s |")
    print(f"| stream, warm cache | {res['warm_pass_wps']:,.0f} words/s |")
    print(f"| cold analysis of unseen forms | {res['cold_forms_per_s']:,.0f} forms/s |")


if __name__ == "__main__":
    main()
