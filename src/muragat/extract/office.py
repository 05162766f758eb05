"""DOCX: paragraphs and table rows in the order they appear in the document body."""

from __future__ import annotations

import io

from muragat.errors import InputError
from muragat.extract.extracted import Extracted
from muragat.i18n import t

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_docx(data: bytes, name: str) -> Extracted:
    try:
        import docx
    except ImportError:
        raise InputError(t(f"{name}: DOCX үшін python-docx керек: pip install 'muragat[formats]'",
                           f"{name}: DOCX needs python-docx: pip install 'muragat[formats]'")
                         ) from None
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
