"""Cite layer: in-text citations linked to a bibliography; body / footer / bibliography.

Spans added:
- layer "citation", label CITATION, attrs {ref, pages, entry, entry_start}: one per reference
  (a multi-reference bracket `[5; 7]` gives one span per part; a single one spans the bracket);
  `entry` is the 0-based index of the linked bibliography entry, None when it was lost.
- layer "section": BODY, FOOTER (author, degree, city and the reference list), BIBLIOGRAPHY.
- layer "footer": AUTHOR (initials), DEGREE, CITY, HEADING.
- layer "bibliography", label ENTRY, attrs {number, number_inferred?, title, source, issue,
  pages, year}.
- layer "ner" inside the reference list: each entry's source after `//` is an ORGANISATION
  (attrs {lemma, from: "bibliography"}); NER spans across an entry's fields are dropped.
"""

from __future__ import annotations

from operator import attrgetter

from muragat.cite.bibliography import Entry, infer_numbers, split_entries
from muragat.cite.citations import Citation, bracket_ranges, find_citations
from muragat.cite.sections import Footer, find_footer
from muragat.model import Document, Span

__all__ = [
    "Citation",
    "Footer",
    "annotate",
    "bibliography_entities",
    "bracket_ranges",
    "find_citations",
    "find_footer",
]


def annotate(doc: Document) -> Document:
    text = doc.text
    footer = find_footer(text)
    body_end = footer.start if footer else len(text)
    cites = find_citations(text, body_end)
    spans = [Span("section", "BODY", 0, _rstrip_end(text, body_end))]
    entries: list[Entry] = []
    if footer is not None:
        fend = _rstrip_end(text, len(text))
        spans.append(Span("section", "FOOTER", footer.start, fend))
        for label, rng in (
            ("AUTHOR", footer.author),
            ("DEGREE", footer.degree),
            ("CITY", footer.city),
            ("HEADING", footer.heading),
        ):
            if rng is not None:
                spans.append(Span("footer", label, rng[0], rng[1]))
        if footer.bibliography is not None:
            spans.append(Span("section", "BIBLIOGRAPHY", footer.bibliography, fend))
            entries = split_entries(text, footer.bibliography, fend)
            infer_numbers(entries, cites, text)
    if entries and "ner" in map(_LAYER, doc.spans):  # only where the NER layer ran
        doc.spans = bibliography_entities(doc.spans, entries, text)
    by_number = {e.number: k for k, e in enumerate(entries) if e.number is not None}
    spans.extend(Span("bibliography", "ENTRY", e.start, e.end, e.attrs) for e in entries)
    for c in cites:
        k = by_number.get(c.ref)
        attrs = {
            "ref": c.ref,
            "pages": c.pages,
            "entry": k,
            "entry_start": entries[k].start if k is not None else None,
        }
        spans.append(Span("citation", "CITATION", c.start, c.end, attrs))
    doc.add_spans(spans)
    return doc


_LAYER = attrgetter("layer")


def _rstrip_end(text: str, end: int) -> int:
    """len(text[:end].rstrip()), without copying the text."""
    while end and text[end - 1].isspace():
        end -= 1
    return end


def bibliography_entities(spans: list[Span], entries: list[Entry], text: str) -> list[Span]:
    """Named entities in the reference list follow its fields. A tagger trained on prose reads
    `8 Title // Newspaper.` as one run of words; here an NER span that starts on an entry's
    number or crosses the separator before its source (`//`, or ` /` before the responsible
    body) goes, and the source after `//` (a newspaper or journal, `Социалистік Қазақстан`)
    becomes one ORGANISATION, replacing what the tagger found inside it."""
    cuts: list[tuple[int, int, int]] = []  # (entry start, title start, separator or -1)
    sources: list[Span] = []
    for e in entries:
        number = str(e.number) if e.number is not None else ""
        title = e.start + len(number) if number and text.startswith(number, e.start) else e.start
        cut = text.find("//", e.start, e.end)
        source = e.attrs.get("source")
        at = text.find(source, cut, e.end) if source and cut >= 0 else -1
        if at >= 0:
            attrs = {"lemma": source, "from": "bibliography"}
            sources.append(Span("ner", "ORGANISATION", at, at + len(source), attrs))
        cuts.append((e.start, title, cut if cut >= 0 else text.find(" /", e.start, e.end)))

    def misread(span: Span) -> bool:
        for start, title, cut in cuts:
            if span.start < title and span.end > start:
                return True
            if cut >= 0 and span.start < cut + 2 and span.end > cut:
                return True
        return any(s.start < span.end and span.start < s.end for s in sources)

    first = entries[0].start
    kept = [s for s in spans if s.layer != "ner" or s.end <= first or not misread(s)]
    return kept + sources
