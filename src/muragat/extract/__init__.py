"""Extract: the text of a file in any format muragat reads, before the text layer sees it.

Plain text (any encoding `muragat.io` knows), HTML (main text without menus and footers),
PDF (its text layer; OCR when it has none), DOCX, and scanned images (OCR with Tesseract's
Kazakh model). The format is told from the file's first bytes, not trusted from its name, so
a PDF called `.txt` or arriving on standard input is still read as a PDF.

    from muragat.extract import extract
    got = extract("article.pdf")    # Extracted(text=..., meta={"format": "pdf", "pages": 12})

The extracted text is the document's text: every offset muragat writes points into it.
Optional libraries: `pip install 'muragat[formats]'` (trafilatura, pypdf, python-docx);
OCR needs the `tesseract` program with Kazakh data (Debian: tesseract-ocr-kaz) and, for
scanned PDFs, `pdftoppm` (poppler-utils). What is missing is named in the error message.
"""

from __future__ import annotations

from pathlib import Path

from muragat.errors import InputError
from muragat.extract.extracted import Extracted
from muragat.i18n import t
from muragat.io import DEFAULT_MAX_BYTES, decode, read_bytes

__all__ = ["SUFFIXES", "Extracted", "extract", "extract_bytes", "sniff"]

# what ingest picks up in a folder, beyond .txt/.md and the corpus formats
SUFFIXES = (".html", ".htm", ".xhtml", ".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif",
            ".tiff")

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff(data: bytes, name: str = "") -> str:
    """pdf | docx | image | html | text, from the first bytes (the name only breaks ties)."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] or name.lower().endswith(".docx") else "zip"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or name.lower().endswith(
        (".html", ".htm", ".xhtml")
    ):
        return "html"
    return "text"


def extract(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Extracted:
    """The text of a file (`-` is standard input), whatever its format."""
    name = "<stdin>" if str(path) == "-" else str(path)
    return extract_bytes(read_bytes(path, max_bytes), name)


def extract_bytes(data: bytes, name: str = "<bytes>") -> Extracted:
    kind = sniff(data, name)
    if kind == "text":
        return Extracted(decode(data, name))
    if kind == "html":
        from muragat.extract.html import extract_html

        got = extract_html(decode(data, name))
    elif kind == "pdf":
        from muragat.extract.pdf import extract_pdf

        got = extract_pdf(data, name)
    elif kind == "docx":
        from muragat.extract.office import extract_docx

        got = extract_docx(data, name)
    elif kind == "image":
        from muragat.extract.ocr import ocr_image

        got = Extracted(ocr_image(data, name), {"ocr": True})
    else:
        raise InputError(t(f"{name}: ZIP архиві, құжат емес", f"{name}: a ZIP archive, not a document"))
    got.meta = {"format": kind, **got.meta}
    if not got.text.strip():
        raise InputError(t(f"{name}: файлдан мәтін шықпады ({kind})",
                           f"{name}: no text could be extracted ({kind})"))
    return got
