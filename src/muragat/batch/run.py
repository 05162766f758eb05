"""A corpus through the pipeline, chunk by chunk, into a store or a JSON-lines file.

The driver streams the inputs, skips texts already written (by content hash, so an
interrupted run resumes where it stopped), sends chunks to the engine and writes each
analysed document as it comes back, in input order.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from muragat import pipeline
from muragat.batch.engines import Engine
from muragat.errors import InputError, StoreError
from muragat.i18n import t
from muragat.ingest import (
    DEFAULT_TIME_LIMIT,
    Failure,
    IngestReport,
    Record,
    iter_records,
    run_with_time_limit,
)
from muragat.model import Document
from muragat.store.base import Store, content_hash


@dataclass(slots=True)
class Chunk:
    """What one task analyses: a few records and the layers to run (picklable)."""

    layers: tuple[str, ...]
    records: list[Record]
    digests: list[str]
    time_limit: float | None = None  # seconds per record (muragat.ingest.run_with_time_limit)


def analyse_chunk(chunk: Chunk) -> list[Document | Failure]:
    """Runs in a worker: one result per record, a bad record never fails its neighbours."""
    out: list[Document | Failure] = []
    for record in chunk.records:
        try:
            doc = Document(text=record.text, meta={"source": record.source, **record.meta})
            out.append(run_with_time_limit(lambda: pipeline.run(doc, chunk.layers),  # noqa: B023
                                           chunk.time_limit))
        except InputError as exc:
            out.append(Failure(record.source, str(exc)))
        except Exception as exc:  # a layer's bug must not stop the corpus
            out.append(Failure(record.source, t(f"талдау қатесі: {exc!r}",
                                                f"analysis failed: {exc!r}")))
    return out


class Sink(Protocol):
    def has_hash(self, digest: str) -> bool: ...

    def add(self, doc: Document, digest: str, source: str) -> bool: ...


class StoreSink:
    """Writes into a store: one transaction per document."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def has_hash(self, digest: str) -> bool:
        return self.store.has_hash(digest)

    def add(self, doc: Document, digest: str, source: str) -> bool:
        return self.store.add_document(doc, digest, source) is not None


class JsonlSink:
    """One document JSON (muragat.document/1) per line, with `meta.content_hash`. Opening an
    existing file resumes it: its hashes are read back, and a last line cut by a crash is
    dropped (every complete line stays)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.hashes: set[str] = set()
        if self.path.exists():
            self._resume()
        try:
            self._fh = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise StoreError(t(f"{self.path}: жазу мүмкін емес: {exc.strerror}",
                               f"{self.path}: cannot write: {exc.strerror}")) from None

    def _resume(self) -> None:
        keep = 0  # bytes of complete, valid lines
        with self.path.open("rb") as fh:
            for n, raw in enumerate(fh, 1):
                try:
                    self.hashes.add(json.loads(raw)["meta"]["content_hash"])
                except (ValueError, KeyError, TypeError):
                    if raw.endswith(b"\n"):
                        raise StoreError(t(
                            f"{self.path}: muragat JSONL файлы емес (жол {n})",
                            f"{self.path}: not a muragat JSONL file (line {n})")) from None
                    break  # the last line, cut by a crash: its document is written again
                keep += len(raw)
        with self.path.open("rb+") as fh:
            fh.truncate(keep)
            if keep and (fh.seek(keep - 1), fh.read(1))[1] != b"\n":
                fh.write(b"\n")  # a complete last line written without its newline

    def has_hash(self, digest: str) -> bool:
        return digest in self.hashes

    def add(self, doc: Document, digest: str, source: str) -> bool:
        if digest in self.hashes:
            return False
        doc.meta["content_hash"] = digest
        self._fh.write(doc.to_json() + "\n")
        self._fh.flush()
        self.hashes.add(digest)
        return True

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_batch(sink: Sink, paths: Iterable[str | Path], engine: Engine,
              layers: Sequence[str] | None = None, text_field: str = "text",
              chunk_size: int = 8, progress: bool = False,
              exclude: Iterable[Path] = (), time_limit: float | None = None,
              on_failure: Callable[[Failure], None] | None = None) -> IngestReport:
    """Every document under `paths` analysed by `engine` and written to `sink`; each failure
    goes to `on_failure` as it happens, a record analysed longer than `time_limit` s fails."""
    names = tuple(pipeline.DEFAULT_LAYERS if layers is None else layers)
    report = IngestReport(on_failure=on_failure)
    began = time.perf_counter()
    in_flight: set[str] = set()  # texts sent but not yet written: never analysed twice

    def chunks() -> Iterator[Chunk]:
        records: list[Record] = []
        digests: list[str] = []
        for item in iter_records(paths, text_field, exclude):
            if isinstance(item, Failure):
                report.failures.append(item)
                continue
            digest = content_hash(item.text)
            if digest in in_flight or sink.has_hash(digest):
                report.skipped += 1
                continue
            in_flight.add(digest)
            records.append(item)
            digests.append(digest)
            if len(records) >= chunk_size:
                yield Chunk(names, records, digests, time_limit)
                records, digests = [], []
        if records:
            yield Chunk(names, records, digests, time_limit)

    bar = _progress_bar() if progress else None
    try:
        for chunk, result in engine.map(analyse_chunk, chunks()):
            _write(sink, chunk, result, report)
            in_flight.difference_update(chunk.digests)
            if bar is not None:
                bar.update(len(chunk.records))
                bar.set_postfix(added=report.added, skipped=report.skipped,
                                failed=len(report.failures), refresh=False)
    finally:
        if bar is not None:
            bar.close()
        report.seconds = time.perf_counter() - began
    return report


def _write(sink: Sink, chunk: Chunk, result: list[Document | Failure] | BaseException,
           report: IngestReport) -> None:
    if isinstance(result, BaseException):
        reason = t(f"өңдеуші құлады: {result!r}", f"worker failed: {result!r}")
        report.failures.extend(Failure(r.source, reason) for r in chunk.records)
        return
    for record, digest, item in zip(chunk.records, chunk.digests, result, strict=True):
        if isinstance(item, Failure):
            report.failures.append(item)
        elif sink.add(item, digest, record.source):
            report.added += 1
        else:
            report.skipped += 1


def _progress_bar() -> Any:
    from tqdm import tqdm

    return tqdm(unit=t(" құжат", " doc"), file=sys.stderr, dynamic_ncols=True)


def ingest(store: Store, paths: Iterable[str | Path], layers: Sequence[str] | None = None,
           text_field: str = "text", progress: bool = True,
           time_limit: float | None = DEFAULT_TIME_LIMIT,
           on_failure: Callable[[Failure], None] | None = None) -> IngestReport:
    """Read, analyse and store every document under `paths`, in this process; never stops at
    a bad one: the batch loop with a serial engine, one document per chunk. `on_failure`
    hears of each failure as it happens; a document whose analysis runs past `time_limit`
    seconds is one."""
    report = run_batch(StoreSink(store), paths, Engine(), layers, text_field, chunk_size=1,
                       progress=progress, time_limit=time_limit, on_failure=on_failure)
    if report.added:
        store.settle()
    return report


def ingest_parallel(store: Store, paths: Iterable[str | Path], engine: Engine,
                    layers: Sequence[str] | None = None, text_field: str = "text",
                    chunk_size: int = 8, progress: bool = False, time_limit: float | None = None,
                    on_failure: Callable[[Failure], None] | None = None) -> IngestReport:
    """`ingest`, with the analysis spread over the engine's workers."""
    report = run_batch(StoreSink(store), paths, engine, layers, text_field, chunk_size, progress,
                       time_limit=time_limit, on_failure=on_failure)
    if report.added:
        store.settle()
    return report


def analyse_to_jsonl(out: str | Path, paths: Iterable[str | Path], engine: Engine,
                     layers: Sequence[str] | None = None, text_field: str = "text",
                     chunk_size: int = 8, progress: bool = False) -> IngestReport:
    """Every document under `paths` as one JSON line in `out` (appended; resumable)."""
    with JsonlSink(out) as sink:
        return run_batch(sink, paths, engine, layers, text_field, chunk_size, progress,
                         exclude=[Path(out)])
