"""What people add to an archive, kept apart from the analysis: entity edits, document tags
(a star is the tag `★`) and notes. Schema migration 4 of both backends.

Nothing here points at an analysis row: documents are named by their content hash
(`documents.hash`), entities by a mention name (`search.edits`), so deleting documents,
ingesting the same texts again or analysing them anew keeps every tag, note and edit. The
SQL is the same on both backends; the store runs it (`Store._write`, `Store._rows`), each
write in one transaction, so a failed write leaves what was stored as it was.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from muragat.errors import InputError
from muragat.i18n import t

if TYPE_CHECKING:  # imported when used: muragat.search's package imports the store
    from muragat.search.edits import EntityEdit

TABLES = ("entity_edits", "document_tags", "document_notes")
STAR = "★"  # a star is this tag: one per document, whoever set it
MAX_TAG = 64
MAX_NOTE = 10_000
_HASH = re.compile(r"^[0-9a-f]{64}$")


def ddl(serial: str) -> list[str]:
    """Migration 4; `serial` is the backend's auto-increment primary key column type. No
    foreign key to `documents`: a tag outlives its document's rows (re-ingest, re-analysis)."""
    return [
        f"""CREATE TABLE IF NOT EXISTS entity_edits (id {serial}, op TEXT NOT NULL,
            label TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL DEFAULT '',
            value_label TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS document_tags (hash TEXT NOT NULL, tag TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, PRIMARY KEY (hash, tag))""",
        "CREATE INDEX IF NOT EXISTS document_tags_tag ON document_tags (tag)",
        f"""CREATE TABLE IF NOT EXISTS document_notes (id {serial}, hash TEXT NOT NULL,
            text TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS document_notes_hash ON document_notes (hash)",
    ]


class _Store(Protocol):  # what of Store this module uses (no import: base imports this)
    _param: str
    readonly: bool

    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]: ...
    def _write(self, steps: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]]: ...
    def has_table(self, name: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    hash: str
    text: str
    author: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "hash": self.hash, "text": self.text, "author": self.author,
                "created": self.created}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_tag(tag: str) -> str:
    tag = unicodedata.normalize("NFC", tag.strip())
    if not tag or len(tag) > MAX_TAG or any(unicodedata.category(c)[0] in "CZ" and c != " "
                                            for c in tag):
        raise InputError(t(f"тег жарамсыз: {tag[:70]!r} (бос емес, {MAX_TAG} таңбаға дейін, "
                           "басқару таңбасыз)", f"not a usable tag: {tag[:70]!r} (non-empty, "
                           f"up to {MAX_TAG} characters, no control characters)"))
    return tag


def check_note(text: str) -> str:
    text = unicodedata.normalize("NFC", text.strip())
    if not text or len(text) > MAX_NOTE or "\x00" in text:
        raise InputError(t(f"жазба бос емес, {MAX_NOTE} таңбаға дейін болуы керек",
                           f"a note must be non-empty, up to {MAX_NOTE} characters"))
    return text


def check_hash(digest: str) -> str:
    if not _HASH.match(digest):
        raise InputError(t(f"құжат хэші жарамсыз: {digest[:70]!r}",
                           f"not a document hash: {digest[:70]!r}"))
    return digest


def _marks(store: _Store, n: int) -> str:
    return ", ".join([store._param] * n)


# -- entity edits ------------------------------------------------------------------------
_EDIT_COLUMNS = "id, op, label, name, value, value_label, author, created"


def _edit(row: tuple[Any, ...]) -> EntityEdit:
    from muragat.search.edits import EntityEdit

    return EntityEdit(str(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5]),
                      int(row[0]), str(row[6]), str(row[7]))


def entity_edits(store: _Store) -> list[EntityEdit]:
    if not store.has_table("entity_edits"):
        return []
    return [_edit(r) for r in store._rows(f"SELECT {_EDIT_COLUMNS} FROM entity_edits"
                                          " ORDER BY id", [])]


def add_entity_edits(store: _Store, edits: list[EntityEdit]) -> list[EntityEdit]:
    """Store these edits (checked first) in one transaction; each with its id."""
    from muragat.search.edits import check_edit

    edits = [check_edit(e) for e in edits]
    p = _marks(store, 7)
    steps = [(f"INSERT INTO entity_edits (op, label, name, value, value_label, author, created)"
              f" VALUES ({p}) RETURNING {_EDIT_COLUMNS}",
              [e.op, e.label, e.name, e.value, e.value_label, e.author, e.created or now()])
             for e in edits]
    return [_edit(rows[0]) for rows in store._write(steps)]


def remove_entity_edit(store: _Store, edit_id: int) -> EntityEdit | None:
    if not store.has_table("entity_edits"):
        return None
    rows = store._write([(f"DELETE FROM entity_edits WHERE id = {store._param}"
                          f" RETURNING {_EDIT_COLUMNS}", [edit_id])])[0]
    return _edit(rows[0]) if rows else None


def stamp(store: _Store) -> tuple[int, ...]:
    """Changes whenever an edit is added or undone (ids are never reused)."""
    if not store.has_table("entity_edits"):
        return (0, 0)
    row = store._rows("SELECT count(*), coalesce(max(id), 0) FROM entity_edits", [])[0]
    return (int(row[0]), int(row[1]))


# -- tags, stars, notes ------------------------------------------------------------------
def tags(store: _Store, hashes: list[str] | None = None) -> dict[str, list[str]]:
    """{hash: tags in the order they were added} of these documents (all when None)."""
    if not store.has_table("document_tags") or hashes == []:
        return {}
    sql, params = "SELECT hash, tag FROM document_tags", []
    if hashes is not None:
        sql += f" WHERE hash IN ({_marks(store, len(hashes))})"
        params = list(hashes)
    out: dict[str, list[str]] = {}
    for digest, tag in store._rows(sql + " ORDER BY created, tag", params):
        out.setdefault(str(digest), []).append(str(tag))
    return out


def tagged(store: _Store, tag: str) -> set[str]:
    """Hashes of the documents that carry `tag`."""
    if not store.has_table("document_tags"):
        return set()
    return {str(r[0]) for r in store._rows(
        f"SELECT hash FROM document_tags WHERE tag = {store._param}", [tag])}


def tagged_ids(store: _Store, tag: str) -> list[int]:
    """Ids of the stored documents that carry `tag`, in order."""
    if not store.has_table("document_tags"):
        return []
    return [int(r[0]) for r in store._rows(
        "SELECT d.id FROM documents d JOIN document_tags g ON g.hash = d.hash"
        f" WHERE g.tag = {store._param} ORDER BY d.id", [tag])]


def add_tag(store: _Store, digest: str, tag: str, author: str = "") -> bool:
    """True when the tag is new on this document."""
    p = _marks(store, 4)
    rows = store._write([(f"INSERT INTO document_tags (hash, tag, author, created) VALUES ({p})"
                          " ON CONFLICT (hash, tag) DO NOTHING RETURNING tag",
                          [check_hash(digest), check_tag(tag), author[:64], now()])])[0]
    return bool(rows)


def remove_tag(store: _Store, digest: str, tag: str) -> bool:
    if not store.has_table("document_tags"):
        return False
    p = store._param
    rows = store._write([(f"DELETE FROM document_tags WHERE hash = {p} AND tag = {p}"
                          " RETURNING tag", [digest, tag.strip()])])[0]
    return bool(rows)


def notes(store: _Store, hashes: list[str] | None = None) -> list[Note]:
    if not store.has_table("document_notes") or hashes == []:
        return []
    sql, params = "SELECT id, hash, text, author, created FROM document_notes", []
    if hashes is not None:
        sql += f" WHERE hash IN ({_marks(store, len(hashes))})"
        params = list(hashes)
    return [Note(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]))
            for r in store._rows(sql + " ORDER BY id", params)]


def add_note(store: _Store, digest: str, text: str, author: str = "",
             created: str | None = None) -> Note:
    p = _marks(store, 4)
    rows = store._write([(f"INSERT INTO document_notes (hash, text, author, created)"
                          f" VALUES ({p}) RETURNING id, hash, text, author, created",
                          [check_hash(digest), check_note(text), author[:64],
                           created or now()])])[0]
    r = rows[0]
    return Note(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]))


def remove_note(store: _Store, note_id: int) -> bool:
    if not store.has_table("document_notes"):
        return False
    rows = store._write([(f"DELETE FROM document_notes WHERE id = {store._param} RETURNING id",
                          [note_id])])[0]
    return bool(rows)


# -- review: export and import as JSON lines -----------------------------------------------
def export_rows(store: _Store) -> list[dict[str, Any]]:
    """Every edit, tag and note as plain dicts (`kind`: entity_edit, tag, note)."""
    out: list[dict[str, Any]] = [{"kind": "entity_edit", **e.to_dict()}
                                 for e in entity_edits(store)]
    if store.has_table("document_tags"):
        out += [{"kind": "tag", "document": str(r[0]), "tag": str(r[1]), "author": str(r[2]),
                 "created": str(r[3])} for r in store._rows(
            "SELECT hash, tag, author, created FROM document_tags ORDER BY created, hash, tag",
            [])]
    out += [{"kind": "note", "document": n.hash, "text": n.text, "author": n.author,
             "created": n.created} for n in notes(store)]
    return out


def _same_edit(e: EntityEdit) -> tuple[str, ...]:
    return (e.op, e.label, e.name, e.value, e.value_label)


def import_rows(store: _Store, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Store exported rows in one transaction; what is already stored (the same edit, tag or
    note) is skipped, so importing a file twice adds nothing. Every row is checked before
    anything is written: one bad row and nothing is imported (InputError says which)."""
    from muragat.search.edits import EntityEdit

    have_edits = {_same_edit(e) for e in entity_edits(store)}
    have_notes = {(n.hash, n.text) for n in notes(store)}
    have_tags = {(h, tag) for h, found in tags(store).items() for tag in found}
    steps: list[tuple[str, list[Any]]] = []
    counts = {"entity_edit": 0, "tag": 0, "note": 0}
    for i, row in enumerate(rows, 1):
        try:
            kind = row.get("kind") if isinstance(row, dict) else None
            if kind == "entity_edit":
                edit = EntityEdit.from_dict({k: v for k, v in row.items() if k != "id"})
                if _same_edit(edit) in have_edits:
                    continue
                have_edits.add(_same_edit(edit))
                p = _marks(store, 7)
                steps.append((f"INSERT INTO entity_edits (op, label, name, value, value_label,"
                              f" author, created) VALUES ({p})",
                              [edit.op, edit.label, edit.name, edit.value, edit.value_label,
                               edit.author, edit.created or now()]))
            elif kind == "tag":
                pair = (check_hash(str(row.get("document", ""))), check_tag(str(row.get("tag", ""))))
                if pair in have_tags:
                    continue
                have_tags.add(pair)
                p = _marks(store, 4)
                steps.append((f"INSERT INTO document_tags (hash, tag, author, created) VALUES"
                              f" ({p}) ON CONFLICT (hash, tag) DO NOTHING",
                              [*pair, str(row.get("author") or "")[:64],
                               str(row.get("created") or now())]))
            elif kind == "note":
                digest = check_hash(str(row.get("document", "")))
                text = check_note(str(row.get("text", "")))
                if (digest, text) in have_notes:
                    continue
                have_notes.add((digest, text))
                p = _marks(store, 4)
                steps.append((f"INSERT INTO document_notes (hash, text, author, created)"
                              f" VALUES ({p})", [digest, text, str(row.get("author") or "")[:64],
                                                 str(row.get("created") or now())]))
            else:
                raise InputError(t("`kind` entity_edit, tag не note болуы керек",
                                   "`kind` must be entity_edit, tag or note"))
        except InputError as exc:
            raise InputError(t(f"жол {i}: {exc}", f"line {i}: {exc}")) from None
        counts[str(kind)] += 1
    if steps:
        store._write(steps)
    return counts
