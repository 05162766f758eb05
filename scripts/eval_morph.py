"""Evaluate the morphology layer.

Default: ten-fold jack-knife over UD Kazakh-KTB (gold syntactic words in; for each fold the
disambiguator, the learned edit rules and the sentence-view CRF are trained on the other nine
folds; the self-training
tables are counted over KazNERD's text tagged by first models trained on those nine folds only,
so no test-fold word reaches a model by that path either). Metrics over all
syntactic words (multiword-token parts counted as words, like the CoNLL 2018 evaluation):
Lemma (exact string), UPOS, UFeats (all features exact, UD definition), AllTags (UPOS+UFeats),
and the oracle (gold analysis among candidates).

  .venv/bin/python scripts/eval_morph.py [--conllu PATH] [--folds 10] [--jobs 2] [--json]
      [--no-self-train]   # KTB alone, without the self-training tables from KazNERD's text
      [--no-sentence-view]  # without the UPOS CRF whose marginals the ranker reads
      [--bidirectional]   # experiment: also a right-to-left model, scores summed (not shipped)
  .venv/bin/python scripts/eval_morph.py --spot   # spot-check table + coverage on the sample
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from muragat.morph.conllu import Word, read_conllu  # noqa: E402
from muragat.morph.ranker import Tagger, candidates  # noqa: E402
from muragat.morph.train import train  # noqa: E402
from muragat.ner.training import read_iob  # noqa: E402


def shared_dir() -> Path:
    env = os.environ.get("MURAGAT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", Path("/work/shared")]:
        if cand.is_dir():
            return cand
    raise SystemExit("shared data folder not found (set MURAGAT_SHARED)")


def score_fold(tagger: Tagger, test: list[list[Word]],
               backward: Tagger | None = None, rows: list | None = None) -> dict[str, float]:
    n = lem = upos = feats = both = oracle = 0
    for sent in test:
        words = [w.form for w in sent]
        ranked = tagger.tag(words)
        if backward is not None:
            ranked = _summed(ranked, backward.tag(words[::-1])[::-1])
        for w, cands in zip(sent, ranked, strict=True):
            best = cands[0][0]
            n += 1
            lem += best.lemma == w.lemma
            upos += best.upos == w.upos
            feats += best.feats == w.feats
            both += best.upos == w.upos and best.feats == w.feats
            if rows is not None:
                rows.append((w.form, w.lemma, w.upos, w.feats, best.lemma, best.upos, best.feats))
            gold = (w.lemma, w.upos, w.feats)
            oracle += any((a.lemma, a.upos, a.feats) == gold
                          for a, _ in candidates(w.form, tagger.model))
    return {"words": n, "lemma": 100 * lem / n, "upos": 100 * upos / n, "ufeats": 100 * feats / n,
            "alltags": 100 * both / n, "oracle": 100 * oracle / n}


def _summed(forward: list, backward: list) -> list:
    """Each reading's forward score plus its backward score (a reading the backward model
    pruned gets its lowest score minus one), best first."""
    out = []
    for fw, bw in zip(forward, backward, strict=True):
        back = {(a.lemma, a.upos, a.feats): s for a, s in bw}
        floor = min(back.values()) - 1
        out.append(sorted(((a, s + back.get((a.lemma, a.upos, a.feats), floor)) for a, s in fw),
                          key=lambda x: -x[1]))
    return out


@cache  # read once per process, not once per fold
def unlabelled_text() -> list[list[str]]:
    """KazNERD's sentences (their words only) as unlabelled text for self-training."""
    out = []
    for name in ("IOB2_valid.txt", "IOB2_test_a.txt"):
        path = shared_dir() / "data" / "kaznerd" / name
        if path.is_file():
            out += [words for words, _ in read_iob(path)]
    if not out:
        raise SystemExit(f"KazNERD text not found in {shared_dir() / 'data' / 'kaznerd'} "
                         "(needed for self-training; --no-self-train trains on KTB alone)")
    return out


def run_fold(path: Path, folds: int, k: int, seed: int, epochs: int,
             self_train: bool = False, bidirectional: bool = False,
             dump: Path | None = None, sentence_view: bool = False) -> dict[str, float]:
    sents = read_conllu(path)
    test = [s for i, s in enumerate(sents) if i % folds == k]
    trn = [s for i, s in enumerate(sents) if i % folds != k]
    t0 = time.time()
    model = train(trn, epochs=epochs, seed=seed,
                  unlabelled=unlabelled_text() if self_train else None,
                  sentence_view=sentence_view)
    backward = None
    if bidirectional:  # the same trainer on reversed sentences: "previous" means the right word
        backward = Tagger(train([s[::-1] for s in trn], epochs=epochs, seed=seed,
                                unlabelled=[u[::-1] for u in unlabelled_text()] if self_train
                                else None))
    rows: list | None = [] if dump else None
    res = score_fold(Tagger(model), test, backward, rows)
    if dump and rows is not None:  # one line per test word: form, gold triple, chosen triple
        dump.mkdir(parents=True, exist_ok=True)
        (dump / f"fold-{k}.tsv").write_text("".join("\t".join(r) + "\n" for r in rows),
                                            encoding="utf-8")
    res["fold"] = k
    res["secs"] = round(time.time() - t0, 1)
    print(f"fold {k}: words {res['words']:5d}  lemma {res['lemma']:6.2f}  upos {res['upos']:6.2f}"
          f"  ufeats {res['ufeats']:6.2f}  alltags {res['alltags']:6.2f}"
          f"  oracle {res['oracle']:6.2f}  ({res['secs']}s)", file=sys.stderr)
    return res


def jackknife(path: Path, folds: int, seed: int, epochs: int = 10, jobs: int = 1,
              only: list[int] | None = None, self_train: bool = False,
              bidirectional: bool = False, dump: Path | None = None,
              sentence_view: bool = False) -> list[dict[str, float]]:
    """Folds are independent (each trains its own model), so they can run in parallel;
    the scores do not depend on `jobs`."""
    ks = only if only is not None else list(range(folds))
    if jobs <= 1:
        return [run_fold(path, folds, k, seed, epochs, self_train, bidirectional, dump,
                         sentence_view) for k in ks]
    with ProcessPoolExecutor(jobs) as pool:
        jobs_ = [pool.submit(run_fold, path, folds, k, seed, epochs, self_train, bidirectional,
                             dump, sentence_view) for k in ks]
        return [j.result() for j in jobs_]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--conllu", type=Path)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=1, help="folds trained in parallel (processes)")
    ap.add_argument("--only", type=int, nargs="+", help="run only these folds (experiments)")
    ap.add_argument("--no-self-train", action="store_true",
                    help="train on KTB alone (default: also learn from KazNERD's text tagged by "
                         "first models, as the shipped model does)")
    ap.add_argument("--bidirectional", action="store_true",
                    help="experiment: add a right-to-left model and sum the scores (not shipped)")
    ap.add_argument("--dump", type=Path,
                    help="write each test word's gold and chosen reading to DIR/fold-K.tsv")
    ap.add_argument("--no-sentence-view", action="store_true",
                    help="train without the sentence view (default: a UPOS CRF over the whole "
                         "sentence whose marginals are ranker features, as the shipped model)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--spot", action="store_true", help="sample-article coverage + spot table")
    args = ap.parse_args()
    if args.spot:
        sys.path.insert(0, str(ROOT / "scripts"))
        from spot_morph import spot  # type: ignore[import-not-found]

        spot(shared_dir())
        return
    path = args.conllu or shared_dir() / "data" / "ud-kazakh-ktb" / "kk_ktb-dev.conllu"
    if not path.is_file():
        raise SystemExit(f"treebank not found: {path} (set MURAGAT_SHARED or pass --conllu)")
    res = jackknife(path, args.folds, args.seed, args.epochs, args.jobs, args.only,
                    not args.no_self_train, args.bidirectional, args.dump,
                    not args.no_sentence_view)
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
