"""People and bodies consolidated across name forms, with reasons; clean name boundaries
(issue 20). Consolidation is a pure function over mention groups; the boundary rules run on
words and labels without the tagger."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_helpers import add, hand_doc

from muragat import i18n
from muragat.cli.app import cli
from muragat.ner.lemma import base_form
from muragat.ner.names import document_names, split_people, split_titles, trim_first
from muragat.search.entities import Entity, MentionGroup, body_key, consolidate
from muragat.search.variants import surname_stem
from muragat.store import open_store
from muragat.terms import given_name, initial, mention_key


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Reasons are user-facing text (Kazakh by default): these tests read the English."""
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


def _g(label: str, name: str, doc: int = 1, n: int = 1) -> MentionGroup:
    return MentionGroup(label, mention_key(label, name), name, doc, n)


def _p(name: str, doc: int = 1, n: int = 1) -> MentionGroup:
    return _g("PERSON", name, doc, n)


def _holding(found: list[Entity], name: str) -> Entity:
    return next(e for e in found if name in e.names)


# -- name forms ----------------------------------------------------------------------------
def test_keys_read_the_surname_also_written_first() -> None:
    assert mention_key("PERSON", "Рысқұлов Тұрар") == "рысқұлов"
    assert given_name("PERSON", "Рысқұлов Тұрар") == "тұрар"
    assert initial("PERSON", "Голощекин Ф.И.") == "ф"
    assert given_name("PERSON", "С.Сәдуақасұлы") is None and initial("PERSON", "С.Сәдуақасұлы") == "с"
    assert mention_key("PERSON", "Филипп Исаевич Голощекин") == "голощекин"


def test_patronymic_forms_share_a_stem_and_a_woman_keeps_hers() -> None:
    assert surname_stem("сәдуақасов") == surname_stem("сәдуақасұлы") == "сәдуақас"
    assert surname_stem("мұстанбаев") == surname_stem("мұстанбайұлы")
    assert surname_stem("тоқтарова") == surname_stem("тоқтарқызы") != surname_stem("тоқтаров")
    assert surname_stem("тілеубердин") == surname_stem("тілеубердіұлы") == "тілеуберд"
    assert surname_stem("тілеулин") == surname_stem("тілеулұлы") == "тілеул"
    assert surname_stem("голощекян") == "голощекян"


def test_every_form_of_one_biography_subject_is_one_person_with_reasons() -> None:
    found = consolidate([
        _p("Смағұл Сәдуақасов", n=2), _p("Сәдуақасов Смағұл"), _p("С. Сәдуақасов"),
        _p("С.Сәдуақасұлы"), _p("Сәдуақасұлы"), _p("Сәдуақасовтың"), _p("Смағұл", n=3),
        _p("Смағұл Сәдуақасұлы", doc=2)])
    assert len(found) == 1
    person = found[0]
    assert person.name == "Смағұл Сәдуақасов" and person.mentions == 11 and person.documents == 2
    why = person.reasons
    assert why["С. Сәдуақасов"] == "same surname, initial С"
    assert why["Смағұл Сәдуақасұлы"].startswith("patronymic form")
    assert why["Смағұл"] == "first name alone in a document about this person"
    assert "surname alone" in why["Сәдуақасұлы"]
    assert (2, "Смағұл Сәдуақасұлы") in person.members


def test_same_surname_other_initials_stay_apart() -> None:
    found = consolidate([_p("Қайыржан Омаров"), _p("Бейсен Омаров"), _p("Қ. Омаров"),
                         _p("Б.Омарұлы"), _p("Омаров Бейсен")])
    assert len(found) == 2
    assert set(_holding(found, "Қ. Омаров").names) == {"Қайыржан Омаров", "Қ. Омаров"}
    assert set(_holding(found, "Б.Омарұлы").names) == {"Бейсен Омаров", "Б.Омарұлы",
                                                       "Омаров Бейсен"}


def test_a_woman_and_a_man_of_one_surname_stay_apart() -> None:
    found = consolidate([_p("Айша Тоқтарова"), _p("Тоқтарқызы"), _p("Нұрлан Тоқтаров"),
                         _p("Н. Тоқтаров")])
    assert len(found) == 2
    assert set(_holding(found, "Тоқтарқызы").names) == {"Айша Тоқтарова", "Тоқтарқызы"}


def test_surname_alone_goes_to_the_subject_only_when_there_is_one() -> None:
    subject = [_p("Ғаббас Тоғжанов", n=3), _p("Ғ. Тоғжанов"), _p("Мұхамеджан Тоғжанов"),
               _p("Тоғжанов")]
    found = consolidate(subject)
    assert "Тоғжанов" in _holding(found, "Ғаббас Тоғжанов").names
    assert "the document is about" in _holding(found, "Тоғжанов").reasons["Тоғжанов"]
    even = consolidate([_p("Міржақып Дулатов"), _p("Асқар Дулатов"), _p("Дулатов")])
    assert len(even) == 3  # two people mentioned alike: the bare surname is nobody's


def test_first_name_alone_joins_only_within_its_document() -> None:
    found = consolidate([_p("Бекболат Рысқұлов"), _p("Бекболат", doc=2)])
    assert len(found) == 2
    found = consolidate([_p("Тұрар Рысқұлов"), _p("Т. Рысқұлов", doc=2)])
    assert len(found) == 1 and "the only one in the store" in found[0].reasons["Т. Рысқұлов"]
    two = consolidate([_p("Тұрар Рысқұлов"), _p("Тимур Рысқұлов"), _p("Т. Рысқұлов", doc=2)])
    assert len(two) == 3  # another document's initial fits two people: no merge


def test_a_person_taken_for_a_place_joins_the_person_of_that_document() -> None:
    found = consolidate([_p("Тұрар Рысқұлов"), _g("GPE", "Рысқұлов"), _g("GPE", "Рысқұлов", 2)])
    person = _holding(found, "Тұрар Рысқұлов")
    assert person.mentions == 2 and "tagged as a place" in person.reasons["Рысқұлов"]
    assert any(e.label == "GPE" for e in found)  # the district of another document stays


# -- bodies --------------------------------------------------------------------------------
def test_known_names_of_one_body_are_one_everywhere() -> None:
    o = "ORGANISATION"
    found = consolidate([_g(o, "БК(б)П ОК"), _g(o, "Орталық Комитет", 2), _g(o, "ОК", 3),
                         _g(o, "Өлкеком", 1), _g(o, "БК(б)П Қазақ өлкелік комитеті", 2)])
    assert len(found) == 2
    assert "data/bodies.tsv" in _holding(found, "ОК").reasons["ОК"]


def test_abbreviation_and_short_form_join_within_a_document_only() -> None:
    o = "ORGANISATION"
    found = consolidate([_g(o, "Қазақ Орталық Атқару Комитеті"), _g(o, "ОАК"),
                         _g(o, "ОАК", 2), _g(o, "Жер халық комиссариаты"),
                         _g(o, "Жер комиссариаты"), _g(o, "Комиссия", 3)])
    full = _holding(found, "Қазақ Орталық Атқару Комитеті")
    assert full.names == {"Қазақ Орталық Атқару Комитеті": 1, "ОАК": 1}
    assert full.reasons["ОАК"].startswith("abbreviation of")
    assert _holding(found, "Жер комиссариаты").reasons["Жер комиссариаты"].startswith("short form")
    assert len(found) == 4  # the other document's ОАК and the lone Комиссия stay apart


def test_soviet_abbreviations_and_qualified_names_join_within_a_document() -> None:
    o = "ORGANISATION"
    found = consolidate([_g(o, "Қазақ мемлекеттік университеті"), _g(o, "ҚазМУ"),
                         _g(o, "Қазақ АКСР Халық ағарту комиссариаты", 2),
                         _g(o, "Халық ағарту комиссариаты", 2),
                         _g(o, "Қазақ Орталық Атқару Комитеті", 3), _g(o, "Орталық Комитет", 3)])
    kazgu = _holding(found, "ҚазМУ")
    assert "Қазақ мемлекеттік университеті" in kazgu.names
    assert kazgu.reasons["ҚазМУ"].startswith("abbreviation of")
    narkompros = _holding(found, "Халық ағарту комиссариаты")
    assert "with its republic or place in front" in " ".join(narkompros.reasons.values())
    assert "Қазақ АКСР Халық ағарту комиссариаты" in narkompros.names
    # the Kazakh Central Executive Committee is not the Central Committee
    assert _holding(found, "Орталық Комитет") is not _holding(found, "Қазақ Орталық Атқару Комитеті")


def test_a_part_of_a_known_body_is_its_own_body() -> None:
    o = "ORGANISATION"
    found = consolidate([_g(o, "НКВД"), _g(o, "НКВД үштігі"), _g(o, "Үштік"),
                         _g(o, "Алашорда", 2), _g(o, "Алаш Орда үкіметі", 2),
                         _g(o, "Ағарту халкомы", 3), _g(o, "Халық ағарту комиссариаты", 4),
                         _g(o, "Қарағанды еңбекпен түзеу лагерь", 5), _g(o, "Қарлаг", 6)])
    troika = _holding(found, "НКВД үштігі")
    assert "НКВД" not in troika.names and "Үштік" in troika.names  # the troika, not the NKVD
    assert "Алашорда" in _holding(found, "Алаш Орда үкіметі").names  # the body itself
    assert "Халық ағарту комиссариаты" in _holding(found, "Ағарту халкомы").names
    assert "Қарлаг" in _holding(found, "Қарағанды еңбекпен түзеу лагерь").names


def test_body_key_drops_the_possessive_of_the_head() -> None:
    assert body_key("Орталық Комитеті") == body_key("Орталық Комитет") == "орталық комитет"
    assert body_key("Жазушылар одағы") == "жазушылар одақ"
    assert body_key("ОГПУ") == "огпу"


# -- base forms and span boundaries --------------------------------------------------------
def test_base_forms_keep_patronymic_and_womens_endings() -> None:
    assert base_form(["Тоқтарова"]) == "Тоқтарова"
    assert base_form(["Тоқтарованың"]) == "Тоқтарова"
    assert base_form(["Сыздықұлына"]) == "Сыздықұлы"
    assert base_form(["Тоқтаровқа"]) == "Тоқтаров"
    assert base_form(["Айша"]) == "Айша"  # no `Ай` + equative


def _after(rule, words: list[str], labels: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    out = list(labels)
    rule(words, out)
    return out


def test_a_sentence_initial_common_word_is_not_part_of_a_name() -> None:
    per = ["B-PERSON", "I-PERSON", "O"]
    assert _after(trim_first, ["Мақалада", "Смағұл", "жазды"], per)[:2] == ["O", "B-PERSON"]
    assert _after(trim_first, ["Романдағы", "Ақбілек", "–"], per)[:2] == ["O", "B-PERSON"]
    assert _after(trim_first, ["Жас", "Смағұл", "болды"], per)[:2] == ["O", "B-PERSON"]
    assert _after(trim_first, ["Болат", "Омаров", "келді"], per) == per  # a first name
    assert _after(trim_first, ["Қайыржан", "Омаров", "келді"], per) == per
    org = ["B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "O"]
    assert _after(trim_first, ["Шешімді", "Халық", "Кеңесі", "бекітті"], org)[0] == "O"
    assert _after(trim_first, ["Жер", "халық", "комиссариаты", "берді"], org) == org


def test_a_person_span_run_over_its_neighbours_is_cut() -> None:
    def cut(words: list[str], labels: list[str]) -> list[str]:
        return _after(lambda w, lab: split_people(w, lab, True), words, labels)

    assert cut(["1937", "Рысқұловты", "НКВД", "тұтқындады"],
               ["O", "B-PERSON", "I-PERSON", "O"])[1:3] == ["B-PERSON", "B-ORGANISATION"]
    assert cut(["Петров", "Сыздықұлына", "қысым"],
               ["B-PERSON", "I-PERSON", "O"])[:2] == ["B-PERSON", "B-PERSON"]
    assert cut(["Өлкеком", "Сәдуақасовты", "айыптады"],
               ["B-PERSON", "I-PERSON", "O"])[:2] == ["B-ORGANISATION", "B-PERSON"]
    assert cut(["Ораз", "Исаев", "келді"], ["B-PERSON", "I-PERSON", "O"])[:2] == [
        "B-PERSON", "I-PERSON"]  # a name as it should be is left alone


def test_names_tagged_apart_are_joined() -> None:
    assert _after(trim_first, ["оған", "Тұрар", "Рысқұлов", "хат"],
                  ["O", "B-PERSON", "B-PERSON", "O"])[2] == "I-PERSON"
    assert _after(trim_first, ["шешімі", "БК(б)П", "ОК-ға", "жіберілді"],
                  ["O", "B-ORGANISATION", "B-ORGANISATION", "O"])[2] == "I-ORGANISATION"


def test_a_title_read_with_its_body_is_the_body_and_the_title() -> None:
    words = ["Ол", "Ақмола", "губерниялық", "комитетінің", "хатшысы", "болды"]
    labels = ["O", "B-POSITION", "I-POSITION", "I-POSITION", "I-POSITION", "O"]
    assert _after(split_titles, words, labels) == [
        "O", "B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "B-POSITION", "O"]
    words = ["«", "Еңбекші", "қазақ", "»", "газетінің", "редакторы", "болды"]
    labels = ["B-POSITION"] + ["I-POSITION"] * 5 + ["O"]
    assert _after(split_titles, words, labels) == [
        "O", "B-ORGANISATION", "I-ORGANISATION", "O", "O", "B-POSITION", "O"]
    plain = ["B-POSITION", "I-POSITION", "O"]
    assert _after(split_titles, ["төраға", "орынбасары", "болды"], plain) == plain


def test_a_name_given_in_full_is_that_name_throughout_the_document() -> None:
    sents = [["Ерлан", "Сапаров", "жазды", "."], ["Сапаров", "оны", "мақтады", "."],
             ["Мирзоян", "келді", "."], ["Левон", "Мирзоянды", "жіберді", "."],
             ["Сапаров", "Ақмола", "губерниялық", "комитетінің", "хатшысы", "."]]
    labels = [["B-PERSON", "I-PERSON", "O", "O"], ["O", "O", "O", "O"], ["B-GPE", "O", "O"],
              ["B-PERSON", "I-PERSON", "O", "O"],
              ["B-POSITION", "I-POSITION", "I-POSITION", "I-POSITION", "I-POSITION", "O"]]
    document_names(sents, labels)
    assert labels[1][0] == labels[2][0] == "B-PERSON"
    assert labels[4][:2] == ["B-PERSON", "B-POSITION"]
    run = [["Лазарь", "Каганович", "келді", "."], ["Әбдірахман", "Қасымов", "келді", "."],
           ["Каганович", "Әбдірахманды", "босатты", "."]]
    tags = [["B-PERSON", "I-PERSON", "O", "O"], ["B-PERSON", "I-PERSON", "O", "O"],
            ["B-PERSON", "I-PERSON", "O", "O"]]
    document_names(run, tags)
    assert tags[2][:2] == ["B-PERSON", "B-PERSON"]  # two people's names run together
    assert tags[0][:2] == tags[1][:2] == ["B-PERSON", "I-PERSON"]
    alone = [["Сапаров", "келді", "."]]
    untouched = [["O", "O", "O"]]
    document_names(alone, untouched)  # nobody named in full: nothing to go by
    assert untouched == [["O", "O", "O"]]


def test_a_place_keeps_its_historical_names() -> None:
    found = consolidate([_g("GPE", "Қызылорда"), _g("GPE", "Ақмешіт", 2), _g("GPE", "Перовск", 3),
                         _g("GPE", "Ойыл ауданы")])
    place = _holding(found, "Ақмешіт")
    assert place.name == "Қызылорда" and set(place.names) == {"Қызылорда", "Ақмешіт", "Перовск"}
    assert "data/places.tsv" in place.reasons["Перовск"]
    assert len(found) == 2


# -- through the CLI -----------------------------------------------------------------------
def test_reasons_speak_kazakh_by_default() -> None:
    i18n.set_language("kk")
    found = consolidate([_p("Смағұл Сәдуақасов"), _p("С. Сәдуақасов")])
    assert found[0].reasons["С. Сәдуақасов"] == "тегі бір, аты С әрпінен"


def test_cli_entities_shows_why_and_where(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    text = "Смағұл Сәдуақасов 1900 жылы туған.\nКейін С.Сәдуақасұлы Мәскеуге кетті.\n"
    doc = hand_doc(text, [("Смағұл Сәдуақасов", "PERSON", "Смағұл Сәдуақасов"),
                          ("С.Сәдуақасұлы", "PERSON", "С.Сәдуақасұлы")])
    with open_store(db) as store:
        add(store, doc, "bio.txt")
    result = CliRunner().invoke(cli, ["entities", "--db", db, "--why"], catch_exceptions=False)
    assert "С.Сәдуақасұлы: same surname, initial С" in result.output
    result = CliRunner().invoke(cli, ["entities", "--db", db, "--json", "--why", "--mentions"],
                                catch_exceptions=False)
    person = json.loads(result.output)["entities"][0]
    assert person["reasons"] == {"С.Сәдуақасұлы": "same surname, initial С"}
    assert sorted((m["start"], m["end"]) for m in person["at"]) == [(0, 17), (41, 54)]
    assert {m["document"] for m in person["at"]} == {"bio.txt"}


def test_a_person_the_document_names_is_not_the_start_of_a_facility() -> None:
    sents = [["Ыдырыс", "Мұстанбаев", "келді", "."],
             ["Онда", "Ыдырыс", "тәркілеу", "науқанына", "қарсы", "болды", "."],
             ["Ыдырыс", "даңғылы", "салынды", "."]]
    labels = [["B-PERSON", "I-PERSON", "O", "O"],
              ["O", "B-FACILITY", "I-FACILITY", "I-FACILITY", "O", "O", "O"],
              ["B-FACILITY", "I-FACILITY", "O", "O"]]
    document_names(sents, labels)
    assert labels[1][1:4] == ["B-PERSON", "O", "O"]
    assert labels[2][:2] == ["B-FACILITY", "I-FACILITY"]  # a name and its type noun stay


def test_an_initial_and_a_surname_is_a_whole_name() -> None:
    def cut(words: list[str], labels: list[str]) -> list[str]:
        return _after(lambda w, lab: split_people(w, lab, True), words, labels)

    assert cut(["Т.Рысқұлұлы", "Сталинге", "хат"], ["B-PERSON", "I-PERSON", "O"])[:2] == [
        "B-PERSON", "B-PERSON"]
    assert cut(["Р.", "Тілеубердіұлы", "Воронежге", "барды"],
               ["B-PERSON", "I-PERSON", "I-PERSON", "O"])[:3] == ["B-PERSON", "I-PERSON", "B-GPE"]
    assert cut(["Р.", "Тілеубердіұлы", "Сейфуллинге", "барды"],
               ["B-PERSON", "I-PERSON", "I-PERSON", "O"])[:3] == ["B-PERSON", "I-PERSON", "B-PERSON"]
    assert cut(["Р.", "Тілеубердіұлы", "келді"], ["B-PERSON", "I-PERSON", "O"])[:2] == [
        "B-PERSON", "I-PERSON"]


def test_surname_given_patronymic_is_one_person() -> None:
    """The archival order (`Мұсин Сейтқазы Әбілқайырұлы`) is one name; a surname of another
    shape before a given name and an inflected `-ұлы` surname is two people."""
    def cut(words: list[str], labels: list[str]) -> list[str]:
        return _after(lambda w, lab: split_people(w, lab, True), words, labels)

    three = ["B-PERSON", "I-PERSON", "I-PERSON", "O"]
    assert cut(["Мұсин", "Сейтқазы", "Әбілқайырұлы", "туған"], three)[:3] == [
        "B-PERSON", "I-PERSON", "I-PERSON"]
    assert cut(["Сапарова", "Күләш", "Нұрғалиқызы", "туған"], three)[:3] == [
        "B-PERSON", "I-PERSON", "I-PERSON"]
    assert cut(["Мирзоян", "Әбдірахман", "Қасымұлын", "шақырды"], three)[:3] == [
        "B-PERSON", "B-PERSON", "I-PERSON"]


def test_stump_compounds_and_inflected_abbreviations_are_bodies() -> None:
    from muragat.ner.domain import body_word, historical_labels

    assert body_word("Губком") and body_word("Халағарткомы") and body_word("Қарлагқа")
    assert body_word("Норильлагта")  # a camp's stump compound
    assert body_word("АЛЖИР-де") and body_word("округкомы", inside=True)
    assert not body_word("округкомы") and not body_word("Комиссия") and not body_word("Ақкөл")
    labels = ["B-PERSON", "I-PERSON", "O"]
    historical_labels(words := ["Губком", "Жантөреевті", "жіберді"], labels)
    assert labels[:2] == ["B-ORGANISATION", "B-PERSON"], words
    labels = ["B-FACILITY", "I-FACILITY", "O"]
    historical_labels(["Семей", "округкомы", "шешті"], labels)
    assert labels[:2] == ["B-ORGANISATION", "I-ORGANISATION"]


def test_a_stump_is_the_body_it_shortens_in_its_document_only() -> None:
    found = consolidate([
        _g("ORGANISATION", "Ақтөбе губерниялық партия комитеті"),
        _g("ORGANISATION", "Ақтөбе губерниялық атқару комитеті"),
        _g("ORGANISATION", "Ақтөбе губкомы"), _g("ORGANISATION", "Губатком"),
        _g("ORGANISATION", "Губком", doc=2), _g("ORGANISATION", "Семей губерниялық комитеті", doc=2),
        _g("ORGANISATION", "Губком", doc=3)])
    party = _holding(found, "Ақтөбе губерниялық партия комитеті")
    assert set(party.names) == {"Ақтөбе губерниялық партия комитеті", "Ақтөбе губкомы"}
    assert set(_holding(found, "Губатком").names) == {"Ақтөбе губерниялық атқару комитеті", "Губатком"}
    semey = _holding(found, "Семей губерниялық комитеті")
    assert semey.names == {"Семей губерниялық комитеті": 1, "Губком": 1}
    assert semey.documents == 1  # the Губком of document 3 names no body it can be shown to be


def test_the_party_in_front_of_a_body_names_the_same_body_a_republic_another() -> None:
    found = consolidate([
        _g("ORGANISATION", "БК(б)П Орталық бақылау комиссиясы", doc=1),
        _g("ORGANISATION", "Орталық бақылау комиссиясы", doc=2),
        _g("ORGANISATION", "ҚазақКСР Жоғарғы Соты", doc=1),
        _g("ORGANISATION", "КСРО Жоғарғы Соты", doc=2)])
    assert _holding(found, "Орталық бақылау комиссиясы").documents == 2
    assert _holding(found, "КСРО Жоғарғы Соты").documents == 1


def test_a_bare_head_names_the_body_its_document_names_most() -> None:
    found = consolidate([
        _g("ORGANISATION", "Отырықшыландыру комитеті", n=3), _g("ORGANISATION", "Орталық Атқару Комитеті"),
        _g("ORGANISATION", "Комитет", n=2),
        _g("ORGANISATION", "Тазарту комиссиясы", doc=2, n=2), _g("ORGANISATION", "Бақылау комиссиясы", doc=2, n=2),
        _g("ORGANISATION", "Комиссия", doc=2)])
    assert set(_holding(found, "Комитет").names) == {"Отырықшыландыру комитеті", "Комитет"}
    assert _holding(found, "Комиссия").names == {"Комиссия": 1}  # two bodies as often: none


def test_two_bodies_read_as_one_span_are_two() -> None:
    from muragat.ner.domain import split_run_on_bodies

    labels = ["B-ORGANISATION"] + ["I-ORGANISATION"] * 4 + ["O"]
    split_run_on_bodies(["Орталық", "бақылау", "комиссиясы", "өлкелік", "комиссияның", "шешімін"], labels)
    assert labels[:5] == ["B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "B-ORGANISATION",
                          "I-ORGANISATION"]
    labels = ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3
    split_run_on_bodies(["Комиссия", "Жұмысшы-шаруа", "инспекциясы", "комиссариатымен"], labels)
    assert labels[:2] == ["B-ORGANISATION", "B-ORGANISATION"]
    labels = ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3
    split_run_on_bodies(["Жер", "халық", "комиссариаты", "жанындағы"], labels)
    assert labels == ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3


def test_a_surname_first_name_then_a_first_name_surname_are_two_people() -> None:
    labels = _after(lambda w, lab: split_people(w, lab, True),
                    ["Қожанов", "Сұлтанбек", "Тұрар", "Рысқұловпен", "кездесті"],
                    ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O"])
    # `Рысқұлов` is also a district in the gazetteer: the document's full names decide later
    assert labels[:3] == ["B-PERSON", "I-PERSON", "B-PERSON"] and labels[3] != "O"


def test_a_given_name_read_as_inflected_is_no_end_of_a_name() -> None:
    from muragat.ner.lemma import base_form

    labels = _after(lambda w, lab: split_people(w, lab, True),
                    ["Әбділда", "Ысқақұлы", "Бекмұхамедов", "туған"],
                    ["B-PERSON", "I-PERSON", "I-PERSON", "O"])
    assert labels[:3] == ["B-PERSON", "I-PERSON", "I-PERSON"]
    assert base_form(["Әбілов", "Тұрсын"]) == "Тұрсын"  # no possessive -сы after a consonant
    assert base_form(["саяси", "басқармасының"]) == "басқармасы"


def test_a_place_keeps_its_type_and_its_historical_names() -> None:
    found = consolidate([_g("GPE", "Ойыл ауданы"), _g("GPE", "Ойыл ауданы", doc=2),
                         _g("GPE", "Ақмешіт"), _g("GPE", "Қызылорда", doc=2)])
    oyil = _holding(found, "Ойыл ауданы")
    assert oyil.place_type == "аудан" and oyil.to_dict()["place_type"] == "аудан"
    city = _holding(found, "Ақмешіт")
    assert set(city.names) == {"Ақмешіт", "Қызылорда"} and city.place_type is None
    assert "place_type" not in city.to_dict()


def test_a_name_holds_no_common_word_or_number() -> None:
    def cut(words: list[str], labels: list[str]) -> list[str]:
        return _after(lambda w, lab: split_people(w, lab, True), words, labels)

    assert cut(["Жүсіпбек", "өзінің", "хатында"], ["B-PERSON", "I-PERSON", "I-PERSON"]) == [
        "B-PERSON", "O", "O"]
    assert cut(["Тұрар", "1932", "жылы", "Сталинге", "жазды"],
               ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O"])[:4] == [
        "B-PERSON", "O", "O", "B-PERSON"]
    assert cut(["Нұрмақов", "хатты", "ХКК", "мәжілісінде"],
               ["B-ORGANISATION"] + ["I-ORGANISATION"] * 3) == ["B-PERSON", "O", "B-ORGANISATION", "O"]
    assert cut(["Бектасова", "1958", "жылы", "хат", "жазды"],
               ["B-LAW", "I-LAW", "I-LAW", "I-LAW", "O"]) == ["B-PERSON", "O", "O", "O", "O"]


def test_a_compass_word_opens_a_place_not_a_person() -> None:
    from muragat.ner.domain import historical_labels

    labels = ["O", "B-PERSON", "I-PERSON", "O", "O"]
    historical_labels(["Ол", "Шығыс", "Сібірге", "жер", "аударылды"], labels)
    assert labels[1:3] == ["B-LOCATION", "I-LOCATION"]
    labels = ["B-PERSON", "I-PERSON", "I-PERSON", "O"]
    historical_labels(["Солтүстік", "Қазақстан", "облысында", "болды"], labels)
    assert labels[:3] == ["B-GPE", "I-GPE", "I-GPE"]


def test_a_name_written_alone_twice_is_known_in_its_document() -> None:
    sents = [["Атамның", "ағасы", "Сағынтай", "ұсталды", "."],
             ["Кейін", "Сағынтай", "босатылды", "."],
             ["Сағынтай", "атам", "қайтыс", "болды", "."]]
    labels = [["O", "O", "B-PERSON", "O", "O"], ["O", "B-PERSON", "O", "O"],
              ["O", "O", "O", "O", "O"]]
    document_names(sents, labels)
    assert labels[2][0] == "B-PERSON"
    once = [["Кейін", "Сағынтай", "босатылды", "."], ["Сағынтай", "атам", "келді", "."]]
    once_labels = [["O", "B-PERSON", "O", "O"], ["O", "O", "O", "O"]]
    document_names(once, once_labels)
    assert once_labels[1][0] == "O"  # found once: not enough to say so at a sentence's start


def test_a_place_of_exile_is_no_person_and_a_kin_word_introduces_a_name() -> None:
    from muragat.ner.names import drop_lowercase_people, kin_names

    labels = _after(lambda w, lab: split_people(w, lab, True),
                    ["Ол", "Воронежге", "жер", "аударылды"], ["O", "B-PERSON", "O", "O"])
    assert labels[1] == "B-GPE"
    labels = _after(lambda w, lab: split_people(w, lab, True),
                    ["Тілеубердин", "Воронежде", "ұсталды"], ["B-PERSON", "I-PERSON", "O"])
    assert labels[:2] == ["B-PERSON", "B-GPE"]
    labels = ["B-PERSON", "O", "O", "O"]
    kin_names(["Тілеубердиннің", "әйелі", "Күлпаш", "ұсталды"], labels)
    assert labels[2] == "B-PERSON"
    labels = ["B-DATE", "I-DATE", "B-PERSON", "B-PERSON", "O"]
    drop_lowercase_people(["1928", "жылдың", "күзінде", "Тілеубердин", "ұсталды"], labels)
    assert labels[2:4] == ["O", "B-PERSON"]


def test_a_position_without_a_title_word_is_none() -> None:
    from muragat.ner.names import titleless_positions

    labels = ["O", "B-PERSON", "B-POSITION", "I-POSITION", "I-POSITION", "O"]
    titleless_positions(["Естелігінде", "Мұқашев", "Қасым", "әкесінің", "сөздерін", "жазды"], labels)
    assert labels == ["O", "B-PERSON", "I-PERSON", "O", "O", "O"]
    kept = ["B-POSITION", "I-POSITION", "O"]
    titleless_positions(["аудандық", "хатшысы", "болды"], kept)
    assert kept == ["B-POSITION", "I-POSITION", "O"]


def test_a_given_name_that_reads_as_a_verb_and_an_owned_noun_in_front() -> None:
    from muragat.ner.names import _abbr

    labels = _after(lambda w, lab: split_people(w, lab, True),
                    ["орынбасары", "Тұрсын", "Ысмағұлов", "болатын"], ["O", "B-PERSON", "I-PERSON", "O"])
    assert labels[1:3] == ["B-PERSON", "I-PERSON"]
    assert not _abbr("Нұрым") and _abbr("Өлкекомның") and _abbr("Өлкекомы")
    labels = _after(lambda w, lab: split_people(w, lab, True),
                    ["Жерлестері", "Досмағамбетұлының", "атын", "ақтады"],
                    ["B-PERSON", "I-PERSON", "O", "O"])
    assert labels[:2] == ["O", "B-PERSON"]


def test_a_name_first_then_the_kin_word_it_is_called_by() -> None:
    from muragat.ner.names import kin_names

    labels = ["O", "O", "O", "O"]
    kin_names(["Қасен", "ағам", "ауылда", "қалды"], labels)
    assert labels[0] == "B-PERSON"
    labels = ["O", "O", "O"]
    kin_names(["Менің", "атам", "келді"], labels)
    assert labels[0] == "O"  # a pronoun, not a name


def test_a_known_surname_with_the_roots_harmony_and_a_name_before_an_abbreviation() -> None:
    sents = [["Жұмағали", "Тәңірбергенов", "1907", "жылы", "туған", "."],
             ["1937", "жылы", "Тәңірбергеновті", "ІІХК", "тұтқындады", "."],
             ["1938", "жылы", "Жұмағали", "НКВД", "үштігінің", "үкімімен", "атылды", "."]]
    labels = [["B-PERSON", "I-PERSON", "B-DATE", "I-DATE", "O", "O"],
              ["B-DATE", "I-DATE", "O", "B-ORGANISATION", "O", "O"],
              ["O", "O", "B-ORGANISATION", "I-ORGANISATION", "I-ORGANISATION", "O", "O", "O"]]
    document_names(sents, labels)
    assert labels[1][2] == "B-PERSON"
    assert labels[2][2:4] == ["B-PERSON", "B-ORGANISATION"]
