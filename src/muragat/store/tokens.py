"""API tokens of a team server, kept in the store's own database (table `api_tokens`).

    with open_store(url) as store:
        secret = create_token(store, "write", "aigerim")   # shown once, never stored
        found = check_token(store, secret)                  # TokenInfo(name, role, created)

Only a token's SHA-256 is stored. A token is 32 random bytes (`secrets.token_urlsafe(32)`,
256 bits): nobody can guess it or search a hash's preimage, so a fast hash is enough and a
slow password hash (bcrypt, argon2) would only slow every request down. Lookups compare the
hash through the database's index, so no secret is ever compared byte by byte in Python.

The table is not one of the numbered schema migrations: tokens belong to the web layer, a
store without any (every store before them, or one served read-only) stays valid, and a
read-only open never has to create it. It is made with `CREATE TABLE IF NOT EXISTS` the first
time a token is written, in the same SQLite file or PostgreSQL database as the documents.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from muragat.errors import InputError
from muragat.i18n import t
from muragat.store.base import Store

ROLES = ("read", "write", "admin")
WRITE_ROLES = ("write", "admin")
TABLE = "api_tokens"
_NAME = re.compile(r"^[\w.@-]{1,64}$")
_CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (hash TEXT PRIMARY KEY, name TEXT NOT NULL "
           "UNIQUE, role TEXT NOT NULL, created TEXT NOT NULL)")


@dataclass(frozen=True, slots=True)
class TokenInfo:
    name: str
    role: str
    created: str


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _mark(store: Store) -> str:
    """The driver's parameter mark: sqlite3 takes `?`, psycopg `%s`."""
    return "?" if type(store).__name__.startswith("Sqlite") else "%s"


def _has_table(store: Store) -> bool:
    if _mark(store) == "?":
        sql = f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"
    else:
        sql = f"SELECT 1 WHERE to_regclass('{TABLE}') IS NOT NULL"
    return bool(store.db.execute(sql).fetchall())  # type: ignore[attr-defined]


def _writable(store: Store) -> None:
    store._check_writable()
    store.db.execute(_CREATE)  # type: ignore[attr-defined]


def valid_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(t(f"токен аты жарамсыз: {name[:70]!r} (әріп, сан, . _ @ -; 64 таңбаға "
                           "дейін)", f"not a usable token name: {name[:70]!r} (letters, digits, "
                           ". _ @ -; up to 64 characters)"))
    return name


def create_token(store: Store, role: str, name: str | None = None) -> tuple[str, TokenInfo]:
    """A new random token with `role`: (the secret, shown once; what is stored about it)."""
    if role not in ROLES:
        raise InputError(t(f"белгісіз рөл: {role!r} ({', '.join(ROLES)})",
                           f"unknown role: {role!r} ({', '.join(ROLES)})"))
    _writable(store)
    name = valid_name(name) if name else f"{role}-{secrets.token_hex(3)}"
    mark = _mark(store)
    if store.db.execute(f"SELECT 1 FROM {TABLE} WHERE name = {mark}",  # type: ignore[attr-defined]
                        (name,)).fetchall():
        raise InputError(t(f"мұндай атты токен бар: {name}", f"a token with this name exists: {name}"))
    secret = secrets.token_urlsafe(32)
    info = TokenInfo(name, role, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    store.db.execute(f"INSERT INTO {TABLE} (hash, name, role, created) "  # type: ignore[attr-defined]
                     f"VALUES ({mark}, {mark}, {mark}, {mark})",
                     (token_hash(secret), info.name, info.role, info.created))
    return secret, info


def list_tokens(store: Store) -> list[TokenInfo]:
    if not _has_table(store):
        return []
    rows = store.db.execute(  # type: ignore[attr-defined]
        f"SELECT name, role, created FROM {TABLE} ORDER BY created, name").fetchall()
    return [TokenInfo(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def revoke_token(store: Store, name: str) -> bool:
    """Remove the token called `name`; False when there is none."""
    store._check_writable()
    if not _has_table(store):
        return False
    cur = store.db.execute(f"DELETE FROM {TABLE} WHERE name = {_mark(store)}",  # type: ignore[attr-defined]
                           (name,))
    return bool(cur.rowcount)


def check_token(store: Store, secret: str) -> TokenInfo | None:
    """What is stored about the token `secret`, or None when it is unknown or revoked."""
    if not secret or len(secret) > 200 or not _has_table(store):
        return None
    rows = store.db.execute(  # type: ignore[attr-defined]
        f"SELECT name, role, created FROM {TABLE} WHERE hash = {_mark(store)}",
        (token_hash(secret),)).fetchall()
    return TokenInfo(str(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None
