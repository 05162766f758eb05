"""The team store: PostgreSQL through psycopg 3 (`pip install 'muragat[postgres]'`).

Sentences carry two tsvectors, lemma terms and surface terms, with GIN indexes. The vectors
and the queries are written as tsvector/tsquery literals from the terms muragat splits itself
(every lexeme quoted), so PostgreSQL's parser, locale and dictionaries never change them and
both backends match exactly the same terms. Migrations are numbered in `schema_version`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from muragat.errors import InputError, StoreError
from muragat.i18n import t
from muragat.model import Document
from muragat.search.entities import MentionGroup
from muragat.search.query import Query, ts_condition, tsqueries
from muragat.store import pg_documents, userdata
from muragat.store.base import DocInfo, DocMatch, Filters, Match, Store, dump_json
from muragat.store.rows import (
    DocumentRow,
    decode_document,
    document_row,
    document_rows,
    encode_body,
    lexicon_pairs,
)

Migration = str | Callable[["PostgresStore"], None]  # SQL, or a data step in Python
MIGRATIONS: list[tuple[int, list[Migration]]] = [
    (1, [
        """CREATE TABLE documents (
            id BIGSERIAL PRIMARY KEY, hash TEXT NOT NULL UNIQUE, source TEXT,
            meta JSONB NOT NULL DEFAULT '{}', text TEXT NOT NULL, body BYTEA NOT NULL,
            n_sentences INTEGER NOT NULL, added TIMESTAMPTZ NOT NULL DEFAULT now())""",
        "CREATE INDEX documents_source ON documents (source)",
        """CREATE TABLE sentences (
            doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
            lemma_tsv TSVECTOR NOT NULL, form_tsv TSVECTOR NOT NULL,
            PRIMARY KEY (doc_id, idx))""",
        "CREATE INDEX sentences_lemma ON sentences USING GIN (lemma_tsv)",
        "CREATE INDEX sentences_form ON sentences USING GIN (form_tsv)",
        """CREATE TABLE spans (
            id BIGSERIAL PRIMARY KEY,
            doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            sentence_idx INTEGER NOT NULL, layer TEXT NOT NULL, label TEXT NOT NULL,
            start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, attrs JSONB NOT NULL,
            name TEXT, key TEXT)""",
        "CREATE INDEX spans_sentence ON spans (doc_id, sentence_idx, layer)",
        "CREATE INDEX spans_entity ON spans (layer, label, key)",
        """CREATE TABLE sentence_years (
            year INTEGER NOT NULL, doc_id BIGINT NOT NULL REFERENCES documents (id)
            ON DELETE CASCADE, sentence_idx INTEGER NOT NULL,
            PRIMARY KEY (year, doc_id, sentence_idx))""",
        "CREATE INDEX sentence_years_sentence ON sentence_years (doc_id, sentence_idx)",
    ]),
    (2, [  # forms and the lemmas the pipeline gave them: query words lemmatize like the index
        """CREATE TABLE lexicon (form TEXT NOT NULL, lemma TEXT NOT NULL,
            PRIMARY KEY (form, lemma))""",
    ]),
    (3, [*pg_documents.MIGRATION,  # whole documents ranked by BM25 (title, names, lemma, form)
         lambda store: store._index_documents()]),
    (4, userdata.ddl("BIGSERIAL PRIMARY KEY")),  # tags, notes, entity edits
]
LATEST = MIGRATIONS[-1][0]
_LOCK = 7_305_611  # advisory lock id: one migrator at a time
_MAX_POS = 16383  # PostgreSQL's largest tsvector position


def _masked(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(terms: list[str]) -> str:
    """`'ойыл':1 'аудан':2` from terms in order: positions make phrases work."""
    positions: dict[str, list[int]] = defaultdict(list)
    for i, term in enumerate(terms, 1):
        positions[term].append(min(i, _MAX_POS))
    return " ".join(f"{_lexeme(k)}:{','.join(map(str, v[:256]))}" for k, v in positions.items())


_AWAIT_WAL_FLUSH = """DO $$
DECLARE target pg_lsn := pg_current_wal_insert_lsn();
BEGIN
    FOR i IN 1..100 LOOP
        EXIT WHEN pg_current_wal_flush_lsn() >= target;
        PERFORM pg_sleep(0.02);
    END LOOP;
END $$"""


class PostgresStore(Store):
    _param = "%s"
    def __init__(self, url: str, readonly: bool = False) -> None:
        self.url = _masked(url)
        self._url = url
        self.readonly = readonly
        self._side: Any = None  # the second connection of `_beside`
        self._pool: ThreadPoolExecutor
        try:
            import psycopg
        except ImportError:
            raise StoreError(t("PostgreSQL үшін psycopg керек: pip install 'psycopg[binary]'",
                               "PostgreSQL needs psycopg: pip install 'psycopg[binary]'")) from None
        self._psycopg = psycopg
        self.driver_errors = (psycopg.Error,)  # Store.reading: a read error is exit 4
        try:
            self.db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(t(f"{self.url}: қойма ашылмады: {exc}",
                               f"{self.url}: cannot open the store: {exc}")) from None
        if readonly:
            self.db.execute("SET default_transaction_read_only = on")
        else:
            # The durability SQLite's WAL + synchronous=NORMAL gives: a committed document
            # survives the client's crash; only a server power loss may lose the last few.
            self.db.execute("SET synchronous_commit = off")
        self._migrate()
        self.document_index = True  # a store below version 3 is migrated or refused

    def _migrate(self) -> None:
        db = self.db
        exists = db.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
        current = 0
        if exists and exists[0]:
            current = int(db.execute("SELECT coalesce(max(version), 0) FROM schema_version")
                          .fetchone()[0])  # type: ignore[index]
        if current >= LATEST:
            return
        if self.readonly and current == 0:
            raise StoreError(t(f"{self.url}: бұл дерекқорда muragat қоймасы жоқ (алдымен: muragat "
                               "ingest ...)", f"{self.url}: no muragat store in this database "
                               "(first: muragat ingest ...)"))
        if self.readonly:
            raise StoreError(t(f"{self.url}: схеманы жаңарту керек, қойма тек оқуға",
                               f"{self.url}: the schema needs a migration but the store is read-only"))
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = int(db.execute("SELECT coalesce(max(version), 0) FROM schema_version")
                          .fetchone()[0])  # type: ignore[index]
            for version, statements in MIGRATIONS:
                if version > current:
                    for sql in statements:
                        sql(self) if callable(sql) else db.execute(sql)  # type: ignore[arg-type]
                    db.execute("INSERT INTO schema_version VALUES (%s)", (version,))
        if current > 0:  # an older store: its documents were just indexed again
            self.settle()

    def _q(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(sql, params).fetchall()  # type: ignore[arg-type]
        except self._psycopg.Error as exc:
            raise StoreError(t(f"{self.url}: сұраныс орындалмады: {exc}",
                               f"{self.url}: query failed: {exc}")) from None

    # -- writing ---------------------------------------------------------------------
    def has_hash(self, digest: str) -> bool:
        return bool(self._q("SELECT 1 FROM documents WHERE hash = %s", (digest,)))

    def add_document(self, doc: Document, digest: str, source: str | None) -> int | None:
        self._check_writable()
        if "\x00" in doc.text:
            raise InputError(t("мәтінде NUL таңбасы бар", "the text contains a NUL character"))
        sentences, spans = document_rows(doc)
        db = self.db
        try:
            with db.transaction(), db.cursor() as cur:
                cur.execute(
                    "INSERT INTO documents (hash, source, meta, text, body, n_sentences)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (hash) DO NOTHING RETURNING id",
                    (digest, source, dump_json(doc.meta), doc.text, encode_body(doc),
                     len(sentences)))
                row = cur.fetchone()
                if row is None:
                    return None
                doc_id = int(row[0])
                cur.executemany(
                    "INSERT INTO sentences (doc_id, idx, start_char, end_char, lemma_tsv,"
                    " form_tsv) VALUES (%s, %s, %s, %s, %s::tsvector, %s::tsvector)",
                    [(doc_id, s.idx, s.start, s.end, tsvector_literal(s.lemma_terms),
                      tsvector_literal(s.form_terms)) for s in sentences])
                cur.executemany(
                    "INSERT INTO sentence_years (year, doc_id, sentence_idx) VALUES (%s, %s, %s)",
                    [(y, doc_id, s.idx) for s in sentences for y in sorted(s.years)])
                cur.executemany(
                    "INSERT INTO spans (doc_id, sentence_idx, layer, label, start_char, end_char,"
                    " attrs, name, key) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [(doc_id, p.sentence_idx, p.layer, p.label, p.start, p.end,
                      dump_json(p.attrs).replace("\\u0000", ""), p.name, p.key) for p in spans])
                # sorted: concurrent ingests take the same row locks in the same order
                cur.executemany("INSERT INTO lexicon (form, lemma) VALUES (%s, %s)"
                                " ON CONFLICT DO NOTHING", sorted(lexicon_pairs(doc)))
                self._write_document_terms(cur, doc_id, document_row(doc, sentences, spans))
        except self._psycopg.Error as exc:
            raise StoreError(t(f"{self.url}: жазу мүмкін емес: {exc}",
                               f"{self.url}: cannot write: {exc}")) from None
        return doc_id

    def _write_document_terms(self, cur: Any, doc_id: int, row: DocumentRow) -> None:
        fields = (row.title, row.names, row.lemma_terms, row.form_terms)
        length = pg_documents.length(fields)
        with cur.copy("COPY document_terms (kind, term, doc_id, f, length) FROM STDIN") as copy:
            for kind, term, weighted in pg_documents.term_rows(fields):
                copy.write_row((kind, term, doc_id, weighted, length))
        cur.execute("INSERT INTO document_lengths (doc_id, length) VALUES (%s, %s)",
                    (doc_id, length))

    def _index_documents(self) -> None:
        """Migration 3's data step: every stored document into the document index."""
        with self.db.cursor() as cur:
            for (doc_id,) in self._q("SELECT id FROM documents ORDER BY id"):
                doc = self.get_document(int(doc_id))
                self._write_document_terms(cur, int(doc_id), document_row(doc, *document_rows(doc)))

    def settle(self) -> None:
        """VACUUM (ANALYZE) the tables search reads: without it, freshly written term rows are
        not marked all-visible and a question reads its terms' scattered heap pages instead of
        the covering index (20,000 documents: 87 -> 50 ms for the BM25 statement); autovacuum
        would get there later, or never after a crash has reset its counters."""
        if self.readonly:
            return
        try:
            # The writes were committed asynchronously, and VACUUM marks no page all-visible
            # before their commits are on disk: wait for the WAL writer (3 x wal_writer_delay
            # at most, 0.6 s by default).
            self.db.execute(_AWAIT_WAL_FLUSH)
            for table in ("document_terms", "document_lengths", "sentences"):
                self.db.execute(f"VACUUM (ANALYZE) {table}")
        except self._psycopg.Error as exc:
            raise StoreError(t(f"{self.url}: VACUUM болмады (құжаттар сақталды): {exc}",
                               f"{self.url}: VACUUM failed (the documents are stored): {exc}")
                             ) from None

    def _write(self, steps: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]]:
        self._check_writable()
        out: list[list[tuple[Any, ...]]] = []
        try:
            with self.db.transaction(), self.db.cursor() as cur:
                for sql, params in steps:
                    cur.execute(sql, params)  # type: ignore[arg-type]
                    out.append(cur.fetchall() if cur.description else [])
        except self._psycopg.Error as exc:
            raise StoreError(t(f"{self.url}: жазу мүмкін емес: {exc}",
                               f"{self.url}: cannot write: {exc}")) from None
        return out

    def has_table(self, name: str) -> bool:
        return bool(self._q("SELECT to_regclass(%s) IS NOT NULL", (name,))[0][0])

    # -- reading ---------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {name: int(self._q(f"SELECT count(*) FROM {table}")[0][0]) for name, table in
                (("documents", "documents"), ("sentences", "sentences"), ("spans", "spans"))}

    def document_ids(self) -> list[int]:
        return [int(r[0]) for r in self._q("SELECT id FROM documents ORDER BY id")]

    def doc_info(self, doc_id: int) -> DocInfo | None:
        rows = self._q("SELECT id, hash, source, meta, n_sentences FROM documents WHERE id = %s",
                       (doc_id,))
        return DocInfo(*rows[0]) if rows else None

    def find_document(self, ref: str) -> int | None:
        if ref.isdigit():
            rows = self._q("SELECT id FROM documents WHERE id = %s", (int(ref),))
            if rows:
                return int(rows[0][0])
        rows = self._q("SELECT id FROM documents WHERE source = %s ORDER BY id LIMIT 1", (ref,))
        if not rows and len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = self._q("SELECT id FROM documents WHERE starts_with(hash, %s) LIMIT 2",
                           (ref.lower(),))
        return int(rows[0][0]) if len(rows) == 1 else None

    def get_document(self, doc_id: int) -> Document:
        rows = self._q("SELECT text, body, meta FROM documents WHERE id = %s", (doc_id,))
        if not rows:
            raise StoreError(t(f"қоймада мұндай құжат жоқ: {doc_id}", f"no such document: {doc_id}"))
        spans = [{"layer": r[0], "label": r[1], "start": r[2], "end": r[3], "attrs": r[4]}
                 for r in self._q("SELECT layer, label, start_char, end_char, attrs FROM spans"
                                  " WHERE doc_id = %s ORDER BY start_char, end_char DESC, id",
                                  (doc_id,))]
        text, body, meta = rows[0]
        return decode_document(text, bytes(body), spans, meta)

    def sentence_texts(self, matches: list[Match]) -> list[str]:
        if not matches:
            return []
        rows = self._q(
            "SELECT h.ord, substr(d.text, h.s + 1, h.e - h.s) FROM unnest(%s::bigint[],"
            " %s::int[], %s::int[]) WITH ORDINALITY AS h (doc, s, e, ord)"
            " JOIN documents d ON d.id = h.doc",
            ([m.document for m in matches], [m.start for m in matches], [m.end for m in matches]))
        found = {int(k) - 1: v for k, v in rows}
        return [found.get(i, "") for i in range(len(matches))]

    def _where(self, query: Query, filters: Filters, prefix: bool
               ) -> tuple[str, list[Any], str, list[Any]]:
        """(WHERE clause, its params, rank expression, its params)."""
        lemma_q, form_q = tsqueries(query, prefix)
        conds, params, ranks, rank_params = [], [], [], []
        if lemma_q:
            conds.append("s.lemma_tsv @@ %s::tsquery")
            params.append(lemma_q)
            ranks.append("ts_rank(s.lemma_tsv, %s::tsquery)")
            rank_params.append(lemma_q)
        if form_q:
            conds.append("s.form_tsv @@ %s::tsquery")
            params.append(form_q)
            ranks.append("0.5 * ts_rank(s.form_tsv, %s::tsquery)")
            rank_params.append(form_q)
        where = "(" + " OR ".join(conds or ["false"]) + ")"
        operators = ts_condition(query, prefix)
        if operators is not None:  # AND / NOT / NEAR over both columns; tsqueries ranks
            where, params = operators[0], list(operators[1])
        if filters.types:
            where += (" AND EXISTS (SELECT 1 FROM spans p WHERE p.doc_id = s.doc_id AND"
                      " p.sentence_idx = s.idx AND p.layer = 'ner' AND p.label = ANY(%s))")
            params.append(list(filters.types))
        if filters.year is not None:
            where += (" AND EXISTS (SELECT 1 FROM sentence_years y WHERE y.year = %s AND"
                      " y.doc_id = s.doc_id AND y.sentence_idx = s.idx)")
            params.append(filters.year)
        if filters.documents:
            where += " AND s.doc_id = ANY(%s)"
            params.append(list(filters.documents))
        return where, params, " + ".join(ranks or ["0"]), rank_params

    def match(self, query: Query, filters: Filters, limit: int, offset: int = 0,
              prefix: bool = True) -> tuple[int, list[Match]]:
        where, params, rank, rank_params = self._where(query, filters, prefix)
        source, source_params = "sentences s", []
        if filters.documents:
            # A question's few hundred documents: their sentences read by key and tested one
            # by one; the planner would AND them with the text index's scan of every
            # sentence holding a common word (6 of 8 ms).
            source = "(SELECT * FROM sentences WHERE doc_id = ANY(%s) OFFSET 0) s"
            source_params = [list(filters.documents)]
        # One scan scores every match; the count and the top-N sort both read it (a window
        # function would sort every match; a separate count would scan them twice).
        rows = self._q(
            "WITH m AS MATERIALIZED (SELECT s.doc_id, s.idx, s.start_char, s.end_char,"
            f" {rank} AS score FROM {source} WHERE {where})"
            " SELECT t.*, (SELECT count(*) FROM m) FROM (SELECT * FROM m"
            " ORDER BY score DESC, doc_id, idx LIMIT %s OFFSET %s) t",
            [*rank_params, *source_params, *params, limit, offset])
        if rows:
            total = int(rows[0][5])
        else:
            total = int(self._q(f"SELECT count(*) FROM {source} WHERE {where}",
                                [*source_params, *params])[0][0]) if offset else 0
        return total, [Match(int(r[0]), r[1], r[2], r[3], float(r[4])) for r in rows]

    def match_documents(self, query: Query, filters: Filters, limit: int, offset: int = 0
                        ) -> tuple[int, list[DocMatch]]:
        parts = pg_documents.query_parts(query)
        # filters are about sentences; operators (AND, NOT, NEAR) are matched by sentences
        if filters.narrows() or not parts or query.tree is not None:
            return super().match_documents(query, filters, limit, offset)
        rows = self._q(*pg_documents.ranked_sql(parts, limit, offset))
        total = int(rows[0][2]) if rows else 0
        if not rows and offset:
            total = len(self._q(*pg_documents.ranked_sql(parts, 1_000_000, 0)))
        return total, [DocMatch(int(r[0]), float(r[1])) for r in rows]

    def question_matches(self, query: Query, filters: Filters, keep: int, pool: int,
                         prefix: bool, weight: float) -> tuple[int, list[Match]]:
        """The sentences of the `pool` best documents (BM25 over whole documents, one
        statement that also gives the prior), ranked by score + weight x prior: a question's
        answer stands in a document about it, and ranking every matching sentence of the
        store first (ts_rank over thousands) and the documents again cost twice as much."""
        parts = pg_documents.query_parts(query)
        if filters.narrows() or not parts or query.tree is not None:
            return super().question_matches(query, filters, keep, pool, prefix, weight)
        where, params, _, _ = self._where(query, filters, prefix)
        # The count of every matching sentence (a GIN scan and a heap visit per match) runs
        # on a second connection while this one ranks the documents: neither needs the other.
        counting = self._beside(f"SELECT count(*) FROM sentences s WHERE {where}", params)
        prior = {int(r[0]): float(r[1])
                 for r in self._q(*pg_documents.ranked_sql(parts, pool, 0, total=False))}
        total = int(self._result(counting)[0][0])
        if not prior:
            return 0, []
        _, ranked = self.match(query, Filters(filters.types, filters.year, tuple(prior)),
                               keep, 0, prefix)
        ranked.sort(key=lambda m: -(m.score + weight * prior.get(m.document, 0.0)))
        return total, ranked

    def document_scores(self, query: Query, documents: list[int]) -> dict[int, float]:
        parts = pg_documents.query_parts(query)
        if not documents or not parts:
            return {}
        return {int(r[0]): float(r[1])
                for r in self._q(*pg_documents.scores_sql(parts, documents))}

    def _hit_cte(self, hits: list[tuple[int, int]]) -> tuple[str, list[Any]]:
        cte = "WITH hit AS (SELECT * FROM unnest(%s::bigint[], %s::int[]) AS h (doc_id, idx)) "
        return cte, [[h[0] for h in hits], [h[1] for h in hits]]

    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return self._q(sql, params)

    def known_lemmas(self, forms: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if forms:
            for form, lemma in self._q("SELECT form, lemma FROM lexicon WHERE form = ANY(%s)",
                                       (list(forms),)):
                out.setdefault(form, []).append(lemma)
        return out

    def mention_groups(self, types: tuple[str, ...] = ()) -> list[MentionGroup]:
        sql = ("SELECT label, key, name, doc_id, count(*) FROM spans WHERE layer = 'ner'"
               " AND key IS NOT NULL AND key <> ''")
        params: list[Any] = []
        if types:
            sql += " AND label = ANY(%s)"
            params.append(list(types))
        sql += " GROUP BY label, key, name, doc_id"
        return [MentionGroup(r[0], r[1], r[2] or r[1], int(r[3]), int(r[4]))
                for r in self._q(sql, params)]

    def _beside(self, sql: str, params: list[Any]) -> Future[list[tuple[Any, ...]]]:
        """`sql` started on the store's second connection (opened on first use, with this
        one's settings), in a thread: psycopg waits for the server without the GIL."""
        if self._side is None:
            self._side = self._psycopg.connect(self._url, autocommit=True, connect_timeout=10)
            self._side.execute("SET default_transaction_read_only = on")
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="muragat-pg")
        side = self._side
        return self._pool.submit(lambda: side.execute(sql, params).fetchall())  # type: ignore[arg-type]

    def _result(self, future: Future[list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
        try:
            return future.result()
        except self._psycopg.Error as exc:
            raise StoreError(t(f"{self.url}: сұраныс орындалмады: {exc}",
                               f"{self.url}: query failed: {exc}")) from None

    def close(self) -> None:
        if self._side is not None:
            self._pool.shutdown(wait=True)
            self._side.close()
        self.db.close()
