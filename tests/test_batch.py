"""Batch: engines agree with the serial run, survive dead workers, resume, never lose output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from muragat.batch import (
    JsonlSink,
    LocalEngine,
    analyse_to_jsonl,
    ingest,
    ingest_parallel,
    make_engine,
)
from muragat.batch.engines import Engine
from muragat.errors import EXIT_ENGINE, EngineError, StoreError
from muragat.model import Document
from muragat.store import open_store

# team-written sentences in the style of the sample article
TEXTS = [
    "1929 жылы Семей округінде 432 коммунист партиядан шығарылды.\n"
    "Тексеру комиссиясы олардың 57-ін қайта қабылдады.\n",
    "Ойыл ауданындағы ұяшықтың хатшысы Ғ. Тоғжанов 1930 жылы сотталды.\n",
    "Өлкелік комитеттің пленумы 1928 жылы 2-7 желтоқсанда өтті.\n"
    "Пленум тазарту жұмысын қорытындылады.\n",
    "Павлодар уезінде 19 ауыл кеңесі тексерілді.\n",
]
LAYERS = ("text", "values")  # fast layers: the batch machinery is under test, not the models


def _square(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x * x


def _die(x: int) -> int:
    if x == 2:
        os._exit(9)  # a worker killed mid-task (out of memory, a native crash)
    return x


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02\xff binary")
    return folder


def test_engines_keep_order_and_isolate_a_failed_chunk() -> None:
    serial = list(Engine().map(_square, range(6)))
    with LocalEngine(2) as engine:
        local = list(engine.map(_square, range(6)))
    for results in (serial, local):
        assert [c for c, _ in results] == list(range(6))
        assert [r for c, r in results if c != 3] == [0, 1, 4, 16, 25]
        assert isinstance(results[3][1], ValueError)


def test_a_dead_worker_fails_its_chunk_only() -> None:
    with LocalEngine(2) as engine:
        results = list(engine.map(_die, range(7)))
    assert [c for c, _ in results] == list(range(7))  # order kept through the retries
    assert {c: r for c, r in results if c != 2} == {0: 0, 1: 1, 3: 3, 4: 4, 5: 5, 6: 6}
    assert isinstance(results[2][1], Exception)


def test_parallel_ingest_stores_what_the_serial_ingest_stores(tmp_path: Path, corpus: Path) -> None:
    with open_store(str(tmp_path / "serial.db")) as store:
        serial = ingest(store, [corpus], LAYERS, progress=False)
        serial_docs = [store.get_document(i).to_dict() for i in store.document_ids()]
    with open_store(str(tmp_path / "par.db")) as store, make_engine("local", 2) as engine:
        report = ingest_parallel(store, [corpus], engine, LAYERS, chunk_size=1)
        par_docs = [store.get_document(i).to_dict() for i in store.document_ids()]
        again = ingest_parallel(store, [corpus], engine, LAYERS)
    assert (report.added, report.skipped, len(report.failures)) == (4, 0, 1)
    assert (serial.added, len(serial.failures)) == (4, 1)
    assert report.failures[0].source.endswith("broken.txt")
    assert par_docs == serial_docs  # same documents, same analyses, same (input) order
    assert any(s["label"] == "DATE" for s in par_docs[0]["spans"])
    assert (again.added, again.skipped) == (0, 4)


def test_a_batch_that_stored_documents_settles_the_store(tmp_path: Path, corpus: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    settled: list[str] = []
    with open_store(str(tmp_path / "s.db")) as store:
        monkeypatch.setattr(store, "settle", lambda: settled.append("settle"))
        ingest(store, [corpus], LAYERS, progress=False)
        assert settled == ["settle"]
        ingest(store, [corpus], LAYERS, progress=False)  # nothing new: nothing to settle
        assert settled == ["settle"]


def test_duplicate_texts_are_analysed_once(tmp_path: Path, corpus: Path) -> None:
    (corpus / "copy.txt").write_text(TEXTS[0], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    report = analyse_to_jsonl(out, [corpus], make_engine("local", 2), LAYERS, chunk_size=2)
    assert (report.added, report.skipped) == (4, 1)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_jsonl_output_round_trips_and_resumes(tmp_path: Path, corpus: Path) -> None:
    out = corpus / "out.jsonl"  # inside the input folder: never read back as input
    first = analyse_to_jsonl(out, [corpus], Engine(), LAYERS)
    lines = out.read_text(encoding="utf-8").splitlines()
    docs = [Document.from_json(line) for line in lines]
    assert first.added == 4 and len(docs) == 4
    assert {d.text for d in docs} == set(TEXTS)
    assert all(d.meta["content_hash"] and d.sentences for d in docs)
    # a crash cut the last line: the complete ones stay, the cut document is written again
    out.write_text("\n".join(lines[:2]) + "\n" + lines[2][:40], encoding="utf-8")
    second = analyse_to_jsonl(out, [corpus], Engine(), LAYERS)
    assert (second.added, second.skipped) == (2, 2)
    again = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(again) == 4 and [a["text"] for a in again[:2]] == [d.text for d in docs[:2]]


def test_jsonl_sink_refuses_a_foreign_file_and_keeps_it(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.jsonl"
    foreign.write_text('{"hello": 1}\n{"world": 2}\n', encoding="utf-8")
    with pytest.raises(StoreError):
        JsonlSink(foreign)
    assert foreign.read_text(encoding="utf-8") == '{"hello": 1}\n{"world": 2}\n'


def test_jsonl_sink_completes_a_last_line_without_newline(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text('{"meta": {"content_hash": "abc"}}', encoding="utf-8")
    with JsonlSink(out) as sink:
        assert sink.has_hash("abc")
        sink.add(Document(text="Бір сөйлем."), "def", "x")
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["meta"]["content_hash"] for r in rows] == ["abc", "def"]


def muragat(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from muragat.cli import main; main()", *args],
        capture_output=True, text=True, timeout=240, env=env)


def test_cli_batch_and_parallel_ingest(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "cli.jsonl"
    layers = ",".join(LAYERS)
    res = muragat("batch", str(corpus), "-o", str(out), "--workers", "2", "--layers", layers,
                  "--json")
    assert res.returncode == 1, res.stderr  # the binary file failed, the rest went through
    assert json.loads(res.stdout)["added"] == 4
    res = muragat("ingest", str(corpus), "--db", str(tmp_path / "cli.db"), "--workers", "2",
                  "--layers", layers, "--json")
    assert json.loads(res.stdout)["added"] == 4
    res = muragat("batch", str(corpus), "-o", str(out), "--layers", "nope")
    assert res.returncode == 2


def test_missing_ray_is_a_clear_error(tmp_path: Path, corpus: Path) -> None:
    # a folder that shadows the package: `import ray` fails as if Ray were not installed
    fake = tmp_path / "noray"
    (fake / "ray").mkdir(parents=True)
    (fake / "ray" / "__init__.py").write_text("raise ImportError('no ray here')\n")
    env = {**os.environ, "PYTHONPATH": str(fake)}
    res = muragat("batch", str(corpus), "-o", str(tmp_path / "r.jsonl"), "--engine", "ray",
                  env=env)
    assert res.returncode == EXIT_ENGINE, res.stderr
    assert "muragat[batch]" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "r.jsonl").exists() or not (tmp_path / "r.jsonl").read_text()


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(EngineError):
        make_engine("spark")


def test_ray_engine_matches_the_serial_run(tmp_path: Path, corpus: Path) -> None:
    pytest.importorskip("ray")
    serial = tmp_path / "serial.jsonl"
    analyse_to_jsonl(serial, [corpus], Engine(), LAYERS)
    out = tmp_path / "ray.jsonl"
    with make_engine("ray", workers=1) as engine:
        report = analyse_to_jsonl(out, [corpus], engine, LAYERS, chunk_size=2)
    assert (report.added, len(report.failures)) == (4, 1)
    assert out.read_text(encoding="utf-8") == serial.read_text(encoding="utf-8")
