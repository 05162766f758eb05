"""Issue 25: the five one-line reproductions, and the 'Also' list, through the CLI."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import pytest
from bad_input_helpers import cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from muragat.batch import ingest
from muragat.errors import EXIT_BAD_INPUT, EXIT_OK, InputError
from muragat.ingest import Failure, iter_files, run_with_time_limit
from muragat.model import Document
from muragat.store import open_store

SENTENCE = "1929 жылы Ғ. Тоғжановтың басшылығымен комиссия құрылды."


# 1. garbage accepted silently -------------------------------------------------------
def test_a_stray_byte_is_read_as_utf8_with_a_warning_not_as_koi8(tmp_path: Path,
                                                                   capsys) -> None:
    x = tmp_path / "x.txt"
    x.write_bytes(SENTENCE.encode() + b"\xff\n")
    code, out, err = cli(capsys, "analyze", str(x), "--to", "json", "--layers", "text")
    assert code == EXIT_OK
    assert json.loads(out)["text"] == SENTENCE + "\ufffd\n"
    assert "x.txt" in err and str(len(SENTENCE.encode())) in err
    code, out, err = cli(capsys, "analyze", str(x), "--strict", "--layers", "text")
    assert code == EXIT_BAD_INPUT and not out and "x.txt" in err


def test_a_batch_file_with_one_bad_line_answers_the_others(tmp_path: Path, capsys,
                                                           stored: str) -> None:
    b = tmp_path / "b.tsv"
    b.write_bytes("q1\tТоғжанов\n".encode() + b"q2\t\xd2\xff\n" + "q3\tкомиссия\n".encode())
    code, out, _ = cli(capsys, "search", "--batch", str(b), "--json", "--db", stored)
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == EXIT_OK and [r["id"] for r in rows] == ["q1", None, "q3"]
    assert rows[0]["total"] > 0 and rows[2]["total"] > 0 and "error" in rows[1]


# 3. one bad JSONL row ---------------------------------------------------------------
def test_a_lone_surrogate_row_is_cleaned_and_the_rows_after_it_stored(tmp_path: Path,
                                                                      capsys) -> None:
    s = tmp_path / "s.jsonl"
    s.write_text('{"text":"a \\ud800 b"}\nnot json\n{"text":"Ойыл ауданы 1931."}\n',
                 encoding="utf-8")
    db = str(tmp_path / "s.db")
    code, _, err = cli(capsys, "ingest", str(s), "--db", db, "--layers", "text",
                       "--no-progress", "--json")
    assert "Traceback" not in err and "#1" in err  # the surrogate, said
    with open_store(db, readonly=True) as store:
        texts = sorted(store.get_document(i).text for i in store.document_ids())
    assert texts == ["a \ufffd b", "Ойыл ауданы 1931."]
    assert code == 1 and "#2" in err  # the row that is not JSON: reported, skipped


# 5. a batch line without a tab ------------------------------------------------------
@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("store")
    (folder / "a.txt").write_text(SENTENCE + " Ойыл ауданы 1931 жылы.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Тоғжанов комиссия құрды.\n", encoding="utf-8")
    db = str(folder / "s.db")
    with open_store(db) as store:
        assert ingest(store, [folder], ("text", "morph"), progress=False).added == 2
    return db


def test_a_batch_line_without_a_tab_does_not_abort_the_others(tmp_path: Path, capsys,
                                                              stored: str) -> None:
    b = tmp_path / "b.tsv"
    b.write_text("q1\tТоғжанов\nbad line\nq3\tкомиссия\n\nq5\t\n", encoding="utf-8")
    code, out, _ = cli(capsys, "search", "--batch", str(b), "--json", "--db", stored)
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == EXIT_OK
    assert [(r["id"], "error" in r) for r in rows] == [
        ("q1", False), (None, True), ("q3", False), ("q5", True)]
    assert rows[1]["line"] == 2 and rows[3]["line"] == 5
    code, out, err = cli(capsys, "search", "--batch", str(b), "--trec", "--db", stored)
    assert code == 1 and out.startswith("q1 Q0") and "q3 Q0" in out and "2" in err


# also -------------------------------------------------------------------------------
def test_entities_total_is_the_total_not_the_limit(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "1929 жылы Ғ. Тоғжанов Қызылорда қаласына келді. Ойыл ауданында С. Сейфуллин болды. "
        "Алматы облысы мен Ақмола губерниясы.\n", encoding="utf-8")
    db = str(folder / "e.db")
    with open_store(db) as store:
        ingest(store, [folder], progress=False)
    code, out, _ = cli(capsys, "entities", "--db", db, "--json")
    everything = json.loads(out)
    assert everything["total"] == len(everything["entities"]) > 2
    code, out, _ = cli(capsys, "entities", "--db", db, "--json", "--limit", "2")
    limited = json.loads(out)
    assert len(limited["entities"]) == 2 and limited["total"] == everything["total"]


def test_ingest_has_the_max_mb_its_message_names(tmp_path: Path, capsys) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(("Ойыл ауданы. " * 100_000).encode())  # 2.2 MB
    code, _, err = cli(capsys, "ingest", str(big), "--db", str(tmp_path / "b.db"),
                       "--max-mb", "1", "--no-progress", "--layers", "text")
    assert code == 1 and "--max-mb" in err


def test_a_directory_where_a_file_is_expected_is_our_message_and_exit_3(
        tmp_path: Path, capsys, stored: str) -> None:
    code, _, err = cli(capsys, "analyze", str(tmp_path))
    assert code == EXIT_BAD_INPUT and "қате:" in err and "Error:" not in err
    code, _, err = cli(capsys, "search", "--batch", str(tmp_path), "--db", stored)
    assert code == EXIT_BAD_INPUT and "қате:" in err
    code, _, err = cli(capsys, "export", "-o", str(tmp_path), "--db", str(tmp_path / "n.db"))
    assert code == EXIT_BAD_INPUT and "қате:" in err


def test_folder_ingest_reports_a_directory_named_txt_and_looping_symlinks(tmp_path: Path
                                                                         ) -> None:
    (tmp_path / "ok.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    os.symlink(tmp_path / "loop2.txt", tmp_path / "loop1.txt")
    os.symlink(tmp_path / "loop1.txt", tmp_path / "loop2.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    found = list(iter_files([tmp_path]))
    files = [p for p in found if not isinstance(p, Failure)]
    failures = {Path(f.source).name: f.reason for f in found if isinstance(f, Failure)}
    assert [p.name for p in files] == ["ok.txt"]
    assert set(failures) == {"folder.txt", "loop1.txt", "loop2.txt", "dangling.txt"}


def test_ingest_reports_each_failure_as_it_happens(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(SENTENCE, encoding="utf-8")
    heard: list[str] = []
    with open_store(str(tmp_path / "f.db")) as store:
        report = ingest(store, [tmp_path], ("text",), progress=False,
                        on_failure=lambda f: heard.append(f.source))
    assert heard == [str(tmp_path / "a.txt")] and report.added == 1


def test_a_document_past_the_time_limit_is_a_failure_not_a_stall() -> None:
    def slow() -> Document:
        time.sleep(5)
        return Document(text="x")

    with pytest.raises(InputError, match="0.2"):
        run_with_time_limit(slow, 0.2)
    assert run_with_time_limit(lambda: Document(text="y"), 5).text == "y"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=200).map(
    lambda s: s.encode("utf-8", "surrogatepass")))
def test_any_file_is_analysed_or_refused_never_a_traceback(capsys, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.txt"
        path.write_bytes(data)
        code, out, err = cli(capsys, "analyze", str(path), "--layers", "text")
    assert code in (EXIT_OK, EXIT_BAD_INPUT) and "Traceback" not in err
    if code == EXIT_OK:
        json.loads(out)["text"].encode("utf-8")  # never a lone surrogate in the output
