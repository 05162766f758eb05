"""Training of the disambiguator (averaged perceptron over candidate analyses)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from muragat.morph.conllu import Word
from muragat.morph.ranker import (
    Model,
    candidates,
    context,
    dynamic_features,
    edit_rule,
    majority_upos,
    memory_features,
    static_features,
)

MEM_DROPOUT = 1.0  # 1.0: word-identity features off; memory_features carry lexical info  # drop word-memory features this often so unseen words still learn


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


def build_memory(sents: Sequence[Sequence[Word]]
                 ) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    lemmas: dict[str, Counter[str]] = defaultdict(Counter)
    for sent in sents:
        for w in sent:
            c = forms[w.form.lower()]
            c["n"] += 1
            c["u:" + w.upos] += 1
            c["t:" + w.upos + "|" + w.feats] += 1
            c["l:" + w.lemma + "|" + w.upos] += 1
            lc = lemmas[w.lemma.lower()]
            lc["n"] += 1
            lc[w.upos] += 1
    return ({k: dict(v) for k, v in forms.items()}, {k: dict(v) for k, v in lemmas.items()})


def _key(w: Word) -> tuple[str, str, str]:
    return (w.lemma, w.upos, w.feats)


def train(sents: Sequence[Sequence[Word]], epochs: int = 10, seed: int = 13) -> Model:
    rules = build_rules(sents)
    forms, lemmas = build_memory(sents)
    model = Model({}, rules, forms, lemmas)
    # Precompute candidates and their static features once (leave-one-out on edit rules).
    data = []
    for sent in sents:
        words = [w.form for w in sent]
        toks = []
        for w in sent:
            strip, add = edit_rule(w.form, w.lemma)
            cands = candidates(w.form, model, skip=(strip, add, w.upos, w.feats))
            gold = next((j for j, (a, _) in enumerate(cands)
                         if (a.lemma, a.upos, a.feats) == _key(w)), -1)
            stat = [static_features(w.form, a, s, mem=False)
                    + memory_features(w.form, a, model, _key(w)) for a, s in cands]
            mem = [static_features(w.form, a, s, mem=True)[len(st):] for (a, s), st in
                   zip(cands, stat, strict=True)]
            toks.append((cands, gold, stat, mem))
        data.append((sent, words, toks))

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
        for sent, words, toks in data:
            prev_u, prev2_u, prev_uf = "<s>", "<s>", "<s>"
            for i, (gw, (cands, gold, stat, mem)) in enumerate(zip(sent, toks, strict=True)):
                t += 1
                if gold >= 0 and len(cands) > 1:
                    nm = majority_upos(model, words[i + 1], sent[i + 1].upos) \
                        if i + 1 < len(words) else "</s>"
                    ctx = context(words, i, prev_u, prev2_u, prev_uf, nm)
                    drop = rng.random() < MEM_DROPOUT
                    feats = []
                    for j, (a, _) in enumerate(cands):
                        fs = stat[j] + ([] if drop else mem[j])
                        fs = fs + dynamic_features(a.upos, a.upos + "|" + a.feats, ctx)
                        feats.append(fs)
                    scores = [sum(w.get(f, 0.0) for f in fs) for fs in feats]
                    best = max(range(len(cands)), key=lambda j: scores[j])
                    if best != gold and scores[best] >= scores[gold]:
                        upd(feats[gold], 1.0)
                        upd(feats[best], -1.0)
                prev2_u, prev_u, prev_uf = prev_u, gw.upos, gw.upos + "|" + gw.feats
    t += 1
    avg = {}
    for f, val in w.items():
        tot = total[f] + (t - stamp[f]) * val
        if tot:
            avg[f] = round(tot / t, 4)
    return Model({k: v for k, v in avg.items() if v}, rules, forms, lemmas)
