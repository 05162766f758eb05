"""In-text citations: `[1, 28-30-бб.]`, `[6, 17-б.]`, `[10]`, `[5; 7]`, `[3, т. 2, 45-б.]`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# a bracket whose content starts with a reference number
BRACKET_RE = re.compile(r"\[(\d{1,3}(?:[^\[\]\n]{0,80}?))\]")
_PAGE_MARK = r"(?:бб|б|бет|беттер|с|сс|p|pp|стр)"
PART_RE = re.compile(
    rf"\s*(\d{{1,3}})\s*(?:,\s*(?:(?:т|том)\.?\s*\d+\s*,\s*)?(?:{_PAGE_MARK}\.\s*)?"
    rf"(\d+(?:\s*[-–]\s*\d+)?)\s*(?:-?\s*{_PAGE_MARK}\.?)?)?\s*"
)


_RANGE_DASH = re.compile(r"\s*[-–]\s*")


@dataclass(slots=True)
class Citation:
    start: int
    end: int
    ref: int
    pages: str | None
    bracket: tuple[int, int]


def bracket_ranges(text: str, end: int | None = None) -> list[tuple[int, int]]:
    """Where the citation brackets are (the values layer does not read inside them)."""
    return [m.span() for m in BRACKET_RE.finditer(text, 0, len(text) if end is None else end)]


def find_citations(text: str, end: int | None = None) -> list[Citation]:
    """One Citation per reference: a multi-reference bracket `[5; 7]` gives two, each spanning
    its own part; a single reference spans the whole bracket."""
    out: list[Citation] = []
    for m in BRACKET_RE.finditer(text, 0, len(text) if end is None else end):
        parts = _split(m.group(1), m.start(1))
        cites = []
        for pstart, ptext in parts:
            pm = PART_RE.fullmatch(ptext)
            if pm is None:
                cites = []
                break  # not a citation after all: [1917 ж. ...] or prose in brackets
            pages = _RANGE_DASH.sub("-", pm.group(2)) if pm.group(2) else None
            s = pstart + len(ptext) - len(ptext.lstrip())
            cites.append(
                Citation(s, pstart + len(ptext.rstrip()), int(pm.group(1)), pages, m.span())
            )
        if len(cites) == 1:
            cites[0].start, cites[0].end = m.span()
        out.extend(cites)
    return out


def _split(content: str, offset: int) -> list[tuple[int, str]]:
    parts, pos = [], 0
    for piece in content.split(";"):
        parts.append((offset + pos, piece))
        pos += len(piece) + 1
    return parts
