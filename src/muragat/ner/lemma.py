"""Base forms of entity spans: the morphology layer's lemma of the last word.

`Тоғжановтың` -> `Тоғжанов`. In a multi-word name whose last word carries the 3rd-person
possessive (`Ойыл ауданындағы`, `өлкелік комитетінің`), the possessive belongs to the name and
stays: `Ойыл ауданы`, `өлкелік комитеті` — unless the word before is genitive
(`Ойылдың ауданы` is not a name). The endings live in data/lemma.json.
"""

from __future__ import annotations

import json
from functools import cache

from muragat.ner.features import DATA


@cache
def _rules() -> dict:
    return json.loads((DATA / "lemma.json").read_text(encoding="utf-8"))


def _morph_lemma(word: str) -> str:
    # morphology is part of the package and never raises on a string (property-tested in
    # tests/test_morph_analyzer.py): a failure here is a bug to see, not to hide
    from muragat.morph import lemma

    return lemma(word) or word


def possessive3(stem: str) -> str:
    """The 3rd-person possessive of a noun stem by vowel harmony: аудан -> ауданы, қала -> қаласы."""
    r = _rules()
    low = stem.lower()
    vowels = [c for c in low if c in r["back_vowels"] or c in r["front_vowels"]]
    front = bool(vowels) and vowels[-1] in r["front_vowels"]
    ends_vowel = bool(low) and (low[-1] in r["back_vowels"] or low[-1] in r["front_vowels"])
    key = ("front" if front else "back") + ("_vowel" if ends_vowel else "_consonant")
    return stem + r["poss3"][key]


def _keep_case(surface: str, lemma: str) -> str:
    """The lemma written with the surface's letters where they agree (keeps capitals)."""
    if surface.lower().startswith(lemma.lower()):
        return surface[: len(lemma)]
    return lemma


@cache
def _known_names() -> frozenset[str]:
    """Place names of the gazetteer, lower-cased: their last syllable may look like a case
    ending (`Қызылорда` is not a locative), so a listed name is its own base form."""
    from muragat.ner.features import lexicon

    return lexicon().gaz["gpe"]


def base_form(words: list[str]) -> str:
    """Base form of an entity given its words; words before the last stay as written."""
    if not words:
        return ""
    last = words[-1]
    if last.lower() in _known_names():
        return last
    # `БК(б)П-ның` -> `БК(б)П`: the hyphen joined the ending, not the name
    lem = _keep_case(last, _morph_lemma(last)).rstrip("-") or last
    if len(words) > 1:
        poss = possessive3(lem)
        first_gen = words[0].lower().endswith(tuple(_rules()["genitive"]))
        if not first_gen and last.lower().startswith(poss.lower()) and lem.lower() != last.lower():
            lem = last[: len(poss)]
    return lem

