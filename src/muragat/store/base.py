"""The one store interface both backends implement, and what they return."""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from muragat.errors import StoreError
from muragat.i18n import t
from muragat.model import Document

if TYPE_CHECKING:  # search imports the store; the store only names search's types
    from muragat.search.entities import MentionGroup
    from muragat.search.query import Query


# Facets count the best this many matching sentences: exact for all but the broadest
# queries, and a broad query's facets describe its best hits, at a bounded cost.
FACET_HITS = 1000


def content_hash(text: str) -> str:
    """Identity of a document: the same text ingested twice is stored once."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass(slots=True)
class Match:
    """A matching sentence as the index returns it (text and snippet come later)."""

    document: int
    sentence: int
    start: int
    end: int
    score: float


@dataclass(slots=True)
class DocInfo:
    id: int
    hash: str
    source: str | None
    meta: dict[str, Any]
    sentences: int


@dataclass(slots=True)
class StoredSpan:
    """A stored span with the sentence it lies in (offsets into the document's text)."""

    document: int
    sentence: int
    layer: str
    label: str
    start: int
    end: int
    attrs: dict[str, Any]
    sentence_start: int
    sentence_text: str


@dataclass(slots=True)
class Filters:
    types: tuple[str, ...] = ()
    year: int | None = None


_FACET_TYPES = (
    "SELECT label, count(*) FROM (SELECT DISTINCT p.label, p.doc_id, p.sentence_idx FROM hit"
    " JOIN spans p ON p.doc_id = hit.doc_id AND p.sentence_idx = hit.idx AND p.layer = 'ner')"
    " x GROUP BY label ORDER BY 2 DESC"
)
_FACET_YEARS = (
    "SELECT y.year, count(*) FROM hit JOIN sentence_years y ON y.doc_id = hit.doc_id"
    " AND y.sentence_idx = hit.idx GROUP BY y.year ORDER BY y.year"
)
# Every DATE value and every event, with its sentence (the timeline); no parameters, so the
# same SQL runs on every backend (`substr` is 1-based and counts characters on both).
_DATED_SPANS = (
    "SELECT p.doc_id, p.sentence_idx, p.layer, p.label, p.start_char, p.end_char, p.attrs,"
    " s.start_char, substr(d.text, s.start_char + 1, s.end_char - s.start_char)"
    " FROM spans p JOIN sentences s ON s.doc_id = p.doc_id AND s.idx = p.sentence_idx"
    " JOIN documents d ON d.id = p.doc_id"
    " WHERE (p.layer = 'value' AND p.label = 'DATE') OR p.layer = 'event'"
    " ORDER BY p.doc_id, p.start_char"
)


class Store(ABC):
    """A knowledge store. Every write of a document is one transaction."""

    url: str
    readonly: bool = False

    # -- writing ---------------------------------------------------------------------
    @abstractmethod
    def has_hash(self, digest: str) -> bool: ...

    @abstractmethod
    def add_document(self, doc: Document, digest: str, source: str | None) -> int | None:
        """Store `doc` in one transaction; its id, or None when the hash is already stored."""

    # -- reading ---------------------------------------------------------------------
    @abstractmethod
    def counts(self) -> dict[str, int]: ...

    @abstractmethod
    def document_ids(self) -> list[int]: ...

    @abstractmethod
    def doc_info(self, doc_id: int) -> DocInfo | None: ...

    @abstractmethod
    def find_document(self, ref: str) -> int | None:
        """A document id from an id, a hash prefix (>= 6 hex digits) or a source path."""

    @abstractmethod
    def get_document(self, doc_id: int) -> Document: ...

    @abstractmethod
    def sentence_texts(self, matches: list[Match]) -> list[str]:
        """The original text of each matched sentence, in order."""

    @abstractmethod
    def match(self, query: Query, filters: Filters, limit: int, offset: int = 0,
              prefix: bool = True) -> tuple[int, list[Match]]:
        """(total matching sentences, the best `limit` of them)."""

    def facets(self, hits: list[tuple[int, int]]) -> dict[str, dict[str, int]]:
        """These (document, sentence) hits counted by entity type and by year.

        The counting SQL is the same on every backend; only how the hit list reaches the
        database (the `hit` CTE and its parameters) differs.
        """
        if not hits:
            return {"type": {}, "year": {}}
        cte, params = self._hit_cte(hits)
        types = self._rows(cte + _FACET_TYPES, params)
        years = self._rows(cte + _FACET_YEARS, params)
        return {"type": {str(k): int(v) for k, v in types},
                "year": {str(k): int(v) for k, v in years}}

    @abstractmethod
    def _hit_cte(self, hits: list[tuple[int, int]]) -> tuple[str, list[Any]]:
        """`WITH hit AS (…) ` giving (doc_id, idx) rows for `hits`, and its parameters."""

    @abstractmethod
    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """All rows of a read query; database errors become StoreError."""

    @abstractmethod
    def known_lemmas(self, forms: list[str]) -> dict[str, list[str]]:
        """The lemmas the pipeline gave each of these (lowercased) forms in stored texts."""

    @abstractmethod
    def mention_groups(self, types: tuple[str, ...] = ()) -> list[MentionGroup]: ...

    def dated_spans(self) -> list[StoredSpan]:
        """Every DATE value span and every event span, with its sentence, in document order.

        One query for the whole store: what a timeline needs without decoding documents.
        """
        return [StoredSpan(int(r[0]), int(r[1]), r[2], r[3], int(r[4]), int(r[5]),
                           r[6] if isinstance(r[6], dict) else json.loads(r[6]), int(r[7]),
                           r[8] or "")
                for r in self._rows(_DATED_SPANS, [])]

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(t(f"{self.url}: қойма тек оқуға ашылған",
                               f"{self.url}: the store is open read-only"))

    def resolve(self, ref: str) -> int:
        found = self.find_document(ref)
        if found is None:
            raise StoreError(t(f"қоймада мұндай құжат жоқ: {ref}", f"no such document: {ref}"))
        return found
