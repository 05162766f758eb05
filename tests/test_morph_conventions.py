"""Morphology: KTB conventions and forms added in the second pass (issue 3 follow-up)."""

from __future__ import annotations

import pytest

import muragat.morph as morph


def readings(word: str) -> set[tuple[str, str, str]]:
    return {(a.lemma, a.upos, a.feats) for a in morph.analyze(word)}


@pytest.mark.parametrize(
    ("word", "reading"),
    [
        # future finite with person, imperative plural, desiderative, evidential (front harmony)
        ("жазармын", ("жаз", "VERB", "Mood=Ind|Number=Sing|Person=1|Tense=Fut|VerbForm=Fin")),
        ("жазармыз", ("жаз", "VERB", "Mood=Ind|Number=Plur|Person=1|Tense=Fut|VerbForm=Fin")),
        ("жазыңдар", ("жаз", "VERB", "Mood=Imp|Number=Plur|Person=2|VerbForm=Fin")),
        ("жазғым", ("жаз", "VERB", "Mood=Des|Number=Sing|Person=1|VerbForm=Inf")),
        ("келіпті", ("кел", "VERB",
                     "Evident=Fh|Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin")),
        # -атын as a verbal noun, -мас with case
        ("жазатынын", ("жаз", "VERB",
                       "Aspect=Imp|Case=Acc|Number[psor]=Plur,Sing|Person[psor]=3|VerbForm=Ger")),
        ("жазбастан", ("жаз", "VERB", "Case=Abl|Polarity=Neg|Tense=Fut|VerbForm=Ger")),
        # numbers, percent, Roman numerals
        ("45%-ы", ("45", "NUM",
                   "Case=Nom|Number[psor]=Plur,Sing|NumType=Card,Ord|Person[psor]=3")),
        ("12%", ("12", "NUM", "Case=Nom|NumType=Card,Ord")),
        ("XIX", ("XIX", "NUM", "NumType=Ord")),
        # women's surnames lemmatize to the masculine form; mixed-harmony surnames
        ("Омарова", ("Омаров", "PROPN", "Case=Nom|Gender=Fem")),
        ("Әлиевтің", ("Әлиев", "PROPN", "Case=Gen")),
        # adverbs with -ғы keep the adverb as lemma; KTB multiword-token parts
        ("бүгінгі", ("бүгін", "ADV", "Case=Nom")),
        ("сз", ("сыз", "ADP", "")),
        # Russian loans: soft sign and double consonant dropped before a suffix
        ("моделі", ("модель", "NOUN", "Case=Nom|Number[psor]=Plur,Sing|Person[psor]=3")),
        ("процеске", ("процесс", "NOUN", "Case=Dat")),
        # analytic forms written as one token
        ("көрген емеспін", ("көр", "VERB",
                            "Mood=Ind|Number=Sing|Person=1|Polarity=Neg|Tense=Past|VerbForm=Fin")),
        # closed classes: quantifier determiners, demonstrative adverbs under their pronoun,
        # interjections, conjunctions, postpositions (a converb postposition keeps its verb)
        ("бірнеше", ("бірнеше", "DET", "PronType=Tot")),
        ("былай", ("бұл", "PRON", "PronType=Dem")),
        ("сонша", ("сол", "DET", "PronType=Dem")),
        ("Рақмет", ("рақмет", "INTJ", "")),
        ("түгіл", ("түгіл", "CCONJ", "")),
        ("қарамастан", ("қарамастан", "ADP", "")),
        ("бастап", ("баста", "ADP", "")),
        ("немененің", ("немене", "PRON", "Case=Gen|PronType=Int")),
        # second-person possessives on verbal nouns (the dative after -ың is -а)
        ("жазуыңызды", ("жаз", "VERB",
                        "Case=Acc|Number[psor]=Sing|Person[psor]=2|Polite=Form|VerbForm=Ger")),
        ("жазуыңа", ("жаз", "VERB", "Case=Dat|Number[psor]=Sing|Person[psor]=2|VerbForm=Ger")),
        ("жазғандарыңыз", ("жаз", "VERB", "Case=Nom|Number=Plur|Number[psor]=Sing|"
                           "Person[psor]=2|Polite=Form|Tense=Past|VerbForm=Ger")),
        # personal endings after the past participle, -ып, -мақ, -атын, -ар
        ("жазғансың", ("жаз", "VERB", "Mood=Ind|Number=Sing|Person=2|Tense=Past|VerbForm=Fin")),
        ("жазғанбыз", ("жаз", "VERB", "Mood=Ind|Number=Plur|Person=1|Tense=Past|VerbForm=Fin")),
        ("жазыпсыз", ("жаз", "VERB", "Evident=Fh|Mood=Ind|Number=Sing|Person=2|Polite=Form|"
                      "Tense=Past|VerbForm=Fin")),
        ("жазбақпын", ("жаз", "VERB", "Mood=Des|Number=Sing|Person=1|Tense=Fut|VerbForm=Fin")),
        ("жазатынмын", ("жаз", "VERB", "Mood=Ind|Number=Sing|Person=1|Tense=Past|VerbForm=Fin")),
        ("жазарсыңдар", ("жаз", "VERB", "Mood=Ind|Number=Plur|Person=2|Tense=Fut|VerbForm=Fin")),
        # second person plural, formal past and conditional; informal plural of тұр
        ("жаздыңыздар", ("жаз", "VERB",
                         "Mood=Ind|Number=Plur|Person=2|Polite=Form|Tense=Past|VerbForm=Fin")),
        ("жазсаңдар", ("жаз", "VERB", "Mood=Cnd|Number=Plur|Person=2|VerbForm=Conv")),
        ("тұрсыңдар", ("тұр", "AUX", "Mood=Ind|Number=Plur|Person=2|Tense=Pres|VerbForm=Fin")),
        # -у verbal nouns also read as nouns under the -у form (the letter ю included)
        ("жазуды", ("жазу", "NOUN", "Case=Acc")),
        ("сүюі", ("сүю", "NOUN", "Case=Nom|Number[psor]=Plur,Sing|Person[psor]=3")),
        # common verbs hunspell-kk lists as nominal entries only
        ("қайтты", ("қайт", "VERB", "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin")),
        ("тоқтатты", ("тоқтат", "VERB", "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin")),
    ],
)
def test_reading_is_proposed(word: str, reading: tuple[str, str, str]) -> None:
    assert reading in readings(word)


def test_any_spaced_token_still_gets_an_analysis() -> None:
    assert morph.analyze("New York")
    assert morph.analyze("еш нәрсені")


def test_hyphenated_common_noun_lemma_is_lower_case() -> None:
    assert all(a.lemma == a.lemma.lower() for a in morph.analyze("Ата-аналардың")
               if a.upos == "NOUN")


def test_adverb_list_gives_adv_reading() -> None:
    assert ("әбден", "ADV", "") in readings("әбден")


def test_relational_adjective_in_lyq_is_proposed() -> None:
    assert ("экономикалық", "ADJ", "") in readings("экономикалық")


def test_tagger_prefers_adjective_before_noun() -> None:
    best = morph.tag_words(["Бұл", "өте", "маңызды", "мәселе", "."])
    assert best[2][0].upos == "ADJ"
    assert best[3][0].upos == "NOUN"


def test_closed_class_readings_add_to_the_open_ones() -> None:
    # жақын is a postposition after a dative and an adjective elsewhere: both stay proposed
    uposes = {a.upos for a in morph.analyze("жақын")}
    assert {"ADP", "ADJ"} <= uposes


@pytest.mark.parametrize(("word", "verb"), [("бармауды", "бар"), ("сұралуды", "сұра"),
                                            ("жазғанды", "жаз")])
def test_no_noun_reading_for_negated_voiced_or_past_verbal_nouns(word: str, verb: str) -> None:
    """Only plain -у verbal nouns read as nouns: бармау (negated), сұралу (passive) and the past
    verbal noun жазған keep their verb readings without a noun under the -у form (a verb that
    hunspell lists by itself, such as жазылу, is a plain verbal noun of its own)."""
    assert not any(a.upos == "NOUN" and a.lemma.endswith("у") for a in morph.analyze(word))
    assert any(a.upos == "VERB" and a.lemma == verb for a in morph.analyze(word))
