"""Evaluate Kazakh NER.

    .venv/bin/python scripts/eval_ner.py            # 5-fold CV on ../shared/data/kaznerd (trains 5 models)
    .venv/bin/python scripts/eval_ner.py --domain   # shipped model on scripts/data/ner_domain_*.txt (own gold)
    .venv/bin/python scripts/eval_ner.py --sample   # print the entities found in the sample article
    options: --jobs 2 (folds in parallel), --folds 5, --no-rules, --json, --dump DIR (fold predictions)

Scores are entity-level exact match with conlleval's rules (muragat.ner.score).
Each CV fold learns its own word clusters from its training part only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from train_ner import REPO, fit, folds, load_all, shared_dir, tag_all

from muragat.ner.rules import apply_rules
from muragat.ner.score import Scores, score
from muragat.ner.spans import repair
from muragat.ner.training import read_iob

DOMAIN_GLOB = "ner_domain_*.txt"


def run_fold(args: tuple[int, int, bool, str]) -> tuple[int, Scores, Scores, float]:
    """Train the ensemble on the other folds, tag fold k (each sentence judged as its own text).

    Returns the scores with the post-rules (or without, `rules` false) and of the bare model."""
    k, nfolds, rules, dump = args
    sents = load_all()
    test_idx = set(folds(len(sents), nfolds)[k])
    train = [s for i, s in enumerate(sents) if i not in test_idx]
    test = [s for i, s in enumerate(sents) if i in test_idx]
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        bare = tag_all(fit(train, Path(tmp)), test)
    pred = [repair(apply_rules(w, lab)) for (w, _), lab in zip(test, bare, strict=True)] if rules else bare
    if dump:  # word, gold, bare model, final: lets rules be re-scored without retraining
        lines = ["\n".join(f"{w} {g} {b} {p}" for w, g, b, p in zip(words, gold, bl, pl, strict=True)) + "\n"
                 for (words, gold), bl, pl in zip(test, bare, pred, strict=True)]
        (Path(dump) / f"fold{k}.txt").write_text("\n".join(lines), encoding="utf-8")
    gold = [lab for _, lab in test]
    return k, score(gold, pred), score(gold, bare), time.time() - t0


def print_scores(title: str, sc: Scores) -> dict:
    p, r, f = sc.micro()
    print(f"\n{title}\n  micro  P {p:6.2f}  R {r:6.2f}  F1 {f:6.2f}")
    print(f"  {'class':<14}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}")
    table = sc.per_class()
    for cls, (cp, cr, cf, n) in table.items():
        print(f"  {cls:<14}{cp:7.2f}{cr:7.2f}{cf:7.2f}{n:7d}")
    return {"micro": {"p": p, "r": r, "f1": f}, "classes": {c: v[2] for c, v in table.items()}}


def cross_validate(nfolds: int, jobs: int, rules: bool, dump: str = "") -> dict:
    total: Scores | None = None
    bare_total: Scores | None = None
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        for k, sc, bare, secs in ex.map(run_fold, [(k, nfolds, rules, dump) for k in range(nfolds)]):
            print(f"fold {k}: F1 {sc.micro()[2]:.2f} (model alone {bare.micro()[2]:.2f})  ({secs:.0f} s)", flush=True)
            total = sc if total is None else total + sc
            bare_total = bare if bare_total is None else bare_total + bare
    assert total is not None and bare_total is not None
    print(f"\nmodel alone, without the post-rules: micro F1 {bare_total.micro()[2]:.2f}")
    return print_scores(f"{nfolds}-fold CV, KazNERD valid + test_a (rules {'on' if rules else 'off'})", total)


def domain() -> dict:
    from muragat import ner

    files = sorted((REPO / "scripts" / "data").glob(DOMAIN_GLOB))
    gold_sents = [s for f in files for s in read_iob(f)]
    pred = ner.tag([w for w, _ in gold_sents])
    sc = score([lab for _, lab in gold_sents], pred)
    out = print_scores(f"domain text ({len(gold_sents)} sentences, {', '.join(f.name for f in files)})", sc)
    for (words, gold), p in zip(gold_sents, pred, strict=True):
        if gold != p:
            diff = [f"{w}/{g}>{q}" for w, g, q in zip(words, gold, p, strict=True) if g != q]
            print("  miss:", " ".join(diff))
    return out


def sample() -> None:
    from muragat import ner, pipeline

    path = shared_dir() / "samples" / "000_5736a8e420be0dde.txt"
    if not path.exists():
        sys.exit(f"sample not found: {path}")
    doc = pipeline.analyze(path.read_text(encoding="utf-8"), ("text",))
    doc = ner.annotate(doc)
    for s in doc.spans_of("ner"):
        print(f"{s.label:<14} {doc.text[s.start:s.end]!r:<45} -> {s.attrs['lemma']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--domain", action="store_true")
    ap.add_argument("--sample", action="store_true")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-rules", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--dump", default="", help="CV: write fold predictions into this folder")
    args = ap.parse_args()
    if args.sample:
        sample()
        return
    result = domain() if args.domain else cross_validate(args.folds, args.jobs, not args.no_rules, args.dump)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
