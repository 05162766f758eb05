"""The API docs at /api/v1/docs: Swagger UI 5 from the `swagger-ui-bundle-v2` package (its
module is `swagger_ui_bundle`; Swagger UI 4 cannot read FastAPI's OpenAPI 3.1), so the page
works offline and loads nothing from a CDN (its start-up script is our static file, the page
has no inline script). Without the package the page says how to get it and links the spec.
"""

from __future__ import annotations

import html
from importlib.util import find_spec

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles


def swagger_assets() -> str | None:
    """The folder of Swagger UI's files, or None when swagger-ui-bundle is not installed."""
    if find_spec("swagger_ui_bundle") is None:
        return None
    from swagger_ui_bundle import swagger_ui_path

    return str(swagger_ui_path)


def _page(title: str, body: str, head: str = "") -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}"
                        f"</title>{head}</head><body>{body}</body></html>")


def install_docs(app: FastAPI, path: str, spec_url: str) -> None:
    assets = swagger_assets()
    if assets is not None:
        app.mount(f"{path}/assets", StaticFiles(directory=assets), name="swagger-ui")

    @app.get(path, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        english = request.query_params.get("lang") == "en"
        title = "muragat API" if english else "muragat API құжаттамасы"
        if assets is None:
            say = ("Swagger UI is not installed: pip install swagger-ui-bundle-v2. The spec:"
                   if english else "Swagger UI орнатылмаған: pip install swagger-ui-bundle-v2. "
                   "Сипаттама:")
            return _page(title, f"<p>{html.escape(say)} <a href=\"{spec_url}\">{spec_url}</a></p>")
        head = (f'<link rel="stylesheet" href="{path}/assets/swagger-ui.css">'
                f'<script src="{path}/assets/swagger-ui-bundle.js" defer></script>'
                '<script src="/static/swagger-init.js" defer></script>')
        return _page(title, f'<div id="swagger-ui" data-spec="{spec_url}"></div>', head)

    @app.get("/api/docs", include_in_schema=False)
    def old_docs() -> RedirectResponse:
        return RedirectResponse(path, status_code=308)
