"""One span per entity (issue 17): NER owns the spans, the values layer attaches its values."""

from __future__ import annotations

import pytest

from muragat import formats, pipeline
from muragat.export.tei import span_tag
from muragat.model import Span
from muragat.values import reconcile, value_label, valued

LAYERS = ("text", "ner", "values", "cite")


def test_a_value_is_attached_to_the_ner_span_it_overlaps() -> None:
    spans = [
        Span("ner", "DATE", 0, 9, {"lemma": "1929 жыл"}),
        Span("value", "DATE", 0, 13, {"value": "1929"}),
        Span("ner", "PERSON", 20, 28),
        Span("ner", "DATE", 40, 46),
        Span("value", "QUANTITY", 40, 44, {"value": {"amount": 2, "unit": "year"}}),
        Span("ner", "CARDINAL", 50, 53),
    ]
    out = reconcile(spans)
    assert [(s.layer, s.label, s.start, s.end) for s in out] == [
        ("ner", "DATE", 0, 9), ("ner", "PERSON", 20, 28), ("ner", "DATE", 40, 46),
        ("ner", "CARDINAL", 50, 53),
    ]  # NER's boundaries stay; no value span is left beside them
    assert out[0].attrs == {"lemma": "1929 жыл", "value": "1929"}
    assert out[2].attrs["value_label"] == "QUANTITY"  # the kinds differ: both are kept
    assert value_label(out[2]) == "QUANTITY" and value_label(out[0]) == "DATE"
    assert valued(out) == [out[0], out[2]] and valued(out, "DATE") == [out[0]]


def test_a_value_ner_missed_becomes_an_ner_span_of_its_own() -> None:
    spans = [Span("ner", "PERSON", 0, 5), Span("value", "MONEY", 10, 20, {"value": 5})]
    out = reconcile(spans)
    assert [(s.layer, s.label, s.start, s.attrs.get("from")) for s in out] == [
        ("ner", "PERSON", 0, None), ("ner", "MONEY", 10, "values")]
    assert out[1].attrs["value"] == 5


def test_ner_parts_one_value_joins_are_one_entity() -> None:
    text = "1929 жылы 2 маусымда"
    spans = [
        Span("ner", "DATE", 0, 9, {"lemma": "1929 жыл"}),
        Span("ner", "DATE", 10, 20, {"lemma": "2 маусым"}),
        Span("value", "DATE", 0, 20, {"value": "1929-06-02"}),
    ]
    (date,) = reconcile(spans, text=text)
    assert (date.layer, date.start, date.end) == ("ner", 0, 20)
    assert date.attrs == {"lemma": "1929 жылы 2 маусым", "value": "1929-06-02"}


def test_without_an_ner_layer_value_spans_stay() -> None:
    spans = [Span("section", "BODY", 0, 30), Span("value", "DATE", 0, 4, {"value": "1929"})]
    assert reconcile(spans) == spans
    assert reconcile(spans, entities=True)[1].layer == "ner"


def test_no_ner_span_in_citation_brackets_or_numbers_in_the_footer() -> None:
    spans = [
        Span("ner", "CARDINAL", 11, 12),
        Span("ner", "ADAGE", 0, 15),
        Span("ner", "CARDINAL", 100, 103),
        Span("ner", "PERSON", 101, 110),
        Span("value", "DATE", 120, 124, {"value": "1930"}),  # the footer's dates stay
    ]
    out = reconcile(spans, brackets=[(10, 16)], footer=90)
    assert [(s.label, s.start) for s in out] == [("PERSON", 101), ("DATE", 120)]


MIXED = [  # (sentence, entity as KazNERD marks it, label, the value attached)
    ("Ол 1929 жылы 2 маусымда Алматыда дүниеге келді.", "1929 жылы 2 маусымда", "DATE",
     "1929-06-02"),
    ("Мекемеге 13208699 сом 92 тиын бөлінді.", "13208699 сом 92 тиын", "MONEY",
     {"amount": 13208699.92, "currency": "SUR"}),
    ("Сауалнамаға қатысқандардың 19,5 %-ды келіседі.", "19,5 %-ды", "PERCENTAGE", 19.5),
    ("Ауылда 3 адамнан тұратын комиссия құрылды.", "3", "CARDINAL", 3),
]


@pytest.mark.parametrize(("sentence", "entity", "label", "value"), MIXED)
def test_mixed_sentences_one_span_per_entity(sentence: str, entity: str, label: str,
                                             value: object) -> None:
    doc = pipeline.analyze(sentence, LAYERS)
    assert doc.spans_of("value") == []
    ents = doc.spans_of("ner")
    for a, b in zip(ents, ents[1:], strict=False):
        assert a.end <= b.start  # never two spans over one entity
    start = sentence.index(entity)
    (span,) = [s for s in ents if s.label == label]
    assert (span.start, span.end) == (start, start + len(entity))
    assert span.attrs["value"] == value


def test_bio_and_tei_write_the_numeric_entities() -> None:
    doc = formats.read_bio("Ол O\n1929 O\nжылы O\n2 O\nмаусымда O\nкелді O\n. O\n")
    doc = pipeline.run(doc, LAYERS)
    labels = formats.to_bio(doc).split()[1::2]
    assert labels == ["O", "B-DATE", "I-DATE", "I-DATE", "I-DATE", "O", "O"]
    (date,) = doc.spans_of("ner")
    assert span_tag(date) == ("date", [("when", "1929-06-02")])
    money = Span("ner", "MONEY", 0, 5, {"value": {"amount": 5.5, "currency": "KZT"}})
    assert span_tag(money) == ("num", [("type", "money"), ("value", 5.5), ("unit", "KZT")])
    assert span_tag(Span("ner", "PERSON", 0, 5, {"lemma": "Ақмұрзин"}))[0] == "persName"


def test_a_name_that_is_a_value_plus_punctuation_is_the_value() -> None:
    text = "(1928-1937) /Қазақстан"
    spans = [Span("ner", "ORGANISATION", 1, 13), Span("value", "DATE", 1, 10, {"value": "1928/1937"})]
    (date,) = reconcile(spans, entities=True, text=text)
    assert (date.label, date.start, date.end, date.attrs["value"]) == ("DATE", 1, 10, "1928/1937")
    # exactly on the value, NER's class stands: a help-line number is a CONTACT
    spans = [Span("ner", "CONTACT", 1, 4), Span("value", "CARDINAL", 1, 4, {"value": 102})]
    (contact,) = reconcile(spans, text="«102»")
    assert (contact.label, contact.attrs["value"], contact.attrs["value_label"]) == (
        "CONTACT", 102, "CARDINAL")


def test_of_several_values_in_one_entity_the_one_of_its_kind_is_attached() -> None:
    spans = [
        Span("ner", "MONEY", 0, 24),
        Span("value", "CARDINAL", 0, 1, {"value": 5}),
        Span("value", "MONEY", 4, 24, {"value": {"amount": 3e9, "currency": "USD"}}),
    ]
    (money,) = reconcile(spans)
    assert money.attrs == {"value": {"amount": 3e9, "currency": "USD"}}


def test_a_numeric_span_over_values_a_space_apart_is_one_span_per_value() -> None:
    text = "1281-і он жылға"
    spans = [
        Span("ner", "DATE", 0, 15, {"lemma": "1281-і он жыл"}),
        Span("value", "CARDINAL", 0, 6, {"value": 1281}),
        Span("value", "DATE", 7, 15, {"value": "P10Y", "duration": True}),
    ]
    out = reconcile(spans, text=text)
    assert [(s.label, text[s.start : s.end], s.attrs["value"]) for s in out] == [
        ("CARDINAL", "1281-і", 1281), ("DATE", "он жылға", "P10Y")]
    text = "2018-інші жылдың 9 айында"  # a genitive ties them: one DATE, as KazNERD marks it
    spans = [
        Span("ner", "DATE", 0, 25),
        Span("value", "DATE", 0, 16, {"value": "2018"}),
        Span("value", "DATE", 17, 25, {"value": "P9M", "duration": True}),
    ]
    assert [(s.start, s.end) for s in reconcile(spans, text=text)] == [(0, 25)]
