"""Speed of the shipped NER model on one core: load time, tokens/s (features + CRF + rules), peak memory.

    .venv/bin/python scripts/bench_ner.py [--sentences 3000] [--json] [--members K]

`--members 1` times the first ensemble member alone (the trade-off table in the README).

Input: KazNERD sentences from ../shared/data/kaznerd if present (labels ignored), else the
hand-written domain text repeated. The feature cache starts cold: word features are computed
for every new form as they would be on unseen text.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def sentences(limit: int) -> tuple[list[list[str]], str]:
    from muragat.ner.training import read_iob

    shared = Path(os.environ.get("MURAGAT_SHARED", REPO.parent / "shared"))
    src = shared / "data" / "kaznerd" / "IOB2_test_a.txt"
    if src.exists():
        return [w for w, _ in read_iob(src)][:limit], str(src.name)
    domain = [w for f in sorted((REPO / "scripts/data").glob("ner_domain_*.txt")) for w, _ in read_iob(f)]
    return (domain * (limit // max(len(domain), 1) + 1))[:limit], "domain text (repeated)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--members", type=int, default=0, help="use only the first K members (0: all)")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    sents, source = sentences(args.sentences)
    t0 = time.perf_counter()
    from muragat import ner

    model = ner.model()
    if args.members:
        model = model.first(args.members)
    model(["Алматы"])  # the lexicon loads with the first sentence
    load_s = time.perf_counter() - t0
    from muragat.ner.features import word_features

    word_features.cache_clear()
    n_tok = sum(len(s) for s in sents)
    t1 = time.perf_counter()
    for s in sents:
        model(s)
    run_s = time.perf_counter() - t1
    # The third member runs only where the first two disagree: never on this (training) text,
    # ~5 % of tokens on unseen text (eval_ner.py prints it). Every member on every sentence is
    # the floor for any text.
    model.lazy = False
    t2 = time.perf_counter()
    for s in sents:
        model(s)
    full_s = time.perf_counter() - t2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from muragat.ner.tagger import member_files

    files = [*member_files(ner.MODEL_FILE)[:args.members or None], ner.MODEL_FILE.parent / "clusters.tsv"]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    result = {
        "source": source,
        "sentences": len(sents),
        "tokens": n_tok,
        "tokens_per_s": round(n_tok / run_s),
        "tokens_per_s_all_members": round(n_tok / full_s),
        "load_s": round(load_s, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "model_mb": round(size_mb, 2),
        "loadavg": os.getloadavg()[0],
    }
    print(f"NER benchmark on {source}: {len(sents)} sentences, {n_tok} tokens, one core")
    print(f"  model load (incl. lexicon, clusters) {load_s:8.3f} s")
    print(f"  tagging (features + CRF + rules)     {result['tokens_per_s']:8d} tokens/s")
    print(f"  the same, every member on every sentence (warm features) {result['tokens_per_s_all_members']:8d} tokens/s")
    print(f"  peak memory (ru_maxrss)              {peak_mb:8.1f} MB")
    print(f"  models ({len(files) - 1}) + clusters on disk      {size_mb:8.2f} MB")
    print(f"  load average at end                  {result['loadavg']:8.2f}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
