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
