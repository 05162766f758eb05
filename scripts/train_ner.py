"""Train the shipped Kazakh NER model (an ensemble of CRFs over rich features) from ../shared/data/kaznerd.

    .venv/bin/python scripts/train_ner.py            # writes src/muragat/ner/data/{model*.crfsuite,ensemble.json,clusters.tsv}
    .venv/bin/python scripts/train_ner.py --dev      # hyperparameter check: train on 90 % of folds 1-4, score the rest

Seeded and deterministic: clusters use a fixed numpy seed and L-BFGS has no randomness.
Members, their feature groups and label encoding (BIOES): muragat.ner.training.MEMBERS (about
7 min each on an idle core).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from muragat import artifacts
from muragat.ner import features
from muragat.ner.score import score
from muragat.ner.training import (
    C1,
    C2,
    ITERATIONS,
    build_clusters,
    read_iob,
    train_ensemble,
    use_clusters,
    write_clusters,
)

REPO = Path(__file__).resolve().parent.parent
FILES = ("IOB2_valid.txt", "IOB2_test_a.txt")


def shared_dir() -> Path:
    env = os.environ.get("MURAGAT_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def load_all() -> list:
    base = shared_dir() / "data" / "kaznerd"
    if not base.exists():
        sys.exit(f"KazNERD not found under {base} (set MURAGAT_SHARED)")
    sents = []
    for name in FILES:
        sents += read_iob(base / name)
    return sents


def folds(n: int, k: int = 5) -> list[list[int]]:
    """Fold i holds sentences i, i+k, ... (deterministic, mixes both files)."""
    return [list(range(i, n, k)) for i in range(k)]


def fit(train: list, out: Path, clusters_out: Path | None = None, **params) -> Path:
    """Clusters from `train` only, then every ensemble member into folder `out`; the first member's path."""
    cl = build_clusters([w for w, _ in train])
    use_clusters(cl)
    if clusters_out is not None:
        write_clusters(cl, clusters_out)
    return train_ensemble(train, out, **params)[0]


def tag_all(model: Path, sents: list, rules: bool = False) -> list[list[str]]:
    """Labels of the ensemble whose first member is `model` (post-rules only with `rules`)."""
    from muragat.ner.tagger import NER

    ner = NER.load(model)
    ner.rules = rules
    return [ner(w) for w, _ in sents]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", action="store_true", help="score on a dev split of the training folds")
    ap.add_argument("--c1", type=float, default=C1)
    ap.add_argument("--c2", type=float, default=C2)
    ap.add_argument("--iters", type=int, default=ITERATIONS)
    ap.add_argument("--minfreq", type=int, default=1)
    args = ap.parse_args()
    params = dict(c1=args.c1, c2=args.c2, max_iterations=args.iters, min_freq=args.minfreq)
    sents = load_all()
    t0 = time.time()
    if args.dev:
        fold0 = set(folds(len(sents))[0])
        pool = [s for i, s in enumerate(sents) if i not in fold0]
        dev = pool[::10]
        train = [s for i, s in enumerate(pool) if i % 10]
        with tempfile.TemporaryDirectory() as tmp:
            model = fit(train, Path(tmp), **params)
            pred = tag_all(model, dev)
        p, r, f = score([lab for _, lab in dev], pred).micro()
        print(f"dev {len(train)} train / {len(dev)} dev  {params}  P {p:.2f} R {r:.2f} F1 {f:.2f}  ({time.time() - t0:.0f} s)")
        return
    out = features.DATA
    with tempfile.TemporaryDirectory() as tmp:  # the shipped files are replaced only when all are done
        fit(sents, Path(tmp), clusters_out=Path(tmp) / "clusters.tsv", **params)
        for f in Path(tmp).iterdir():
            shutil.copyfile(f, out / f.name)
    # format, size, sha256 of every shipped file, and the hand-written lists trained with (the
    # endings of the stem features are morph's morphotactics, features.stem_endings: no list here)
    artifacts.record("muragat.ner", [a.name for a in artifacts.ARTIFACTS
                                     if a.package == "muragat.ner"],
                     inputs=("gaz/*.txt",))
    size = sum(f.stat().st_size for f in out.iterdir() if f.suffix in (".crfsuite", ".tsv", ".json") and f.name != "lemma.json")
    print(f"trained on {len(sents)} sentences in {time.time() - t0:.0f} s; models+clusters {size / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
