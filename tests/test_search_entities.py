"""Entity consolidation as a pure function over grouped mentions."""

from __future__ import annotations

from muragat.search.entities import MentionGroup, consolidate, fold
from muragat.terms import mention_key


def _g(label: str, name: str, doc: int = 1, n: int = 1) -> MentionGroup:
    return MentionGroup(label, mention_key(label, name), name, doc, n)


def test_initials_full_names_and_inflections_are_one_person() -> None:
    found = consolidate([_g("PERSON", "Ғ. Тоғжанов"), _g("PERSON", "Ғаббас Тоғжанов", 2),
                         _g("PERSON", "Тоғжановтың", 3, 2)])
    assert len(found) == 1
    person = found[0]
    assert (person.name, person.mentions, person.documents) == ("Ғаббас Тоғжанов", 4, 3)


def test_two_first_names_stay_two_people_and_a_bare_surname_stays_apart() -> None:
    found = consolidate([_g("PERSON", "Міржақып Дулатов"), _g("PERSON", "Асқар Дулатов"),
                         _g("PERSON", "Дулатов")])
    assert sorted(e.name for e in found) == ["Асқар Дулатов", "Дулатов", "Міржақып Дулатов"]


def test_places_fold_case_endings_but_types_stay_apart() -> None:
    found = consolidate([_g("LOCATION", "Ойыл ауданы"), _g("LOCATION", "Ойыл ауданының"),
                         _g("ORGANISATION", "Ойыл ауданы")])
    by_type = {e.label: e for e in found}
    assert by_type["LOCATION"].mentions == 2
    assert by_type["ORGANISATION"].mentions == 1


def test_fold_needs_a_known_root_and_a_real_ending() -> None:
    assert fold("тоғжановтың", {"тоғжанов"}) == "тоғжанов"
    assert fold("тоғжановтың", set()) == "тоғжановтың"
    assert fold("қаратай", {"қара"}) == "қаратай"  # `тай` is no ending
    assert mention_key("PERSON", "С. Нұрпейісов") == "нұрпейісов"


def test_a_russian_place_name_with_a_kazakh_vowel_is_its_old_name() -> None:
    found = consolidate([_g("GPE", "Орал"), _g("GPE", "Уральскі", 2), _g("GPE", "Жаркент"),
                         _g("GPE", "Панфилов", 3)])
    assert sorted(sorted(e.names) for e in found) == [["Жаркент", "Панфилов"], ["Орал", "Уральскі"]]


def test_the_komsomols_krai_committee_is_not_the_partys() -> None:
    found = consolidate([_g("ORGANISATION", "БК(б)П Қазақ өлкелік комитеті"),
                         _g("ORGANISATION", "Өлкеком"),
                         _g("ORGANISATION", "БЛКЖО Қазақ өлкелік комитеті")])
    komsomol = next(e for e in found if "БЛКЖО Қазақ өлкелік комитеті" in e.names)
    assert "Өлкеком" not in komsomol.names and len(komsomol.names) == 1
