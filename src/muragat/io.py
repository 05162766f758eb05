"""Reading user files: decode bytes to text or refuse with a clear reason.

Kazakh text turns up as UTF-8, UTF-16 with a BOM, or a legacy 8-bit code page (KZ-1048,
Windows-1251, KOI8-R). The order never produces silent mojibake:

1. strict UTF-8 (or the encoding a BOM names);
2. mostly UTF-8 with a few bad bytes (a stray byte, a last character cut off): read as UTF-8,
   each bad sequence replaced by U+FFFD, and a warning naming the byte offsets; with
   ``decoding(strict=True)`` (the CLI's ``--strict``) refused instead;
3. a legacy code page, only when its decoding scores as Kazakh or Russian prose by the letter
   frequencies in ``data/letter_frequencies.tsv``;
4. a handful of bad bytes in otherwise plain (ASCII) text: replaced, with a warning;
5. anything else is refused.

Lone surrogates (JSON ``"\\ud800"``) cannot be written as UTF-8: ``clean_text`` replaces each
by U+FFFD, one for one, so every offset stays valid.
"""

from __future__ import annotations

import codecs
import math
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
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
_ALLOWED_CONTROLS = set("\t\n\r\f\v")
_SAMPLE = 65536  # characters looked at when judging a decoding

# Judging a decoding (see _letter_score). A character the language never writes costs
# log(1e-4); a real Kazakh or Russian sentence scores about -3.2 (in capitals too), the
# neighbouring code page about -3.6 to -4.6, UTF-8 read as a code page about -5.9 to -6.6.
_FLOOR = math.log(1e-4)
_PUNCT_LOGP = math.log(0.01)  # «»—–“”„…№: frequent in real text, not letters
_PUNCTUATION = set("«»—–“”„…№’‘")
_CAMEL_LOGP = math.log(0.01)  # a capital right after a small letter: rare in real text
LEGACY_MIN_SCORE = -5.0
LEGACY_MIN_EVIDENCE = 12  # non-ASCII characters needed before a code page is believed
# UTF-8 with replacement: at least this many valid multi-byte characters per bad sequence,
MOSTLY_UTF8_RATIO = 2
# or, in text with no other non-ASCII, at most this many bad sequences.
STRAY_BYTES = 8
_MAX_BAD = 1000  # stop collecting bad sequences: this is not UTF-8 at all
_SHOWN_OFFSETS = 5

_STRICT: ContextVar[bool] = ContextVar("muragat_strict_decoding", default=False)
_WARN: ContextVar[Callable[[str], None] | None] = ContextVar("muragat_warn", default=None)
_MAX_BYTES: ContextVar[int] = ContextVar("muragat_max_bytes", default=DEFAULT_MAX_BYTES)
_SURROGATE = re.compile("[\ud800-\udfff]")


# -- warnings and strictness -----------------------------------------------------------
@contextmanager
def decoding(strict: bool = False, on_warning: Callable[[str], None] | None = None
             ) -> Iterator[None]:
    """Within the block: refuse damaged input (`strict`) and send warnings to `on_warning`
    (default: standard error). The CLI's `--strict` sets this once for all its readers."""
    a, b = _STRICT.set(strict), _WARN.set(on_warning)
    try:
        yield
    finally:
        _STRICT.reset(a)
        _WARN.reset(b)


def is_strict() -> bool:
    return _STRICT.get()


@contextmanager
def max_input_bytes(limit: int) -> Iterator[None]:
    """Within the block, `input_limit()` is `limit` (the CLI's `--max-mb` for ingest)."""
    token = _MAX_BYTES.set(limit)
    try:
        yield
    finally:
        _MAX_BYTES.reset(token)


def input_limit() -> int:
    """The largest input file in bytes: `max_input_bytes`, else DEFAULT_MAX_BYTES."""
    return _MAX_BYTES.get()


def warn(message: str) -> None:
    """A warning about input that was read anyway (repaired), on standard error."""
    sink = _WARN.get()
    if sink is not None:
        sink(message)
    else:
        print(t("ескерту: ", "warning: ") + message, file=sys.stderr, flush=True)


# -- cleaning text that cannot be written ----------------------------------------------
def clean_text(text: str, name: str = "<input>") -> str:
    """`text` with each lone surrogate replaced by U+FFFD (same length: offsets hold), and a
    warning when there was one. A str never holds any other code point UTF-8 cannot write."""
    if text.isascii():
        return text
    found = [m.start() for m in _SURROGATE.finditer(text)]
    if not found:
        return text
    warn(t(f"{name}: {len(found)} жалқы суррогат таңба U+FFFD-пен ауыстырылды "
           f"(таңба орны {_offsets(found)})",
           f"{name}: {len(found)} lone surrogate(s) replaced by U+FFFD "
           f"(character offsets {_offsets(found)})"))
    return _SURROGATE.sub("\ufffd", text)


def clean_value(value: object, name: str = "<input>") -> object:
    """A JSON value with every string in it cleaned (`clean_text`)."""
    if isinstance(value, str):
        return clean_text(value, name)
    if isinstance(value, dict):
        return {clean_text(str(k), name): clean_value(v, name) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_value(v, name) for v in value]
    return value


def _offsets(found: list[int]) -> str:
    shown = ", ".join(str(x) for x in found[:_SHOWN_OFFSETS])
    return shown + (", …" if len(found) > _SHOWN_OFFSETS else "")


# -- judging a legacy decoding ---------------------------------------------------------
@cache
def letter_frequencies() -> dict[str, dict[str, float]]:
    """{"kk": {letter: share}, "ru": {...}} from data/letter_frequencies.tsv."""
    path = resources.files("muragat") / "data" / "letter_frequencies.tsv"
    langs: dict[str, dict[str, float]] = {"kk": {}, "ru": {}}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        letter, kk, ru = line.split("\t")
        for lang, value in (("kk", kk), ("ru", ru)):
            if float(value) > 0:
                langs[lang][letter] = float(value) / 100
    return langs


@cache
def _log_tables() -> tuple[dict[str, float], ...]:
    """Per language: character -> log probability, both cases, for non-ASCII characters."""
    tables = []
    for freqs in letter_frequencies().values():
        table = {c: _PUNCT_LOGP for c in _PUNCTUATION}
        for letter, p in freqs.items():
            table[letter] = table[letter.upper()] = math.log(p)
        tables.append(table)
    return tuple(tables)


def _letter_score(text: str) -> float:
    """Mean log probability of the non-ASCII characters of `text` as Kazakh or Russian (the
    better of the two), case aside, and a cost for each capital glued after a small letter
    (a code page read as its case-swapped neighbour: KOI8-R as CP1251); -inf with too
    little evidence to judge."""
    head = text[:_SAMPLE]
    sample = [c for c in head if ord(c) > 127]
    if len(sample) < LEGACY_MIN_EVIDENCE:
        return -math.inf
    camel = sum(1 for a, b in pairwise(head) if b.isupper() and a.islower())
    return max(sum(table.get(c, _FLOOR) for c in sample) + camel * _CAMEL_LOGP
               for table in _log_tables()) / len(sample)


# -- decoding --------------------------------------------------------------------------
@dataclass(slots=True)
class _Lenient:
    """UTF-8 read with replacement: the text, the byte offsets of the bad sequences, and
    whether we gave up counting them."""

    text: str
    bad: list[int]
    gave_up: bool

    def valid_multibyte(self) -> int:
        sample = self.text[:_SAMPLE]
        return sum(1 for c in sample if ord(c) > 127) - sample.count("\ufffd")


def _utf8_lenient(data: bytes) -> _Lenient:
    """Linear: each stretch between two bad sequences is decoded once (memoryview: no copies)."""
    view = memoryview(data)
    parts: list[str] = []
    bad: list[int] = []
    pos = 0
    while pos < len(data):
        try:
            parts.append(codecs.utf_8_decode(view[pos:], "strict", True)[0])
            break
        except UnicodeDecodeError as exc:
            parts.append(codecs.utf_8_decode(view[pos:pos + exc.start], "strict", True)[0])
            parts.append("\ufffd")
            bad.append(pos + exc.start)
            pos += exc.end
            if len(bad) > _MAX_BAD:
                return _Lenient("", bad, True)
    return _Lenient("".join(parts), bad, False)


def decode(data: bytes, name: str = "<input>", strict: bool | None = None) -> str:
    """Text of `data`, or InputError saying why it cannot be read as text. `strict` (default:
    the `decoding()` setting) refuses what would otherwise be repaired with a warning."""
    strict = is_strict() if strict is None else strict
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
            return _checked(clean_text(text, name), name)
    if b"\x00" in data[:65536]:
        raise InputError(
            t(f"{name}: бинарлық файл, мәтін емес", f"{name}: binary file, not text")
        )
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    lenient = _utf8_lenient(data)
    if not lenient.gave_up and lenient.valid_multibyte() >= MOSTLY_UTF8_RATIO * len(lenient.bad):
        return _checked(_repaired(lenient, name, strict), name)
    legacy = _best_legacy(data)
    if legacy is not None:
        return _checked(legacy, name)
    if not lenient.gave_up and len(lenient.bad) <= STRAY_BYTES:
        return _checked(_repaired(lenient, name, strict), name)
    raise InputError(
        t(
            f"{name}: кодтауы танылмады (UTF-8, UTF-16, KZ-1048, CP1251, KOI8-R емес)",
            f"{name}: unknown encoding (not UTF-8, UTF-16, KZ-1048, CP1251 or KOI8-R)",
        )
    )


def _repaired(lenient: _Lenient, name: str, strict: bool) -> str:
    n, where = len(lenient.bad), _offsets(lenient.bad)
    if strict:
        raise InputError(t(
            f"{name}: UTF-8 емес {n} байт тізбегі бар (байт орны {where}); --strict",
            f"{name}: {n} byte sequence(s) that are not UTF-8 (byte offsets {where}); --strict"))
    warn(t(f"{name}: UTF-8 емес {n} байт тізбегі U+FFFD-пен ауыстырылды (байт орны {where})",
           f"{name}: {n} byte sequence(s) that are not UTF-8 replaced by U+FFFD "
           f"(byte offsets {where})"))
    return lenient.text


def _best_legacy(data: bytes) -> str | None:
    """The legacy decoding that reads best as Kazakh or Russian, if one reads well enough."""
    best, best_score = None, LEGACY_MIN_SCORE
    for encoding in _LEGACY:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:  # a byte the code page leaves undefined
            continue
        score = _letter_score(text)
        if score > best_score:
            best, best_score = text, score
    return best


def _control_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in _ALLOWED_CONTROLS) or c == "\x7f")
    return bad / len(sample)


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


def decode_lines(data: bytes, name: str = "<input>") -> list[str | InputError]:
    """Lines of a line-oriented file (a `search --batch` file): decoded as a whole when it
    decodes cleanly (UTF-8, a BOM, a legacy code page that scores as text); otherwise each
    line on its own as UTF-8, and a line that is not UTF-8 becomes an InputError naming it,
    so one bad line never spoils the others."""
    try:
        return list(decode(data, name, strict=True).splitlines())
    except InputError:
        if not data.strip() or b"\x00" in data[:65536]:
            raise
    out: list[str | InputError] = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        try:
            out.append(raw.decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError as exc:
            out.append(InputError(t(
                f"{name}:{n}: жол UTF-8 емес (жолдағы байт орны {exc.start})",
                f"{name}:{n}: the line is not UTF-8 (byte offset {exc.start} in the line)")))
    if out and out[-1] == "":
        out.pop()  # the newline that ends the file
    return out


# -- files -----------------------------------------------------------------------------
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
        raise InputError(f"{name}: {exc.strerror or exc}") from None
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


# -- a batch of queries ----------------------------------------------------------------
@dataclass(slots=True)
class BatchLine:
    """One line of a `search --batch` file: a query, or the error that line answers with."""

    line: int
    qid: str | None
    query: str | None
    error: InputError | None = None


def batch_queries(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[BatchLine]:
    """The `id<TAB>query` lines of a batch file, each its own unit: a line without a tab, with
    an empty id or query, or not decodable is a BatchLine with `error` (its id, when it has
    one), and the lines after it are read as usual. Blank lines and `#` comments are skipped
    (they ask nothing)."""
    name = "<stdin>" if str(path) == "-" else str(path)
    for n, line in enumerate(decode_lines(read_bytes(path, max_bytes), name), 1):
        if isinstance(line, InputError):
            yield BatchLine(n, None, None, line)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        qid, tab, query = line.partition("\t")
        qid = qid.strip()
        if not tab:
            why = t(f"{n}-жол: TAB жоқ, `id<TAB>сұраным` болуы керек: {line[:60]!r}",
                    f"line {n}: no tab, expected `id<TAB>query`: {line[:60]!r}")
        elif not qid:
            why = t(f"{n}-жол: id бос: {line[:60]!r}", f"line {n}: empty id: {line[:60]!r}")
        elif not query.strip():
            why = t(f"{n}-жол: сұраным бос", f"line {n}: empty query")
        else:
            yield BatchLine(n, qid, query)
            continue
        yield BatchLine(n, qid if tab and qid else None, None, InputError(why))
