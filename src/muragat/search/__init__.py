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
from muragat.store.base import FACET_HITS, Filters, Store
from muragat.store.rows import WORD

__all__ = ["Hit", "SearchResult", "parse", "search", "search_batch", "trec_lines"]



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
    query = parse(text, store.known_lemmas) if isinstance(text, str) else text
    filters = Filters(tuple(x.upper() for x in types), year)
    # One ranking serves the page and the facets (over the best FACET_HITS matches).
    keep = max(limit + offset, FACET_HITS if facets else 0)
    total, ranked = store.match(query, filters, keep, 0, prefix)
    matches = ranked[offset : offset + limit]
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
    found = store.facets([(m.document, m.sentence) for m in ranked[:FACET_HITS]]) \
        if facets and total else {}
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
