"""Soviet-era bodies in historical prose (issue 20) and the stem endings of the CRF features,
read from morph's morphotactics (issue 22). Rules run on words and labels, without the tagger."""

from __future__ import annotations

from muragat.ner import features
from muragat.ner.domain import bodies, document_bodies
from muragat.ner.names import split_titles
from muragat.ner.rules import apply_rules

ORG = ["B-ORGANISATION", "I-ORGANISATION"]


# -- stem endings (issue 22) ---------------------------------------------------------------
def test_stem_endings_come_from_the_morphotactics() -> None:
    ends = set(features.stem_endings())
    assert not (features.DATA / "suffixes.txt").exists()  # no hand-written copy left
    # plural, possessive, cases, -дағы, and the derivational -лық/-шы, -дай, -менен
    assert {"лар", "тер", "сы", "ның", "ға", "нда", "дан", "пен", "менен", "дағы", "ндағы",
            "лық", "шы", "дай", "ша"} <= ends
    assert {"лары", "ының", "ындағы", "інде"} <= ends  # a case after a 3rd-person possessive
    assert "н" not in ends and "а" not in ends  # single letters that cut every final н, а
    assert list(features.stem_endings()) == sorted(ends, key=lambda e: (-len(e), e))


def test_stems_strip_endings_repeatedly() -> None:
    ends = features.stem_endings()
    assert features.stem("комитетіндегі", ends) == "комитет"
    assert features.stem("облыстарындағы", ends) == "облыс"
    assert features.stem("корпорациясының", ends) == "корпорация"
    assert features.stem("алматыда", ends, 1) == "алматы"
    assert features.stem("норма", ends) == "норма"  # no `ма` (my + dative) off a root


# -- bodies --------------------------------------------------------------------------------
def _bodies(sentence: str, labels: list[str] | None = None) -> list[str]:
    words = sentence.split()
    out = list(labels or ["O"] * len(words))
    bodies(words, out)
    return out


def test_a_capitalized_modifier_names_a_body_also_first_in_a_sentence() -> None:
    assert _bodies("Жер комиссариаты оны жіберді .")[:3] == [*ORG, "O"]
    assert _bodies("Денсаулық сақтау комиссариаты грамота берді")[:4] == [*ORG, "I-ORGANISATION", "O"]
    assert _bodies("Бақылау комиссиясы шағымды қарады")[:3] == [*ORG, "O"]
    # a lower-case generic body without a level word is no name
    assert _bodies("ол бақылау комиссиясы шағымды қарады") == ["O"] * 5


def test_body_heads_beyond_committees() -> None:
    assert _bodies("1933 жылы Біріккен мемлекеттік саяси басқарма оны тұтқындады")[2:7] == [
        *ORG, "I-ORGANISATION", "I-ORGANISATION", "O"]
    assert _bodies("Ол Қарағанды еңбекпен түзеу лагерінде отырды")[:5] == [
        "O", *ORG, "I-ORGANISATION", "I-ORGANISATION"]  # the pronoun in front stays out
    assert _bodies("оның ісі НКВД үштігінде қаралды")[2:5] == [*ORG, "O"]


def test_a_place_in_the_dagy_form_is_where_the_body_is() -> None:
    assert _bodies("Бейсен Мәскеудегі әскери академияда оқыды")[1:4] == ["O"] * 3
    words = "Ілиясов Ташкенттегі Түркістан халық университетінде оқыды".split()
    labels = ["B-PERSON", "B-ORGANISATION"] + ["I-ORGANISATION"] * 3 + ["O"]
    bodies(words, labels)
    assert labels == ["B-PERSON", "B-GPE", *ORG, "I-ORGANISATION", "O"]


def test_a_capitalized_head_alone_is_the_body_its_document_named() -> None:
    sents = [["Ол", "Қазақ", "педагогикалық", "институтында", "оқыды", "."],
             ["Институт", "оны", "оқытушы", "етіп", "алды", "."],
             ["Комиссия", "төрағасы", "келді", "."]]
    labels = [["O", *ORG, "I-ORGANISATION", "O", "O"], ["O"] * 6, ["O"] * 4]
    document_bodies(sents, labels)
    assert labels[1][0] == "B-ORGANISATION"
    assert labels[2] == ["O"] * 4  # no commission named in full: a generic word
    troika = [["Ісі", "НКВД", "үштігінде", "қаралды", "."], ["Үштік", "үкім", "шығарды", "."]]
    labs = [["O", *ORG, "O", "O"], ["B-CARDINAL", "O", "O", "O"]]
    document_bodies(troika, labs)
    assert labs[1][0] == "B-ORGANISATION"  # `үштігі` and `Үштік`: one head, unvoiced


def test_a_lower_case_short_form_is_the_body_its_document_named() -> None:
    sents = [["БК(б)П", "Қазақ", "өлкелік", "комитеті", "қаулы", "алды", "."],
             ["Пленумда", "өлкелік", "комитеттің", "хатшысы", "сөйледі", "."],
             ["аудандық", "комитет", "жиналды", "."]]
    labels = [[*ORG, "I-ORGANISATION", "I-ORGANISATION", "O", "O", "O"], ["O"] * 6, ["O"] * 4]
    document_bodies(sents, labels)
    assert labels[1] == ["O", *ORG, "O", "O", "O"]
    assert labels[2] == ["O"] * 4  # the named body holds no `аудандық`: a generic committee
    alone = [["Пленумда", "өлкелік", "комитеттің", "хатшысы", "сөйледі", "."]]
    untouched = [["O"] * 6]
    document_bodies(alone, untouched)  # no body named in full: nothing to go by
    assert untouched == [["O"] * 6]


def test_a_title_word_inside_the_body_name_is_not_the_title() -> None:
    words = "Ол РКФСР Халық Комиссарлары Кеңесі төрағасының орынбасары болды".split()
    labels = ["O", "B-POSITION"] + ["I-POSITION"] * 5 + ["O"]
    split_titles(words, labels)
    assert labels == ["O", *ORG, "I-ORGANISATION", "I-ORGANISATION", "B-POSITION",
                      "I-POSITION", "O"]


def test_news_text_keeps_its_bodies_untouched() -> None:
    words = "Жер комиссариаты оны жіберді .".split()
    assert apply_rules(words, ["O"] * 5, historical=False) == ["O"] * 5


def test_a_body_name_ends_before_a_pronoun_and_after_its_place() -> None:
    words = "БМСБ оны кеңес үкіметіне қарсы деп айыптады".split()
    labels = ["B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "O", "O", "O"]
    assert apply_rules(words, labels, historical=True)[:4] == ["B-ORGANISATION", "O", "O", "O"]
    words = "Мұстанбайұлы Верныйдағы гимназияда оқыды".split()
    labels = ["B-PERSON", "B-ORGANISATION", "I-ORGANISATION", "O"]
    assert apply_rules(words, labels, historical=True)[1:3] == ["B-GPE", "O"]


def test_a_person_span_ending_in_a_body_head_is_the_body() -> None:
    words = "Омаров Қызыл Армия қатарында болды".split()
    labels = ["B-PERSON", "B-PERSON", "I-PERSON", "O", "O"]
    assert _bodies(" ".join(words), labels) == ["B-PERSON", *ORG, "O", "O"]


def test_a_type_word_without_the_possessive_is_no_part_of_a_place() -> None:
    words = "Қызылорда республиканың астанасы еді".split()
    assert apply_rules(words, ["B-GPE", "I-GPE", "O", "O"], historical=True)[:2] == ["B-GPE", "O"]
    words = "Ойыл ауданында туды".split()
    assert apply_rules(words, ["B-GPE", "I-GPE", "O"], historical=True)[:2] == ["B-GPE", "I-GPE"]


def test_a_given_name_and_patronymic_take_the_inflected_surname_after_them() -> None:
    import muragat

    doc = muragat.analyze("Тексеру комиссиясы 1937 жылы мектеп директоры Ерлан Бақытұлы "
                          "Сейітовті партиядан шығарды.\nСейітовті сол айда тұтқындады.\n")
    people = [doc.text[s.start:s.end] for s in doc.spans if s.layer == "ner" and s.label == "PERSON"]
    assert people[0] == "Ерлан Бақытұлы Сейітовті"


def test_an_abbreviation_then_a_body_named_in_full_is_two_bodies() -> None:
    from muragat.ner.domain import split_run_on_bodies

    labels = ["O", "B-ORGANISATION"] + ["I-ORGANISATION"] * 4 + ["O"]
    split_run_on_bodies(["1934", "ОГПУ", "Ішкі", "істер", "халық", "комиссариатының", "құрамына"],
                        labels)
    assert labels[1:3] == ["B-ORGANISATION", "B-ORGANISATION"]
    labels = ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3 + ["O"]
    split_run_on_bodies(["НКВД", "Ертіс", "аудандық", "бөлімі", "ұстады"], labels)
    assert labels[:4] == ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3  # its department


def test_a_value_span_stops_at_a_body_and_a_stump_after_a_name_makes_a_body() -> None:
    from muragat.ner.domain import historical_labels

    labels = ["B-QUANTITY", "I-QUANTITY", "I-QUANTITY", "I-QUANTITY", "I-QUANTITY", "O"]
    historical_labels(["1938", "жылғы", "көктемде", "ІІХК", "Шәрбануды", "тұтқындады"], labels)
    assert labels[3:5] == ["B-ORGANISATION", "B-PERSON"]
    labels = ["O", "B-PERSON", "O", "O"]
    historical_labels(["Кітапты", "Ағарту", "халкомы", "таратты"], labels)
    assert labels[1:3] == ORG


def test_a_bare_head_right_after_its_body_refers_to_it() -> None:
    sents = [["Ұжымдастыруды", "БК(б)П", "Қазақ", "өлкелік", "комитеті", "басқарды", "."],
             ["Комитет", "1930", "жылы", "қаулы", "қабылдады", "."],
             ["Жиналыс", "өтті", "."], ["Жаңа", "жыл", "келді", "."],
             ["Комитет", "тағы", "шешті", "."]]
    labels = [["O", "B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "O", "O"],
              ["O"] * 6, ["O"] * 3, ["O"] * 4, ["O"] * 4]
    refs = document_bodies(sents, labels)
    assert labels[1][0] == "B-ORGANISATION" and refs[(1, 0)] == (0, 1, 5)
    assert (4, 0) not in refs  # three sentences on: left to the document's main body


def test_the_store_keys_a_bare_head_by_the_body_it_refers_to() -> None:
    from muragat.store.rows import mention_name

    assert mention_name(None, 0, 7, {"lemma": "Комитет", "refers": "Өлкелік комитет"}, []) \
        == "Өлкелік комитет"  # type: ignore[arg-type]


def test_a_state_alone_is_a_place_and_with_a_body_abbreviation_one_body() -> None:
    from muragat.ner.domain import states

    labels = ["O", "B-ORGANISATION", "I-ORGANISATION", "O", "O"]
    states(["1920", "Қазақ", "АКСР", "өкіметінің", "органдары"], labels)
    assert labels[1:3] == ["B-GPE", "I-GPE"]
    labels = ["B-ORGANISATION", "I-ORGANISATION", "O", "O"]
    states(["Қазақ", "АКСР", "ОАК-да", "ол"], labels)
    assert labels[:3] == ORG + ["I-ORGANISATION"]


def test_a_komsomol_body_is_one_and_a_state_body_goes_on_to_its_head() -> None:
    from muragat.ner.domain import split_run_on_bodies, states

    labels = ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3 + ["O"]
    split_run_on_bodies(["БЛКЖО", "Қазақ", "өлкелік", "комитетінің", "нұсқаушысы"], labels)
    assert labels[:4] == ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3
    labels = ["B-ORGANISATION", "I-ORGANISATION", "O", "O"]
    states(["Қазақ", "АКСР", "прокуратурасының", "шешімі"], labels)
    assert labels[:3] == ORG + ["I-ORGANISATION"]
    labels = ["B-PERSON", "I-PERSON", "B-ORGANISATION", "I-ORGANISATION", "O"]
    states(["Шалабаев", "Қазақ", "АКСР", "Сотының", "мүшесі"], labels)
    assert labels[:4] == ["B-PERSON", "B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION"]


def test_a_stump_and_its_head_are_one_body() -> None:
    from muragat.ner.domain import historical_labels, split_run_on_bodies

    labels = ["B-ORGANISATION", "I-ORGANISATION", "O", "O"]
    historical_labels(["Халком", "Кеңесінің", "қаулысы", "бойынша"], labels)
    split_run_on_bodies(["Халком", "Кеңесінің", "қаулысы", "бойынша"], labels)
    assert labels[:2] == ORG


def test_a_capitalized_word_before_a_body_head_is_no_person() -> None:
    from muragat.ner.domain import historical_labels

    labels = ["B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "B-PERSON", "O", "O"]
    historical_labels(["КСРО", "Жоғарғы", "сотының", "Әскери", "алқасы", "кесті"], labels)
    assert labels[3:5] == ORG
