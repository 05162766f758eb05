"""Index terms and mention keys: what the store indexes and what search and entity
consolidation compare. A leaf module, so that the store and search share it without importing
each other."""

from __future__ import annotations

import functools
import os
import re
from importlib import resources

WORD = re.compile(r"[^\W_]+")
PERSON = "PERSON"
_MIN_SURNAME = 4  # `Ов`, `Ин` are no surnames


def terms(text: str) -> list[str]:
    """Lowercased letter/digit runs: the unit of every index and every query."""
    return WORD.findall(text.lower())


@functools.cache
def _surname_endings() -> tuple[str, ...]:
    # read by path from the package root: importing muragat.search from this leaf would loop
    raw = resources.files("muragat").joinpath("search/data/surname_endings.txt").read_text("utf-8")
    return tuple(ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#"))


def is_surname(word: str) -> bool:
    """Whether a lower-case word has a surname's shape (`сәдуақасұлы`, `голощекин`)."""
    return len(word) >= _MIN_SURNAME and word.endswith(_surname_endings())


def _surname_at(words: list[str]) -> int:
    """Index of a person's surname among the name's words: the last full word, unless only an
    earlier word has a surname's shape (`рысқұлов тұрар`, `голощекин ф и`)."""
    full = [i for i, w in enumerate(words) if len(w) > 1] or list(range(len(words)))
    last = full[-1]
    if is_surname(words[last]):
        return last
    shaped = [i for i in full if is_surname(words[i])]
    return shaped[-1] if shaped else last


def mention_key(label: str, name: str) -> str:
    """What mentions of one entity share: a person's surname, else the whole base form."""
    words = terms(name)
    if not words:
        return ""
    if label == PERSON:
        return words[_surname_at(words)]
    return " ".join(words)


def given_name(label: str, name: str) -> str | None:
    """A person's first name written in full (`Смағұл Сәдуақасов`, `Рысқұлов Тұрар` ->
    `смағұл`, `тұрар`); None for an initial or a name of one word."""
    words = terms(name)
    if label != PERSON or len(words) < 2:
        return None
    at = _surname_at(words)
    rest = [w for i, w in enumerate(words) if i != at]
    return rest[0] if rest and len(rest[0]) > 1 else None


def initial(label: str, name: str) -> str | None:
    """First letter of a person's first name (`Ғ. Тоғжанов`, `Ғаббас Тоғжанов`,
    `Тоғжанов Ғаббас` -> `ғ`)."""
    words = terms(name)
    if label != PERSON or len(words) < 2:
        return None
    at = _surname_at(words)
    rest = [w for i, w in enumerate(words) if i != at]
    return rest[0][0] if rest else None


@functools.cache
def _patronymic_rows() -> tuple[tuple[str, str, str], ...]:
    """(russified, Kazakh, kept) surname endings of search/data/patronymics.tsv, longest first."""
    raw = resources.files("muragat").joinpath("search/data/patronymics.tsv").read_text("utf-8")
    rows = [[x.strip() for x in ln.split("\t")] for ln in raw.splitlines()
            if ln.strip() and not ln.startswith("#")]
    # the letters both forms keep: given, else what the two endings begin with (`а` of `аев`/`айұлы`)
    full = [(r[0], r[1], r[2] if len(r) > 2 else os.path.commonprefix(r[:2])) for r in rows]
    return tuple(sorted(full, key=lambda p: -max(len(p[0]), len(p[1]))))


def surname_stem(term: str) -> str:
    """One spelling of a surname term for both its patronymic forms, a woman's apart from a
    man's: `сәдуақасов`, `сәдуақасұлы` -> `сәдуақас`; `мұстанбаев`, `мұстанбайұлы` ->
    `мұстанба`; `тоқтарова`, `тоқтарқызы` -> `тоқтар♀`. A term without such an ending is
    its own stem (`голощекин`)."""
    for soviet, kazakh, shared in _patronymic_rows():
        for ending in (kazakh, soviet):
            stem = term[: len(term) - len(ending)]
            if term.endswith(ending) and len(stem) >= 3:
                return stem + shared + ("♀" if kazakh.endswith("қызы") else "")
    return term
