"""Smoke test of training + evaluation on a slice of UD Kazakh-KTB (skips without ../shared)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from muragat.morph.conllu import read_conllu
from muragat.morph.ranker import Tagger
from muragat.morph.train import train

REPO = Path(__file__).resolve().parents[1]


def ktb_path() -> Path:
    roots = [Path(os.environ["MURAGAT_SHARED"])] if os.environ.get("MURAGAT_SHARED") else []
    roots.append(REPO.parent / "shared")
    for root in roots:
        path = root / "data" / "ud-kazakh-ktb" / "kk_ktb-dev.conllu"
        if path.is_file():
            return path
    pytest.skip("shared KTB data not available")


def test_train_on_slice_and_tag_held_out() -> None:
    sents = read_conllu(ktb_path())
    model = train(sents[:150], epochs=3, seed=1)
    tagger = Tagger(model)
    test = sents[700:730]
    n = lem = upos = 0
    for sent in test:
        for w, ranked in zip(sent, tagger.tag([w.form for w in sent]), strict=True):
            n += 1
            lem += ranked[0][0].lemma == w.lemma
            upos += ranked[0][0].upos == w.upos
    assert n > 100
    assert lem / n > 0.8
    assert upos / n > 0.7


def test_self_training_tables_count_the_first_models_choices() -> None:
    sents = read_conllu(ktb_path())
    text = [[w.form for w in s] for s in sents[300:330]]
    model = train(sents[:80], epochs=2, seed=1, runs=1, unlabelled=text, splits=2)
    occurrences: dict[str, int] = {}
    for words in text:
        for word in words:
            occurrences[word.lower()] = occurrences.get(word.lower(), 0) + 1
    # two first models (one per half of the gold data) each tagged the text once
    assert set(model.auto_forms) == set(occurrences)
    for form, counts in model.auto_forms.items():
        assert counts["n"] == 2 * occurrences[form]
        assert sum(c for k, c in counts.items() if k.startswith("u:")) == counts["n"]
    assert sum(c["n"] for c in model.auto_lemmas.values()) == 2 * sum(occurrences.values())
    assert any(f.startswith(("AU", "AL")) for f in model.weights)


def test_without_unlabelled_text_there_are_no_self_training_tables() -> None:
    model = train(read_conllu(ktb_path())[:40], epochs=1, seed=1, runs=1)
    assert model.auto_forms == {} and model.auto_lemmas == {}
    assert not any(f.startswith(("AU", "AL")) for f in model.weights)


def test_shipped_model_has_self_training_tables() -> None:
    from muragat.morph.ranker import load_model

    model = load_model()
    assert model is not None and len(model.auto_forms) > 10_000
    assert model.auto_forms["және"]["u:CCONJ"] > 0.9 * model.auto_forms["және"]["n"]


def test_another_model_is_chosen_by_path_or_env(tmp_path: Path, monkeypatch) -> None:
    """MURAGAT_MORPH_MODEL (the jack-knife runs the CLI with each fold's model this way)."""
    import shutil

    from muragat.errors import InputError
    from muragat.morph.ranker import load_model

    with pytest.raises(InputError, match="MURAGAT_MORPH_MODEL"):
        load_model(str(tmp_path / "missing.json.gz"))
    copy = tmp_path / "fold.json.gz"
    shutil.copy(REPO / "src" / "muragat" / "morph" / "data" / "disambig.json.gz", copy)
    load_model.cache_clear()  # the loader is cached: the environment is read once per process
    monkeypatch.setenv("MURAGAT_MORPH_MODEL", str(copy))
    try:
        model = load_model()
        assert model is not None and model.weights == load_model(str(copy)).weights
        load_model.cache_clear()
        monkeypatch.setenv("MURAGAT_MORPH_MODEL", str(tmp_path / "missing.json.gz"))
        with pytest.raises(InputError):
            load_model()
    finally:
        monkeypatch.delenv("MURAGAT_MORPH_MODEL")
        load_model.cache_clear()
