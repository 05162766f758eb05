"""Long work as a job: ingest of uploaded files or texts, and batch search of a query list.

    jobs = Jobs(workers=1, queued=8)
    job = jobs.submit("batch-search", total=3, run=lambda job: ...)   # Full past 8 waiting
    jobs.get(job.id).to_dict()     # {"state": "running", "progress": {"done": 1, "total": 3}}

A job runs in a small pool of threads inside the server (`workers`, 1 by default: the web
server shares the machine, and SQLite takes one writer at a time anyway). At most `queued`
jobs wait or run at once; one more is refused (`Full`, answered 429). Jobs live in memory:
a restart loses them, queued and finished alike; the documents an ingest stored stay in the
store. The `keep` most recent finished jobs stay readable.

A job's id is 16 random hex digits: knowing it is what lets one read its result.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from muragat import pipeline
from muragat.errors import InputError, MuragatError
from muragat.i18n import t
from muragat.ingest import Failure, Record, iter_records
from muragat.io import BatchLine, decode_lines
from muragat.model import Document
from muragat.search import search
from muragat.store.base import Store, content_hash
from muragat.web.text import message

log = logging.getLogger("muragat.web")
KINDS = ("ingest", "batch-search")
STATES = ("queued", "running", "done", "failed")
DEFAULT_WORKERS, DEFAULT_QUEUED, DEFAULT_KEEP = 1, 8, 100
MAX_QUERIES = 1000  # lines of one batch search
# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +cmd|...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Full(Exception):
    """As many jobs as the server takes are waiting or running."""


@dataclass(slots=True)
class Job:
    id: str
    kind: str
    total: int
    owner: str | None = None  # the token name that started it; None: anonymous (batch search)
    done: int = 0
    state: str = "queued"
    errors: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    created: str = field(default_factory=lambda: _now())
    finished: str | None = None

    def error(self, where: str, exc: Exception | str) -> None:
        said = str(exc)
        self.errors.append({"where": where, "message": message(said, said)})

    def result_url(self) -> str | None:
        if self.state != "done":
            return None
        if self.kind == "ingest":
            ids = [r["document"] for r in self.rows if r.get("document") is not None]
            return f"/documents/{ids[0]}" if len(ids) == 1 else "/documents"
        return f"/api/v1/jobs/{self.id}/result.csv"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "state": self.state,
                "progress": {"done": self.done, "total": self.total},
                "errors": list(self.errors), "created": self.created, "finished": self.finished,
                "url": f"/api/v1/jobs/{self.id}", "page": f"/jobs/{self.id}",
                "result_url": self.result_url(),
                "result": list(self.rows) if self.state in ("done", "failed") else None}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Jobs:
    """The job threads, the bounded queue and the jobs one can still read."""

    def __init__(self, workers: int = DEFAULT_WORKERS, queued: int = DEFAULT_QUEUED,
                 keep: int = DEFAULT_KEEP) -> None:
        self.queued, self.keep = queued, keep
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="muragat-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def submit(self, kind: str, total: int, run: Callable[[Job], None],
               owner: str | None = None) -> Job:
        """A new job doing `run(job)` in a job thread; Full when `queued` are waiting/running."""
        with self._lock:
            active = sum(1 for j in self._jobs.values() if j.state in ("queued", "running"))
            if active >= self.queued:
                raise Full
            job = Job(secrets.token_hex(8), kind, total, owner)
            self._jobs[job.id] = job
            self._forget_old()
        try:
            self._pool.submit(self._run, job, run)
        except RuntimeError:  # the pool is shut down: the server is stopping
            with self._lock:
                self._jobs.pop(job.id, None)
            raise Full from None
        return job

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
        for key in finished[: max(len(finished) - self.keep, 0)]:
            del self._jobs[key]

    @staticmethod
    def _run(job: Job, run: Callable[[Job], None]) -> None:
        job.state = "running"
        try:
            run(job)
        except MuragatError as exc:  # bad input, a store failure: said to the user
            job.error("job", exc)
        except Exception:  # a bug: logged here, never shown as a traceback
            log.exception("job %s failed", job.id)
            job.errors.append({"where": "job", "message": message(
                "ішкі қате; толығы сервер журналында", "internal error; see the server log")})
        ok = any(r.get("error") is None for r in job.rows)
        job.state = "done" if ok or not job.errors else "failed"
        job.done = job.total if job.state == "done" else job.done
        job.finished = _now()

    def get(self, ident: str) -> Job | None:
        with self._lock:
            return self._jobs.get(ident)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


# -- what the jobs do --------------------------------------------------------------------
def ingest_steps(layers: Sequence[str]) -> int:
    """Progress steps of one file: reading it, each layer, storing it."""
    return len(pipeline.check(layers)) + 2


def ingest_job(store_of: Callable[[], Store], files: Sequence[tuple[str, bytes]],
               layers: Sequence[str]) -> Callable[[Job], None]:
    """Read each (name, bytes) with the readers `muragat ingest` uses: the bytes are put in a
    file of that name in a temporary folder and read by `ingest.iter_records`, so the name's
    suffix picks the reader as in a folder (.jsonl and .parquet: a document per row; text in
    any encoding, HTML, PDF, DOCX, scanned images: one). Each document is analysed layer by
    layer and stored. What cannot be read is an error of its own row; the others go on."""
    specs = pipeline.check(layers)
    steps = len(specs) + 2

    def run(job: Job) -> None:
        store = store_of()
        with tempfile.TemporaryDirectory(prefix="muragat-upload-") as tmp:
            for n, (name, data) in enumerate(files):
                path = Path(tmp) / f"upload-{n}{_suffix(name)}"  # any name, a safe file
                path.write_bytes(data)
                start = job.done
                found = list(iter_records([path]))
                job.total += steps * (len(found) - 1)  # a corpus file: one step set per row
                for item in found:
                    _ingest_one(store, job, item, str(path), name, specs)
                job.done = start + steps * len(found)

    return run


def _suffix(name: str) -> str:
    """The name's suffix when it is a plain one (`.pdf`, `.jsonl`): it picks the reader."""
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def _ingest_one(store: Store, job: Job, item: Record | Failure, path: str, name: str,
                specs: Sequence[pipeline.Layer]) -> None:
    """One record of an uploaded file into the store, its progress and its row; the upload's
    temporary path is never shown, its name is."""
    def public(text: str) -> str:
        return text.replace(path, name).replace(Path(path).name, name)

    source = public(item.source)
    row: dict[str, Any] = {"source": source, "document": None, "added": False, "error": None}
    job.rows.append(row)
    try:
        if isinstance(item, Failure):
            raise InputError(public(item.reason))
        if not item.text.strip():
            raise InputError(t("мәтін жоқ", "no text in it"))
        job.done += 1
        digest = content_hash(item.text)
        if store.has_hash(digest):
            row["document"] = store.find_document(digest)
            return
        doc = Document(text=item.text, meta={"source": source, **item.meta})
        for spec in specs:
            doc = pipeline.layer(spec.name)(doc)
            job.done += 1
        row["document"] = store.add_document(doc, digest, source)
        row["added"] = True
    except InputError as exc:
        row["error"] = public(str(exc))
        job.error(source, row["error"])


def batch_lines(data: bytes, name: str = "<batch>") -> list[BatchLine]:
    """The lines of a query list, as `muragat search --batch` reads them (`id<TAB>query`;
    blank lines and `#` comments skipped). A list without any tab is one query per line,
    numbered q1, q2, ... by its line. InputError past MAX_QUERIES or with no query."""
    lines = decode_lines(data, name)
    numbered = not any(isinstance(x, str) and "\t" in x for x in lines)
    out: list[BatchLine] = []
    for n, line in enumerate(lines, 1):
        if isinstance(line, InputError):
            out.append(BatchLine(n, None, None, line))
            continue
        if not line.strip() or line.startswith("#"):
            continue
        qid, tab, query = (f"q{n}", "\t", line) if numbered else line.partition("\t")
        qid = qid.strip()
        if not tab:
            out.append(BatchLine(n, None, None, InputError(t(
                f"{n}-жол: TAB жоқ, `id<TAB>сұраным` болуы керек: {line[:60]!r}",
                f"line {n}: no tab, expected `id<TAB>query`: {line[:60]!r}"))))
        elif not qid or not query.strip():
            out.append(BatchLine(n, qid or None, None, InputError(t(
                f"{n}-жол: id не сұраным бос", f"line {n}: empty id or query"))))
        else:
            out.append(BatchLine(n, qid, query.strip()))
    if len(out) > MAX_QUERIES:
        raise InputError(t(f"сұранымдар тым көп: {len(out)} (шек {MAX_QUERIES})",
                           f"too many queries: {len(out)} (limit {MAX_QUERIES})"))
    if not out:
        raise InputError(t("сұраным жоқ: жолына бір сұраным жазыңыз",
                           "no query: write one query per line"))
    return out


def batch_job(store_of: Callable[[], Store], lines: Sequence[BatchLine],
              titles: Callable[[Store, list[int]], dict[int, str | None]],
              types: Iterable[str] = (), year: int | None = None) -> Callable[[Job], None]:
    """Each query's number of matching sentences and its best sentence with its document."""
    kinds = tuple(types)

    def run(job: Job) -> None:
        store = store_of()
        for item in lines:
            row: dict[str, Any] = {"id": item.qid, "line": item.line, "query": item.query,
                                   "hits": 0, "document": None, "title": None,
                                   "sentence": None, "text": None, "error": None}
            job.rows.append(row)
            try:
                if item.error is not None:
                    raise item.error
                assert item.query is not None
                found = search(store, item.query, types=kinds, year=year, limit=1,
                               facets=False)
                row["hits"] = found.total
                if found.hits:
                    best = found.hits[0]
                    row.update(document=best.document, sentence=best.sentence, text=best.text,
                               title=titles(store, [best.document]).get(best.document))
            except InputError as exc:
                row["error"] = str(exc)
            job.done += 1

    return run


# -- CSV ---------------------------------------------------------------------------------
def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or CR) gets a
    leading apostrophe, the OWASP advice; numbers and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """CSV with a header row, every cell formula-safe; a UTF-8 BOM first, so a spreadsheet
    reads Kazakh letters as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return out.getvalue()


BATCH_COLUMNS = ("id", "query", "hits", "document", "title", "sentence", "text", "error")
INGEST_COLUMNS = ("source", "document", "added", "error")


def job_csv(job: Job) -> str:
    return csv_text(BATCH_COLUMNS if job.kind == "batch-search" else INGEST_COLUMNS, job.rows)


def wait(job: Job, seconds: float = 30.0) -> Job:
    """Until the job has finished (tests and scripts; the pages poll instead)."""
    end = time.monotonic() + seconds
    while job.state in ("queued", "running") and time.monotonic() < end:
        time.sleep(0.02)
    return job
