"""The compiled per-form scoring (`_crf.static_scores`, `_crf.attr_vectors`) against its Python
reference (`ranker.static_scores_py`, `UposCRF._vector`): the same doubles, bit for bit, and so
the same readings chosen. Forms from hypothesis, synthetic models that reach every branch of the
count features, and the real analyzer's candidates on KazNERD / KTB sentences (skipped where
../shared is absent)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from muragat.morph import crf as C
from muragat.morph.analyzer import Analysis
from muragat.morph.crf import _word
from muragat.morph.lexicon import stems
from muragat.morph.ranker import (
    Model,
    Tagger,
    by_count,
    candidates,
    load_model,
    memory_features,
    static_features,
    static_scores_py,
)

REPO = Path(__file__).resolve().parents[1]


def _fast():
    fast = C._compiled()
    if fast is None or not hasattr(fast, "static_scores"):
        if os.environ.get("MURAGAT_REQUIRE_COMPILED") == "1":
            pytest.fail("muragat.morph._crf was not built")
        pytest.skip("muragat.morph._crf not in use (not built at install, or MURAGAT_MORPH_PURE=1)")
    return fast


def _shared_file(*parts: str) -> Path:
    roots = [os.environ.get("MURAGAT_SHARED"), str(REPO.parent / "shared")]
    for root in roots:
        if root and Path(root, *parts).is_file():
            return Path(root, *parts)
    pytest.skip(f"{'/'.join(parts)} is not in ../shared")


def _compiled(tagger: Tagger, word: str, cands: list) -> list[float] | None:
    m = tagger.model
    return tagger._fast.static_scores(tagger._table, word, word.lower(), cands, stems(),  # type: ignore[union-attr]
                                      m.forms, m.lemmas, m.auto_forms, m.auto_lemmas)


_SHIPPED: list[Tagger] = []


def shipped() -> Tagger:
    if not _SHIPPED:
        _SHIPPED.append(Tagger(load_model()))
    return _SHIPPED[0]


LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәіңғүұқөһАБВҒДЕЖҚЛМНОӨПРСТҰҮХШӘІҢЫЮЯ"
ODD = "azAZ09-.,«»'%№\u0301İßǅ"  # ASCII, digits, punctuation, a combining accent, cased oddities


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=LETTERS + ODD, max_size=24))
def test_compiled_static_scores_equal_the_reference_on_any_form(word: str) -> None:
    _fast()
    tagger = shipped()
    cands = candidates(word, tagger.model, ranked_rules=by_count(tagger.model.rules))
    assert _compiled(tagger, word, cands) == static_scores_py(word, cands, tagger.model)


UPOS = ["NOUN", "VERB", "PROPN", "ADJ", "NUM", "PUNCT"]
FEATS = ["", "Case=Nom", "Case=Gen|Number=Plur", "Mood=Ind|Tense=Past|VerbForm=Fin"]
LEMMAS = ["комиссия", "бол", "жаз", "Алматы", "қала", "x", "", "тоғжанов", "ҚК"]
SOURCES = ["lex", "rule", "closed", "propn", "guess"]
WORDS = ["Комиссиясының", "болды", "жазған", "Алматыда", "ҚК-нің", "1937", "x", "", "ӘБ"]


@st.composite
def synthetic(draw: st.DrawFn) -> tuple[Model, str, list[tuple[Analysis, frozenset[str]]]]:
    """A form, readings of it, and a model whose weights cover (most of) their features and
    whose count tables reach every branch: unseen, n <= 0, lemma counts with n 0, self-training
    tables empty or not."""
    word = draw(st.sampled_from(WORDS) | st.text(alphabet=LETTERS + ODD, max_size=12))
    cands = []
    for _ in range(draw(st.integers(1, 8))):
        a = Analysis(draw(st.sampled_from(LEMMAS) | st.text(alphabet=LETTERS, max_size=8)),
                     draw(st.sampled_from(UPOS)), draw(st.sampled_from(FEATS)),
                     guessed=draw(st.booleans()), source="lex")
        cands.append((a, frozenset(draw(st.sets(st.sampled_from(SOURCES), min_size=1)))))
    lower = word.lower()
    count = st.integers(-1, 6)
    forms: dict[str, dict[str, int]] = {}
    if draw(st.booleans()):
        forms[lower] = {"n": draw(count)}
        for a, _ in cands:
            if draw(st.booleans()):
                forms[lower]["u:" + a.upos] = draw(count)
                forms[lower]["t:" + a.upos + "|" + a.feats] = draw(count)
                forms[lower]["l:" + a.lemma + "|" + a.upos] = draw(count)
    lemmas: dict[str, dict[str, int]] = {}
    auto_forms: dict[str, dict[str, int]] = {}
    auto_lemmas: dict[str, dict[str, int]] = {}
    for a, _ in cands:
        if draw(st.booleans()):
            lemmas[a.lemma.lower()] = {"n": draw(count), a.upos: draw(count)}
        if draw(st.booleans()):
            auto_lemmas[a.lemma.lower()] = {"n": draw(st.integers(1, 9)), a.upos: draw(count)}
    if draw(st.booleans()):
        auto_forms["другое"] = {"n": 1}  # the tables exist; this form may be absent from them
        if draw(st.booleans()):
            auto_forms[lower] = {"n": draw(st.integers(1, 9))}
            for a, _ in cands:
                auto_forms[lower]["u:" + a.upos] = draw(count)
                auto_forms[lower]["l:" + a.lemma + "|" + a.upos] = draw(count)
    model = Model({}, {}, forms, lemmas, auto_forms, auto_lemmas)
    names = sorted({f for a, s in cands
                    for f in static_features(word, a, s) + memory_features(word, a, model)})
    weight = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
    model.weights.update({f: draw(weight) for f in names if draw(st.integers(0, 5))})
    model.weights.update({"U=" + u + "x": 1.0 for u in UPOS})  # near misses weigh nothing
    return model, word, cands


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(synthetic())
def test_compiled_static_scores_equal_the_reference_on_synthetic_models(case) -> None:
    _fast()
    model, word, cands = case
    tagger = Tagger(model)
    got, ref = _compiled(tagger, word, cands), static_scores_py(word, cands, model)
    assert got == ref
    assert tagger.static_scores(word, cands) == ref
    order = sorted(range(len(cands)), key=lambda i: -ref[i])
    assert sorted(range(len(cands)), key=lambda i: -got[i]) == order  # type: ignore[index]


def test_forms_the_compiled_scorer_leaves_to_the_reference() -> None:
    fast = _fast()
    tagger = shipped()
    rules = by_count(tagger.model.rules)
    for word in ("а\ud800б", "\udcff"):  # a lone surrogate has no UTF-8
        cands = candidates(word, tagger.model, ranked_rules=rules)
        assert _compiled(tagger, word, cands) is None
        assert tagger.static_scores(word, cands) == static_scores_py(word, cands, tagger.model)
    a = (Analysis("ол", "PRON", ""), frozenset({"lex"}))
    odd = Model({}, {}, {}, {}, {"ол": {"n": 0}}, {})  # the reference divides by zero
    assert Tagger(odd)._fast.static_scores(  # type: ignore[union-attr]
        Tagger(odd)._table, "ол", "ол", [a], stems(), {}, {}, {"ол": {"n": 0}}, {}) is None
    with pytest.raises(ZeroDivisionError):
        Tagger(odd).static_scores("ол", [a])
    with pytest.raises(TypeError):
        fast.weight_table(["U=NOUN"])
    with pytest.raises(ValueError):  # not a weight table
        fast.static_scores(object(), "ол", "ол", [a], {}, {}, {}, {}, {})
    with pytest.raises(TypeError):
        fast.static_scores(tagger._table, "ол", "ол", (a,), {}, {}, {}, {}, {})


def test_compiled_attribute_vectors_equal_the_reference() -> None:
    fast = _fast()
    crf = shipped().model.crf
    assert crf is not None
    index, dense = crf._dense_state()
    for word in ["Комиссия", "мүшелерді", ".", "1937", "xyz", "", "ҚК-нің", "а\ud800б", "Ол"]:
        _named, own, around = _word(word)
        out = np.empty((1 + len(around), len(crf.labels)))
        fast.attr_vectors(index, dense, (own, *around), out)
        want = np.array([crf._vector(own), *(crf._vector(g) for g in around)])
        assert np.array_equal(out, want)
    with pytest.raises(ValueError):
        fast.attr_vectors(index, dense, ((),), np.empty((2, len(crf.labels))))


def _sentences(path: Path, limit: int, column: int) -> list[list[str]]:
    """The first `limit` sentences of a CoNLL-U (column 1) or IOB2 (column 0) file."""
    out: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
                if len(out) == limit:
                    break
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t") if column else line.split()
        if column and not cols[0].isdigit():
            continue  # multiword-token ranges and empty nodes
        cur.append(cols[column])
    return out


@pytest.mark.parametrize("parts,column", [
    (("data", "kaznerd", "IOB2_valid.txt"), 0),
    (("data", "ud-kazakh-ktb", "kk_ktb-dev.conllu"), 1),
])
def test_real_sentences_score_and_tag_the_same(parts: tuple[str, ...], column: int) -> None:
    """Three hundred real sentences: every distinct form's readings get the same static scores
    from both paths, and the tagger (compiled) picks the same readings with the same scores as
    the tagger with the Python reference (its own CRF rows built by _vector)."""
    _fast()
    sents = _sentences(_shared_file(*parts), 300, column)
    model = load_model()
    fast_tagger = Tagger(model)
    rules = by_count(model.rules)
    forms = {w for s in sents for w in s}
    for word in sorted(forms):
        cands = candidates(word, model, ranked_rules=rules)
        assert _compiled(fast_tagger, word, cands) == static_scores_py(word, cands, model), word
    ref_model = Model(model.weights, model.rules, model.forms, model.lemmas, model.auto_forms,
                      model.auto_lemmas, C.UposCRF(model.crf.to_json()) if model.crf else None)
    ref_tagger = Tagger(ref_model)
    ref_tagger._fast = None  # the Python static scores
    if ref_model.crf is not None:  # the Python CRF rows (_vector), no compiled attr_vectors
        ref_model.crf._fill_rows = lambda row, own, around: _py_rows(ref_model.crf, row, own,
                                                                      around)
    for words in sents:
        assert fast_tagger.tag(words) == ref_tagger.tag(words), words


def _py_rows(crf: C.UposCRF, row: int, own, around) -> None:
    crf.table[row] = crf._vector(own)
    for k, attrs in enumerate(around, start=1):
        crf.table[row + k] = crf._vector(attrs)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=40))
def test_the_reference_adds_left_to_right_on_every_python(xs: list[float]) -> None:
    """score() is the plain left-to-right sum the C does, also where sum() compensates (3.12+)."""
    from muragat.morph.ranker import _plain_sum, _reduce_sum

    total = 0.0
    for x in xs:
        total += x
    assert _reduce_sum(xs) == total
    assert _plain_sum(xs) == total
