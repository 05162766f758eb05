"""Training of the disambiguator (averaged perceptron over candidate analyses)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from muragat.morph.conllu import Word
from muragat.morph.crf import train_crf
from muragat.morph.ranker import (
    Model,
    Tagger,
    candidates,
    context,
    crf_features,
    dynamic_features,
    edit_rule,
    majority_upos,
    memory_features,
    static_features,
)

RUNS = 5  # perceptrons averaged per model (see train)
AUTO_RUNS = 2  # perceptrons averaged in each first (self-training) model
AUTO_SPLITS = 2  # parts of the gold data, one first model each (3 measured no better)
CRF_SPLITS = 5  # parts of the gold data for the sentence view's out-of-part marginals
View = tuple[str, dict[str, float]]
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


def _crf_data(sents: Sequence[Sequence[Word]]) -> list[tuple[list[str], list[str]]]:
    return [([w.form for w in s], [w.upos for w in s]) for s in sents]


def jackknife_views(sents: Sequence[Sequence[Word]], splits: int = CRF_SPLITS
                    ) -> list[list[View]]:
    """The sentence view of every gold sentence from a CRF trained on the other parts, so the
    ranker learns how much the CRF is worth on text it has not seen."""
    views: list[list[View]] = [[] for _ in sents]
    for part in range(splits):
        crf = train_crf(_crf_data([s for i, s in enumerate(sents) if i % splits != part]))
        for i, s in enumerate(sents):
            if i % splits == part:
                views[i] = crf.marginals([w.form for w in s])
    return views


def train(sents: Sequence[Sequence[Word]], epochs: int = 10, seed: int = 13,
          runs: int = RUNS, unlabelled: Sequence[Sequence[str]] | None = None,
          splits: int = AUTO_SPLITS, sentence_view: bool = False) -> Model:
    """With `unlabelled` sentences the model also sees how often first models chose each
    reading of a form or lemma there (self-training tables). The gold sentences are cut into
    `splits` parts; the tables a training sentence sees come from a first model trained on the
    other parts, so the weights learn how far such tables can be trusted for words the first
    model never saw. The shipped tables add all first models' counts.

    With `sentence_view`, a UPOS CRF (muragat.morph.crf) trained on all gold sentences ships
    with the model, and the ranker is trained on CRF marginals from `jackknife_views`."""
    views = jackknife_views(sents) if sentence_view else None
    if unlabelled:
        tabs = []
        for part in range(splits):
            rest = [s for i, s in enumerate(sents) if i % splits != part]
            # the first models go without the sentence view: with it, their tables measured worse
            tabs.append(build_auto_memory(_train(rest, epochs, seed, AUTO_RUNS), unlabelled))
        per_sent = [tabs[i % splits] for i in range(len(sents))]
        model = _train(sents, epochs, seed, runs, per_sent, _merge(tabs), views)
    else:
        model = _train(sents, epochs, seed, runs, views=views)
    if sentence_view:
        model.crf = train_crf(_crf_data(sents))
    return model


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
           per_sent: Sequence[Tables] | None = None, final: Tables | None = None,
           views: Sequence[Sequence[View]] | None = None) -> Model:
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
    # one-word sentences go without the view, as in Tagger.tag (no sentence to read)
    data = [_positions(sent, Model({}, rules, forms, lemmas, *tab),
                       views[k] if views and len(sent) > 1 else None)
            for k, (sent, tab) in enumerate(zip(sents, tables, strict=True))]
    total: dict[str, float] = defaultdict(float)
    for r in range(runs):
        for f, v in _perceptron(data, epochs, seed + r).items():
            total[f] += v
    weights = {f: round(v / runs, 4) for f, v in total.items()}
    return Model({k: v for k, v in weights.items() if v}, rules, forms, lemmas, *final)


Position = tuple[list[list[str]], list[tuple[str, str]], int, tuple[str, ...]]


def _positions(sent: Sequence[Word], model: Model, views: Sequence[View] | None = None
               ) -> list[Position]:
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
                     + (crf_features(a.upos, views, i) if views else [])
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
