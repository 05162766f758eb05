"""Rows of scripts/reliability.py for faults of the machine: the PostgreSQL server restarted
mid-ingest, a full disk, a read-only store file, and several writers at once (SQLite,
PostgreSQL, and the team web API).

Rows that need root (mount, chattr) or the test server (MURAGAT_TEST_PG_URL) skip with a
note saying why, never pass silently: a skipped row has tried = 0.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from reliability import (
    MURAGAT,
    PG_ENV,
    REPO,
    Row,
    _clean_exit,
    _cli,
    _count,
    _drop_schema,
    _pg_schema_url,
    _rows,
    _stored,
    check_stored,
    write_docs,
)

PG_DATA = os.environ.get("MURAGAT_PG_DATA", "/tmp/muragat-pg")  # scripts/ci/start_postgres.sh


def _stored_once(row: Row, label: str, url: str, names: list[str]) -> None:
    """The kill row's checks (`check_stored`), counted as one input tried."""
    row.tried += 1
    check_stored(row, label, url, names)


def _last_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[-1][:200]


# -- PostgreSQL restarted mid-ingest -------------------------------------------------------------

def _pg_ctl(*args: str) -> tuple[int, str]:
    """(exit code, output) of pg_ctl as the `postgres` user. The server it starts keeps the
    log file (`-l`) and never our pipes: a pipe held by the server would never close."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    log = ["-l", f"{PG_DATA}/server.log"] if args[0] in ("start", "restart") else []
    with tempfile.TemporaryFile() as out:
        code = subprocess.run([*as_user, binaries[-1], "-D", PG_DATA, *args, *log],
                              stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                              timeout=120).returncode
        out.seek(0)
        return code, out.read().decode("utf-8", "replace")


def _pg_up() -> None:
    """The server up again, whatever happened (others' tests use it): the CI script reuses a
    running server and starts a stopped one."""
    if _pg_ctl("status")[0] != 0:
        subprocess.run(["bash", str(REPO / "scripts/ci/start_postgres.sh")],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=180)


def pg_restart(n_docs: int, seed: int) -> Row:
    """`pg_ctl restart -m fast` once half the documents are in; then a rerun: exit 4 with a
    message (or 0), and after the rerun every document there once."""
    row = Row(f"PostgreSQL restarted mid-ingest ({n_docs} docs)")
    base = os.environ.get(PG_ENV)
    if not base or not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl") or not Path(PG_DATA).exists():
        row.note = f"skipped: needs {PG_ENV} and the server of scripts/ci/start_postgres.sh"
        return row
    schema = "reliability_restart"
    outcome = "?"
    with tempfile.TemporaryDirectory() as tmp:
        names = write_docs(Path(tmp) / "docs", n_docs, seed)
        url = _pg_schema_url(base, schema)
        try:
            proc = subprocess.Popen([MURAGAT, "ingest", str(Path(tmp) / "docs"), "--db", url,
                                     "--no-progress"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
            began = time.monotonic()
            while proc.poll() is None and _count(url) < n_docs // 2 and \
                    time.monotonic() - began < 120:
                time.sleep(0.05)
            at = _count(url)
            code, said = _pg_ctl("restart", "-m", "fast", "-w", "-t", "60")
            row.tried += 1
            if code != 0:
                row.fail(f"pg_ctl restart: exit {code}: {_last_line(said)}")
            _, err = proc.communicate(timeout=300)
            outcome = f"restarted with {at} stored; the ingest exit {proc.returncode}"
            row.tried += 1
            if proc.returncode not in (0, 4) or "Traceback" in err or \
                    (proc.returncode and not _last_line(err)):
                row.fail(f"ingest across the restart: exit {proc.returncode}: {_last_line(err)}")
            elif proc.returncode:
                outcome += f" (…{_last_line(err)[-90:]})"
            _pg_up()
            _clean_exit(row, "rerun", _cli("ingest", str(Path(tmp) / "docs"), "--db", url,
                                           "--no-progress"), allowed=(0,))
            _stored_once(row, "after the rerun", url, names)
        finally:
            _pg_up()
            _drop_schema(base, schema)
    row.note = outcome
    return row


# -- disk full -----------------------------------------------------------------------------------

@contextmanager
def _tmpfs(folder: Path, size: str):  # type: ignore[no-untyped-def]
    """A tmpfs of `size` at `folder` while the block runs; None when mount is not permitted."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        yield None, _last_line(done.stderr)
        return
    try:
        yield folder, ""
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def disk_full(seed: int) -> Row:
    """A 2 MB tmpfs, mostly taken by a filler file, holds an SQLite store: an ingest runs out
    of space. Exit 4 with a message; after freeing the filler, `check` exits 0 and every
    document committed before is there once and whole."""
    row = Row("disk full (2 MB tmpfs, SQLite)")
    with tempfile.TemporaryDirectory() as tmp:
        with _tmpfs(Path(tmp) / "disk", "2m") as (disk, why):
            if disk is None:
                row.note = f"skipped: mount -t tmpfs not permitted ({why})"
                return row
            first = write_docs(Path(tmp) / "first", 5, seed)
            db = str(disk / "full.db")
            _clean_exit(row, "first ingest", _cli("ingest", str(Path(tmp) / "first"), "--db", db,
                                                  "--no-progress"), allowed=(0,))
            free = os.statvfs(disk)
            filler = disk / "filler"
            filler.write_bytes(b"\0" * max(0, free.f_bavail * free.f_frsize - 400 * 1024))
            many = Path(tmp) / "many"
            names = write_docs(many, 300, seed + 1, prefix="more")
            full = _cli("ingest", str(many), "--db", db, "--no-progress")
            row.tried += 1
            if full.returncode != 4 or "Traceback" in full.stderr or not _last_line(full.stderr):
                row.fail(f"ingest on a full disk: exit {full.returncode}: "
                         f"{_last_line(full.stderr)}")
            at = _count(db)
            filler.unlink()
            _clean_exit(row, "check after freeing space", _cli("check", "--db", db),
                        allowed=(0,))
            counts, half = _stored(db)
            row.tried += 1
            if _count(db) != at or any(counts.get(x, 0) != 1 for x in first) or half or \
                    any(k > 1 for k in counts.values()):
                row.fail(f"after freeing space: {_count(db)} documents (was {at}), "
                         f"half-stored {half[:2]}")
            _clean_exit(row, "rerun after freeing space", _cli(
                "ingest", str(many), "--db", db, "--no-progress"), allowed=(0, 4))
            stored_many = sum(counts.get(x, 0) for x in names)
            row.note = (f"full after {at - len(first)} of {len(names)} more documents "
                        f"({stored_many} kept); …{_last_line(full.stderr)[-60:]}")
    return row


# -- a read-only store file ----------------------------------------------------------------------

def _chattr(flag: str, *paths: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True).returncode == 0


def read_only_store(seed: int) -> Row:
    """chmod 444 and `chattr +i` on the file and its folder (chmod alone does not stop root):
    ingest exits 4 and the bytes stay the same; search and check still read it."""
    row = Row("read-only store file (chmod 444 + chattr +i)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ro"
        folder.mkdir()
        db = folder / "ro.db"
        write_docs(Path(tmp) / "a", 5, seed)
        write_docs(Path(tmp) / "b", 3, seed + 1)
        _clean_exit(row, "first ingest", _cli("ingest", str(Path(tmp) / "a"), "--db", str(db),
                                              "--no-progress"), allowed=(0,))
        before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
        db.chmod(0o444)
        how = "chattr +i" if _chattr("+i", db, folder) else "chmod 444 only (no chattr)"
        if os.geteuid() == 0 and how != "chattr +i":
            row.note = "skipped: as root chmod does not stop writes and chattr +i failed"
            return row
        try:
            proc = _cli("ingest", str(Path(tmp) / "b"), "--db", str(db), "--no-progress")
            _clean_exit(row, "ingest into it", proc, allowed=(4,))
            if proc.returncode == 4 and not _last_line(proc.stderr):
                row.fail("ingest exit 4 without a message")
            after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
            row.tried += 1
            if after != before:
                row.fail(f"the folder changed: {sorted(before)} -> {sorted(after)}")
            found = _cli("search", "комиссия", "--db", str(db), "--limit", "3")
            _clean_exit(row, "search", found, allowed=(0,))
            row.tried += 1
            if not found.stdout.strip():
                row.fail("search found nothing in the read-only store")
            _clean_exit(row, "check", _cli("check", "--db", str(db)), allowed=(0,))
            row.note = f"{how}; ingest: {_last_line(proc.stderr)[:90]}"
        finally:
            _chattr("-i", db, folder)
            db.chmod(0o644)
    return row


# -- several writers -----------------------------------------------------------------------------

def _overlapping(tmp: Path, n_per: int, seed: int) -> tuple[list[list[str]], list[str]]:
    """Three folders; writer k gets folders k and k+1, so each file goes to two writers."""
    parts, names = [], []
    for k in range(3):
        folder = tmp / f"part{k}"
        names += write_docs(folder, n_per, seed + 10 * k, prefix=f"part{k}")
        parts.append(str(folder))
    return [[parts[k], parts[(k + 1) % 3]] for k in range(3)], names


def _bad_stderr(err: str) -> bool:
    low = err.lower()
    return "traceback" in low or "locked" in low or "deadlock" in low


def cli_writers(url: str, backend: str, n_per: int, seed: int, row: Row, tmp: Path) -> None:
    """3 `muragat ingest` at once on the same store with overlapping files, searches beside."""
    jobs, names = _overlapping(tmp, n_per, seed)
    writers = [subprocess.Popen([MURAGAT, "ingest", *job, "--db", url, "--no-progress"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for job in jobs]
    searches = 0
    while any(w.poll() is None for w in writers) and searches < 20:
        if _count(url) == 0:  # before the first commit there is no store to search yet
            time.sleep(0.1)
            continue
        found = _cli("search", "жиналыс", "--db", url, "--limit", "3")
        searches += 1
        row.tried += 1
        if found.returncode != 0 or _bad_stderr(found.stderr):
            row.fail(f"{backend}: search during the writers: exit {found.returncode}: "
                     f"{_last_line(found.stderr)}")
    for k, w in enumerate(writers):
        _, err = w.communicate(timeout=600)
        row.tried += 1
        if w.returncode != 0 or _bad_stderr(err):
            row.fail(f"{backend}: writer {k}: exit {w.returncode}: {_last_line(err)}")
    _stored_once(row, f"{backend}: 3 writers", url, names)
    row.note += f"{backend}: {len(names)} files x2, {searches} searches; "


def _http(method: str, url: str, body: dict[str, Any] | None = None,
          token: str | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"content-type": "application/json"} if data else {}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError as exc:
        return 0, str(exc)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: str, *extra: str):  # type: ignore[no-untyped-def]
    """A real `muragat serve` on a free port of 127.0.0.1, stopped afterwards; yields its URL.
    Its log goes to a file (a pipe nobody reads would block the server once full)."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([MURAGAT, "serve", "--db", db, "--port", str(port), *extra],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        began = time.monotonic()
        while _http("GET", base + "/api/v1")[0] != 200:
            if proc.poll() is not None or time.monotonic() - began > 60:
                log.seek(0)
                said = log.read().decode("utf-8", "replace")
                raise RuntimeError(f"serve did not start: {_last_line(said)}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def web_writers(db: str, n_per: int, seed: int, row: Row) -> None:
    """`serve --writable`: 3 clients POST overlapping texts with a write token while 2 GET."""
    made = _cli("token", "create", "--role", "write", "--db", db)
    token = made.stdout.strip()
    from muragat.store.tokens import TABLE

    kept = _rows(db, f"SELECT * FROM {TABLE}")  # the secret itself is never stored
    row.tried += 1
    if not token or any(token in str(x) for x in kept) or \
            not any(hashlib.sha256(token.encode()).hexdigest() in x for x in kept):
        row.fail(f"web team: the token is not stored as its SHA-256 only: {len(kept)} rows")
    texts = [f"{k + 1}-веб құжат. {1920 + k % 17} жылы комиссия жиналыс өткізді."
             for k in range(3 * n_per)]
    before = _count(db)
    results: list[tuple[str, int]] = []
    lock = threading.Lock()
    with serving(db, "--writable") as base:
        def writer(k: int) -> None:
            for j, text in enumerate(texts[k::3] + texts[(k + 1) % 3::3]):  # each text twice
                status, _ = _http("POST", base + "/api/v1/documents",
                                  {"text": text, "source": f"web_{k}_{j}.txt"}, token)
                with lock:
                    results.append((f"POST writer {k}", status))

        stop = threading.Event()

        def reader() -> None:
            while not stop.is_set():
                for path in ("/api/v1/search?q=" + quote("комиссия"), "/documents", "/"):
                    status, _ = _http("GET", base + path)
                    with lock:
                        results.append((f"GET {path}", status))

        posters = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
        readers = [threading.Thread(target=reader) for _ in range(2)]
        for th in posters + readers:
            th.start()
        for th in posters:
            th.join()
        stop.set()
        for th in readers:
            th.join()
        no_token = _http("POST", base + "/api/v1/documents", {"text": "Токенсіз мәтін."})[0]
    row.tried += 1
    if no_token != 401:
        row.fail(f"web team: POST without a token: {no_token}, not 401")
    for what, status in results:
        row.tried += 1
        if status not in (200, 201):
            row.fail(f"web team: {what}: {status}")
    added = sum(1 for w, status in results if w.startswith("POST") and status == 201)
    stored = _count(db) - before
    row.tried += 1
    if not stored == added == len(texts):
        row.fail(f"web team: {len(texts)} texts posted twice each: {added} answered 201, "
                 f"{stored} stored")
    posts = sum(1 for w, _ in results if w.startswith("POST"))
    row.note += f"web team: {posts} POSTs ({added} new), {len(results) - posts} GETs"


def writers(n_per: int, seed: int) -> Row:
    """3 writers at once on SQLite, on PostgreSQL (with MURAGAT_TEST_PG_URL), and through
    the team web API; searches and GETs beside them."""
    row = Row("several writers (3 CLI; team web API)")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "w.db")
        cli_writers(db, "SQLite", n_per, seed, row, Path(tmp))
        base = os.environ.get(PG_ENV)
        if base:
            url = _pg_schema_url(base, "reliability_writers")
            try:
                with tempfile.TemporaryDirectory() as pg_tmp:
                    cli_writers(url, "PostgreSQL", n_per, seed, row, Path(pg_tmp))
            finally:
                _drop_schema(base, "reliability_writers")
        else:
            row.note += f"PostgreSQL skipped (no {PG_ENV}); "
        web_writers(db, n_per, seed, row)
    return row
