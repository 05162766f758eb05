"""Evaluate the morphology layer through the CLI, as a user would.

Ten-fold jack-knife over UD Kazakh-KTB. For each fold K the model is trained on the other nine
folds with the shipped model's trainer and settings (muragat.morph.train.train: seed 13, 10
epochs, self-training tables from KazNERD's text, the sentence-view CRF) and saved as
build/morph-cv/foldK/disambig.json.gz. The fold's held-out sentences are written as a CoNLL-U
file with LEMMA, UPOS and FEATS blanked to `_`, and

    MURAGAT_MORPH_MODEL=build/morph-cv/foldK/disambig.json.gz \\
        .venv/bin/muragat analyze foldK/input.conllu --from conllu --to conllu

runs as a process; the file it prints is scored against the gold lines. Metrics over all
syntactic words (integer IDs; multiword-token parts and words with spaces counted as words,
like the CoNLL 2018 evaluation), micro over the folds: Lemma (exact string), UPOS, UFeats
(the whole FEATS set exact, UD definition), AllTags (UPOS+UFeats); a per-UPOS table; and a
check that every other byte of the input came back unchanged.

Fold models are cached (a rerun only tags): the cache key is the treebank's bytes and the
settings, so after a change to the trainer, the lexicon or the analyzer pass --retrain (or
remove build/morph-cv).

  .venv/bin/python scripts/eval_morph.py [--conllu PATH] [--folds 10] [--cache build/morph-cv]
      [--retrain] [--jobs 1] [--json]
      [--in-process]   # also score the same fold models called directly (the old figure)
      [--train-only]   # train the missing fold models, tag nothing
      [--spaced]       # words with spaces read whole / first part / last part (fold models)
  .venv/bin/python scripts/eval_morph.py --spot   # spot-check table + coverage on the sample
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from muragat.morph.conllu import Word, read_conllu  # noqa: E402
from muragat.morph.ranker import Model, Tagger, load_model  # noqa: E402
from muragat.morph.train import train  # noqa: E402
from muragat.ner.training import read_iob  # noqa: E402

SEED, EPOCHS = 13, 10  # the shipped model's settings (scripts/train_morph.py)
KEYS = ("lemma", "upos", "ufeats", "alltags")


def shared_dir() -> Path:
    env = os.environ.get("MURAGAT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", Path("/work/shared")]:
        if cand.is_dir():
            return cand
    raise SystemExit("shared data folder not found (set MURAGAT_SHARED)")


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


def model_json(model: Model, seed: int, epochs: int, source: str) -> bytes:
    """The shipped artifact's format (what muragat.morph.ranker.load_model reads)."""
    data = {"source": source, "seed": seed, "epochs": epochs, "weights": model.weights,
            "rules": model.rules, "forms": model.forms, "lemmas": model.lemmas,
            "auto_forms": model.auto_forms, "auto_lemmas": model.auto_lemmas,
            "crf": model.crf.to_json() if model.crf is not None else None}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0)


# -- the treebank as raw sentence blocks ---------------------------------------------------
def is_word(line: str) -> bool:
    """A syntactic word line (integer ID): what the CLI fills."""
    return not line.startswith("#") and line.split("\t", 1)[0].isdigit()


def blocks_of(raw: str) -> list[list[str]]:
    """Sentences as their original lines; blocks without a word line are not sentences
    (the same sentences, in the same order, as muragat.morph.conllu.read_conllu)."""
    blocks, cur = [], []
    for line in raw.splitlines():
        if line.strip():
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return [b for b in blocks if any(is_word(ln) for ln in b)]


def blanked(line: str) -> str:
    """LEMMA, UPOS and FEATS of a word or empty-node line set to `_` (the rest as given)."""
    cols = line.split("\t")
    if line.startswith("#") or len(cols) != 10 or "-" in cols[0]:
        return line
    cols[2] = cols[3] = cols[5] = "_"
    return "\t".join(cols)


def write_blocks(blocks: list[list[str]]) -> str:
    return "".join("\n".join(b) + "\n\n" for b in blocks)


# -- folds ----------------------------------------------------------------------------------
def fold_key(data: bytes, folds: int, k: int, self_train: bool) -> dict:
    return {"data_sha1": hashlib.sha1(data).hexdigest(), "folds": folds, "fold": k, "seed": SEED,
            "epochs": EPOCHS, "self_train": self_train, "sentence_view": True}


def ensure_model(out: Path, sents: list[list[Word]], key: dict, retrain: bool) -> bool:
    """Train fold `key["fold"]`'s model into out/disambig.json.gz unless a model trained with
    the same data and settings is there; True when it trained."""
    meta = out / "fold.json"
    model_path = out / "disambig.json.gz"
    if (not retrain and model_path.is_file() and meta.is_file()
            and json.loads(meta.read_text(encoding="utf-8")) == key):
        return False
    folds, k = key["folds"], key["fold"]
    trn = [s for i, s in enumerate(sents) if i % folds != k]
    t0 = time.time()
    model = train(trn, epochs=EPOCHS, seed=SEED,
                  unlabelled=unlabelled_text() if key["self_train"] else None,
                  sentence_view=True)
    out.mkdir(parents=True, exist_ok=True)
    source = f"UD Kazakh-KTB minus fold {k} of {folds}, trained by scripts/eval_morph.py"
    model_path.write_bytes(model_json(model, SEED, EPOCHS, source))
    meta.write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(f"fold {k}: trained in {time.time() - t0:.0f}s -> {model_path}", file=sys.stderr)
    return True


def muragat_exe() -> list[str]:
    exe = Path(sys.executable).parent / "muragat"
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "muragat"]


def tag_with_cli(inp: Path, model: Path) -> tuple[str, float]:
    """Run the CLI on `inp` with the fold's model; its stdout and the wall seconds."""
    env = dict(os.environ, MURAGAT_MORPH_MODEL=str(model))
    t0 = time.time()
    proc = subprocess.run([*muragat_exe(), "analyze", str(inp), "--from", "conllu",
                           "--to", "conllu"], env=env, capture_output=True, text=True,
                          encoding="utf-8")
    secs = time.time() - t0
    if proc.returncode != 0:
        raise SystemExit(f"muragat analyze {inp} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return proc.stdout, secs


# -- scoring ---------------------------------------------------------------------------------
def score(gold: list[list[str]], given: str, printed: str) -> dict:
    """Per-word comparison of the printed file with gold, and whether every column but
    LEMMA/UPOS/FEATS of every given line came back unchanged."""
    given_lines = [ln for ln in given.splitlines() if ln.strip()]
    out_lines = [ln for ln in printed.splitlines() if ln.strip()]
    gold_lines = [ln for b in gold for ln in b]
    kept = sum(1 for a, b in zip(given_lines, out_lines, strict=False) if _rest(a) == _rest(b))
    counts: Counter[str] = Counter()
    per_upos: dict[str, Counter[str]] = {}
    if len(out_lines) != len(gold_lines):
        raise SystemExit(f"the CLI printed {len(out_lines)} lines for {len(gold_lines)} given")
    for g, o in zip(gold_lines, out_lines, strict=True):  # one printed line per given one
        if not is_word(g):
            continue
        gc, oc = g.split("\t"), o.split("\t")
        hit = {"lemma": gc[2] == oc[2], "upos": gc[3] == oc[3], "ufeats": gc[5] == oc[5]}
        hit["alltags"] = hit["upos"] and hit["ufeats"]
        row = per_upos.setdefault(gc[3], Counter())
        for c in (counts, row):
            c["words"] += 1
            for k in KEYS:
                c[k] += hit[k]
    return {"counts": counts, "per_upos": per_upos, "lines": len(given_lines),
            "lines_out": len(out_lines), "lines_kept": kept}


def _rest(line: str) -> str:
    cols = line.split("\t")
    if is_word(line) and len(cols) == 10:
        cols[2] = cols[3] = cols[5] = ""
    return "\t".join(cols)


def score_in_process(model_path: Path, test: list[list[Word]]) -> Counter[str]:
    """The same fold model called directly on the gold forms (the old script's figure)."""
    tagger = Tagger(fold_model(model_path))
    c: Counter[str] = Counter()
    for sent in test:
        for w, ranked in zip(sent, tagger.tag([w.form for w in sent]), strict=True):
            best = ranked[0][0]
            c["words"] += 1
            c["lemma"] += best.lemma == w.lemma
            c["upos"] += best.upos == w.upos
            c["ufeats"] += best.feats == w.feats
            c["alltags"] += best.upos == w.upos and best.feats == w.feats
    return c


def fold_model(path: Path) -> Model:
    """A fold's model, read again each time (the loader caches; ten models would stay)."""
    return getattr(load_model, "__wrapped__", load_model)(str(path))


def spaced_strategies(path: Path, folds: int, cache_dir: Path) -> dict[str, Counter[str]]:
    """How a word with spaces (UD allows them: `болған емес`, `еш нәрсені`) is best read, by
    the held-out folds' models: the whole form as one word (what the CLI does: the models are
    trained on such forms), its first part alone, or its last part alone with the parts before
    it kept as a lemma prefix."""
    sents = read_conllu(path)
    out: dict[str, Counter[str]] = {"whole": Counter(), "first": Counter(), "last": Counter()}
    for k in range(folds):
        tagger = None
        for sent in (s for i, s in enumerate(sents) if i % folds == k):
            for j, w in enumerate(sent):
                if " " not in w.form:
                    continue
                tagger = tagger or Tagger(fold_model(cache_dir / f"fold{k}" / "disambig.json.gz"))
                words = [x.form for x in sent]
                parts = w.form.split()
                for how, form, prefix in (("whole", w.form, ""), ("first", parts[0], ""),
                                          ("last", parts[-1], " ".join(parts[:-1]) + " ")):
                    best = tagger.tag(words[:j] + [form] + words[j + 1:])[j][0][0]
                    c = out[how]
                    c["words"] += 1
                    c["lemma"] += prefix + best.lemma == w.lemma
                    c["upos"] += best.upos == w.upos
                    c["ufeats"] += best.feats == w.feats
                    c["alltags"] += best.upos == w.upos and best.feats == w.feats
    return out


def pct(c: Counter[str], k: str) -> float:
    return 100 * c[k] / c["words"] if c["words"] else 0.0


def jackknife(path: Path, folds: int, cache_dir: Path, retrain: bool, self_train: bool,
              in_process: bool, train_only: bool = False, jobs: int = 1) -> dict:
    data = path.read_bytes()
    blocks = blocks_of(data.decode("utf-8"))
    sents = read_conllu(path)
    if len(blocks) != len(sents):
        raise SystemExit(f"{path}: {len(blocks)} sentence blocks but {len(sents)} sentences")
    total: Counter[str] = Counter()
    direct: Counter[str] = Counter()
    per_upos: dict[str, Counter[str]] = {}
    rows = []
    # all models first: a rerun after a failed tagging run only tags
    todo = [(cache_dir / f"fold{k}", sents, fold_key(data, folds, k, self_train), retrain)
            for k in range(folds)]
    if jobs > 1:  # folds are independent; the models do not depend on `jobs`
        with ProcessPoolExecutor(jobs) as pool:
            trained = list(pool.map(ensure_model, *zip(*todo, strict=True)))
    else:
        trained = [ensure_model(*task) for task in todo]
    if train_only:
        return {}
    for k in range(folds):
        out = cache_dir / f"fold{k}"
        gold = [b for i, b in enumerate(blocks) if i % folds == k]
        given = write_blocks([[blanked(ln) for ln in b] for b in gold])
        (out / "input.conllu").write_text(given, encoding="utf-8")
        printed, secs = tag_with_cli(out / "input.conllu", out / "disambig.json.gz")
        (out / "output.conllu").write_text(printed, encoding="utf-8")
        res = score(gold, given, printed)
        c = res["counts"]
        total.update(c)
        for u, uc in res["per_upos"].items():
            per_upos.setdefault(u, Counter()).update(uc)
        row = {"fold": k, "words": c["words"], **{key: pct(c, key) for key in KEYS},
               "lines": res["lines"], "lines_out": res["lines_out"],
               "lines_kept": res["lines_kept"], "cli_secs": round(secs, 1), "trained": trained[k]}
        if in_process:
            d = score_in_process(out / "disambig.json.gz",
                                 [s for i, s in enumerate(sents) if i % folds == k])
            direct.update(d)
            row["direct"] = {key: pct(d, key) for key in KEYS}
        rows.append(row)
        print(f"fold {k}: words {c['words']:5d}  " + "  ".join(
            f"{key} {pct(c, key):6.2f}" for key in KEYS)
            + f"  lines kept {res['lines_kept']}/{res['lines']}  (CLI {secs:.1f}s)",
            file=sys.stderr)
    result = {"file": str(path), "folds": rows,
              "micro": {key: pct(total, key) for key in KEYS}, "words": total["words"],
              "per_upos": {u: {"words": c["words"], **{key: pct(c, key) for key in KEYS}}
                           for u, c in sorted(per_upos.items(), key=lambda x: -x[1]["words"])}}
    if in_process:
        result["direct_micro"] = {key: pct(direct, key) for key in KEYS}
    return result


def print_table(res: dict, folds: int) -> None:
    name = Path(res["file"]).name
    print(f"\n{folds}-fold jack-knife over {name} through the CLI ({res['words']} syntactic "
          "words, gold tokens):")
    print("  muragat analyze FOLD.conllu --from conllu --to conllu  (MURAGAT_MORPH_MODEL = the "
          "fold's model)")
    print("UFeats = UD definition: the whole FEATS set must match exactly ('_' = empty set).")
    print("| fold | words | lemma | UPOS | UFeats | UPOS+UFeats | lines kept | CLI s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in res["folds"]:
        print(f"| {r['fold']} | {r['words']} | " + " | ".join(f"{r[k]:.2f}" for k in KEYS)
              + f" | {r['lines_kept']}/{r['lines']} | {r['cli_secs']} |")
    m = res["micro"]
    print(f"| micro | {res['words']} | " + " | ".join(f"{m[k]:.2f}" for k in KEYS) + " | | |")
    if "direct_micro" in res:
        d = res["direct_micro"]
        print("| same models, called in-process | | " + " | ".join(f"{d[k]:.2f}" for k in KEYS)
              + " | | |")
    bars = {"lemma": 95.0, "upos": 92.0, "ufeats": 88.0}
    print("\nbars (issue 17): " + ", ".join(
        f"{k} {m[k]:.2f} {'>=' if m[k] >= b else '<'} {b:g} ({'met' if m[k] >= b else 'NOT met'})"
        for k, b in bars.items()))
    print("\nper gold UPOS:")
    print("| UPOS | words | lemma | UPOS | UFeats |")
    print("|---|---|---|---|---|")
    for u, r in res["per_upos"].items():
        print(f"| {u} | {r['words']} | {r['lemma']:.2f} | {r['upos']:.2f} | {r['ufeats']:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--conllu", type=Path)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--cache", type=Path, default=ROOT / "build" / "morph-cv",
                    help="fold models, inputs and outputs (default build/morph-cv)")
    ap.add_argument("--retrain", action="store_true", help="train the fold models again")
    ap.add_argument("--jobs", type=int, default=1, help="fold models trained in parallel")
    ap.add_argument("--no-self-train", action="store_true",
                    help="train on KTB alone (default: also learn from KazNERD's text tagged by "
                         "first models, as the shipped model does)")
    ap.add_argument("--in-process", action="store_true",
                    help="also score the same fold models called directly on the gold forms")
    ap.add_argument("--train-only", action="store_true", help="train (or check) the fold models")
    ap.add_argument("--spaced", action="store_true",
                    help="words with spaces read whole / first part / last part (fold models)")
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
    only_models = args.train_only or args.spaced
    res = jackknife(path, args.folds, args.cache, args.retrain, not args.no_self_train,
                    args.in_process, only_models, args.jobs)
    if args.spaced:
        for how, c in spaced_strategies(path, args.folds, args.cache).items():
            print(f"{how:6s} {c['words']} words with spaces: " + "  ".join(
                f"{k} {c[k]}/{c['words']}" for k in KEYS))
    if only_models:
        return
    if args.json:
        print(json.dumps(res, indent=1, ensure_ascii=False))
    else:
        print_table(res, args.folds)


if __name__ == "__main__":
    main()
