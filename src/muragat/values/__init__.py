"""Values layer: dates, numbers, money, quantities, percentages and ordinals, normalized.

`parse(text)` reads any string; `annotate(doc)` adds `layer="value"` spans to a document,
never across a sentence boundary (except a date cut after `ж.`), skipping in-text citations
(`[1, 28-30-бб.]`) and, in the footer, everything but dates.
"""

from __future__ import annotations

from muragat.errors import InputError
from muragat.model import Document, Span
from muragat.values.scanner import scan

__all__ = ["annotate", "parse"]


def parse(text: str) -> list[Span]:
    """Value spans of a string: `parse("1936 ж. 1 тамызға дейін")` -> one DATE 1936-08-01."""
    if not isinstance(text, str):
        raise InputError(f"values.parse expects a str, not {type(text).__name__}")
    return scan(text)


def annotate(doc: Document) -> Document:
    # imported here: the cite layer's footer finder is shared, and cite must not need values
    from muragat.cite.citations import bracket_ranges
    from muragat.cite.sections import find_footer

    text = doc.text
    footer = find_footer(text)
    brackets = bracket_ranges(text)
    spans = scan(
        text,
        sentences=doc.sentences,
        skip=brackets,
        dates_only_from=footer.start if footer else None,
    )
    if doc.spans:
        doc.spans = reconcile(doc.spans + spans, brackets, footer.start if footer else len(text))
        doc.add_spans([])
    else:  # nothing to reconcile with; the scanner's spans are in text order, never overlapping
        doc.spans = spans
    return doc


# NER labels that the values layer also produces; for these the value span is kept (it has
# the normalized value) and the overlapping NER span of the same label is dropped.
SHARED_LABELS = frozenset({"DATE", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENTAGE"})


def reconcile(
    spans: list[Span], brackets: list[tuple[int, int]] = (), footer: int | None = None
) -> list[Span]:
    """One span per entity. The values layer is authoritative for numeric expressions: an
    NER span of a shared label that overlaps a value span goes (the value span records
    `attrs["ner"] = True` when the labels agree), and so does one inside a citation bracket
    or the footer (reference numbers and pages are not quantities). No NER span may cross
    a citation bracket (`… болатын [6, 17-б.]`)."""
    values = [s for s in spans if s.layer == "value"]
    kept: list[Span] = []
    for span in spans:
        if span.layer == "ner":
            if any(a < span.end and span.start < b for a, b in brackets):
                continue
            if span.label in SHARED_LABELS:
                if footer is not None and span.start >= footer:
                    continue
                twins = [v for v in values if v.start < span.end and span.start < v.end]
                if twins:
                    for v in twins:
                        if v.label == span.label:
                            v.attrs["ner"] = True
                    continue
        kept.append(span)
    return kept
