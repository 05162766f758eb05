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
from muragat.extract.ocr import MAX_PIXELS, ocr_image
from muragat.i18n import t

# a letter, a hyphen (or soft hyphen) at the line end, a lower-case letter on the next line
_HYPHENATED = re.compile(r"([^\W\d_])[-\u00ad]\n([^\W\d_])")
MIN_CHARS_PER_PAGE = 20  # less than this on average: a scan, not a text PDF
OCR_DPI = 300
OCR_PAGE_LIMIT = 200
# Text extraction costs about 1 ms a page and a 32 MB file can hold 200 000 empty pages: more
# than this is refused up front (split the PDF), so one file's time stays bounded.
MAX_PAGES = 5000


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
        if len(reader.pages) > MAX_PAGES:
            raise InputError(t(f"{name}: PDF беттері тым көп ({len(reader.pages)} > {MAX_PAGES}; "
                               "файлды бөліңіз)",
                               f"{name}: too many pages in the PDF ({len(reader.pages)} > "
                               f"{MAX_PAGES}; split the file)"))
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(t(f"{name}: PDF оқылмады: {exc}", f"{name}: cannot read PDF: {exc}")
                         ) from None
    except Exception as exc:  # noqa: BLE001 - pypdf on a damaged file: AttributeError, IndexError...
        raise InputError(t(f"{name}: PDF оқылмады ({type(exc).__name__}): {exc}",
                           f"{name}: cannot read PDF ({type(exc).__name__}): {exc}")) from None
    meta: dict[str, object] = {"pages": len(pages)}
    visible = sum(len(p.strip()) for p in pages)
    if pages and visible < MIN_CHARS_PER_PAGE * len(pages):
        meta["ocr"] = True
        _refuse_huge_pages(reader.pages, name)
        return Extracted(_ocr_pdf(data, name, len(pages)), meta)
    text = "\n".join(_dehyphenate(p.strip("\n")) for p in pages if p.strip())
    return Extracted(text + "\n", meta)


def _refuse_huge_pages(pages: object, name: str) -> None:
    """A page rendered for OCR at OCR_DPI stays under OCR's pixel bound: a 200-inch page (a
    MediaBox of 14400 points) would be 60000 x 60000 pixels before Tesseract even starts."""
    for number, page in enumerate(pages, 1):  # type: ignore[call-overload]
        try:
            box = page.mediabox
            pixels = abs(float(box.width) * float(box.height)) * (OCR_DPI / 72) ** 2
        except Exception:  # noqa: BLE001 - no readable box: pdftoppm decides (its failure is a message)
            continue
        if pixels > MAX_PIXELS:
            raise InputError(t(
                f"{name}: {number}-бет OCR үшін тым үлкен ({pixels / 1e6:.0f} > "
                f"{MAX_PIXELS // 10**6} млн пиксель, {OCR_DPI} dpi)",
                f"{name}: page {number} is too large to OCR ({pixels / 1e6:.0f} > "
                f"{MAX_PIXELS // 10**6} million pixels at {OCR_DPI} dpi)"))


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
