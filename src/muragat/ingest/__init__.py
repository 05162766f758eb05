"""Ingest: files and corpora into a store, analysed by the pipeline, each in one transaction.

Idempotent and resumable by content hash: a document whose text is already stored is
skipped, so rerunning an interrupted ingest finishes the rest without duplicates. A file or
record that cannot be read is reported with its reason and the others go on: a bad JSONL
row, a folder entry that is not a file (a directory named `x.txt`, a looping symlink), a text
whose analysis runs past the per-file time limit. Lone surrogates in a row are replaced at the
reader (U+FFFD, one for one) with a warning.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from muragat import pipeline
from muragat.errors import InputError
from muragat.extract import SUFFIXES as EXTRACT_SUFFIXES
from muragat.extract import extract
from muragat.i18n import t
from muragat.io import clean_value, input_limit
from muragat.model import Document
from muragat.store.base import Store, content_hash

TEXT_SUFFIXES = (".txt", ".md", *EXTRACT_SUFFIXES)  # one document per file
CORPUS_SUFFIXES = (".jsonl", ".parquet")  # one document per row
SUFFIXES = TEXT_SUFFIXES + CORPUS_SUFFIXES
# Seconds one document's analysis may take before it is reported and skipped (`--time-limit`).
# Analysis is linear in the text (the text layer caps tokens and sentences), so this only
# catches what should never happen; 0 or None: no limit.
DEFAULT_TIME_LIMIT = 600.0


@dataclass(slots=True)
class Record:
    source: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Failure:
    source: str
    reason: str


class _Reported(list):  # type: ignore[type-arg]
    """A failure list that tells `on_failure` of each failure as it is added."""

    def __init__(self, on_failure: Callable[[Failure], None]) -> None:
        super().__init__()
        self.on_failure = on_failure

    def append(self, item: Failure) -> None:
        super().append(item)
        self.on_failure(item)

    def extend(self, items: Iterable[Failure]) -> None:
        for item in items:
            self.append(item)


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    # Called with each failure as it happens (the CLI prints it at once).
    on_failure: Callable[[Failure], None] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.on_failure is not None:
            reported = _Reported(self.on_failure)
            reported.extend(self.failures)
            self.failures = reported

    @property
    def docs_per_second(self) -> float:
        return (self.added + self.skipped) / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "skipped": self.skipped, "failed": len(self.failures),
                "seconds": round(self.seconds, 3), "docs_per_second": round(self.docs_per_second, 2),
                "failures": [{"source": f.source, "reason": f.reason} for f in self.failures]}


# -- finding inputs --------------------------------------------------------------------
def iter_files(paths: Iterable[str | Path], exclude: Iterable[Path] = ()
               ) -> Iterator[Path | Failure]:
    """Files to read: given files as they are, folders searched recursively by suffix;
    `exclude` (an output file inside an input folder) is never read."""
    skip = {p.resolve() for p in exclude}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in found.relative_to(path).parts):
                    continue
                item = _folder_entry(found)
                if isinstance(item, Failure) or (item is not None and item.resolve() not in skip):
                    yield item
        elif path.exists():
            yield path
        elif path.is_symlink():
            yield Failure(str(path), _dangling_reason(path))
        else:
            yield Failure(str(path), t("файл табылмады", "file not found"))


def _folder_entry(found: Path) -> Path | Failure | None:
    """A file of a folder to read, a Failure for an entry that looks like one but cannot be
    read (a directory named `x.txt`, a looping or dangling symlink), None for the rest."""
    wanted = found.suffix.lower() in SUFFIXES
    if found.is_symlink() and not found.exists():
        looping = _loops(found)
        return Failure(str(found), _dangling_reason(found)) if wanted or looping else None
    if not wanted:
        return None
    if found.is_dir():
        return Failure(str(found), t("бұл қалта, файл емес (өткізілді)",
                                     "is a directory, not a file (skipped)"))
    return found if found.is_file() else Failure(
        str(found), t("кәдімгі файл емес (өткізілді)", "not a regular file (skipped)"))


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _dangling_reason(path: Path) -> str:
    if _loops(path):
        return t("символдық сілтеме тұйықталған (өткізілді)", "the symlink loops (skipped)")
    return t("символдық сілтеме жоқ файлға апарады (өткізілді)",
             "the symlink points to nothing (skipped)")


def _json_meta(row: dict[str, Any], text_field: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != text_field}


def _row_record(source: str, row: object, text_field: str) -> Record | Failure:
    if not isinstance(row, dict):
        return Failure(source, t("JSON нысаны емес", "not a JSON object"))
    text = row.get(text_field)
    if not isinstance(text, str) or not text.strip():
        return Failure(source, t(f"бос немесе жоқ мәтін өрісі {text_field!r}",
                                 f"missing or empty text field {text_field!r}"))
    return Record(source, text, _json_meta(row, text_field))


def read_jsonl(path: Path, text_field: str) -> Iterator[Record | Failure]:
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            source = f"{path}#{n}"
            try:
                row = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield Failure(source, t(f"JSON қатесі: {exc}", f"bad JSON: {exc}"))
                continue
            except RecursionError:  # [[[[…]]]] nested deeper than Python's stack
                yield Failure(source, t("JSON тым терең", "JSON nested too deeply"))
                continue
            yield _row_record(source, clean_value(row, source), text_field)


def read_parquet(path: Path, text_field: str) -> Iterator[Record | Failure]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Failure(str(path), t("parquet үшін pyarrow керек", "parquet needs pyarrow"))
        return
    try:
        table = pq.ParquetFile(path)
        if text_field not in table.schema_arrow.names:
            yield Failure(str(path), t(f"мәтін бағаны жоқ: {text_field!r}",
                                       f"no text column {text_field!r}"))
            return
        n = 0
        for batch in table.iter_batches(batch_size=1024):
            for row in batch.to_pylist():
                n += 1
                meta = json.loads(json.dumps(row, default=str))  # dates etc. as strings
                yield _row_record(f"{path}#{n}", clean_value(meta, f"{path}#{n}"), text_field)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        yield Failure(str(path), t(f"parquet оқылмады: {exc}", f"cannot read parquet: {exc}"))


def iter_records(paths: Iterable[str | Path], text_field: str = "text",
                 exclude: Iterable[Path] = ()) -> Iterator[Record | Failure]:
    for item in iter_files(paths, exclude):
        if isinstance(item, Failure):
            yield item
            continue
        suffix = item.suffix.lower()
        try:
            if suffix == ".jsonl":
                yield from read_jsonl(item, text_field)
            elif suffix == ".parquet":
                yield from read_parquet(item, text_field)
            else:
                got = extract(item, input_limit())
                yield Record(str(item), got.text, got.meta)
        except InputError as exc:  # its message already names the file
            yield Failure(str(item), str(exc).removeprefix(f"{item}: "))
        except OSError as exc:
            yield Failure(str(item), exc.strerror or str(exc))


# -- analysing with a time limit -------------------------------------------------------
class _Overtime(BaseException):
    """Raised by the alarm; a BaseException so no layer's `except Exception` swallows it."""


def run_with_time_limit(fn: Callable[[], Document], seconds: float | None) -> Document:
    """`fn()`, or InputError when it runs longer than `seconds` (SIGALRM: the main thread of
    a process on a POSIX system, as in ingest and in batch workers; elsewhere no limit)."""
    if not seconds or not hasattr(signal, "setitimer") or (
            threading.current_thread() is not threading.main_thread()):
        return fn()

    def on_alarm(signum: int, frame: object) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    except _Overtime:
        raise InputError(t(
            f"талдау {seconds:g} с шегінен асты (өткізілді; --time-limit)",
            f"analysis ran past the {seconds:g} s limit (skipped; --time-limit)"
        )) from None


# -- storing ---------------------------------------------------------------------------
def ingest_record(store: Store, record: Record, layers: Sequence[str]) -> int | None:
    """The new document's id, or None when this text is already stored."""
    digest = content_hash(record.text)
    if store.has_hash(digest):
        return None
    doc = pipeline.run(Document(text=record.text, meta={"source": record.source,
                                                        **record.meta}), layers)
    return store.add_document(doc, digest, record.source)
