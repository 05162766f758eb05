"""Training of the disambiguator (averaged perceptron over candidate analyses)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from muragat.morph.conllu import Word
from muragat.morph.ranker import (
    Model,
    Tagger,
    candidates,
    context,
    dynamic_features,
    edit_rule,
    majority_upos,
    memory_features,
    static_features,
)

RUNS = 5  # perceptrons averaged per model (see train)
AUTO_RUNS = 2  # perceptrons averaged in each first (self-training) model
AUTO_SPLITS = 2  # parts of the gold data, one first model each (3 measured no better)
Tables = tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]


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


def build_memory(sents: Sequence[Sequence[Word]]) -> Tables:
    return count_readings((w.form, w.lemma, w.upos, w.feats) for sent in sents for w in sent)


def count_readings(readings: Iterable[tuple[str, str, str, str]], with_feats: bool = True
                   ) -> Tables:
    """Lexical-probability tables: lower-cased form -> {"n", "u:UPOS", "t:UPOS|FEATS",
    "l:LEMMA|UPOS": count} and lower-cased lemma -> {"n", UPOS: count}."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    lemmas: dict[str, Counter[str]] = defaultdict(Counter)
    for form, lemma, upos, feats in readings:
        c = forms[form.lower()]
        c["n"] += 1
        c["u:" + upos] += 1
        if with_feats:
            c["t:" + upos + "|" + feats] += 1
        c["l:" + lemma + "|" + upos] += 1
        lc = lemmas[lemma.lower()]
        lc["n"] += 1
        lc[upos] += 1
    return ({k: dict(v) for k, v in forms.items()}, {k: dict(v) for k, v in lemmas.items()})


def _key(w: Word) -> tuple[str, str, str]:
    return (w.lemma, w.upos, w.feats)


def build_auto_memory(model: Model, texts: Sequence[Sequence[str]]) -> Tables:
    """Tag unlabelled sentences with `model` and count its choices (the ranker reads no
    UPOS|FEATS ratio from these tables, so they keep none)."""
    tagger = Tagger(model)
    return count_readings(((word, ranked[0][0].lemma, ranked[0][0].upos, ranked[0][0].feats)
                           for words in texts
                           for word, ranked in zip(words, tagger.tag(words), strict=True)),
                          with_feats=False)


def train(sents: Sequence[Sequence[Word]], epochs: int = 10, seed: int = 13,
          runs: int = RUNS, unlabelled: Sequence[Sequence[str]] | None = None,
          splits: int = AUTO_SPLITS) -> Model:
    """With `unlabelled` sentences the model also sees how often first models chose each
    reading of a form or lemma there (self-training tables). The gold sentences are cut into
    `splits` parts; the tables a training sentence sees come from a first model trained on the
    other parts, so the weights learn how far such tables can be trusted for words the first
    model never saw. The shipped tables add all first models' counts."""
    if not unlabelled:
        return _train(sents, epochs, seed, runs)
    tabs = []
    for part in range(splits):
        rest = [s for i, s in enumerate(sents) if i % splits != part]
        tabs.append(build_auto_memory(_train(rest, epochs, seed, AUTO_RUNS), unlabelled))
    per_sent = [tabs[i % splits] for i in range(len(sents))]
    return _train(sents, epochs, seed, runs, per_sent, _merge(tabs))


def _merge(tabs: list[Tables]) -> Tables:
    out: Tables = ({}, {})
    for tab in tabs:
        for src, dst in zip(tab, out, strict=True):
            for k, counts in src.items():
                d = dst.setdefault(k, {})
                for key, c in counts.items():
                    d[key] = d.get(key, 0) + c
    return out


def _train(sents: Sequence[Sequence[Word]], epochs: int, seed: int, runs: int,
           per_sent: Sequence[Tables] | None = None, final: Tables | None = None) -> Model:
    """Train on gold sentences. The averaged weights of `runs` perceptrons (seeds seed,
    seed+1, ...; they differ only in the order of the sentences) are averaged again: a single
    perceptron's accuracy moves by a few tenths of a point with the shuffling order alone."""
    rules = build_rules(sents)
    forms, lemmas = build_memory(sents)
    # Static features depend on the form only and are fixed across epochs; context features
    # are rebuilt at each step from the model's own previous choices, as when tagging (training
    # on gold previous tags taught the model a context it never sees at tagging time).
    final = final or ({}, {})  # a fresh pair per model: no default object shared between models
    tables = per_sent or [final] * len(sents)
    data = [_positions(sent, Model({}, rules, forms, lemmas, *tab))
            for sent, tab in zip(sents, tables, strict=True)]
    total: dict[str, float] = defaultdict(float)
    for r in range(runs):
        for f, v in _perceptron(data, epochs, seed + r).items():
            total[f] += v
    weights = {f: round(v / runs, 4) for f, v in total.items()}
    return Model({k: v for k, v in weights.items() if v}, rules, forms, lemmas, *final)


Position = tuple[list[list[str]], list[tuple[str, str]], int, tuple[str, ...]]


def _positions(sent: Sequence[Word], model: Model) -> list[Position]:
    """Per word: static features and (UPOS, UPOS|FEATS) of each candidate, the gold index
    (-1 when no candidate is right) and the context parts that do not depend on predictions."""
    words = [w.form for w in sent]
    out: list[Position] = []
    for i, w in enumerate(sent):
        strip, add = edit_rule(w.form, w.lemma)
        cands = candidates(w.form, model, skip=(strip, add, w.upos, w.feats))
        gold = next((j for j, (a, _) in enumerate(cands) if (a.lemma, a.upos, a.feats) == _key(w)), -1)
        nm = majority_upos(model, words[i + 1], sent[i + 1].upos) if i + 1 < len(words) else "</s>"
        fixed = context(words, i, "", "", "", nm)[3:]
        out.append(([static_features(w.form, a, s) + memory_features(w.form, a, model, _key(w))
                     for a, s in cands], [(a.upos, a.upos + "|" + a.feats) for a, _ in cands],
                    gold, fixed))
    return out


def _perceptron(data: list[list[Position]], epochs: int, seed: int) -> dict[str, float]:
    """Averaged perceptron, decoding greedily left to right with its own previous choices."""
    w: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    stamp: dict[str, int] = defaultdict(int)
    t = 0
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            prev_u = prev2_u = prev_uf = "<s>"
            for statics, tags, gold, fixed in data[k]:
                if not tags:
                    continue
                ctx = (prev_u, prev2_u, prev_uf, *fixed)
                if len(tags) == 1:
                    best = 0
                else:
                    feats = [fs + dynamic_features(u, uf, ctx) for fs, (u, uf) in zip(statics, tags, strict=True)]
                    scores = [sum(w.get(f, 0.0) for f in fs) for fs in feats]
                    best = max(range(len(feats)), key=lambda j: scores[j])
                    if gold >= 0:
                        t += 1
                        if best != gold and scores[best] >= scores[gold]:
                            for fs, delta in ((feats[gold], 1.0), (feats[best], -1.0)):
                                for f in fs:
                                    total[f] += (t - stamp[f]) * w[f]
                                    stamp[f] = t
                                    w[f] += delta
                prev2_u, (prev_u, prev_uf) = prev_u, tags[best]
    t += 1
    return {f: (total[f] + (t - stamp[f]) * v) / t for f, v in w.items()}
