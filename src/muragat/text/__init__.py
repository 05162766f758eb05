"""Text layer: normalization, corpus-damage repair, paragraphs, sentences and tokens.

Public API: ``normalize``, ``tokenize``, ``sentences``, ``paragraphs``, ``segment``, ``annotate``,
``explain``. Offsets always point into the original text; ``Token.norm`` is the analysis form.
All functions are linear in the length of the text (regex scans, no recursion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from muragat.model import Document, Range, Token
from muragat.text.layout import layout
from muragat.text.normalizer import normalize
from muragat.text.script import CONVERTIBLE, detect, to_cyrillic
from muragat.text.segmenter import RULES, split_paragraph
from muragat.text.tokenizer import dash_in_context, gc_paused, make_tokens, scan, spans

__all__ = [
    "RULES",
    "Segmentation",
    "annotate",
    "chunks",
    "explain",
    "normalize",
    "paragraphs",
    "segment",
    "sentences",
    "tokenize",
    "detect",
    "to_cyrillic",
]


@dataclass(slots=True)
class Segmentation:
    """What ``segment`` found; ``mode`` is the detected page layout."""

    mode: str  # layout: sentence | wrapped | lines | single
    paragraphs: list[Range]
    sentences: list[Range]
    tokens: list[Token]


def _sentence_spans(
    text: str, paras: list[tuple[int, int]], breaks: list[int], glued: list[int] | None = None
) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    j, nb = 0, len(breaks)
    for a, b in paras:
        while j < nb and breaks[j] < a:
            j += 1
        k = j
        while k < nb and breaks[k] < b:
            k += 1
        out.extend(split_paragraph(text, a, b, breaks[j:k], glued=glued))
        j = k
    return out


def segment(
    text: str, with_tokens: bool = True, paragraphs: list[Range] | None = None
) -> Segmentation:
    """Paragraphs, sentences and (optionally) tokens of ``text`` in one pass. Given
    ``paragraphs`` replace the detected ones (sentences then stay inside them)."""
    with gc_paused():
        return _segment(text, with_tokens, paragraphs)


def _tiles(text: str, ranges: list[Range]) -> bool:
    """Ranges are ordered, inside the text, non-overlapping and leave only whitespace out."""
    pos = 0
    for r in ranges:
        if not pos <= r.start <= r.end <= len(text) or text[pos : r.start].strip():
            return False
        pos = r.end
    return not text[pos:].strip()


def _segment(text: str, with_tokens: bool, given: list[Range] | None) -> Segmentation:
    lay = layout(text)
    if given and _tiles(text, given):  # paragraphs that do not tile the text are not used
        lay.paragraphs = [(p.start, p.end) for p in given]
    glued: list[int] = []
    sents = _sentence_spans(text, lay.paragraphs, lay.line_breaks, glued)
    tokens: list[Token] = []
    if with_tokens:
        # Tokens never contain whitespace, so only a boundary glued between two characters
        # (``құрды.|.О.``) can cut a token: scan the text in one go between such boundaries.
        tokens = scan(text, glued)
    return Segmentation(
        lay.mode,
        [Range(a, b) for a, b in lay.paragraphs],
        [Range(a, b) for a, b in sents],
        tokens,
    )


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; they never cross a sentence boundary of ``sentences(text)``."""
    return segment(text).tokens


def sentences(text: str) -> list[Range]:
    return segment(text, with_tokens=False).sentences


def paragraphs(text: str) -> list[Range]:
    return layout_paragraphs(text)


def layout_paragraphs(text: str) -> list[Range]:
    return [Range(a, b) for a, b in layout(text).paragraphs]


def explain(text: str) -> list[tuple[int, str, str, str, str]]:
    """Every candidate boundary with the rule that decided it: (offset, kind, answer, rule,
    context). For debugging: ``for row in explain(text): print(row)``."""
    lay = layout(text)
    rows: list[tuple[int, str, str, str, str]] = []
    for a, b in lay.paragraphs:
        trace: list = []
        split_paragraph(text, a, b, [p for p in lay.line_breaks if a <= p < b], trace)
        for pos, kind, answer, rule in trace:
            context = text[max(a, pos - 25) : pos] + " | " + text[pos : min(b, pos + 25)]
            rows.append((pos, kind, answer, rule, context.replace("\n", "⏎")))
    return rows


_SENTENCE_END = re.compile(r"[.!?…][»\"”)\]]*\s")


def chunks(text: str, size: int = 1_000_000) -> list[Range]:
    """Cut a very long text into pieces of at most ``size`` characters for piecewise analysis
    (a 100 MB single-line file): each cut is at a blank line, else a line break, else a
    sentence end, else a space found in the second half of the window; a hard cut only where
    half a window holds no space at all. Linear: every character is searched at most twice.
    The pieces tile the text; analyse each with ``segment(text[r.start:r.end])`` and shift the
    offsets by ``r.start``.
    """
    if size < 2:
        raise ValueError("size must be at least 2")
    out: list[Range] = []
    pos, n = 0, len(text)
    while n - pos > size:
        lo, hi = pos + size // 2, pos + size
        cut = text.rfind("\n\n", lo, hi)
        cut = cut + 2 if cut >= 0 else text.rfind("\n", lo, hi) + 1
        if cut <= 0:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, hi)]
            cut = ends[-1] if ends else text.rfind(" ", lo, hi) + 1
        if cut <= 0:
            cut = hi
        out.append(Range(pos, cut))
        pos = cut
    if pos < n:
        out.append(Range(pos, n))
    return out


def _merge_crossed(ranges: list[Range], inner: list[tuple[int, int]]) -> list[Range]:
    """Merge consecutive ranges whenever one of ``inner`` (sorted spans) crosses their border."""
    if not ranges:
        return ranges
    out = [Range(ranges[0].start, ranges[0].end)]
    i, n = 0, len(inner)
    for r in ranges[1:]:
        border = out[-1].end
        while i < n and inner[i][1] <= border:
            i += 1
        if i < n and inner[i][0] < border and inner[i][1] > border:
            out[-1].end = max(out[-1].end, r.end)
        else:
            out.append(Range(r.start, r.end))
    return out


def annotate(doc: Document) -> Document:
    """Fill paragraphs, sentences and tokens that are missing; keep what the document has.

    Pre-tokenized input (CoNLL-U, BIO) keeps its tokens: only ``norm`` is filled (where it is
    empty or a copy of the surface form), and computed
    sentences/paragraphs are merged where a given token or sentence would cross them.
    """
    text = doc.text
    script = detect(text)
    if script in CONVERTIBLE:  # Latin/Arabic Kazakh: token norms are Cyrillic (text/script.py)
        doc.meta["script"] = script
    if doc.tokens:
        for t in doc.tokens:
            raw = text[t.start : t.end]
            if not t.norm or t.norm == raw:  # readers may copy the surface form into norm
                t.norm = to_cyrillic(raw, script) if script in CONVERTIBLE else raw
                t.norm = dash_in_context(text, t.start, t.end) or normalize(t.norm) or raw
        spans_ = [(t.start, t.end) for t in doc.tokens]
        if not doc.sentences:
            computed = segment(text, False, doc.paragraphs or None).sentences
            doc.sentences = _merge_crossed(computed, spans_)
        if not doc.paragraphs:
            sents = [(s.start, s.end) for s in doc.sentences]
            doc.paragraphs = _merge_crossed(layout_paragraphs(text), sents)
        return doc
    if doc.sentences:
        offsets: list[tuple[int, int]] = []
        for s in doc.sentences:
            offsets.extend(spans(text, s.start, s.end))
        doc.tokens = make_tokens(text, offsets)
        if not doc.paragraphs:
            sents = [(s.start, s.end) for s in doc.sentences]
            doc.paragraphs = _merge_crossed(layout_paragraphs(text), sents)
        return doc
    seg = segment(text, True, doc.paragraphs or None)
    doc.sentences, doc.tokens = seg.sentences, seg.tokens
    if not doc.paragraphs:
        doc.paragraphs = seg.paragraphs
    return doc
