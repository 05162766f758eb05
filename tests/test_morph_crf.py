"""The disambiguator's sentence view: a UPOS CRF with its own inference (muragat.morph.crf)."""

from __future__ import annotations

import itertools
import math
import os
import tempfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muragat.morph import crf as C
from muragat.morph.conllu import Word
from muragat.morph.ranker import (
    SEP,
    Tagger,
    candidates,
    context,
    crf_features,
    dynamic_features,
    load_model,
    majority_upos,
    memory_features,
    score,
    static_features,
)
from muragat.morph.train import train

# Team-written toy sentences (form, lemma, UPOS, FEATS): enough to train a CRF and a ranker.
TOY = [
    [("Комиссия", "комиссия", "NOUN", "Case=Nom"), ("мүшелерді", "мүше", "NOUN", "Case=Acc|Number=Plur"),
     ("тексерді", "тексер", "VERB", "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin"),
     (".", ".", "PUNCT", "")],
    [("Ол", "ол", "PRON", "Case=Nom|Number=Sing|Person=3|PronType=Prs"),
     ("партиядан", "партия", "NOUN", "Case=Abl"),
     ("шығарылды", "шығар", "VERB",
      "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin|Voice=Pass"), (".", ".", "PUNCT", "")],
    [("Бұл", "бұл", "DET", "PronType=Dem"), ("іс", "іс", "NOUN", "Case=Nom"),
     ("жаңа", "жаңа", "ADJ", ""), ("болды", "бол", "AUX",
                                   "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin"),
     (".", ".", "PUNCT", "")],
    [("Алматы", "Алматы", "PROPN", "Case=Nom"), ("мен", "мен", "CCONJ", ""),
     ("Астана", "Астана", "PROPN", "Case=Nom"), ("үлкен", "үлкен", "ADJ", ""),
     ("қала", "қала", "NOUN", "Case=Nom"), (".", ".", "PUNCT", "")],
    [("Мен", "мен", "PRON", "Case=Nom|Number=Sing|Person=1|PronType=Prs"),
     ("хат", "хат", "NOUN", "Case=Nom"), ("жаздым", "жаз", "VERB",
                                         "Mood=Ind|Number=Sing|Person=1|Tense=Past|VerbForm=Fin"),
     (".", ".", "PUNCT", "")],
]


def toy_sents() -> list[list[Word]]:
    out = []
    for sent in TOY * 4:  # repeated so that L-BFGS has something to fit
        out.append([Word(form, lemma, upos, feats) for form, lemma, upos, feats in sent])
    return out


def toy_crf() -> C.UposCRF:
    return C.train_crf([([w.form for w in s], [w.upos for w in s]) for s in toy_sents()])


def brute_marginals(state: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Every label sequence enumerated: the definition of the marginals."""
    n, width = state.shape
    out = np.zeros((n, width))
    for seq in itertools.product(range(width), repeat=n):
        s = sum(state[i, y] for i, y in enumerate(seq))
        s += sum(trans[a, b] for a, b in itertools.pairwise(seq))
        p = math.exp(s)
        for i, y in enumerate(seq):
            out[i, y] += p
    return out / out.sum(axis=1, keepdims=True)


scores = st.floats(-8, 8, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.data())
def test_forward_backward_is_the_definition(n: int, width: int, data: st.DataObject) -> None:
    state = np.array(data.draw(st.lists(scores, min_size=n * width, max_size=n * width))
                     ).reshape(n, width)
    trans = np.array(data.draw(st.lists(scores, min_size=width * width, max_size=width * width))
                     ).reshape(width, width)
    want = brute_marginals(state, trans)
    assert np.allclose(C._forward_backward_py(state, trans), want, atol=1e-9)
    assert np.allclose(C.forward_backward(state, trans), want, atol=1e-9)


def _compiled_or_skip():
    fast = C._compiled()
    if fast is None:
        if os.environ.get("MURAGAT_REQUIRE_COMPILED") == "1":
            pytest.fail("muragat.morph._crf was not built")
        pytest.skip("muragat.morph._crf not in use (not built at install, or MURAGAT_MORPH_PURE=1)")
    return fast


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 60), st.integers(1, 17), st.integers(0, 2**32 - 1))
def test_compiled_forward_backward_equals_numpy(n: int, width: int, seed: int) -> None:
    fast = _compiled_or_skip()
    rng = np.random.default_rng(seed)
    state = rng.normal(0, 6, (n, width))
    trans = rng.normal(0, 3, (width, width))
    out = np.empty_like(state)
    fast.forward_backward(state, trans, out)
    assert np.allclose(out, C._forward_backward_py(state, trans), atol=1e-12)
    assert np.allclose(out.sum(axis=1), 1.0)


def test_long_sentences_with_large_scores_do_not_overflow() -> None:
    rng = np.random.default_rng(0)
    state = rng.normal(0, 300, (5000, 16))
    probs = C.forward_backward(state, rng.normal(0, 30, (16, 16)))
    assert np.isfinite(probs).all() and np.allclose(probs.sum(axis=1), 1.0)


def test_compiled_rejects_bad_buffers() -> None:
    fast = _compiled_or_skip()
    ok = np.zeros((3, 4))
    with pytest.raises(ValueError):
        fast.forward_backward(ok, np.zeros((3, 3)), np.empty_like(ok))
    with pytest.raises(ValueError):
        fast.forward_backward(ok, np.zeros((4, 4)), np.empty((2, 4)))
    with pytest.raises(TypeError):
        fast.forward_backward(ok.astype(np.float32), np.zeros((4, 4)), np.empty_like(ok))
    with pytest.raises(BufferError):  # out must be writable
        fast.forward_backward(ok, np.zeros((4, 4)), b"read-only")
    with pytest.raises(ValueError):
        fast.forward_backward(np.zeros((0, 4)), np.zeros((4, 4)), np.zeros((0, 4)))


def test_own_inference_matches_crfsuite() -> None:
    import pycrfsuite

    model = toy_crf()
    sents = toy_sents()
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sents:
        trainer.append(C.sentence_items([w.form for w in s]), [w.upos for w in s])
    trainer.set_params({"c1": C.C1, "c2": C.C2, "max_iterations": C.ITERATIONS,
                        "feature.possible_transitions": True})
    ref = pycrfsuite.Tagger()
    with tempfile.TemporaryDirectory() as tmp:
        trainer.train(f"{tmp}/ref.crfsuite")
        ref.open(f"{tmp}/ref.crfsuite")
    for words in (["Бұл", "комиссия", "жаңа", "болды", "."], ["Мен", "Алматы", "мен", "Астана"]):
        ref.set(C.sentence_items(words))
        for i, (_, marg) in enumerate(model.marginals(words)):
            for label in model.labels:
                assert marg[label] == pytest.approx(ref.marginal(label, i), abs=1e-4)


def test_marginals_survive_the_form_table_being_rebuilt() -> None:
    model = toy_crf()
    words = ["Комиссия", "мүшелерді", "тексерді", ".", "Ол", "партиядан", "шығарылды"]
    want = model.marginals(words)
    small = C.UposCRF(model.to_json())
    small.MAX_FORMS = 3  # smaller than the sentence: the table is rebuilt before it
    for _ in range(3):
        got = small.marginals(words)
        assert [b for b, _ in got] == [b for b, _ in want]
        for (_, a), (_, b) in zip(got, want, strict=True):
            assert a == pytest.approx(b)
    assert small.marginals([]) == []


def test_tagger_scores_are_the_training_features() -> None:
    """Tagger.tag inlines the context and sentence-view features for speed: its scores must be
    the weights of exactly the features the trainer saw."""
    model = train(toy_sents(), epochs=3, seed=1, runs=1, sentence_view=True)
    assert model.crf is not None
    assert any(name.startswith("CRM=" + SEP) for name in model.weights)
    tagger = Tagger(model)
    words = ["Бұл", "комиссия", "мен", "партия", "жаңа", "болды", "."]
    ranked = tagger.tag(words)
    views = model.crf.marginals(words)
    prev = ("<s>", "<s>", "<s>")
    for i, (word, readings) in enumerate(zip(words, ranked, strict=True)):
        nm = majority_upos(model, words[i + 1]) if i + 1 < len(words) else "</s>"
        ctx = context(words, i, prev[0], prev[1], prev[2], nm)
        for a, got in readings:
            if len(readings) == 1:
                continue
            cands = dict(((c.lemma, c.upos, c.feats), s) for c, s in
                         [(c, s) for c, s in _static(tagger, word)])
            feats = (dynamic_features(a.upos, a.upos + "|" + a.feats, ctx)
                     + crf_features(a.upos, views, i))
            want = cands[(a.lemma, a.upos, a.feats)] + score(model.weights, feats)
            assert got == pytest.approx(want, abs=1e-9)
        best = readings[0][0]
        prev = (best.upos, prev[0], best.upos + "|" + best.feats)


def test_view_favourite_comes_back_after_static_pruning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Static scoring keeps the KEEP best readings of a form; when it drops every reading of
    the UPOS the sentence view favours, that UPOS's best reading is scored too."""
    from muragat.morph import ranker

    model = train(toy_sents(), epochs=3, seed=1, runs=1, sentence_view=True)
    monkeypatch.setattr(ranker, "KEEP", 1)
    tagger = Tagger(model)
    words = ["Бұл", "комиссия", "мен", "партия", "жаңа", "болды", "."]
    ranked = tagger.tag(words)
    assert tagger._view is not None
    rows = tagger._view.weights(words)
    called_back = 0
    for word, readings, row in zip(words, ranked, rows, strict=True):
        fav = tagger._view.crf.labels[int(np.argmax(row))]
        offered = {a.upos for a, _ in candidates(word, model)}
        got = [a.upos for a, _ in readings]
        assert len(got) <= 2
        if fav in offered:
            assert fav in got
            called_back += len(got) == 2
    assert called_back  # the case arises in this sentence
    # a lone word has no sentence view: static pruning alone
    assert len(tagger.tag(["мен"])[0]) == 1


def _static(tagger: Tagger, word: str) -> list:
    model = tagger.model
    return [(a, score(model.weights, static_features(word, a, srcs)
                      + memory_features(word, a, model)))
            for a, srcs in candidates(word, model)]


def test_shipped_model_has_a_sentence_view() -> None:
    model = load_model()
    assert model is not None and model.crf is not None
    assert {"NOUN", "VERB", "ADJ", "PRON", "DET", "AUX"} <= set(model.crf.labels)
    view = model.crf.marginals(["Тоғжанов", "партиядан", "шығарылды", "."])
    assert [best for best, _ in view] == ["PROPN", "NOUN", "VERB", "PUNCT"]
    assert all(abs(sum(probs.values()) - 1) < 1e-9 for _, probs in view)


VOCAB = ["Комиссия", "мүшелерді", "тексерді", ".", "Ол", "партиядан", "шығарылды", "Бұл", "іс",
         "жаңа", "болды", "Алматы", "мен", "Астана", "үлкен", "қала", "хат", "жаздым", ",", "1937",
         "Тоғжановтың", "xyz", "«", "»", "ҚК-нің", "да"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=40))
def test_compiled_view_weights_equal_the_numpy_path(words: list[str]) -> None:
    _compiled_or_skip()
    model = load_model()
    assert model is not None
    tagger = Tagger(model)
    view = tagger._view
    assert view is not None
    fast, ref = view.weights(words), view.weights_py(words)
    assert np.allclose(np.array(fast), np.array(ref), atol=1e-9)


def test_compiled_view_weights_reject_bad_rows() -> None:
    fast = _compiled_or_skip()
    model = load_model()
    assert model is not None
    view = Tagger(model)._view
    crf = model.crf
    assert view is not None and crf is not None
    first, before, after = crf.rows(["Ол", "келді"])
    args = (view._best, view._bucket, view._edges, view._slots)
    with pytest.raises(IndexError):
        fast.view_weights(crf.table, [len(crf.table), 0], before, after, crf.trans, *args)
    with pytest.raises(ValueError):
        fast.view_weights(crf.table, first, before[:1], after, crf.trans, *args)
    with pytest.raises(ValueError):
        fast.view_weights(crf.table, [], [], [], crf.trans, *args)
    with pytest.raises(TypeError):
        fast.view_weights(crf.table, first, before, after, crf.trans, view._best, view._bucket,
                          view._edges, list(view._slots))


UPOS_POOL = ["NOUN", "VERB", "ADJ", "PROPN", "AUX", "INTJ"]


@st.composite
def _scoring_case(draw: st.DrawFn):
    n = draw(st.integers(1, 9))
    weight = st.floats(-50, 50, allow_nan=False).map(lambda x: round(x, 2))  # ties happen
    cands = tuple((f"r{i}", draw(weight), draw(st.sampled_from(UPOS_POOL)),
                   draw(st.sampled_from(["A", "B", "C"]))) for i in range(n))
    cands = tuple((a, s, u, u + "|" + f) for a, s, u, f in cands)
    table = st.one_of(st.none(), st.dictionaries(
        st.sampled_from(UPOS_POOL + [u + "|" + f for u in UPOS_POOL for f in "ABC"]), weight))
    tu = draw(st.lists(table, max_size=12))
    tf = draw(st.lists(table, max_size=6))
    column = {u: k for k, u in enumerate(UPOS_POOL[:4])}  # AUX, INTJ: no column
    row = draw(st.one_of(st.none(), st.lists(weight, min_size=4, max_size=4)))
    unknown = draw(st.dictionaries(st.sampled_from(["AUX", "INTJ"]), weight))
    return cands, tu, tf, row, column, unknown


@settings(max_examples=300, deadline=None)
@given(_scoring_case())
def test_compiled_scoring_in_context_equals_the_reference(case) -> None:
    from muragat.morph.ranker import score_in_context_py

    fast = _compiled_or_skip()
    got, ref = fast.score_candidates(*case), score_in_context_py(*case)
    assert got == ref
    scored, best = got
    assert scored[0][0] == case[0][best][0]  # the best reading comes first
    assert [s for _, s in scored] == sorted((s for _, s in scored), reverse=True)


def test_scoring_in_context_adds_every_weight_once() -> None:
    from muragat.morph.ranker import score_in_context_py

    cands = (("a", 1.0, "NOUN", "NOUN|x"), ("b", 2.0, "VERB", "VERB|y"),
             ("c", 0.5, "NOUN", "NOUN|z"), ("d", 0.0, "AUX", "AUX|w"))
    tu = [{"NOUN": 3.0}, None, {"NOUN": 1.0, "VERB": -1.0}]
    tf = [{"NOUN|z": 10.0}, None]
    row, column, unknown = [0.25, 0.5], {"NOUN": 0, "VERB": 1}, {"AUX": -4.0}
    scored, best = score_in_context_py(cands, tu, tf, row, column, unknown)
    assert scored == [("c", 14.75), ("a", 5.25), ("b", 1.5), ("d", -4.0)]
    assert best == 2
    fast = C._compiled()
    if fast is not None:
        assert fast.score_candidates(cands, tu, tf, row, column, unknown) == (scored, best)


def test_compiled_scoring_rejects_bad_input() -> None:
    fast = _compiled_or_skip()
    ok = (("a", 1.0, "NOUN", "NOUN|"),)
    with pytest.raises(ValueError):
        fast.score_candidates((), [], [], None, {}, {})
    with pytest.raises(TypeError):
        fast.score_candidates((("a", 1.0),), [], [], None, {}, {})
    with pytest.raises(TypeError):
        fast.score_candidates(ok, [["not a dict"]], [], None, {}, {})
    with pytest.raises(TypeError):
        fast.score_candidates(ok, [{"NOUN": "heavy"}], [], None, {}, {})
    with pytest.raises(IndexError):
        fast.score_candidates(ok, [], [], [0.0], {"NOUN": 3}, {})
    with pytest.raises(TypeError):
        fast.score_candidates(ok, [], [], (0.0,), {"NOUN": 0}, {})
