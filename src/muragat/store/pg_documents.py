"""Whole documents ranked by BM25 in PostgreSQL, the way SQLite's FTS5 `document_fts` ranks them.

PostgreSQL's `ts_rank` knows no document frequencies, so a question's common words weigh as
much as its rare ones (KazQAD dev R@10 0.850 with documents ranked from their sentences, 0.934
for FTS5's BM25). Here each document's terms are kept in `document_terms` with their weighted
counts, once as a lemma (title + 0.5 x names + lemmas: what a lemma unit matches) and once as a
form (title + forms: what a surface word or stem prefix matches), the sum over fields FTS5
weighs, made at ingest; a query's units (a phrase as all of its terms) are scored with FTS5's
bm25 formula: idf = log((N - n + 0.5) / (n + 0.5)) floored at 1e-6, and the weighted count
saturated with k1 = 1.2, b = 0.75 against the document's whole length.
A phrase has no positions here: a document holding all of its terms matches it, with the
smallest of their counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from muragat.search.query import Clause, Query

FIELDS = ("title", "names", "lemma", "form")
WEIGHTS = (1.0, 0.5, 1.0, 1.0)  # as SQLite's DOC_WEIGHTS: an entity name counts half
LEMMA, FORM = 0, 1  # the two kinds of index row: fields a lemma unit / a surface unit matches
KIND_FIELDS = {LEMMA: (0, 1, 2), FORM: (0, 3)}
K1, B = 1.2, 0.75

# MATERIALIZED: once per query (inlined, the planner re-ran the statistics per matching row).
# The document's length rides on every term row, and the key index includes the counts: a
# query reads the index only (its rows of a term lie together; the heap's do not).
MIGRATION = [
    """CREATE TABLE document_terms (
        kind SMALLINT NOT NULL, term TEXT COLLATE "C" NOT NULL,
        doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        f REAL NOT NULL, length INTEGER NOT NULL,
        PRIMARY KEY (kind, term, doc_id) INCLUDE (f, length))""",
    "CREATE INDEX document_terms_doc ON document_terms (doc_id)",
    """CREATE TABLE document_lengths (
        doc_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        length INTEGER NOT NULL)""",
]


@dataclass(frozen=True, slots=True)
class Part:
    """One term of a unit: the range [lo, hi) of index terms of one kind it matches."""

    unit: int
    lo: str
    hi: str
    kind: int  # LEMMA or FORM


def term_rows(fields: tuple[list[str], list[str], list[str], list[str]]
              ) -> list[tuple[int, str, float]]:
    """(kind, term, weighted count) of a document's four fields."""
    counts = [Counter(terms) for terms in fields]
    out: list[tuple[int, str, float]] = []
    for kind, wanted in KIND_FIELDS.items():
        total: Counter[str] = Counter()
        for i in wanted:
            for term, n in counts[i].items():
                total[term] += WEIGHTS[i] * n
        out.extend((kind, term, f) for term, f in sorted(total.items()))
    return out


def length(fields: tuple[list[str], list[str], list[str], list[str]]) -> int:
    """The document's length as BM25 counts it: every term of every field."""
    return sum(map(len, fields))


def _range(term: str, prefix: bool) -> tuple[str, str]:
    # In the C collation every term starting with `term` sorts in [term, term + U+10FFFF);
    # an exact term is alone in [term, term + U+0001).
    return term, term + ("\U0010ffff" if prefix else "\x01")


def _clause_units(c: Clause, stem: bool) -> list[list[tuple[str, str, int]]]:
    """The units of one clause, each a list of (lo, hi, kind) its terms must all match."""
    if c.exact:
        return [[(*_range(f, False), FORM) for f in c.forms]]
    units = [[(*_range(x, False), LEMMA) for x in v] for v in c.variants]
    surface = [c.surface(j, stem) for j in range(len(c.forms))]
    units.append([(*_range(term, p), FORM) for term, p in surface])
    return units


def query_parts(query: Query, boost: bool = False) -> list[Part]:
    """Every unit's parts; `boost` keeps the phrase a parse adds for free words (as FTS5's
    document ranking does, though here without positions it counts the same words twice)."""
    parts: list[Part] = []
    unit = 0
    for c in query.clauses:
        if c.boost and not boost:
            continue
        for terms in _clause_units(c, stem=True):
            parts.extend(Part(unit, lo, hi, kind) for lo, hi, kind in terms)
            unit += 1
    return parts


_SCAN = """CROSS JOIN LATERAL (  -- one index range per row (OFFSET 0: never a hash join
        SELECT doc_id, f, length FROM document_terms d   -- over the whole table)
        WHERE d.kind = q.kind AND d.term >= q.lo COLLATE "C" AND d.term < q.hi COLLATE "C"
        OFFSET 0) t"""

# A unit of one part (a lemma, a word, a stem) is one aggregation of its index rows; only a
# phrase's parts are summed apart and then required together (two aggregations over every
# row of a question cost half its time). idf is computed once per unit, not per row.
_SCORED = f"""
WITH q AS (SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::text[], %s::text[],
                                %s::smallint[]) AS q (part, unit, parts, lo, hi, kind)),
unit_hits AS MATERIALIZED (
    SELECT q.unit, t.doc_id, max(t.length) AS length, sum(t.f)::float8 AS f
    FROM q {_SCAN} WHERE q.parts = 1 GROUP BY q.unit, t.doc_id
    UNION ALL
    SELECT unit, doc_id, max(length), min(f) FROM (
        SELECT q.unit, max(q.parts) AS parts, t.doc_id, max(t.length) AS length,
               sum(t.f)::float8 AS f
        FROM q {_SCAN} WHERE q.parts > 1 GROUP BY q.part, q.unit, t.doc_id) p
    GROUP BY unit, doc_id HAVING count(*) = max(parts)),
df AS MATERIALIZED (SELECT unit, count(*) AS n FROM unit_hits GROUP BY unit),
idf AS MATERIALIZED (
    SELECT df.unit, greatest(ln((s.n - df.n + 0.5) / (df.n + 0.5)), 1e-6) AS w, s.avgdl
    FROM df CROSS JOIN (SELECT count(*)::float8 AS n, coalesce(avg(length), 1)::float8 AS avgdl
                        FROM document_lengths) s),
scored AS (
    SELECT u.doc_id, sum(i.w * u.f * ({K1} + 1)
                         / (u.f + {K1} * (1 - {B} + {B} * u.length / i.avgdl))) AS score
    FROM unit_hits u JOIN idf i USING (unit)
    GROUP BY u.doc_id)
"""


def _arrays(parts: list[Part]) -> list[Any]:
    """The query table: one row per part, each one contiguous range of the (kind, term,
    doc_id) index."""
    size = Counter(p.unit for p in parts)
    return [list(range(len(parts))), [p.unit for p in parts], [size[p.unit] for p in parts],
            [p.lo for p in parts], [p.hi for p in parts], [p.kind for p in parts]]


def ranked_sql(parts: list[Part], limit: int, offset: int, total: bool = True
               ) -> tuple[str, list[Any]]:
    """SQL giving (doc_id, score, total matching documents), best first; without `total`,
    (doc_id, score) alone (counting every matching document costs a fifth of the statement)."""
    sql = _SCORED + ("SELECT doc_id, score" + (", count(*) OVER ()" if total else "")
                     + " FROM scored ORDER BY score DESC, doc_id LIMIT %s OFFSET %s")
    return sql, [*_arrays(parts), limit, offset]


def scores_sql(parts: list[Part], documents: list[int]) -> tuple[str, list[Any]]:
    """SQL giving (doc_id, score) of these documents (statistics from the whole index)."""
    return _SCORED + "SELECT doc_id, score FROM scored WHERE doc_id = ANY(%s)", \
        [*_arrays(parts), list(documents)]
