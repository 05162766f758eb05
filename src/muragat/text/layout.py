"""Page layout: lines, blank lines, one-sentence-per-line dumps, hard-wrapped text, paragraphs.

Three layouts are told apart from line statistics (no line-length loops over characters):
- ``sentence``: a corpus dump with one sentence per line (most lines end a sentence, few lines
  hold a sentence boundary inside). Every line break is a candidate sentence boundary; a line
  that starts with a space starts a paragraph (the sample's convention).
- ``wrapped``: hard-wrapped prose (most lines end mid-sentence and have similar lengths). Line
  breaks are spaces; indented lines, or a short line ending a sentence, end a paragraph.
- ``lines``: anything else; every line is a paragraph.
Blank lines always separate paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from muragat.text.tokenizer import UPPER

_TERMINAL_END = re.compile(r"[.!?…:][»\"”’')\]]*+\s*+\Z")
# a line that ends in a lone initial (`Ж.`, `И.В.`) has lost its surname to the next line
_INITIAL_END = re.compile(f"(?<![^\\W\\d_])(?:[{UPPER}]\\.){{1,3}}\\Z")
_INNER_BOUNDARY = re.compile(f'[.!?…](?<![.!?…][.!?…])[.!?…]*+[»"”’)\\]]*+\\s++[«"“(]?[{UPPER}]')


@dataclass(slots=True)
class Line:
    start: int  # first non-space character
    end: int  # after the last non-space character
    raw_start: int  # start of the line, indentation included
    indented: bool


@dataclass(slots=True)
class Layout:
    mode: str  # sentence | wrapped | lines | single
    paragraphs: list[tuple[int, int]]
    line_breaks: list[int]  # candidate sentence boundaries (end of a line), sentence mode only


_LB = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# One line: indentation, then the trimmed body (first to last non-space character).
_LINE = re.compile(f"([^\\S{_LB}]*+)((?:[^{_LB}]*[^\\s])?)[^\\S{_LB}]*+(?:\r\n|[{_LB}]|\\Z)")


def lines(text: str) -> list[Line | None]:
    """The text's lines, trimmed; None for a blank line."""
    out: list[Line | None] = []
    end = len(text)
    for m in _LINE.finditer(text):
        s, e = m.span(2)
        out.append(Line(s, e, m.start(), m.end(1) > m.start()) if s < e else None)
        if m.end() >= end:
            break
    return out


def detect_mode(text: str, ls: list[Line]) -> str:
    n = len(ls)
    if n <= 1:
        return "single"
    if n < 3:
        return "lines"
    terminal = sum(1 for ln in ls if _TERMINAL_END.search(text, max(ln.start, ln.end - 8), ln.end))
    inner = sum(1 for ln in ls if _INNER_BOUNDARY.search(text, ln.start, ln.end))
    if terminal >= 0.6 * n and inner <= 0.25 * n:
        return "sentence"
    lengths = sorted(ln.end - ln.raw_start for ln in ls)
    width = lengths[int(0.9 * (n - 1))]
    full = sum(1 for x in lengths if x >= 0.6 * width)
    if terminal < 0.5 * n and 30 <= width <= 200 and full >= 0.7 * n:
        return "wrapped"
    return "lines"


def layout(text: str) -> Layout:
    all_lines = lines(text)
    ls = [ln for ln in all_lines if ln is not None]
    mode = detect_mode(text, ls)
    blocks: list[list[Line]] = [[]]
    for ln in all_lines:
        if ln is None:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(ln)
    paragraphs: list[tuple[int, int]] = []
    breaks: list[int] = []
    for block in blocks:
        if not block:
            continue
        if mode in ("lines", "single"):
            for i, ln in enumerate(block):
                if i and _split_initial(text, block[i - 1], ln):
                    paragraphs[-1] = (paragraphs[-1][0], ln.end)
                    breaks.append(block[i - 1].end)  # the sentence rules decide (a JOIN)
                else:
                    paragraphs.append((ln.start, ln.end))
            continue
        starts = _paragraph_starts(text, block, mode)
        for i, ln in enumerate(block):
            if i in starts:
                paragraphs.append((ln.start, ln.end))
            else:
                paragraphs[-1] = (paragraphs[-1][0], ln.end)
                if mode == "sentence":
                    breaks.append(block[i - 1].end)
    return Layout(mode, paragraphs, breaks)


def _split_initial(text: str, prev: Line, line: Line) -> bool:
    """`Комиссия құрамына Ж.` | `Сәрсенов, …`: no paragraph ends with a lone initial."""
    return bool(_INITIAL_END.search(text, max(prev.start, prev.end - 8), prev.end)) and text[
        line.start : line.start + 1
    ].isupper()


def _paragraph_starts(text: str, block: list[Line], mode: str) -> set[int]:
    starts = {0}
    # Indentation marks paragraphs only where the block mixes indented and flush lines.
    indents = [i for i, ln in enumerate(block) if ln.indented]
    if indents and len(indents) < len(block):
        starts.update(indents)
    if mode == "wrapped":
        width = max(ln.end - ln.raw_start for ln in block)
        for i in range(1, len(block)):
            prev = block[i - 1]
            short = prev.end - prev.raw_start < 0.7 * width
            if short and _TERMINAL_END.search(text, max(prev.start, prev.end - 8), prev.end):
                starts.add(i)
    return starts
