"""What people add, kept apart from the analysis: entity edits (merge, split, rename,
relabel), document tags, stars and notes; stored in both backends, through the CLI as a
process, and surviving re-ingest and a full re-analysis of the same documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import BACKENDS, add, hand_doc

from muragat.errors import InputError, StoreError
from muragat.search.edits import EntityEdit, apply_edits, edited, resolve_ref
from muragat.search.entities import Entity, MentionGroup, consolidate
from muragat.store import open_store
from muragat.store.userdata import STAR

pytest_plugins = ["store_fixtures"]

# Written for these tests, in the style of the sample. `Мадияр` is Міржақып Дулатов's pen
# name (no consolidation can know it: a merge); the tagger reads the bare `Сәдуақасов` as a
# body (a relabel); `С. Сәдуақасов` is taken to be another man (a split).
TEXT_A = ("Міржақып Дулатов 1913 жылы «Қазақ» газетінде Мадияр деген бүркеншік атпен жазды.\n"
          "Смағұл Сәдуақасов 1925 жылы Қызылорда қаласына келді.\n"
          "С. Сәдуақасов Мәскеуде оқыды.\n"
          "Сәдуақасов Өлкелік комитетте сөз сөйледі.\n")
TEXT_B = "Ғаббас Тоғжанов 1929 жылы Ойыл ауданына барды.\nҒ. Тоғжанов мақала жазды.\n"


# -- apply_edits: a pure function over consolidated entities ------------------------------
def _groups() -> list[MentionGroup]:
    return [MentionGroup("PERSON", "сәдуақасов", "Смағұл Сәдуақасов", 1, 2),
            MentionGroup("PERSON", "сәдуақасов", "С. Сәдуақасов", 2, 1),
            MentionGroup("PERSON", "сәдуақасұлы", "Сәдуақасұлы", 2, 1),
            MentionGroup("ORGANISATION", "алаш", "Алаш", 1, 3)]


def _by_name(entities: list[Entity], name: str) -> Entity:
    (found,) = [e for e in entities if name in e.names]
    return found


def test_each_edit_holds_on_to_a_name_not_an_id() -> None:
    groups = _groups()
    before = consolidate(groups)
    edits = [EntityEdit("merge", "PERSON", "Сәдуақасұлы", "Смағұл Сәдуақасов", "PERSON"),
             EntityEdit("split", "PERSON", "С. Сәдуақасов"),
             EntityEdit("rename", "PERSON", "Сәдуақасұлы", "Смағұл Сәдуақасұлы"),
             EntityEdit("relabel", "ORGANISATION", "Алаш", "GPE")]
    after = apply_edits(before, edits, groups)
    smagul = _by_name(after, "Сәдуақасұлы")
    assert set(smagul.names) == {"Смағұл Сәдуақасов", "Сәдуақасұлы"}
    assert smagul.name == "Смағұл Сәдуақасұлы" and smagul.mentions == 3
    assert smagul.documents == 2  # recounted from the mention groups
    alone = _by_name(after, "С. Сәдуақасов")
    assert alone.names == {"С. Сәдуақасов": 1} and alone.documents == 1 and alone.id != smagul.id
    alash = _by_name(after, "Алаш")
    assert alash.label == "GPE" and alash.id.startswith("GPE:")
    assert len({e.id for e in after}) == len(after)
    assert before == consolidate(groups)  # the input is not changed


def test_an_edit_whose_name_is_gone_is_kept_and_reported() -> None:
    result = edited(consolidate(_groups()), [EntityEdit("rename", "PERSON", "Жоқ", "X"),
                                             EntityEdit("rename", "GPE", "Алаш", "Y")])
    assert result.applied == [False, False]  # Алаш is an ORGANISATION until relabelled


def test_a_relabelled_entity_is_found_by_either_label() -> None:
    edits = [EntityEdit("relabel", "ORGANISATION", "Алаш", "GPE"),
             EntityEdit("rename", "GPE", "Алаш", "Алаш өңірі")]
    result = edited(consolidate(_groups()), edits)
    assert result.applied == [True, True]
    assert _by_name(result.entities, "Алаш").name == "Алаш өңірі"
    assert result.by_name[("ORGANISATION", "Алаш")].startswith("GPE:")


def test_references_resolve_from_an_id_or_a_name() -> None:
    result = edited(consolidate(_groups()), [])
    ident = _by_name(result.entities, "Смағұл Сәдуақасов").id
    assert resolve_ref(result, ident)[0] == "PERSON"
    assert resolve_ref(result, "алаш") == ("ORGANISATION", "Алаш")  # case does not matter
    with pytest.raises(InputError):
        resolve_ref(result, "Ешкім")


@pytest.mark.parametrize("bad", [EntityEdit("drop", "PERSON", "X"),
                                 EntityEdit("rename", "PERSON", "X", ""),
                                 EntityEdit("relabel", "PERSON", "X", "gpe!"),
                                 EntityEdit("merge", "PERSON", "X\x00", "Y", "PERSON")])
def test_bad_edits_are_refused_with_a_message(store, bad: EntityEdit) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError):
        store.add_entity_edits([bad])
    assert store.entity_edits() == []


# -- the store: both backends -----------------------------------------------------------
@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_tags_notes_and_edits_are_stored_by_hash_and_name(store) -> None:  # type: ignore[no-untyped-def]
    doc_id = add(store, hand_doc(TEXT_B, ner=[("Ғаббас Тоғжанов", "PERSON", None)]))
    digest = store.doc_info(doc_id).hash
    assert store.tag_document(digest, "1929", "aigerim")
    assert not store.tag_document(digest, "1929")  # a tag once
    assert store.tag_document(digest, STAR)
    assert store.document_tags([digest]) == {digest: ["1929", STAR]}
    assert store.tagged_hashes("1929") == {digest}
    note = store.add_note(digest, "Тексеру керек <b>", "aigerim")
    assert [n.text for n in store.document_notes([digest])] == ["Тексеру керек <b>"]
    (edit,) = store.add_entity_edits([EntityEdit("rename", "PERSON", "Ғаббас Тоғжанов", "Ғ.")])
    assert store.entity_edits() == [edit] and edit.id is not None
    stamp = store.edits_stamp()
    assert store.remove_entity_edit(edit.id) == edit
    assert store.edits_stamp() != stamp and store.remove_entity_edit(edit.id) is None
    assert store.untag_document(digest, "1929") and not store.untag_document(digest, "1929")
    assert store.remove_note(note.id) and not store.remove_note(note.id)
    with pytest.raises(InputError):
        store.tag_document(digest, "")
    with pytest.raises(InputError):
        store.add_note("not-a-hash", "x")


@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_a_failed_import_keeps_what_was_stored(store) -> None:  # type: ignore[no-untyped-def]
    store.add_entity_edits([EntityEdit("split", "PERSON", "С. Сәдуақасов")])
    rows = store.export_annotations()
    bad = [{"kind": "entity_edit", "op": "rename", "label": "PERSON", "name": "X", "value": "Y"},
           {"kind": "tag", "document": "0" * 64, "tag": "ok"},
           {"kind": "note", "document": "0" * 64, "text": ""}]  # an empty note: refused
    with pytest.raises(InputError, match="3"):
        store.import_annotations(bad)
    assert store.export_annotations() == rows
    assert store.import_annotations(rows) == {"entity_edit": 0, "tag": 0, "note": 0}


def test_a_read_only_store_refuses_every_edit(tmp_path: Path) -> None:
    url = str(tmp_path / "ro.db")
    open_store(url).close()
    with open_store(url, readonly=True) as store:
        for write in (lambda: store.add_entity_edits([EntityEdit("split", "PERSON", "X")]),
                      lambda: store.tag_document("0" * 64, "t"),
                      lambda: store.add_note("0" * 64, "n"),
                      lambda: store.import_annotations([])):
            with pytest.raises(StoreError):
                write()


def test_a_store_from_before_the_tables_reads_as_having_none(tmp_path: Path) -> None:
    import sqlite3

    url = str(tmp_path / "old.db")
    open_store(url).close()
    with sqlite3.connect(url) as conn:  # a version-3 store: no annotation tables
        for name in ("entity_edits", "document_tags", "document_notes"):
            conn.execute(f"DROP TABLE {name}")
        conn.execute("DELETE FROM schema_version WHERE version >= 4")
    conn.close()
    with open_store(url, readonly=True) as store:
        assert store.entity_edits() == [] and store.document_tags() == {}
        assert store.document_notes() == [] and store.check()[1] == []


# -- the CLI as a process, and the bar: edits survive re-ingest and re-analysis ----------
def muragat(*args: str, db: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MURAGAT_DB": db, "MURAGAT_LANG": "en", "MURAGAT_AUTHOR": "aigerim"}
    done = subprocess.run([sys.executable, "-c", "from muragat.cli import main; main()",
                           *args], capture_output=True, text=True, env=env, timeout=300)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def _entities(db: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(muragat("entities", "--json", db=db).stdout)["entities"]


def _holding(found: list[dict], name: str) -> dict:  # type: ignore[type-arg]
    (entity,) = [e for e in found if name in e["names"]]
    return entity


def _with_part(found: list[dict], part: str, label: str = "PERSON") -> dict:  # type: ignore[type-arg]
    """The entity with a name containing `part` (the tagger's exact spans may change)."""
    (entity,) = [e for e in found if e["type"] == label and any(part in n for n in e["names"])
                 and "Мадияр" not in e["names"]]
    return entity


def _as_edited(db: str) -> None:
    """What the edits below made, asserted."""
    found = _entities(db)
    mirzhaqyp = _holding(found, "Мадияр")
    assert any("Дулатов" in n for n in mirzhaqyp["names"])
    assert mirzhaqyp["name"] == "Міржақып Дулатұлы"
    assert _holding(found, "Сәдуақасов")["type"] == "PERSON"
    assert list(_holding(found, "С. Сәдуақасов")["names"]) == ["С. Сәдуақасов"]
    docs = json.loads(muragat("documents", "--json", db=db).stdout)["documents"]
    (first,) = [d for d in docs if d["source"].endswith("a.txt")]
    assert first["tags"] == ["1929", "Алаш"] and first["starred"]
    assert [n["text"] for n in first["notes"]] == ["Бүркеншік ат: Мадияр"]
    assert first["notes"][0]["author"] == "aigerim"


def _wipe_analysis(url: str) -> None:
    """Every document and all its analysis gone; what people added stays (the tables of a
    store's analysis, emptied the way each backend empties them)."""
    import sqlite3

    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as pg:  # spans, sentences…: ON DELETE CASCADE
            pg.execute("TRUNCATE documents, lexicon CASCADE")
        return
    with sqlite3.connect(url) as conn:
        for fts in ("sentence_fts", "document_fts"):
            conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('delete-all')")
        for table in ("spans", "sentence_years", "sentences", "lexicon", "documents"):
            conn.execute(f"DELETE FROM {table}")
    conn.close()


@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_cli_edits_survive_reingest_and_reanalysis(tmp_path: Path, store_url: str) -> None:
    (tmp_path / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT_B, encoding="utf-8")
    files = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    db = store_url
    muragat("ingest", *files, "--no-progress", db=db)
    ident = _with_part(_entities(db), "Дулатов")["id"]
    muragat("entities", "merge", "Мадияр", ident, db=db)  # today's id: resolved to a name
    muragat("entities", "relabel", "Сәдуақасов", "PERSON", db=db)
    muragat("entities", "split", "С. Сәдуақасов", db=db)
    muragat("entities", "rename", "Мадияр", "Міржақып Дулатұлы", db=db)
    muragat("tag", files[0], "1929", "Алаш", db=db)
    muragat("star", files[0], db=db)
    muragat("note", files[0], "Бүркеншік ат: Мадияр", db=db)
    _as_edited(db)
    listed = json.loads(muragat("entities", "edits", "--json", db=db).stdout)["edits"]
    assert [e["op"] for e in listed] == ["merge", "relabel", "split", "rename"]
    assert all(e["applies"] and e["author"] == "aigerim" for e in listed)
    assert "Дулатов" in listed[0]["value"] and ":" not in listed[0]["value"]  # a name

    muragat("ingest", *files, "--no-progress", db=db)  # the same documents again
    _as_edited(db)
    _wipe_analysis(db)  # a full re-analysis: the documents analysed anew, new ids
    assert muragat("entities", "--json", db=db).stdout.count('"id"') == 0
    muragat("ingest", *reversed(files), "--no-progress", db=db)
    _as_edited(db)

    exported = tmp_path / "edits.jsonl"  # another store analyses them anew, imports the edits
    muragat("entities", "edits", "--export", str(exported), db=db)
    other = str(tmp_path / "two.db")  # SQLite: from PostgreSQL too
    muragat("ingest", *files, "--no-progress", db=other)
    muragat("entities", "edits", "--import", str(exported), db=other)
    muragat("entities", "edits", "--import", str(exported), db=other)  # twice: nothing doubles
    _as_edited(other)
    assert len(exported.read_text(encoding="utf-8").splitlines()) == 4 + 3 + 1

    undo = muragat("entities", "edits", "--undo", str(listed[3]["id"]), db=db)
    assert "undone" in undo.stderr
    assert _holding(_entities(db), "Мадияр")["name"] != "Міржақып Дулатұлы"


def test_cli_bad_references_are_messages_not_tracebacks(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(TEXT_B, encoding="utf-8")
    db = str(tmp_path / "bad.db")
    muragat("ingest", str(tmp_path / "b.txt"), "--no-progress", db=db)
    for args in (["entities", "merge", "Ешкім", "Ғаббас Тоғжанов"],
                 ["entities", "relabel", "Ғаббас Тоғжанов", "not a type"],
                 ["entities", "edits", "--undo", "99"],
                 ["tag", "99", "x"], ["note", "1", "   "], ["untag", "1", "жоқ"]):
        done = muragat(*args, db=db, ok=False)
        assert done.returncode in (3, 4) and "Traceback" not in done.stderr, args
        assert done.stderr.startswith("error: "), done.stderr
    (tmp_path / "bad.jsonl").write_text('{"kind": "tag"}\nnot json\n', encoding="utf-8")
    done = muragat("entities", "edits", "--import", str(tmp_path / "bad.jsonl"), db=db,
                   ok=False)
    assert done.returncode == 3 and "line 2" in done.stderr
