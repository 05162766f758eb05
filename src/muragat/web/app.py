"""The ASGI application: the JSON API under /api/v1 and the pages under /.

    from muragat.web import create_app
    app = create_app("muragat.db")            # read-only: nothing can change the store
    # uvicorn: uvicorn.run(app) or `muragat serve --db muragat.db`

Each worker thread gets its own store connection (SQLite connections belong to the thread
that made them; a PostgreSQL connection serves one query at a time).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from importlib import resources
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
_DOCS_CSP = ("default-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: "
             "https://fastapi.tiangolo.com; style-src 'self' 'unsafe-inline' "
             "https://cdn.jsdelivr.net; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net")


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
        return JSONResponse(error_body(exc.status, exc.code, exc.msg, exc.detail), exc.status)

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
        if not _is_api(request):
            return error_page(request, exc.status_code, msg)
        return JSONResponse(error_body(exc.status_code, "http_error", msg), exc.status_code)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        msg = message(str(exc), str(exc))
        if not _is_api(request):
            return error_page(request, 400, msg)
        return JSONResponse(error_body(400, "bad_input", msg), 400)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error: %s", exc)
        msg = message("қойма қатесі: " + str(exc), "store error: " + str(exc))
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


def create_app(db_url: str, readonly: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> FastAPI:
    """The web application over the store at `db_url` (an SQLite path or a PostgreSQL URL).

    Read-only by default: the store is opened read-only and no route writes. With
    `readonly=False`, `POST /api/v1/documents` analyses and stores a text.
    Raises StoreError if the store cannot be opened.
    """
    ctx = Context(db_url, readonly, max_bytes)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        yield
        ctx.close()

    app = FastAPI(
        title="muragat", version=__version__, lifespan=lifespan,
        description="Қазақ құжаттарының білім қоры: іздеу, құжаттар, атаулы нысандар, уақыт "
                    "желісі. / A searchable, cited knowledge base of Kazakh documents.",
        openapi_url=f"{API}/openapi.json", docs_url="/api/docs", redoc_url=None,
    )
    app.state.ctx = ctx

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for key, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if request.url.path == "/api/docs":  # Swagger UI's own page loads its script
            response.headers["Content-Security-Policy"] = _DOCS_CSP
        return response

    from muragat.web.api import router as api_router
    from muragat.web.ui import router as ui_router

    app.include_router(api_router, prefix=API)
    app.include_router(ui_router)
    static = resources.files("muragat.web").joinpath("data/static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _install_errors(app)
    return app
