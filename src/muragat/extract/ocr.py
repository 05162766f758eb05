"""OCR of scanned pages with the Tesseract program and its Kazakh model (plus Russian where
installed: Soviet-era documents mix both)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from muragat.errors import InputError
from muragat.i18n import t

PAGE_TIMEOUT_S = 180
# Tesseract holds the whole page in memory (4 bytes a pixel): a header claiming more pixels
# than this is refused before it runs. A 600 dpi A3 scan is 70 million pixels.
MAX_PIXELS = 100_000_000


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG, JPEG or TIFF header; None when the header does not say."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return _tiff_size(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _tiff_size(data: bytes) -> tuple[int, int] | None:
    order = "little" if data[:2] == b"II" else "big"
    at = int.from_bytes(data[4:8], order)
    count = int.from_bytes(data[at:at + 2], order)
    found: dict[int, int] = {}
    for k in range(min(count, 512)):
        entry = data[at + 2 + 12 * k: at + 14 + 12 * k]
        if len(entry) < 12:
            break
        tag, kind = int.from_bytes(entry[:2], order), int.from_bytes(entry[2:4], order)
        if tag in (256, 257):  # ImageWidth, ImageLength: SHORT (3) or LONG (4)
            found[tag] = int.from_bytes(entry[8:10] if kind == 3 else entry[8:12], order)
    return (found[256], found[257]) if len(found) == 2 else None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header
            return (int.from_bytes(data[at + 7:at + 9], "big"),
                    int.from_bytes(data[at + 5:at + 7], "big"))
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return None


@cache
def languages() -> str | None:
    """`kaz+rus`, `kaz`, or None when Tesseract or its Kazakh data is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    installed = set(out.stdout.split()) | set(out.stderr.split())
    if "kaz" not in installed:
        return None
    return "kaz+rus" if "rus" in installed else "kaz"


def ocr_image(data: bytes, name: str) -> str:
    langs = languages()
    if langs is None:
        raise InputError(t(
            f"{name}: сурет мәтінін тану үшін Tesseract пен қазақ тілінің деректері керек "
            "(apt-get install tesseract-ocr tesseract-ocr-kaz)",
            f"{name}: reading a scanned image needs Tesseract with Kazakh data "
            "(apt-get install tesseract-ocr tesseract-ocr-kaz)"))
    size = image_size(data)
    if size and size[0] * size[1] > MAX_PIXELS:
        raise InputError(t(
            f"{name}: сурет тым үлкен ({size[0]}×{size[1]} > {MAX_PIXELS // 10**6} млн пиксель)",
            f"{name}: the image is too large ({size[0]}×{size[1]} > "
            f"{MAX_PIXELS // 10**6} million pixels)"))
    with tempfile.TemporaryDirectory(prefix="muragat-ocr-") as tmp:
        image = Path(tmp, "page")
        image.write_bytes(data)
        try:
            done = subprocess.run(["tesseract", str(image), "stdout", "-l", langs],
                                  capture_output=True, timeout=PAGE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise InputError(t(f"{name}: OCR уақыты бітті", f"{name}: OCR timed out")) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise InputError(t(f"{name}: сурет оқылмады: {reason[0]}",
                           f"{name}: cannot read the image: {reason[0]}"))
    return _paragraphs(done.stdout.decode("utf-8", "replace"))


def _paragraphs(text: str) -> str:
    """Tesseract separates paragraphs by blank lines and keeps the page's line breaks."""
    return text.replace("\x0c", "\n").strip() + "\n"
