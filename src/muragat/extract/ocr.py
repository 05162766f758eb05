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
