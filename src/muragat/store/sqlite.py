"""The default store: one SQLite file (stdlib sqlite3, WAL, FTS5), nothing to install.

Sentences are indexed by a contentless FTS5 table with two columns, `lemma` and `form`,
whose rowid is the sentence id; the text lives once, in `documents.text`.
WAL with synchronous=NORMAL keeps every committed document across a kill -9.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from muragat.errors import StoreError
from muragat.i18n import t
from muragat.model import Document
from muragat.search.entities import MentionGroup
from muragat.search.query import Query, fts5_documents, fts5_match
from muragat.store import userdata
from muragat.store.base import DocInfo, DocMatch, Filters, Match, Store, damaged, dump_json
from muragat.store.rows import (
    decode_document,
    document_row,
    document_rows,
    encode_body,
    lexicon_pairs,
)

SQLITE_HEADER = b"SQLite format 3\x00"

def _index_documents(db: sqlite3.Connection) -> None:
    """Migration 3's data step: every stored document into the document index."""
    rows = db.execute("SELECT id, text, body, meta FROM documents ORDER BY id").fetchall()
    for doc_id, text, body, meta in rows:
        spans = [{"layer": r[0], "label": r[1], "start": r[2], "end": r[3],
                  "attrs": json.loads(r[4])} for r in db.execute(
            "SELECT layer, label, start_char, end_char, attrs FROM spans WHERE doc_id = ?"
            " ORDER BY start_char, end_char DESC, id", (doc_id,))]
        _insert_document_row(db, doc_id, decode_document(text, body, spans, json.loads(meta)))


def _insert_document_row(db: sqlite3.Connection, doc_id: int, doc: Document) -> None:
    row = document_row(doc, *document_rows(doc))
    db.execute("INSERT INTO document_fts (rowid, title, names, lemma, form) VALUES (?,?,?,?,?)",
               (doc_id, " ".join(row.title), " ".join(row.names), " ".join(row.lemma_terms),
                " ".join(row.form_terms)))


Migration = str | Callable[[sqlite3.Connection], None]  # SQL, or a data step in Python
MIGRATIONS: list[tuple[int, list[Migration]]] = [
    (1, [
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, source TEXT,
            meta TEXT NOT NULL DEFAULT '{}', text TEXT NOT NULL, body BLOB NOT NULL,
            n_sentences INTEGER NOT NULL, added REAL NOT NULL)""",
        "CREATE INDEX documents_source ON documents(source)",
        """CREATE TABLE sentences (
            id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id),
            idx INTEGER NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
            UNIQUE (doc_id, idx))""",
        """CREATE VIRTUAL TABLE sentence_fts USING fts5(
            lemma, form, content='', tokenize='unicode61 remove_diacritics 0')""",
        """CREATE TABLE spans (
            id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id),
            sentence_idx INTEGER NOT NULL, layer TEXT NOT NULL, label TEXT NOT NULL,
            start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, attrs TEXT NOT NULL,
            name TEXT, key TEXT)""",
        "CREATE INDEX spans_sentence ON spans(doc_id, sentence_idx, layer)",
        "CREATE INDEX spans_entity ON spans(layer, label, key)",
        """CREATE TABLE sentence_years (
            year INTEGER NOT NULL, doc_id INTEGER NOT NULL, sentence_idx INTEGER NOT NULL,
            PRIMARY KEY (year, doc_id, sentence_idx)) WITHOUT ROWID""",
        "CREATE INDEX sentence_years_sentence ON sentence_years(doc_id, sentence_idx)",
    ]),
    (2, [  # forms and the lemmas the pipeline gave them: query words lemmatize like the index
        """CREATE TABLE lexicon (form TEXT NOT NULL, lemma TEXT NOT NULL,
            PRIMARY KEY (form, lemma)) WITHOUT ROWID""",
    ]),
    (3, [  # whole documents ranked by BM25F: title, entity/value names, lemmas, forms
        """CREATE VIRTUAL TABLE document_fts USING fts5(
            title, names, lemma, form, content='', prefix='4 5',
            tokenize='unicode61 remove_diacritics 0')""",  # prefix: the 4/5-letter stems
        _index_documents,
    ]),
    (4, userdata.ddl("INTEGER PRIMARY KEY AUTOINCREMENT")),  # tags, notes, entity edits
]
LATEST = MIGRATIONS[-1][0]
_DOCUMENT_INDEX = 3  # the version that added document_fts
_READABLE = 2  # the oldest version a read-only open reads without migrating
_BM25 = "bm25(sentence_fts, 1.0, 0.5)"  # a lemma match counts twice a surface-prefix one
# title, names, lemma, form (tuned on KazQAD dev half A: notes/issue-21-search.md)
DOC_WEIGHTS = (1.0, 0.5, 1.0, 1.0)


def _fail(url: str, why: str) -> StoreError:
    return StoreError(t(f"{url}: қойма ашылмады: {why}", f"{url}: cannot open the store: {why}"))


def _split_url(url: str) -> tuple[str, bool]:
    """(file path, read-only asked) from `PATH`, `PATH?mode=ro` or `file:PATH?mode=ro`."""
    path, ro = url, False
    if path.startswith("sqlite:///"):
        path = path[len("sqlite://"):]
    if path.startswith("file:"):
        path = path[len("file:"):]
    if "?" in path:
        path, _, opts = path.partition("?")
        ro = "mode=ro" in opts.split("&")
    return path, ro


def _read_only_file(path: Path) -> bool:
    """Mode 0444 means read-only even for root, whom access() would let write."""
    if not path.exists():
        return False
    return not (path.stat().st_mode & 0o222) or not os.access(path, os.W_OK)


# The tables a muragat store has (at its latest version), for `check`.
EXPECTED_TABLES = ("documents", "sentences", "sentence_fts", "spans", "sentence_years",
                   "lexicon", "schema_version", *userdata.TABLES)
_ANNOTATIONS = 4  # the version that added userdata.TABLES (an older store lacks them)


def integrity_rows(db: sqlite3.Connection, pragma: str = "quick_check", limit: int = 20
                   ) -> list[str]:
    """What `PRAGMA quick_check` / `integrity_check` found; empty when the file is sound."""
    try:
        rows = [str(r[0]) for r in db.execute(f"PRAGMA {pragma}({int(limit)})")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


class SqliteStore(Store):
    driver_errors = (sqlite3.DatabaseError,)

    def __init__(self, url: str, readonly: bool = False) -> None:
        self.url = url
        path, asked_ro = _split_url(url)
        self.path = Path(path)
        self.readonly = readonly or asked_ro or _read_only_file(self.path)
        self._check_file()
        try:
            self.db = self._connect()
            if not self.readonly:  # never write into a damaged file: refuse before any write
                self._refuse_damaged()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise _fail(url, str(exc)) from None

    def _refuse_damaged(self) -> None:
        problems = integrity_rows(self.db, "quick_check", 5)
        if problems:
            self.db.close()
            raise damaged(self.url, "; ".join(problems)[:300])

    def integrity_problems(self) -> list[str]:
        problems = integrity_rows(self.db, "integrity_check", 20)
        if problems:
            return problems
        names = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        missing = [n for n in EXPECTED_TABLES if n not in names and (
            self._version() >= _ANNOTATIONS or n not in userdata.TABLES)]
        if missing:
            return [t(f"схемада жоқ кестелер: {', '.join(missing)}",
                      f"tables missing from the schema: {', '.join(missing)}")]
        return [t(f"сыртқы кілт бұзылған: {r[0]} жол {r[1]}",
                  f"broken reference: {r[0]} row {r[1]}")
                for r in self.db.execute("PRAGMA foreign_key_check").fetchmany(20)]

    # -- opening ---------------------------------------------------------------------
    def _check_file(self) -> None:
        if self.path.is_dir():
            raise _fail(self.url, t("бұл қалта", "it is a directory"))
        if not self.path.exists():
            if self.readonly:
                raise _fail(self.url, t("файл жоқ (алдымен: muragat ingest ...)",
                                        "no such file (first: muragat ingest ...)"))
            return
        with self.path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
        if head and head != SQLITE_HEADER:
            raise _fail(self.url, t("SQLite дерекқоры емес", "not an SQLite database"))
        if not head and self.readonly:  # a 0-byte file: `ingest` makes it a store
            raise _fail(self.url, t("бос файл, muragat қоймасы емес (алдымен: muragat ingest ...)",
                                    "an empty file, not a muragat store (first: muragat ingest ...)"))

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
            db = sqlite3.connect(uri, uri=True, isolation_level=None)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                # A WAL file in a folder we cannot write: read the file as it is.
                db.close()
                db = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)
            return db
        db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def _version(self) -> int:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if "schema_version" in tables:
            row = self.db.execute("SELECT max(version) FROM schema_version").fetchone()
            return int(row[0] or 0)
        if tables:
            raise _fail(self.url, t("бұл muragat қоймасы емес", "not a muragat store"))
        return 0

    def _migrate(self) -> None:
        current = self._version()
        if current > LATEST:
            raise _fail(self.url, t(f"схема нұсқасы {current} тым жаңа",
                                    f"schema version {current} is newer than this muragat"))
        self.document_index = current >= _DOCUMENT_INDEX or not self.readonly
        if current == LATEST:
            return
        if self.readonly and current >= _READABLE:
            return  # searched as it is: documents are then ranked from their sentences
        if self.readonly and current == 0:
            raise _fail(self.url, t("бос дерекқор, muragat қоймасы емес (алдымен: muragat ingest ...)",
                                    "an empty database, not a muragat store (first: muragat "
                                    "ingest ...)"))
        if self.readonly:
            raise _fail(self.url, t("схеманы жаңарту керек, қойма тек оқуға",
                                    "the schema needs a migration but the store is read-only"))
        self.db.execute("BEGIN IMMEDIATE")
        try:
            # again under the write lock: another process (a second ingest started at the same
            # moment on a new file) may have migrated it since the read above
            current = self._version()
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            for version, statements in MIGRATIONS:
                if version > current:
                    for sql in statements:
                        sql(self.db) if callable(sql) else self.db.execute(sql)
                    self.db.execute("INSERT INTO schema_version VALUES (?)", (version,))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # -- writing ---------------------------------------------------------------------
    def has_hash(self, digest: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE hash = ?", (digest,)).fetchone() \
            is not None

    def add_document(self, doc: Document, digest: str, source: str | None) -> int | None:
        self._check_writable()
        sentences, spans = document_rows(doc)
        with self._immediate() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO documents (hash, source, meta, text, body, n_sentences,"
                " added) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (digest, source, dump_json(doc.meta), doc.text, encode_body(doc),
                 len(sentences), time.time()))
            if cur.rowcount == 0:
                db.execute("ROLLBACK")
                return None
            doc_id = int(cur.lastrowid or 0)
            for s in sentences:
                sid = db.execute(
                    "INSERT INTO sentences (doc_id, idx, start_char, end_char) VALUES (?,?,?,?)",
                    (doc_id, s.idx, s.start, s.end)).lastrowid
                db.execute("INSERT INTO sentence_fts (rowid, lemma, form) VALUES (?, ?, ?)",
                           (sid, " ".join(s.lemma_terms), " ".join(s.form_terms)))
            db.executemany(
                "INSERT INTO sentence_years (year, doc_id, sentence_idx) VALUES (?, ?, ?)",
                [(y, doc_id, s.idx) for s in sentences for y in sorted(s.years)])
            db.executemany(
                "INSERT INTO spans (doc_id, sentence_idx, layer, label, start_char, end_char,"
                " attrs, name, key) VALUES (?,?,?,?,?,?,?,?,?)",
                [(doc_id, p.sentence_idx, p.layer, p.label, p.start, p.end, dump_json(p.attrs),
                  p.name, p.key) for p in spans])
            db.executemany("INSERT OR IGNORE INTO lexicon (form, lemma) VALUES (?, ?)",
                           sorted(lexicon_pairs(doc)))
            _insert_document_row(db, doc_id, doc)
        return doc_id

    @contextlib.contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed at the end unless the body rolled it back; any
        failure rolls it back, and a database error (a full disk, I/O) is exit 4, not a
        traceback."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            if db.in_transaction:
                db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise StoreError(t(f"{self.url}: жазу мүмкін емес: {exc}",
                               f"{self.url}: cannot write: {exc}")) from None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _write(self, steps: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]]:
        self._check_writable()
        with self._immediate() as db:
            return [db.execute(sql, params).fetchall() for sql, params in steps]

    def has_table(self, name: str) -> bool:
        return bool(self._run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              [name]))

    # -- reading ---------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        one = lambda sql: int(self._run(sql, [])[0][0])  # noqa: E731
        return {"documents": one("SELECT count(*) FROM documents"),
                "sentences": one("SELECT count(*) FROM sentences"),
                "spans": one("SELECT count(*) FROM spans")}

    def document_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY id")]

    def doc_info(self, doc_id: int) -> DocInfo | None:
        row = self.db.execute("SELECT id, hash, source, meta, n_sentences FROM documents "
                              "WHERE id = ?", (doc_id,)).fetchone()
        return DocInfo(row[0], row[1], row[2], json.loads(row[3]), row[4]) if row else None

    def find_document(self, ref: str) -> int | None:
        if ref.isdigit():
            row = self.db.execute("SELECT id FROM documents WHERE id = ?", (int(ref),)).fetchone()
            if row:
                return int(row[0])
        rows = self.db.execute("SELECT id FROM documents WHERE source = ? ORDER BY id LIMIT 1",
                               (ref,)).fetchall()
        if not rows and len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = self.db.execute(
                "SELECT id FROM documents WHERE hash >= ? AND hash < ? LIMIT 2",
                (ref.lower(), ref.lower() + "g")).fetchall()
        return int(rows[0][0]) if len(rows) == 1 else None

    def get_document(self, doc_id: int) -> Document:
        row = self.db.execute("SELECT text, body, meta FROM documents WHERE id = ?",
                              (doc_id,)).fetchone()
        if row is None:
            raise StoreError(t(f"қоймада мұндай құжат жоқ: {doc_id}", f"no such document: {doc_id}"))
        spans = [{"layer": r[0], "label": r[1], "start": r[2], "end": r[3],
                  "attrs": json.loads(r[4])} for r in self.db.execute(
            "SELECT layer, label, start_char, end_char, attrs FROM spans WHERE doc_id = ?"
            " ORDER BY start_char, end_char DESC, id", (doc_id,))]
        return decode_document(row[0], row[1], spans, json.loads(row[2]))

    def sentence_texts(self, matches: list[Match]) -> list[str]:
        if not matches:
            return []
        rows = self._run(
            "SELECT j.key, substr(d.text, json_extract(j.value, '$[1]') + 1,"
            " json_extract(j.value, '$[2]') - json_extract(j.value, '$[1]'))"
            " FROM json_each(?) j JOIN documents d ON d.id = json_extract(j.value, '$[0]')",
            [dump_json([[m.document, m.start, m.end] for m in matches])])
        found = dict(rows)
        return [found.get(i, "") for i in range(len(matches))]

    def _where(self, query: Query, filters: Filters, prefix: bool) -> tuple[str, list[object]]:
        sql = "sentence_fts MATCH ?"
        params: list[object] = [fts5_match(query, prefix)]
        if filters.types:
            sql += (" AND EXISTS (SELECT 1 FROM spans p WHERE p.doc_id = s.doc_id AND"
                    " p.sentence_idx = s.idx AND p.layer = 'ner' AND p.label IN ("
                    + ",".join("?" * len(filters.types)) + "))")
            params.extend(filters.types)
        if filters.year is not None:
            sql += (" AND EXISTS (SELECT 1 FROM sentence_years y WHERE y.year = ? AND"
                    " y.doc_id = s.doc_id AND y.sentence_idx = s.idx)")
            params.append(filters.year)
        if filters.documents:
            sql += " AND s.doc_id IN (" + ",".join("?" * len(filters.documents)) + ")"
            params.extend(filters.documents)
        return sql, params

    def _run(self, sql: str, params: list[object]) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(t(f"іздеу орындалмады: {exc}", f"search failed: {exc}")) from None

    def match(self, query: Query, filters: Filters, limit: int, offset: int = 0,
              prefix: bool = True) -> tuple[int, list[Match]]:
        where, params = self._where(query, filters, prefix)
        base = "FROM sentence_fts JOIN sentences s ON s.id = sentence_fts.rowid WHERE " + where
        if filters.narrows():
            total = int(self._run("SELECT count(*) " + base, params)[0][0])
        else:  # the index alone knows how many sentences match: a few ms
            total = int(self._run("SELECT count(*) FROM sentence_fts WHERE sentence_fts MATCH ?",
                                  params[:1])[0][0])
        # A separate count keeps SQLite's top-N sort for the ranking (a window would not).
        rows = self._run(
            f"SELECT s.doc_id, s.idx, s.start_char, s.end_char, {_BM25} AS score {base}"
            " ORDER BY score, s.id LIMIT ? OFFSET ?", [*params, limit, offset])
        return total, [Match(r[0], r[1], r[2], r[3], -float(r[4])) for r in rows]

    def match_documents(self, query: Query, filters: Filters, limit: int, offset: int = 0
                        ) -> tuple[int, list[DocMatch]]:
        if filters.narrows() or not self.document_index:  # filters are about sentences
            return super().match_documents(query, filters, limit, offset)
        expr = fts5_documents(query)
        total = int(self._run("SELECT count(*) FROM document_fts WHERE document_fts MATCH ?",
                              [expr])[0][0])
        weights = ", ".join(map(str, DOC_WEIGHTS))
        rows = self._run(
            f"SELECT rowid, bm25(document_fts, {weights}) AS score FROM document_fts"
            " WHERE document_fts MATCH ? ORDER BY score, rowid LIMIT ? OFFSET ?",
            [expr, limit, offset])
        return total, [DocMatch(int(r[0]), -float(r[1])) for r in rows]

    def document_scores(self, query: Query, documents: list[int]) -> dict[int, float]:
        if not documents or not self.document_index:
            return {}
        weights = ", ".join(map(str, DOC_WEIGHTS))
        # `+rowid`: one full-text pass, filtered (a bare rowid would rerun it per id);
        # bm25() is then computed for these rows only, from the whole index's statistics
        rows = self._run(
            f"SELECT rowid, bm25(document_fts, {weights}) FROM document_fts WHERE"
            " document_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))",
            [fts5_documents(query), dump_json(documents)])
        return {int(r[0]): -float(r[1]) for r in rows}

    def _hit_cte(self, hits: list[tuple[int, int]]) -> tuple[str, list[Any]]:
        cte = ("WITH hit AS (SELECT json_extract(value, '$[0]') AS doc_id,"
               " json_extract(value, '$[1]') AS idx FROM json_each(?)) ")
        return cte, [dump_json(hits)]

    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return self._run(sql, params)

    def known_lemmas(self, forms: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if forms:
            marks = ",".join("?" * len(forms))
            for form, lemma in self._run(
                    f"SELECT form, lemma FROM lexicon WHERE form IN ({marks})", list(forms)):
                out.setdefault(form, []).append(lemma)
        return out

    def mention_groups(self, types: tuple[str, ...] = ()) -> list[MentionGroup]:
        sql = ("SELECT label, key, name, doc_id, count(*) FROM spans WHERE layer = 'ner'"
               " AND key IS NOT NULL AND key != ''")
        params: list[object] = []
        if types:
            sql += " AND label IN (" + ",".join("?" * len(types)) + ")"
            params.extend(types)
        sql += " GROUP BY label, key, name, doc_id"
        return [MentionGroup(r[0], r[1], r[2] or r[1], r[3], r[4]) for r in self._run(sql, params)]

    def close(self) -> None:
        self.db.close()
