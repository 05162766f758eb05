"""NER and values spans of the same entity are reconciled, not duplicated."""

from __future__ import annotations

from muragat.model import Span
from muragat.values import reconcile


def test_numeric_ner_spans_give_way_to_value_spans() -> None:
    spans = [
        Span("ner", "DATE", 0, 9),
        Span("value", "DATE", 0, 13, {"value": "1929"}),
        Span("ner", "PERSON", 20, 28),
        Span("ner", "CARDINAL", 40, 44),
        Span("value", "DATE", 40, 44, {"value": "1930"}),
        Span("ner", "CARDINAL", 50, 53),
    ]
    out = reconcile(spans)
    assert [(s.layer, s.label, s.start) for s in out] == [
        ("value", "DATE", 0), ("ner", "PERSON", 20), ("value", "DATE", 40), ("ner", "CARDINAL", 50)
    ]
    assert out[0].attrs == {"value": "1929", "ner": True}
    assert "ner" not in out[2].attrs  # labels disagreed: the value layer's reading stands


def test_no_ner_span_in_citation_brackets_or_numbers_in_the_footer() -> None:
    spans = [
        Span("ner", "CARDINAL", 11, 12),
        Span("ner", "ADAGE", 0, 15),
        Span("ner", "CARDINAL", 100, 103),
        Span("ner", "PERSON", 101, 110),
    ]
    out = reconcile(spans, brackets=[(10, 16)], footer=90)
    assert [(s.label, s.start) for s in out] == [("PERSON", 101)]
