"""Kazakh phonology is defined once (issue 22): src/muragat/morph/data/phonology.json, read by
muragat.morph.phonology. Every other file of src/ and scripts/ (code and data) is searched for a
second definition — a vowel set, a harmony class, a voicing map — and the test fails on one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from muragat.morph import phonology
from muragat.morph.tactics import char_class, harmony_of
from muragat.values.lexicon import inflect, ordinal_stem

ROOT = Path(__file__).resolve().parents[1]
OWNERS = {ROOT / "src/muragat/morph/phonology.py", ROOT / "src/muragat/morph/data/phonology.json"}
TEXT_SUFFIXES = (".py", ".json", ".tsv", ".txt")

_CYR = "а-яёәіңғүұқөһА-ЯЁӘІҢҒҮҰҚӨҺ"
_V = "аәеёиоөұүуыіэюяАӘЕЁИОӨҰҮУЫІЭЮЯ"
# a whole "word" made of vowel letters only (a set written as a string or a regex class); one
# in capitals only is an abbreviation of a gazetteer (ЕАЭО), not a set
VOWEL_RUN = re.compile(f"(?<![{_CYR}])[{_V}]{{4,}}(?![{_CYR}])")
# a quoted key that names a phonological class
CLASS_KEY = re.compile(r"""["'](?:voic\w*|devoic\w*|archi\w*|harmony(?:_class(?:es)?)?|"""
                       r"""final_class\w*)["']\s*:""")
# a key for a set of vowel letters, unless its value is a string without Cyrillic: the letter
# lists of the other alphabets in text/data/scripts/alphabets.json (Latin 2018's letters that
# choose between ı and i, with ý counted back on purpose; the Arabic letters that mark a front
# word) are those scripts' spelling, read by the transliterator, not Kazakh phonology
SIDE_KEY = re.compile(rf"""["'](?:(?:back|front)(?:_vowels)?|vowels)["']\s*:"""
                      rf"""(?!\s*["'][^"'\n{_CYR}]*["'])""")
# one voicing pair: "к": "г", 'б': 'п' ...
VOICING_PAIR = re.compile(r"""["']([кқпбгғ])["']\s*:\s*["']([кқпбгғ])["']""")
# a module-level name for a class: VOWELS = ..., FRONT_VOWELS: set = ..., DEVOICE = {...}
CLASS_NAME = re.compile(r"^\s*((?:[A-Z0-9]+_)*(?:VOWELS?|FRONT|BACK|DEVOICE|VOICE|VOICING|"
                        r"ALTERN|HARMONY)(?:_[A-Z0-9]+)*)\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)


def findings(path: Path) -> list[str]:
    """Second definitions of phonology in one file: 'path:line: what'."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    out: list[str] = []

    def hit(pos: int, what: str) -> None:
        out.append(f"{path}:{text.count(chr(10), 0, pos) + 1}: {what}")

    for m in VOWEL_RUN.finditer(text):
        if len(set(m.group().lower())) >= 4 and not m.group().isupper():
            hit(m.start(), f"vowel set {m.group()!r}")
    for m in [*CLASS_KEY.finditer(text), *SIDE_KEY.finditer(text)]:
        hit(m.start(), f"class key {m.group()!r}")
    for m in VOICING_PAIR.finditer(text):
        if m.group(1) != m.group(2):
            hit(m.start(), f"voicing pair {m.group()!r}")
    if path.suffix == ".py":
        for m in CLASS_NAME.finditer(text):
            hit(m.start(), f"class name {m.group(1)}")
    return out


def tree_findings(roots: list[Path]) -> list[str]:
    out: list[str] = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in TEXT_SUFFIXES and path.is_file() and path not in OWNERS:
                out.extend(findings(path))
    return out


def test_no_second_definition_in_src_or_scripts() -> None:
    found = tree_findings([ROOT / "src", ROOT / "scripts"])
    assert found == [], "phonology defined outside muragat.morph.phonology:\n" + "\n".join(found)


@pytest.mark.parametrize("planted", [
    'VOWELS = frozenset("аәеоөұүыіэяёюиу")\n',
    'FRONT = set("әеөүіэ")\n',
    'DEVOICE = {"б": "п"}\n',
    'ALTERN = dict(b="p")\n',
    'ok = word[-1] in "аоұы"\n',
    'PATTERN = re.compile("[аәеоөұүыі]$")\n',
    '{"back_vowels": "аоұыя"}\n',
    '{"front": "хм", "poss3": {}}\n',
    '{"harmony": {"а": 0}}\n',
    '{"front_vowels": {"ә": 1}}\n',
    'm = {"қ": "ғ"}\n',
    '{"voicing_before_vowel": {}}\n',
])
def test_the_checker_catches_a_planted_copy(tmp_path: Path, planted: str) -> None:
    pkg = tmp_path / "src" / "layer"
    pkg.mkdir(parents=True)
    (pkg / "copy.py").write_text(planted, encoding="utf-8")
    (pkg / "copy.json").write_text(planted, encoding="utf-8")
    found = tree_findings([tmp_path / "src"])
    assert found, planted
    assert all(str(pkg) in f for f in found)


def test_the_checker_passes_ordinary_kazakh(tmp_path: Path) -> None:
    clean = ('WORDS = ("аудан", "қыркүйек", "ауа", "оқиға")\n'
             'BACKUP = 2\nif x == "ы" or y in "уй":\n    pass\n'
             '{"genitive": ["ның", "нің"], "poss3": {"back_vowel": "сы"}}\n'
             '{"front_vowels": "áeóúi", "front": "ٴءٵ"}\n')
    (tmp_path / "clean.py").write_text(clean, encoding="utf-8")
    assert tree_findings([tmp_path]) == []


def test_harmony_by_kazakh_orthography() -> None:
    assert phonology.harmony("кітап") == (0,) and phonology.harmony("мектеп") == (1,)
    assert phonology.harmony("оқу") == (0, 1)  # у writes ұу or үу
    assert phonology.harmony("Сәтбаев") == (0, 1)  # a mixed е after a back vowel
    assert phonology.harmony("аяқ") == (0,) and phonology.harmony("поэт") == (1,)
    assert phonology.is_front("процент") and not phonology.is_front("тиын")
    assert phonology.vowels() == frozenset("аәеёиоөұүуыіэюя")


def test_classes_voicing_and_suffixes() -> None:
    assert [phonology.final_class(w) for w in ("қала", "оқу", "ел", "сөз", "мың", "кітап",
                                               "клуб", "")] == list("VRLZNTTT")
    assert phonology.voice("қ") == "ғ" and phonology.devoice("б") == "п"
    assert phonology.voice("т") == "т"
    assert phonology.realize("дЫК", 1) == "дік" and phonology.realize("ДАГЫ", 0) == "дағы"
    assert phonology.attach("қыркүйек", "і") == "қыркүйегі"
    assert phonology.attach("кітап", "тар") == "кітаптар"


def test_every_layer_reads_the_same_classes() -> None:
    # morph's suffix classes and harmony are phonology's
    assert char_class() == phonology.final_classes()
    assert harmony_of("сүю") == phonology.harmony("сүю") == (0, 1)
    # values inflect with them: a voiced stop takes the voiceless allomorphs (клуб-тың)
    forms = inflect("клуб")
    assert forms["клубтың"] == "gen" and "клубдың" not in forms
    assert inflect("қыркүйек")["қыркүйегіндегі"] == "poss3_locadj"
    assert ordinal_stem("бес") == "бесінші" and ordinal_stem("алты") == "алтыншы"


def test_ner_possessive_uses_the_final_class() -> None:
    from muragat.ner.lemma import possessive3

    assert possessive3("аудан") == "ауданы" and possessive3("қала") == "қаласы"
    assert possessive3("өлке") == "өлкесі" and possessive3("комитет") == "комитеті"
    assert possessive3("су") == "суы"  # у ends like a consonant
