"""Search operators: `-word`, NOT, AND, OR, `+word`, NEAR, grouping, read on both backends,
every operand keeping its lemma expansion, and the reading said back to the user."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import BACKENDS, add, hand_doc

from muragat.errors import InputError
from muragat.search import search, search_documents
from muragat.search.highlight import matched_words
from muragat.search.operators import MALFORMED, NEGATIVE
from muragat.search.query import Group, Near, fts5_documents, fts5_match, parse, ts_condition
from muragat.store import Store, open_store

pytest_plugins = ["store_fixtures"]  # the store / store_url fixtures

# Team-written sentences in the style of the sample (one sentence a line).
PARTY = (
    "Ойыл ауданына комиссия жіберілді.\n"
    "Комиссия партия ұйымының жұмысын тексерді.\n"
    "Тоғжановтың кітабын комиссиялар қарады.\n"
    "Ғ. Тоғжанов партия жиналысында сөйледі.\n"
    "Қаратал ауданында егін жақсы шықты."
)
NEAR_TEXT = (
    "Комиссия мүшелері ауыл-ауылды аралап, ел жағдайын көріп, Ойыл ауданы туралы есеп жазды.\n"
    "Ойыл ауданы мен комиссия жұмысы газетте жазылды."
)
OTHER = "Дулатов Торғайда мектеп ашты.\nМектеп балаларға арналды."


def _texts(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(h.text for h in result.hits)


def _docs(store: Store) -> tuple[int, int, int]:
    return (add(store, hand_doc(PARTY, [("Тоғжановтың", "PERSON", "Тоғжанов")]), "party.txt"),
            add(store, hand_doc(NEAR_TEXT), "near.txt"),
            add(store, hand_doc(OTHER, [("Дулатов", "PERSON", "Дулатов")]), "other.txt"))


# -- reading the text ------------------------------------------------------------------
def test_operators_build_a_tree_and_keep_the_expansion() -> None:
    q = parse("комиссия -партия")
    assert q.tree == Group(should=q.clauses, exclude=q.excluded)
    assert [c.words for c in q.clauses] == [("комиссия",)]
    assert [c.words for c in q.excluded] == [("партия",)]
    required = parse("Тоғжанов AND комиссия")
    assert required.tree is not None and len(required.tree.must) == 2
    name = required.clauses[0]
    assert "тоғжанұлы" in {v[0] for v in name.variants}  # a surname's other form
    assert name.surface(0) == ("тоғжанов", True)  # and its surface prefix: Тоғжановтың


@pytest.mark.parametrize(("text", "must", "should", "exclude"), [
    ("+Тоғжанов газет", 1, 1, 0),
    ("a AND b c", 2, 1, 0),
    ("a OR b OR c", 0, 3, 0),
    ("a NOT b", 0, 1, 1),
    ('a -"Ойыл ауданы"', 0, 1, 1),
    ("a AND NOT b", 1, 0, 1),
    ("(Ойыл OR Қаратал) AND комиссия", 2, 0, 0),
])
def test_tree_shapes(text: str, must: int, should: int, exclude: int) -> None:
    tree = parse(text).tree
    assert tree is not None
    assert (len(tree.must), len(tree.should), len(tree.exclude)) == (must, should, exclude)


@pytest.mark.parametrize(("text", "distance"), [
    ("NEAR(Ойыл комиссия)", 10), ("Ойыл NEAR комиссия", 10), ("Ойыл NEAR/3 комиссия", 3),
    ("NEAR/2(Ойыл комиссия)", 2), ('NEAR("Ойыл ауданы" комиссия, 5)', 5),
    ("Ойыл NEAR/999 комиссия", 50),
])
def test_near_forms(text: str, distance: int) -> None:
    tree = parse(text).tree
    assert tree is not None
    (near,) = tree.should
    assert isinstance(near, Near) and near.distance == distance and len(near.parts) == 2


@pytest.mark.parametrize("text", ["комиссия and партия", "комиссия not партия",
                                  "комиссия және партия", "партия емес", "near(Ойыл комиссия)",
                                  "Ойыл ауданы", "Қандай комиссия жіберілді?", "БК(б)П тарихы",
                                  "қарым-қатынас", "(Ойыл) ауданы"])
def test_without_upper_case_operators_the_plain_reading_is_unchanged(text: str) -> None:
    q = parse(text)
    assert q.tree is None and q.fallback is None and q.excluded == ()


@pytest.mark.parametrize(("text", "why", "words"), [
    ("-партия", NEGATIVE, [("-партия",)]),
    ("NOT партия", NEGATIVE, [("NOT",), ("партия",), ("NOT", "партия")]),
    ("AND", MALFORMED, [("AND",)]),
    ("NEAR(", MALFORMED, [("NEAR",)]),
    ("комиссия AND", MALFORMED, [("комиссия",), ("AND",), ("комиссия", "AND")]),
    ("NEAR(Ойыл", MALFORMED, [("NEAR",), ("Ойыл",), ("NEAR", "Ойыл")]),
    ("(комиссия OR партия", MALFORMED, None),
    ("комиссия OR -партия", MALFORMED, None),
])
def test_unreadable_operators_fall_back_to_plain_words(text: str, why: str,
                                                      words: list[tuple[str, ...]] | None) -> None:
    q = parse(text)
    assert q.tree is None and q.fallback == why
    if words is not None:
        assert [c.words for c in q.clauses] == words
    assert ("plain words" if why else "") in q.describe("en")


def test_describe_says_how_the_query_was_read_in_both_languages() -> None:
    q = parse("комиссия -партия")
    assert q.describe("kk") == ("«комиссия» (кез келген тұлғасы) ЖӘНЕ ЕМЕС «партия» "
                                "(кез келген тұлғасы)")
    assert q.describe("en") == "«комиссия» (any form) AND NOT «партия» (any form)"
    assert parse("Ойыл NEAR/3 =комиссиясы").describe("en") == (
        "«Ойыл» (any form) … «комиссиясы» (this exact form) (within 3 words)")
    assert parse('"Ойыл ауданы" OR Қаратал').describe("kk") == (
        "«Ойыл ауданы» (тіркес, кез келген тұлғасы) НЕМЕСЕ «Қаратал» (кез келген тұлғасы)")
    assert parse("+Тоғжанов газет").describe("en") == (
        "«Тоғжанов» (any form); ranked higher with: «газет» (any form)")
    assert "together ranked first" in parse("Тоғжанов газет").describe("en")


def test_excluded_words_are_never_highlighted() -> None:
    sentence = "Комиссия партия ұйымының жұмысын тексерді."
    marks = matched_words(sentence, parse("комиссия OR жұмыс -партия"), {})
    assert [sentence[a:b] for a, b in marks] == ["Комиссия", "жұмысын"]


# -- every text parses; every compiled expression is valid FTS5 --------------------------
_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(lemma, form, content='')")
_FTS.execute("CREATE VIRTUAL TABLE d USING fts5(title, names, lemma, form, content='')")
_PIECES = st.sampled_from([
    "комиссия", "партия", "Ойыл", "ауданы", " ", " ", " AND ", " OR ", " NOT ", "NOT ", "-", "+",
    "NEAR", "NEAR/3", "NEAR(", "NEAR/2(", "(", ")", ",", ", 5)", '"', "«", "»", "=", "~", "*",
    "^", ":", "'", "\\", "{", "}", "БК(б)П", "1929", "and", "емес", "ә", ";", "_", "%"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_parse_never_fails_and_compiles_to_valid_fts5(text: str) -> None:
    try:
        q = parse(text)
    except InputError:
        assert not any(ch.isalnum() for ch in text)  # only a text without words is refused
        return
    q.describe("kk")
    q.describe("en")
    for expr in (fts5_match(q), fts5_match(q, prefix=False)):
        _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expr,)).fetchone()
    _FTS.execute("SELECT count(*) FROM d WHERE d MATCH ?", (fts5_documents(q),)).fetchone()
    cond = ts_condition(q)
    if cond is not None:  # as many parameters as marks: no user text in the SQL itself
        assert cond[0].count("%s") == len(cond[1])
        assert not set(cond[0]) & set("'\"\\;")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_unicode_text_parses_or_is_an_input_error(text: str) -> None:
    try:
        q = parse(text)
    except InputError:
        return
    _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_match(q),)).fetchone()
    _FTS.execute("SELECT count(*) FROM d WHERE d MATCH ?", (fts5_documents(q),)).fetchone()


# -- on a store, both backends -----------------------------------------------------------
@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_exclusion(store: Store) -> None:
    _docs(store)
    assert _texts(search(store, "комиссия -партия")) == [
        "Комиссия мүшелері ауыл-ауылды аралап, ел жағдайын көріп, Ойыл ауданы туралы есеп жазды.",
        "Ойыл ауданы мен комиссия жұмысы газетте жазылды.",
        "Ойыл ауданына комиссия жіберілді.",
        "Тоғжановтың кітабын комиссиялар қарады."]
    assert search(store, "комиссия NOT партия").total == 4
    assert search(store, "комиссия").total == 5
    assert search(store, 'комиссия -"Ойыл ауданы"').total == 2  # a phrase in any inflection
    # documents: one sentence saying `партия` excludes its whole document
    docs = search_documents(store, "комиссия -партия")
    assert [d.source for d in docs.documents] == ["near.txt"]


@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_and_or_and_required(store: Store) -> None:
    _docs(store)
    assert _texts(search(store, "Тоғжанов AND партия")) == [
        "Ғ. Тоғжанов партия жиналысында сөйледі."]
    # a required surname still finds its inflected form
    assert _texts(search(store, "Тоғжанов AND комиссия")) == [
        "Тоғжановтың кітабын комиссиялар қарады."]
    assert search(store, "Дулатов OR Қаратал").total == 2
    assert search(store, "Дулатов Қаратал").total == 2  # the default: a ranked OR too
    required = search(store, "+мектеп Дулатов")
    assert required.total == 2  # both school sentences; Дулатов's ranks first
    assert required.hits[0].text.startswith("Дулатов")
    grouped = search(store, "(Ойыл OR Қаратал) AND ауданы")
    assert grouped.total == 4
    docs = search_documents(store, "Ойыл AND партия")  # in one document, not one sentence
    assert [d.source for d in docs.documents] == ["party.txt"]
    assert docs.documents[0].best is not None


@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_near(store: Store) -> None:
    _docs(store)
    assert search(store, "NEAR(комиссия Ойыл)").total == 3  # within 10 words
    assert _texts(search(store, "комиссия NEAR/2 Ойыл")) == [
        "Ойыл ауданы мен комиссия жұмысы газетте жазылды.",
        "Ойыл ауданына комиссия жіберілді."]
    assert search(store, 'NEAR("Ойыл ауданы" комиссия, 1)').total == 2  # any order
    assert _texts(search(store, "NEAR/0(аудан комиссия)")) == [  # side by side
        "Ойыл ауданына комиссия жіберілді."]


@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_unreadable_operators_search_the_plain_words(store: Store) -> None:
    _docs(store)
    only_negative = search(store, "-партия")
    assert only_negative.total == 2 and "тек" in only_negative.reading.lower()
    assert search(store, "комиссия AND").total == 5
    assert search(store, "NEAR(Ойыл").total >= 1


def test_cli_search_json_says_the_reading(tmp_path: Path) -> None:
    db = tmp_path / "ops.db"
    with open_store(str(db)) as store:
        _docs(store)
    exe = Path(sys.executable).with_name("muragat")
    env = {**os.environ, "MURAGAT_LANG": "kk"}
    out = subprocess.run([str(exe), "search", "--db", str(db), "--json", "комиссия -партия"],
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["reading"] == ("«комиссия» (кез келген тұлғасы) ЖӘНЕ ЕМЕС «партия» "
                               "(кез келген тұлғасы)")
    assert body["total"] == 4 and all("партия" not in h["text"] for h in body["hits"])
    out = subprocess.run([str(exe), "search", "--db", str(db), "--json", "--documents",
                          "комиссия -партия"], capture_output=True, text=True, env=env,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert [d["source"] for d in json.loads(out.stdout)["documents"]] == ["near.txt"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, min_size=1, max_size=10).map("".join))
def test_any_operator_text_searches_a_store(tmp_path_factory: pytest.TempPathFactory,
                                            text: str) -> None:
    store = _shared_store(tmp_path_factory)
    try:
        result = search(store, text, limit=3)
        docs = search_documents(store, text, limit=3)
    except InputError as exc:
        assert str(exc)
        return
    assert result.total >= len(result.hits) and result.reading
    assert docs.total >= len(docs.documents)


_SHARED: dict[str, Store] = {}


def _shared_store(factory: pytest.TempPathFactory) -> Store:
    if "s" not in _SHARED:
        store = open_store(str(factory.mktemp("ops") / "shared.db"))
        _docs(store)
        _SHARED["s"] = store
    return _SHARED["s"]


def test_web_says_the_reading_and_the_document_view_highlights_the_query(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    import warnings

    with warnings.catch_warnings():  # starlette's notice about httpx
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from muragat.web import create_app

    db = tmp_path / "web.db"
    with open_store(str(db)) as store:
        party, _, _ = _docs(store)
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as client:
        body = client.get("/api/v1/search", params={"q": "комиссия -партия"}).json()
        assert body["total"] == 4 and body["reading"].startswith("«комиссия» (")
        assert all("партия" not in h["text"] for h in body["hits"])
        page = client.get("/", params={"q": "комиссия -партия", "lang": "en"}).text
        assert "Query read as: «комиссия» (any form) AND NOT «партия» (any form)" in page
        assert f"/documents/{party}?q=" in page  # a hit links to its highlighted document
        doc = client.get(f"/documents/{party}", params={"q": "комиссия -партия"}).text
        assert "<mark>комиссия</mark>" in doc
        assert re.search(r'<mark>(<span class="anchor" id="s-1"></span>)?Комиссия</mark>', doc)
        assert "<mark>комиссиялар</mark>" in doc  # any form
        assert "<mark>партия" not in doc  # an excluded word is never marked
        plain = client.get(f"/documents/{party}").text
        assert "<mark>" not in plain


_TRICKY = ["NEAR(=Ойыл комиссия)", "NEAR/0(\"Ойыл ауданы\" =комиссия, 3)", "(a -b) OR c",
           "+кім -не", "NOT (Ойыл OR Қаратал) комиссия", "((комиссия))", "-(партия) комиссия",
           "комиссия AND (партия OR -Ойыл)", "~Тоғжаиов AND кітап", "Ойыл NEAR ауданы NEAR/2 мен",
           "'; DROP TABLE documents; -- AND x", "a AND NOT b AND NOT c", "NEAR(a' b\\\\)"]


@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_tricky_operator_queries_run_on_both_backends(store: Store) -> None:
    _docs(store)
    for text in _TRICKY:
        for prefix in (True, False):
            result = search(store, text, prefix=prefix)
            assert result.total >= len(result.hits) and result.reading, text
        search_documents(store, text)
        search(store, text, types=["PERSON"])  # the filtered path too
    assert store.counts()["documents"] == 3
    assert search(store, "~Тоғжаиов AND кітап").total == 1  # a fuzzy operand is still fuzzy


@pytest.mark.parametrize("text", ["(" * 400 + "a OR b" + ")" * 400, "(" * 17 + "a AND b" + ")" * 17,
                                  "NEAR(" + "Ойыл " * 5 + ")", "a " + "AND b " * 300 + "AND"])
def test_deep_or_huge_operator_texts_fall_back_instead_of_overflowing(text: str) -> None:
    q = parse(text)
    assert q.tree is None and q.fallback == MALFORMED
    _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_match(q),)).fetchone()
    assert parse("(" * 16 + "a AND b" + ")" * 16).tree is not None
