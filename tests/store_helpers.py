"""Helpers shared by the store and search tests (fixtures live in store_fixtures.py)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

from muragat.model import Document, Range, Span, Token
from muragat.store import Store, content_hash

DATA = Path(__file__).parent / "data" / "store_docs"
PG_ENV = "MURAGAT_TEST_PG_URL"
BACKENDS = ["sqlite", "postgres"]


def pg_url_with_schema(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def pg_schema(base: str, prefix: str = "t_") -> Iterator[str]:
    """A fresh PostgreSQL schema on server `base`, as a store URL; dropped afterwards."""
    import psycopg

    schema = prefix + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_url_with_schema(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


# -- documents built by hand: the store is tested apart from the analysis layers -----------
# A few hand-checked lemmas, standing in for morphology where a test needs real lemmas
# (`кітабын` -> `кітап` shows a lemma match that no prefix match could make).
LEMMAS = {"ауданындағы": "аудан", "ауданына": "аудан", "аудандары": "аудан",
          "тоғжановтың": "Тоғжанов", "комиссиялар": "комиссия", "кітабын": "кітап",
          "кітабы": "кітап", "жариялады": "жарияла", "газетінде": "газет"}


def hand_doc(text: str, ner: list[tuple[str, str, str | None]] = (),  # type: ignore[assignment]
             dates: list[tuple[str, str]] = (), meta: dict | None = None) -> Document:  # type: ignore[assignment]
    """Sentences split at newlines, tokens at spaces/punctuation, lemmas from LEMMAS;
    `ner` is (surface, label, base form) and `dates` (surface, ISO value), found by search."""
    import re

    doc = Document(text=text, meta=dict(meta or {}))
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            doc.sentences.append(Range(pos, pos + len(line)))
        pos += len(line) + 1
    doc.paragraphs = [Range(0, len(text))]
    for m in re.finditer(r"\w+|[^\w\s]", text):
        word = m.group()
        doc.tokens.append(Token(m.start(), m.end(), word, LEMMAS.get(word.lower(), word.lower())))
    spans = []
    for surface, label, lemma in ner:
        at = text.index(surface)
        spans.append(Span("ner", label, at, at + len(surface), {"lemma": lemma} if lemma else {}))
    for surface, value in dates:
        at = text.index(surface)
        spans.append(Span("value", "DATE", at, at + len(surface), {"value": value}))
    doc.add_spans(spans)
    return doc


def add(store: Store, doc: Document, source: str = "hand") -> int:
    doc_id = store.add_document(doc, content_hash(doc.text), source)
    assert doc_id is not None
    return doc_id
