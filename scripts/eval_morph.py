"""Evaluate the morphology layer.

Default: ten-fold jack-knife over UD Kazakh-KTB (gold syntactic words in; for each fold the
disambiguator AND the learned edit rules are trained on the other nine folds). Metrics over all
syntactic words (multiword-token parts counted as words, like the CoNLL 2018 evaluation):
Lemma (exact string), UPOS, UFeats (all features exact, UD definition), AllTags (UPOS+UFeats),
and the oracle (gold analysis among candidates).

  .venv/bin/python scripts/eval_morph.py [--conllu PATH] [--folds 10] [--json]
  .venv/bin/python scripts/eval_morph.py --spot   # spot-check table + coverage on the sample
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

from muragat.morph.conllu import Word, read_conllu  # noqa: E402
from muragat.morph.ranker import Tagger, candidates  # noqa: E402
from muragat.morph.train import train  # noqa: E402


def shared_dir() -> Path:
    env = os.environ.get("MURAGAT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", Path("/work/shared")]:
        if cand.is_dir():
            return cand
    raise SystemExit("shared data folder not found (set MURAGAT_SHARED)")


def score_fold(tagger: Tagger, test: list[list[Word]]) -> dict[str, float]:
    n = lem = upos = feats = both = oracle = 0
    for sent in test:
        ranked = tagger.tag([w.form for w in sent])
        for w, cands in zip(sent, ranked, strict=True):
            best = cands[0][0]
            n += 1
            lem += best.lemma == w.lemma
            upos += best.upos == w.upos
            feats += best.feats == w.feats
            both += best.upos == w.upos and best.feats == w.feats
            gold = (w.lemma, w.upos, w.feats)
            oracle += any((a.lemma, a.upos, a.feats) == gold
                          for a, _ in candidates(w.form, tagger.model))
    return {"words": n, "lemma": 100 * lem / n, "upos": 100 * upos / n, "ufeats": 100 * feats / n,
            "alltags": 100 * both / n, "oracle": 100 * oracle / n}


def jackknife(path: Path, folds: int, seed: int, epochs: int = 10) -> list[dict[str, float]]:
    sents = read_conllu(path)
    out = []
    for k in range(folds):
        test = [s for i, s in enumerate(sents) if i % folds == k]
        trn = [s for i, s in enumerate(sents) if i % folds != k]
        t0 = time.time()
        model = train(trn, epochs=epochs, seed=seed)
        res = score_fold(Tagger(model), test)
        res["fold"] = k
        res["secs"] = round(time.time() - t0, 1)
        out.append(res)
        print(f"fold {k}: words {res['words']:5d}  lemma {res['lemma']:6.2f}  upos {res['upos']:6.2f}"
              f"  ufeats {res['ufeats']:6.2f}  alltags {res['alltags']:6.2f}"
              f"  oracle {res['oracle']:6.2f}  ({res['secs']}s)", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--conllu", type=Path)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--spot", action="store_true", help="sample-article coverage + spot table")
    args = ap.parse_args()
    if args.spot:
        sys.path.insert(0, str(ROOT / "scripts"))
        from spot_morph import spot  # type: ignore[import-not-found]

        spot(shared_dir())
        return
    path = args.conllu or shared_dir() / "data" / "ud-kazakh-ktb" / "kk_ktb-dev.conllu"
    res = jackknife(path, args.folds, args.seed, args.epochs)
    keys = ["lemma", "upos", "ufeats", "alltags", "oracle"]
    tot = sum(r["words"] for r in res)
    mean = {k: sum(r[k] for r in res) / len(res) for k in keys}
    micro = {k: sum(r[k] * r["words"] for r in res) / tot for k in keys}
    if args.json:
        print(json.dumps({"folds": res, "mean": mean, "micro": micro}, indent=1))
        return
    print(f"\n{args.folds}-fold jack-knife over {path.name} ({tot} syntactic words, gold tokens)")
    print("UFeats = UD definition: the whole FEATS set must match exactly ('_' = empty set).")
    print("| fold | words | lemma | UPOS | UFeats | UPOS+UFeats | oracle |")
    print("|---|---|---|---|---|---|---|")
    for r in res:
        print(f"| {r['fold']} | {r['words']} | " + " | ".join(f"{r[k]:.2f}" for k in keys) + " |")
    print("| mean | | " + " | ".join(f"{mean[k]:.2f}" for k in keys) + " |")
    print("| micro | " + str(tot) + " | " + " | ".join(f"{micro[k]:.2f}" for k in keys) + " |")


if __name__ == "__main__":
    main()
