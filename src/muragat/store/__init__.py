"""The knowledge store: one interface, two backends.

`open_store("muragat.db")` opens (or creates) an SQLite file; `open_store("postgresql://…")`
opens a PostgreSQL database (psycopg 3, the `postgres` extra). Both keep every layer of every
document, link each span to its document, sentence and offsets, and index sentences by lemma.
"""

from __future__ import annotations

import os

from muragat.store.base import DocInfo, Filters, Match, Store, content_hash

DEFAULT_DB = "muragat.db"
__all__ = ["DEFAULT_DB", "DocInfo", "Filters", "Match", "Store", "content_hash", "open_store",
           "default_url"]


def default_url() -> str:
    """`MURAGAT_DB` when set, else `muragat.db` in the current folder."""
    return os.environ.get("MURAGAT_DB") or DEFAULT_DB


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def open_store(url: str | None = None, readonly: bool = False) -> Store:
    """The store at `url` (a file path or a PostgreSQL URL); StoreError if it cannot open."""
    url = url or default_url()
    if is_postgres(url):
        from muragat.store.postgres import PostgresStore

        return PostgresStore(url, readonly=readonly)
    from muragat.store.sqlite import SqliteStore

    return SqliteStore(url, readonly=readonly)
