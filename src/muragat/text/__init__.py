"""Text layer: normalization, corpus-damage repair, sentences and tokens.

Placeholder segmentation (to be replaced by the real Kazakh text layer).
"""

from __future__ import annotations

import re

from muragat.model import Document, Range, Token

_TOKEN = re.compile(r"\w+(?:[-.]\w+)*|\S", re.UNICODE)
_SENT_END = re.compile(r"[.!?…]+[»\"”)]*\s+")


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def sentences(text: str) -> list[Range]:
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        out.append(Range(start, m.end()))
        start = m.end()
    if start < len(text):
        out.append(Range(start, len(text)))
    return out


def annotate(doc: Document) -> Document:
    if not doc.tokens:
        doc.tokens = tokenize(doc.text)
    if not doc.sentences:
        doc.sentences = sentences(doc.text)
    if not doc.paragraphs and doc.text:
        doc.paragraphs = [Range(0, len(doc.text))]
    return doc
