"""Context disambiguator: an averaged perceptron scoring candidate analyses, plus learned
lemma-edit rules (suffix-stripping classes) that add candidates the rule analyzer misses.

Scores split into a static part (depends on the word form only, cached per form) and a dynamic
part (depends on neighbours, computed per distinct UPOS), which keeps the hot path cheap.
"""

from __future__ import annotations

import gzip
import json
import operator
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, reduce
from itertools import repeat
from typing import Any

import numpy as np

from muragat.morph import phonology
from muragat.morph.analyzer import Analysis, analyze_word, verb_lemma
from muragat.morph.crf import WINDOW, UposCRF
from muragat.morph.crf import _compiled as crf_compiled
from muragat.morph.lexicon import pos_class, stems

MAX_RULE_CANDS = 12
KEEP = 5  # candidates kept per form after static scoring
SEP = "\x1f"  # ends the context part of a context feature's name (see context_prefixes)
DIGIT_UPOS = frozenset(("NUM", "PROPN", "NOUN", "ADJ", "X"))
MIN_STEM = 2


@dataclass(slots=True)
class Model:
    weights: dict[str, float]
    rules: dict[str, list[tuple[str, str, str, int]]]  # strip -> [(add, upos, feats, count)]
    # Lexical-probability tables learned from the training words: form -> {key: count}
    # (keys "u:UPOS", "t:UPOS|FEATS", "l:LEMMA|UPOS") and lemma -> {UPOS: count}.
    forms: dict[str, dict[str, int]] = field(default_factory=dict)
    lemmas: dict[str, dict[str, int]] = field(default_factory=dict)
    # The same two tables (without "t:" keys) counted over unlabelled text tagged by first
    # models (self-training): a prior for the many words the treebank never shows.
    auto_forms: dict[str, dict[str, int]] = field(default_factory=dict)
    auto_lemmas: dict[str, dict[str, int]] = field(default_factory=dict)
    # The sentence view (a UPOS CRF); its marginals are features of every reading.
    crf: UposCRF | None = None


def _bucket(x: float) -> str:
    return "0" if x <= 0 else "1" if x < 0.2 else "2" if x < 0.5 else "3" if x < 0.8 else "4" \
        if x < 1 else "5"


def memory_features(word: str, a: Analysis, model: Model,
                    gold: tuple[str, str, str] | None = None) -> list[str]:
    """How often the training data gave this form this reading (leave-one-out when training)."""
    u, uf = a.upos, a.upos + "|" + a.feats
    out = []
    counts = model.forms.get(word.lower())
    n = counts.get("n", 0) if counts else 0
    if gold is not None and counts:
        n -= 1
    if n <= 0:
        out.append("MN|" + u)
    else:
        assert counts is not None
        gu, guf, gl = ("", "", "") if gold is None else (
            "u:" + gold[1], "t:" + gold[1] + "|" + gold[2], "l:" + gold[0] + "|" + gold[1])
        cu = counts.get("u:" + u, 0) - (gu == "u:" + u)
        ct = counts.get("t:" + uf, 0) - (guf == "t:" + uf)
        cl = counts.get("l:" + a.lemma + "|" + u, 0) - (gl == "l:" + a.lemma + "|" + u)
        out += ["MU" + _bucket(cu / n) + "|" + u, "MT" + _bucket(ct / n),
                "ML" + _bucket(cl / n), "MTL" + _bucket(ct / n) + _bucket(cl / n)]
    lc = model.lemmas.get(a.lemma.lower())
    if lc:
        ln = lc.get("n", 0) - (gold is not None and gold[0].lower() == a.lemma.lower())
        lu = lc.get(u, 0) - (gold is not None and gold[0].lower() == a.lemma.lower()
                             and gold[1] == u)
        out.append(("LM" + _bucket(lu / ln) if ln > 0 else "LMN") + "|" + u)
    else:
        out.append("LMN|" + u)
    if model.auto_forms:
        out += auto_features(word, a, model)
    return out


def auto_features(word: str, a: Analysis, model: Model) -> list[str]:
    """Self-training priors: how often first models chose this reading's UPOS (and lemma) for
    the form, and this UPOS for the lemma, over unlabelled text."""
    u = a.upos
    out = []
    counts = model.auto_forms.get(word.lower())
    if counts:
        n = counts["n"]
        out += ["AU" + _bucket(counts.get("u:" + u, 0) / n) + "|" + u,
                "AUL" + _bucket(counts.get("l:" + a.lemma + "|" + u, 0) / n)]
    else:
        out.append("AUN|" + u)
    lc = model.auto_lemmas.get(a.lemma.lower())
    if lc:
        out.append("AL" + _bucket(lc.get(u, 0) / lc["n"]) + "|" + u)
    else:
        out.append("ALN|" + u)
    return out


P_EDGES = (0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98)  # probability buckets of the sentence view


def _pbucket(p: float) -> str:
    return str(bisect_right(P_EDGES, p))


def crf_features(u: str, views: Sequence[tuple[str, dict[str, float]]], i: int) -> list[str]:
    """What the sentence view says of UPOS u at position i: its best label, and the marginal
    probability of u. Named like context features (SEP), so Tagger indexes them. (The view's
    labels of the neighbouring words as well were measured: no gain.)"""
    best, marg = views[i]
    return ["CR=" + best + SEP + u, "CRM=" + SEP + _pbucket(marg.get(u, 0.0)) + "|" + u]


def edit_rule(form: str, lemma: str) -> tuple[str, str]:
    """(strip, add) turning the lower-cased form into the lower-cased lemma."""
    f, lem = form.lower(), lemma.lower()
    p = 0
    while p < len(f) and p < len(lem) and f[p] == lem[p]:
        p += 1
    return f[p:], lem[p:]


def rule_candidates(word: str, rules: dict[str, list[tuple[str, str, str, int]]],
                    skip: tuple[str, str, str, str] | None = None, ranked: bool = False
                    ) -> list[Analysis]:
    """Candidates from learned edit rules; `skip` removes one count (leave-one-out training).
    `ranked`: each strip's entries are sorted by count, highest first (`by_count`), so the scan
    of a strip stops at the last entry that can be kept."""
    lower = word.lower()
    lex = stems()
    vowels, devoicing = phonology.vowels(), phonology.devoicing()
    # (score, lemma, upos, feats, rest): Analysis objects only for the twelve kept (the sort is
    # by score alone, stable, as it was over the readings)
    found: list[tuple[float, str, str, str, int]] = []
    has_alnum = any(ch.isalnum() for ch in lower)
    has_digit = any(ch.isdigit() for ch in lower)
    for k in range(0, min(len(lower), 10) + 1):
        strip = lower[len(lower) - k:] if k else ""
        entries = rules.get(strip)
        if not entries:
            continue
        rest = len(lower) - k
        taken = 0
        for add, upos, feats, count in entries:
            if ranked and taken == MAX_RULE_CANDS:
                # entries run by count, highest first: the rest of this strip's entries rank
                # after twelve of its own (the sort below is stable) and cannot be kept
                break
            if (upos == "PUNCT") == has_alnum or (has_digit and upos not in DIGIT_UPOS):
                continue
            if skip is not None and skip == (strip, add, upos, feats):
                count -= 1
            if count <= 0:
                continue
            if rest < MIN_STEM and not (rest == 0 and strip == lower):
                continue
            base = word[:rest] if upos == "PROPN" else lower[:rest]
            lemma = base + add
            if not add and lemma[-1:] in devoicing and strip[:1] in vowels:
                lemma = lemma[:-1] + devoicing[lemma[-1]]  # ықпалдастығ-ына -> ықпалдастық
            found.append((count * (1 + k), lemma, upos, feats, rest))
            taken += 1
    found.sort(key=lambda x: -x[0])
    # a learned-rule reading is a guess unless the lexicon knows its lemma
    return [Analysis(lemma, upos, feats, (word[:rest], word[rest:]),
                     upos not in ("PUNCT", "NUM", "PROPN") and lemma.lower() not in lex, "rule")
            for _, lemma, upos, feats, rest in found[:MAX_RULE_CANDS]]


def _with_gender(cands: list[Analysis]) -> list[Analysis]:
    """KTB marks Gender on personal names; offer both values for every proper-noun reading."""
    out = list(cands)
    for a in cands:
        if a.upos == "PROPN" and "Gender" not in a.feats:
            for g in ("Gender=Fem", "Gender=Masc"):
                feats = "|".join(sorted([*(a.feats.split("|") if a.feats else []), g],
                                        key=lambda x: x.split("=")[0].lower()))
                out.append(Analysis(a.lemma, a.upos, feats, a.morphemes, a.guessed, a.source))
    return out


def by_count(rules: dict[str, list[tuple[str, str, str, int]]]
             ) -> dict[str, list[tuple[str, str, str, int]]]:
    """The rules with each strip's entries by count, highest first (ties keep their order)."""
    return {k: sorted(v, key=lambda e: -e[3]) for k, v in rules.items()}


def candidates(word: str, model: Model, skip: tuple[str, str, str, str] | None = None,
               ranked_rules: dict[str, list[tuple[str, str, str, int]]] | None = None
               ) -> list[tuple[Analysis, frozenset[str]]]:
    """Merged candidates (lemma, upos, feats) with the set of sources that proposed each.
    `ranked_rules`: model.rules through `by_count` (the same candidates, found sooner)."""
    merged: dict[tuple[str, str, str], tuple[Analysis, set[str]]] = {}
    rules = rule_candidates(word, model.rules, skip) if ranked_rules is None else \
        rule_candidates(word, ranked_rules, skip, ranked=skip is None)
    for a in _with_gender(list(analyze_word(word))) + rules:
        key = (a.lemma, a.upos, a.feats)
        if key in merged:
            merged[key][1].add(a.source)
        else:
            merged[key] = (a, {a.source})
    return [(a, frozenset(s)) for a, s in merged.values()]


def static_features(word: str, a: Analysis, srcs: frozenset[str], mem: bool = False) -> list[str]:
    lower = word.lower()
    u, f = a.upos, a.feats
    uf = u + "|" + f
    strip, add = edit_rule(word, a.lemma)
    lex = stems().get(a.lemma.lower(), "")
    feats = ["U=" + u, "F=" + f, "UF=" + uf, "E=" + strip + ">" + add + "|" + uf,
             "EU=" + strip + ">" + add + "|" + u, "LX=" + lex + "|" + u,
             "NS=" + str(len(srcs)), "SAME=" + str(strip == "") + u,
             "CAP=" + str(word[:1].isupper()) + u]
    feats += ["S=" + s + "|" + u for s in srcs]
    feats += ["SF=" + s + "|" + uf for s in srcs]
    for k in (1, 2, 3, 4):
        if len(lower) > k:
            feats.append(f"X{k}={lower[-k:]}|{u}")
    feats.append(f"X3F={lower[-3:]}|{f}")
    lem = a.lemma.lower()
    wx = stems().get(lower, "")
    feats += [f"LS2={lem[-2:]}|{u}", f"LS3={lem[-3:]}|{u}", f"LL={min(len(lem), 8)}|{u}",
              f"WX={wx}|{len(strip)}|{u}", f"ST={len(strip)}|{len(add)}|{u}",
              f"LP={pos_class(lex)}|{u}", f"LPF={pos_class(lex)}|{uf}"]
    if mem:
        feats += ["W=" + lower + "|" + uf, "WU=" + lower + "|" + u, "WL=" + lower + ">" + a.lemma,
                  "L=" + a.lemma.lower() + "|" + u]
    return feats


def static_scores_py(word: str, cands: Sequence[tuple[Analysis, frozenset[str]]], model: Model
                     ) -> list[float]:
    """The static score of each (reading, sources) of a form: the weights of its
    static_features and memory_features, added left to right. The reference of the compiled
    `_crf.static_scores` (tests/test_crf_static_equivalence.py checks they agree)."""
    w = model.weights
    return [score(w, static_features(word, a, srcs) + memory_features(word, a, model))
            for a, srcs in cands]


def context_prefixes(ctx: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Feature-name prefixes of a position; completed by the candidate's UPOS or UPOS|FEATS.
    They end with SEP so that Tagger can index the weights by prefix (no string building per
    candidate). Tagger.tag builds the same prefixes inline: keep them in sync."""
    prev_u, prev2_u, prev_uf, prev_w, next_w, nsig, bos, nm, nvl, cur = ctx
    by_u = ("NVL=" + nvl + SEP, "LVC=" + cur + ">" + nvl + SEP, "NM=" + nm + SEP,
            "NMP=" + prev_u + "|" + nm + SEP, "P=" + prev_u + SEP,
            "PP=" + prev2_u + "|" + prev_u + SEP, "PUF=" + prev_uf + SEP,
            "PW=" + prev_w + SEP, "NW=" + next_w + SEP, "N3=" + next_w[-3:] + SEP,
            "NC=" + nsig + SEP, "B=" + bos + SEP)
    by_uf = ("PC=" + prev_uf + SEP, "PWF=" + prev_w + SEP, "NWF=" + next_w + SEP,
             "N2F=" + next_w[-2:] + SEP, "NCF=" + nsig + SEP, "NVLF=" + nvl + SEP)
    return by_u, by_uf


def dynamic_features(u: str, uf: str, ctx: tuple[str, ...]) -> list[str]:
    """Context features; ctx = (prev_u, prev2_u, prev_uf, prev_w, next_w, next_sig, bos)."""
    by_u, by_uf = context_prefixes(ctx)
    return [p + u for p in by_u] + [p + uf for p in by_uf]


def majority_upos(model: Model, word: str, leave_out: str = "") -> str:
    """The next word's most frequent training UPOS ("?" if unseen); leave_out = its own gold
    UPOS while training (leave-one-out)."""
    counts = model.forms.get(word.lower())
    if not counts:
        return "?"
    best, best_n = "?", 0
    for k, c in counts.items():
        if k.startswith("u:"):
            c -= k[2:] == leave_out
            if c > best_n:
                best, best_n = k[2:], c
    return best


def context(words: Sequence[str], i: int, prev_u: str, prev2_u: str, prev_uf: str,
            nm: str = "?") -> tuple[str, ...]:
    n = len(words)
    nxt = words[i + 1].lower() if i + 1 < n else "</s>"
    nsig = next_signature(words[i + 1]) if i + 1 < n else "</s>"
    prev_w = words[i - 1].lower() if i else "<s>"
    bos = ("1" if i == 0 else "0") + ("C" if words[i][:1].isupper() else "l")
    nvl = next_verb_lemma(words[i + 1]) if i + 1 < n else "</s>"
    return (prev_u, prev2_u, prev_uf, prev_w, nxt, nsig, bos, nm, nvl, words[i].lower())



def next_verb_lemma(word: str) -> str:
    """The next word's shortest verb lemma: a light verb or auxiliary after the current word
    (жұмыс істе-, пайда бол-, келе жатыр) decides X/NOUN, Conv/Inf."""
    return verb_lemma(word)


@lru_cache(maxsize=200_000)
def next_signature(word: str) -> str:
    return ",".join(sorted({a.upos for a in analyze_word(word)}))


def _reduce_sum(xs: Iterable[float]) -> float:
    return reduce(operator.add, xs, 0.0)


# Plain left-to-right adds, as the model was trained and as _crf.static_scores adds: sum() is
# that up to Python 3.11 (and faster); from 3.12 on it compensates, which would move last bits.
_plain_sum: Callable[[Iterable[float]], float] = sum if sys.version_info < (3, 12) \
    else _reduce_sum


def score(weights: dict[str, float], feats: Sequence[str]) -> float:
    return _plain_sum(map(weights.get, feats, repeat(0.0)))


@cache
def load_model(override: str | None = None) -> Model:
    """The shipped model, or the one at `override` / env MURAGAT_MORPH_MODEL (the jack-knife
    runs the CLI with each fold's model this way); a named model that is missing is an error."""
    import os
    from pathlib import Path

    from muragat import artifacts
    from muragat.errors import InputError
    from muragat.i18n import t

    named = override or os.environ.get("MURAGAT_MORPH_MODEL")
    if named and not Path(named).is_file():
        raise InputError(t(f"MURAGAT_MORPH_MODEL: модель файлы табылмады: {named}",
                           f"MURAGAT_MORPH_MODEL: model file not found: {named}"))
    # a broken install is an error, never a fallback to a tagger without a model; a named
    # model is the user's own file (the jack-knife's folds), not in the shipped manifest
    path = Path(named) if named else artifacts.require("muragat.morph", "disambig.json.gz")
    data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    rules = {k: [tuple(x) for x in v] for k, v in data["rules"].items()}
    crf = UposCRF(data["crf"]) if data.get("crf") else None
    return Model(data["weights"], rules, data["forms"], data["lemmas"],  # type: ignore[arg-type]
                 data.get("auto_forms", {}), data.get("auto_lemmas", {}), crf)


class _ViewWeights:
    """The ranker's weights of the sentence-view features (crf_features) as arrays, so that a
    sentence's view costs a few array operations: weight[i, u] = CR weight of (best label at
    i, u) + CRM weight of (u, bucket of u's probability at i)."""

    def __init__(self, crf: UposCRF, dyn: dict[str, dict[str, float]]) -> None:
        self.crf = crf
        self.column = crf.column
        width = len(crf.labels)
        self._best = np.zeros((width, width))  # best label -> candidate UPOS
        for best, k in crf.column.items():
            for u, w in dyn.get("CR=" + best + SEP, {}).items():
                if u in crf.column:
                    self._best[k, crf.column[u]] = w
        self._bucket = np.zeros((width, len(P_EDGES) + 1))  # candidate UPOS -> bucket
        # a UPOS the CRF never saw as a label has probability 0 (no CR weight can exist)
        self.unknown_weights: dict[str, float] = {}
        for key, w in dyn.get("CRM=" + SEP, {}).items():
            b, u = key.split("|", 1)
            if u in crf.column:
                self._bucket[crf.column[u], int(b)] = w
            elif b == "0":
                self.unknown_weights[u] = w
        self._cols = np.arange(width)
        self._edges = np.array(P_EDGES)
        self._slots = tuple(WINDOW)

    def weights(self, words: Sequence[str]) -> list[list[float]]:
        """Per word, the weight of every label (columns follow crf.labels)."""
        if not words:
            return []
        fast = crf_compiled()
        if fast is not None:
            crf = self.crf
            first, before, after = crf.rows(words)
            return fast.view_weights(crf.table, first, before, after, crf.trans,  # type: ignore[no-any-return]
                                     self._best, self._bucket, self._edges, self._slots)
        return self.weights_py(words)

    def weights_py(self, words: Sequence[str]) -> list[list[float]]:
        """The reference of the compiled path (numpy)."""
        probs = self.crf.probs(words)
        buckets = np.searchsorted(self._edges, probs, side="right")
        out = self._bucket[self._cols, buckets] + self._best[probs.argmax(axis=1)]
        return out.tolist()  # type: ignore[no-any-return]


Entry = tuple[Analysis, float, str, str]  # reading, static score, UPOS, UPOS|FEATS


def score_in_context_py(cands: Sequence[Entry], tu: list[dict[str, float]],
                        tf: list[dict[str, float]], row: list[float] | None,
                        column: dict[str, int], unknown: dict[str, float]
                        ) -> tuple[list[tuple[Analysis, float]], int]:
    """A word's readings scored in context: static score + the context tables' weights of the
    reading's UPOS (tu) and UPOS|FEATS (tf) + the sentence view's weight of its UPOS (row, by
    `column`; `unknown` for a UPOS the view has no column for). Returns the readings best first
    (stable among equal scores) and the index of the best in `cands`. A table that is None is
    absent (the context key has no weights). The reference of the
    compiled `_crf.score_candidates`."""
    by_upos: dict[str, float] = {}
    top, top_s = 0, float("-inf")
    scored = []
    for i, (a, static, u, uf) in enumerate(cands):
        d = by_upos.get(u)
        if d is None:
            d = 0.0  # plain left-to-right sums, as the compiled twin adds (sum() compensates)
            for t in tu:
                if t is not None:
                    d += t.get(u, 0.0)
            if row is not None:
                k = column.get(u)
                d += row[k] if k is not None else unknown.get(u, 0.0)
            by_upos[u] = d
        f = 0.0
        for t in tf:
            if t is not None:
                f += t.get(uf, 0.0)
        sc = static + d + f
        scored.append((a, sc))
        if sc > top_s:
            top, top_s = i, sc
    scored.sort(key=lambda x: -x[1])
    return scored, top


def _score_in_context():  # -> the compiled scorer or its reference
    fast = crf_compiled()
    return fast.score_candidates if fast is not None else score_in_context_py


class Tagger:
    """Greedy left-to-right decoder with a per-form cache of candidates and static scores."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._static = lru_cache(maxsize=300_000)(self._static_uncached)
        # what a word tells its left neighbour: form, reading signature, majority UPOS, verb lemma
        self._as_next = lru_cache(maxsize=300_000)(
            lambda w: (w.lower(), next_signature(w), majority_upos(model, w), next_verb_lemma(w)))
        # context weights indexed by their context part: prefix -> {UPOS or UPOS|FEATS: w}
        self._dyn: dict[str, dict[str, float]] = {}
        for name, val in model.weights.items():
            cut = name.rfind(SEP)
            if cut >= 0:
                self._dyn.setdefault(name[:cut + 1], {})[name[cut + 1:]] = val
        self._view = _ViewWeights(model.crf, self._dyn) if model.crf is not None else None
        self._in_context = _score_in_context()
        self._rules = by_count(model.rules)
        # the weights as a table of UTF-8 keys for the compiled static scorer (an older build
        # of _crf without it leaves the Python reference in charge)
        fast = crf_compiled()
        self._fast = fast if fast is not None and hasattr(fast, "static_scores") else None
        self._table = self._fast.weight_table(model.weights) if self._fast is not None else None

    def static_scores(self, word: str, cands: list[tuple[Analysis, frozenset[str]]]
                      ) -> list[float]:
        """static_scores_py, compiled where _crf is built (it answers None for a form it leaves
        to the reference: a lone surrogate, a count table of an unexpected shape)."""
        if self._fast is not None:
            m = self.model
            got = self._fast.static_scores(self._table, word, word.lower(), cands, stems(),
                                           m.forms, m.lemmas, m.auto_forms, m.auto_lemmas)
            if got is not None:
                return got  # type: ignore[no-any-return]
        return static_scores_py(word, cands, self.model)

    def _static_uncached(self, word: str) -> tuple[tuple[Entry, ...], dict[str, Entry]]:
        """The KEEP best readings by static score, and the best reading of every other UPOS
        (a reserve the sentence view can call back: see `tag`)."""
        cands = candidates(word, self.model, ranked_rules=self._rules)
        out = [(a, s, a.upos, a.upos + "|" + a.feats)
               for (a, _), s in zip(cands, self.static_scores(word, cands), strict=True)]
        out.sort(key=lambda x: -x[1])
        kept = tuple(out[:KEEP])  # context can only reorder readings that score near the top
        seen = {e[2] for e in kept}
        reserve: dict[str, Entry] = {}
        for e in out[KEEP:]:
            if e[2] not in seen and e[2] not in reserve:
                reserve[e[2]] = e
        return kept, reserve

    def tag(self, words: Sequence[str]) -> list[list[tuple[Analysis, float]]]:
        """For each word, its candidates sorted best first (with scores).

        Same features as `context`/`context_prefixes` (used in training), inlined for speed."""
        dyn = self._dyn
        static, as_next = self._static, self._as_next
        res: list[list[tuple[Analysis, float]]] = []
        prev_u, prev2_u, prev_uf, prev_w = "<s>", "<s>", "<s>", "<s>"
        n = len(words)
        # The sentence view's weight of every UPOS at every position. A lone word (a heading,
        # lemma() of a query term) has no sentence to read: it goes without, as in training.
        view = self._view if n > 1 else None
        in_context = self._in_context
        row: list[float] | None = None
        column: dict[str, int] = {}
        unknown: dict[str, float] = {}
        if view is not None:
            view_rows, column, unknown = view.weights(words), view.column, view.unknown_weights
        for i, word in enumerate(words):
            cands, reserve = static(word)
            if view is not None:
                row = view_rows[i]
            if view is not None and reserve:
                # the sentence view's favourite UPOS gets its best reading back when static
                # pruning dropped every reading of it (the trainer scores all readings)
                fav = view.crf.labels[max(range(len(row)), key=row.__getitem__)]
                if fav in reserve:
                    cands = (*cands, reserve[fav])
            cur = word.lower()
            if len(cands) == 1:
                best = cands[0]
                res.append([(best[0], best[1])])
            else:
                if i + 1 < n:
                    nxt, nsig, nm, nvl = as_next(words[i + 1])
                else:
                    nxt = nsig = nm = nvl = "</s>"
                bos = ("1" if i == 0 else "0") + ("C" if word[:1].isupper() else "l")
                tu = list(map(dyn.get, (
                    "NVL=" + nvl + SEP, "LVC=" + cur + ">" + nvl + SEP, "NM=" + nm + SEP,
                    "NMP=" + prev_u + "|" + nm + SEP, "P=" + prev_u + SEP,
                    "PP=" + prev2_u + "|" + prev_u + SEP, "PUF=" + prev_uf + SEP,
                    "PW=" + prev_w + SEP, "NW=" + nxt + SEP, "N3=" + nxt[-3:] + SEP,
                    "NC=" + nsig + SEP, "B=" + bos + SEP)))
                tf = list(map(dyn.get, (
                    "PC=" + prev_uf + SEP, "PWF=" + prev_w + SEP, "NWF=" + nxt + SEP,
                    "N2F=" + nxt[-2:] + SEP, "NCF=" + nsig + SEP, "NVLF=" + nvl + SEP)))
                scored, top = in_context(cands, tu, tf, row, column, unknown)
                res.append(scored)
                best = cands[top]
            prev2_u, prev_u, prev_uf, prev_w = prev_u, best[2], best[3], cur
        return res
