"""Morphology analyzer: hard words, harmony, alternations, closed classes, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import muragat.morph as morph
from muragat.morph import Analysis


def readings(word: str) -> set[tuple[str, str, str]]:
    return {(a.lemma, a.upos, a.feats) for a in morph.analyze(word)}


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("Тоғжановтың", "Тоғжанов"),
        ("ауданындағы", "аудан"),
        ("комиссиялар", "комиссия"),
        ("Ерназаровтың", "Ерназаров"),
        ("пленумында", "пленум"),
        ("болады", "бол"),
        ("қатарынан", "қатар"),
        ("қатарына", "қатар"),
        ("30-шы", "30"),
        ("ҚК-нің", "ҚК"),
        ("58-бабының", "58-бап"),
        ("шығарылғандардың", "шығар"),
    ],
)
def test_best_lemma_of_hard_words(word: str, lemma: str) -> None:
    assert morph.lemma(word) == lemma


def test_genitive_proper_noun_features() -> None:
    best = morph.tag_words(["Тоғжановтың"])[0][0]
    assert best.upos == "PROPN"
    assert "Case=Gen" in best.feats


def test_locative_possessive_features_in_ktb_order() -> None:
    assert ("аудан", "NOUN", "Case=Loc|Number[psor]=Plur,Sing|Person[psor]=3") in readings(
        "ауданындағы")


def test_participle_with_passive_plural_genitive() -> None:
    feats = {f for lem, u, f in readings("шығарылғандардың") if lem == "шығар" and u == "VERB"}
    assert "Case=Gen|Number=Plur|Tense=Past|VerbForm=Ger|Voice=Pass" in feats


@pytest.mark.parametrize(
    ("word", "lemma", "feats"),
    [
        ("балалар", "бала", "Case=Nom|Number=Plur"),  # back harmony, vowel-final: -лар
        ("үйлер", "үй", "Case=Nom|Number=Plur"),  # front harmony after й: -лер
        ("күндер", "күн", "Case=Nom|Number=Plur"),  # after н: -дер
        ("кітаптар", "кітап", "Case=Nom|Number=Plur"),  # after voiceless: -тар
        ("мектепке", "мектеп", "Case=Dat"),  # front, voiceless: -ке
        ("қалаға", "қала", "Case=Dat"),  # back, vowel: -ға
        ("адамның", "адам", "Case=Gen"),  # after м: -ның
        ("қазақтың", "қазақ", "Case=Gen"),  # after қ: -тың
    ],
)
def test_vowel_harmony_and_onset_alternations(word: str, lemma: str, feats: str) -> None:
    assert (lemma, "NOUN", feats) in readings(word)


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("кітабы", "кітап"), ("мектебі", "мектеп"), ("шығып", "шық"), ("табады", "тап"),
     ("аузымен", "ауыз"), ("орнына", "орын"), ("оқиды", "оқы")],
)
def test_stem_alternations_are_undone(word: str, lemma: str) -> None:
    assert lemma in {a.lemma for a in morph.analyze(word)}


def test_verb_readings_follow_ktb_conventions() -> None:
    r = readings("болады")
    assert ("бол", "AUX", "Aspect=Hab|Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin") in r
    assert ("ал", "VERB",
            "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin|Voice=Pass") in readings("алынды")
    assert ("айт", "VERB", "Aspect=Perf|VerbForm=Conv") in readings("айтып")


def test_closed_class_words() -> None:
    assert ("мен", "PRON", "Case=Dat|Number=Sing|Person=1|PronType=Prs") in readings("маған")
    assert ("және", "CCONJ", "") in readings("және")
    assert ("үшін", "ADP", "") in readings("үшін")


def test_derivations_stay_in_lemma() -> None:
    assert "губерниялық" in {a.lemma for a in morph.analyze("губерниялық")}
    assert any(a.lemma == "наразылық" for a in morph.analyze("наразылығын"))


def test_unknown_word_is_guessed_not_lost() -> None:
    out = morph.analyze("зқщфыхлардың")
    assert out and all(isinstance(a, Analysis) for a in out)
    assert any(a.guessed for a in out)


def test_generate_inverts_analysis() -> None:
    assert "ауданында" in morph.generate("аудан", "Case=Loc|Number[psor]=Plur,Sing|Person[psor]=3")
    assert "кітабы" in morph.generate("кітап", "Case=Nom|Number[psor]=Plur,Sing|Person[psor]=3")
    assert "оқиды" in morph.generate(
        "оқы", "Aspect=Hab|Mood=Ind|Number=Sing|Person=3|Tense=Pres|VerbForm=Fin")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=25))
def test_any_string_gets_an_analysis(word: str) -> None:
    out = morph.analyze(word)
    assert len(out) >= 1
    assert all(isinstance(a.lemma, str) and a.upos for a in out)
    assert morph.tag_words([word])[0]
    assert isinstance(morph.lemma(word), str)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяәіңғүұқөһ-АҚ1", min_size=1,
               max_size=20))
def test_kazakh_like_strings_never_raise(word: str) -> None:
    assert morph.analyze(word)
