"""The compiled values scanner (_scan.c) against the Python reference (scanner.py).

Both must give the same spans, attrs included, on the hand-written suite, the sample article
and random text. Without a C compiler at install time the compiled scanner is missing: these
tests then skip, unless MURAGAT_REQUIRE_COMPILED=1 (CI sets it) makes that a failure.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import muragat.text
from muragat.cite.citations import bracket_ranges
from muragat.cite.sections import find_footer
from muragat.model import Document, Range, Span
from muragat.values import scanner
from muragat.values.cases import load_cases

COMPILED = scanner._compiled()
if COMPILED is None:
    if os.environ.get("MURAGAT_REQUIRE_COMPILED") == "1":
        raise RuntimeError("muragat.values._scan was not built (is a C compiler installed?)")
    pytest.skip("the compiled values scanner was not built", allow_module_level=True)

CASES = load_cases(Path(__file__).parent / "data" / "value_cases.tsv")


def both(text: str, **kwargs) -> tuple[list[tuple], list[tuple]]:
    def key(spans: list[Span]) -> list[tuple]:
        return [(s.label, s.start, s.end, repr(s.attrs)) for s in spans]

    return key(scanner.scan(text, **kwargs)), key(scanner.scan_python(text, **kwargs))


def test_the_compiled_scanner_is_what_scan_uses() -> None:
    text = "1928 жылы 2-7 желтоқсанда"
    (span,) = scanner.scan(text)
    assert span.attrs == {"value": "1928-12-02/1928-12-07"}
    assert scanner._compiled() is COMPILED


@pytest.mark.parametrize("text", sorted({c.text for c in CASES}))
def test_same_spans_on_the_value_suite(text: str) -> None:
    compiled, python = both(text)
    assert compiled == python


def test_same_spans_on_the_sample(sample_text: str) -> None:
    doc = Document(text=sample_text)
    muragat.text.annotate(doc)
    footer = find_footer(sample_text)
    assert footer is not None
    kwargs = dict(
        sentences=doc.sentences, skip=bracket_ranges(sample_text), dates_only_from=footer.start
    )
    compiled, python = both(sample_text, **kwargs)
    assert len(compiled) >= 35
    assert compiled == python


# Random text built from pieces the grammar reacts to, so that most draws reach the rules.
PIECES = [
    "1929",
    "1936",
    "30",
    "2",
    "7",
    "19,5",
    "13208699",
    "92",
    "269",
    "1 500",
    "12 000 000",
    "30.09.1929",
    "31.02.1930",
    "VI",
    "ХХ",
    "XIX",
    "ІІ",
    "C",
    "жылы",
    "жылдары",
    "ж.",
    "жж.",
    "ж",
    "жыл",
    "ғасыр",
    "ғасырлар",
    "ғасырдың",
    "желтоқсанда",
    "тамызға",
    "қыркүйегіндегі",
    "наурыз",
    "Наурыз",
    "айында",
    "ақпан",
    "дейін",
    "кейін",
    "бастап",
    "соңына",
    "басында",
    "аралығында",
    "астам",
    "бойы",
    "екінші",
    "жартысында",
    "тоқсанында",
    "бір",
    "мың",
    "екі",
    "жүз",
    "елу",
    "сегізінші",
    "миллион",
    "миллиард",
    "үш",
    "жиырма",
    "сом",
    "тиын",
    "теңге",
    "рубль",
    "пұт",
    "т",
    "кг",
    "га",
    "шаршы",
    "шақырым",
    "%",
    "пайыз",
    "процент",
    "ы",
    "шы",
    "ші",
    "інші",
    "ден",
    "адам",
    "коммунист",
    "партиядан",
    "Алматы",
    "бабы",
    "-",
    "–",
    "—",
    ".",
    ",",
    "(",
    ")",
    "[",
    "]",
    ";",
    "»",
    "«",
    "²",
    "٣",
    "ҚК",
    "күн",
    "ай",
    "сағат",
]
SEPARATORS = ["", " ", " ", " ", "  ", "\t", "\n", "\u00a0", "-"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 14))
    out = []
    for _ in range(n):
        out.append(draw(st.sampled_from(PIECES)))
        out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict]:
    text = draw(texts())
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=4))) | {0, len(text)})
    sentences = [Range(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    skip = [m.span() for m in re.finditer(r"\[[^\[\]]*\]", text)]
    footer = draw(st.one_of(st.none(), st.integers(0, len(text))))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    kwargs = dict(sentences=sentences, skip=skip, dates_only_from=footer, start=start, end=end)
    return text, kwargs


@settings(max_examples=600, deadline=None)
@given(texts())
def test_same_spans_on_random_text(text: str) -> None:
    compiled, python = both(text)
    assert compiled == python


@settings(max_examples=300, deadline=None)
@given(documents())
def test_same_spans_with_sentences_citations_and_a_footer(doc: tuple[str, dict]) -> None:
    text, kwargs = doc
    compiled, python = both(text, **kwargs)
    assert compiled == python


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_same_spans_on_any_unicode(text: str) -> None:
    compiled, python = both(text)
    assert compiled == python


def test_letter_class_matches_the_regex_everywhere() -> None:
    letter = re.compile(r"[^\W\d_]")
    wrong = [
        c for c in range(sys.maxunicode + 1) if COMPILED.is_letter(c) != bool(letter.match(chr(c)))
    ]
    assert wrong == []


def test_configure_names_a_missing_table() -> None:
    tables = scanner.compiled_tables()
    del tables["months"]
    with pytest.raises(KeyError, match="months"):
        COMPILED.configure(tables)
    COMPILED.configure(scanner.compiled_tables())  # restore for the other tests
    assert scanner.scan("1929 жылы")[0].attrs == {"value": "1929"}


def test_wide_and_narrow_strings() -> None:
    # the anchor pass is specialised by character width: Latin-1, two-byte and four-byte text
    for text in ["1929 year 5", "1929 жылы 5 адам", "1929 жылы 😀 5 адам 𝟓"]:
        compiled, python = both(text)
        assert compiled == python
        assert compiled


@settings(max_examples=300, deadline=None)
@given(texts())
def test_spans_come_in_text_order_and_never_overlap(text: str) -> None:
    # values.annotate relies on it when a document has no other spans yet: no sort needed
    for spans in (scanner.scan(text), scanner.scan_python(text)):
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_bad_arguments_raise_instead_of_crashing() -> None:
    text = "1929 жылы 5 адам"
    with pytest.raises(AttributeError):  # a sentence must have .start and .end
        COMPILED.scan(text, 0, len(text), [object()], [], len(text) + 1)
    with pytest.raises(TypeError):
        COMPILED.scan(text, 0, len(text), [Range(0, "x")], [], len(text) + 1)
    with pytest.raises(TypeError):  # skip holds (start, end) pairs
        COMPILED.scan(text, 0, len(text), [], [0], len(text) + 1)
    with pytest.raises(TypeError):
        COMPILED.scan(text, 0, len(text), [], [(0, "x")], len(text) + 1)
    with pytest.raises(TypeError):
        COMPILED.scan(b"1929", 0, 4, [], [], 5)
    # out-of-range bounds are clipped like slices, not read past the text
    assert COMPILED.scan(text, -5, 10**9, [], [], 10**9) == scanner.scan(text)
