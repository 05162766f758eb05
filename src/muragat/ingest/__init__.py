"""Ingest: files and corpora into a store, analysed by the pipeline, each in one transaction.

Idempotent and resumable by content hash: a document whose text is already stored is
skipped, so rerunning an interrupted ingest finishes the rest without duplicates. A file or
record that cannot be read is reported with its reason and the others go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from muragat import pipeline
from muragat.errors import InputError
from muragat.extract import SUFFIXES as EXTRACT_SUFFIXES
from muragat.extract import extract
from muragat.i18n import t
from muragat.model import Document
from muragat.store.base import Store, content_hash

TEXT_SUFFIXES = (".txt", ".md", *EXTRACT_SUFFIXES)  # one document per file
CORPUS_SUFFIXES = (".jsonl", ".parquet")  # one document per row
SUFFIXES = TEXT_SUFFIXES + CORPUS_SUFFIXES


@dataclass(slots=True)
class Record:
    source: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Failure:
    source: str
    reason: str


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

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
                if found.is_file() and found.suffix.lower() in SUFFIXES and not any(
                        part.startswith(".") for part in found.relative_to(path).parts
                ) and found.resolve() not in skip:
                    yield found
        elif path.exists():
            yield path
        else:
            yield Failure(str(path), t("файл табылмады", "file not found"))


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
            yield _row_record(source, row, text_field)


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
                yield _row_record(f"{path}#{n}", meta, text_field)
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
                got = extract(item)
                yield Record(str(item), got.text, got.meta)
        except InputError as exc:  # its message already names the file
            yield Failure(str(item), str(exc).removeprefix(f"{item}: "))
        except OSError as exc:
            yield Failure(str(item), exc.strerror or str(exc))


# -- storing ---------------------------------------------------------------------------
def ingest_record(store: Store, record: Record, layers: Sequence[str]) -> int | None:
    """The new document's id, or None when this text is already stored."""
    digest = content_hash(record.text)
    if store.has_hash(digest):
        return None
    doc = pipeline.run(Document(text=record.text, meta={"source": record.source,
                                                        **record.meta}), layers)
    return store.add_document(doc, digest, record.source)


def ingest(store: Store, paths: Iterable[str | Path], layers: Sequence[str] | None = None,
           text_field: str = "text", progress: bool = True) -> IngestReport:
    """Read, analyse and store every document under `paths`, in this process; never stops at
    a bad one. The same loop as `muragat.batch` (a serial engine, one document per chunk)."""
    from muragat.batch.engines import Engine
    from muragat.batch.run import StoreSink, run_batch

    return run_batch(StoreSink(store), paths, Engine(), layers, text_field, chunk_size=1,
                     progress=progress)
