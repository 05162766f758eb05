"""Tokenization (UD Kazakh-KTB conventions) and normalization."""

from __future__ import annotations

import pytest

from muragat.text import normalize, tokenize
from muragat.text.tokenizer import surface_tokens


def toks(text: str) -> str:
    return " ".join(text[t.start : t.end] for t in tokenize(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        # acronyms with suffixes and brackets
        ("ҚК-нің ОК-нің БК(б)П-ның", "ҚК-нің ОК-нің БК(б)П-ның"),
        ("БК(б)П Қазақстан", "БК(б)П Қазақстан"),
        # numbers
        ("19,5 13208699 1,648", "19,5 13208699 1,648"),
        ("1929-30 жылдары", "1929 - 30 жылдары"),
        ("[1, 28-30-бб.]", "[ 1 , 28 - 30 - бб. ]"),
        ("[6, 17-б.].", "[ 6 , 17 - б. ] ."),
        # numerals with suffixes: a grammatical ending stays, a full word is split off
        ("30-шы 55-ші 269-ы 35-те 100-ге", "30-шы 55-ші 269-ы 35-те 100-ге"),
        ("20-жылдың 58-бабының 2-мыңжылдықта", "20 - жылдың 58 - бабының 2 - мыңжылдықта"),
        ("19,5 %-ды 14,5 %-ы 90%-ына 51%", "19,5 %-ды 14,5 %-ы 90%-ына 51%"),
        # abbreviations and initials keep their dot
        ("1936 ж. т.б. т.с.с. млн. км².", "1936 ж. т.б. т.с.с. млн. км² ."),
        ("И.В. Сталиннің, С. Нұрпейісов", "И.В. Сталиннің , С. Нұрпейісов"),
        # punctuation
        ("көрме?!» – деп", "көрме ? ! » – деп"),
        ("немене?.. Шолпан...", "немене ? . . Шолпан ..."),
        ("«Социалды Қазақстан» // Еңбекші", "« Социалды Қазақстан » / / Еңбекші"),
        ("сондай-ақ қарым-қатынас Санкт-Петербург", "сондай-ақ қарым-қатынас Санкт-Петербург"),
        # a hyphen before digits splits (numbers are separate tokens in KTB)
        ("ӘЧ-2014 жылы", "ӘЧ - 2014 жылы"),
        # URLs and e-mails
        (
            "Қараңыз: https://akorda.kz/kk/news?id=5).",
            "Қараңыз : https://akorda.kz/kk/news?id=5 ) .",
        ),
        ("Хат: info@akorda.kz, www.gov.kz.", "Хат : info@akorda.kz , www.gov.kz ."),
        # damage inside words: soft hyphen, zero-width space, combining breve
        ("Қазақ\u00adстан си\u200bяқты и\u0306", "Қазақ\u00adстан си\u200bяқты и\u0306"),
    ],
)
def test_tokens(text: str, expected: str) -> None:
    assert toks(text) == expected


def test_norm_is_filled() -> None:
    text = "Қaзaқстан «əкім» 1929–30 бi\u00adр"
    norms = [t.norm for t in tokenize(text)]
    assert norms == ["Қазақстан", '"', "әкім", '"', "1929", "-", "30", "бір"]


@pytest.mark.parametrize("text, dash", [("61-бабы", "-"), ("1929–30", "-"), ("1937 - 1938", "—"),
                                        ("сөз -ақ", "—"), ("а —б", "—")])
def test_a_dash_token_is_read_in_its_text(text: str, dash: str) -> None:
    """A dash between two words or numbers is a hyphen, as `normalize` reads the whole string."""
    norms = [t.norm for t in tokenize(text) if t.norm in ("-", "—")]
    assert norms == [dash]


@pytest.mark.parametrize(
    "raw, norm",
    [
        ("Қaзaқстан", "Қазақстан"),  # Latin a
        ("Oйыл", "Ойыл"),  # Latin O
        ("ɵкімет", "өкімет"),  # Latin barred o
        ("бiр", "бір"),  # Latin i
        ("ҡала", "қала"),  # Bashkir qa
        ("COVID-19", "COVID-19"),  # a Latin word stays Latin
        ("Алматы-Tehran", "Алматы-Tehran"),
        ("сондай\u2011ақ", "сондай-ақ"),  # non-breaking hyphen
        ("Қазақ\u00adстан", "Қазақстан"),
        ("а\u00a0б", "а б"),
        ("“сөз”", '"сөз"'),
        ("‘сөз’", "'сөз'"),
        ("…", "..."),
        ("и\u0306", "й"),  # NFC
        ("", ""),
    ],
)
def test_normalize(raw: str, norm: str) -> None:
    assert normalize(raw) == norm


def test_sample_tokens(sample_text: str) -> None:
    got = {sample_text[t.start : t.end] for t in tokenize(sample_text)}
    for tok in (
        "ҚК-нің",
        "ОК-нің",
        "БК(б)П",
        "БК(б)П-ның",
        "13208699",
        "19,5",
        "30-шы",
        "269-ы",
        "%-ы",
        "%-ды",
        "И.В.",
        "бб.",
        "ж.",
    ):
        assert tok in got, tok


def test_two_word_verb_form_is_one_surface_token() -> None:
    text = "Ол келген жоқ. Мәселе жоқ."
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens][:3] == ["Ол", "келген", "жоқ"]
    assert tokens[1].misc == tokens[2].misc == {"mwt": [3, 13]}
    assert [text[a:b] for a, b in surface_tokens(tokens)] == [
        "Ол",
        "келген жоқ",
        ".",
        "Мәселе",
        "жоқ",
        ".",
    ]


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Ол болған емес.", "Ол | болған емес | ."),
        ("Сен сыйламайды екенсің.", "Сен | сыйламайды екенсің | ."),
        ("Аңдысам екен.", "Аңдысам екен | ."),
        ("Ол қазақ екен. Керек емес.", "Ол | қазақ | екен | . | Керек | емес | ."),
    ],
)
def test_multiword_surface_tokens(text: str, surface: str) -> None:
    assert " | ".join(text[a:b] for a, b in surface_tokens(tokenize(text))) == surface
