"""The JSON API, versioned under /api/v1 (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from muragat import __version__, pipeline
from muragat.errors import InputError
from muragat.extract import extract_bytes
from muragat.io import decode
from muragat.pipeline import PipelineError
from muragat.search import parse, search
from muragat.store import Store, content_hash
from muragat.store.base import FACET_HITS
from muragat.web.context import ApiError, Context
from muragat.web.limits import Busy, Late, Stopped, analyse
from muragat.web.names import public_meta, public_source
from muragat.web.schemas import (
    ERRORS,
    Added,
    DocumentJSON,
    DocumentsResponse,
    EntitiesResponse,
    EntityPage,
    SearchResponse,
    StoreStatus,
    TimelineResponse,
    ok,
)
from muragat.web.security import MaybeWriter, Writer
from muragat.web.text import bilingual, message
from muragat.web.views import (
    documents_page,
    entities_page,
    entity_page,
    timeline_page,
)

router = APIRouter(responses=ERRORS)
ISO_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_ID = 2**63 - 1  # the largest id either backend stores (a 64-bit integer)
# A query names at least one letter or digit (Latin, Cyrillic, Arabic script): one without any
# is schema-invalid (422) rather than a schema-valid query the server refuses. ECMA-style
# classes, not \w (ASCII-only in JSON Schema validators).
WORD_PATTERN = ("[0-9A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0400-\u0481"
                "\u048A-\u052F\u0620-\u064A]")
LAYERS_PATTERN = "^({0})(,({0}))*$".format("|".join(pipeline.KNOWN_LAYERS))
TYPE_HELP = ("entity types, repeated or comma-separated (PERSON, GPE, ORGANISATION, DATE, ...; "
             "case does not matter; a type no entity has matches nothing)")


def ctx_of(request: Request) -> Context:
    return request.app.state.ctx


class _CallerStore:
    """The store of whichever thread uses it: FastAPI resolves a sync dependency in one
    worker thread and may run the route in another, and an SQLite connection serves only the
    thread that opened it (503 "SQLite objects created in a thread..." under concurrent
    requests: scripts/reliability.py, rows load and writers)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx.store(), name)


def store_of(request: Request) -> Store:
    return _CallerStore(ctx_of(request))  # type: ignore[return-value]


StoreDep = Annotated[Store, Depends(store_of)]
Limit = Annotated[int, Query(ge=0, le=1000, description="most items returned")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="items skipped")]


def entity_types(raw: list[str]) -> tuple[str, ...]:
    """`?type=PERSON&type=GPE` or `?type=PERSON,GPE`, upper-cased. Any string is a type: one
    that no entity has matches nothing (what the spec says, and what a client can rely on)."""
    out = [x.strip().upper() for item in raw for x in item.split(",") if x.strip()]
    return tuple(dict.fromkeys(out))


Types = Annotated[list[str], Query(description=TYPE_HELP)]


def not_found(what_kk: str, what_en: str, ref: str) -> ApiError:
    return ApiError(404, "not_found", message(f"{what_kk} табылмады: {ref[:80]}",
                                              f"no such {what_en}: {ref[:80]}"))


def bad_query(q: str, exc: InputError) -> ApiError:
    msg = bilingual(lambda: parse(q)) or message(str(exc), str(exc))
    return ApiError(400, "bad_query", msg)


def run_search(store: Store, q: str, **options: Any):  # type: ignore[no-untyped-def]
    try:
        return search(store, q, **options)
    except InputError as exc:
        raise bad_query(q, exc) from None


@router.get("", summary="About this store", response_model=None, responses=ok(StoreStatus))
def status(store: StoreDep, request: Request) -> dict[str, Any]:
    return {"name": "muragat", "version": __version__, "readonly": ctx_of(request).readonly,
            "counts": store.counts()}


@router.get("/search", summary="Lemma search: any inflected form of a word is found",
            response_model=None, responses=ok(SearchResponse))
def search_api(store: StoreDep, request: Request,
               q: Annotated[str, Query(min_length=1, max_length=1000, pattern=WORD_PATTERN,
                                       description='words, "a phrase", =exact form; '
                                                   'operators -word, NOT, AND, OR, +word, '
                                                   'NEAR(a b), NEAR/5 (the answer\'s '
                                                   '"reading" says how they were read); at '
                                                   'least one letter or digit')],
               type: Types = [],  # noqa: B006
               year: Annotated[int | None, Query(ge=1000, le=2999)] = None,
               limit: Limit = 10, offset: Offset = 0, prefix: bool = True) -> dict[str, Any]:
    result = run_search(store, q, types=entity_types(type), year=year, limit=limit,
                        offset=offset, prefix=prefix)
    body = result.to_dict()
    names = document_names(request, store, {h["document"] for h in body["hits"]})
    for h in body["hits"]:
        h.update(names.get(h["document"], {"title": None, "source": None}))
    return {**body, "limit": limit, "offset": offset}


def document_names(request: Request, store: Store, ids: set[int]) -> dict[int, dict[str, Any]]:
    """{id: {"title", "source"}} of stored documents, the source without a server path."""
    infos = [i for d in sorted(ids) if (i := store.doc_info(d)) is not None]
    titles = ctx_of(request).titles.titles(store, infos)
    return {i.id: {"title": titles.get(i.id), "source": public_source(i.source)} for i in infos}


@router.get("/documents", summary="Stored documents: id, source, sentence count",
            response_model=None, responses=ok(DocumentsResponse))
def documents_api(store: StoreDep, request: Request,
                  limit: Annotated[int, Query(ge=0, le=1000)] = 50,
                  offset: Offset = 0,
                  tag: Annotated[str | None, Query(max_length=64, description=(
                      "only documents with this tag"))] = None,
                  starred: Annotated[bool, Query(description="only starred documents")] = False
                  ) -> dict[str, Any]:
    return documents_page(store, limit, offset, ctx_of(request).titles, tag, starred)


def resolve(store: Store, ref: str) -> int:
    """The id of the document `ref` names (an id, a hash prefix, a source), or 404. An id
    beyond a 64-bit integer, or digits that are not ASCII, name no document: 404, never the
    database's overflow error."""
    if ref.isdigit() and (not ref.isascii() or len(ref) > 19 or int(ref) > MAX_ID):
        raise not_found("құжат", "document", ref)
    found = store.find_document(ref)
    if found is None:
        raise not_found("құжат", "document", ref)
    return found


@router.get("/documents/{ref:path}", summary="One document (id, hash prefix or source) as "
            "muragat.document/1 JSON", response_model=None, responses=ok(DocumentJSON))
def document_api(store: StoreDep, ref: str) -> dict[str, Any]:
    body = store.get_document(resolve(store, ref)).to_dict()
    body["meta"] = public_meta(body.get("meta") or {})
    return body


@router.get("/entities", summary="Named entities consolidated across forms and documents",
            response_model=None, responses=ok(EntitiesResponse))
def entities_api(store: StoreDep, request: Request,
                 type: Types = [],  # noqa: B006
                 q: Annotated[str | None, Query(max_length=200)] = None,
                 limit: Annotated[int, Query(ge=0, le=10_000)] = 100,
                 offset: Offset = 0) -> dict[str, Any]:
    snap = ctx_of(request).snapshots.get(store)
    return entities_page(snap, entity_types(type), q, limit, offset)


@router.get("/entities/{key}", summary="An entity: its mentions and the events around them",
            response_model=None, responses=ok(EntityPage))
def entity_api(store: StoreDep, request: Request, key: str) -> dict[str, Any]:
    page = entity_page(store, ctx_of(request).snapshots.get(store), key,
                       titles=ctx_of(request).titles)
    if page is None:
        raise not_found("нысан", "entity", key)
    return page


def query_hits(store: Store, q: str | None) -> set[tuple[int, int]] | None:
    """(document, sentence) pairs of a query's best hits, or None when there is no query."""
    if not q:
        return None
    result = run_search(store, q, limit=FACET_HITS, facets=False)
    return {(h.document, h.sentence) for h in result.hits}


@router.get("/timeline", summary="Dated items (DATE values, dated events) in ISO order",
            response_model=None, responses=ok(TimelineResponse))
def timeline_api(store: StoreDep, request: Request,
                 q: Annotated[str | None, Query(max_length=1000, pattern=WORD_PATTERN)] = None,
                 date_from: Annotated[str | None, Query(alias="from", pattern=ISO_PATTERN)] = None,
                 date_to: Annotated[str | None, Query(alias="to", pattern=ISO_PATTERN)] = None,
                 limit: Annotated[int, Query(ge=0, le=10_000)] = 500,
                 offset: Offset = 0) -> dict[str, Any]:
    snap = ctx_of(request).snapshots.get(store)
    return timeline_page(store, snap, query_hits(store, q), date_from, date_to, limit, offset,
                         titles=ctx_of(request).titles)


# -- analysing text ----------------------------------------------------------------------
_TEXT = {"type": "string", "minLength": 1, "pattern": "\\S",
         "description": "a text with at least one non-space character"}
_JSON_BODY = {"type": "object", "required": ["text"], "properties": {
    "text": _TEXT, "layers": {"type": "array", "items": {"type": "string",
                                                         "enum": list(pipeline.KNOWN_LAYERS)}},
    "source": {"type": "string", "maxLength": 500}}}
# Files (HTML, PDF, DOCX, scanned images: muragat.extract) are read too, sent with their own
# content type; the spec leaves them out because an arbitrary byte string of a file type is no
# readable file (a schema-valid body the server would have to refuse).
_FILES = (" A file (HTML, PDF, DOCX, a scanned image) may be sent as the body with its own "
          "content type instead.")
_ANALYZE_BODY = {"content": {"text/plain": {"schema": _TEXT},
                             "application/json": {"schema": _JSON_BODY}}, "required": True,
                 "description": "a text, or a JSON object with it." + _FILES}
# No text/plain or form bodies on a write: a cross-site page could send those (security.py).
_WRITE_BODY = {"content": {"application/json": {"schema": _JSON_BODY}}, "required": True,
               "description": "a JSON object with the text." + _FILES}


def size_text(limit: int) -> tuple[str, str]:
    """A byte limit in the largest whole unit: ("64 КБ", "64 KB")."""
    for size, kk, en in ((1024 * 1024, "МБ", "MB"), (1024, "КБ", "KB")):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {kk}", f"{limit // size} {en}"
    return f"{limit} байт", f"{limit} bytes"


async def read_body(request: Request, limit: int, hint: str = "") -> bytes:
    """The request body, refused (413) past `limit` bytes without reading the rest."""
    kk, en = size_text(limit)
    too_big = ApiError(413, "too_large", message(f"мәтін тым үлкен (шек {kk}{hint})",
                                                 f"text too large (limit {en}{hint})"))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _layers(raw: Any) -> tuple[str, ...]:
    """The layers asked for, with the layers they need, in the pipeline's order; checked
    before any work is queued."""
    if raw is None:
        return pipeline.DEFAULT_LAYERS
    names = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
        raise ApiError(422, "invalid_parameter", message("layers: атаулар тізімі керек",
                                                         "layers: expected a list of names"))
    names = [x.strip() for x in names if x.strip()]
    unknown = [x for x in names if x not in pipeline.KNOWN_LAYERS]
    if unknown:
        raise ApiError(422, "invalid_parameter", message(
            f"белгісіз қабат: {unknown[0][:40]!r}", f"unknown layer: {unknown[0][:40]!r}"))
    wanted = set(names)
    for name in names:
        wanted.update(pipeline.LAYERS[name].requires)
    names = [x for x in pipeline.KNOWN_LAYERS if x in wanted]
    try:
        pipeline.check(names)
    except PipelineError:
        raise ApiError(422, "invalid_parameter", bilingual(lambda: pipeline.check(names))
                       or message("қабаттар реті қате", "layers in an impossible order")) from None
    return tuple(names)


async def text_request(request: Request, limit: int, hint: str = "") -> tuple[str, dict[str, Any]]:
    """(text, options) from a JSON object or a raw body: text in any supported encoding, or an
    HTML, PDF, DOCX or scanned-image file (muragat.extract)."""
    body = await read_body(request, limit, hint)
    options: dict[str, Any] = {}
    read: Callable[[bytes, str], str] = _extracted_text
    if request.headers.get("content-type", "").startswith("application/json"):
        read = decode
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiError(400, "bad_json", message("JSON қате", "malformed JSON")) from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ApiError(422, "invalid_parameter", message(
                "JSON нысанында `text` жолы керек", "expected a JSON object with a `text` string"))
        options = {k: v for k, v in data.items() if k != "text"}
        try:
            body = data["text"].encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (`"\ud800"`) is valid JSON, not text
            raise ApiError(400, "bad_input", message(
                "мәтінде жұпсыз суррогат таңба бар", "the text has an unpaired surrogate")
            ) from None
    try:
        text = await run_in_threadpool(read, body, "<request>")
    except InputError as exc:
        raise ApiError(400, "bad_input", bilingual(lambda: read(body, "<request>"))
                       or message(str(exc), str(exc))) from None
    return text, options


def _extracted_text(body: bytes, name: str) -> str:
    return extract_bytes(body, name).text


def analyze_limit(ctx: Context, writer: Any) -> int:
    """The body size this request may analyse: the server's --max-mb for a writer on a team
    server, else --analyze-limit-kb (0: analysis is off)."""
    if writer is not None:
        return ctx.max_bytes
    return min(ctx.limits.analyze_kb * 1024, ctx.max_bytes)


@router.post("/analyze", summary="Analyse a text with the pipeline; nothing is stored",
             openapi_extra={"requestBody": _ANALYZE_BODY}, response_model=None,
             responses={**ok(DocumentJSON),
                        403: ERRORS[400] | {"description": "analysis is off on this server"},
                        413: ERRORS[400] | {"description": "body over the size limit"},
                        429: ERRORS[400] | {"description": "every analysis slot is busy"},
                        503: ERRORS[400] | {"description": "past the time limit, or the "
                                                          "store failed"}})
async def analyze_api(request: Request, writer: MaybeWriter,
                      layers: Annotated[str | None, Query(
                          max_length=200, pattern=LAYERS_PATTERN,
                          description="comma-separated layers, any order; the layers they "
                                      "need are added (ner: text, ner)")] = None
                      ) -> JSONResponse:
    ctx = ctx_of(request)
    limits = ctx.limits
    limit = analyze_limit(ctx, writer)
    if limit <= 0:
        raise ApiError(403, "analyze_off", message(
            "бұл серверде талдау өшірулі (serve --analyze-limit-kb N)",
            "analysis is off on this server (serve --analyze-limit-kb N)"))
    text, options = await text_request(request, limit, "; serve --analyze-limit-kb"
                                       if writer is None else "; serve --max-mb")
    names = _layers(options.get("layers", layers))
    try:
        doc = await ctx.worker.run(lambda deadline: analyse(text, names, deadline))
    except Busy:
        raise ApiError(429, "busy", message(
            f"сервер бос емес: бір мезетте {limits.concurrent} талдау; кейінірек қайталаңыз",
            f"the server is busy: {limits.concurrent} analyses at a time; retry later"),
            headers={"Retry-After": "5"}) from None
    except (Late, Stopped):
        raise ApiError(503, "timeout", message(
            f"талдау уақыт шегінен ({limits.seconds:g} с) асты; қысқарақ мәтін жіберіңіз",
            f"the analysis passed the time limit ({limits.seconds:g} s); send a shorter text"),
            headers={"Retry-After": "5"}) from None
    return JSONResponse(doc.to_dict())


@router.post("/documents", summary="Analyse and store a text (a team server, with a write token)",
             description="Needs `serve --writable` and `Authorization: Bearer <token>` with the "
             "role write or admin (`muragat token create`). Bodies a cross-site form could send "
             "(text/plain, form, multipart) are refused (415), and so is a foreign `Origin` (403).",
             openapi_extra={"requestBody": _WRITE_BODY}, status_code=201, response_model=None,
             responses={201: {"model": Added}, 200: {"model": Added, "description": "already stored"},
                        401: ERRORS[400] | {"description": "no token, or an unknown one"},
                        403: ERRORS[400] | {"description": "read-only server, read token, or "
                                                          "another site's page"},
                        413: ERRORS[400] | {"description": "body over --max-mb"},
                        415: ERRORS[400] | {"description": "text/plain, form or multipart body"}})
async def add_document_api(request: Request, writer: Writer) -> JSONResponse:
    ctx = ctx_of(request)
    text, options = await text_request(request, ctx.max_bytes, "; serve --max-mb")
    names = _layers(options.get("layers"))
    source = options.get("source")
    source = str(source)[:500] if source is not None else None

    def add() -> tuple[int | None, bool]:
        from muragat.ingest import Record, ingest_record

        store = ctx.store()
        added = ingest_record(store, Record(source or "<api>", text), names)
        return (added, True) if added is not None else (
            store.find_document(content_hash(text)), False)

    doc_id, added = await run_in_threadpool(add)
    return JSONResponse({"id": doc_id, "added": added}, status_code=201 if added else 200)
