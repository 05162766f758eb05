"""Property tests: for any string, tokens and sentences keep the offset contract."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from muragat.model import Document, Range, Token
from muragat.text import annotate, chunks, segment

KAZAKH = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі АБВГДЕӘҒҚҢӨҰҮҺІ"
PUNCT = ".,!?…:;«»\"“”()[]-–—%/@'’ "
ODD = "\u00ad\u200b\u200d\ufeff\u0301\u0306\x00\x07\x1c\u2028\u00a0\t\r\n\n 𝔸😀"

texts = st.one_of(
    st.text(),  # any code points: control characters, combining marks, astral characters
    st.text(alphabet=st.sampled_from(KAZAKH + PUNCT + "0123456789\n\n" + ODD), max_size=300),
    st.lists(
        st.sampled_from(
            [
                "Ғ.",
                "С.",
                "И.В.",
                "1936 ж.",
                "т.б.",
                "..",
                "...",
                "құрды..О.,",
                "қ..1",
                "БК(б)П-ның",
                "%-ы",
                "28-30-бб.]",
                "\n",
                "\n ",
                "\n\n",
                "Сөйлем бітті.",
                "«Иә.»",
                " – деп",
                "http://a.kz/x.",
                "a@b.kz.",
            ]
        ),
        max_size=40,
    ).map(" ".join),
)


def _check_cover(text: str, ranges: list[Range], what: str) -> None:
    """Ranges are ordered, non-overlapping, trimmed, and cover every non-space character."""
    pos = 0
    for r in ranges:
        assert pos <= r.start < r.end <= len(text), (what, r)
        assert not text[r.start].isspace() and not text[r.end - 1].isspace(), (what, r)
        assert text[pos : r.start].strip() == "", (what, "uncovered", text[pos : r.start])
        pos = r.end
    assert text[pos:].strip() == "", (what, "uncovered tail")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_offsets_contract(text: str) -> None:
    seg = segment(text)
    _check_cover(text, seg.paragraphs, "paragraph")
    _check_cover(text, seg.sentences, "sentence")
    tokens = [Range(t.start, t.end) for t in seg.tokens]
    _check_cover(text, tokens, "token")
    # every sentence lies inside one paragraph; every token inside one sentence
    for inner, outer in ((seg.sentences, seg.paragraphs), (tokens, seg.sentences)):
        j = 0
        for r in inner:
            while outer[j].end <= r.start:
                j += 1
            assert outer[j].start <= r.start and r.end <= outer[j].end, (r, outer[j])
    for t in seg.tokens:
        assert t.norm, t  # never empty


def test_long_single_line_is_linear() -> None:
    # No timing assertion: this only has to finish (quadratic code would take minutes).
    text = ("Ол 1936 ж. келді..О. " * 20000) + "." * 200000 + "а" * 200000
    seg = segment(text)
    assert seg.tokens[-1].end == len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("аб. \n!"), max_size=400), st.integers(2, 50))
def test_chunks_tile_the_text(text: str, size: int) -> None:
    pieces = chunks(text, size)
    assert "".join(text[r.start : r.end] for r in pieces) == text
    assert all(0 < r.end - r.start <= size for r in pieces)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_given_tokens_never_cross_computed_sentences(text: str) -> None:
    # pre-tokenized input: whitespace-separated tokens, as a CoNLL-U/BIO reader might give
    tokens, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        tokens.append(Token(start, start + len(word)))
        pos = start + len(word)
    doc = annotate(Document(text=text, tokens=tokens))
    assert [(t.start, t.end) for t in doc.tokens] == [(t.start, t.end) for t in tokens]
    for inner, outer in ((doc.tokens, doc.sentences), (doc.sentences, doc.paragraphs)):
        j = 0
        for r in inner:
            while outer[j].end <= r.start:
                j += 1
            assert outer[j].start <= r.start and r.end <= outer[j].end, (r, outer[j])
