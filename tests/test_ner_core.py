"""NER pieces that need no model: scoring, IOB2 repair, rules, base forms."""

from __future__ import annotations

import sys
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muragat.ner import lemma as ner_lemma
from muragat.ner.rules import apply_rules
from muragat.ner.score import chunks, score
from muragat.ner.spans import entities, repair

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
    assert apply_rules(["Ойыл", "ауданындағы", "қызметкерлер"], ["B-GPE", "O", "O"]) == [
        "B-GPE", "I-GPE", "O"]


# -- base forms --------------------------------------------------------------------------
@pytest.fixture
def fake_morph(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for muragat.morph with the agreed API (lemma(word) -> str)."""
    table = {"Тоғжановтың": "Тоғжанов", "ауданындағы": "аудан", "комитетінің": "комитет",
             "Алматыда": "Алматы", "ауданы": "аудан"}
    fake = types.ModuleType("muragat.morph")
    fake.lemma = lambda w: table.get(w, w)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "muragat.morph", fake)


@pytest.mark.usefixtures("fake_morph")
def test_base_forms() -> None:
    assert ner_lemma.base_form(["Тоғжановтың"]) == "Тоғжанов"
    assert ner_lemma.base_form(["Ойыл", "ауданындағы"]) == "ауданы"
    assert ner_lemma.base_form(["Қазақ", "өлкелік", "комитетінің"]) == "комитеті"
    assert ner_lemma.base_form(["Алматыда"]) == "Алматы"
    # after a genitive the possessive is grammar, not part of the name
    assert ner_lemma.base_form(["Ойылдың", "ауданы"]) == "аудан"


def test_possessive_harmony() -> None:
    assert ner_lemma.possessive3("аудан") == "ауданы"
    assert ner_lemma.possessive3("комитет") == "комитеті"
    assert ner_lemma.possessive3("қала") == "қаласы"
    assert ner_lemma.possessive3("өлке") == "өлкесі"
