"""Row `bombs` of scripts/reliability.py: zip bombs, PDF bombs and huge images.

Every file is written here, byte by byte where the format allows it (a few lines each), and
handed to `muragat ingest` and `muragat analyze` as processes bounded in address space
(RLIMIT_AS, 2 GB) and time (60 s). The bar: a clear message and exit 3 (ingest: 1, the file
reported and the others go on), no traceback, RSS and time under the bounds. A file the
reader can read safely (a nested zip is never expanded) may also exit 0.
"""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from reliability import MURAGAT, Row

MEMORY_LIMIT = 2 * 2**30  # RLIMIT_AS of each process
TIME_LIMIT = 60.0

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BODY_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'
_PARAGRAPH = "<w:p><w:r><w:t>Ойыл ауданы 1929 жылы жиналыс өткізді.</w:t></w:r></w:p>"
_BODY_TAIL = "</w:body></w:document>"


def _docx_parts(zf: zipfile.ZipFile, body: bytes | None = None) -> None:
    zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
    zf.writestr("_rels/.rels", _RELS)
    if body is not None:
        zf.writestr("word/document.xml", body)


def _zeros_member(zf: zipfile.ZipFile, name: str, size: int, head: bytes = b"",
                  tail: bytes = b"") -> None:
    """A member of `size` bytes of spaces, streamed (never `size` bytes in memory)."""
    chunk = b" " * 2**20
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED  # a ZipInfo's own default is ZIP_STORED
    with zf.open(info, "w", force_zip64=True) as out:
        out.write(head)
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(tail)


def docx_expanding(size: int = 2**30) -> bytes:
    """A DOCX whose word/document.xml expands to `size` bytes (1 MB or so on disk)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        _docx_parts(zf)
        _zeros_member(zf, "word/document.xml", size, _BODY_HEAD.encode() + _PARAGRAPH.encode(),
                      _BODY_TAIL.encode())
    return buf.getvalue()


def docx_nested(levels: int = 3) -> bytes:
    """A good DOCX carrying a zip of a zip of ... a 256 MB member (never to be expanded)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        _zeros_member(zf, "zeros.bin", 256 * 2**20)
    blob = inner.getvalue()
    for level in range(levels - 1):
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"level{level}.zip", blob)
        blob = outer.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        _docx_parts(zf, (_BODY_HEAD + _PARAGRAPH + _BODY_TAIL).encode())
        zf.writestr("word/embeddings/nested.zip", blob)
    return buf.getvalue()


def docx_many_members(n: int = 100_000) -> bytes:
    """A good DOCX with `n` tiny extra members (a central directory of `n` entries)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        _docx_parts(zf, (_BODY_HEAD + _PARAGRAPH + _BODY_TAIL).encode())
        for i in range(n):
            zf.writestr(f"word/m/{i}.xml", b"<a/>")
    return buf.getvalue()


# -- PDF, written by hand ----------------------------------------------------------------------

def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (object i+1 is objects[i]; 1 is the catalog) with its xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT = b"BT /F1 12 Tf 72 720 Td (Oiyl audany 1929 zhyly zhinalys otkizdi.) Tj ET"


def _deflated_spaces(size: int) -> bytes:
    """zlib data expanding to `size` spaces: one full-flushed 1 MB block repeated (a block
    after a full flush does not refer back, so copies of it chain)."""
    c = zlib.compressobj(9)
    first = c.compress(b" " * 2**20) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(b" " * 2**20) + c.flush(zlib.Z_FULL_FLUSH)
    return first + again * (size // 2**20 - 1) + c.flush()


def pdf_flate_bomb(size: int = 4 * 2**30) -> bytes:
    """One page whose content stream is FlateDecode expanding to `size` bytes (4 MB on disk)."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> >>",
                 _stream(_deflated_spaces(size), b"/Filter /FlateDecode"), _FONT])


def pdf_nested_forms(depth: int = 5000, cycle: bool = True) -> bytes:
    """A page drawing form X1, which draws X2, ... X`depth` (which draws X1 again: `cycle`)."""
    first = 5
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /XObject << /X %d 0 R >> /Font << /F1 %d 0 R >> >> >>"
               % (first, first + depth), _stream(b"/X Do " + _TEXT)]
    for k in range(depth):
        target = first + k + 1 if k + 1 < depth else (first if cycle else None)
        res = b"/Resources << /XObject << /X %d 0 R >> >>" % target if target else b""
        body = b"/X Do" if target else _TEXT
        objects.append(_stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                               + res))
    objects.append(_FONT)
    return _pdf(objects)


def pdf_pages(n: int = 10_000) -> bytes:
    """`n` pages, each drawing one shared text stream."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
               _stream(_TEXT), _FONT]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                b"/Resources << /Font << /F1 4 0 R >> >> >>"] * n
    return _pdf(objects)


def pdf_huge_page(points: int = 14_400) -> bytes:
    """One page of `points` x `points` (14 400: 200 inches, the most PDF allows) and no text:
    a scan to OCR, 60000 x 60000 pixels at 300 dpi."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>"
                 % (points, points), _stream(b"0 0 m 10 10 l S")])


# -- images that claim to be huge --------------------------------------------------------------

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_huge(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG header claiming width x height grey pixels, with a few rows of data."""
    rows = zlib.compress((b"\x00" + b"\xff" * width) * 4)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                                                                 8, 0, 0, 0, 0))
            + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b""))


def tiff_huge(width: int = 100_000, height: int = 100_000) -> bytes:
    """A little-endian TIFF whose one strip claims width x height grey pixels."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8 + 2 + 12 * 9 + 4), (277, 3, 1, 1),
               (278, 4, 1, height), (279, 4, 1, min(width * height, 2**32 - 1))]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, count, value) for tag, kind, count, value in entries)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00\x00\x00\x00" + b"\xff" * 4096


BOMBS: tuple[tuple[str, str, Callable[[], bytes], tuple[int, ...]], ...] = (
    # name, file name, builder, exits allowed from `analyze` (ingest: 1 for 3)
    ("DOCX member expanding to 1 GB", "expanding.docx", docx_expanding, (3,)),
    ("DOCX with a zip in a zip in a zip", "nested.docx", docx_nested, (0, 3)),
    ("DOCX with 100 000 members", "members.docx", docx_many_members, (3,)),
    ("PDF FlateDecode stream expanding to 4 GB", "flate.pdf", pdf_flate_bomb, (3,)),
    ("PDF with 5000 nested forms in a cycle", "forms.pdf", pdf_nested_forms, (0, 3)),
    ("PDF with 10 000 pages", "pages.pdf", pdf_pages, (3,)),
    ("PDF scan with a 200-inch page", "page.pdf", pdf_huge_page, (3,)),
    ("PNG claiming 100000x100000", "huge.png", png_huge, (3,)),
    ("TIFF claiming 100000x100000", "huge.tiff", tiff_huge, (3,)),
)


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(args: list[str], timeout: float = TIME_LIMIT) -> tuple[int, str, float, int]:
    """(exit code, stderr, seconds, peak RSS in MB) of `muragat args` under the bounds; a
    process past the time bound is killed (exit -9)."""
    with tempfile.TemporaryFile() as err:
        began = time.monotonic()
        proc = subprocess.Popen([MURAGAT, *args], stdout=subprocess.DEVNULL, stderr=err,
                                preexec_fn=_bounded)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        seconds = time.monotonic() - began
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return proc.returncode, text, seconds, usage.ru_maxrss // 1024


def bombs(short: bool = False, names: Iterable[str] | None = None) -> Row:
    """Each bomb through `analyze` and `ingest` (short: `ingest` of the DOCX bomb only, and
    its member expands to 300 MB, not 1 GB): exit 3 (ingest 1), a message, no traceback,
    inside the time and memory bounds."""
    row = Row("bombs: zip, PDF, huge images (2 GB, 60 s)")
    wanted = set(names) if names is not None else None
    worst_rss, worst_s = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for label, file_name, build, allowed in BOMBS:
            if wanted is not None and file_name not in wanted:
                continue
            path = Path(tmp) / file_name
            path.write_bytes(docx_expanding(300 * 2**20) if short and build is docx_expanding
                             else build())
            db = str(Path(tmp) / "bombs.db")
            verbs = [("analyze", ["analyze", str(path), "--to", "json"], allowed)]
            if not short or build is docx_expanding:
                verbs.append(("ingest", ["ingest", str(path), "--db", db, "--no-progress"],
                              tuple(1 if x == 3 else x for x in allowed)))
            for verb, args, ok in verbs:
                code, err, seconds, rss = run_bounded(args)
                row.tried += 1
                worst_rss, worst_s = max(worst_rss, rss), max(worst_s, seconds)
                last = (err.strip().splitlines() or [""])[-1][:160]
                if code not in ok or "Traceback" in err or (code and not last):
                    row.fail(f"{label}: {verb} exit {code} in {seconds:.0f} s, {rss} MB: {last}")
    row.note = f"{len(BOMBS)} files; worst {worst_s:.1f} s, {worst_rss} MB RSS"
    return row
