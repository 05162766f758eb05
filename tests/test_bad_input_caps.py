"""Issue 25, defect 2: bounded cost per input. No later layer sees a token over
MAX_TOKEN_CHARS or a sentence over MAX_SENTENCE_CHARS; the cuts keep every text-layer
property (ordered sentences, tokens inside them, offsets into the original text)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muragat import text as text_layer
from muragat.io import decoding
from muragat.model import Document
from muragat.ner import features
from muragat.text import segmenter, tokenizer


def _analyse(text: str) -> Document:
    with decoding(on_warning=lambda m: None):
        return text_layer.annotate(Document(text=text))


def _assert_sound(doc: Document, max_token: int, max_sentence: int) -> None:
    text = doc.text
    prev = 0
    for s in doc.sentences:
        assert prev <= s.start < s.end <= len(text) and not text[prev:s.start].strip()
        assert s.end - s.start <= max_sentence
        prev = s.end
    assert not text[prev:].strip()
    ranges = doc.sentence_token_ranges()
    assert sum(b - a for a, b in ranges) == len(doc.tokens)  # no token outside a sentence
    for (a, b), s in zip(ranges, doc.sentences, strict=True):
        assert all(s.start <= t.start < t.end <= s.end for t in doc.tokens[a:b])
    assert all(t.end - t.start <= max_token for t in doc.tokens)
    covered = "".join(text[t.start:t.end] for t in doc.tokens)
    assert covered == "".join(text.split())  # every non-space character in exactly one token


def test_one_endless_word_is_cut_into_capped_tokens_and_sentences() -> None:
    doc = _analyse("а" * 10_000)
    _assert_sound(doc, tokenizer.MAX_TOKEN_CHARS, segmenter.MAX_SENTENCE_CHARS)
    assert len(doc.tokens) == 10_000 // tokenizer.MAX_TOKEN_CHARS
    assert len(doc.sentences) == 10_000 // segmenter.MAX_SENTENCE_CHARS


def test_initial_lines_no_longer_make_one_endless_sentence() -> None:
    doc = _analyse("Ғ.\n" * 5000)
    _assert_sound(doc, tokenizer.MAX_TOKEN_CHARS, segmenter.MAX_SENTENCE_CHARS)
    assert len(doc.sentences) >= 15000 // segmenter.MAX_SENTENCE_CHARS


def test_a_long_sentence_is_cut_after_a_comma_and_the_cut_is_said() -> None:
    said: list[str] = []
    with decoding(on_warning=said.append):
        doc = text_layer.annotate(Document(text="Тоғжанов, комиссия құрды, " * 200))
    _assert_sound(doc, tokenizer.MAX_TOKEN_CHARS, segmenter.MAX_SENTENCE_CHARS)
    assert all(doc.text[s.end - 1] == "," for s in doc.sentences[:-1])
    assert len(said) == 1 and str(segmenter.MAX_SENTENCE_CHARS) in said[0]


def test_ordinary_text_is_not_touched() -> None:
    text = "1929 жылы Ғ. Тоғжановтың басшылығымен комиссия құрылды. Ойыл ауданы 1931 жылы.\n"
    said: list[str] = []
    with decoding(on_warning=said.append):
        doc = text_layer.annotate(Document(text=text * 50))
    assert not said and len(doc.sentences) == 100


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="аәбҒТ .,!\n-1«»", max_size=400))
def test_caps_keep_every_text_property(monkeypatch_text: str) -> None:
    with pytest.MonkeyPatch.context() as mp:  # small caps: every path of the cutting runs
        mp.setattr(segmenter, "MAX_SENTENCE_CHARS", 30)
        mp.setattr(tokenizer, "MAX_TOKEN_CHARS", 7)
        doc = _analyse(monkeypatch_text)
        _assert_sound(doc, 7, 30)


def _number_word_reference(lower: str, numbers: frozenset[str]) -> str:
    """The quadratic original, kept to show the linear version answers the same."""
    if lower in numbers:
        return "w"
    for suf in ("ыншы", "інші", "ншы", "нші"):
        if lower.endswith(suf) and lower[: -len(suf)] in numbers:
            return "o"
    for n in range(len(lower) - 1, 1, -1):
        if lower[:n] in numbers and len(lower) - n <= 4 and len(lower[:n]) >= 3:
            return "i"
    return ""


def test_ner_number_word_feature_is_unchanged_by_the_linear_loop() -> None:
    numbers = features.lexicon().gaz["number"]
    rng = random.Random(7)
    words = [w + suffix for w in sorted(numbers)[:80] for suffix in ("", "ге", "дің", "ншы",
                                                                    "лары", "ақпан")]
    words += ["".join(rng.choice("абекміншыр") for _ in range(rng.randint(1, 12)))
              for _ in range(300)]
    for w in words:
        assert features._number_word(w, numbers) == _number_word_reference(w, numbers), w
