"""Evaluate Kazakh NER.

    .venv/bin/python scripts/eval_ner.py            # 5-fold CV on ../shared/data/kaznerd (trains 5 models)
    .venv/bin/python scripts/eval_ner.py --domain   # shipped model on scripts/data/ner_domain_*.txt (own gold)
    .venv/bin/python scripts/eval_ner.py --sample   # print the entities found in the sample article
    options: --jobs 2 (members x folds in parallel), --folds 5, --no-rules, --json, --dump DIR (fold
    predictions), --cache DIR (keep the fold models; a rerun with the same members reuses them)

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

from train_ner import REPO, folds, load_all, shared_dir

from muragat.ner.rules import apply_rules
from muragat.ner.score import Scores, score
from muragat.ner.spans import repair, vote
from muragat.ner.training import read_iob

DOMAIN_GLOB = "ner_domain_*.txt"


def run_member(args: tuple[int, int, int, str]) -> tuple[int, int, list[list[str]], float]:
    """Train ensemble member m on the folds other than k (or reuse it from `cache`) and tag fold k
    with it alone (IOB2). Each fold learns its own word clusters from its training part."""
    import pycrfsuite

    from muragat.ner.tagger import NER
    from muragat.ner.training import (
        C1,
        C2,
        ITERATIONS,
        MEMBERS,
        build_clusters,
        train_member,
        use_clusters,
    )

    k, m, nfolds, cache = args
    sents = load_all()
    test_idx = set(folds(len(sents), nfolds)[k])
    train = [s for i, s in enumerate(sents) if i not in test_idx]
    test = [s for i, s in enumerate(sents) if i in test_idx]
    t0 = time.time()
    use_clusters(build_clusters([w for w, _ in train]))
    _, flags, encoding = MEMBERS[m]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(cache) / f"fold{k}-of-{nfolds}" if cache else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        # the member's identity (labels, features, training parameters), not its file name
        model = out / f"{encoding}-{'+'.join(flags)}-c1={C1}-c2={C2}-it={ITERATIONS}.crfsuite"
        if not model.exists():
            train_member(train, out, (model.name + ".part", flags, encoding))
            (out / (model.name + ".part")).rename(model)
        crf = pycrfsuite.Tagger()
        crf.open(str(model))
        tagger = NER([crf], model, [encoding == "bioes"])  # the shipped tagger, one member
        tagger.rules = False
        pred = [tagger(words) for words, _ in test]
    return k, m, pred, time.time() - t0


def fold_result(test: list, members: list[list[list[str]]], rules: bool, dump: str, k: int
                ) -> tuple[Scores, Scores]:
    """Vote the members' labels of fold k, apply the post-rules; scores with and without them."""
    bare = [vote(list(seqs)) for seqs in zip(*members, strict=True)]
    pred = [repair(apply_rules(w, lab)) for (w, _), lab in zip(test, bare, strict=True)] if rules else bare
    if dump:  # word, gold, each member, vote, final: lets votes and rules be re-scored without retraining
        lines = ["\n".join(" ".join(row) for row in zip(words, gold, *(m[i] for m in members), bl, pl, strict=True)) + "\n"
                 for i, ((words, gold), bl, pl) in enumerate(zip(test, bare, pred, strict=True))]
        Path(dump).mkdir(parents=True, exist_ok=True)
        (Path(dump) / f"fold{k}.txt").write_text("\n".join(lines), encoding="utf-8")
    gold = [lab for _, lab in test]
    return score(gold, pred), score(gold, bare)


def print_scores(title: str, sc: Scores) -> dict:
    p, r, f = sc.micro()
    print(f"\n{title}\n  micro  P {p:6.2f}  R {r:6.2f}  F1 {f:6.2f}")
    print(f"  {'class':<14}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}")
    table = sc.per_class()
    for cls, (cp, cr, cf, n) in table.items():
        print(f"  {cls:<14}{cp:7.2f}{cr:7.2f}{cf:7.2f}{n:7d}")
    return {"micro": {"p": p, "r": r, "f1": f}, "classes": {c: v[2] for c, v in table.items()}}


def cross_validate(nfolds: int, jobs: int, rules: bool, dump: str = "", cache: str = "") -> dict:
    from muragat.ner.training import MEMBERS

    preds: dict[int, dict[int, list[list[str]]]] = {k: {} for k in range(nfolds)}
    alone: dict[int, Scores] = {}  # each member without the vote and the rules
    sents = load_all()
    agree = [0, 0]  # tokens in sentences where the first majority of members agree, all tokens
    total: Scores | None = None
    bare_total: Scores | None = None
    tasks = [(k, m, nfolds, cache) for k in range(nfolds) for m in range(len(MEMBERS))]
    with ProcessPoolExecutor(max_workers=jobs) as ex:  # one task per (fold, member): no idle core
        for k, m, pred, secs in ex.map(run_member, tasks):
            preds[k][m] = pred
            test = [sents[i] for i in folds(len(sents), nfolds)[k]]
            sc_m = score([lab for _, lab in test], pred)
            alone[m] = sc_m if m not in alone else alone[m] + sc_m
            print(f"fold {k} member {m} ({MEMBERS[m][0]}): {secs:.0f} s", flush=True)
            if len(preds[k]) == len(MEMBERS):
                # where the first majority of members agree, the shipped tagger stops there
                firsts = [preds[k][i] for i in range(len(MEMBERS) // 2 + 1)]
                agree[0] += sum(len(seqs[0]) for seqs in zip(*firsts, strict=True)
                                if seqs.count(seqs[0]) == len(seqs))
                agree[1] += sum(len(x) for x in firsts[0])
                sc, bare = fold_result(test, [preds[k][i] for i in range(len(MEMBERS))], rules, dump, k)
                print(f"fold {k}: F1 {sc.micro()[2]:.2f} (model alone {bare.micro()[2]:.2f})", flush=True)
                total = sc if total is None else total + sc
                bare_total = bare if bare_total is None else bare_total + bare
    assert total is not None and bare_total is not None
    for m, sc_m in sorted(alone.items()):
        print(f"member {m} ({MEMBERS[m][0]}, {MEMBERS[m][2]}) alone: micro F1 {sc_m.micro()[2]:.2f}")
    if agree[1]:
        print(f"the first {len(MEMBERS) // 2 + 1} members agree on sentences holding "
              f"{100 * agree[0] / agree[1]:.1f} % of the tokens (the tagger stops there)")
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
    ap.add_argument("--cache", default="", help="CV: keep fold models in this folder and reuse them")
    args = ap.parse_args()
    if args.sample:
        sample()
        return
    result = domain() if args.domain else cross_validate(args.folds, args.jobs, not args.no_rules, args.dump, args.cache)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
