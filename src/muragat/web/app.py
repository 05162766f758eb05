"""The ASGI application: the JSON API under /api/v1 and the pages under /.

    from muragat.web import create_app
    app = create_app("muragat.db")            # read-only: nothing can change the store
    # uvicorn: uvicorn.run(app) or `muragat serve --db muragat.db`

Each worker thread gets its own store connection (SQLite connections belong to the thread
that made them; a PostgreSQL connection serves one query at a time).
"""

from __future__ import annotations

import logging
import re
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from muragat import __version__
from muragat.errors import InputError, StoreError
from muragat.io import DEFAULT_MAX_BYTES
from muragat.web.context import ApiError, Context
from muragat.web.docs import install_docs
from muragat.web.limits import Limits
from muragat.web.names import base_name
from muragat.web.text import message

log = logging.getLogger("muragat.web")
API = "/api/v1"
# No inline scripts or styles anywhere: a hostile document cannot run code in the page.
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The API docs (Swagger UI from the swagger-ui-bundle-v2 package: nothing from a CDN).
# Its scripts are files of this server; only its styles set inline attributes.
_DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
             "script-src 'self'; frame-ancestors 'none'")
DOCS = f"{API}/docs"


def error_body(status: int, code: str, msg: dict[str, str], detail: Any = None) -> dict[str, Any]:
    err: dict[str, Any] = {"status": status, "code": code, "message": msg}
    if detail is not None:
        err["detail"] = jsonable_encoder(detail)
    return {"error": err}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


_NOT_FOUND = message("табылмады", "not found")


def _install_errors(app: FastAPI) -> None:
    from muragat.web.ui import error_page

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        if not _is_api(request):
            return error_page(request, exc.status, exc.msg)
        return JSONResponse(error_body(exc.status, exc.code, exc.msg, exc.detail), exc.status,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        msg = message("сұраныс параметрі қате", "invalid request parameter")
        if not _is_api(request):
            return error_page(request, 422, msg)
        return JSONResponse(error_body(422, "invalid_parameter", msg, exc.errors()), 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        msg = _NOT_FOUND if exc.status_code == 404 else message(
            f"HTTP {exc.status_code}", f"HTTP {exc.status_code}: {exc.detail}")
        headers = dict(exc.headers or {})  # 405 keeps its Allow header
        if exc.status_code == 405 and _is_api(request):
            headers["Allow"] = allowed_methods(request.app, request.url.path) \
                or headers.get("Allow", "")
        if not _is_api(request):
            page = error_page(request, exc.status_code, msg)
            page.headers.update(headers)
            return page
        return JSONResponse(error_body(exc.status_code, "http_error", msg), exc.status_code,
                            headers=headers)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        msg = message(str(exc), str(exc))
        if not _is_api(request):
            return error_page(request, 400, msg)
        return JSONResponse(error_body(400, "bad_input", msg), 400)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        said = private_paths_out(str(exc), request.app.state.ctx.url)
        msg = message("қойма қатесі: " + said, "store error: " + said)
        if not _is_api(request):
            return error_page(request, 503, msg)
        return JSONResponse(error_body(503, "store_error", msg), 503)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        msg = message("ішкі қате; толығы сервер журналында", "internal error; see the server log")
        if not _is_api(request):
            return error_page(request, 500, msg)
        return JSONResponse(error_body(500, "internal", msg), 500)


def allowed_methods(app: FastAPI, path: str) -> str:
    """Every method the spec gives `path` (Starlette's 405 names only the first route's; GET
    and POST /api/v1/documents are two routes)."""
    table = getattr(app.state, "methods", None)
    if table is None:
        table = [(re.compile("^" + re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(p)) + "$"),
                  {m.upper() for m in ops}) for p, ops in app.openapi()["paths"].items()]
        app.state.methods = table
    found: set[str] = set()
    for pattern, methods in table:
        if pattern.match(path):
            found |= methods
    return ", ".join(sorted(found))


def private_paths_out(text: str, db_url: str) -> str:
    """A message without the store's path on the server (its base name stays)."""
    name = base_name(db_url) or "store"
    for form in {db_url, str(Path(db_url).resolve()) if "://" not in db_url else db_url}:
        text = text.replace(form, name)
    return text


def create_app(db_url: str, readonly: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               limits: Limits | None = None, origins: tuple[str, ...] = ()) -> FastAPI:
    """The web application over the store at `db_url` (an SQLite path or a PostgreSQL URL).

    Read-only by default: the store is opened read-only and no route writes. With
    `readonly=False`, `POST /api/v1/documents` analyses and stores a text sent with a
    write/admin token (`muragat token create`). `limits` bound `POST /api/v1/analyze`;
    `origins` are other origins (`https://archive.example.org`, a proxy's) a write may come
    from besides the server's own. Raises StoreError if the store cannot be opened.
    """
    ctx = Context(db_url, readonly, max_bytes, limits, origins)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        yield
        app.state.jobs.close()
        ctx.close()

    app = FastAPI(
        title="muragat", version=__version__, lifespan=lifespan,
        description="Қазақ құжаттарының білім қоры: іздеу, құжаттар, атаулы нысандар, уақыт "
                    "желісі. / A searchable, cited knowledge base of Kazakh documents.",
        openapi_url=f"{API}/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.ctx = ctx
    from muragat.web.jobs import Jobs
    from muragat.web.session import Sessions

    app.state.sessions = Sessions()  # browser logins (web/session.py)
    app.state.jobs = Jobs()  # ingest and batch-search jobs, in memory (web/jobs.py)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for key, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if request.url.path == DOCS:  # Swagger UI sets inline styles
            response.headers["Content-Security-Policy"] = _DOCS_CSP
        return response

    from muragat.web.api import router as api_router
    from muragat.web.edits import api_router as edits_router
    from muragat.web.edits import page_router as edit_pages
    from muragat.web.jobs_api import router as jobs_router
    from muragat.web.ui import router as ui_router
    from muragat.web.workspace import router as workspace_router

    # first: GET /documents/{ref}/annotations before the API's GET /documents/{ref:path}
    app.include_router(edits_router, prefix=API)
    app.include_router(api_router, prefix=API)
    app.include_router(jobs_router, prefix=API)
    app.include_router(edit_pages)
    app.include_router(ui_router)
    app.include_router(workspace_router)
    spec = app.openapi

    def openapi() -> dict[str, Any]:  # the analyze route states this server's limits
        if app.openapi_schema is None:
            schema = spec()
            analyze = schema["paths"][f"{API}/analyze"]["post"]
            analyze["description"] = ctx.limits.describe(not readonly, max_bytes)
            analyze["security"] = [{}, *analyze.get("security", [])]  # a token is optional
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]
    install_docs(app, DOCS, f"{API}/openapi.json")
    static = resources.files("muragat.web").joinpath("data/static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _install_errors(app)
    return app
