"""The one store interface both backends implement, and what they return."""

from __future__ import annotations

import hashlib
import json
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from muragat.errors import StoreError
from muragat.i18n import t
from muragat.model import Document
from muragat.store import userdata

if TYPE_CHECKING:  # search imports the store; the store only names search's types
    from muragat.search.edits import EntityEdit
    from muragat.search.entities import MentionGroup
    from muragat.search.query import Query


# Facets count the best this many matching sentences: exact for all but the broadest
# queries, and a broad query's facets describe its best hits, at a bounded cost.
FACET_HITS = 1000

# What reading a damaged store raises besides the driver's own errors: a document body that
# does not decompress, or whose JSON or UTF-8 does not parse (ValueError covers both).
DAMAGE_ERRORS: tuple[type[Exception], ...] = (zlib.error, ValueError)
CHECK_SHOWN = 20  # problems listed by `check`; the rest are counted


def damaged(url: str, exc: BaseException | str) -> StoreError:
    """The error (exit 4) for a store that cannot be read: a message, never a traceback."""
    why = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return StoreError(t(f"{url}: қойма бүлінген не оқылмайды ({why}); тексеру: muragat check",
                        f"{url}: the store is damaged or unreadable ({why}); "
                        "to check it: muragat check"))


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
class DocMatch:
    """A matching document as the document ranking returns it."""

    document: int
    score: float


# A document ranked from its sentences (where no document index serves the query): its best
# sentence, plus this share of the others' scores, so several matching sentences count.
_OTHER_SENTENCES = 0.3
_DOC_FROM_SENTENCES = 2000  # best sentences read to rank documents that way
_MAX_SIMILAR = 12  # stored forms a `~word` also stands for


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
    documents: tuple[int, ...] = ()  # only sentences of these documents (a document's best)

    def narrows(self) -> bool:
        return bool(self.types or self.year is not None or self.documents)


_FACET_TYPES = (
    "SELECT label, count(*) FROM (SELECT DISTINCT p.label, p.doc_id, p.sentence_idx FROM hit"
    " JOIN spans p ON p.doc_id = hit.doc_id AND p.sentence_idx = hit.idx AND p.layer = 'ner')"
    " x GROUP BY label ORDER BY 2 DESC"
)
_FACET_YEARS = (
    "SELECT y.year, count(*) FROM hit JOIN sentence_years y ON y.doc_id = hit.doc_id"
    " AND y.sentence_idx = hit.idx GROUP BY y.year ORDER BY y.year"
)
# Every DATE (a value span, or an NER span the values layer gave a value) and every event,
# with its sentence (the timeline; spans without a value drop out there); no parameters, so the
# same SQL runs on every backend (`substr` is 1-based and counts characters on both).
_DATED_SPANS = (
    "SELECT p.doc_id, p.sentence_idx, p.layer, p.label, p.start_char, p.end_char, p.attrs,"
    " s.start_char, substr(d.text, s.start_char + 1, s.end_char - s.start_char)"
    " FROM spans p JOIN sentences s ON s.doc_id = p.doc_id AND s.idx = p.sentence_idx"
    " JOIN documents d ON d.id = p.doc_id"
    " WHERE (p.layer IN ('value', 'ner') AND p.label = 'DATE') OR p.layer = 'event'"
    " ORDER BY p.doc_id, p.start_char"
)


class Store(ABC):
    """A knowledge store. Every write of a document is one transaction."""

    url: str
    readonly: bool = False
    document_index: bool = False  # whole documents ranked by their own index (BM25F)
    # The database driver's errors that reading can raise (sqlite3.DatabaseError, psycopg.Error).
    driver_errors: tuple[type[Exception], ...] = ()

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

    def match_documents(self, query: Query, filters: Filters, limit: int, offset: int = 0
                        ) -> tuple[int, list[DocMatch]]:
        """(total matching documents, the best `limit` of them).

        This default ranks documents by their best matching sentences; a backend with a
        document index ranks whole documents (BM25F) instead."""
        _, matches = self.match(query.relaxed(), filters, _DOC_FROM_SENTENCES)
        scores: dict[int, list[float]] = {}
        for m in matches:
            scores.setdefault(m.document, []).append(m.score)
        if query.tree is not None and scores:  # operators hold in the document, not a sentence
            within = Filters(documents=tuple(sorted(scores)))  # anywhere in the document
            keep = query.documents(lambda q: {m.document for m in self.match(
                q, within, _DOC_FROM_SENTENCES)[1]})
            scores = {d: v for d, v in scores.items() if d in keep}
        ranked = sorted(((max(v) + _OTHER_SENTENCES * (sum(v) - max(v)), d)
                         for d, v in scores.items()), key=lambda x: (-x[0], x[1]))
        return len(ranked), [DocMatch(d, s) for s, d in ranked[offset : offset + limit]]

    def document_scores(self, query: Query, documents: list[int]) -> dict[int, float]:
        """The document ranking's score of each of these documents that matches (a backend
        with a document index; others have none)."""
        return {}

    def question_matches(self, query: Query, filters: Filters, keep: int, pool: int,
                         prefix: bool, weight: float) -> tuple[int, list[Match]]:
        """A question's sentences: the best `pool` re-ranked by score + weight x their
        document's score, then the rest of the best `keep` (total, ranked)."""
        total, ranked = self.match(query, filters, max(keep, pool), 0, prefix)
        head = ranked[:pool]
        prior = self.document_scores(query, sorted({m.document for m in head}))
        head.sort(key=lambda m: -(m.score + weight * prior.get(m.document, 0.0)))
        return total, head + ranked[pool:]

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

    _param = "?"  # the driver's parameter mark

    def similar_forms(self, form: str) -> list[str]:
        """Stored forms (the lexicon's) a few edits from `form`, with the same first letter:
        what `~word` searches. One scan of the lexicon, the distance counted in Python."""
        from muragat.search.variants import fuzzy_limit, within

        form = form.lower()
        if not form:
            return []
        limit, p = fuzzy_limit(form), self._param
        rows = self._rows(f"SELECT DISTINCT form FROM lexicon WHERE substr(form, 1, 1) = {p}"
                          f" AND length(form) BETWEEN {p} AND {p}",
                          [form[0], len(form) - limit, len(form) + limit])
        near = sorted(f for (f,) in rows if f != form and within(form, f, limit))
        return near[:_MAX_SIMILAR]

    def dated_spans(self) -> list[StoredSpan]:
        """Every DATE value span and every event span, with its sentence, in document order.

        One query for the whole store: what a timeline needs without decoding documents.
        """
        return [StoredSpan(int(r[0]), int(r[1]), r[2], r[3], int(r[4]), int(r[5]),
                           r[6] if isinstance(r[6], dict) else json.loads(r[6]), int(r[7]),
                           r[8] or "")
                for r in self._rows(_DATED_SPANS, [])]

    # -- what people add, apart from the analysis (store/userdata.py) ----------------
    def _write(self, steps: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]]:
        """Run these statements in one transaction (nothing is kept if one fails); the rows
        each returned (`RETURNING`)."""
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        """Whether the schema has this table (an older store opened read-only may not)."""
        raise NotImplementedError

    def entity_edits(self) -> list[EntityEdit]:
        """Every entity edit, in the order made (search.edits.apply_edits applies them)."""
        return userdata.entity_edits(self)

    def add_entity_edits(self, edits: list[EntityEdit]) -> list[EntityEdit]:
        self._check_writable()
        return userdata.add_entity_edits(self, edits)

    def remove_entity_edit(self, edit_id: int) -> EntityEdit | None:
        """Undo an edit: the removed edit, or None when there is no such id."""
        self._check_writable()
        return userdata.remove_entity_edit(self, edit_id)

    def edits_stamp(self) -> tuple[int, ...]:
        """Changes whenever an entity edit is added or undone (caches key on it)."""
        return userdata.stamp(self)

    def document_tags(self, hashes: list[str] | None = None) -> dict[str, list[str]]:
        """{document hash: tags} (a star is the tag userdata.STAR)."""
        return userdata.tags(self, hashes)

    def tagged_hashes(self, tag: str) -> set[str]:
        return userdata.tagged(self, tag)

    def tagged_documents(self, tag: str) -> list[int]:
        """Ids of the stored documents with this tag (userdata.STAR: the starred ones)."""
        return userdata.tagged_ids(self, tag)

    def tag_document(self, digest: str, tag: str, author: str = "") -> bool:
        self._check_writable()
        return userdata.add_tag(self, digest, tag, author)

    def untag_document(self, digest: str, tag: str) -> bool:
        self._check_writable()
        return userdata.remove_tag(self, digest, tag)

    def document_notes(self, hashes: list[str] | None = None) -> list[userdata.Note]:
        return userdata.notes(self, hashes)

    def add_note(self, digest: str, text: str, author: str = "",
                 created: str | None = None) -> userdata.Note:
        self._check_writable()
        return userdata.add_note(self, digest, text, author, created)

    def remove_note(self, note_id: int) -> bool:
        self._check_writable()
        return userdata.remove_note(self, note_id)

    def export_annotations(self) -> list[dict[str, Any]]:
        """Every entity edit, tag and note, for review (`muragat entities edits --export`)."""
        return userdata.export_rows(self)

    def import_annotations(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Exported rows stored in one transaction, what is stored already skipped."""
        self._check_writable()
        return userdata.import_rows(self, rows)

    def settle(self) -> None:
        """After a batch of writes: bring the database's statistics up to date, so that the
        next searches get the plans the indexes were made for (SQLite needs nothing)."""
        return None

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Any error of reading a damaged store becomes StoreError (exit 4) with a message."""
        try:
            yield self
        except StoreError:
            raise
        except (*self.driver_errors, *DAMAGE_ERRORS) as exc:
            raise damaged(self.url, exc) from None

    def integrity_problems(self) -> list[str]:
        """The backend's own full check of its files (empty: sound). PostgreSQL checks its own
        pages; SQLite runs `PRAGMA integrity_check`."""
        return []

    def check(self) -> tuple[int, list[str]]:
        """A full check: (documents read, problems; none when the store is sound). The
        backend's integrity check, then every stored document read back and decoded."""
        problems = list(self.integrity_problems())
        try:
            ids = self.document_ids()
        except (*self.driver_errors, *DAMAGE_ERRORS) as exc:
            return 0, [*problems, t(f"құжаттар тізімі оқылмады: {exc}",
                                    f"the list of documents cannot be read: {exc}")]
        read = 0
        for doc_id in ids:
            try:
                doc = self.get_document(doc_id)
                if doc.sentences and doc.sentences[-1].end > len(doc.text):
                    raise ValueError("sentence offsets beyond the text")
                read += 1
            except (StoreError, *self.driver_errors, *DAMAGE_ERRORS, KeyError, TypeError,
                    IndexError) as exc:
                problems.append(t(f"құжат {doc_id}: {type(exc).__name__}: {exc}",
                                  f"document {doc_id}: {type(exc).__name__}: {exc}"))
        return read, problems

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(t(f"{self.url}: қойма тек оқуға ашылған",
                               f"{self.url}: the store is open read-only"))

    def resolve(self, ref: str) -> int:
        found = self.find_document(ref)
        if found is None:
            raise StoreError(t(f"қоймада мұндай құжат жоқ: {ref}", f"no such document: {ref}"))
        return found
