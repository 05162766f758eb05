"""Training helpers shared by scripts/train_ner.py and scripts/eval_ner.py.

Word clusters are learnt from the training sentences only (PPMI of ±2 context windows,
truncated SVD, then k-means at a few granularities), all seeded.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

Sentence = tuple[list[str], list[str]]  # (words, labels)


def read_iob(path: Path) -> list[Sentence]:
    sents: list[Sentence] = []
    words: list[str] = []
    labels: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if words:
                sents.append((words, labels))
                words, labels = [], []
            continue
        words.append(parts[0])
        labels.append(parts[-1] if len(parts) > 1 else "O")
    if words:
        sents.append((words, labels))
    return sents


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 25) -> np.ndarray:
    k = min(k, len(x))
    cent = x[rng.choice(len(x), size=k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        sims = x @ cent.T  # rows are unit vectors: max dot = nearest
        assign = sims.argmax(1)
        for j in range(k):
            members = x[assign == j]
            if len(members):
                c = members.mean(0)
                cent[j] = c / (np.linalg.norm(c) + 1e-9)
    return assign


def _bisect_paths(x: np.ndarray, depth: int, rng: np.random.Generator) -> list[str]:
    """Brown-style bit paths by recursive 2-means: words sharing a prefix are similar."""
    paths = [""] * len(x)
    stack = [(np.arange(len(x)), "")]
    while stack:
        idx, pre = stack.pop()
        if len(pre) >= depth or len(idx) < 4:
            continue
        a = _kmeans(x[idx], 2, rng, iters=8)
        for bit in (0, 1):
            sub = idx[a == bit]
            if len(sub) == len(idx):  # degenerate split
                break
            for i in sub:
                paths[i] = pre + str(bit)
            stack.append((sub, pre + str(bit)))
    return paths


def build_clusters(
    texts: list[list[str]],
    sizes: tuple[int, ...] = (32, 128, 512),
    dim: int = 100,
    min_count: int = 2,
    seed: int = 13,
) -> dict[str, tuple[str, ...]]:
    """Lower-cased word -> cluster ids (one per size), from PPMI-SVD vectors."""
    rng = np.random.default_rng(seed)
    counts = Counter(w.lower() for s in texts for w in s)
    vocab = [w for w, c in counts.most_common() if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    ctx_vocab = vocab[:2000]
    cindex = {w: i for i, w in enumerate(ctx_vocab)}
    mat = np.zeros((len(vocab), len(ctx_vocab) * 2), dtype=np.float32)  # left / right context
    nc = len(ctx_vocab)
    for s in texts:
        low = [w.lower() for w in s]
        for i, w in enumerate(low):
            wi = index.get(w)
            if wi is None:
                continue
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < len(low):
                    ci = cindex.get(low[j])
                    if ci is not None:
                        mat[wi, ci + (nc if d > 0 else 0)] += 1.0 / abs(d)
    total = mat.sum()
    row = mat.sum(1, keepdims=True) + 1e-9
    col = mat.sum(0, keepdims=True) ** 0.75 + 1e-9  # context smoothing as in word2vec
    col = col / col.sum() * total
    with np.errstate(divide="ignore"):
        pmi = np.log(mat * total / (row @ col) + 1e-12)
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    # randomized SVD: the full one on a vocab x 4000 matrix is too slow for 2 cores
    omega = rng.standard_normal((ppmi.shape[1], dim + 20)).astype(np.float32)
    q, _ = np.linalg.qr(ppmi @ omega)
    ub, s, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    vec = (q @ ub)[:, :dim] * np.sqrt(s[:dim])
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    ids: list = [_kmeans(vec, k, rng) for k in sizes]
    ids.append(_bisect_paths(vec, 14, rng))  # bit paths as the last column
    return {w: tuple(str(a[i]) for a in ids) for i, w in enumerate(vocab)}


def write_clusters(clusters: dict[str, tuple[str, ...]], path: Path) -> None:
    lines = ["\t".join((w, *c)) for w, c in sorted(clusters.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# The shipped ensemble: CRFs on different feature groups, combined by an entity-level majority
# vote (notes/issue-4-ner.md). Each member: (file, feature groups, label encoding it is trained on).
Member = tuple[str, tuple[str, ...], str]
MEMBERS: tuple[Member, ...] = (
    ("model.crfsuite", ("quote", "bag", "w3", "path", "run", "infl", "range"), "bioes"),
    ("model-path.crfsuite", ("path",), "bioes"),
    ("model-window.crfsuite", ("quote", "bag", "w3"), "bioes"),
)
ENSEMBLE_FILE = "ensemble.json"


# L-BFGS with elastic net. c1 (L1) was 0.1 when the members were IOB2; with BIOES's twice as
# many labels, 0.05 kept more weights and scored +0.57 F1 for the first member on fold 1
# (notes/issue-4-ner.md, session 10).
C1 = 0.05
C2 = 0.003
ITERATIONS = 150


def train_crf(
    sents: list[Sentence],
    model_path: Path,
    c1: float = C1,
    c2: float = C2,
    max_iterations: int = ITERATIONS,
    min_freq: int = 1,
    flags: tuple[str, ...] | None = None,
    encoding: str = "bio",
) -> None:
    import pycrfsuite

    from muragat.ner.features import select, sentence_features
    from muragat.ner.spans import to_bioes

    trainer = pycrfsuite.Trainer(verbose=False)
    keep = frozenset(flags) if flags is not None else None
    for words, labels in sents:
        feats = sentence_features(words)
        trainer.append(feats if keep is None else [select(f, keep) for f in feats],
                       to_bioes(labels) if encoding == "bioes" else labels)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": min_freq,
        }
    )
    trainer.train(str(model_path))


def train_member(sents: list[Sentence], out: Path, member: Member, **params: float) -> Path:
    name, flags, encoding = member
    train_crf(sents, out / name, flags=flags, encoding=encoding, **params)  # type: ignore[arg-type]
    return out / name


def write_ensemble(out: Path, members: tuple[Member, ...] = MEMBERS) -> None:
    desc = {"members": [{"file": n, "features": list(f), "labels": e} for n, f, e in members],
            "vote": "entity majority"}
    (out / ENSEMBLE_FILE).write_text(json.dumps(desc, indent=1) + "\n", encoding="utf-8")


def train_ensemble(sents: list[Sentence], out: Path, **params: float) -> list[Path]:
    """Train every member into `out` and write the ensemble description next to them."""
    paths = [train_member(sents, out, m, **params) for m in MEMBERS]
    write_ensemble(out)
    return paths


def use_clusters(clusters: dict[str, tuple[str, ...]]) -> None:
    """Point the feature extractor at in-memory clusters (per CV fold) and reset its caches."""
    from muragat.ner import features

    lex = features.lexicon()
    lex.clusters.clear()
    lex.clusters.update(clusters)
    features.word_features.cache_clear()
