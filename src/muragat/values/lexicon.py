"""Vocabularies of the values layer, loaded once from data/ and inflected by rule.

Every stem (month, number word, unit, currency, year word) is expanded into its case forms
with the case suffixes of morph's morphotactics, so `қыркүйегіндегі` is found by a dict lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from muragat.morph import phonology

_DATA = resources.files("muragat.values") / "data"
# The allomorph columns of _suffix_rows (V S N Z K) by the stem-final class of
# muragat.morph.phonology: the sonorants R and L share the column S, the class T is K.
_COLUMN = {"V": 1, "R": 2, "L": 2, "N": 3, "Z": 4, "T": 5}


def _rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data file, comments (#) and blank lines skipped."""
    out = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("\t#", 1)[0].rstrip()
        if line and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


def _realize(template: str, front: bool) -> str:
    return phonology.realize(template, 1 if front else 0)


def _attach(stem: str, suffix: str) -> str:
    """Stem + suffix with final voicing before a vowel (қыркүйек + і -> қыркүйегі)."""
    return phonology.attach(stem, suffix)


# The case forms values reads, as arcs of morph's morphotactics (data/tactics.json): a name,
# the arcs whose forms are joined (`locadj` = loc + attr: қыркүйектегі), and whether only
# measure words take it (100 теңгелік, 9 проценттей; 10 жылдық is no date).
_CASES = (("dat", ("dat",), False), ("loc", ("loc",), False), ("abl", ("abl",), False),
          ("gen", ("gen",), False), ("acc", ("acc",), False), ("ins", ("ins",), False),
          ("locadj", ("loc", "attr"), False), ("adj", ("gy",), False), ("poss3", ("p3",), False),
          ("lik", ("lyq",), True), ("sim", ("sim",), True))
_AFTER_POSS3 = ("dat", "loc", "abl", "gen", "acc", "ins", "locadj")  # with the pronominal н


def _arc_form(forms: dict[str, str], key: str) -> str | None:
    """The arc's form after a stem of class `key` (V R L Z N T) or in context P3."""
    for keys, form in forms.items():
        if key in keys.split():
            return form
    return forms.get("*") if key != "P3" else None


def _joined(arcs: dict[str, dict[str, str]], names: tuple[str, ...], key: str) -> str:
    first = _arc_form(arcs[names[0]], key)
    if first is None:
        return "-"
    return first + "".join(_arc_form(arcs[n], "V") or "" for n in names[1:])


@cache
def _suffix_rows() -> tuple[list[list[str]], list[list[str]]]:
    """(name, V S N Z K templates, measure) rows and the poss3 + case rows, read from morph's
    morphotactics so that values inflects exactly as the analyzer reads."""
    from muragat.morph.tactics import tactics

    arcs: dict[str, dict[str, str]] = {}
    for arc in tactics()["arcs"]:  # the nominal arcs come first; verbs reuse some names
        if "forms" in arc:
            arcs.setdefault(arc["name"], arc["forms"])
    columns = ("V", "R", "N", "Z", "T")  # the sonorants R and L share a column
    cases = [[name, *(_joined(arcs, names, c) for c in columns), "yes" if measure else "no"]
             for name, names, measure in _CASES]
    poss = [[f"poss3_{name}", _joined(arcs, names, "P3")]
            for name, names, _ in _CASES if name in _AFTER_POSS3]
    return cases, poss


def inflect(stem: str, measure: bool = False) -> dict[str, str]:
    """All case forms of a stem: form -> case name (nom, dat, ..., poss3_locadj). With
    `measure`, also the adjectival -лық and similative -дай forms (теңгелік, мыңдай)."""
    front = phonology.is_front(stem)
    col = _COLUMN[phonology.final_class(stem)]
    cases, poss = _suffix_rows()
    forms: dict[str, str] = {stem: "nom"}
    for row in cases:
        tmpl = row[col]
        if tmpl == "-" or (row[6] == "yes" and not measure):
            continue
        form = _attach(stem, _realize(tmpl, front))
        forms.setdefault(form, row[0])
        if row[0] == "poss3":
            for prow in poss:
                forms.setdefault(form + _realize(prow[1], front), prow[0])
    return forms


def ordinal_stem(word: str, irregular: str = "") -> str:
    """бес -> бесінші, екі -> екінші (irregular ones come from numbers.tsv)."""
    if irregular:
        return irregular
    front = phonology.is_front(word)
    tmpl = "НШЫ" if phonology.final_class(word) == "V" else "ЫНШЫ"
    return _attach(word, _realize(tmpl, front))


@dataclass(frozen=True, slots=True)
class NumWord:
    value: int
    kind: str  # unit | ten | hundred | scale
    ordinal: bool
    bare: bool  # uninflected form, may stand inside a compound
    alone: bool  # may be tagged when it is the only number word


@cache
def number_words() -> dict[str, NumWord]:
    stop = set(stopforms())
    out: dict[str, NumWord] = {}
    for word, value, kind, irregular, alone in (
        r + [""] * (5 - len(r)) for r in _rows("numbers.tsv")
    ):
        for form in inflect(word, measure=True):
            ok = alone == "yes" or (alone == "inflected" and form != word)
            if form not in stop:
                out.setdefault(form, NumWord(int(value), kind, False, form == word, ok))
        ordst = ordinal_stem(word, irregular)
        for form in inflect(ordst):
            if form not in stop:
                out.setdefault(form, NumWord(int(value), kind, True, False, True))
    return out


@cache
def stopforms() -> frozenset[str]:
    return frozenset(r[0].strip() for r in _rows("stopforms.txt"))


@cache
def months() -> dict[str, int]:
    out: dict[str, int] = {}
    for num, stem, *_ in _rows("months.tsv"):
        for form in inflect(stem):
            out[form] = int(num)
    return out


@cache
def month_stems() -> dict[int, str]:
    """Month number -> its name as the dictionary writes it (`желтоқсан`)."""
    return {int(r[0]): r[1] for r in _rows("months.tsv")}


@cache
def months_alone() -> frozenset[int]:
    """Months whose name alone is a date (not қазан "cauldron", маусым "season")."""
    return frozenset(int(r[0]) for r in _rows("months.tsv") if r[3:4] != ["no"])


@cache
def year_words() -> dict[str, str]:
    """form -> kind (year, years, century, centuries, year_abbr ...)."""
    out: dict[str, str] = {}
    for stem, kind, *_ in _rows("year_words.tsv"):
        if kind.endswith("_abbr"):
            out[stem] = kind
        else:
            for form in inflect(stem):
                out.setdefault(form, kind)
    return out


@cache
def durations() -> dict[str, str]:
    """form -> ISO 8601 designator (Y, M, W, D; TH, TM = hours, minutes after a T)."""
    out: dict[str, str] = {}
    for stem, unit, extra, *_ in _rows("durations.tsv"):
        for form in [*inflect(stem), *extra.split(",")]:
            out.setdefault(form.strip(), unit)
    return out


@cache
def qualifiers() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("qualifiers.tsv")}


@dataclass(frozen=True, slots=True)
class Currency:
    old: str
    new: str
    switch_year: int
    minor: bool


@cache
def currencies() -> dict[str, Currency]:
    out: dict[str, Currency] = {}
    for stem, old, new, switch, minor, *_ in _rows("currencies.tsv"):
        cur = Currency(old, new, int(switch), minor == "yes")
        for form in inflect(stem, measure=True):
            out.setdefault(form, cur)
    return out


@cache
def units() -> dict[str, str]:
    """Single-word unit forms -> unit; abbreviations map as is."""
    out: dict[str, str] = {}
    for word, unit, kind, *_ in _rows("units.tsv"):
        if " " in word:
            continue
        if kind == "abbr":
            out[word] = unit
        else:
            for form in inflect(word, measure=True):
                out.setdefault(form, unit)
    return out


@cache
def multiword_units() -> dict[str, dict[str, str]]:
    """first word -> {inflected last word -> unit} for units like `шаршы шақырым`."""
    out: dict[str, dict[str, str]] = {}
    for word, unit, *_ in _rows("units.tsv"):
        if " " in word:
            first, last = word.split(" ", 1)
            for form in inflect(last, measure=True):
                out.setdefault(first, {})[form] = unit
    return out


@cache
def percent_words() -> frozenset[str]:
    out: set[str] = set()
    for word, *_ in _rows("percent_words.txt"):
        out.update(inflect(word, measure=True) if word.isalpha() else [word])
    return frozenset(out)


@cache
def numeral_endings() -> dict[str, str]:
    """ending -> kind (ordinal | collective | approximate), from numeral_endings.tsv."""
    return {r[0]: r[1] for r in _rows("numeral_endings.tsv")}


@cache
def ordinal_suffixes() -> frozenset[str]:
    """Endings that make a digit ordinal: 30-шы, 2-ші, 5-інші."""
    return frozenset(e for e, kind in numeral_endings().items() if kind == "ordinal")


@cache
def number_suffixes() -> frozenset[str]:
    """Endings written after a digit and a hyphen: 269-ы, 5-ке, 30-шы, 2-ден, 2-еуі, 1-інде."""
    out: set[str] = set()
    # dummy stems of every final class and both harmonies give every allomorph
    for stem in ("та", "те", "тар", "тер", "там", "тем", "таз", "тез", "так", "тек"):
        out.update(form[len(stem) :] for form in inflect(stem, measure=True))
    for suf in numeral_endings():
        stem = "т" + suf
        out.update(suf + form[len(stem) :] for form in inflect(stem))
    out.discard("")
    return frozenset(out)
