"""The compiled cite loops (_cite.c) against the Python reference (bibliography.py).

Both must give the same spans, attrs included, on the cite layer's hand-written texts, the
sample article and random documents; the entry split and the inference by title are also
compared on their own, on text made of the characters their patterns turn on. Without a C
compiler at install time the extension is missing: these tests then skip, unless
MURAGAT_REQUIRE_COMPILED=1 (CI sets it) makes that a failure.
"""

from __future__ import annotations

import ast
import copy
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import muragat.cite
from muragat.cite import bibliography as bib
from muragat.cite import citations
from muragat.cite.citations import find_citations
from muragat.cite.sections import find_footer
from muragat.model import Document, Span

COMPILED = citations._compiled()
if COMPILED is None:
    if os.environ.get("MURAGAT_REQUIRE_COMPILED") == "1":
        raise RuntimeError("muragat.cite._cite was not built (is a C compiler installed?)")
    pytest.skip("the compiled cite loops were not built", allow_module_level=True)


@contextmanager
def pure() -> Iterator[None]:
    """The Python reference, as MURAGAT_CITE_PURE=1 would give it."""
    with mock.patch.object(citations, "_compiled", lambda: None):
        yield


def key(spans: list[Span]) -> list[tuple]:
    return [(s.layer, s.label, s.start, s.end, repr(s.attrs)) for s in spans]


def both(text: str, spans: list[Span] | None = None) -> tuple[list[tuple], list[tuple]]:
    """muragat.cite.annotate, compiled and pure, on the same document."""
    fast = muragat.cite.annotate(Document(text=text, spans=copy.deepcopy(spans or [])))
    with pure():
        slow = muragat.cite.annotate(Document(text=text, spans=copy.deepcopy(spans or [])))
    return key(fast.spans), key(slow.spans)


def entry_key(entries: list[bib.Entry]) -> list[tuple]:
    return [(e.start, e.end, e.text, e.number, e.inferred, repr(e.attrs)) for e in entries]


def test_the_compiled_loops_are_what_the_layer_uses() -> None:
    assert citations._compiled() is COMPILED
    text = "1 Ауыл тарихы // Социалистік Қазақстан. – 1937. – № 7-8."
    (entry,) = bib.split_entries(text, 0, len(text))
    assert entry.attrs == {
        "number": 1,
        "title": "Ауыл тарихы",
        "source": "Социалистік Қазақстан",
        "issue": "№7-8",
        "pages": None,
        "year": 1937,
    }


def _layer_test_texts() -> list[str]:
    """Every string written in tests/test_cite_layer.py, and its bracket forms in a sentence."""
    tree = ast.parse(Path(__file__).with_name("test_cite_layer.py").read_text(encoding="utf-8"))
    found = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    texts = {s for s in found if isinstance(s, str)}
    texts |= {f"Бұл туралы жазылды {s}." for s in texts if s.startswith("[")}
    return sorted(texts)


LAYER_TEXTS = _layer_test_texts()


def test_layer_texts_include_the_article() -> None:
    assert len(LAYER_TEXTS) > 30
    assert any("Кедейлер одағы // Еңбекші қазақ." in t for t in LAYER_TEXTS)


@pytest.mark.parametrize("text", LAYER_TEXTS)
def test_same_spans_on_the_layer_texts(text: str) -> None:
    fast, slow = both(text)
    assert fast == slow


def test_same_spans_on_the_sample(sample_text: str) -> None:
    ner = [Span("ner", "ORGANISATION", len(sample_text) - 120, len(sample_text) - 100, {})]
    for spans in (None, ner):
        fast, slow = both(sample_text, spans)
        assert len(fast) >= 25
        assert fast == slow
    inferred = [s for s in fast if s[1] == "ENTRY" and "number_inferred" in s[4]]
    assert len(inferred) == 3  # two by title, one by sequence: the inference ran


def test_same_entries_and_numbers_on_the_sample(sample_text: str) -> None:
    footer = find_footer(sample_text)
    assert footer is not None and footer.bibliography is not None
    end = len(sample_text.rstrip())
    fast = bib.split_entries(sample_text, footer.bibliography, end)
    slow = bib._split_entries_python(sample_text, footer.bibliography, end)
    assert entry_key(fast) == entry_key(slow)
    cites = find_citations(sample_text, footer.start)
    COMPILED._by_title(fast, cites, sample_text)
    bib._by_title_python(slow, cites, sample_text)
    assert [e.inferred for e in fast] == [None, "title", "title", None, None, None]
    assert entry_key(fast) == entry_key(slow)


def _doc(body: str, entries: str) -> str:
    return body + "\nБ.Қ., \n тарих ғылымдарының докторы,\n Алматы қ.\n" + entries


# Where the inference turns on a single character. Each entry is unnumbered between numbered
# neighbours: named by its title it gets "title", otherwise the gap gives it "sequence".
EDGE_TEXTS = [
    # a context reaches 2,000 characters back: the title fits with 1,985 between, not 1,986
    *(
        _doc(f"Кіріспе [1]. Ойыл басшылары{'а' * pad} [2]. Соңы [3].", "1 А.\nОйыл басшылары\n3 Б.")
        for pad in (1984, 1985, 1986, 1987)
    ),
    # Σ lowers to ς at a word's end: `ΟΔΟΣ` is not in `ΟΔΟΣΑ`, lower-cased
    _doc("Мақала ΟΔΟΣΑ туралы [1]. Басқа [2].", "ΟΔΟΣ\n2 Басқа."),
    _doc("Мақала ΟΔΟΣ туралы [1]. Басқа [2].", "ΟΔΟΣ\n2 Басқа."),
    # quotes go from a context that Python lower-cases too (İ: two code points)
    _doc("İ белгісі «Ойыл» басшылары туралы [1]. Басқа [2].", "«Ойыл» басшылары\n2 Басқа."),
    _doc("Белгісі «Ойыл» басшылары туралы [1]. Басқа [2].", "«Ойыл» басшылары\n2 Басқа."),
    # a dot then four digits glues no entry; a year followed by a digit is no year
    _doc("Дерек [1].", "1 Қазақстан. 1234 Кітап // Газет. – 19371. – 1938.\n2 Ауыл. 123 Кітап"),
    # a title that keeps a tab after its dot: the key has no leading space
    _doc("Кіріспе [1].Ойыл туралы [2]. Соңы [3].", "1 А.\n.\tОйыл\n3 Б."),
    # stems are five letters: `басша`, `қылық` name neither `басшы` nor `қылығ`
    _doc("Кіріспе [1]. Басшасы қылық [2]. Соңы [3].", "1 А.\nБасшылары қылығы\n3 Б."),
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_same_spans_where_one_character_decides(text: str) -> None:
    fast, slow = both(text)
    assert fast == slow


def test_the_edge_texts_decide_both_ways() -> None:
    def inferred(text: str) -> list[str]:
        doc = muragat.cite.annotate(Document(text=text))
        return [s.attrs.get("number_inferred") for s in doc.spans_of("bibliography")]

    window = ["title", "title", "sequence", "sequence"]
    assert [inferred(t)[1] for t in EDGE_TEXTS[:4]] == window
    assert [inferred(t)[0] for t in EDGE_TEXTS[4:8]] == ["sequence", "title", "title", "title"]
    assert inferred(EDGE_TEXTS[8]) == [None, None, None]  # `1234 Кітап` stays in entry 1
    assert [inferred(t)[1] for t in EDGE_TEXTS[9:11]] == ["title", "sequence"]
    years = muragat.cite.annotate(Document(text=EDGE_TEXTS[8])).spans_of("bibliography")
    assert years[0].attrs["year"] == 1938


# ---------------------------------------------------------------- random documents

TITLES = [
    "Ойыл «басшыларының» қылығы",
    "Кедейлер одағы",
    "Қазақстан тарихының очерктері",
    "Ауыл тарихы туралы",
    "Контрреволюцияшыл ұлтшылдар – фашизмнің агенті",
    "ҰЖЫМДАСТЫРУ ЖЫЛДАРЫ",
    "Σοφία ΟΔΟΣ",  # Greek: lower() of Σ depends on the next letter
    "İlim ve Kültür",  # İ lowers to two code points
    "ẞtraße «Ǆ»",
    "Партия",
    "«Жау» ретінде",
]
SOURCES = ["Еңбекші қазақ", "Социалистік Қазақстан", "Егемен Қазақстан", "ΑΘΗΝΑΣ", ""]
WORDS = [
    "коммунистер",
    "партия",
    "1929",
    "жылы",
    "«",
    "»",
    "–",
    "қатарынан",
    "шығарылды",
    "\n",
    "İ",
]


def _title_in_body(title: str, form: int) -> str:
    if form == 0:
        return title
    if form == 1:
        return f"«{title.lower()}»"
    if form == 2:
        return " ".join(w[:5] for w in title.split())
    return title.upper()


@st.composite
def documents(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 7))
    body = []
    for ref in range(1, n + 1):
        words = draw(st.lists(st.sampled_from(WORDS), max_size=6))
        if draw(st.booleans()):
            title = draw(st.sampled_from(TITLES + SOURCES))
            words.insert(
                draw(st.integers(0, len(words))), _title_in_body(title, draw(st.integers(0, 3)))
            )
        cite = draw(
            st.sampled_from([f"[{ref}]", f"[{ref}, 28-30-бб.]", f"[{ref}; {ref + 2}]", f"[{ref} ]"])
        )
        body.append(" ".join(words) + f" {cite}." + draw(st.sampled_from(["\n", " ", "\xa0", ""])))
        if draw(st.integers(0, 9)) == 0:
            body.append(draw(st.text(max_size=8)))
    footer = draw(
        st.sampled_from(
            [
                "..О., \n тарих ғылымдарының докторы,\n  Алматы қ.",
                "Б.Қ., \n филология ғылымдарының кандидаты,\n Шымкент қ.\n",
                "Әдебиеттер тізімі\n",
                "",
            ]
        )
    )
    entries = []
    for k in range(1, draw(st.integers(0, n + 1)) + 1):
        number = draw(st.sampled_from(["", f"{k} ", f"{k}. ", f"{k}) ", f" {k}\t"]))
        entry = number + draw(st.sampled_from(TITLES))
        source = draw(st.sampled_from(SOURCES))
        if source:
            entry += draw(st.sampled_from([f" // {source}.", f" //{source}, 1937", f" /{source}"]))
        entry += draw(
            st.lists(
                st.sampled_from(
                    [
                        ". – 552 б.",
                        "\n– №7.",
                        " – № 12-13.",
                        ". – 1998.",
                        " – 28 - 30 бб.",
                        "\nбеттер 4",
                        ", 2049",
                        ". – Алматы, 1937",
                    ]
                ),
                max_size=3,
            ).map("".join)
        )
        glue = draw(st.sampled_from(["\n", "\n", ".", ". ", " "]))
        entries.append(entry + glue)
    return "".join(body) + footer + "".join(entries) + draw(st.sampled_from(["", "\n", " "]))


@settings(max_examples=250, deadline=None)
@given(documents())
@example(
    "Айтылды «ойыл басшыларының қылығы» [2]. Және [5].\nБ.Қ., \n тарих ғылымдарының "
    "докторы,\n Алматы қ.\n1 Кітап.\nОйыл «басшыларының» қылығы // Еңбекші қазақ.\n5 Ауыл."
)
def test_same_spans_on_random_documents(text: str) -> None:
    fast, slow = both(text)
    assert fast == slow


@settings(max_examples=100, deadline=None)
@given(documents())
def test_same_spans_without_the_avx2_search(text: str) -> None:
    try:
        COMPILED._set_avx2(False)  # the SSE2 and plain loops that other CPUs run
        fast, slow = both(text)
    finally:
        COMPILED._set_avx2(True)
    assert fast == slow


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_same_spans_on_edge_texts_without_the_avx2_search(text: str) -> None:
    try:
        COMPILED._set_avx2(False)
        fast, slow = both(text)
    finally:
        COMPILED._set_avx2(True)
    assert fast == slow


# ---------------------------------------------------------------- citations alone

# brackets and what may be in them: other decimal digits (٣, ５), digits that are not decimal
# (², read by neither path), separators and page marks
BRACKET_TEXT = st.text(alphabet="[]1234567890٣５² ;,-–бтсp.\n", max_size=50)


@settings(max_examples=400, deadline=None)
@given(BRACKET_TEXT, st.integers(-5, 60))
@example("[1] [٣] [５] [²] [1234] [12, 5-б.] [5; 7] [1;]", 60)
def test_same_citations(text: str, end: int) -> None:
    def key(cites: list) -> list[tuple]:
        return [(c.start, c.end, c.ref, c.pages, c.bracket) for c in cites]

    for stop in (None, end, -(10**30), 10**30):
        fast = find_citations(text, stop)
        with pure():
            slow = find_citations(text, stop)
        assert key(fast) == key(slow)
        assert all(type(c) is type(s) for c, s in zip(fast, slow, strict=True))


# what PART_RE reads in a bracket's part, and look-alikes
PART_BITS = ["т.", "том", "т", "бб.", "б.", "бет", "беттер", "с.", "сс", "p.", "pp", "стр."]
PART_CHARS = "0123456789٣ ,;.-–тбетсpро\t"


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PART_BITS), st.text(PART_CHARS, max_size=3)), max_size=10)
)
@example(["3, ", "т.", " 2, 45-", "б."])
@example(["12, ", "с.", " 5 – 7 ", "беттер"])
@example(["1, ", "том", "2, ", "pp.", "3-4 ", "стр"])
def test_same_references_in_a_bracket(parts: list[str]) -> None:
    content = "".join(parts)
    fast = COMPILED._bracket_citations(7, 9 + len(content), content)
    slow = citations._bracket_citations(7, 9 + len(content), content)
    assert [vars_of(c) for c in fast] == [vars_of(c) for c in slow]


def vars_of(c: citations.Citation) -> tuple:
    return (c.start, c.end, c.ref, c.pages, c.bracket)


# ---------------------------------------------------------------- the entry split alone

# what the entry patterns (_BREAK, _NUMBER, _ISSUE, _PAGES, _YEAR, _PUB_DASH, _SOURCE_END)
# turn on, and look-alikes: other digits, spaces, dashes and letters
ENTRY_CHARS = "0123456789٣１ .,)/–—-№\n\t\xa0«бетсpҚаБıİ"
ENTRY_BITS = ["//", " /", " – ", "№ ", "бб.", "б.", "бет.", "сс.", "pp.", "1937", "2049", "199"]
ENTRY_BITS += [". 1234 Қ", ". 12 Қ", "19371", "16000"]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(ENTRY_BITS), st.text(ENTRY_CHARS, max_size=3)), max_size=14),
    st.integers(0, 60),
    st.integers(0, 60),
)
@example(["1. Ауыл", " – ", "28", " - ", "30 бб."], 0, 60)
@example([".", "  ", "12.", "\xa0", "Қаз"], 0, 60)  # glued after the dot, gap kept out
@example(["1234 Ауыл // ", "Қаз.  – №7"], 0, 60)  # four digits are not a number
@example(["1 Ауыл", "\n- 5 б.", "\n№ 7"], 0, 60)  # lines that continue an entry
def test_same_entries_on_entry_like_text(parts: list[str], i: int, j: int) -> None:
    text = "".join(parts)
    for start, end in ((min(i, j), max(i, j)), (i, j), (i, 10**30), (i, -j)):
        fast = outcome(bib.split_entries, text, start, end)
        slow = outcome(bib._split_entries_python, text, start, end)
        assert fast == slow


def outcome(split: Callable[[str, int, int], list[bib.Entry]], *args: Any) -> object:
    """What a split gives, or the type of what it raises: both sides must fail alike."""
    try:
        return entry_key(split(*args))
    except Exception as e:  # noqa: BLE001
        return type(e)


# ---------------------------------------------------------------- the inference alone


@settings(max_examples=200, deadline=None)
@given(documents(), st.data())
def test_same_numbers_by_title(text: str, data: st.DataObject) -> None:
    cites = find_citations(text)
    entries = bib._split_entries_python(text, 0, len(text))
    # lose numbers at random, so that the inference has something to do
    for e in entries:
        if data.draw(st.booleans()):
            e.number = None
    fast, slow = copy.deepcopy(entries), copy.deepcopy(entries)
    COMPILED._by_title(fast, cites, text)
    bib._by_title_python(slow, cites, text)
    assert entry_key(fast) == entry_key(slow)


def test_bad_arguments_raise_instead_of_crashing() -> None:
    with pytest.raises(TypeError):
        COMPILED.split_entries(b"bytes", 0, 1)
    with pytest.raises(ValueError):
        COMPILED.split_entries("text", -1, 2)
    with pytest.raises(TypeError):
        COMPILED._by_title([bib.Entry(0, 1, "x", attrs={"title": 5})], find_citations("[1]"), "[1]")
    with pytest.raises(TypeError):
        COMPILED._by_title((), [], "")
    with pytest.raises(TypeError):
        COMPILED.find_citations(((0, 3, 5),), 10)


BRACKET_ATOMS = [
    "[",
    "]",
    "\n",
    "1",
    "12",
    "123",
    "4567",
    "٣",
    " ",
    "қ",
    ", ",
    "-",
    "б.",
    ";",
    "x" * 30,
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(BRACKET_ATOMS), max_size=30).map("".join))
@example("[1" + "x" * 80 + "]")
@example("[123" + "x" * 80 + "]")
@example("[12" + "x" * 81 + "]")
@example("[[1]]")
def test_bracket_scan_matches_the_regex(text: str) -> None:
    assert COMPILED.brackets(text) == citations._brackets_python(text)
