"""NER pieces that need no model: scoring, IOB2 repair, rules, base forms."""

from __future__ import annotations

import sys
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muragat.ner import lemma as ner_lemma
from muragat.ner.features import FLAGS, select, sentence_features
from muragat.ner.rules import apply_rules, is_historical
from muragat.ner.score import chunks, score
from muragat.ner.spans import entities, from_bioes, repair, to_bioes, vote

LABELS = ["O", "B-PERSON", "I-PERSON", "B-GPE", "I-GPE", "I-ORGANISATION"]


# -- conlleval scoring -------------------------------------------------------------------
def test_chunks_follow_conlleval() -> None:
    labs = ["B-PERSON", "I-PERSON", "O", "I-GPE", "I-GPE", "B-GPE", "I-PERSON"]
    assert chunks(labs) == {("PERSON", 0, 2), ("GPE", 3, 5), ("GPE", 5, 6), ("PERSON", 6, 7)}


def test_score_exact_match_only() -> None:
    gold = [["B-PERSON", "I-PERSON", "O", "B-GPE"]]
    pred = [["B-PERSON", "O", "O", "B-GPE"]]  # PERSON boundary wrong -> no credit
    sc = score(gold, pred)
    p, r, f = sc.micro()
    assert (p, r) == (50.0, 50.0) and f == pytest.approx(50.0)
    assert sc.per_class()["GPE"][2] == 100.0
    assert sc.per_class()["PERSON"][2] == 0.0


def test_score_rejects_length_mismatch() -> None:
    with pytest.raises(ValueError):
        score([["O"]], [["O", "O"]])


def test_perfect_prediction_scores_100() -> None:
    gold = [["B-DATE", "I-DATE", "O"], ["B-LAW"]]
    assert score(gold, gold).micro() == (100.0, 100.0, 100.0)


# -- IOB2 repair -------------------------------------------------------------------------
def test_repair_turns_orphan_i_into_b() -> None:
    assert repair(["O", "I-GPE", "I-GPE", "I-PERSON"]) == ["O", "B-GPE", "I-GPE", "B-PERSON"]


@given(st.lists(st.sampled_from(LABELS), max_size=30))
def test_repair_is_consistent_and_keeps_entities(labels: list[str]) -> None:
    fixed = repair(labels)
    assert len(fixed) == len(labels)
    for i, lab in enumerate(fixed):
        if lab.startswith("I-"):
            assert i > 0 and fixed[i - 1][2:] == lab[2:]
    # repair never changes what conlleval counts as entities
    assert chunks(fixed) == chunks(labels)
    assert repair(fixed) == fixed
    assert {(c, a, b) for c, a, b in entities(labels)} == chunks(labels)


# -- ensemble vote -----------------------------------------------------------------------
def test_vote_keeps_majority_entities() -> None:
    a = ["B-PERSON", "I-PERSON", "O", "B-GPE"]
    b = ["B-PERSON", "I-PERSON", "O", "B-ORGANISATION"]
    c = ["B-PERSON", "O", "O", "B-GPE"]
    assert vote([a, b, c]) == ["B-PERSON", "I-PERSON", "O", "B-GPE"]
    assert vote([["O", "I-GPE"]]) == ["O", "B-GPE"]  # one tagger: repaired, unchanged


@given(st.lists(st.lists(st.sampled_from(LABELS), min_size=6, max_size=6), min_size=3, max_size=3))
def test_vote_is_consistent_and_only_keeps_shared_entities(seqs: list[list[str]]) -> None:
    out = vote(seqs)
    assert repair(out) == out
    for ent in chunks(out):
        assert sum(ent in chunks(s) for s in seqs) >= 2


@given(st.lists(st.sampled_from(LABELS), min_size=5, max_size=5),
       st.lists(st.sampled_from(LABELS), min_size=5, max_size=5))
def test_an_agreeing_majority_decides_the_vote(a: list[str], c: list[str]) -> None:
    # the shipped tagger stops once a majority of members agree (NER.__call__)
    assert vote([a, a, c]) == repair(a)
    assert vote([a, c, a]) == repair(a) == vote([c, a, a])
    assert vote([a, a, a, c, c]) == repair(a) == vote([a, a])


# -- BIOES (the encoding the ensemble members are trained on) ---------------------------
def test_bioes_marks_ends_and_single_tokens() -> None:
    iob = ["B-PERSON", "I-PERSON", "O", "B-GPE", "B-GPE", "I-GPE", "I-GPE"]
    assert to_bioes(iob) == ["B-PERSON", "E-PERSON", "O", "S-GPE", "B-GPE", "I-GPE", "E-GPE"]
    assert from_bioes(["O", "E-GPE", "S-DATE", "I-DATE"]) == ["O", "B-GPE", "B-DATE", "I-DATE"]


@given(st.lists(st.sampled_from(LABELS), max_size=30))
def test_bioes_round_trip_keeps_entities(labels: list[str]) -> None:
    bioes = to_bioes(labels)
    assert all(lab == "O" or lab[:2] in ("B-", "I-", "E-", "S-") for lab in bioes)
    assert from_bioes(bioes) == repair(labels)


# -- features ----------------------------------------------------------------------------
def test_feature_groups_can_be_left_out() -> None:
    words = "« Білім туралы » заңы 14-інші — 15-інші ғасырларда қабылданды .".split()
    feats = sentence_features(words)
    inside = feats[1]
    assert "qa=заңы" in inside  # a quoted name sees the word after the closing quote
    assert "rdash" in feats[6]
    bare = select(inside, frozenset())
    assert not any(f.startswith(("qa=", "r>st=", "-3w=")) for f in bare)
    assert select(inside, frozenset(FLAGS)) == inside


# -- domain rules ------------------------------------------------------------------------
def test_initials_make_a_person() -> None:
    words = ["Ғ.", "Тоғжанов", "мақала", "жазды", "."]
    assert apply_rules(words, ["O"] * 5)[:2] == ["B-PERSON", "I-PERSON"]
    split = ["И", ".", "В", ".", "Сталиннің", "тапсырмасы"]
    labels = apply_rules(split, ["O", "O", "O", "O", "B-PERSON", "O"])
    assert labels == ["B-PERSON"] + ["I-PERSON"] * 4 + ["O"]


def test_body_abbreviation_even_when_split() -> None:
    assert apply_rules(["БК(б)П", "шешімі"], ["O", "O"]) == ["B-ORGANISATION", "O"]
    split = ["БК", "(", "б", ")", "П", "шешімі"]
    assert apply_rules(split, ["O"] * 6) == ["B-ORGANISATION"] + ["I-ORGANISATION"] * 4 + ["O"]


def test_place_takes_its_unit() -> None:
    # historical prose writes `Ойыл ауданы` as one place; KazNERD's news leaves `ауданы` out
    words, labels = ["Ойыл", "ауданындағы", "қызметкерлер"], ["B-GPE", "O", "O"]
    assert apply_rules(words, labels, historical=True) == ["B-GPE", "I-GPE", "O"]
    assert apply_rules(words, labels, historical=False) == labels
    assert apply_rules(["Торғай", "уезінде"], ["B-GPE", "O"]) == ["B-GPE", "I-GPE"]


def test_genre_markers() -> None:
    assert is_historical("Торғай уезінде тексеру жүрді".split())
    assert is_historical("өлкелік атқару комитеті".split())
    assert not is_historical("Алматы облысында жаңа мектеп ашылды".split())
    assert not is_historical("ауыл округінде жол салынды".split())


def test_soviet_bodies_in_historical_prose() -> None:
    words = "Заң халық комиссариаты нұсқау жіберді .".split()
    assert apply_rules(words, ["O"] * 6, historical=True)[:4] == [
        "B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "O"]
    words = "Алайда БК(б)П ОК-нің және өлкелік комитеттің пленумы".split()
    model = ["B-ORGANISATION"] + ["I-ORGANISATION"] * 5 + ["O"]
    assert apply_rules(words, model, historical=True) == [
        "O", "B-ORGANISATION", "I-ORGANISATION", "O", "B-ORGANISATION", "I-ORGANISATION", "O"]
    # plural heads are generic bodies, a district-level body without a name is not a name
    words = "аудандық атқару комитеттерінің жұмысы".split()
    assert apply_rules(words, ["O"] * 4, historical=True) == ["O"] * 4
    # the head inside a position stays there
    words = "Өлкелік комитеттің хатшысы сөйледі".split()
    pos = ["B-POSITION", "I-POSITION", "I-POSITION", "O"]
    assert apply_rules(words, pos, historical=True) == pos


def test_newspapers_in_quotes_are_organisations() -> None:
    words = "« Еңбекші қазақ » пен « Советская степь » газеттеріне жариялау".split()
    out = apply_rules(words, ["O", "B-NORP"] + ["O"] * 9)
    assert out == ["O", "B-ORGANISATION", "I-ORGANISATION", "O", "O", "O", "B-ORGANISATION",
                   "I-ORGANISATION", "O", "O", "O"]
    words = "« Еңбекші қазақта » шыққан мақала".split()
    assert apply_rules(words, ["O"] * 6)[1:3] == ["B-ORGANISATION", "I-ORGANISATION"]


def test_money_and_surname_lists() -> None:
    words = "250 мың сом алым".split()
    assert apply_rules(words, ["B-CARDINAL", "I-CARDINAL", "O", "O"]) == [
        "B-MONEY", "I-MONEY", "I-MONEY", "O"]
    words = "Қонышбаев , Бұлғұжанов , Жосжанов және Тілеубетов айыпталды".split()
    model = ["B-PERSON", "O", "B-GPE", "O", "B-GPE", "O", "B-PERSON", "O"]
    assert apply_rules(words, model, historical=True) == [
        "B-PERSON", "O", "B-PERSON", "O", "B-PERSON", "O", "B-PERSON", "O"]
    # not in news text: there the model decides
    assert apply_rules(words, model, historical=False) == model


# -- base forms --------------------------------------------------------------------------
@pytest.fixture
def fake_morph(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for muragat.morph with the agreed API (lemma(word) -> str)."""
    table = {"Тоғжановтың": "Тоғжанов", "ауданындағы": "аудан", "комитетінің": "комитет",
             "Алматыда": "Алматы", "ауданы": "аудан", "Қызылорда": "Қызылор",
             "БК(б)П-ның": "БК(б)П-"}
    import muragat.morph as real

    fake = types.ModuleType("muragat.morph")
    fake.lemma = lambda w: table.get(w, w)  # type: ignore[attr-defined]
    # the package's data and submodules stay reachable (the case endings come from its tactics)
    fake.__spec__, fake.__path__ = real.__spec__, real.__path__  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "muragat.morph", fake)


@pytest.mark.usefixtures("fake_morph")
def test_base_forms() -> None:
    assert ner_lemma.base_form(["Тоғжановтың"]) == "Тоғжанов"
    assert ner_lemma.base_form(["Ойыл", "ауданындағы"]) == "ауданы"
    assert ner_lemma.base_form(["Қазақ", "өлкелік", "комитетінің"]) == "комитеті"
    assert ner_lemma.base_form(["Алматыда"]) == "Алматы"
    assert ner_lemma.base_form(["Қызылорда"]) == "Қызылорда"  # -да is part of the name
    assert ner_lemma.base_form(["БК(б)П-ның"]) == "БК(б)П"
    # after a genitive the possessive is grammar, not part of the name
    assert ner_lemma.base_form(["Ойылдың", "ауданы"]) == "аудан"


def test_possessive_harmony() -> None:
    assert ner_lemma.possessive3("аудан") == "ауданы"
    assert ner_lemma.possessive3("комитет") == "комитеті"
    assert ner_lemma.possessive3("қала") == "қаласы"
    assert ner_lemma.possessive3("өлке") == "өлкесі"
