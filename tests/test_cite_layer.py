"""The cite layer: in-text citations, body / footer / bibliography, linking, lost numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import muragat.cite
import muragat.text
import muragat.values
from muragat.cite.citations import find_citations
from muragat.model import Document

ARTICLE = (
    "Ауыл шаруашылығын ұжымдастыру 1929 жылы басталды [1, 28-30-бб.].\n"
    "«Кедейлер одағы» деген мақалада бұл жайында айтылды [2].\n"
    "Кейбір деректерде басқаша жазылған [3; 4].\n"
    "Осылайша науқан аяқталды [5, 17-б.].\n"
    "Б.Қ., \n"
    " тарих ғылымдарының кандидаты,\n"
    " Шымкент қ.\n"
    "1 Қазақстан тарихының очерктері. – Алматы, 1998. – 420 б.\n"
    "Кедейлер одағы // Еңбекші қазақ.\n"
    "– №12.\n"
    "4 Ауыл тарихы // Социалистік Қазақстан. – 1937. – №7.\n"
    "5 Ұжымдастыру жылдары. – 552 б.\n"
)


def analyse(text: str) -> Document:
    doc = muragat.text.annotate(Document(text=text))
    return muragat.cite.annotate(muragat.values.annotate(doc))


@pytest.mark.parametrize(
    ("bracket", "expected"),
    [
        ("[1, 28-30-бб.]", [(1, "28-30")]),
        ("[6, 17-б.]", [(6, "17")]),
        ("[10]", [(10, None)]),
        ("[5; 7]", [(5, None), (7, None)]),
        ("[3, т. 2, 45-б.]", [(3, "45")]),
        ("[12, с. 5-7]", [(12, "5-7")]),
        ("[2, 101 б.]", [(2, "101")]),
        ("[1917 жылғы оқиғалар]", []),
        ("[мысалы]", []),
    ],
)
def test_citation_forms(bracket: str, expected: list[tuple[int, str | None]]) -> None:
    text = f"Бұл туралы жазылды {bracket}."
    assert [(c.ref, c.pages) for c in find_citations(text)] == expected


def test_single_citation_spans_its_bracket_multi_spans_its_part() -> None:
    text = "Айтылды [5; 7] және [10]."
    spans = {text[c.start : c.end]: c.ref for c in find_citations(text)}
    assert spans == {"5": 5, "7": 7, "[10]": 10}


def test_sections_and_footer() -> None:
    doc = analyse(ARTICLE)
    t = doc.text
    sec = {s.label: s for s in doc.spans_of("section")}
    assert t[: sec["BODY"].end].endswith("науқан аяқталды [5, 17-б.].")
    assert t[sec["FOOTER"].start :].startswith("Б.Қ.,")
    foot = {s.label: t[s.start : s.end] for s in doc.spans_of("footer")}
    assert foot == {
        "AUTHOR": "Б.Қ.",
        "DEGREE": "тарих ғылымдарының кандидаты",
        "CITY": "Шымкент қ.",
    }
    assert t[sec["BIBLIOGRAPHY"].start :].startswith("1 Қазақстан тарихының")


def test_entries_fields_and_lost_numbers() -> None:
    doc = analyse(ARTICLE)
    entries = doc.spans_of("bibliography")
    assert [e.attrs["number"] for e in entries] == [1, 2, 4, 5]
    first, second, fourth, fifth = (e.attrs for e in entries)
    assert first["year"] == 1998 and first["pages"] == "420"
    # number 2 was lost; the title is quoted right before the citation [2]
    assert second["number_inferred"] == "title" and second["source"] == "Еңбекші қазақ"
    assert second["issue"] == "№12"
    assert fourth["source"] == "Социалистік Қазақстан" and fourth["issue"] == "№7"
    assert fourth["year"] == 1937
    assert fifth["pages"] == "552"


def test_citations_link_to_surviving_entries() -> None:
    doc = analyse(ARTICLE)
    entries = doc.spans_of("bibliography")
    links = {c.attrs["ref"]: c.attrs["entry"] for c in doc.spans_of("citation")}
    assert links == {1: 0, 2: 1, 3: None, 4: 2, 5: 3}
    for c in doc.spans_of("citation"):
        if c.attrs["entry"] is not None:
            assert entries[c.attrs["entry"]].attrs["number"] == c.attrs["ref"]
            assert c.attrs["entry_start"] == entries[c.attrs["entry"]].start


def test_sequence_inference_needs_an_exact_gap() -> None:
    text = (
        "Бірінші дерек [1]. Екінші дерек [2]. Үшінші дерек [3].\n"
        "А.Б., \n тарих ғылымдарының докторы,\n Алматы қ.\n"
        "1 Бірінші кітап.\nЕкінші кітап.\n3 Үшінші кітап.\n"
    )
    entries = analyse(text).spans_of("bibliography")
    assert [(e.attrs["number"], e.attrs.get("number_inferred")) for e in entries] == [
        (1, None),
        (2, "sequence"),
        (3, None),
    ]


def test_no_footer_in_a_plain_text() -> None:
    doc = analyse("1929 жылы 8 комиссия жіберілді. Ол туралы жазылды [4].")
    labels = [s.label for s in doc.spans_of("section")]
    assert labels == ["BODY"]
    assert [c.attrs["ref"] for c in doc.spans_of("citation")] == [4]


def test_footer_numbers_are_not_body_values() -> None:
    doc = analyse(ARTICLE)
    footer = next(s for s in doc.spans_of("section") if s.label == "FOOTER")
    in_footer = [s for s in doc.spans_of("value") if s.start >= footer.start]
    assert {s.label for s in in_footer} <= {"DATE"}


def test_sample_article(sample_text: str) -> None:
    doc = analyse(sample_text)
    t = doc.text
    cites = doc.spans_of("citation")
    assert [(c.attrs["ref"], c.attrs["pages"]) for c in cites] == [
        (1, "28-30"),
        (2, None),
        (3, None),
        (4, None),
        (5, None),
        (6, "17"),
        (7, None),
        (8, None),
        (9, None),
        (10, None),
        (11, None),
        (12, None),
        (13, None),
    ]
    body = next(s for s in doc.spans_of("section") if s.label == "BODY")
    assert t[: body.end].endswith("салтанат құрды.")
    assert t[body.end :].startswith(".О.,")
    foot = {s.label: t[s.start : s.end] for s in doc.spans_of("footer")}
    assert foot["DEGREE"] == "тарих ғылымдарының докторы" and foot["CITY"] == "Алматы қ."
    numbers = [e.attrs["number"] for e in doc.spans_of("bibliography")]
    assert numbers == [1, 2, 5, 6, 7, 8]
    linked = {c.attrs["ref"] for c in cites if c.attrs["entry"] is not None}
    assert linked == {1, 2, 5, 6, 7, 8}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "[1]",
                "[2, 17-б.]",
                "[3; 4]",
                "[",
                "]",
                "\n",
                " ",
                "1 ",
                "7 ",
                ".",
                "..О., ",
                "тарих ғылымдарының докторы,",
                "Алматы қ.",
                "// Еңбекші қазақ.",
                "– №7.",
                "– 552 б.",
                "Кітап атауы",
                "1929 жылы",
                "«Ойыл»",
            ]
        ),
        max_size=40,
    )
)
def test_cite_never_raises_and_spans_are_in_bounds(parts: list[str]) -> None:
    text = "".join(parts)
    doc = muragat.cite.annotate(Document(text=text))
    for s in doc.spans:
        assert 0 <= s.start <= s.end <= len(text)
    sections = [s for s in doc.spans_of("section") if s.label == "BODY"]
    assert len(sections) == 1


def test_footer_by_heading_and_dotted_numbers() -> None:
    text = (
        "Ұжымдастыру 1930 жылы күшейді [1, 45-б.]. Бұл туралы мұрағат құжаттары бар [2].\n"
        "Әдебиеттер тізімі\n"
        "1. Қазақстан тарихы. – Алматы, 2010. – 640 б.\n"
        "2. Ашаршылық құжаттары // Егемен Қазақстан. – 1992. – №5.\n"
    )
    doc = analyse(text)
    t = doc.text
    sec = {s.label: s for s in doc.spans_of("section")}
    assert t[: sec["BODY"].end].endswith("құжаттары бар [2].")
    assert {s.label: t[s.start : s.end] for s in doc.spans_of("footer")} == {
        "HEADING": "Әдебиеттер тізімі"
    }
    entries = [e.attrs for e in doc.spans_of("bibliography")]
    assert [(e["number"], e["year"], e["pages"], e["issue"]) for e in entries] == [
        (1, 2010, "640", None),
        (2, 1992, None, "№5"),
    ]
    assert entries[1]["source"] == "Егемен Қазақстан"
    assert [c.attrs["entry"] for c in doc.spans_of("citation")] == [0, 1]


def test_author_with_surname_before_degree() -> None:
    text = (
        "Науқан 1931 жылы аяқталды [1].\n"
        "Омарова Г.Б., \n"
        " филология ғылымдарының кандидаты,\n"
        " Қарағанды қаласы\n"
        "1 Қарағанды облысының тарихы. – 300 б.\n"
    )
    doc = analyse(text)
    foot = {s.label: doc.text[s.start : s.end] for s in doc.spans_of("footer")}
    assert foot["AUTHOR"] == "Омарова Г.Б."
    assert foot["DEGREE"] == "филология ғылымдарының кандидаты"
    assert foot["CITY"] == "Қарағанды қаласы"
    body = next(s for s in doc.spans_of("section") if s.label == "BODY")
    assert doc.text[: body.end].endswith("аяқталды [1].")


def test_bibliography_entities_follow_the_entry_fields() -> None:
    from muragat.cite.bibliography import split_entries
    from muragat.model import Span

    text = "9 Ауыл тарихы туралы // Социалистік Қазақстан. – №7.\n"
    entries = split_entries(text, 0, len(text.rstrip()))
    title = text.index("Ауыл")
    paper = text.index("Социалистік")
    gpe = text.index("Қазақстан")
    tagged = [
        Span("ner", "LAW", 0, text.index("Социалистік") + 11, {}),  # `9 ... // Социалистік`
        Span("ner", "GPE", gpe, gpe + 9, {}),
        Span("ner", "GPE", title, title + 4, {}),  # inside the title: kept
        Span("value", "CARDINAL", 0, 1, {}),  # other layers are not touched
    ]
    out = muragat.cite.bibliography_entities(tagged, entries, text)
    ner = {(s.label, text[s.start : s.end]) for s in out if s.layer == "ner"}
    assert ner == {("ORGANISATION", "Социалистік Қазақстан"), ("GPE", "Ауыл")}
    assert [s for s in out if s.layer == "value"] == tagged[3:]
    source = next(s for s in out if s.label == "ORGANISATION")
    assert (source.start, source.attrs["from"]) == (paper, "bibliography")


def test_bibliography_entities_in_the_pipeline() -> None:
    doc = muragat.analyze(ARTICLE)
    bib = next(s for s in doc.spans if s.layer == "section" and s.label == "BIBLIOGRAPHY")
    ner = [s for s in doc.spans if s.layer == "ner" and s.start >= bib.start]
    assert all("//" not in ARTICLE[s.start : s.end] for s in ner)
    papers = {ARTICLE[s.start : s.end] for s in ner if s.attrs.get("from") == "bibliography"}
    assert papers == {"Еңбекші қазақ", "Социалистік Қазақстан"}


def test_no_entities_are_added_without_the_ner_layer() -> None:
    doc = analyse(ARTICLE)  # text, values, cite: no NER layer
    assert not [s for s in doc.spans if s.layer == "ner"]
