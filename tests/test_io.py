"""Reading user files: every encoding Kazakh text comes in, and clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muragat.errors import EXIT_BAD_INPUT, InputError
from muragat.io import decode, read_text_file

KAZAKH = "Қазақстан өлкелік комитеті 1929 жылы 2776 коммунисті партиядан шығарды."
RUSSIAN = "Краевая комиссия проверила партийные ячейки в двадцать девятом году."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (KAZAKH, "utf-8"),
        (KAZAKH, "utf-8-sig"),
        (KAZAKH, "utf-16"),
        (KAZAKH, "utf-32"),
        (KAZAKH, "kz1048"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8_r"),
    ],
)
def test_decodes_the_encodings_kazakh_text_comes_in(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t ", b"\x00\x01\x02PK binary", bytes(range(256)) * 4, b"\x01\x02\x03" * 100],
)
def test_refuses_empty_and_binary_input(data: bytes) -> None:
    with pytest.raises(InputError) as err:
        decode(data, "x.bin")
    assert err.value.exit_code == EXIT_BAD_INPUT
    assert "x.bin" in str(err.value)


def test_refuses_a_damaged_utf16_file() -> None:
    with pytest.raises(InputError):
        decode(b"\xff\xfe" + "ә".encode("utf-16-le") + b"\x00\xd8")


def test_refuses_a_file_over_the_limit(tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(InputError, match="big.txt"):
        read_text_file(big, max_bytes=1024)


def test_missing_file_and_directory_are_input_errors(tmp_path) -> None:
    with pytest.raises(InputError):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(InputError):
        read_text_file(tmp_path)


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_input_error(data: bytes) -> None:
    try:
        text = decode(data)
    except InputError:
        return
    assert isinstance(text, str) and text.strip()
