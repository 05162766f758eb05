"""Extract: text out of HTML, PDF, DOCX and scans, told apart by content, with clear errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from muragat.errors import InputError
from muragat.extract import extract, extract_bytes, sniff
from muragat.extract.html import _blocks_text
from muragat.extract.ocr import languages
from muragat.extract.pdf import _dehyphenate

DATA = Path(__file__).parent / "data" / "extract"  # team-written page, printed and scanned
SENTENCE = "Комиссия 432 коммунистің ісін қарап"
needs_ocr = pytest.mark.skipif(languages() is None, reason="tesseract with Kazakh data missing")


def test_formats_are_told_by_content_not_name() -> None:
    assert sniff((DATA / "page.pdf").read_bytes(), "page.txt") == "pdf"
    assert sniff((DATA / "scan.png").read_bytes(), "scan.txt") == "image"
    assert sniff(b"<!DOCTYPE html><html></html>", "x.txt") == "html"
    assert sniff("Қарапайым мәтін".encode(), "x.txt") == "text"
    assert sniff(b"PK\x03\x04rest", "a.zip") == "zip"


def test_html_keeps_the_article_and_drops_scripts_and_menus() -> None:
    pytest.importorskip("trafilatura")
    got = extract(DATA / "page.html")
    assert got.meta["format"] == "html" and got.meta["title"] == "Тазарту комиссиясы"
    assert SENTENCE in got.text and "«Еңбекші қазақ» газеті" in got.text
    assert "жарнама" not in got.text and "Байланыс" not in got.text  # script, menu
    assert "\n\n" in got.text  # blocks are paragraphs


def test_html_without_trafilatura_still_reads_every_visible_block() -> None:
    html = (DATA / "page.html").read_text(encoding="utf-8")
    text = _blocks_text(html)
    assert SENTENCE in text and "жарнама" not in text and "Тазарту комиссиясы" in text


def test_pdf_text_layer_and_hyphenation() -> None:
    pytest.importorskip("pypdf")
    got = extract(DATA / "page.pdf")
    assert got.meta == {"format": "pdf", "pages": 1}
    assert " ".join(got.text.split()).count(SENTENCE) == 1
    assert _dehyphenate("партия қатары-\nнан шығарды") == "партия қатарынан шығарды"
    assert _dehyphenate("Семей-\nПавлодар") == "Семей-\nПавлодар"  # a capital: a real hyphen


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = "Хаттама"
    document.add_paragraph("Бірінші абзац: комиссия құрылды.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Шығарылды"
    table.rows[0].cells[1].text = "57"
    document.add_paragraph("Соңғы абзац.")
    path = tmp_path / "хаттама.docx"
    document.save(path)
    got = extract(path)
    assert got.meta == {"format": "docx", "title": "Хаттама"}
    assert got.text == "Бірінші абзац: комиссия құрылды.\n\nШығарылды | 57\n\nСоңғы абзац.\n"


@needs_ocr
def test_scanned_image_is_read_by_ocr() -> None:
    got = extract(DATA / "scan.png")
    assert got.meta == {"format": "image", "ocr": True}
    assert SENTENCE in " ".join(got.text.split())


@needs_ocr
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_scanned_pdf_falls_back_to_ocr() -> None:
    pytest.importorskip("pypdf")
    got = extract(DATA / "scan.pdf")
    assert got.meta["ocr"] is True and got.meta["pages"] == 1
    assert "тексеру комиссиясы құрылды" in got.text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7\n garbage that is no pdf", "PDF"),
        (b"PK\x03\x04" + b"word/" + b"\x00" * 50, "DOCX"),
        (b"PK\x03\x04 an archive", "ZIP"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "сурет|image|мәтін|text"),
        (b"<html><body><script>x()</script></body></html>", "мәтін шықпады|no text"),
    ],
)
def test_damaged_or_empty_files_raise_input_errors(data: bytes, message: str) -> None:
    if data.startswith(b"\x89PNG") and languages() is None:
        pytest.skip("tesseract missing: the error names it instead")
    with pytest.raises(InputError, match=message):
        extract_bytes(data, "x")


def test_cli_analyze_and_ingest_read_pdf_and_html(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    pytest.importorskip("trafilatura")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("page.pdf", "page.html"):
        shutil.copy(DATA / name, folder / name)
    (folder / "disguised.txt").write_bytes((DATA / "page.pdf").read_bytes())  # a PDF named .txt
    run = [sys.executable, "-c", "from muragat.cli import main; main()"]
    res = subprocess.run([*run, "analyze", str(folder / "page.pdf"), "--layers", "text,values"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["meta"]["format"] == "pdf"
    assert any(s["label"] == "DATE" and s["attrs"]["value"] == "1929" for s in doc["spans"])
    res = subprocess.run([*run, "ingest", str(folder), "--db", str(tmp_path / "x.db"),
                          "--layers", "text", "--json"], capture_output=True, text=True,
                         timeout=120)
    report = json.loads(res.stdout)
    # the disguised PDF is the same text as page.pdf: stored once
    assert (report["added"], report["skipped"], report["failed"]) == (2, 1, 0), res.stderr


def test_web_analyze_accepts_a_pdf_body(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from muragat.store import open_store
    from muragat.web import create_app

    db = str(tmp_path / "empty.db")
    open_store(db).close()
    with TestClient(create_app(db)) as client:
        res = client.post("/api/v1/analyze?layers=text", content=(DATA / "page.pdf").read_bytes(),
                          headers={"content-type": "application/pdf"})
    assert res.status_code == 200, res.text
    assert SENTENCE in " ".join(res.json()["text"].split())
