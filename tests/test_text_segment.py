"""Sentences, paragraphs and layouts: tests read like the Kazakh they test (``|`` = boundary)."""

from __future__ import annotations

import pytest

from muragat.model import Document, Range, Token
from muragat.text import annotate, explain, paragraphs, segment, sentences


def split(text: str) -> str:
    return " | ".join(text[s.start : s.end] for s in sentences(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        # abbreviations (data/abbreviations.tsv)
        (
            "Ол 1936 ж. 1 тамызда келді. Келесі сөйлем.",
            "Ол 1936 ж. 1 тамызда келді. | Келесі сөйлем.",
        ),
        ("Алматы қ. Абай көшесінде тұрды.", "Алматы қ. Абай көшесінде тұрды."),
        (
            "Қалалар, ауылдар т.б. Мемлекеттік тілі – қазақ тілі.",
            "Қалалар, ауылдар т.б. | Мемлекеттік тілі – қазақ тілі.",
        ),
        ("Бюджеті 16,3 млрд. АҚШ доллары болды.", "Бюджеті 16,3 млрд. АҚШ доллары болды."),
        ("Халқы 5 млн. Астанасы – Тегеран.", "Халқы 5 млн. | Астанасы – Тегеран."),
        ("Б.з.б. 550 ж. мемлекет құрылды.", "Б.з.б. 550 ж. мемлекет құрылды."),
        # initials
        ("Баяндаманы С. Нұрпейісов жасады.", "Баяндаманы С. Нұрпейісов жасады."),
        (
            "Жұмыс И.В. Сталиннің тапсырмасымен жүрді. Бұл белгілі.",
            "Жұмыс И.В. Сталиннің тапсырмасымен жүрді. | Бұл белгілі.",
        ),
        (
            "Иран шаһы М. Р. Пехлевидің көмегімен келді.",
            "Иран шаһы М. Р. Пехлевидің көмегімен келді.",
        ),
        # quotes, dashes, ellipses
        ("«Бала жоқ.» – деп айтты.", "«Бала жоқ.» – деп айтты."),
        ("«Бала жоқ. Үй бар», – деді ол.", "«Бала жоқ. | Үй бар», – деді ол."),
        (
            '"Оны біз білмейміз-ау!" деген ойлар келді.',
            '"Оны біз білмейміз-ау!" деген ойлар келді.',
        ),
        (
            "Ол ойлайтын еді... Бала туса, бәрі өзгереді.",
            "Ол ойлайтын еді... | Бала туса, бәрі өзгереді.",
        ),
        ("— Бәйбіше қайда? — Бәйбішені атып кетті.", "— Бәйбіше қайда? | — Бәйбішені атып кетті."),
        ("— Қайда барасың? — деді ол.", "— Қайда барасың? — деді ол."),
        ("Не істемеді Шолпан?! Бәрін істеді.", "Не істемеді Шолпан?! | Бәрін істеді."),
        # numbers and enumerations
        ("Бұл жұмыс бітті. 52 жыл болды.", "Бұл жұмыс бітті. | 52 жыл болды."),
        ("12. Мұнан кейін елге сайлаушы шықты.", "12. Мұнан кейін елге сайлаушы шықты."),
        (
            "Ол туралы жазылған [1, 28-30-бб.]. Келесі сөйлем.",
            "Ол туралы жазылған [1, 28-30-бб.]. | Келесі сөйлем.",
        ),
        # glued sentence ends
        (
            "Билік салтанат құрды..О., тарих ғылымдарының докторы",
            "Билік салтанат құрды. | .О., тарих ғылымдарының докторы",
        ),
        ("Алматы қ..1 Қазақстан тарихы.", "Алматы қ.. | 1 Қазақстан тарихы."),
        ("Жиналыс бітті.Келесі күні бәрі тарады.", "Жиналыс бітті. | Келесі күні бәрі тарады."),
        (
            "Сайт: www.akorda.kz. Хат: info@akorda.kz. Бітті.",
            "Сайт: www.akorda.kz. | Хат: info@akorda.kz. | Бітті.",
        ),
    ],
)
def test_sentences(text: str, expected: str) -> None:
    assert split(text) == expected


# A one-sentence-per-line dump in the style of the sample: mis-splits after initials and
# abbreviations, a leading space starts a paragraph, the footer is glued to the last sentence.
DUMP = (
    "Партия қатарын тазарту жалғасты.\n"
    "Газеттер бұл туралы жазды.\n"
    " Ғ.\n"
    "Тоғжанов мақаласында бәрін айтты.\n"
    "Жиналыста С.\n"
    "Нұрпейісов баяндама жасады, 1936 ж.\n"
    "1 тамызға дейін 432 адам шығарылды.\n"
    " Жұмыс И.В.\n"
    "Сталиннің тапсырмасымен жүрді.\n"
    "Коммунистер тәуелсіздік алғанға дейін салтанат құрды..О., \n"
    " тарих ғылымдарының докторы,\n"
    "  Алматы қ..1 Қазақстан тарихы.\n"
)


def test_sentence_per_line_dump() -> None:
    seg = segment(DUMP)
    assert seg.mode == "sentence"
    got = [DUMP[s.start : s.end].replace("\n", " ") for s in seg.sentences]
    assert got == [
        "Партия қатарын тазарту жалғасты.",
        "Газеттер бұл туралы жазды.",
        "Ғ. Тоғжанов мақаласында бәрін айтты.",
        "Жиналыста С. Нұрпейісов баяндама жасады, 1936 ж. 1 тамызға дейін 432 адам шығарылды.",
        "Жұмыс И.В. Сталиннің тапсырмасымен жүрді.",
        "Коммунистер тәуелсіздік алғанға дейін салтанат құрды.",
        ".О.,",
        "тарих ғылымдарының докторы,",
        "Алматы қ..",
        "1 Қазақстан тарихы.",
    ]
    starts = [DUMP[p.start : p.start + 12] for p in seg.paragraphs]
    assert starts == [
        "Партия қатар",
        "Ғ.\nТоғжанов ",
        "Жұмыс И.В.\nС",
        "тарих ғылымд",
        "Алматы қ..1 ",
    ]


def test_blank_lines_separate_paragraphs() -> None:
    text = "Бірінші абзац. Екі сөйлем.\n\nЕкінші абзац.\n"
    got = [text[p.start : p.end] for p in paragraphs(text)]
    assert got == ["Бірінші абзац. Екі сөйлем.", "Екінші абзац."]
    assert len(sentences(text)) == 3


def test_hard_wrapped_text_joins_lines() -> None:
    line = "Партия қатарын тазарту науқаны кеңестік идеологияның беріктігін"
    text = (
        f"{line}\nодан әрі күшейте түсті және бұл туралы газеттерде көп жазылды\n"
        f"{line}\nодан әрі күшейте түсті және бұл туралы газеттерде жазылды.\n"
        f"    {line}\nодан әрі күшейте түсті және бұл туралы газеттерде жазылды\n"
        "көп.\n"
    )
    seg = segment(text)
    assert seg.mode == "wrapped"
    assert len(seg.paragraphs) == 2
    assert len(seg.sentences) == 2


def test_lines_mode_each_line_is_a_paragraph() -> None:
    text = "Бірінші жол. Онда екі сөйлем бар.\nЕкінші жол. Бұл да екеу.\nҮшінші. Тағы.\n"
    seg = segment(text)
    assert seg.mode == "lines"
    assert len(seg.paragraphs) == 3
    assert len(seg.sentences) == 6


def test_explain_names_the_rule() -> None:
    rows = explain("Ол 1936 ж. 1 тамызда келді. Бітті.")
    rules = {r[3] for r in rows}
    assert "after_abbreviation" in rules and "default" in rules


def test_annotate_fills_empty_document() -> None:
    doc = annotate(Document(text="Бірінші сөйлем. Екінші сөйлем."))
    assert len(doc.sentences) == 2 and len(doc.paragraphs) == 1
    assert [doc.token_text(t) for t in doc.tokens][:3] == ["Бірінші", "сөйлем", "."]


def test_annotate_keeps_given_tokens() -> None:
    text = "Қaзaқ тілі. Бітті."  # Latin a inside a Cyrillic word
    given = [Token(0, 10), Token(10, 11), Token(12, 17), Token(17, 18)]  # "Қaзaқ тілі" is one
    doc = annotate(Document(text=text, tokens=given))
    assert [(t.start, t.end) for t in doc.tokens] == [(0, 10), (10, 11), (12, 17), (17, 18)]
    assert doc.tokens[0].norm == "Қазақ тілі"
    assert [(s.start, s.end) for s in doc.sentences] == [(0, 11), (12, 18)]


def test_annotate_merges_sentences_a_given_token_crosses() -> None:
    text = "Қазақ тілі. Бітті."
    doc = annotate(Document(text=text, tokens=[Token(6, 14), Token(17, 18)]))
    assert [(s.start, s.end) for s in doc.sentences] == [(0, 18)]
    assert [(p.start, p.end) for p in doc.paragraphs] == [(0, 18)]


def test_annotate_keeps_given_sentences() -> None:
    text = "Бір. Екі. Үш."
    doc = annotate(Document(text=text, sentences=[Range(0, len(text))]))
    assert [(s.start, s.end) for s in doc.sentences] == [(0, len(text))]
    assert [doc.token_text(t) for t in doc.tokens] == ["Бір", ".", "Екі", ".", "Үш", "."]


def test_empty_and_blank_text() -> None:
    for text in ("", "   ", "\n\n\t"):
        seg = segment(text)
        assert seg.sentences == [] and seg.tokens == [] and seg.paragraphs == []


def test_annotate_keeps_given_paragraphs() -> None:
    text = "Бірінші бөлім. Екінші бөлім."
    doc = annotate(Document(text=text, paragraphs=[Range(0, 14), Range(15, len(text))]))
    assert [(p.start, p.end) for p in doc.paragraphs] == [(0, 14), (15, len(text))]
    assert [(s.start, s.end) for s in doc.sentences] == [(0, 14), (15, len(text))]


def test_annotate_normalizes_copied_norm() -> None:
    text = "Қaзaқ"
    doc = annotate(Document(text=text, tokens=[Token(0, 5, "Қaзaқ")]))
    assert doc.tokens[0].norm == "Қазақ"


def test_given_paragraphs_that_do_not_tile_are_ignored() -> None:
    text = "Бір. Екі.\nҮш."
    seg = segment(text, paragraphs=[Range(0, 4)])  # leaves "Екі." and "Үш." outside
    assert [text[s.start : s.end] for s in seg.sentences] == ["Бір.", "Екі.", "Үш."]


def test_a_short_text_keeps_an_initial_with_its_surname() -> None:
    # two lines are too few to tell the layout, so each line is a paragraph, except that no
    # paragraph ends with a lone initial: `Ж.` | `Сәрсенов` is one sentence and one name
    text = "Комиссия құрамына Ж.\nСәрсенов, Қ. Әлімбетов енді.\n"
    doc = annotate(Document(text=text))
    assert [text[s.start : s.end] for s in doc.sentences] == [text.strip()]
    assert len(doc.paragraphs) == 1
    # a line that merely ends in a capital letter and a period still ends its paragraph
    other = "Жиналыс ашылды.\nБаяндаманы оқыған В.\n"
    doc = annotate(Document(text=other))
    assert len(doc.sentences) == 2 and len(doc.paragraphs) == 2
