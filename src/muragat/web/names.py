"""What a document is called on the web: a title from the document itself, and a source that
never shows a path of the server.

The title is the document's `meta.title` (an HTML <title>, a DOCX/PDF title), else its first
non-empty line when that reads like a heading (short), else the source's base name. A source
given as an absolute path (`ingest /srv/archive/x.txt`) or one climbing out of the ingest
folder (`../x.txt`) is shown by its base name; a relative source (`demo/01.txt`, relative to
the folder ingest ran in) is shown as stored.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

from muragat.store.base import DocInfo, Store

HEAD_CHARS = 300  # of a document's text read for its title
TITLE_CHARS = 120  # a first line longer than this is a paragraph, not a heading
SHORT_CHARS = 80  # a first line used as a title is cut (at a word) to this many characters
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_SPACE = re.compile(r"\s+")


def public_source(source: str | None) -> str | None:
    """`source` without any absolute path: its base name when it is one."""
    if not source or source.startswith("<"):  # "<api>", "<stdin>": no path at all
        return source
    unified = source.replace("\\", "/")
    parts = unified.split("/")
    if unified.startswith(("/", "~")) or _DRIVE.match(source) or ".." in parts \
            or unified.startswith("file:"):
        return parts[-1] or source.strip("/\\").rsplit("/", 1)[-1] or None
    return source


def public_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A document's meta with its `source` made public like the source itself."""
    if isinstance(meta.get("source"), str):
        return {**meta, "source": public_source(meta["source"])}
    return meta


def base_name(source: str | None) -> str | None:
    if not source:
        return None
    name = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name or source


def _short(line: str) -> str:
    """A first line as a title: cut at a word before SHORT_CHARS, with an ellipsis."""
    if len(line) <= SHORT_CHARS:
        return line
    cut = line[:SHORT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def title_from(meta: dict[str, Any], head: str, source: str | None) -> str | None:
    """The title of a document from its meta, the start of its text and its source."""
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return _SPACE.sub(" ", title).strip()[:TITLE_CHARS]
    for line in head.splitlines():
        line = _SPACE.sub(" ", line).strip()
        if line:
            if len(line) <= TITLE_CHARS:
                return _short(line)
            break
    return base_name(source)


class TitleCache:
    """Titles of stored documents, read once each: a stored document never changes (the
    content hash is part of the key, should an id ever be reused)."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str], str | None] = {}
        self._lock = threading.Lock()

    def titles(self, store: Store, infos: Iterable[DocInfo]) -> dict[int, str | None]:
        infos = list(infos)
        with self._lock:
            missing = [i for i in infos if (i.id, i.hash) not in self._found]
        if missing:
            # Ids are integers from the store itself: safe to write into the SQL, which keeps
            # one statement for both backends (their parameter marks differ).
            ids = ",".join(str(int(i.id)) for i in missing)
            heads = {int(r[0]): str(r[1] or "") for r in store._rows(
                f"SELECT id, substr(text, 1, {HEAD_CHARS}) FROM documents WHERE id IN ({ids})",
                [])}
            with self._lock:
                for i in missing:
                    self._found[(i.id, i.hash)] = title_from(i.meta, heads.get(i.id, ""),
                                                             i.source)
        with self._lock:
            return {i.id: self._found.get((i.id, i.hash)) for i in infos}

    def title(self, store: Store, info: DocInfo | None) -> str | None:
        return self.titles(store, [info])[info.id] if info else None
