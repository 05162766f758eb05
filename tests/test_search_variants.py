"""Variant names: patronymic forms, Latin-script queries, `~` for misspelled (OCR) names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from store_helpers import add, hand_doc

from muragat.search import parse, search
from muragat.search.variants import cyrillic, patronymic_variants, within
from muragat.store import Store, open_store

# Written for these tests, in the style of the sample article.
DOCS = ("Смағұл Сәдуақасұлы 1925 жылы халық ағарту комиссары болды.",
        "Қазақстан өлкелік комитеті мәжіліс өткізді.",
        "Ғ. Тоғжаиов Ойыл ауданына комиссия жіберді.",  # OCR: и for н
        "Мағжан Жұмабайұлы өлеңдер жинағын шығарды.")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = open_store(str(tmp_path_factory.mktemp("variants") / "muragat.db"))
    for i, text in enumerate(DOCS):
        add(s, hand_doc(text), f"{i}.txt")
    yield s
    s.close()


def _first(store: Store, query: str) -> str | None:
    hits = search(store, query).hits
    return hits[0].text if hits else None


@pytest.mark.parametrize(("term", "other"), [
    ("сәдуақасов", "сәдуақасұлы"), ("сәдуақасұлы", "сәдуақасов"),
    ("жұмабаев", "жұмабайұлы"), ("жұмабайұлы", "жұмабаев"), ("сәдуақасова", "сәдуақасқызы"),
])
def test_patronymic_pairs_go_both_ways(term: str, other: str) -> None:
    assert other in patronymic_variants(term)
    assert patronymic_variants("ов") == []


def test_a_surname_finds_its_patronymic_form(store: Store) -> None:
    assert _first(store, "Сәдуақасов") == DOCS[0]
    assert _first(store, "Жұмабаев") == DOCS[3]
    lowercase = parse("комиссаров").clauses[0]  # only a name gets its patronymic forms
    assert ("комиссарұлы",) not in lowercase.variants


def test_a_latin_script_query_finds_cyrillic_text(store: Store) -> None:
    assert cyrillic("Sädwaqasūly") == "Сәдуақасұлы"
    assert cyrillic("Ойыл") is None and cyrillic("1925") is None
    assert _first(store, "Sädwaqasūly") == DOCS[0]
    assert _first(store, "Qazaqstan") == DOCS[1]  # plain ASCII, read as latin2018


def test_tilde_finds_a_misspelled_name(store: Store) -> None:
    assert within("тоғжанов", "тоғжаиов", 1) and not within("тоғжанов", "дулатов", 2)
    assert search(store, "Тоғжанов", prefix=False).total == 0
    assert _first(store, "~Тоғжанов") == DOCS[2]
    assert "тоғжаиов" in store.similar_forms("Тоғжанов")
