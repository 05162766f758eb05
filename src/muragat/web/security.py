"""Who may write, and from where: the checks every write route depends on.

A write (`POST /api/v1/documents`) on a `serve --writable` server needs
`Authorization: Bearer <token>` with the role write or admin (`muragat token create`):
401 without a known token, 403 with a read token. A browser never adds that header by itself,
so a page on another site cannot write with a team member's rights; two more checks keep it
so should cookies ever be accepted: a write whose `Origin` (or `Referer`) is present and is
not this server's own origin is 403, and the bodies a cross-site form or a `no-cors` fetch can
send without asking (text/plain, form-urlencoded, multipart, or no content type) are 415.
The read-only server refuses every write (401 without a token, else 403).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from muragat.store.tokens import WRITE_ROLES, TokenInfo, check_token
from muragat.web.context import ApiError, Context
from muragat.web.text import message

bearer = HTTPBearer(auto_error=False, scheme_name="token", description=(
    "muragat token create --role write (write/admin: writes; read: reading only)"))
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
# What a browser sends across sites without a CORS preflight: never a JSON API write.
SIMPLE_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="muragat"'}


def _ctx(request: Request) -> Context:
    return request.app.state.ctx


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, or None when it has none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def own_origin(request: Request) -> str:
    host = request.headers.get("host") or request.url.netloc
    return f"{request.url.scheme}://{host.lower()}"


def check_origin(request: Request, ctx: Context) -> None:
    """403 when the request says it comes from a page of another origin."""
    for header in ("origin", "referer"):
        value = request.headers.get(header)
        if value is None:
            continue
        came = origin_of(value) if value != "null" else "null"
        if came != own_origin(request) and came not in ctx.origins:
            raise ApiError(403, "foreign_origin", message(
                f"басқа сайттан жазуға болмайды ({header}: {value[:80]})",
                f"writes from another site are refused ({header}: {value[:80]})"))
        return  # Origin, when present, decides; Referer only stands in for a missing one


def check_body_type(request: Request) -> None:
    """415 for the bodies a cross-site form or a no-cors fetch can send."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not ctype or ctype in SIMPLE_TYPES:
        raise ApiError(415, "unsupported_media_type", message(
            "JSON API жазуы application/json (не файлдың өз түрі) денесін күтеді, "
            f"{ctype or 'түрі жоқ'} емес",
            "a JSON API write expects an application/json body (or a file's own type), "
            f"not {ctype or 'a body without a type'}"))


def token_of(ctx: Context, credentials: HTTPAuthorizationCredentials | None) -> TokenInfo:
    """The token presented, or 401."""
    if credentials is None:
        raise ApiError(401, "unauthorized", message(
            "жазу үшін токен керек: Authorization: Bearer <токен> (muragat token create)",
            "a write needs a token: Authorization: Bearer <token> (muragat token create)"),
            headers=_CHALLENGE)
    found = check_token(ctx.store(), credentials.credentials)
    if found is None:
        raise ApiError(401, "unauthorized", message("токен белгісіз не жойылған",
                                                    "unknown or revoked token"),
                       headers=_CHALLENGE)
    return found


def read_only_error() -> ApiError:
    return ApiError(403, "read_only", message(
        "қойма тек оқуға ашылған (serve --writable)", "the store is read-only (serve --writable)"))


def require_writer(request: Request, credentials: Credentials) -> TokenInfo:
    """A dependency of every write route: the writer's token, or the error that refuses it."""
    ctx = _ctx(request)
    found = token_of(ctx, credentials)  # first, as the spec's security says: 401 without one
    if ctx.readonly:
        raise read_only_error()
    check_origin(request, ctx)
    if found.role not in WRITE_ROLES:
        raise ApiError(403, "forbidden", message(
            f"'{found.name}' токені тек оқуға ({found.role})",
            f"the token '{found.name}' may only read ({found.role})"))
    check_body_type(request)
    return found


def writer_or_none(request: Request, credentials: Credentials) -> TokenInfo | None:
    """A write/admin token presented to a writable server, else None (no error: the route
    then applies the limits of an anonymous request)."""
    ctx = _ctx(request)
    if ctx.readonly or credentials is None:
        return None
    found = check_token(ctx.store(), credentials.credentials)
    return found if found is not None and found.role in WRITE_ROLES else None


Writer = Annotated[TokenInfo, Depends(require_writer)]
MaybeWriter = Annotated[TokenInfo | None, Depends(writer_or_none)]
