"""Morphology-aware search over a store: a hit is a sentence, found by lemma.

    from muragat.store import open_store
    from muragat.search import search
    result = search(open_store("muragat.db"), '"Ойыл ауданы" 1929')
    result.to_dict()  # {"total": …, "hits": [{"document", "start", "end", "text", "snippet"}]}
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from muragat.errors import InputError
from muragat.i18n import t
from muragat.model import Document
from muragat.search.query import Query, parse
from muragat.store.base import Filters, Store
from muragat.store.rows import terms, token_lemma

__all__ = ["Hit", "SearchResult", "parse", "search", "search_batch", "trec_lines"]

_SPACES = re.compile(r"\s+")
SNIPPET_CHARS = 300


@dataclass(slots=True)
class Hit:
    document: int
    sentence: int
    start: int  # offsets into the document's original text
    end: int
    score: float
    text: str
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "sentence": self.sentence, "start": self.start,
                "end": self.end, "score": round(self.score, 4), "text": self.text,
                "snippet": self.snippet, "highlights": [list(h) for h in self.highlights]}


@dataclass(slots=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "total": self.total,
                               "hits": [h.to_dict() for h in self.hits]}
        if self.facets:
            out["facets"] = self.facets
        return out


def matched_tokens(doc: Document, start: int, end: int, query: Query,
                   prefix: bool = True) -> list[tuple[int, int]]:
    """Offsets of the tokens of doc[start:end] that the query matched (for highlighting)."""
    lemmas, exact = query.lemma_terms(), query.exact_forms()
    prefixes = tuple(query.prefixes()) if prefix else ()
    out: list[tuple[int, int]] = []
    for tok in doc.tokens:
        if tok.end <= start or tok.start >= end:
            continue
        forms = terms(doc.text[tok.start : tok.end])
        if (any(x in lemmas for x in terms(token_lemma(doc, tok)))
                or any(f in exact or f in lemmas for f in forms)
                or any(f.startswith(prefixes) for f in forms)):
            out.append((tok.start, tok.end))
    return out


def _mark(text: str, start: int, end: int, marks: list[tuple[int, int]], rich: bool) -> str:
    """The sentence with matched forms wrapped: `<mark>` (HTML-escaped) or `[ ]` (plain)."""
    esc = html.escape if rich else (lambda s: s)
    open_, close = ("<mark>", "</mark>") if rich else ("[", "]")
    lo, hi = start, end
    if end - start > SNIPPET_CHARS:  # a window around the first match
        first = marks[0][0] if marks else start
        lo = max(start, first - SNIPPET_CHARS * 2 // 5)
        hi = min(end, lo + SNIPPET_CHARS)
    pieces: list[str] = ["…" if lo > start else ""]
    pos = lo
    for a, b in marks:
        if a < pos or b > hi:
            continue
        pieces += [esc(_SPACES.sub(" ", text[pos:a])), open_, esc(text[a:b]), close]
        pos = b
    pieces += [esc(_SPACES.sub(" ", text[pos:hi])), "…" if hi < end else ""]
    return "".join(pieces).strip()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence range without the whitespace a segmenter may leave at its edges."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def search(store: Store, text: str | Query, types: Iterable[str] = (), year: int | None = None,
           limit: int = 10, offset: int = 0, facets: bool = True, prefix: bool = True,
           rich: bool = False) -> SearchResult:
    """The best `limit` sentences for a query, with snippets and facets."""
    if limit < 0 or offset < 0:
        raise InputError(t("--limit теріс болмауы керек", "--limit must not be negative"))
    query = parse(text, store.known_lemmas) if isinstance(text, str) else text
    filters = Filters(tuple(x.upper() for x in types), year)
    total, matches = store.match(query, filters, limit, offset, prefix)
    docs = store.load_bodies([m.document for m in matches])
    hits: list[Hit] = []
    for m in matches:
        doc = docs[m.document]
        m.start, m.end = _trim(doc.text, m.start, m.end)
        marks = matched_tokens(doc, m.start, m.end, query, prefix)
        hits.append(Hit(m.document, m.sentence, m.start, m.end, m.score,
                        doc.text[m.start : m.end], _mark(doc.text, m.start, m.end, marks, rich),
                        marks))
    found = store.facets(query, filters, prefix) if facets and total else {}
    return SearchResult(query.text, total, hits, found)


def read_batch(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(id, query) pairs from `id<TAB>query` lines; blank lines and `#` comments skipped."""
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        qid, tab, query = line.partition("\t")
        if not tab or not qid.strip():
            raise InputError(t(f"{n}-жол: `id<TAB>сұраным` болуы керек: {line[:60]!r}",
                               f"line {n}: expected `id<TAB>query`: {line[:60]!r}"))
        yield qid.strip(), query


def search_batch(store: Store, pairs: Iterable[tuple[str, str]], **options: Any
                 ) -> Iterator[tuple[str, SearchResult | InputError]]:
    """Each query's result, or the InputError that query raised (the others still run)."""
    for qid, query in pairs:
        try:
            yield qid, search(store, query, **options)
        except InputError as exc:
            yield qid, exc


def trec_lines(qid: str, result: SearchResult, run: str = "muragat") -> list[str]:
    """TREC run lines; a retrieved unit is `DOC:START-END`, a sentence of a document."""
    return [f"{qid} Q0 {h.document}:{h.start}-{h.end} {rank} {h.score:.4f} {run}"
            for rank, h in enumerate(result.hits, 1)]
