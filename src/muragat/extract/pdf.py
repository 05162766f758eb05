"""PDF: the text layer page by page; a scanned PDF (no text layer) goes through OCR.

Lines stay as the PDF breaks them (the text layer recognises hard-wrapped prose), except that
a word hyphenated across a line end is joined again (`тексе-` + `ру` -> `тексеру`)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from muragat.errors import InputError
from muragat.extract.extracted import Extracted
from muragat.extract.ocr import ocr_image
from muragat.i18n import t

# a letter, a hyphen (or soft hyphen) at the line end, a lower-case letter on the next line
_HYPHENATED = re.compile(r"([^\W\d_])[-\u00ad]\n([^\W\d_])")
MIN_CHARS_PER_PAGE = 20  # less than this on average: a scan, not a text PDF
OCR_DPI = 300
OCR_PAGE_LIMIT = 200


def _dehyphenate(text: str) -> str:
    return _HYPHENATED.sub(lambda m: m.group(1) + m.group(2) if m.group(2).islower()
                           else m.group(0), text)


def extract_pdf(data: bytes, name: str) -> Extracted:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise InputError(t(f"{name}: PDF үшін pypdf керек: pip install 'muragat[formats]'",
                           f"{name}: PDF needs pypdf: pip install 'muragat[formats]'")) from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(t(f"{name}: PDF құпиясөзбен қорғалған",
                               f"{name}: the PDF is password-protected"))
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(t(f"{name}: PDF оқылмады: {exc}", f"{name}: cannot read PDF: {exc}")
                         ) from None
    meta: dict[str, object] = {"pages": len(pages)}
    visible = sum(len(p.strip()) for p in pages)
    if pages and visible < MIN_CHARS_PER_PAGE * len(pages):
        meta["ocr"] = True
        return Extracted(_ocr_pdf(data, name, len(pages)), meta)
    text = "\n".join(_dehyphenate(p.strip("\n")) for p in pages if p.strip())
    return Extracted(text + "\n", meta)


def _ocr_pdf(data: bytes, name: str, n_pages: int) -> str:
    if shutil.which("pdftoppm") is None:
        raise InputError(t(
            f"{name}: PDF-те мәтін қабаты жоқ (скан); OCR үшін pdftoppm керек "
            "(apt-get install poppler-utils tesseract-ocr-kaz)",
            f"{name}: the PDF has no text layer (a scan); OCR needs pdftoppm "
            "(apt-get install poppler-utils tesseract-ocr-kaz)"))
    if n_pages > OCR_PAGE_LIMIT:
        raise InputError(t(f"{name}: OCR үшін беттер тым көп ({n_pages} > {OCR_PAGE_LIMIT})",
                           f"{name}: too many pages to OCR ({n_pages} > {OCR_PAGE_LIMIT})"))
    with tempfile.TemporaryDirectory(prefix="muragat-ocr-") as tmp:
        src = Path(tmp, "in.pdf")
        src.write_bytes(data)
        try:
            subprocess.run(["pdftoppm", "-r", str(OCR_DPI), "-png", str(src), str(Path(tmp, "p"))],
                           check=True, capture_output=True, timeout=60 * max(1, n_pages))
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise InputError(t(f"{name}: PDF беттері суретке айналмады: {exc}",
                               f"{name}: cannot render the PDF pages: {exc}")) from None
        pages = sorted(Path(tmp).glob("p*.png"))
        return "\n\n".join(ocr_image(p.read_bytes(), f"{name}#{i}") for i, p in
                           enumerate(pages, 1)).strip() + "\n"
