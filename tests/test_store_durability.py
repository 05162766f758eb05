"""Nothing lost: kill -9 in the middle of an ingest, reopen, rerun, count; bad stores refused."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import BACKENDS

from muragat.errors import StoreError
from muragat.search import search
from muragat.store import open_store

pytest_plugins = ["store_fixtures"]  # the store_url fixture
N_DOCS = 1500
_INGEST = "from muragat.cli import main; main()"


def _corpus(folder: Path) -> Path:
    """N_DOCS distinct small documents in one JSON-lines file and a few text files."""
    folder.mkdir()
    words = ["Ойыл", "ауданындағы", "комиссия", "Тоғжанов", "газетінде", "жарияланды"]
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(N_DOCS):
            text = f"{i}-құжат. " + " ".join(words[(i + k) % len(words)] for k in range(12)) + "."
            fh.write('{"text": "' + text + '", "n": ' + str(i) + "}\n")
    return folder


def _count(url: str) -> int:
    try:
        if url.startswith("postgresql://"):
            import psycopg

            with psycopg.connect(url) as conn:
                return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        conn = sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except Exception:  # the schema may not exist yet
        return 0


@pytest.mark.parametrize("store_url", BACKENDS, indirect=True)
def test_kill_9_mid_ingest_loses_nothing_and_rerun_finishes(store_url: str, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    cmd = [sys.executable, "-c", _INGEST, "ingest", str(corpus), "--db", store_url,
           "--no-progress", "--layers", "text"]  # the store is under test, not the layers
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(store_url) < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    killed_mid_way = proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with open_store(store_url) as store:  # opens cleanly after the kill
        committed = store.counts()["documents"]
        assert committed >= 20
        if killed_mid_way:
            assert committed < N_DOCS
        # every committed document is whole: its sentences are searchable
        assert search(store, "комиссия", limit=1).total >= committed
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(store_url) as store:
        assert store.counts()["documents"] == N_DOCS
        ids = store.document_ids()
        hashes = {store.doc_info(i).hash for i in (ids[0], ids[-1])}  # type: ignore[union-attr]
        assert len(hashes) == 2
    if not store_url.startswith("postgresql://"):
        with sqlite3.connect(store_url) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(DISTINCT hash) FROM documents").fetchone()[0] \
                == N_DOCS


# -- SQLite files that are not stores --------------------------------------------------
def test_corrupt_file_is_a_clear_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError, match="SQLite"):
        open_store(str(bad))
    with pytest.raises(StoreError):
        open_store(str(tmp_path))  # a folder


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="muragat"):
        open_store(str(other))


def test_damaged_store_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_store(str(path)).close()
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900  # trample the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        with open_store(str(path)) as store:
            store.counts()


def test_file_mode_0444_and_mode_ro_open_read_only(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with open_store(str(path)) as store:
        from store_helpers import add, hand_doc

        add(store, hand_doc("Тоғжанов мақала жазды."))
    for url in (f"{path}?mode=ro", f"file:{path}?mode=ro"):
        with open_store(url) as ro:
            assert ro.readonly and search(ro, "мақала").total == 1
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    path.chmod(0o444)
    try:
        with open_store(str(path)) as ro:
            assert ro.readonly
            assert search(ro, "Тоғжанов").total == 1
    finally:
        path.chmod(0o644)


def test_missing_store_for_reading_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(str(tmp_path / "absent.db"), readonly=True)


def test_an_older_schema_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as conn:  # make it look like a version-1 store
        conn.execute("DROP TABLE lexicon")
        conn.execute("DROP TABLE document_fts")
        conn.execute("DELETE FROM schema_version WHERE version > 1")
    conn.close()
    with open_store(str(path)) as store:
        assert store.known_lemmas(["x"]) == {}
    with sqlite3.connect(path) as conn:
        from muragat.store.sqlite import LATEST

        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST
    conn.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM schema_version WHERE version > 1")
    conn.close()
    with pytest.raises(StoreError):  # a read-only store that needs a migration says so
        open_store(str(path), readonly=True)
