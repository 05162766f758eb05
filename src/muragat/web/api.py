"""The JSON API, versioned under /api/v1 (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from muragat import __version__, pipeline
from muragat.errors import InputError
from muragat.extract import extract_bytes
from muragat.io import decode
from muragat.model import Document
from muragat.search import parse, search
from muragat.store import Store, content_hash
from muragat.store.base import FACET_HITS
from muragat.web.context import ApiError, Context
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
from muragat.web.text import bilingual, message
from muragat.web.views import (
    documents_page,
    entities_page,
    entity_page,
    timeline_page,
)

router = APIRouter(responses=ERRORS)
_TYPE = re.compile(r"^[A-Za-z_]{1,40}$")
ISO_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def ctx_of(request: Request) -> Context:
    return request.app.state.ctx


def store_of(request: Request) -> Store:
    return ctx_of(request).store()


StoreDep = Annotated[Store, Depends(store_of)]
Limit = Annotated[int, Query(ge=0, le=1000, description="most items returned")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="items skipped")]


def entity_types(raw: list[str]) -> tuple[str, ...]:
    """`?type=PERSON&type=GPE` or `?type=PERSON,GPE`, upper-cased; 422 on anything odd."""
    out = [x.strip().upper() for item in raw for x in item.split(",") if x.strip()]
    bad = [x for x in out if not _TYPE.match(x)]
    if bad:
        raise ApiError(422, "invalid_parameter", message(
            f"нысан түрі қате: {bad[0][:40]!r}", f"invalid entity type: {bad[0][:40]!r}"))
    return tuple(dict.fromkeys(out))


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
def search_api(store: StoreDep,
               q: Annotated[str, Query(min_length=1, max_length=1000,
                                       description='words, "a phrase", =exact form')],
               type: Annotated[list[str], Query(description="entity type filter")] = [],  # noqa: B006
               year: Annotated[int | None, Query(ge=1000, le=2999)] = None,
               limit: Limit = 10, offset: Offset = 0, prefix: bool = True) -> dict[str, Any]:
    result = run_search(store, q, types=entity_types(type), year=year, limit=limit,
                        offset=offset, prefix=prefix)
    return {**result.to_dict(), "limit": limit, "offset": offset}


@router.get("/documents", summary="Stored documents: id, source, sentence count",
            response_model=None, responses=ok(DocumentsResponse))
def documents_api(store: StoreDep, limit: Annotated[int, Query(ge=0, le=1000)] = 50,
                  offset: Offset = 0) -> dict[str, Any]:
    return documents_page(store, limit, offset)


def resolve(store: Store, ref: str) -> int:
    found = store.find_document(ref)
    if found is None:
        raise not_found("құжат", "document", ref)
    return found


@router.get("/documents/{ref:path}", summary="One document (id, hash prefix or source) as "
            "muragat.document/1 JSON", response_model=None, responses=ok(DocumentJSON))
def document_api(store: StoreDep, ref: str) -> dict[str, Any]:
    return store.get_document(resolve(store, ref)).to_dict()


@router.get("/entities", summary="Named entities consolidated across forms and documents",
            response_model=None, responses=ok(EntitiesResponse))
def entities_api(store: StoreDep, request: Request,
                 type: Annotated[list[str], Query()] = [],  # noqa: B006
                 q: Annotated[str | None, Query(max_length=200)] = None,
                 limit: Annotated[int, Query(ge=0, le=10_000)] = 100,
                 offset: Offset = 0) -> dict[str, Any]:
    snap = ctx_of(request).snapshots.get(store)
    return entities_page(snap, entity_types(type), q, limit, offset)


@router.get("/entities/{key}", summary="An entity: its mentions and the events around them",
            response_model=None, responses=ok(EntityPage))
def entity_api(store: StoreDep, request: Request, key: str) -> dict[str, Any]:
    page = entity_page(store, ctx_of(request).snapshots.get(store), key)
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
                 q: Annotated[str | None, Query(max_length=1000)] = None,
                 date_from: Annotated[str | None, Query(alias="from", pattern=ISO_PATTERN)] = None,
                 date_to: Annotated[str | None, Query(alias="to", pattern=ISO_PATTERN)] = None,
                 limit: Annotated[int, Query(ge=0, le=10_000)] = 500,
                 offset: Offset = 0) -> dict[str, Any]:
    snap = ctx_of(request).snapshots.get(store)
    return timeline_page(store, snap, query_hits(store, q), date_from, date_to, limit, offset)


# -- analysing text ----------------------------------------------------------------------
_TEXT_BODY = {"content": {
    "text/plain": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string"}, "layers": {"type": "array", "items": {"type": "string"}},
        "source": {"type": "string"}}}}}, "required": True}


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past `limit` bytes without reading the rest."""
    too_big = ApiError(413, "too_large", message(
        f"мәтін тым үлкен (шек {limit // (1024 * 1024) or limit} "
        f"{'МБ' if limit >= 1024 * 1024 else 'байт'})",
        f"text too large (limit {limit // (1024 * 1024) or limit} "
        f"{'MB' if limit >= 1024 * 1024 else 'bytes'})"))
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
    return tuple(names)


async def text_request(request: Request) -> tuple[str, dict[str, Any]]:
    """(text, options) from a JSON object or a raw body: text in any supported encoding, or an
    HTML, PDF, DOCX or scanned-image file (muragat.extract)."""
    limit = ctx_of(request).max_bytes
    body = await read_body(request, limit)
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


@router.post("/analyze", summary="Analyse a text with the pipeline; nothing is stored",
             openapi_extra={"requestBody": _TEXT_BODY}, response_model=None,
             responses={**ok(DocumentJSON), 413: ERRORS[400] | {"description": "too large"}})
async def analyze_api(request: Request,
                      layers: Annotated[str | None, Query(max_length=200)] = None) -> JSONResponse:
    text, options = await text_request(request)
    names = _layers(options.get("layers", layers))
    doc = await run_in_threadpool(pipeline.run, Document(text=text), names)
    return JSONResponse(doc.to_dict())


@router.post("/documents", summary="Analyse and store a text (only when not read-only)",
             openapi_extra={"requestBody": _TEXT_BODY}, status_code=201, response_model=None,
             responses={201: {"model": Added}, 200: {"model": Added, "description": "already stored"},
                        403: ERRORS[400] | {"description": "read-only"}})
async def add_document_api(request: Request) -> JSONResponse:
    ctx = ctx_of(request)
    if ctx.readonly:
        raise ApiError(403, "read_only", message(
            "қойма тек оқуға ашылған (serve --writable)", "the store is read-only (serve --writable)"))
    text, options = await text_request(request)
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
