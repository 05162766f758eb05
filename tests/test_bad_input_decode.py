"""Issue 25, defect 1 and 3: bytes never become silent mojibake; unencodable text is cleaned."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muragat import io
from muragat.errors import EXIT_BAD_INPUT, InputError
from muragat.io import batch_queries, clean_text, decode, decode_lines, decoding
from muragat.model import Document

SENTENCE = "1929 жылы Ғ. Тоғжановтың басшылығымен комиссия құрылды."
RUSSIAN = "Краевая комиссия проверила партийные ячейки в двадцать девятом году."
MOJIBAKE = set("╒╬⌠═║╔╗┐└")


def _warnings() -> tuple[list[str], object]:
    got: list[str] = []
    return got, decoding(on_warning=got.append)


def test_one_stray_byte_is_replaced_with_a_warning_naming_its_offset() -> None:
    data = SENTENCE.encode() + b"\xff\n"
    got, ctx = _warnings()
    with ctx:  # type: ignore[attr-defined]
        text = decode(data, "x.txt")
    assert text == SENTENCE + "\ufffd\n"
    assert not MOJIBAKE & set(text)
    assert len(got) == 1 and "x.txt" in got[0] and str(len(SENTENCE.encode())) in got[0]


def test_a_last_character_cut_off_is_replaced_not_read_as_koi8() -> None:
    data = SENTENCE.encode()[:-2] + b"\xd1"  # "ы." cut inside its two bytes
    got, ctx = _warnings()
    with ctx:  # type: ignore[attr-defined]
        text = decode(data, "cut.txt")
    assert text.startswith("1929 жылы Ғ. Тоғжановтың") and text.endswith("\ufffd")
    assert got


def test_strict_refuses_damaged_utf8_with_exit_3() -> None:
    with pytest.raises(InputError) as err:
        decode(SENTENCE.encode() + b"\xff", "x.txt", strict=True)
    assert err.value.exit_code == EXIT_BAD_INPUT and "x.txt" in str(err.value)
    with decoding(strict=True), pytest.raises(InputError):
        decode(SENTENCE.encode() + b"\xff", "x.txt")


@pytest.mark.parametrize(("text", "encoding"), [
    (SENTENCE, "kz1048"), (RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"),
    (RUSSIAN.upper(), "cp1251"), (RUSSIAN.upper(), "koi8_r"), (SENTENCE.upper(), "kz1048"),
])
def test_legacy_code_pages_are_still_read_when_they_score_as_text(text: str, encoding: str
                                                                  ) -> None:
    got, ctx = _warnings()
    with ctx:  # type: ignore[attr-defined]
        assert decode(text.encode(encoding)) == text
    assert not got


def test_plain_text_with_a_stray_byte_is_not_guessed_as_a_code_page() -> None:
    # b"\xff" alone would read as cp1251 "я": too little evidence to believe a code page
    got, ctx = _warnings()
    with ctx:  # type: ignore[attr-defined]
        assert decode(b"report 1929, page 5 \xff\n") == "report 1929, page 5 \ufffd\n"
    assert got


def test_utf8_read_as_a_code_page_scores_as_noise() -> None:
    for encoding in ("kz1048", "cp1251", "koi8_r"):
        garbled = SENTENCE.encode().decode(encoding, "replace")
        assert io._letter_score(garbled) < io.LEGACY_MIN_SCORE
    assert io._letter_score(SENTENCE) > io.LEGACY_MIN_SCORE


def test_many_bad_bytes_are_refused_not_replaced() -> None:
    data = bytes(range(0x80, 0x100)) * 20  # no code page reads this as prose either
    with pytest.raises(InputError):
        decode(data)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="абвгғқәіңөұүһ Тоғжанов.,1929\n", min_size=1, max_size=200),
       st.lists(st.integers(0, 400), max_size=3))
def test_utf8_with_stray_bytes_decodes_to_the_text_with_replacements(text: str,
                                                                     cuts: list[int]) -> None:
    """Whatever few bytes go bad, the rest of the text survives as it was: never mojibake."""
    data = bytearray(text.encode())
    for c in cuts:
        if c < len(data):
            data[c] = 0xFF
    with decoding(on_warning=lambda m: None):
        try:
            out = decode(bytes(data))
        except InputError:
            return  # empty, or too little text left to judge
    assert not MOJIBAKE & set(out)
    assert out.replace("\ufffd", "") in text or set(out) <= set(text) | {"\ufffd"}


def test_lone_surrogates_become_replacement_characters_one_for_one() -> None:
    got, ctx = _warnings()
    with ctx:  # type: ignore[attr-defined]
        assert clean_text("a \ud800 b \udfff", "row") == "a \ufffd b \ufffd"
    assert got and "row" in got[0]
    assert clean_text("Ойыл ауданы") == "Ойыл ауданы"


def test_a_document_never_holds_a_lone_surrogate() -> None:
    with decoding(on_warning=lambda m: None):
        doc = Document(text="Ойыл \ud800 ауданы")
    assert doc.text == "Ойыл \ufffd ауданы"
    doc.to_json().encode("utf-8")


def test_analyze_with_a_lone_surrogate_does_not_reach_the_crf_binding() -> None:
    import muragat

    with decoding(on_warning=lambda m: None):
        doc = muragat.analyze("Ойыл ауданы \ud800 1931 жылы құрылды.")
    assert doc.text[12] == "\ufffd" and len(doc.text) == 32 and doc.tokens
    assert json.loads(doc.to_json())["text"] == doc.text


def test_decode_lines_keeps_good_lines_of_a_file_with_one_bad_line() -> None:
    data = "q1\tТоғжанов\n".encode() + b"q2\t\xff\xfe\n" + "q3\tкомиссия\n".encode()
    lines = decode_lines(data, "b.tsv")
    assert lines[0] == "q1\tТоғжанов" and lines[2] == "q3\tкомиссия"
    assert isinstance(lines[1], InputError) and "b.tsv:2" in str(lines[1])


def test_batch_queries_answer_every_line(tmp_path) -> None:
    path = tmp_path / "b.tsv"
    path.write_bytes("q1\tТоғжанов\nbad line\n\n# comment\nq4\t\n\tx\nq7\tкомиссия\n".encode())
    got = list(batch_queries(path))
    assert [(b.line, b.qid, b.query, b.error is None) for b in got] == [
        (1, "q1", "Тоғжанов", True), (2, None, None, False), (5, "q4", None, False),
        (6, None, None, False), (7, "q7", "комиссия", True)]
