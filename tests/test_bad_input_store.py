"""Issue 25, defect 4: a damaged store is refused before any write, and every read error is
exit 4 with a message, never a traceback."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from bad_input_helpers import cli

from muragat.errors import EXIT_STORE, StoreError
from muragat.store import open_store

DEMO = Path(__file__).resolve().parents[1] / "demo"


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 90 texts (the demo documents with varied years), text layer only."""
    folder = tmp_path_factory.mktemp("corpus")
    for i in range(30):
        for p in sorted(DEMO.glob("*.txt")):
            text = p.read_text(encoding="utf-8").replace("19", str(10 + i))
            (folder / f"{i}-{p.name}").write_text(text, encoding="utf-8")
    db = folder / "good.db"
    with open_store(str(db)) as store:
        from muragat.batch import ingest

        report = ingest(store, [folder], ("text",), progress=False)
    assert report.added == 90 and not report.failures
    return db


def _damaged(good: Path, tmp_path: Path, seed: int = 25) -> Path:
    """The store with 4 KB in the middle overwritten by random bytes (WAL checkpointed)."""
    bad = tmp_path / "bad.db"
    shutil.copy(good, bad)
    data = bytearray(bad.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle:middle + 4096] = random.Random(seed).randbytes(4096)
    bad.write_bytes(bytes(data))
    return bad


def test_the_good_store_checks_sound(good_store: Path, capsys) -> None:
    code, out, _ = cli(capsys, "check", "--db", str(good_store))
    assert code == 0 and "90" in out


@pytest.mark.parametrize("seed", [25, 26, 27])
def test_a_damaged_store_is_refused_for_writing_and_found_by_check(
        good_store: Path, tmp_path: Path, capsys, seed: int) -> None:
    bad = _damaged(good_store, tmp_path, seed)
    before = bad.read_bytes()
    (tmp_path / "new.txt").write_text("Ойыл ауданы 1931 жылы құрылды.", encoding="utf-8")
    code, _, err = cli(capsys, "ingest", str(tmp_path / "new.txt"), "--db", str(bad),
                       "--layers", "text", "--no-progress")
    assert code == EXIT_STORE and "muragat check" in err and "Traceback" not in err
    assert bad.read_bytes() == before  # nothing written
    code, _, err = cli(capsys, "check", "--db", str(bad))
    assert code == EXIT_STORE and err


@pytest.mark.parametrize("seed", [25, 26, 27])
def test_every_read_command_on_a_damaged_store_is_exit_0_or_4_never_a_traceback(
        good_store: Path, tmp_path: Path, capsys, seed: int) -> None:
    bad = _damaged(good_store, tmp_path, seed)
    for args in (["search", "комиссия"], ["search", "комиссия", "--json"], ["entities"],
                 ["show", "45"], ["show", "1", "--json"], ["export"], ["export", "--to", "tei"]):
        code, _, err = cli(capsys, *args, "--db", str(bad))
        assert code in (0, EXIT_STORE), (args, code, err)
        assert "Traceback" not in err
        if code == EXIT_STORE:
            assert err.strip()


def test_a_bad_document_body_is_exit_4(good_store: Path, tmp_path: Path, capsys) -> None:
    import sqlite3

    bad = tmp_path / "body.db"
    shutil.copy(good_store, bad)
    with sqlite3.connect(bad) as db:
        db.execute("UPDATE documents SET body = x'00112233' WHERE id = 3")
    code, _, err = cli(capsys, "show", "3", "--db", str(bad))
    assert code == EXIT_STORE and "zlib" in err or "error" in err.lower()
    code, _, err = cli(capsys, "export", "--db", str(bad))
    assert code == EXIT_STORE and "Traceback" not in err
    code, _, err = cli(capsys, "check", "--db", str(bad))
    assert code == EXIT_STORE and "3" in err


def test_an_empty_file_is_not_a_store_rather_than_a_migration(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, _, err = cli(capsys, "--lang", "en", "search", "x", "--db", str(empty))
    assert code == EXIT_STORE and "empty" in err and "migration" not in err
    with pytest.raises(StoreError):
        open_store(str(empty), readonly=True)
    with open_store(str(empty)) as store:  # ingest may still make it a store
        assert store.counts()["documents"] == 0
