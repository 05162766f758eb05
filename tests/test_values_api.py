"""The values layer through its public API: parse() on strings, annotate() on documents."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import muragat.text
import muragat.values
from muragat.model import Document, Range
from muragat.values import lexicon


def test_parse_issue_example() -> None:
    (span,) = muragat.values.parse("1936 ж. 1 тамызға дейін")
    assert (span.layer, span.label) == ("value", "DATE")
    assert span.attrs == {"value": "1936-08-01", "mod": "BEFORE"}
    assert (span.start, span.end) == (0, len("1936 ж. 1 тамызға дейін"))


def test_spans_point_at_the_original_text() -> None:
    text = "Соттау жолымен 13208699 сом 92 тиын және 82799 пұт астық алынды."
    got = {text[s.start : s.end]: s for s in muragat.values.parse(text)}
    assert got["13208699 сом 92 тиын"].attrs["value"] == {"amount": 13208699.92, "currency": "SUR"}
    assert got["82799 пұт"].attrs["value"] == {"amount": 82799, "unit": "pud"}


def test_month_forms_are_generated_from_stems() -> None:
    months = lexicon.months()
    for form, month in [
        ("қыркүйегіндегі", 9),
        ("шілдесінде", 7),
        ("маусымнан", 6),
        ("сәуірдің", 4),
    ]:
        assert months[form] == month
    assert len({m for m in months.values()}) == 12


def test_number_words_in_case_forms() -> None:
    words = lexicon.number_words()
    assert words["бестен"].value == 5 and not words["бестен"].ordinal
    assert words["сегізінші"].ordinal and words["сегізінші"].value == 8
    assert "үшін" not in words  # the postposition "for"


def test_annotate_keeps_sentences_and_tokens() -> None:
    text = "1929 жылы 11 ауданға 8 комиссия жіберілді. 31 наурызда мәжіліс болды."
    doc = muragat.text.annotate(Document(text=text))
    tokens_before = list(doc.tokens)
    muragat.values.annotate(doc)
    assert doc.tokens == tokens_before
    values = {text[s.start : s.end]: s.attrs.get("value") for s in doc.spans_of("value")}
    assert values == {"1929 жылы": "1929", "11": 11, "8": 8, "31 наурызда": "--03-31"}


def test_spans_do_not_cross_sentences() -> None:
    text = "Комиссия 1929 жылы құрылды. 12 наурызда тарады."
    doc = Document(text=text, sentences=[Range(0, 27), Range(28, len(text))])
    muragat.values.annotate(doc)
    for s in doc.spans_of("value"):
        assert any(r.start <= s.start and s.end <= r.end for r in doc.sentences)


def test_date_cut_after_year_abbreviation_is_joined() -> None:
    text = "Нұрпейісов көрсеткендей, 1936 ж.\n1 тамызға дейін 432 коммунист шығарылған."
    cut = text.index("\n") + 1
    doc = Document(text=text, sentences=[Range(0, cut - 1), Range(cut, len(text))])
    muragat.values.annotate(doc)
    dates = [s for s in doc.spans_of("value") if s.label == "DATE"]
    assert [d.attrs for d in dates] == [{"value": "1936-08-01", "mod": "BEFORE"}]


def test_citation_numbers_are_not_values() -> None:
    text = "Бұл туралы жазылды [1, 28-30-бб.]. Тағы да айтылды [6, 17-б.]."
    doc = muragat.values.annotate(Document(text=text))
    assert doc.spans_of("value") == []


def test_currency_follows_the_period() -> None:
    early = muragat.values.parse("1929 жылы 200 сом төленді")
    late = muragat.values.parse("1995 жылы 200 сом төленді")
    money = [s for s in early + late if s.label == "MONEY"]
    assert [m.attrs["value"]["currency"] for m in money] == ["SUR", "KZT"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -–,.%жылыдаңтамызғақыркүйегіндеVIХС[]()\n", max_size=60))
def test_parse_never_raises_and_stays_in_bounds(text: str) -> None:
    for span in muragat.values.parse(text):
        assert 0 <= span.start < span.end <= len(text)
        assert span.layer == "value"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=999_999_999))
def test_digits_read_back(n: int) -> None:
    (span,) = muragat.values.parse(f"{n} адам")
    assert span.attrs["value"] == n


def test_bad_input_is_an_input_error() -> None:
    import pytest

    from muragat.errors import InputError

    with pytest.raises(InputError):
        muragat.values.parse(b"1929")  # type: ignore[arg-type]
    assert muragat.values.parse("") == []
    assert muragat.values.annotate(Document(text="")).spans == []
