"""Query parsing and compiling: every term quoted, syntax errors explained."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muragat.errors import InputError
from muragat.search.query import fts5_match, fts_string, parse, tsqueries


def test_words_phrases_and_exact_forms() -> None:
    q = parse('Тоғжанов "Ойыл ауданы" =Тоғжановтың «Еңбекші қазақ»')
    kinds = [(c.words, c.exact, c.phrase) for c in q.clauses]
    assert kinds == [
        (("Тоғжанов",), False, False),
        (("Ойыл", "ауданы"), False, True),
        (("Тоғжановтың",), True, True),
        (("Еңбекші", "қазақ"), False, True),
    ]
    assert q.exact_forms() == {"тоғжановтың"}


def test_exact_phrase() -> None:
    (clause,) = parse('="Ойыл ауданындағы"').clauses
    assert clause.exact and clause.forms == ("ойыл", "ауданындағы")


def test_question_words_are_dropped_but_not_from_phrases() -> None:
    assert [c.words for c in parse("Тоғжанов кім жазған?").clauses] == [
        ("Тоғжанов",), ("жазған?",), ("Тоғжанов", "жазған?")]  # the last: a phrase boost
    assert len(parse('"кім болған"').clauses) == 1
    assert [c.words for c in parse("кім").clauses] == [("кім",)]  # nothing else left: keep it


@pytest.mark.parametrize("bad", ['"Ойыл ауданы', "«Наурызым ісі", "", "   ", "!!! ???"])
def test_syntax_errors_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError):
        parse(bad)


def test_fts_strings_double_their_quotes() -> None:
    assert fts_string('a"b') == '"a""b"'
    expr = fts5_match(parse('=Тоғжановтың "Ойыл ауданы"'))
    assert expr.startswith('(form : "тоғжановтың")')
    assert '"ойыл"* + "ауданы"*' in expr


def test_tsquery_lexemes_are_quoted() -> None:
    lemma, form = tsqueries(parse('"Ойыл ауданы"'))
    assert lemma is not None and "'ойыл' <-> 'ауданы'" in lemma
    assert form == "('ойыл':* <-> 'ауданы':*)"


_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(lemma, form, content='')")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('аәбғқ Ойыл"«»=*:^(){}-+\'\\;ANDORNOT_%.,?!1'),
               max_size=40))
def test_any_input_is_an_input_error_or_a_valid_fts5_query(text: str) -> None:
    try:
        query = parse(text)
    except InputError:
        return
    _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_match(query),)).fetchone()
    _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_match(query, False),)).fetchone()


def test_phrases_are_highlighted_only_where_their_words_stand_together() -> None:
    from muragat.search.highlight import matched_words

    sentence = "Наурызда Торғай уезіндегі «Наурызым ісінің» шығуы, басқа ісі жоқ."
    lexicon = {"наурызда": ["наурыз"], "наурызым": ["наурыз"], "ісінің": ["іс"], "ісі": ["іс"]}
    marks = matched_words(sentence, parse('"Наурызым ісі"'), lexicon)
    assert [sentence[a:b] for a, b in marks] == ["Наурызым", "ісінің"]
    marks = matched_words(sentence, parse("=ісі"), lexicon)
    assert [sentence[a:b] for a, b in marks] == ["ісі"]
