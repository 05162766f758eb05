"""The shipped ending index (data/endings.marisa) against the reference walk of the tactics."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muragat.errors import ModelError
from muragat.morph import endings as E
from muragat.morph.tactics import Ending, _walk


@pytest.mark.parametrize(("start", "harmony", "cls"), [("N0", 0, "T"), ("V0", 1, "N")])
def test_shipped_index_holds_every_reading_of_the_reference_walk(start, harmony, cls):
    walked = _walk(start, harmony, cls)
    assert len(walked) > 1000
    for text, end in walked:
        assert end in E.endings(text), text


def test_suffix_endings_are_the_endings_that_end_the_word():
    word = "шығарылғандардың"
    hits = E.suffix_endings(word)
    assert [i for i, _ in hits] == sorted(i for i, _ in hits)
    assert all(i >= 1 for i, _ in hits)
    assert (len(word) - len("дың"), E.endings("дың")) in hits
    assert dict(hits)[len(word)] == E.endings("")  # the bare stem
    assert E.endings("дың") and not E.endings("ққққ")


def test_generator_table_realizes_the_genitive():
    pairs = E.by_feats("NOUN", "Case=Gen")
    assert {"дың", "нің", "тың"} <= {text for text, _ in pairs}


_feats = st.lists(st.tuples(st.sampled_from(["Case", "Number", "Person"]),
                            st.sampled_from(["Nom", "Gen", "Plur", "3"])), max_size=3)


@settings(max_examples=200, deadline=None)
@given(text=st.text("абвгдеғқлмнңыіұү", max_size=12), cut=st.integers(0, 12),
       ext=st.text("абвғ", max_size=3), feats=_feats, start=st.sampled_from(["N0", "V0"]),
       harmony=st.integers(0, 1), cls=st.sampled_from(E.CLASSES), pos=st.sampled_from(E.POS),
       final=st.sampled_from(E.FINALS))
def test_codec_round_trip(text, cut, ext, feats, start, harmony, cls, pos, final):
    fs = tuple(sorted(dict(feats).items()))
    morphs = tuple(m for m in (text[:cut], text[cut:]) if m)
    end = Ending(start, harmony, cls, fs, morphs, ext, pos, final)
    odd = Ending(start, harmony, cls, fs, ("ю", *morphs), ext, pos, final)  # not a slice
    buf = E.encode_list(text, [end, odd], {fs: 0})
    assert E.decode_list(text, buf, [fs]) == (end, odd)


def test_a_stale_index_is_refused_with_the_rebuild_command(monkeypatch):
    E._trie.cache_clear()
    monkeypatch.setattr(E, "tactics_hash", lambda: "0" * 64)
    try:
        with pytest.raises(ModelError, match="build_endings.py"):
            E._trie()
    finally:
        E._trie.cache_clear()


def test_a_missing_morphology_model_is_an_error_not_a_silent_fallback(monkeypatch, tmp_path):
    from muragat import artifacts
    from muragat.morph import ranker

    monkeypatch.delenv("MURAGAT_MORPH_MODEL", raising=False)
    monkeypatch.setattr(artifacts.resources, "files", lambda _package: tmp_path)
    with pytest.raises(ModelError, match="train-morph"):
        ranker.load_model.__wrapped__()


def test_a_lone_surrogate_is_no_ending_rather_than_an_encoding_error():
    # The Python API can hand the analyzer such strings (`make fuzz` found `а-\ud800` in a query).
    assert E.endings("\ud800") == ()
    assert E.suffix_endings("а-\ud800") == ()
