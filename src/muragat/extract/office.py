"""DOCX: paragraphs and table rows in the order they appear in the document body."""

from __future__ import annotations

import io
import zipfile

from muragat.errors import InputError
from muragat.extract.extracted import Extracted
from muragat.i18n import t

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A DOCX is a zip: bounded before python-docx expands it (a 1 MB zip can claim gigabytes, and
# zipfile never expands a member past the size it declares, so the declared sizes bound it).
MAX_MEMBERS = 10_000
MAX_EXPANDED_BYTES = 256 * 2**20


def _check_archive(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - BadZipFile, NotImplementedError (zip version), ...
        raise InputError(t(f"{name}: DOCX оқылмады: {exc}", f"{name}: cannot read DOCX: {exc}")
                         ) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(t(f"{name}: DOCX ішінде файл тым көп ({len(members)} > {MAX_MEMBERS})",
                           f"{name}: too many files inside the DOCX ({len(members)} > "
                           f"{MAX_MEMBERS})"))
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED_BYTES:
        mb, cap = expanded // 2**20, MAX_EXPANDED_BYTES // 2**20
        raise InputError(t(f"{name}: DOCX ашқанда тым үлкен ({mb} МБ > {cap} МБ; zip бомбасы?)",
                           f"{name}: the DOCX expands too much ({mb} MB > {cap} MB; a zip bomb?)"))


def extract_docx(data: bytes, name: str) -> Extracted:
    try:
        import docx
    except ImportError:
        raise InputError(t(f"{name}: DOCX үшін python-docx керек: pip install 'muragat[formats]'",
                           f"{name}: DOCX needs python-docx: pip install 'muragat[formats]'")
                         ) from None
    _check_archive(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a damaged archive raises zipfile, KeyError, lxml errors
        raise InputError(t(f"{name}: DOCX оқылмады: {exc}", f"{name}: cannot read DOCX: {exc}")
                         ) from None
    blocks: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == _W + "p":
            blocks.append("".join(node.text or "" for node in element.iter(_W + "t")))
        elif element.tag == _W + "tbl":
            for row in element.iter(_W + "tr"):
                cells = ["".join(n.text or "" for n in c.iter(_W + "t")) for c in row.iter(_W + "tc")]
                blocks.append(" | ".join(c.strip() for c in cells if c.strip()))
    text = "\n\n".join(b.strip() for b in blocks if b.strip()) + "\n"
    meta = {}
    title = document.core_properties.title
    if title:
        meta["title"] = title
    return Extracted(text, meta)
