"""The jobs API (`POST /api/v1/jobs`, `GET /api/v1/jobs/{id}`, its CSV) and the CSV export of
a search's result set (`GET /api/v1/search.csv`). Like the rest of the JSON API these take
bearer tokens only, never the pages' session cookie, and JSON bodies only."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from muragat.errors import InputError
from muragat.pipeline import KNOWN_LAYERS
from muragat.store import Store
from muragat.web.api import (
    ERRORS,
    WORD_PATTERN,
    Offset,
    Types,
    _layers,
    ctx_of,
    document_names,
    entity_types,
    read_body,
    run_search,
)
from muragat.web.context import ApiError, Context
from muragat.web.jobs import (
    KINDS,
    MAX_QUERIES,
    Full,
    Job,
    Jobs,
    batch_job,
    batch_lines,
    csv_text,
    ingest_job,
    ingest_steps,
    job_csv,
)
from muragat.web.schemas import JobJSON
from muragat.web.security import Credentials, check_body_type, require_writer
from muragat.web.text import bilingual, message

router = APIRouter(responses=ERRORS)
_NAME = {"type": "string", "maxLength": 200, "description": "the file's name, kept as its source"}
_BATCH = {"type": "object", "required": ["kind", "queries"], "properties": {
    "kind": {"type": "string", "enum": ["batch-search"]},
    "queries": {"type": "string", "minLength": 1, "maxLength": 1_000_000, "pattern": "^[^#\\s]",
                "description": "the lines `muragat search --batch` reads (`id<TAB>query`), or "
                               f"one query per line when no line has a tab; {MAX_QUERIES} at "
                               "most"},
    "type": {"type": "array", "items": {"type": "string", "maxLength": 100}},
    "year": {"type": "integer", "minimum": 1000, "maximum": 2999}}}
_INGEST = {"type": "object", "required": ["kind"], "properties": {
    "kind": {"type": "string", "enum": ["ingest"]},
    "text": {"type": "string", "description": "a text to store"},
    "data": {"type": "string", "format": "byte", "contentEncoding": "base64",
             "description": "a file (text, HTML, PDF, DOCX, image), base64"},
    "source": _NAME,
    "layers": {"type": "array", "items": {"type": "string", "enum": list(KNOWN_LAYERS)}}}}
_JOB_BODY = {"required": True, "content": {"application/json": {"schema": {"anyOf": [
    _BATCH, {**_INGEST, "required": ["kind", "text"]}, {**_INGEST, "required": ["kind", "data"]}]}}},
    "description": "batch-search (anyone) or ingest (a write/admin token on `serve "
                   "--writable`; `text`, or a file as base64 `data`)"}
_REFUSED = ERRORS[400]


def jobs_of(request: Request) -> Jobs:
    return request.app.state.jobs


def full_error(jobs: Jobs) -> ApiError:
    return ApiError(429, "queue_full", message(
        f"жұмыс кезегі толы ({jobs.queued}); кейінірек қайталаңыз",
        f"the job queue is full ({jobs.queued}); retry later"), headers={"Retry-After": "10"})


def start_batch(request: Request, data: bytes, types: tuple[str, ...] = (),
                year: int | None = None, owner: str | None = None) -> Job:
    """A batch-search job over the query list `data` (400 when it has no query)."""
    ctx = ctx_of(request)
    try:
        lines = batch_lines(data)
    except InputError as exc:
        raise ApiError(400, "bad_input", bilingual(lambda: batch_lines(data))
                       or message(str(exc), str(exc))) from None
    jobs = jobs_of(request)
    try:
        return jobs.submit("batch-search", len(lines), batch_job(
            ctx.store, lines, lambda s, ids: _titles(ctx, s, ids), types, year), owner)
    except Full:
        raise full_error(jobs) from None


def _titles(ctx: Context, store: Store, ids: list[int]) -> dict[int, str | None]:
    infos = [i for d in ids if (i := store.doc_info(d)) is not None]
    return ctx.titles.titles(store, infos)


def start_ingest(request: Request, files: list[tuple[str, bytes]], layers: Any,
                 owner: str) -> Job:
    """An ingest job over (name, bytes) files; the caller has checked the writer."""
    names = _layers(layers)
    jobs = jobs_of(request)
    try:
        return jobs.submit("ingest", ingest_steps(names) * len(files),
                           ingest_job(ctx_of(request).store, files, names), owner)
    except Full:
        raise full_error(jobs) from None


def accepted(job: Job) -> JSONResponse:
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": job.to_dict()["url"]})


def public_name(raw: Any, fallback: str) -> str:
    """A source name without any folder or control character (PostgreSQL text holds no NUL):
    a browser sends a file's name, a client may send anything."""
    name = "".join(ch for ch in str(raw or "") if ch.isprintable())
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    return name if name and name not in (".", "..") else fallback


@router.post("/jobs", summary="Start a job: ingest a file or text, or batch-search a query list",
             openapi_extra={"requestBody": _JOB_BODY, "security": [{}, {"token": []}]},
             status_code=202, response_model=None,
             responses={202: {"model": JobJSON, "description": "queued; poll its url"},
                        401: _REFUSED | {"description": "ingest without a token"},
                        403: _REFUSED | {"description": "ingest on a read-only server, with a "
                                                        "read token, or from another site"},
                        413: _REFUSED | {"description": "body over --max-mb"},
                        415: _REFUSED | {"description": "not a JSON body"},
                        429: _REFUSED | {"description": "the job queue is full"}})
async def create_job_api(request: Request, credentials: Credentials) -> JSONResponse:
    ctx = ctx_of(request)
    check_body_type(request)
    body = await read_body(request, 2 * ctx.max_bytes, "; serve --max-mb")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "bad_json", message("JSON қате", "malformed JSON")) from None
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind not in KINDS:
        raise ApiError(422, "invalid_parameter", message(
            "JSON нысанында kind: ingest не batch-search керек",
            "expected a JSON object with kind: ingest or batch-search"))
    if kind == "batch-search":
        queries, types, year = data.get("queries"), data.get("type") or [], data.get("year")
        if isinstance(year, float) and year.is_integer():  # 1930.0 is an integer in JSON
            year = int(year)
        if not isinstance(queries, str) or not isinstance(types, list) or not (
                year is None or (isinstance(year, int) and 1000 <= year <= 2999)):
            raise ApiError(422, "invalid_parameter", message(
                "queries жолы керек (type: тізім, year: сан)",
                "expected a `queries` string (type: a list, year: a number)"))
        raw = queries.encode("utf-8", "replace")
        return accepted(start_batch(request, raw, entity_types([str(x) for x in types]), year))
    writer = require_writer(request, credentials)
    source = public_name(data.get("source"), "<api>")
    if isinstance(data.get("data"), str):
        try:
            content = base64.b64decode(data["data"], validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(400, "bad_input", message("data: base64 қате",
                                                     "data: not base64")) from None
    elif isinstance(data.get("text"), str):
        content = data["text"].encode("utf-8", "replace")
    else:
        raise ApiError(422, "invalid_parameter", message(
            "ingest үшін `text` не `data` (base64) керек",
            "an ingest needs `text` or `data` (base64)"))
    if len(content) > ctx.max_bytes:
        raise ApiError(413, "too_large", message("файл тым үлкен (serve --max-mb)",
                                                 "file too large (serve --max-mb)"))
    return accepted(start_ingest(request, [(source, content)], data.get("layers"), writer.name))


def job_or_404(request: Request, job_id: str) -> Job:
    found = jobs_of(request).get(job_id)
    if found is None:
        raise ApiError(404, "not_found", message(f"жұмыс табылмады: {job_id[:40]}",
                                                 f"no such job: {job_id[:40]}"))
    return found


@router.get("/jobs/{job_id}", summary="A job: state, progress, errors, result when finished",
            response_model=None, responses={200: {"model": JobJSON}})
def job_api(request: Request, job_id: str) -> dict[str, Any]:
    return job_or_404(request, job_id).to_dict()


_CSV = {"content": {"text/csv": {"schema": {"type": "string"}}}}


def csv_response(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/jobs/{job_id}/result.csv", summary="A finished job's rows as CSV (formula-safe)",
            response_model=None, responses={
                200: _CSV | {"description": "one row per query (or file)"},
                409: _REFUSED | {"description": "the job has not finished"}})
def job_csv_api(request: Request, job_id: str) -> Response:
    job = job_or_404(request, job_id)
    if job.state not in ("done", "failed"):
        raise ApiError(409, "not_finished", message("жұмыс әлі бітпеді", "the job has not finished"))
    return csv_response(job_csv(job), f"muragat-{job.kind}-{job.id}.csv")


SEARCH_COLUMNS = ("rank", "document", "title", "source", "sentence", "score", "text")


@router.get("/search.csv", summary="A search's result set as CSV (formula-safe)",
            response_model=None, responses={200: _CSV | {"description": "one row per hit"}})
def search_csv_api(request: Request,
                   q: Annotated[str, Query(min_length=1, max_length=1000, pattern=WORD_PATTERN,
                                           description="as in /search")],
                   type: Types = [],  # noqa: B006
                   year: Annotated[int | None, Query(ge=1000, le=2999)] = None,
                   limit: Annotated[int, Query(ge=0, le=1000)] = 100, offset: Offset = 0,
                   prefix: bool = True) -> Response:
    store = ctx_of(request).store()
    result = run_search(store, q, types=entity_types(type), year=year, limit=limit,
                        offset=offset, prefix=prefix, facets=False)
    names = document_names(request, store, {h.document for h in result.hits})
    rows = [{"rank": offset + n, "document": h.document, "sentence": h.sentence,
             "score": round(h.score, 4), "text": h.text,
             **names.get(h.document, {"title": None, "source": None})}
            for n, h in enumerate(result.hits, 1)]
    return csv_response(csv_text(SEARCH_COLUMNS, rows), "muragat-search.csv")
