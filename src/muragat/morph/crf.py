"""Sentence view for the disambiguator: a linear-chain CRF over UPOS labels.

The perceptron ranks full readings greedily, left to right. This CRF sees a window of two words
on each side and decodes the whole sentence at once (forward-backward), so it catches context
the greedy ranker misses (`стиль мен ұлттық`: мен is a conjunction there, not "I"). Its UPOS
marginals reach the ranker as features; the ranker learns how far to trust them from CRF
outputs on sentences the CRF did not train on (see `train.jackknife_views`).

Features are built from the word form and the rule analyzer only, never from the ranker, so the
two models stay independent views.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from muragat.morph.analyzer import analyze_word, verb_lemma
from muragat.morph.lexicon import pos_class, stems

C1, C2, ITERATIONS = 0.05, 0.01, 200
# feature keys of the neighbours: offset -> keys of `_word` (all keys at offset 0)
WINDOW = {-2: ("w", "sig", "s2"), -1: ("w", "sig", "s2", "s3", "lp"),
          1: ("w", "sig", "s2", "s3", "vl", "lp"), 2: ("w", "sig", "vl")}


KEY_FEATS = ("VerbForm", "Case", "Mood", "PronType", "NumType")


def _key_feats(feats: str) -> str:
    return ",".join(f for f in feats.split("|") if f.split("=")[0] in KEY_FEATS)


@lru_cache(maxsize=300_000)
def _word(word: str) -> tuple[dict[str, str], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Per form: named feature values, its own attribute list, and its attribute lists as a
    neighbour at each offset of WINDOW (in WINDOW's order)."""
    low = word.lower()
    readings = analyze_word(word)
    lex = stems()
    ups = sorted({a.upos for a in readings})
    lp = sorted({a.upos + ":" + pos_class(lex.get(a.lemma.lower(), ""))
                 for a in readings if not a.guessed})
    first = word[:1]
    f = {"w": low, "sig": ",".join(ups), "s1": low[-1:], "s2": low[-2:], "s3": low[-3:],
         "s4": low[-4:], "lx": lex.get(low, "-"), "vl": verb_lemma(word),
         "cap": "C" if first.isupper() else "d" if first.isdigit() else
                "l" if first.isalpha() else "p",
         "lp": ";".join(lp), "ng": str(all(a.guessed for a in readings))}
    own = [k + "=" + v for k, v in f.items()]
    own += ["a=" + u for u in ups]
    own += ["lp1=" + x for x in lp]
    own += ["lem=" + x for x in sorted({a.lemma.lower() for a in readings if not a.guessed})[:6]]
    own += ["r=" + x for x in sorted({a.upos + "|" + _key_feats(a.feats) for a in readings})]
    around = tuple(tuple(f"{off}{k}={f[k]}" for k in keys) for off, keys in WINDOW.items())
    return f, tuple(own), around


def sentence_items(words: Sequence[str]) -> list[list[str]]:
    """CRF attributes of every word of one sentence."""
    info = [_word(w) for w in words]
    n = len(words)
    out = []
    for i in range(n):
        items = list(info[i][1])
        for slot, off in enumerate(WINDOW):
            j = i + off
            if 0 <= j < n:
                items += info[j][2][slot]
            else:
                items.append(f"{off}=BOUND")
        items.append("pw|w=" + (info[i - 1][0]["w"] if i else "<s>") + "|" + info[i][0]["w"])
        items.append("w|nsig=" + info[i][0]["w"] + "|" +
                     (info[i + 1][0]["sig"] if i + 1 < n else "</s>"))
        out.append(items)
    return out


def train_crf(sents: Sequence[tuple[Sequence[str], Sequence[str]]]) -> UposCRF:
    """Train on (words, UPOS labels) pairs with crfsuite (L-BFGS, deterministic); the weights
    are read back into a UposCRF, which does its own inference."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for words, labels in sents:
        trainer.append(sentence_items(words), list(labels))
    trainer.set_params({"c1": C1, "c2": C2, "max_iterations": ITERATIONS,
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upos.crfsuite"
        trainer.train(str(path))
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        labels = sorted(tagger.labels())
    state: dict[str, dict[str, float]] = {}
    for (attr, label), w in info.state_features.items():
        state.setdefault(attr, {})[label] = w
    trans = {a + " " + b: w for (a, b), w in info.transitions.items()}
    return UposCRF({"labels": labels, "state": state, "trans": trans})


class UposCRF:
    """A trained CRF. `marginals(words)` gives each word's most probable UPOS and the
    probability of every UPOS (forward-backward over the whole sentence).

    State scores are sums of rows of one matrix: a row per word form and window slot (its own
    attributes, and its attributes as each neighbour), computed once per form, plus rows for
    the sentence bounds and the word-pair attributes. A sentence costs one gather-and-sum and
    one forward-backward pass (compiled in _crf.c, numpy otherwise)."""

    # cached forms (5 rows of 17 floats each: 22 MB at most); the table starts over when full
    MAX_FORMS = 32_768

    def __init__(self, data: dict) -> None:
        self._data = data  # labels, state {attr: {label: w}}, trans: what to_json returns
        self.labels: tuple[str, ...] = tuple(data["labels"])
        self.column = {u: k for k, u in enumerate(self.labels)}
        width = len(self.labels)
        self._trans = np.zeros((width, width))
        for pair, w in data["trans"].items():
            a, b = pair.split(" ")
            self._trans[self.column[a], self.column[b]] = w
        self._state = data["state"]
        fixed = [np.zeros(width)] + [self._vector((f"{off}=BOUND",)) for off in WINDOW]
        pairs = [attr for attr in self._state if attr.startswith(("pw|w=", "w|nsig="))]
        self._pair_row = {attr: len(fixed) + k for k, attr in enumerate(pairs)}
        fixed += [self._vector((attr,)) for attr in pairs]
        self._fixed = len(fixed)
        self._table = np.zeros((self._fixed + 1024 * (1 + len(WINDOW)), width))
        self._table[:self._fixed] = fixed
        self._form_row: dict[str, tuple[int, str, str]] = {}  # form -> (row, lower, signature)
        # the state weights as a dense matrix (attributes x labels, 5.7k x 17 shipped) for the
        # compiled twin of _vector; built on the first form, kept off `load_model`'s path
        self._dense: tuple[dict[str, int], np.ndarray] | None = None

    def to_json(self) -> dict:
        return self._data

    def _vector(self, attrs: Sequence[str]) -> np.ndarray:
        # Python floats, added in the same order as numpy would: the same doubles, 3x sooner
        vec = [0.0] * len(self.labels)
        column = self.column
        for attr in attrs:
            weights = self._state.get(attr)
            if weights:
                for label, w in weights.items():
                    vec[column[label]] += w
        return np.array(vec)

    def _dense_state(self) -> tuple[dict[str, int], np.ndarray]:
        if self._dense is None:
            index = {attr: k for k, attr in enumerate(self._state)}
            dense = np.zeros((len(index), len(self.labels)))
            for attr, k in index.items():
                for label, w in self._state[attr].items():
                    dense[k, self.column[label]] = w
            self._dense = index, dense
        return self._dense

    def _fill_rows(self, row: int, own: Sequence[str], around: Sequence[Sequence[str]]) -> None:
        """table[row] = _vector(own), table[row + k] = _vector(around[k - 1]): compiled where
        _crf is built (the same doubles: tests/test_crf_static_equivalence.py)."""
        fast = _compiled()
        if fast is not None and hasattr(fast, "attr_vectors"):
            index, dense = self._dense_state()
            fast.attr_vectors(index, dense, (own, *around),
                              self._table[row:row + 1 + len(around)])
            return
        self._table[row] = self._vector(own)
        for k, attrs in enumerate(around, start=1):
            self._table[row + k] = self._vector(attrs)

    def _row(self, word: str) -> tuple[int, str, str]:
        """The form's first row (its own vector, then its vector as the neighbour at each
        offset of WINDOW), its lower-cased form and its reading signature."""
        got = self._form_row.get(word)
        if got is not None:
            return got
        per = 1 + len(WINDOW)
        row = self._fixed + per * len(self._form_row)
        if row + per > len(self._table):
            grown = np.zeros((self._fixed + 2 * (len(self._table) - self._fixed), len(self.labels)))
            grown[:len(self._table)] = self._table
            self._table = grown
        named, own, around = _word(word)
        self._fill_rows(row, own, around)
        got = self._form_row[word] = (row, named["w"], named["sig"])
        return got

    def form_vectors(self, word: str) -> np.ndarray:
        """The form's rows (own, then as each neighbour of WINDOW), built if not cached."""
        row = self._row(word)[0]
        return self._table[row:row + 1 + len(WINDOW)]

    def clear(self) -> None:
        """Forget the cached per-form rows (benchmarks of cold forms)."""
        self._form_row.clear()

    def rows(self, words: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
        """Per word: its first table row, and the rows of its pair attributes with the word
        before and the word after (0, the zero row, when the model has no such attribute)."""
        if len(self._form_row) + len(words) > self.MAX_FORMS:  # never mid-sentence
            self.clear()
        info = [self._row(w) for w in words]
        pair = self._pair_row.get
        low = [x[1] for x in info]
        before = ["<s>", *low[:-1]]
        after = [*(x[2] for x in info[1:]), "</s>"]
        return ([x[0] for x in info],
                [pair("pw|w=" + a + "|" + b, 0) for a, b in zip(before, low, strict=True)],
                [pair("w|nsig=" + a + "|" + b, 0) for a, b in zip(low, after, strict=True)])

    @property
    def table(self) -> np.ndarray:
        return self._table

    @property
    def trans(self) -> np.ndarray:
        return self._trans

    def state_scores(self, words: Sequence[str]) -> np.ndarray:
        n = len(words)
        first, before, after = self.rows(words)
        rows = np.array(first, dtype=np.intp)
        idx = np.empty((n, 3 + len(WINDOW)), dtype=np.intp)
        idx[:, 0] = rows
        for slot, off in enumerate(WINDOW, start=1):  # a neighbour's row, or the bound row
            col = idx[:, slot]
            col.fill(slot)
            if off < 0:
                col[-off:] = rows[:n + off] + slot
            else:
                col[:n - off] = rows[off:] + slot
        idx[:, -2] = before
        idx[:, -1] = after
        return self._table[idx].sum(axis=1)

    def marginals(self, words: Sequence[str]) -> list[tuple[str, dict[str, float]]]:
        """Per word: the most probable label and the probability of every label."""
        if not words:
            return []
        labels = self.labels
        probs = self.probs(words)
        return [(labels[b], dict(zip(labels, row, strict=True)))
                for b, row in zip(probs.argmax(axis=1).tolist(), probs.tolist(), strict=True)]

    def probs(self, words: Sequence[str]) -> np.ndarray:
        """n x len(labels) label probabilities (columns follow `labels`); n >= 1."""
        return forward_backward(self.state_scores(words), self._trans)


def _forward_backward_py(state: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Label marginals; the reference for _crf.forward_backward (rescaled at every step)."""
    n, width = state.shape
    emit = np.exp(state - state.max(axis=1, keepdims=True))
    step = np.exp(trans)
    alpha = np.empty((n, width))
    beta = np.empty((n, width))
    a = emit[0]
    alpha[0] = a / a.sum()
    for i in range(1, n):
        a = (alpha[i - 1] @ step) * emit[i]
        alpha[i] = a / a.sum()
    beta[n - 1] = 1.0 / width
    for i in range(n - 2, -1, -1):
        b = step @ (emit[i + 1] * beta[i + 1])
        beta[i] = b / b.sum()
    m = alpha * beta
    return m / m.sum(axis=1, keepdims=True)


@cache
def _compiled():  # -> the _crf module, or None
    if os.environ.get("MURAGAT_MORPH_PURE") == "1":
        return None
    try:
        from muragat.morph import _crf
    except ImportError:
        return None
    return _crf


def forward_backward(state: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """n x L label marginals from n x L state scores and L x L transition scores."""
    fast = _compiled()
    if fast is None:
        return _forward_backward_py(state, trans)
    state = np.ascontiguousarray(state, dtype=np.float64)
    out = np.empty_like(state)
    fast.forward_backward(state, np.ascontiguousarray(trans, dtype=np.float64), out)
    return out
