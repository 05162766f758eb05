"""The web layer: a JSON API (OpenAPI) and server-rendered pages over a store.

    from muragat.web import create_app
    app = create_app("muragat.db")          # an ASGI app; read-only by default

Needs the `web` extra (`pip install 'muragat[web]'`: FastAPI, uvicorn, Jinja2); importing
this package without it works, calling `create_app` raises `WebUnavailable`.
"""

from __future__ import annotations

from typing import Any

from muragat.errors import MuragatError
from muragat.i18n import t
from muragat.io import DEFAULT_MAX_BYTES

__all__ = ["WebUnavailable", "create_app", "missing_dependency"]


class WebUnavailable(MuragatError):
    """FastAPI (or another web dependency) is not installed."""


def missing_dependency() -> str | None:
    """The name of a missing web dependency, or None when all are importable."""
    import importlib.util

    for name in ("fastapi", "jinja2", "uvicorn"):
        if importlib.util.find_spec(name) is None:
            return name
    return None


def create_app(db_url: str, readonly: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
               limits: Any = None, origins: tuple[str, ...] = ()) -> Any:
    """The ASGI app over the store at `db_url`; StoreError if it cannot be opened.
    `limits`: a `muragat.web.limits.Limits` for POST /api/v1/analyze (size, time, concurrency);
    `origins`: other origins a write may come from."""
    try:
        from muragat.web.app import create_app as build
    except ImportError as exc:
        raise WebUnavailable(t(
            f"веб үшін қосымша пакет керек ({exc.name}): pip install 'muragat[web]'",
            f"the web needs an extra package ({exc.name}): pip install 'muragat[web]'")) from None
    return build(db_url, readonly=readonly, max_bytes=max_bytes, limits=limits, origins=origins)
