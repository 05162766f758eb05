"""What people add, on the web: entity edits and document tags, stars and notes.

The JSON API (`api_router`, under /api/v1): GET /edits, POST /edits (one route for merge,
split, rename and relabel: `op`), DELETE /edits/{id} (undo); GET /documents/{ref}/annotations,
POST /documents/{ref}/tags, DELETE /documents/{ref}/tags/{tag}, PUT and DELETE
/documents/{ref}/star, POST /documents/{ref}/notes, DELETE /documents/{ref}/notes/{id}.
Every write needs `serve --writable` and a write/admin bearer token, and passes the server's
`Origin` check (security.py); a body must be JSON. The read-only server refuses them all.

The pages (`page_router`): the document and entity pages post small forms here, checked
like every form of the pages (session login, CSRF token, Origin: session.py), and are sent
back to the page they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from muragat.errors import InputError
from muragat.i18n import t
from muragat.search.edits import Edited, EntityEdit, UnknownEntityError, check_label, resolve_ref
from muragat.store import Store
from muragat.store.tokens import WRITE_ROLES, TokenInfo
from muragat.store.userdata import STAR, check_note, check_tag
from muragat.web.api import MAX_ID, ctx_of, not_found, read_body, resolve
from muragat.web.context import ApiError
from muragat.web.schemas import (
    ERRORS,
    AnnotationsJSON,
    EditAdded,
    EditRequest,
    EditsResponse,
    NoteJSON,
    NoteRequest,
    TagRequest,
)
from muragat.web.security import (
    Credentials,
    check_body_type,
    check_origin,
    read_only_error,
    token_of,
)
from muragat.web.session import CSRF_FIELD, check_form, require_page_writer
from muragat.web.text import bilingual, message
from muragat.web.views import document_annotations

api_router = APIRouter(responses=ERRORS)
T = TypeVar("T")
_FORM_LIMIT = 64 * 1024  # a tag, a note, an entity edit: a form of a few fields
page_router = APIRouter(include_in_schema=False)
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: ERRORS[400] | {"description": "no token, or an unknown one"},
    403: ERRORS[400] | {"description": "read-only server, read token, or another site's page"},
    415: ERRORS[400] | {"description": "a body that is not JSON"},
}


def require_editor(request: Request, credentials: Credentials) -> TokenInfo:
    """security.require_writer for these routes: a star or a deletion has no body, so the
    body's type is checked only when there is one."""
    ctx = ctx_of(request)
    found = token_of(ctx, credentials)
    if ctx.readonly:
        raise read_only_error()
    check_origin(request, ctx)
    if found.role not in WRITE_ROLES:
        raise ApiError(403, "forbidden", message(
            f"'{found.name}' токені тек оқуға ({found.role})",
            f"the token '{found.name}' may only read ({found.role})"))
    if request.headers.get("content-length", "0") != "0" or \
            "transfer-encoding" in request.headers or "content-type" in request.headers:
        check_body_type(request)
    return found


Editor = Annotated[TokenInfo, Depends(require_editor)]
EditId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _store(request: Request) -> Store:
    return ctx_of(request).store()


def _current(request: Request) -> Edited:
    snap = ctx_of(request).snapshots.get(_store(request))
    return Edited(snap.entities, snap.by_name)


def make_edit(now: Edited, op: str, entity: str, label: str | None, into: str | None,
              into_label: str | None, value: str | None, author: str) -> EntityEdit:
    """The edit to store for a request, its references resolved to names (InputError when
    one names nothing, or the request misses what its op needs)."""
    if op == "split" and any(e.id == entity for e in now.entities):
        raise InputError(t("бөлу үшін нысанның id-і емес, атауы керек",
                           "split takes a name the entity holds, not its id"))
    src = resolve_ref(now, entity, label)
    if op == "merge":
        if not into:
            raise InputError(t("біріктіру үшін `into` керек", "merge needs `into`: the entity "
                               "merged into"))
        dst = resolve_ref(now, into, into_label or label)
        if now.by_name.get(src) == now.by_name.get(dst):
            raise InputError(t("екеуі бір нысан", "both are the same entity already"))
        return EntityEdit("merge", src[0], src[1], dst[1], dst[0], author=author)
    if op in ("rename", "relabel") and not value:
        raise InputError(t(f"{op} үшін `value` керек", f"{op} needs `value`"))
    if op == "relabel":
        value = check_label(value or "")
    return EntityEdit(op, src[0], src[1], value or "", author=author)


def checked(fn: Callable[[], T]) -> T:
    """`fn()`; its InputError as a 400 with both languages' messages (`fn` is pure), 404 when
    it names an entity that does not exist."""
    try:
        return fn()
    except InputError as exc:
        msg = bilingual(fn) or message(str(exc), str(exc))
        if isinstance(exc, UnknownEntityError):
            raise ApiError(404, "not_found", msg) from None
        raise ApiError(400, "bad_input", msg) from None


def annotations_of(store: Store, doc_id: int) -> dict[str, Any]:
    info = store.doc_info(doc_id)
    if info is None:
        raise not_found("құжат", "document", str(doc_id))
    return document_annotations(store, info)


def _doc(request: Request, ref: str) -> tuple[Store, int, str]:
    store = _store(request)
    doc_id = resolve(store, ref)
    info = store.doc_info(doc_id)
    assert info is not None
    return store, doc_id, info.hash


# -- the JSON API --------------------------------------------------------------------------
@api_router.get("/edits", summary="Entity edits, in the order they apply",
                response_model=None, responses={200: {"model": EditsResponse}})
def edits_api(request: Request) -> dict[str, Any]:
    snap = ctx_of(request).snapshots.get(_store(request))
    return {"edits": [{**e.to_dict(), "applies": ok}
                      for e, ok in zip(snap.edits, snap.applied, strict=True)]}


@api_router.post("/edits", summary="Merge, split, rename or relabel an entity (a write token)",
                 status_code=201, response_model=None,
                 responses={201: {"model": EditAdded}, **_WRITE_ERRORS})
def add_edit_api(request: Request, body: EditRequest, writer: Editor) -> dict[str, Any]:
    store = _store(request)
    now = _current(request)
    edit = checked(lambda: make_edit(now, body.op, body.entity, body.type, body.into,
                                     body.into_type, body.value, writer.name))
    (saved,) = store.add_entity_edits([edit])
    now = _current(request)  # the snapshot is rebuilt: the edits changed
    return {"edit": saved.to_dict(), "entity": now.by_name.get((saved.label, saved.name))}


@api_router.delete("/edits/{edit_id}", summary="Undo an entity edit", response_model=None,
                   responses={200: {"model": EditAdded}, **_WRITE_ERRORS})
def undo_edit_api(request: Request, edit_id: EditId, writer: Editor) -> dict[str, Any]:
    gone = _store(request).remove_entity_edit(edit_id)
    if gone is None:
        raise not_found("түзету", "edit", str(edit_id))
    return {"edit": gone.to_dict(), "entity": None}


@api_router.get("/documents/{ref}/annotations", summary="A document's tags, star and notes",
                response_model=None, responses={200: {"model": AnnotationsJSON}})
def annotations_api(request: Request, ref: str) -> dict[str, Any]:
    store, doc_id, _ = _doc(request, ref)
    return annotations_of(store, doc_id)


@api_router.post("/documents/{ref}/tags", summary="Tag a document", status_code=201,
                 response_model=None, responses={201: {"model": AnnotationsJSON},
                                                 **_WRITE_ERRORS})
def tag_api(request: Request, ref: str, body: TagRequest, writer: Editor) -> dict[str, Any]:
    store, doc_id, digest = _doc(request, ref)
    if checked(lambda: check_tag(body.tag)) == STAR:
        raise ApiError(400, "bad_input", message("★ — жұлдыз: PUT /documents/{ref}/star",
                                                 "★ is the star: PUT /documents/{ref}/star"))
    store.tag_document(digest, body.tag, writer.name)
    return annotations_of(store, doc_id)


@api_router.delete("/documents/{ref}/tags/{tag}", summary="Remove a tag", response_model=None,
                   responses={200: {"model": AnnotationsJSON}, **_WRITE_ERRORS})
def untag_api(request: Request, ref: str, tag: str, writer: Editor) -> dict[str, Any]:
    store, doc_id, digest = _doc(request, ref)
    if not store.untag_document(digest, tag):
        raise not_found("тег", "tag", tag)
    return annotations_of(store, doc_id)


@api_router.put("/documents/{ref}/star", summary="Star a document", response_model=None,
                responses={200: {"model": AnnotationsJSON}, **_WRITE_ERRORS})
def star_api(request: Request, ref: str, writer: Editor) -> dict[str, Any]:
    store, doc_id, digest = _doc(request, ref)
    store.tag_document(digest, STAR, writer.name)
    return annotations_of(store, doc_id)


@api_router.delete("/documents/{ref}/star", summary="Remove a document's star",
                   response_model=None,
                   responses={200: {"model": AnnotationsJSON}, **_WRITE_ERRORS})
def unstar_api(request: Request, ref: str, writer: Editor) -> dict[str, Any]:
    store, doc_id, digest = _doc(request, ref)
    store.untag_document(digest, STAR)
    return annotations_of(store, doc_id)


@api_router.post("/documents/{ref}/notes", summary="Add a note to a document", status_code=201,
                 response_model=None, responses={201: {"model": NoteJSON}, **_WRITE_ERRORS})
def note_api(request: Request, ref: str, body: NoteRequest, writer: Editor) -> dict[str, Any]:
    store, _, digest = _doc(request, ref)
    checked(lambda: check_note(body.text))
    return store.add_note(digest, body.text, writer.name).to_dict()


@api_router.delete("/documents/{ref}/notes/{note_id}", summary="Delete a note",
                   response_model=None,
                   responses={200: {"model": AnnotationsJSON}, **_WRITE_ERRORS})
def unnote_api(request: Request, ref: str, note_id: EditId, writer: Editor) -> dict[str, Any]:
    store, doc_id, digest = _doc(request, ref)
    if note_id not in {n.id for n in store.document_notes([digest])} or \
            not store.remove_note(note_id):
        raise not_found("жазба", "note", str(note_id))
    return annotations_of(store, doc_id)


# -- the pages' forms ------------------------------------------------------------------------
async def _form(request: Request) -> dict[str, str]:
    """The posted form's text fields, its body bounded (413 past 64 KB)."""
    body = await read_body(request, _FORM_LIMIT)
    request._body = body  # starlette parses the form from the body read above
    form = await request.form(max_files=0, max_fields=10)
    return {k: v for k in ("csrf", "action", "value", "op", "into", "type", "into_type")
            if isinstance(v := form.get(k), str)}


@page_router.post("/documents/{ref}/annotate")
async def annotate_page(request: Request, ref: str) -> Response:
    form = await _form(request)
    session = require_page_writer(request, check_form(request, form.get(CSRF_FIELD)))
    store, doc_id, digest = _doc(request, ref)
    action, value, who = form.get("action", ""), form.get("value", ""), session.name or ""
    if action == "tag":
        store.tag_document(digest, value, who)
    elif action == "untag":
        store.untag_document(digest, value)
    elif action in ("star", "unstar"):
        (store.tag_document if action == "star" else store.untag_document)(digest, STAR)
    elif action == "note":
        store.add_note(digest, value, who)
    elif action == "unnote" and value.isdigit() and len(value) < 19:
        if int(value) in {n.id for n in store.document_notes([digest])}:
            store.remove_note(int(value))
    else:
        raise InputError(t("белгісіз әрекет", "unknown action"))
    return RedirectResponse(f"/documents/{doc_id}#annotations", status_code=303)


@page_router.post("/entities/{key}/edit")
async def edit_page(request: Request, key: str) -> Response:
    from urllib.parse import quote

    form = await _form(request)
    session = require_page_writer(request, check_form(request, form.get(CSRF_FIELD)))
    op = form.get("op", "")
    if op not in ("merge", "split", "rename", "relabel"):
        raise InputError(t("белгісіз түзету", "unknown edit"))
    entity = form.get("value", "") if op == "split" else key
    value = form.get("value") if op in ("rename", "relabel") else None
    now = _current(request)
    edit = checked(lambda: make_edit(now, op, entity, None, form.get("into"),
                                     form.get("into_type") or None, value, session.name or ""))
    (saved,) = _store(request).add_entity_edits([edit])
    ident = _current(request).by_name.get((saved.label, saved.name)) or key
    return RedirectResponse("/entities/" + quote(ident, safe=""), status_code=303)
