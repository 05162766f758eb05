"""Document ranking (BM25F over title, names, lemmas, forms), `--documents`, the document
index migration, and the property that no query string makes a search raise."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import BACKENDS, PG_ENV, add, hand_doc, pg_schema, pg_url_with_schema

from muragat.cli.app import cli
from muragat.errors import InputError
from muragat.search import parse, search, search_documents, trec_lines
from muragat.store import Store, open_store
from muragat.store.base import Filters

# Written for these tests, in the style of the sample article.
LIPID = ("Майлар организм тіршілігіндегі негізгі энергия көзі.\n"
         "Майдың бір грамы толық ыдырағанда 39 кДж энергия бөлінеді.")
PROTEIN = ("Нәруыз жасушаның құрылыс материалы.\n"
           "Нәруыз ыдырайды, бірақ энергия аз береді.")
POEM = ("Жүсіп Баласағұни 1069 жылы «Құтты білік» дастанын жазды.\n"
        "Дастан түркі тілінде жазылған.")
POET = "Мағжан Жұмабаев 1912 жылы Қазанда «Шолпан» жинағын шығарды."


def _store(path: Path | str) -> Store:
    store = open_store(str(path))
    add(store, hand_doc(LIPID, meta={"title": "Липидтер"}), "lipid.txt")
    add(store, hand_doc(PROTEIN, meta={"title": "Ақуыз"}), "protein.txt")
    add(store, hand_doc(POEM, [("Жүсіп Баласағұни", "PERSON", "Жүсіп Баласағұни")],
                        [("1069 жылы", "1069")], meta={"title": "Құтадғу білік"}), "poem.txt")
    add(store, hand_doc(POET, [("Мағжан Жұмабаев", "PERSON", "Мағжан Жұмабаев")],
                        [("1912 жылы", "1912")]), "poet.txt")
    return store


@pytest.fixture(scope="module", params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[Store]:
    """The four documents in SQLite (FTS5 BM25F) and in PostgreSQL (its own BM25 tables)."""
    if request.param == "sqlite":
        s = _store(tmp_path_factory.mktemp("rank") / "muragat.db")
        yield s
        s.close()
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set (run scripts/ci/start_postgres.sh)")
    with pg_schema(base, "rank_") as url:
        s = _store(url)
        yield s
        s.close()


def _sources(store: Store, query: str) -> list[str | None]:
    return [d.source for d in search_documents(store, query).documents]


def test_documents_are_ranked_with_their_best_sentence(store: Store) -> None:
    result = search_documents(store, "1 грамм май ыдырағанда қанша энергия бөлінеді?")
    assert [d.source for d in result.documents][:2] == ["lipid.txt", "protein.txt"]
    best = result.documents[0].best
    assert best is not None and best.text.startswith("Майдың бір грамы толық ыдырағанда")
    assert result.documents[0].title == "Липидтер"
    as_dict = result.to_dict()
    assert as_dict["documents"][0]["best"]["text"] == best.text
    assert trec_lines("q1", result)[0].startswith("q1 Q0 1 1 ")


def test_a_title_word_counts_where_the_text_never_says_it(store: Store) -> None:
    assert _sources(store, "Липидтер туралы не белгілі?")[0] == "lipid.txt"
    assert _sources(store, "Құтадғу қашан жазылды?")[0] == "poem.txt"


def test_names_and_years_of_the_question_rank_their_document_first(store: Store) -> None:
    assert _sources(store, "1912 жылы қандай жинақ шықты?")[0] == "poet.txt"
    assert _sources(store, "Баласағұни кім болған?")[0] == "poem.txt"


def test_a_stem_finds_what_morphology_would_have_to_guess(store: Store) -> None:
    # `ыдырау` is in no document and no lemma: its stem `ыдыра*` finds both forms.
    assert set(_sources(store, "ыдырау")) == {"lipid.txt", "protein.txt"}


def test_the_curly_quoted_question_of_the_user_path_is_answered(store: Store) -> None:
    result = search_documents(store, "“Құтты білік“ поэмасын жазған кім?")
    assert result.documents[0].source == "poem.txt"
    assert search(store, "“Құтты білік“ поэмасын жазған кім?").hits[0].text.startswith("Жүсіп")


_ALPHABET = st.sampled_from(list('аәбғқ Ойыл"«»“”„‘’‚=*:^(){}[]-+\'\\;ANDORNEAR_%.,?!1\t') +
                            ["Құтты", "білік", "NEAR(", " AND ", "lemma:", "{form}"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ALPHABET, max_size=12).map("".join))
def test_any_string_searches_or_is_an_input_error(store: Store, text: str) -> None:
    try:
        result = search(store, text, limit=3)
        ranked = search_documents(store, text, limit=3)
    except InputError as exc:
        assert str(exc)  # a message a user can act on, never another exception
        return
    assert result.total >= len(result.hits) and ranked.total >= len(ranked.documents)


def test_an_old_store_gets_its_document_index_on_a_writable_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _store(path).close()
    db = sqlite3.connect(path)  # back to schema version 2: no document index, nothing later
    v2 = {"documents", "sentences", "sentence_fts", "spans", "sentence_years", "lexicon",
          "schema_version"}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        if name not in v2 and not name.startswith(("sentence_fts_", "document_fts_", "sqlite_")):
            db.execute(f"DROP TABLE IF EXISTS {name}")
    db.execute("DELETE FROM schema_version WHERE version >= 3")
    db.commit()
    db.close()
    with open_store(str(path), readonly=True) as ro:  # read as it is: ranked from sentences
        assert _sources(ro, "Липидтер энергия")[0] == "lipid.txt"
    with open_store(str(path)) as rw:
        rows = rw.db.execute("SELECT count(*) FROM document_fts").fetchone()[0]  # type: ignore[attr-defined]
        assert rows == 4
        assert _sources(rw, "Липидтер туралы")[0] == "lipid.txt"  # only the title says it


def test_cli_documents_json_and_a_batch_of_bad_quotes(tmp_path: Path) -> None:
    path = tmp_path / "cli.db"
    _store(path).close()
    runner = CliRunner()
    got = runner.invoke(cli, ["search", "--db", str(path), "--documents", "--json",
                              "майдың энергиясы"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.output)["documents"][0]["source"] == "lipid.txt"
    batch = tmp_path / "q.tsv"
    batch.write_text("a\t“Құтты білік“ поэмасын жазған кім?\nb\t\"Ойыл ауданы\nc\tNEAR(май\n",
                     encoding="utf-8")
    got = runner.invoke(cli, ["search", "--db", str(path), "--batch", str(batch), "--json",
                              "--documents"])
    assert got.exit_code == 0, got.output
    rows = [json.loads(line) for line in got.output.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["documents"][0]["source"] == "poem.txt"


def test_sentences_of_a_question_count_their_document(store: Store) -> None:
    query = parse("Липидтер ыдырағанда қанша энергия бөлінеді?", store.known_lemmas)
    _, ranked = store.match_documents(query, Filters(), 10)
    scores = store.document_scores(query, [d.document for d in ranked])
    assert scores == pytest.approx({d.document: d.score for d in ranked})
    hit = search(store, "Липидтер ыдырағанда қанша энергия бөлінеді?").hits[0]
    assert hit.text.startswith("Майдың бір грамы")  # the title says which passage it is


def test_an_old_postgres_store_gets_its_document_index_on_a_writable_open() -> None:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set (run scripts/ci/start_postgres.sh)")
    import psycopg

    schema = "old_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = pg_url_with_schema(base, schema)
    try:
        _store(url).close()
        with psycopg.connect(url, autocommit=True) as conn:  # back to version 2: no BM25 tables
            v2 = {"documents", "sentences", "spans", "sentence_years", "lexicon", "schema_version"}
            later = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
                if r[0] not in v2]
            conn.execute(f"DROP TABLE {', '.join(later)} CASCADE")
            conn.execute("DELETE FROM schema_version WHERE version >= 3")
        with open_store(url) as rw:  # the migration's data step indexes the stored documents
            assert _sources(rw, "Липидтер туралы")[0] == "lipid.txt"  # only the title says it
            assert set(_sources(rw, "ыдырау")) == {"lipid.txt", "protein.txt"}
        with psycopg.connect(url, autocommit=True) as conn:  # settled: the index is read alone
            visible = conn.execute("SELECT relallvisible FROM pg_class"
                                   " WHERE oid = 'document_terms'::regclass").fetchone()
            assert visible is not None and visible[0] > 0
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_postgres_bm25_units_match_what_fts5_matches() -> None:
    from muragat.store import pg_documents

    query = parse("«Құтты білік» ыдырау")
    parts = pg_documents.query_parts(query)
    units = {p.unit for p in parts}
    assert len(units) >= 3  # the phrase's lemmas, its forms, and the word's lemma and stem
    stem = [p for p in parts if p.lo == "ыдыра"]
    assert stem and stem[0].hi > "ыдырағанда" and stem[0].kind == pg_documents.FORM
    exact = [p for p in parts if p.lo == "құтты" and p.hi == "құтты\x01"]
    assert exact  # a whole word matches itself only
    rows = pg_documents.term_rows((["Липидтер"], ["Май"], ["май", "май"], ["майлар"]))
    lemma, form = pg_documents.LEMMA, pg_documents.FORM
    assert (lemma, "май", 2.0) in rows and (lemma, "Май", 0.5) in rows  # a name counts half
    assert (lemma, "Липидтер", 1.0) in rows and (form, "Липидтер", 1.0) in rows  # the title
    assert (form, "майлар", 1.0) in rows and (form, "май", 2.0) not in rows
