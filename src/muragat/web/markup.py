"""HTML for document text: spans highlighted by their offsets, every character escaped.

Spans overlap (a DATE is both an NER and a value span; an event trigger sits inside a
sentence full of entities), so the text is cut at every span edge into elementary segments,
and each segment carries the classes of all spans covering it. Every piece of text passes
through `markupsafe.escape`; nothing from a document reaches the page unescaped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from muragat.model import Document, Span

INLINE_LAYERS = frozenset({"ner", "value", "citation", "event", "bibliography", "footer"})
SECTION_LAYER = "section"
_CLASS_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def css(name: str) -> str:
    """A class-name-safe version of a layer or label."""
    return _CLASS_SAFE.sub("_", name)[:40]


def mark(text: str, marks: list[tuple[int, int]], offset: int = 0) -> Markup:
    """`text` escaped, with the ranges `marks` (offsets minus `offset`) in `<mark>`."""
    out: list[str] = []
    pos = 0
    for a, b in sorted(marks):
        a, b = max(a - offset, pos), min(b - offset, len(text))
        if a >= b:
            continue
        out += [escape(text[pos:a]), Markup("<mark>"), escape(text[a:b]), Markup("</mark>")]
        pos = b
    out.append(escape(text[pos:]))
    return Markup("").join(out)


@dataclass(slots=True)
class Block:
    kind: str  # "section" (a heading) or "text"
    label: str
    start: int
    end: int
    html: Markup


def _title(span: Span) -> str:
    attrs = span.attrs
    extra = attrs.get("value") or attrs.get("lemma") or attrs.get("date") or attrs.get("ref")
    if isinstance(extra, dict):  # MONEY / QUANTITY: {"amount": 5600.4, "currency": "SUR"}
        extra = " ".join(str(v) for v in extra.values())
    return f"{span.label} {extra}" if extra not in (None, "") else span.label


def _segment(text: str, covering: list[Span], anchors: list[str], entity_of: dict[int, str],
             ids: dict[int, int], entity_url: Callable[[str], str]) -> Markup:
    body = escape(text)
    pre = Markup("").join(Markup('<span class="anchor" id="{}"></span>').format(a)
                          for a in anchors)
    if not covering:
        return pre + body
    classes = sorted({f"l-{css(s.layer)}" for s in covering} | {f"t-{css(s.label)}"
                                                                 for s in covering})
    title = "; ".join(dict.fromkeys(_title(s) for s in covering))
    href = None
    for s in covering:
        entry = s.attrs.get("entry_start")
        if s.layer == "citation" and isinstance(entry, int):
            href = f"#bib-{entry}"
            break
    if href is None:
        for s in covering:
            ident = entity_of.get(ids[id(s)])
            if ident:
                href = entity_url(ident)
                break
    tag = "a" if href else "span"
    attrs = Markup(' href="{}"').format(href) if href else Markup("")
    return pre + Markup('<{} class="{}" title="{}"{}>{}</{}>').format(
        Markup(tag), " ".join(classes), title, attrs, body, Markup(tag))


def _cuts(doc: Document, sections: list[Span]) -> list[int]:
    """Where text blocks begin: paragraph starts and section starts."""
    ranges = doc.paragraphs or doc.sentences
    points = {0, len(doc.text)} | {r.start for r in ranges} | {s.start for s in sections}
    return sorted(p for p in points if 0 <= p <= len(doc.text))


def document_blocks(doc: Document, entity_of: dict[int, str],
                    entity_url: Callable[[str], str],
                    marks: Sequence[tuple[int, int]] = ()) -> list[Block]:
    """Section headings and text blocks (paragraphs) of `doc`, spans highlighted.

    `entity_of` maps an index into `doc.spans` to its entity id; those spans link to
    `entity_url(id)`, citations link to their bibliography entry on the same page.
    `marks` (a search query's matched words) are wrapped in `<mark>`.
    """
    text = doc.text
    n = len(text)
    ids = {id(s): i for i, s in enumerate(doc.spans)}
    inline = [s for s in doc.spans if s.layer in INLINE_LAYERS and 0 <= s.start < s.end <= n]
    sections = sorted((s for s in doc.spans if s.layer == SECTION_LAYER), key=lambda s: s.start)
    cuts = _cuts(doc, sections)
    # Anchors: `#s-N` at each sentence (search hits link there), `#bib-START` at each
    # bibliography entry (citations carry their entry's start offset).
    anchors: dict[int, list[str]] = {}
    for i, sent in enumerate(doc.sentences):
        anchors.setdefault(sent.start, []).append(f"s-{i}")
    for s in inline:
        if s.layer == "bibliography":
            anchors.setdefault(s.start, []).append(f"bib-{s.start}")
    marks = [(a, b) for a, b in marks if 0 <= a < b <= n]
    edges = sorted(set(cuts) | {s.start for s in inline} | {s.end for s in inline}
                   | {a for a in anchors if 0 <= a < n} | {p for m in marks for p in m})
    covering: list[list[Span]] = [[] for _ in edges]
    for s in inline:
        for k in range(bisect.bisect_left(edges, s.start), bisect.bisect_left(edges, s.end)):
            covering[k].append(s)
    marked = [False for _ in edges]
    for a, b in marks:
        for k in range(bisect.bisect_left(edges, a), bisect.bisect_left(edges, b)):
            marked[k] = True
    blocks: list[Block] = []
    next_section = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        while next_section < len(sections) and sections[next_section].start <= a:
            sec = sections[next_section]
            blocks.append(Block("section", sec.label, sec.start, sec.end, Markup("")))
            next_section += 1
        piece = text[a:b]
        if not piece.strip():
            continue
        a2 = a + len(piece) - len(piece.lstrip())  # the block without its edge whitespace
        b2 = b - (len(piece) - len(piece.rstrip()))
        parts = []
        k = bisect.bisect_right(edges, a2) - 1
        first = True
        while k < len(edges) - 1 and edges[k] < b2:
            lo, hi = max(edges[k], a2), min(edges[k + 1], b2)
            # anchors that fall in the trimmed leading whitespace go on the first segment
            here = [x for p in range(a, a2 + 1) for x in anchors.get(p, [])] if first \
                else anchors.get(lo, [])
            seg = _segment(text[lo:hi], covering[k], here, entity_of, ids, entity_url)
            parts.append(Markup("<mark>") + seg + Markup("</mark>") if marked[k] else seg)
            first = False
            k += 1
        blocks.append(Block("text", "", a2, b2, Markup("").join(parts)))
    return blocks
