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
    spans = scan(
        text,
        sentences=doc.sentences,
        skip=bracket_ranges(text),
        dates_only_from=footer.start if footer else None,
        tokens=doc.tokens or None,
    )
    doc.add_spans(spans)
    return doc
