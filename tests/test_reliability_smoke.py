"""The cheapest rows of scripts/reliability.py, small: hostile text, queries and web pages.

The script prints the figures (`make reliability`); these tests hold the same properties on
a few seeded inputs, so a regression shows up in the ordinary suite.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from muragat.io import decoding

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "reliability.py"


@pytest.fixture(scope="module")
def reliability():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("reliability", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["reliability"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _quiet(fn, *args):  # type: ignore[no-untyped-def]
    with decoding(on_warning=lambda _message: None):
        return fn(*args)


def test_hostile_text_keeps_every_document_property(reliability) -> None:  # type: ignore[no-untyped-def]
    row = _quiet(reliability.fuzz_text, 25, 7)
    assert row.tried == 150  # 5 readers x 25, and 25 from hypothesis
    assert row.failures == 0, row.examples


def test_document_checks_catch_a_broken_document(reliability) -> None:  # type: ignore[no-untyped-def]
    from muragat import analyze
    from muragat.model import Token

    doc = analyze("Ойыл ауданы 1929 жылы жиналыс өткізді.")
    assert reliability.document_problems(doc) == []
    doc.tokens.append(Token(0, 999))
    problems = reliability.document_problems(doc)
    assert any("outside" in p for p in problems) and any("overlap" in p for p in problems)


def test_hostile_queries_raise_only_muragat_errors(reliability) -> None:  # type: ignore[no-untyped-def]
    row = _quiet(reliability.fuzz_queries, 60, 7)
    assert row.tried == 180
    assert row.failures == 0, row.examples


def test_every_page_escapes_hostile_content_and_refuses_bad_ids(reliability) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("fastapi")
    row = _quiet(reliability.web_hostile)
    assert row.tried > 30
    assert row.failures == 0, row.examples


# -- the readers' bounds (scripts/reliability_bombs.py builds the files) ---------------------

@pytest.fixture(scope="module")
def bombs(reliability):  # type: ignore[no-untyped-def]
    import reliability_bombs

    return reliability_bombs


def _refused(data: bytes, name: str) -> str:
    from muragat.errors import InputError
    from muragat.extract import extract_bytes

    with pytest.raises(InputError) as caught:
        extract_bytes(data, name)
    return str(caught.value)


def test_docx_bombs_are_refused_before_they_expand(bombs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("docx")
    from muragat.extract import office

    monkeypatch.setattr(office, "MAX_EXPANDED_BYTES", 2 * 2**20)
    assert "(4 " in _refused(bombs.docx_expanding(4 * 2**20), "bomb.docx")  # 4 MB > 2 MB
    monkeypatch.setattr(office, "MAX_MEMBERS", 50)
    assert "> 50" in _refused(bombs.docx_many_members(60), "many.docx")
    from muragat.extract import extract_bytes

    got = extract_bytes(bombs.docx_many_members(10), "fine.docx")  # under both bounds
    assert "Ойыл ауданы" in got.text


def test_pdf_bombs_are_refused_or_read_bounded(bombs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pypdf")
    from muragat.extract import extract_bytes, pdf

    assert "PDF" in _refused(bombs.pdf_flate_bomb(256 * 2**20), "flate.pdf")
    monkeypatch.setattr(pdf, "MAX_PAGES", 10)
    assert "> 10" in _refused(bombs.pdf_pages(11), "pages.pdf")
    assert "3600" in _refused(bombs.pdf_huge_page(), "page.pdf")  # million pixels at 300 dpi
    got = extract_bytes(bombs.pdf_nested_forms(200), "forms.pdf")  # a cycle of forms: read
    assert "Oiyl audany" in got.text


def test_images_claiming_huge_sizes_are_refused_before_ocr(bombs) -> None:  # type: ignore[no-untyped-def]
    from muragat.extract import ocr

    assert ocr.image_size(bombs.png_huge()) == (100_000, 100_000)
    assert ocr.image_size(bombs.tiff_huge(640, 480)) == (640, 480)
    jpeg = b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x11\x08\x01\xe0\x02\x80\x03" + b"\0" * 12
    assert ocr.image_size(jpeg) == (640, 480)
    if ocr.languages() is None:
        pytest.skip("no Tesseract with Kazakh data: the refusal comes first from that")
    assert "100000" in _refused(bombs.png_huge(), "huge.png")


def test_a_full_disk_is_a_store_error_and_keeps_what_was_committed(tmp_path: Path) -> None:
    """SQLITE_FULL, as a full disk gives it (max_page_count stands in for the disk)."""
    from muragat import analyze
    from muragat.errors import StoreError
    from muragat.store import open_store
    from muragat.store.base import content_hash

    url = str(tmp_path / "full.db")
    first = analyze("Ойыл ауданы 1929 жылы жиналыс өткізді.")
    with open_store(url) as store:
        store.add_document(first, content_hash(first.text), "a.txt")
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        big = analyze("Комиссия 1930 жылы тізім жасады. " * 300)
        with pytest.raises(StoreError, match="full"):
            store.add_document(big, content_hash(big.text), "b.txt")
        assert store.counts()["documents"] == 1
    with open_store(url, readonly=True) as store:
        assert store.counts()["documents"] == 1 and not store.integrity_problems()


def test_a_store_migrated_by_another_process_meanwhile_is_not_migrated_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two ingests started at once on a new file: the second read version 0 before the first
    migrated, and must read it again under the write lock ("table documents already exists")."""
    from muragat.store import open_store
    from muragat.store.sqlite import LATEST, SqliteStore

    url = str(tmp_path / "new.db")
    with open_store(url) as store:  # the first process: migrated
        assert store._version() == LATEST
    original, calls = SqliteStore._version, []

    def stale_first(self):  # type: ignore[no-untyped-def]
        calls.append(1)
        return 0 if len(calls) == 1 else original(self)

    monkeypatch.setattr(SqliteStore, "_version", stale_first)
    with open_store(url) as store:  # the second, with its stale first read
        assert len(calls) >= 2 and store.counts()["documents"] == 0


def test_damaged_pdf_and_docx_found_by_the_fuzz_row_are_input_errors(reliability) -> None:  # type: ignore[no-untyped-def]
    """Two inputs the fuzz row found (seed 23): pypdf's AttributeError on a damaged object and
    zipfile's NotImplementedError on a damaged version field were tracebacks."""
    import random

    pytest.importorskip("pypdf")
    pytest.importorskip("docx")
    files, bases = random.Random(24), reliability._document_bases()
    found = {}
    for i in range(869):
        data = reliability.hostile_document(files, bases)
        if i in (186, 868):
            found[i] = data
    assert found[186].startswith(b"%PDF") and found[868].startswith(b"PK")
    assert "PDF" in _refused(found[186], "damaged.pdf")
    assert "DOCX" in _refused(found[868], "damaged.docx")
