"""Training of the disambiguator (averaged perceptron over candidate analyses)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from muragat.morph.conllu import Word
from muragat.morph.ranker import (
    Model,
    candidates,
    dynamic_features,
    edit_rule,
    next_signature,
    static_features,
)

MEM_DROPOUT = 0.3  # drop word-memory features this often so unseen words still learn


def build_rules(sents: Sequence[Sequence[Word]]) -> dict[str, list[tuple[str, str, str, int]]]:
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for sent in sents:
        for w in sent:
            strip, add = edit_rule(w.form, w.lemma)
            counts[(strip, add, w.upos, w.feats)] += 1
    rules: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)
    for (strip, add, upos, feats), c in counts.items():
        rules[strip].append((add, upos, feats, c))
    for v in rules.values():
        v.sort(key=lambda x: -x[3])
    return dict(rules)


def _key(w: Word) -> tuple[str, str, str]:
    return (w.lemma, w.upos, w.feats)


def train(sents: Sequence[Sequence[Word]], epochs: int = 10, seed: int = 13) -> Model:
    rules = build_rules(sents)
    model = Model({}, rules)
    # Precompute candidates and their static features once (leave-one-out on edit rules).
    data = []
    for sent in sents:
        words = [w.form for w in sent]
        toks = []
        for i, w in enumerate(sent):
            strip, add = edit_rule(w.form, w.lemma)
            cands = candidates(w.form, model, skip=(strip, add, w.upos, w.feats))
            gold = next((j for j, (a, _) in enumerate(cands)
                         if (a.lemma, a.upos, a.feats) == _key(w)), -1)
            stat = [static_features(w.form, a, s, mem=False) for a, s in cands]
            mem = [static_features(w.form, a, s, mem=True)[len(st):] for (a, s), st in
                   zip(cands, stat, strict=True)]
            nxt = words[i + 1] if i + 1 < len(words) else "</s>"
            nsig = next_signature(nxt) if i + 1 < len(words) else "</s>"
            prev_w = words[i - 1].lower() if i else "<s>"
            toks.append((cands, gold, stat, mem, prev_w, nxt.lower(), nsig))
        data.append((sent, toks))

    w: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    stamp: dict[str, int] = defaultdict(int)
    t = 0
    rng = random.Random(seed)

    def upd(feats: list[str], delta: float) -> None:
        for f in feats:
            total[f] += (t - stamp[f]) * w[f]
            stamp[f] = t
            w[f] += delta

    for _ in range(epochs):
        rng.shuffle(data)
        for sent, toks in data:
            prev_u, prev2_u = "<s>", "<s>"
            for gw, (cands, gold, stat, mem, prev_w, nlow, nsig) in zip(sent, toks, strict=True):
                t += 1
                if gold >= 0 and len(cands) > 1:
                    drop = rng.random() < MEM_DROPOUT
                    feats = []
                    for j, (a, _) in enumerate(cands):
                        fs = stat[j] + ([] if drop else mem[j])
                        fs = fs + dynamic_features(a.upos, prev_u, prev2_u, prev_w, nlow, nsig)
                        feats.append(fs)
                    scores = [sum(w.get(f, 0.0) for f in fs) for fs in feats]
                    best = max(range(len(cands)), key=lambda j: scores[j])
                    if best != gold and scores[best] >= scores[gold]:
                        upd(feats[gold], 1.0)
                        upd(feats[best], -1.0)
                prev2_u, prev_u = prev_u, gw.upos
    t += 1
    avg = {}
    for f, val in w.items():
        tot = total[f] + (t - stamp[f]) * val
        if tot:
            avg[f] = round(tot / t, 4)
    return Model({k: v for k, v in avg.items() if v}, rules)
