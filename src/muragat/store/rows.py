"""A Document flattened into the rows both backends store.

The full-text index sees each sentence twice: as a stream of lemma terms and as a stream of
surface-form terms. Terms are split here, in Python, the same way for documents and for
queries, so SQLite FTS5 and PostgreSQL tsvector index exactly the same strings and a phrase
query matches the same adjacent positions on both backends.
"""

from __future__ import annotations

import bisect
import json
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from muragat.model import Document, Range, Token
from muragat.terms import mention_key, terms
from muragat.values import valued

# Letters and digits only: FTS5's unicode61 treats everything else as a separator.
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_YEAR_SPAN_LIMIT = 60  # a DATE interval wider than this is not a year facet

NER_LAYER = "ner"
VALUE_LAYER = "value"


def token_form(doc: Document, tok: Token) -> str:
    return doc.text[tok.start : tok.end]


def token_lemma(doc: Document, tok: Token) -> str:
    """The lemma when morphology ran, else the normalized (or original) form."""
    if tok.lemma:
        return tok.lemma
    return tok.norm or doc.text[tok.start : tok.end]


@dataclass(slots=True)
class SentenceRow:
    idx: int
    start: int
    end: int
    lemma_terms: list[str]
    form_terms: list[str]
    years: set[int] = field(default_factory=set)


@dataclass(slots=True)
class SpanRow:
    sentence_idx: int
    layer: str
    label: str
    start: int
    end: int
    attrs: dict[str, Any]
    name: str | None = None  # base form of an entity mention
    key: str | None = None  # consolidation key of an entity mention


def doc_sentences(doc: Document) -> list[Range]:
    """The document's sentences, or the whole text as one when no layer split it."""
    if doc.sentences:
        return doc.sentences
    return [Range(0, len(doc.text))] if doc.text else []


def _sentence_of(starts: list[int], offset: int) -> int:
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def years_of_value(value: str) -> set[int]:
    """Years covered by an ISO-like DATE value: "1929", "1929-09-30", "1929/1931"."""
    found = [int(y) for y in _YEAR.findall(value)]
    if not found:
        return set()
    lo, hi = min(found), max(found)
    if "/" in value and hi - lo <= _YEAR_SPAN_LIMIT:
        return set(range(lo, hi + 1))
    return set(found)


def mention_name(doc: Document, span_start: int, span_end: int, attrs: dict[str, Any],
                 tokens: list[Token]) -> str:
    """The base form of a mention: the body a bare head refers to (NER's `refers`: `Комитет`
    right after the committee named in full), NER's own lemma, else the tokens' lemmas, else
    the text."""
    lemma = attrs.get("refers") or attrs.get("lemma")
    if isinstance(lemma, str) and lemma.strip():
        return " ".join(lemma.split())
    inside = [t for t in tokens if t.start >= span_start and t.end <= span_end]
    if inside and any(t.lemma for t in inside):
        return " ".join(token_lemma(doc, t) for t in inside)
    return " ".join(doc.text[span_start:span_end].split())


def lexicon_pairs(doc: Document) -> set[tuple[str, str]]:
    """(form, lemma) pairs of the tokens morphology lemmatized, as index terms."""
    out: set[tuple[str, str]] = set()
    for tok in doc.tokens:
        if tok.lemma:
            form = " ".join(terms(doc.text[tok.start : tok.end]))
            lemma = " ".join(terms(tok.lemma))
            if form and lemma:
                out.add((form, lemma))
    return out


def document_rows(doc: Document) -> tuple[list[SentenceRow], list[SpanRow]]:
    """Sentence rows (terms, years) and span rows (with sentence index and entity key)."""

    sents = doc_sentences(doc)
    starts = [s.start for s in sents]
    rows = [SentenceRow(i, s.start, s.end, [], []) for i, s in enumerate(sents)]
    for tok in doc.tokens:
        row = rows[_sentence_of(starts, tok.start)] if rows else None
        if row is None:
            break
        row.lemma_terms.extend(terms(token_lemma(doc, tok)))
        row.form_terms.extend(terms(token_form(doc, tok)))
    if not doc.tokens:  # no tokenizer ran: index surface words as their own lemmas
        for row in rows:
            row.form_terms = terms(doc.text[row.start : row.end])
            row.lemma_terms = list(row.form_terms)
    spans: list[SpanRow] = []
    has_dates = False
    for span in doc.spans:
        idx = _sentence_of(starts, span.start) if rows else 0
        out = SpanRow(idx, span.layer, span.label, span.start, span.end, dict(span.attrs))
        if span.layer == NER_LAYER:
            out.name = mention_name(doc, span.start, span.end, span.attrs, doc.tokens)
            out.key = mention_key(span.label, out.name)
        if rows and valued([span], "DATE"):  # a value span, or an NER span holding a value
            has_dates = True
            rows[idx].years |= years_of_value(str(span.attrs.get("value", "")))
        spans.append(out)
    if not has_dates:  # no values layer: a bare four-digit year still makes a facet
        for row in rows:
            row.years = {int(y) for y in _YEAR.findall(doc.text[row.start : row.end])}
    return rows, spans


@dataclass(slots=True)
class DocumentRow:
    """A whole document as the document index sees it: the fields BM25F weighs apart."""

    title: list[str]  # the title's words (meta `title`), where the source has one
    names: list[str]  # entity base forms and value texts: what a question names exactly
    lemma_terms: list[str]
    form_terms: list[str]


def document_row(doc: Document, sentences: list[SentenceRow], spans: list[SpanRow]
                 ) -> DocumentRow:
    """The document-index row built from the rows `document_rows` gave."""
    title = doc.meta.get("title")
    names: list[str] = []
    for p in spans:
        if p.layer == VALUE_LAYER or (p.layer == NER_LAYER and "value" in p.attrs):
            names.extend(terms(doc.text[p.start : p.end]))  # a value is named as written
        elif p.layer == NER_LAYER and p.name:
            names.extend(terms(p.name))
    return DocumentRow(terms(title) if isinstance(title, str) else [], names,
                       [x for s in sentences for x in s.lemma_terms],
                       [x for s in sentences for x in s.form_terms])


# -- the compact body: everything of a Document but its text and spans -------------------
def encode_body(doc: Document) -> bytes:
    data = doc.to_dict()
    for key in ("text", "spans", "meta", "schema"):
        data.pop(key, None)
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def decode_document(text: str, body: bytes, spans: list[dict[str, Any]],
                    meta: dict[str, Any]) -> Document:
    data = json.loads(zlib.decompress(body))
    data.update({"schema": "muragat.document/1", "text": text, "spans": spans, "meta": meta})
    return Document.from_dict(data)
