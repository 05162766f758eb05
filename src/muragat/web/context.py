"""What the web routes share, apart from the application that mounts them: the error they
raise and the per-server context (store connections, caches). A leaf of the web layer: the
API and the pages import it, and the application imports them."""

from __future__ import annotations

import threading
from typing import Any

from muragat.store import Store, open_store
from muragat.web.limits import Limits, Worker
from muragat.web.names import TitleCache
from muragat.web.views import SnapshotCache


class ApiError(Exception):
    """An error answered as `{"error": {"status", "code", "message": {"kk", "en"}}}`."""

    def __init__(self, status: int, code: str, msg: dict[str, str],
                 detail: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(msg.get("en", code))
        self.status, self.code, self.msg, self.detail = status, code, msg, detail
        self.headers = headers or {}


class Context:
    """What the routes share: the store (one connection per thread), the caches, the limits
    on analysis and the origins a write may come from."""

    def __init__(self, db_url: str, readonly: bool, max_bytes: int,
                 limits: Limits | None = None, origins: tuple[str, ...] = ()) -> None:
        self.url, self.readonly, self.max_bytes = db_url, readonly, max_bytes
        self.limits = limits or Limits()
        self.worker = Worker(self.limits)
        self.origins = tuple(o.rstrip("/") for o in origins)
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self.snapshots = SnapshotCache()
        self.titles = TitleCache()
        self.store()  # fail now (StoreError, exit code 4) rather than at the first request

    def store(self) -> Store:
        found = getattr(self._local, "store", None)
        if found is None:
            found = open_store(self.url, readonly=self.readonly)
            self._local.store = found
            with self._lock:
                self._opened.append(found)
        return found

    def close(self) -> None:
        self.worker.close()
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            try:
                store.close()
            except Exception:  # a connection owned by another (finished) thread
                pass
