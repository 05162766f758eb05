"""Base forms of entity spans: the morphology layer's lemma of the last word.

`Тоғжановтың` -> `Тоғжанов`. In a multi-word name whose last word carries the 3rd-person
possessive (`Ойыл ауданындағы`, `өлкелік комитетінің`), the possessive belongs to the name and
stays: `Ойыл ауданы`, `өлкелік комитеті` — unless the word before is genitive
(`Ойылдың ауданы` is not a name). The endings live in data/lemma.json.
"""

from __future__ import annotations

import json
from functools import cache

from muragat.morph import phonology
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
    """The 3rd-person possessive of a noun stem by vowel harmony, as morph's `p3` arc writes
    it: аудан -> ауданы, қала -> қаласы (a base form keeps its stem's spelling unvoiced)."""
    from muragat.morph.tactics import tactics

    forms = next(a["forms"] for a in tactics()["arcs"] if a["name"] == "p3")
    cls = phonology.final_class(stem) if stem else "T"
    form = next((f for keys, f in forms.items() if cls in keys.split()), forms["*"])
    return stem + phonology.realize(form, 1 if phonology.is_front(stem) else 0)


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


_CASES = frozenset({"gen", "acc", "dat", "loc", "abl", "ins"})  # tactics.json arc names


@cache
def case_endings() -> frozenset[str]:
    """The case endings a word may carry, after a 3rd-person possessive too (`ның`, `ына`,
    `сындағы`), as morph's morphotactics realize them; single letters (the `н` of
    `комитетін`) would cut far too many stems."""
    from muragat.morph.tactics import noun_endings

    found = noun_endings(_CASES | {"p3", "attr"}, _CASES, after_possessive=True)
    return frozenset(e for e in found if len(e) >= 2)


@cache
def genitive_endings() -> tuple[str, ...]:
    from muragat.morph.tactics import noun_endings

    return tuple(sorted(noun_endings(frozenset({"gen"}))))


@cache
def _name_cuts() -> frozenset[str]:
    """Endings a name may carry: case and 3rd-person possessive."""
    from muragat.morph.tactics import noun_endings

    return case_endings() | noun_endings(frozenset({"p3"}))


def _case_cut(word: str) -> str:
    """The word without its longest case ending (`басқарманың` -> `басқарма`), or whole."""
    low = word.lower()
    for end in sorted(_name_cuts(), key=len, reverse=True):
        if low.endswith(end) and len(low) - len(end) >= 3:
            return word[: len(word) - len(end)]
    return word


def _keep_name_ending(word: str, lem: str, head: bool = False) -> str:
    """A capitalized word's lemma never cuts into a patronymic or a woman's surname ending,
    and is cut only by a case or possessive ending (`Айша` is no `Ай` + equative); so is the
    head noun of a longer name (`саяси басқарманың` -> `басқарма`, not the verb `басқар`)."""
    low = word.lower()
    if not (word[:1].isupper() or head) or not low.startswith(lem.lower()):
        return lem
    cut = low[len(lem):].lstrip("-")
    if cut[:2] in ("сы", "сі") and lem and lem[-1].lower() not in phonology.vowels():
        return word  # the possessive is -сы only after a vowel: `Тұрсын` is no `Тұр` + `сын`
    if cut and cut not in _name_cuts() and not cut.startswith(("лар", "лер", "дар", "дер", "тар", "тер")):
        return word if word[:1].isupper() else _case_cut(word)
    for end in _rules()["name_endings"]:
        at = low.rfind(end, 0, len(lem) + len(end))
        if at >= 3 and len(lem) < at + len(end) <= len(low) and at + len(end) > len(lem):
            return word[: at + len(end)]
    return lem


def base_form(words: list[str]) -> str:
    """Base form of an entity given its words; words before the last stay as written."""
    if not words:
        return ""
    last = words[-1]
    if last.lower() in _known_names():
        return last
    # `БК(б)П-ның` -> `БК(б)П`: the hyphen joined the ending, not the name
    lem = _keep_name_ending(last, _keep_case(last, _morph_lemma(last)).rstrip("-") or last,
                            head=len(words) > 1)
    if len(words) > 1:
        poss = possessive3(lem)
        first_gen = words[0].lower().endswith(genitive_endings())
        if not first_gen and last.lower().startswith(poss.lower()) and lem.lower() != last.lower():
            lem = last[: len(poss)]
    return lem

