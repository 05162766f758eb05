"""What people add, on the command line: entity corrections and document tags, stars, notes.

    muragat entities merge "Сәдуақасұлы" "Смағұл Сәдуақасов"   # the first into the second
    muragat entities split "С. Сәдуақасов"                     # that name on its own
    muragat entities rename PERSON:тоғжанов:ғ "Ғаббас Тоғжанов"
    muragat entities relabel "Алаш" GPE --type ORGANISATION
    muragat entities edits [--json | --export FILE | --import FILE | --undo ID]
    muragat tag DOC TAG…   muragat untag DOC TAG   muragat star DOC   muragat unstar DOC
    muragat note DOC TEXT  muragat unnote ID       muragat documents [--tag T] [--starred]

An entity is named by its id as `muragat entities` shows it today or by a name it holds; the
edit stores the name (search.edits), which finds the entity again after re-ingest or
re-analysis. Documents are named as `show` names them; tags and notes are kept by hash.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from muragat.cli.store import db_option, entities
from muragat.errors import EXIT_OK, InputError, MuragatError
from muragat.i18n import t
from muragat.search.edits import EntityEdit, Member, check_label, edited, resolve_ref
from muragat.store import Store, default_url, open_store
from muragat.store.userdata import STAR, check_tag

TYPE_HELP = t("Атау бірнеше түрдегі нысанда болса, қайсысы (PERSON, GPE…).",
              "When several types of entity hold the name, which one (PERSON, GPE…).")


def _author() -> str:
    return os.environ.get("MURAGAT_AUTHOR") or os.environ.get("USER") or ""


def author_option(f):  # type: ignore[no-untyped-def]
    return click.option("--author", default=None, help=t(
        "Кім түзетті (әдепкі: MURAGAT_AUTHOR не USER).",
        "Who made it (default: MURAGAT_AUTHOR or USER)."))(f)


def _db(db: str | None) -> str:
    parent = click.get_current_context().find_object(dict) or {}
    return db or parent.get("db") or default_url()


def current(store: Store):  # type: ignore[no-untyped-def]
    """The entities as they are now, with the stored edits applied."""
    from muragat.search.entities import consolidate

    groups = store.mention_groups()
    return edited(consolidate(groups), store.entity_edits(), groups)


def _store_edit(db: str | None, make: Any) -> int:
    """Resolve the references against today's entities, store the edit, say what it did."""
    with open_store(_db(db)) as store, store.reading():
        now = current(store)
        edit = make(now)
        (saved,) = store.add_entity_edits([edit])
    click.echo(f"{saved.id}\t{saved.describe()}")
    return EXIT_OK


def _ref(now: Any, ref: str, label: str | None) -> Member:
    return resolve_ref(now, ref, label)


@entities.command("merge", help=t(
    "A нысанын B нысанына біріктіру (id не нысандағы атау).",
    "Merge entity A into entity B (each an id or a name the entity holds)."))
@click.argument("a")
@click.argument("b")
@click.option("--type", "label", default=None, metavar="TYPE", help=TYPE_HELP)
@click.option("--into-type", "into_label", default=None, metavar="TYPE",
              help=t("B-ның түрі, керек болса.", "B's type, where needed."))
@author_option
@db_option
def merge(a: str, b: str, label: str | None, into_label: str | None, author: str | None,
          db: str | None) -> int:
    def make(now: Any) -> EntityEdit:
        src, dst = _ref(now, a, label), _ref(now, b, into_label or label)
        if now.by_name.get(src) == now.by_name.get(dst):
            raise InputError(t("екеуі бір нысан", "both are the same entity already"))
        return EntityEdit("merge", src[0], src[1], dst[1], dst[0], author=author or _author())

    return _store_edit(db, make)


@entities.command("split", help=t(
    "Атауды (бір тұлғасын) нысаннан бөліп, жеке нысан ету.",
    "Split one name out of its entity into an entity of its own."))
@click.argument("name")
@click.option("--type", "label", default=None, metavar="TYPE", help=TYPE_HELP)
@author_option
@db_option
def split(name: str, label: str | None, author: str | None, db: str | None) -> int:
    def make(now: Any) -> EntityEdit:
        if any(e.id == name for e in now.entities):
            raise InputError(t("бөлу үшін нысанның id-і емес, атауы керек",
                               "split takes a name the entity holds, not its id"))
        member = _ref(now, name, label)
        return EntityEdit("split", member[0], member[1], author=author or _author())

    return _store_edit(db, make)


@entities.command("rename", help=t("Нысанның көрсетілетін атын өзгерту.",
                                   "Give an entity the display name NEW."))
@click.argument("ref")
@click.argument("new")
@click.option("--type", "label", default=None, metavar="TYPE", help=TYPE_HELP)
@author_option
@db_option
def rename(ref: str, new: str, label: str | None, author: str | None, db: str | None) -> int:
    def make(now: Any) -> EntityEdit:
        member = _ref(now, ref, label)
        return EntityEdit("rename", member[0], member[1], new, author=author or _author())

    return _store_edit(db, make)


@entities.command("relabel", help=t("Нысанның түрін өзгерту (мысалы ORGANISATION → GPE).",
                                    "Change an entity's type (e.g. ORGANISATION to GPE)."))
@click.argument("ref")
@click.argument("new_type", metavar="TYPE")
@click.option("--type", "label", default=None, metavar="TYPE", help=TYPE_HELP)
@author_option
@db_option
def relabel(ref: str, new_type: str, label: str | None, author: str | None,
            db: str | None) -> int:
    def make(now: Any) -> EntityEdit:
        member = _ref(now, ref, label)
        return EntityEdit("relabel", member[0], member[1], check_label(new_type),
                          author=author or _author())

    return _store_edit(db, make)


def _read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(t(f"{path}: оқылмады: {exc}", f"{path}: cannot read: {exc}")) from None
    rows = []
    for i, line in enumerate(raw.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(t(f"{path}: жол {i}: JSON қате ({exc.msg})",
                                   f"{path}: line {i}: malformed JSON ({exc.msg})")) from None
    return rows


@entities.command("edits", help=t(
    "Сақталған түзетулер: тізім, JSON lines экспорт/импорт (тегтер мен жазбалар да), "
    "id бойынша болдырмау.",
    "Stored corrections: list them, export/import JSON lines (tags and notes too), "
    "undo one by id."))
@click.option("--json", "as_json", is_flag=True, help=t("JSON шығыс.", "JSON output."))
@click.option("--export", "export_to", type=click.Path(path_type=Path, dir_okay=False,
                                                       allow_dash=True), default=None,
              help=t("Бәрін JSON lines файлына жазу (- : stdout).",
                     "Write everything to a JSON lines file (-: stdout)."))
@click.option("--import", "import_from", type=click.Path(path_type=Path, dir_okay=False,
                                                         allow_dash=True), default=None,
              help=t("JSON lines файлынан қосу (барлары өткізіледі).",
                     "Add from a JSON lines file (what is stored already is skipped)."))
@click.option("--undo", "undo", type=click.IntRange(1, 2**63 - 1), default=None, metavar="ID",
              help=t("Осы id-дегі түзетуді болдырмау.", "Undo the edit with this id."))
@db_option
def edits_command(as_json: bool, export_to: Path | None, import_from: Path | None,
                  undo: int | None, db: str | None) -> int:
    if sum(x is not None for x in (export_to, import_from, undo)) > 1:
        raise InputError(t("--export, --import, --undo біреуі ғана",
                           "only one of --export, --import, --undo"))
    if import_from is not None:
        rows = _read_rows(import_from)
        with open_store(_db(db)) as store:
            counts = store.import_annotations(rows)
        click.echo(t(f"импортталды: түзету {counts['entity_edit']}, тег {counts['tag']}, "
                     f"жазба {counts['note']}", f"imported: {counts['entity_edit']} edits, "
                     f"{counts['tag']} tags, {counts['note']} notes"), err=True)
        return EXIT_OK
    if undo is not None:
        with open_store(_db(db)) as store:
            gone = store.remove_entity_edit(undo)
        if gone is None:
            raise InputError(t(f"мұндай түзету жоқ: {undo}", f"no such edit: {undo}"))
        click.echo(t(f"болдырылмады: {gone.describe()}", f"undone: {gone.describe()}"), err=True)
        return EXIT_OK
    with open_store(_db(db), readonly=True) as store, store.reading():
        if export_to is not None:
            lines = [json.dumps(r, ensure_ascii=False) for r in store.export_annotations()]
            _write_lines(export_to, lines)
            return EXIT_OK
        stored = store.entity_edits()
        applies = current(store).applied
    if as_json:
        click.echo(json.dumps({"edits": [{**e.to_dict(), "applies": ok}
                                         for e, ok in zip(stored, applies, strict=True)]},
                              ensure_ascii=False))
        return EXIT_OK
    if not stored:
        click.echo(t("түзету жоқ", "no edits"), err=True)
    for e, ok in zip(stored, applies, strict=True):
        mark = "" if ok else t("  (қазір қолданылмайды: атау жоқ)", "  (does not apply now: "
                               "the name is gone)")
        click.echo(f"{e.id}\t{e.created}\t{e.author or '-'}\t{e.describe()}{mark}")
    return EXIT_OK


def _write_lines(path: Path, lines: list[str]) -> None:
    text = "".join(x + "\n" for x in lines)
    if str(path) == "-":
        click.echo(text, nl=False)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise MuragatError(t(f"{path}: жазу мүмкін емес: {exc.strerror}",
                             f"{path}: cannot write: {exc.strerror}")) from None


# -- documents: tags, stars, notes --------------------------------------------------------
def _hash(store: Store, doc: str) -> str:
    info = store.doc_info(store.resolve(doc))
    assert info is not None
    return info.hash


@click.command("tag", help=t("Құжатқа тег қосу (id, хэш не жол).",
                             "Tag a document (id, hash or path)."))
@click.argument("doc")
@click.argument("tags", nargs=-1, required=True)
@author_option
@db_option
def tag(doc: str, tags: tuple[str, ...], author: str | None, db: str | None) -> int:
    checked = [check_tag(x) for x in tags]
    if STAR in checked:
        raise InputError(t(f"{STAR} — жұлдыз: muragat star", f"{STAR} is the star: muragat star"))
    with open_store(db or default_url()) as store:
        digest = _hash(store, doc)
        for x in checked:
            store.tag_document(digest, x, author or _author())
        click.echo(", ".join(store.document_tags([digest]).get(digest, [])))
    return EXIT_OK


@click.command("untag", help=t("Құжаттан тегті алу.", "Remove a tag from a document."))
@click.argument("doc")
@click.argument("tag_name", metavar="TAG")
@db_option
def untag(doc: str, tag_name: str, db: str | None) -> int:
    with open_store(db or default_url()) as store:
        if not store.untag_document(_hash(store, doc), tag_name):
            raise InputError(t(f"құжатта мұндай тег жоқ: {tag_name}",
                               f"the document has no such tag: {tag_name}"))
    return EXIT_OK


@click.command("star", help=t("Құжатты жұлдызбен белгілеу.", "Star a document."))
@click.argument("doc")
@author_option
@db_option
def star(doc: str, author: str | None, db: str | None) -> int:
    with open_store(db or default_url()) as store:
        store.tag_document(_hash(store, doc), STAR, author or _author())
    return EXIT_OK


@click.command("unstar", help=t("Құжаттың жұлдызын алу.", "Remove a document's star."))
@click.argument("doc")
@db_option
def unstar(doc: str, db: str | None) -> int:
    with open_store(db or default_url()) as store:
        store.untag_document(_hash(store, doc), STAR)
    return EXIT_OK


@click.command("note", help=t("Құжатқа жазба қосу.", "Add a note to a document."))
@click.argument("doc")
@click.argument("text")
@author_option
@db_option
def note(doc: str, text: str, author: str | None, db: str | None) -> int:
    with open_store(db or default_url()) as store:
        saved = store.add_note(_hash(store, doc), text, author or _author())
    click.echo(saved.id)
    return EXIT_OK


@click.command("unnote", help=t("Жазбаны id бойынша өшіру.", "Delete a note by its id."))
@click.argument("note_id", type=click.IntRange(1, 2**63 - 1), metavar="ID")
@db_option
def unnote(note_id: int, db: str | None) -> int:
    with open_store(db or default_url()) as store:
        if not store.remove_note(note_id):
            raise InputError(t(f"мұндай жазба жоқ: {note_id}", f"no such note: {note_id}"))
    return EXIT_OK


def annotated_documents(store: Store, tag_name: str | None = None, starred: bool = False
                        ) -> list[dict[str, Any]]:
    """Stored documents with their tags, star and notes; only those with `tag_name` (and a
    star) when asked."""
    infos = [i for d in store.document_ids() if (i := store.doc_info(d)) is not None]
    tags = store.document_tags([i.hash for i in infos])
    notes: dict[str, list[dict[str, Any]]] = {}
    for n in store.document_notes([i.hash for i in infos]):
        notes.setdefault(n.hash, []).append(n.to_dict())
    out = []
    for i in infos:
        mine = tags.get(i.hash, [])
        if (tag_name and tag_name not in mine) or (starred and STAR not in mine):
            continue
        out.append({"id": i.id, "hash": i.hash, "source": i.source,
                    "tags": [x for x in mine if x != STAR], "starred": STAR in mine,
                    "notes": notes.get(i.hash, [])})
    return out


@click.command("documents", help=t(
    "Қоймадағы құжаттар тегтерімен, жұлдызымен, жазбаларымен.",
    "Stored documents with their tags, star and notes."))
@click.option("--tag", "tag_name", default=None, help=t("Тек осы тегі барлар.",
                                                        "Only documents with this tag."))
@click.option("--starred", is_flag=True, help=t("Тек жұлдыздылар.", "Only starred documents."))
@click.option("--json", "as_json", is_flag=True, help=t("JSON шығыс.", "JSON output."))
@db_option
def documents(tag_name: str | None, starred: bool, as_json: bool, db: str | None) -> int:
    with open_store(db or default_url(), readonly=True) as store, store.reading():
        rows = annotated_documents(store, tag_name, starred)
    if as_json:
        click.echo(json.dumps({"total": len(rows), "documents": rows}, ensure_ascii=False))
        return EXIT_OK
    for r in rows:
        mark = STAR + " " if r["starred"] else ""
        tags = f"  [{', '.join(r['tags'])}]" if r["tags"] else ""
        click.echo(f"{r['id']}\t{mark}{r['source'] or r['hash'][:12]}{tags}")
        for n in r["notes"]:
            click.echo(f"\t#{n['id']} {n['author'] or '-'}: {n['text']}")
    return EXIT_OK


COMMANDS = [tag, untag, star, unstar, note, unnote, documents]
