"""Query parsing and compiling: every term quoted, syntax errors explained."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muragat.errors import InputError
from muragat.search.query import fts5_documents, fts5_match, fts_string, parse, tsqueries


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
        ("Тоғжанов",), ("жазған",), ("Тоғжанов", "жазған")]  # the last: a phrase boost
    assert len(parse('"кім болған"').clauses) == 1
    assert [c.words for c in parse("кім").clauses] == [("кім",)]  # nothing else left: keep it


@pytest.mark.parametrize("bad", ["", "   ", "!!! ???", "«»", '""', "= ="])
def test_queries_without_words_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError):
        parse(bad)


@pytest.mark.parametrize(("text", "expected"), [
    ('"Ойыл ауданы', [("Ойыл",), ("ауданы",), ("Ойыл", "ауданы")]),  # unclosed: plain words
    ("«Наурызым ісі", [("Наурызым",), ("ісі",), ("Наурызым", "ісі")]),
    ("“Құтты білік“ поэмасы", [("Құтты", "білік"), ("поэмасы",)]),  # closed by its opener
    ("„Еңбекші қазақ“ газеті", [("Еңбекші", "қазақ"), ("газеті",)]),
    ("‘Алаш’ партиясы", [("Алаш",), ("партиясы",)]),
    ("Ойыл» ауданы”", [("Ойыл",), ("ауданы",), ("Ойыл", "ауданы")]),  # stray closers
    # lower-case `near(`/`and` are words (upper-case operators: tests/test_search_operators.py)
    ("near(Ойыл ауданы) and ^Тоғжанов*", [("near",), ("Ойыл",), ("ауданы",), ("and",),
                                          ("Тоғжанов",)]),
    ("lemma:Ойыл {form}", [("lemma",), ("Ойыл",), ("form",), ("lemma", "Ойыл", "form")]),
])
def test_invalid_syntax_is_read_as_plain_words(text: str, expected: list[tuple[str, ...]]) -> None:
    assert [c.words for c in parse(text).clauses] == expected


def test_question_frame_words_and_lemmas_are_not_counted() -> None:
    words = [c.words for c in parse("Итшабақ дегеніміз не?").clauses]
    assert words == [("Итшабақ",)]
    words = [c.words for c in parse("Қандай өсімдік бұршақ тұқымдасы болып табылады?").clauses]
    assert ("болып",) not in words and ("табылады",) not in words and ("Қандай",) not in words


def test_a_lone_word_falls_back_to_its_stem() -> None:
    (clause,) = parse("=ыдырағанда").clauses
    assert clause.surface(0) == ("ыдырағанда", False)
    clause = parse("ыдырағанда").clauses[0]
    assert clause.surface(0) == ("ыдырағанда", True)  # sentences: the whole form
    assert clause.surface(0, stem=True) == ("ыдыра", True)  # documents: ыдырайды, ыдырау
    phrase = parse('"Ойыл ауданындағы"').clauses[0]
    assert phrase.surface(1) == ("ауданындағы", True)  # a phrase keeps whole forms


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
_FTS.execute("CREATE VIRTUAL TABLE d USING fts5(title, names, lemma, form, content='')")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('аәбғқ Ойыл"«»“”„‘’~=*:^(){}-+\'\\;ANDORNOT_%.,?!1'),
               max_size=40))
def test_any_input_is_an_input_error_or_a_valid_fts5_query(text: str) -> None:
    try:
        query = parse(text)
    except InputError:
        return
    _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_match(query),)).fetchone()
    _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_match(query, False),)).fetchone()
    _FTS.execute("SELECT count(*) FROM d WHERE d MATCH ?", (fts5_documents(query),)).fetchone()


def test_phrases_are_highlighted_only_where_their_words_stand_together() -> None:
    from muragat.search.highlight import matched_words

    sentence = "Наурызда Торғай уезіндегі «Наурызым ісінің» шығуы, басқа ісі жоқ."
    lexicon = {"наурызда": ["наурыз"], "наурызым": ["наурыз"], "ісінің": ["іс"], "ісі": ["іс"]}
    marks = matched_words(sentence, parse('"Наурызым ісі"'), lexicon)
    assert [sentence[a:b] for a, b in marks] == ["Наурызым", "ісінің"]
    marks = matched_words(sentence, parse("=ісі"), lexicon)
    assert [sentence[a:b] for a, b in marks] == ["ісі"]


def test_a_query_with_a_lone_surrogate_is_parsed_or_refused_cleanly() -> None:
    try:
        q = parse("Тоғжанов-\ud800")
    except InputError:
        return
    assert q.clauses and fts5_match(q)
