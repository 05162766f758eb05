"""Reading user files: decode bytes to text or refuse with a clear reason.

Kazakh text turns up as UTF-8, UTF-16 with a BOM, or a legacy 8-bit code page
(KZ-1048, Windows-1251, KOI8-R). We decode strictly, pick the legacy page whose output
looks most like Kazakh or Russian, and refuse binary data rather than guess.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from muragat.errors import InputError
from muragat.i18n import t

DEFAULT_MAX_BYTES = 32 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("kz1048", "cp1251", "koi8_r")
_KAZAKH_RUSSIAN = set(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘҒҚҢӨҰҮҺІ"
)
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in _ALLOWED_CONTROLS) or c == "\x7f")
    return bad / len(sample)


def _legacy_score(text: str) -> float:
    """How much `text` looks like Kazakh or Russian prose.

    The share of non-ASCII characters that are Kazakh or Russian letters, plus a bonus
    for lowercase: text decoded with the wrong Cyrillic page is mostly capitals.
    """
    non_ascii = [c for c in text[:65536] if ord(c) > 127]
    if not non_ascii:
        return 1.0
    letters = [c for c in non_ascii if c in _KAZAKH_RUSSIAN]
    if not letters:
        return 0.0
    lower = sum(c.islower() for c in letters) / len(letters)
    return len(letters) / len(non_ascii) + 0.5 * lower


def decode(data: bytes, name: str = "<input>") -> str:
    """Text of `data`, or InputError saying why it cannot be read as text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    t(
                        f"{name}: {encoding} белгісі бар, бірақ мәтін бүлінген ({exc.reason})",
                        f"{name}: has a {encoding} byte-order mark but is damaged ({exc.reason})",
                    )
                ) from None
            return _checked(text, name)
    if b"\x00" in data[:65536]:
        raise InputError(
            t(f"{name}: бинарлық файл, мәтін емес", f"{name}: binary file, not text")
        )
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    candidates = [(_legacy_score(text), text) for text in _legacy_decodings(data)]
    best = max(candidates, key=lambda pair: pair[0], default=(0.0, ""))
    if best[0] < 1.0:
        raise InputError(
            t(
                f"{name}: кодтауы танылмады (UTF-8, UTF-16, KZ-1048, CP1251, KOI8-R емес)",
                f"{name}: unknown encoding (not UTF-8, UTF-16, KZ-1048, CP1251 or KOI8-R)",
            )
        )
    return _checked(best[1], name)


def _legacy_decodings(data: bytes) -> list[str]:
    out = []
    for encoding in _LEGACY:
        try:
            out.append(data.decode(encoding))
        except UnicodeDecodeError:  # a byte the code page leaves undefined
            continue
    return out


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(t(f"{name}: бос мәтін", f"{name}: empty input"))
    if _control_ratio(text) > 0.05:
        raise InputError(
            t(
                f"{name}: басқару таңбалары тым көп, бинарлық файл сияқты",
                f"{name}: too many control characters, looks binary",
            )
        )
    return text


def read_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Bytes of a file (`-` is standard input), refusing files over `max_bytes`."""
    name = str(path)
    try:
        if name == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(t(f"{name}: бұл қалта, файл емес", f"{name}: is a directory"))
            if p.stat().st_size > max_bytes:
                raise InputError(_too_big(name, max_bytes))
            data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(t(f"{name}: файл табылмады", f"{name}: file not found")) from None
    except PermissionError:
        raise InputError(t(f"{name}: оқуға рұқсат жоқ", f"{name}: permission denied")) from None
    except IsADirectoryError:
        raise InputError(t(f"{name}: бұл қалта, файл емес", f"{name}: is a directory")) from None
    except OSError as exc:
        raise InputError(f"{name}: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise InputError(_too_big(name, max_bytes))
    return data


def _too_big(name: str, max_bytes: int) -> str:
    mb = max_bytes // (1024 * 1024)
    return t(
        f"{name}: файл тым үлкен (шек {mb} МБ; --max-mb арқылы өзгертуге болады)",
        f"{name}: file too large (limit {mb} MB; raise it with --max-mb)",
    )


def read_text_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decoded text of a file or of standard input (`-`)."""
    name = "<stdin>" if str(path) == "-" else str(path)
    return decode(read_bytes(path, max_bytes), name)
