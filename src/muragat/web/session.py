"""Browser sessions of a team server, and the CSRF token every form post of the pages carries.

A person logs in at `/login` by pasting a token that `muragat token create` printed. The
server then sets a cookie signed with itsdangerous (`URLSafeTimedSerializer`, HMAC-SHA1 over
the payload and a timestamp) that says which token logged in (its name, role and creation
time), never the token itself. The cookie is HttpOnly (no script reads it), SameSite=Strict
(no other site's page or link sends it) and Secure over HTTPS; it expires after `MAX_AGE`.
Every request re-reads the token's row, so `muragat token revoke` ends its sessions at once,
and a name revoked and created anew is another token (its creation time differs).

CSRF: a session, even one without a login (the login form has one too), holds a random
token; each form of the pages sends it back in a hidden field (`csrf`) or, from a script, in
the `X-CSRF-Token` header, and it is compared in constant time. The server's `Origin` check
(`security.check_origin`) runs first. The JSON API never reads this cookie: it keeps bearer
tokens, so a session cannot be used by a page of another site through the API either.

The signing key is random per server process unless `MURAGAT_SESSION_SECRET` is set: a
restart logs everybody out, which a team server started by hand can live with.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from muragat.errors import MuragatError
from muragat.store.tokens import WRITE_ROLES, TokenInfo, check_token, list_tokens
from muragat.web.context import ApiError
from muragat.web.security import check_origin
from muragat.web.text import message

COOKIE = "muragat_session"
MAX_AGE = 12 * 3600  # a working day; then the token is pasted again
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SECRET_ENV = "MURAGAT_SESSION_SECRET"


@dataclass(frozen=True, slots=True)
class Session:
    """What the cookie carries: the CSRF token and, after a login, who logged in."""

    csrf: str
    name: str | None = None  # the token's name (`muragat token list`)
    role: str | None = None
    created: str | None = None  # the token's creation time: a re-created name is another token

    @property
    def user(self) -> bool:
        return self.name is not None

    @property
    def writer(self) -> bool:
        return self.role in WRITE_ROLES

    def to_dict(self) -> dict[str, Any]:
        return {"c": self.csrf, "n": self.name, "r": self.role, "t": self.created}


class Sessions:
    """Signs and reads session cookies with one server key."""

    def __init__(self, secret: str | bytes | None = None) -> None:
        key = secret or os.environ.get(SECRET_ENV) or secrets.token_bytes(32)
        self._signer = URLSafeTimedSerializer(key, salt="muragat.session")

    def dump(self, session: Session) -> str:
        return self._signer.dumps(session.to_dict())

    def load(self, raw: str | None) -> Session | None:
        """The session a cookie value carries; None when it is missing, forged or expired."""
        if not raw or len(raw) > 2000:
            return None
        try:
            data = self._signer.loads(raw, max_age=MAX_AGE)
        except BadSignature:  # SignatureExpired is one
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        fields = [data.get(k) if isinstance(data.get(k), str) else None for k in "nrt"]
        return Session(data["c"], *fields)


def sessions_of(request: Request) -> Sessions:
    found = getattr(request.app.state, "sessions", None)
    if found is None:  # an app built without create_app's setup (tests of single routes)
        found = request.app.state.sessions = Sessions()
    return found


def _still_valid(request: Request, session: Session) -> Session:
    """The session, or its anonymous part when its token was revoked or re-created."""
    if not session.user:
        return session
    try:
        tokens = list_tokens(request.app.state.ctx.store())
    except MuragatError:  # the store failed: its error page is drawn without the login
        tokens = []
    for info in tokens:
        if info.name == session.name and info.created == session.created:
            return Session(session.csrf, info.name, info.role, info.created)
    return Session(session.csrf)


def session_of(request: Request) -> Session | None:
    """The request's session (checked against the store once per request), or None."""
    if hasattr(request.state, "muragat_session"):
        return request.state.muragat_session
    found = sessions_of(request).load(request.cookies.get(COOKIE))
    if found is not None:
        found = _still_valid(request, found)
    request.state.muragat_session = found
    return found


def page_session(request: Request) -> Session:
    """The session a page with a form needs: the present one, or a new anonymous one that
    `remember` then sets on the page's response."""
    found = session_of(request)
    if found is None:
        found = Session(secrets.token_urlsafe(24))
        request.state.muragat_session = found
        request.state.muragat_new_session = True
    return found


def remember(request: Request, response: Response, session: Session | None = None) -> Response:
    """Set the session cookie on `response` (a new or changed session)."""
    if session is None:
        if not getattr(request.state, "muragat_new_session", False):
            return response
        session = request.state.muragat_session
    response.set_cookie(COOKIE, sessions_of(request).dump(session), max_age=MAX_AGE,
                        path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


def forget(response: Response) -> Response:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


def check_form(request: Request, submitted: str | None) -> Session:
    """A form post of the pages: from this server's own origin (403 `foreign_origin`) and
    with the CSRF token of its session (403 `csrf`). Returns the session."""
    check_origin(request, request.app.state.ctx)
    found = session_of(request)
    sent = submitted or request.headers.get(CSRF_HEADER) or ""
    if found is None or not hmac.compare_digest(found.csrf.encode(), sent.encode()):
        raise ApiError(403, "csrf", message(
            "форманың CSRF белгісі жоқ не ескірген: бетті қайта ашып, қайталаңыз",
            "the form's CSRF token is missing or stale: reload the page and try again"))
    return found


def login(request: Request, secret: str) -> Session:
    """A new session for the token `secret` (a fresh CSRF token too), or 401."""
    found: TokenInfo | None = check_token(request.app.state.ctx.store(), secret.strip())
    if found is None:
        raise ApiError(401, "unauthorized", message(
            "токен белгісіз не жойылған (muragat token create)",
            "unknown or revoked token (muragat token create)"))
    return Session(secrets.token_urlsafe(24), found.name, found.role, found.created)


def require_page_writer(request: Request, session: Session) -> Session:
    """A logged-in write/admin session on a writable server, or the error that refuses it."""
    ctx = request.app.state.ctx
    if not session.user:
        raise ApiError(401, "unauthorized", message(
            "алдымен кіріңіз (/login)", "log in first (/login)"))
    if ctx.readonly:
        raise ApiError(403, "read_only", message(
            "қойма тек оқуға ашылған (serve --writable)",
            "the store is read-only (serve --writable)"))
    if not session.writer:
        raise ApiError(403, "forbidden", message(
            f"'{session.name}' токені тек оқуға ({session.role})",
            f"the token '{session.name}' may only read ({session.role})"))
    return session


def safe_next(raw: str | None) -> str:
    """Where to go after a login: a path of this server only (no `//host`, no scheme)."""
    if raw and raw.startswith("/") and not raw.startswith(("//", "/\\")) and len(raw) < 500:
        return raw
    return "/"
