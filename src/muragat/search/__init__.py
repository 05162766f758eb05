"""Morphology-aware search over a store: a hit is a sentence, found by lemma.

    from muragat.store import open_store
    from muragat.search import search
    result = search(open_store("muragat.db"), '"Ойыл ауданы" 1929')
    result.to_dict()  # {"total": …, "hits": [{"document", "start", "end", "text", "snippet"}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from muragat.errors import InputError
from muragat.i18n import t
from muragat.search.highlight import matched_words, snippet
from muragat.search.query import Query, parse
from muragat.store.base import FACET_HITS, Filters, Match, Store
from muragat.terms import WORD

_BEST_SENTENCES = 20  # sentences read per document to find each document's best
# A question's sentences: score + DOCUMENT_PRIOR x their document's BM25F score (tuned on
# KazQAD dev half A, notes/issue-21-search.md), among the best _PRIOR_POOL sentences.
DOCUMENT_PRIOR = 1.0
_PRIOR_MIN_WORDS = 3
_PRIOR_POOL = 200

__all__ = ["DocumentHit", "DocumentResult", "Hit", "SearchResult", "parse", "search",
           "search_batch", "search_documents", "trec_lines"]

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
    reading: str = ""  # how the query was read (Query.describe)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "reading": self.reading,
                               "total": self.total, "hits": [h.to_dict() for h in self.hits]}
        if self.facets:
            out["facets"] = self.facets
        return out


@dataclass(slots=True)
class DocumentHit:
    document: int
    score: float
    title: str | None
    source: str | None
    best: Hit | None  # the document's best matching sentence

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "score": round(self.score, 4), "title": self.title,
                "source": self.source, "best": self.best.to_dict() if self.best else None}


@dataclass(slots=True)
class DocumentResult:
    query: str
    total: int
    documents: list[DocumentHit]
    reading: str = ""  # how the query was read (Query.describe)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "reading": self.reading, "total": self.total,
                "documents": [d.to_dict() for d in self.documents]}


def _trim(text: str) -> tuple[int, int]:
    """The (lead, trail) whitespace a segmenter may leave at a sentence's edges."""
    lead = len(text) - len(text.lstrip())
    return lead, len(text) - len(text.rstrip()) if text.strip() else 0


def search(store: Store, text: str | Query, types: Iterable[str] = (), year: int | None = None,
           limit: int = 10, offset: int = 0, facets: bool = True, prefix: bool = True,
           rich: bool = False) -> SearchResult:
    """The best `limit` sentences for a query, with snippets and facets."""
    if limit < 0 or offset < 0:
        raise InputError(t("--limit теріс болмауы керек", "--limit must not be negative"))
    query = parse(text, store.known_lemmas, store.similar_forms) if isinstance(text, str) \
        else text
    filters = Filters(tuple(x.upper() for x in types), year)
    # One ranking serves the page and the facets (over the best FACET_HITS matches).
    keep = max(limit + offset, FACET_HITS if facets else 0)
    if _is_question(store, query):  # a sentence of a document about it ranks above a stray one
        total, ranked = store.question_matches(query, filters, keep, _PRIOR_POOL, prefix,
                                               DOCUMENT_PRIOR)
    else:
        total, ranked = store.match(query, filters, keep, 0, prefix)
    found = store.facets([(m.document, m.sentence) for m in ranked[:FACET_HITS]]) \
        if facets and total else {}
    return SearchResult(query.text, total, _hits(store, query, ranked[offset : offset + limit],
                                                 prefix, rich), found, query.describe())


def _is_question(store: Store, query: Query) -> bool:
    """Several content words, and a store that ranks whole documents: then a sentence's
    rank also counts the passage it stands in."""
    words = [c for c in query.clauses if not c.boost and not c.exact]
    return len(words) >= _PRIOR_MIN_WORDS and store.document_index


def _hits(store: Store, query: Query, matches: list[Match], prefix: bool, rich: bool
          ) -> list[Hit]:
    """Matches with their text, snippet and highlighted words."""
    texts = store.sentence_texts(matches)
    lexicon = store.known_lemmas(sorted({w.lower() for x in texts for w in WORD.findall(x)}))
    hits: list[Hit] = []
    for m, raw in zip(matches, texts, strict=True):
        lead, trail = _trim(raw)
        sentence = raw[lead : len(raw) - trail]
        start = m.start + lead
        marks = matched_words(sentence, query, lexicon, prefix)
        hits.append(Hit(m.document, m.sentence, start, start + len(sentence), m.score, sentence,
                        snippet(sentence, marks, rich),
                        [(start + a, start + b) for a, b in marks]))
    return hits


def search_documents(store: Store, text: str | Query, types: Iterable[str] = (),
                     year: int | None = None, limit: int = 10, offset: int = 0,
                     prefix: bool = True, rich: bool = False) -> DocumentResult:
    """The best `limit` documents for a query (BM25F over title, names, lemmas and forms),
    each with its best matching sentence."""
    if limit < 0 or offset < 0:
        raise InputError(t("--limit теріс болмауы керек", "--limit must not be negative"))
    query = parse(text, store.known_lemmas, store.similar_forms) if isinstance(text, str) \
        else text
    filters = Filters(tuple(x.upper() for x in types), year)
    total, ranked = store.match_documents(query, filters, limit, offset)
    ids = tuple(d.document for d in ranked)
    best: dict[int, Match] = {}
    if ids:  # one sentence query over the page's documents; the first per document wins
        # (relaxed: `a AND b` holds in the document, not necessarily in one sentence)
        _, sentences = store.match(query.relaxed(), Filters(filters.types, year, ids),
                                   _BEST_SENTENCES * len(ids), 0, prefix)
        for m in sentences:
            best.setdefault(m.document, m)
    order = [best[d] for d in ids if d in best]
    hits = dict(zip([m.document for m in order], _hits(store, query, order, prefix, rich),
                    strict=True))
    out: list[DocumentHit] = []
    for d in ranked:
        info = store.doc_info(d.document)
        title = info.meta.get("title") if info else None
        out.append(DocumentHit(d.document, d.score, title if isinstance(title, str) else None,
                               info.source if info else None, hits.get(d.document)))
    return DocumentResult(query.text, total, out, query.describe())


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


def search_batch(store: Store, pairs: Iterable[tuple[str, str]], documents: bool = False,
                 **options: Any
                 ) -> Iterator[tuple[str, SearchResult | DocumentResult | InputError]]:
    """Each query's result, or the InputError that query raised (the others still run)."""
    for qid, query in pairs:
        try:
            if documents:
                options.pop("facets", None)
                yield qid, search_documents(store, query, **options)
            else:
                yield qid, search(store, query, **options)
        except InputError as exc:
            yield qid, exc


def trec_lines(qid: str, result: SearchResult | DocumentResult, run: str = "muragat"
               ) -> list[str]:
    """TREC run lines; a retrieved unit is `DOC:START-END`, a sentence of a document, or
    `DOC`, a document (`--documents`)."""
    if isinstance(result, DocumentResult):
        return [f"{qid} Q0 {d.document} {rank} {d.score:.4f} {run}"
                for rank, d in enumerate(result.documents, 1)]
    return [f"{qid} Q0 {h.document}:{h.start}-{h.end} {rank} {h.score:.4f} {run}"
            for rank, h in enumerate(result.hits, 1)]
