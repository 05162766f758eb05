"""The pages that post: log in and out, upload files, batch search, and a job's page.

Every form here carries the session's CSRF token and is checked with the server's `Origin`
check (web/session.py); uploads and batch lists become jobs (web/jobs.py) whose pages poll
`GET /api/v1/jobs/{id}` (static/jobs.js) and show the result when it is done.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from muragat.web.api import ctx_of, entity_types, read_body
from muragat.web.context import ApiError
from muragat.web.jobs import Job
from muragat.web.jobs_api import job_or_404, public_name, start_batch, start_ingest
from muragat.web.security import check_origin
from muragat.web.session import (
    CSRF_FIELD,
    Session,
    check_form,
    forget,
    login,
    page_session,
    remember,
    require_page_writer,
    safe_next,
    session_of,
)
from muragat.web.ui import page_lang, render

router = APIRouter(include_in_schema=False)
MAX_FILES = 20
_FORM_SLACK = 64 * 1024  # multipart boundaries and the small fields around the files


async def read_form(request: Request, limit: int) -> FormData:
    """The posted form, its body bounded (413 past `limit` bytes before any is parsed)."""
    body = await read_body(request, limit + _FORM_SLACK, "; serve --max-mb")
    request._body = body  # starlette parses the form from the body read above
    return await request.form(max_files=MAX_FILES, max_fields=20, max_part_size=limit)


def field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def job_started(request: Request, job: Job) -> Response:
    """A script's post gets the job as JSON (it then opens the job's page); a plain form
    post is sent to the job's page."""
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(job.to_dict(), status_code=202)
    return see_other(job.to_dict()["page"])


# -- logging in --------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    session = page_session(request)
    return remember(request, render(request, "login.html", csrf=session.csrf,
                                    next=safe_next(next), error=None))


@router.post("/login", response_class=HTMLResponse)
async def login_post(request: Request) -> Response:
    form = await read_form(request, 16 * 1024)
    check_form(request, field(form, CSRF_FIELD))
    goto = safe_next(field(form, "next"))
    try:
        session = login(request, field(form, "token") or "")
    except ApiError as exc:
        csrf = page_session(request).csrf
        return render(request, "login.html", status=401, csrf=csrf, next=goto,
                      error=exc.msg[page_lang(request)])
    return remember(request, see_other(goto), session)


@router.post("/logout")
async def logout_post(request: Request) -> Response:
    form = await read_form(request, 16 * 1024)
    check_form(request, field(form, CSRF_FIELD))
    return forget(see_other("/"))


# -- upload ------------------------------------------------------------------------------
@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> Response:
    session = session_of(request)
    if session is None or not session.user:
        return see_other("/login?next=/upload")
    require_page_writer(request, session)
    return render(request, "upload.html", csrf=session.csrf,
                  max_mb=ctx_of(request).max_bytes // (1024 * 1024))


def uploaded(form: FormData) -> list[UploadFile]:
    return [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename]


@router.post("/upload")
async def upload_post(request: Request) -> Response:
    ctx = ctx_of(request)
    # Who may upload is known from the headers: nobody else's body of --max-mb is read.
    check_origin(request, ctx)
    require_page_writer(request, session_of(request) or Session(""))
    form = await read_form(request, ctx.max_bytes)
    session = require_page_writer(request, check_form(request, field(form, CSRF_FIELD)))
    files = [(public_name(f.filename, "upload"), await f.read()) for f in uploaded(form)]
    text = (field(form, "text") or "").strip()
    if text:
        name = public_name(field(form, "source"), "") or "text.txt"
        files.append((name, text.encode("utf-8", "replace")))
    if not files:
        raise ApiError(400, "bad_input", {"kk": "файл таңдаңыз не мәтін жазыңыз",
                                          "en": "choose a file or write a text"})
    if sum(len(d) for _, d in files) > ctx.max_bytes:
        raise ApiError(413, "too_large", {"kk": "файлдар тым үлкен (serve --max-mb)",
                                          "en": "files too large (serve --max-mb)"})
    assert session.name is not None
    return job_started(request, start_ingest(request, files, None, session.name))


# -- batch search ------------------------------------------------------------------------
@router.get("/batch", response_class=HTMLResponse)
def batch_page(request: Request) -> Response:
    session = page_session(request)
    return remember(request, render(request, "batch.html", csrf=session.csrf))


@router.post("/batch")
async def batch_post(request: Request) -> Response:
    form = await read_form(request, 1024 * 1024)
    check_form(request, field(form, CSRF_FIELD))
    files = uploaded(form)
    data = await files[0].read() if files else (field(form, "queries") or "").encode("utf-8")
    types = entity_types([x for x in form.getlist("type") if isinstance(x, str)])
    session = session_of(request)
    job = start_batch(request, data, types, owner=session.name if session else None)
    return job_started(request, job)


# -- a job -------------------------------------------------------------------------------
@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> Response:
    job = job_or_404(request, job_id)
    info = job.to_dict()
    rows: list[dict[str, Any]] = info["result"] or []
    titles: dict[int, str | None] = {}
    if job.kind == "ingest":  # the documents an upload stored, by their titles
        store = ctx_of(request).store()
        docs = [i for r in rows if r["document"] is not None
                and (i := store.doc_info(r["document"])) is not None]
        titles = ctx_of(request).titles.titles(store, docs)
    return render(request, "job.html", job=job, info=info, rows=rows, titles=titles)
