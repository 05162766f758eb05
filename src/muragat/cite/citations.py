"""In-text citations: `[1, 28-30-бб.]`, `[6, 17-б.]`, `[10]`, `[5; 7]`, `[3, т. 2, 45-б.]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=1)  # values then cite ask for the same text: scanned once per document
def _brackets(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, content) of every bracket that opens with a reference number, in text
    order. A bracket can hold no `[`, `]` or newline, so brackets never overlap and those that
    end by a position are exactly the ones a scan stopping there finds."""
    return tuple((m.start(), m.end(), m.group(1)) for m in BRACKET_RE.finditer(text))


def bracket_ranges(text: str, end: int | None = None) -> list[tuple[int, int]]:
    """Where the citation brackets are (the values layer does not read inside them)."""
    stop = len(text) if end is None else end
    return [(a, b) for a, b, _ in _brackets(text) if b <= stop]


def find_citations(text: str, end: int | None = None) -> list[Citation]:
    """One Citation per reference: a multi-reference bracket `[5; 7]` gives two, each spanning
    its own part; a single reference spans the whole bracket."""
    stop = len(text) if end is None else end
    out: list[Citation] = []
    for a, b, content in _brackets(text):
        if b > stop:
            break  # brackets come in text order
        if len(content) <= 3 and content.isdecimal():
            # `[10]`, the common form: up to three digits are a reference without pages
            # (isdecimal is exactly the regex's \d)
            out.append(Citation(a, b, int(content), None, (a, b)))
        else:
            out.extend(_bracket_citations(a, b, content))
    return out


def _bracket_citations(start: int, end: int, content: str) -> list[Citation]:
    """The references of one bracket, or none when a part is not a reference after all
    (`[1917 ж. ...]` or prose in brackets)."""
    cites = []
    for pstart, ptext in _split(content, start + 1):
        pm = PART_RE.fullmatch(ptext)
        if pm is None:
            return []
        pages = _RANGE_DASH.sub("-", pm.group(2)) if pm.group(2) else None
        s = pstart + len(ptext) - len(ptext.lstrip())
        cites.append(
            Citation(s, pstart + len(ptext.rstrip()), int(pm.group(1)), pages, (start, end))
        )
    if len(cites) == 1:
        cites[0].start, cites[0].end = start, end
    return cites


def _split(content: str, offset: int) -> list[tuple[int, str]]:
    parts, pos = [], 0
    for piece in content.split(";"):
        parts.append((offset + pos, piece))
        pos += len(piece) + 1
    return parts
