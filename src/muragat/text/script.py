"""Kazakh written in Latin (2017, 2018, 2021, Jaŋalif) or Arabic script, read as Cyrillic.

The analysers (morphology, NER, search) know Kazakh Cyrillic only. ``detect`` names the script of
a whole text in one cheap pass; ``to_cyrillic`` converts a word or a text. The text layer uses
both to fill ``Token.norm`` with the Cyrillic form, so ``Document.text`` and every offset stay
those of the original. All letter tables live in ``data/scripts/`` (one tsv per alphabet, and
``alphabets.json``); the code here only runs them.

    detect("Toğjanov 1929 jyly komissiiany basqardy.")   # 'latin2021'
    to_cyrillic("Toğjanovtyñ", "latin2021")              # 'Тоғжановтың'
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from muragat.model import Token

SCRIPTS: tuple[str, ...] = (
    "cyrillic", "latin2021", "latin2018", "latin2017", "janalif", "arabic", "other",
)
# Scripts whose words the text layer converts (``doc.meta["script"]`` is set to one of them).
CONVERTIBLE: frozenset[str] = frozenset({"latin2021", "latin2018", "latin2017", "janalif", "arabic"})
# Tie order when two Latin alphabets show the same number of their own letters.
_LATIN_ORDER = ("latin2021", "latin2018", "latin2017", "janalif")

# Letters of the other scripts (and apostrophes, combining accents: 2017 and decomposed á).
_FOREIGN = re.compile(
    "[A-Za-z\u00c0-\u024f\u0250-\u02af\u1e00-\u1eff\ua720-\ua7ff"
    "\u0600-\u06ff\u0750-\u077f'’ʼ\u0300-\u036f]+"
)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile("[\u0400-\u04ff\u0500-\u052f]")
_CYRILLIC_RUN = re.compile("[\u0400-\u04ff\u0500-\u052f]+")
# A word to convert: letters, combining marks and the apostrophes of the 2017 alphabet.
_WORD = re.compile("(?:[^\\W\\d_]|[\u0300-\u036f'’ʼ])+")
_APOSTROPHES = "'’ʼ"


@dataclass(frozen=True, slots=True)
class Rule:
    back: str
    front: str  # the target in a front-vowel word (Arabic harmony); else the same as back
    context: str  # any | vowel | start_vowel | consonant


@dataclass(frozen=True, slots=True)
class Alphabet:
    name: str
    rules: dict[str, tuple[Rule, ...]]
    lengths: tuple[int, ...]  # source lengths in the table, longest first
    lower: dict[str, str]
    harmony_lower: dict[str, tuple[str, str]]
    front_vowels: frozenset[str]
    back_vowels: frozenset[str]
    front: frozenset[str]
    chars: dict[int, str]
    markers: re.Pattern[str] | None


def _data(name: str) -> str:
    path = resources.files("muragat.text").joinpath("data", "scripts", name)
    return path.read_text(encoding="utf-8")


def _table(name: str) -> dict[str, tuple[Rule, ...]]:
    rules: dict[str, list[Rule]] = {}
    for line in _data(name).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        src, target, context = line.split("\t")[:3]
        if context not in {"any", "vowel", "start_vowel", "consonant"}:
            raise ValueError(f"{name}: unknown context {context!r} for {src!r}")
        target = "" if target == '""' else target
        back, _, front = target.partition("|")
        rules.setdefault(src, []).append(Rule(back, front or back, context))
    return {k: tuple(v) for k, v in rules.items()}


@cache
def alphabets() -> dict[str, Alphabet]:
    """Every convertible alphabet, loaded once from ``data/scripts``."""
    spec = json.loads(_data("alphabets.json"))
    out: dict[str, Alphabet] = {}
    for name, s in spec.items():
        if name.startswith("_"):
            continue
        rules = _table(s["table"])
        markers = s.get("markers_regex") or (
            "[" + re.escape("".join(s["markers"])) + "]" if s.get("markers") else None
        )
        out[name] = Alphabet(
            name=name,
            rules=rules,
            lengths=tuple(sorted({len(k) for k in rules}, reverse=True)),
            lower=s.get("lower", {}),
            harmony_lower={k: (v[0], v[1]) for k, v in s.get("harmony_lower", {}).items()},
            front_vowels=frozenset(s.get("front_vowels", "")),
            back_vowels=frozenset(s.get("back_vowels", "")),
            front=frozenset(s.get("front", "")),
            chars=str.maketrans(s.get("chars", {})),
            markers=re.compile(markers) if markers else None,
        )
    return out


# -- detection -------------------------------------------------------------------------------


def detect(text: str) -> str:
    """The script of ``text`` as a whole: one of ``SCRIPTS``.

    One regex pass collects the runs of non-Cyrillic letters; a Cyrillic document has few, so
    everything after that works on a short string. Cyrillic letters are counted only when the
    foreign letters make up a tenth of the text or more. The majority letter system wins; among
    Latin alphabets the one with most letters of its own (ä ğ ñ…, á ǵ ń…, a' g' n'…, ə ƣ ꞑ…);
    Latin or Arabic text without any Kazakh-specific letter is not converted: "cyrillic" when the
    text has Cyrillic letters at all (English words in a Kazakh article), else "other".
    """
    return _detect_cached(text)


@lru_cache(maxsize=2)  # the tokenizer and annotate() ask about the same text one after another
def _detect_cached(text: str) -> str:
    runs = _FOREIGN.findall(text)
    if not runs:
        return "cyrillic" if _CYRILLIC.search(text) else "other"
    foreign = unicodedata.normalize("NFC", " ".join(runs))
    n_foreign = len(_LETTER.findall(foreign))
    if n_foreign * 10 < len(text):  # English words or names in a Cyrillic text
        return "cyrillic" if _CYRILLIC.search(text) else "other"
    n_cyrillic = sum(map(len, _CYRILLIC_RUN.findall(text)))
    if n_cyrillic >= n_foreign:
        return "cyrillic"
    table = alphabets()
    n_arabic = len(_ARABIC.findall(foreign))
    if n_arabic * 2 > n_foreign:
        pattern = table["arabic"].markers
        if pattern and pattern.search(foreign):
            return "arabic"
        return "cyrillic" if n_cyrillic else "other"
    counts = {
        name: len(table[name].markers.findall(foreign))  # type: ignore[union-attr]
        for name in _LATIN_ORDER
    }
    best = max(_LATIN_ORDER, key=lambda name: counts[name])  # max keeps the first of a tie
    if counts[best]:
        return best
    # English (or any non-Kazakh Latin) outnumbering the Cyrillic words of a short text
    return "cyrillic" if n_cyrillic else "other"


# -- conversion ------------------------------------------------------------------------------


def _lower(word: str, ab: Alphabet) -> str:
    """Lower case by the alphabet's own pairs (2021: I -> ı, İ -> i; not Python's I -> i)."""
    if ab.harmony_lower and any(c in ab.harmony_lower for c in word):
        plain = "".join(c for c in word if c not in ab.harmony_lower).lower()
        front = sum(c in ab.front_vowels for c in plain)
        back = sum(c in ab.back_vowels for c in plain)
        pick = 0 if back > front else 1  # loans mix vowels: the majority decides, a tie is front
        word = "".join(ab.harmony_lower[c][pick] if c in ab.harmony_lower else c for c in word)
    if ab.lower:
        word = "".join(ab.lower.get(c, c) for c in word)
    return word.lower()


@cache
def _vowels() -> frozenset[str]:
    """The Cyrillic vowels of muragat.morph.phonology (the converter writes lower case)."""
    from muragat.morph import phonology  # imported when a non-Cyrillic text needs it

    return phonology.vowels()


def _matches(context: str, prev: str | None) -> bool:
    if context == "any":
        return True
    after_vowel = prev is not None and prev in _vowels()
    if context == "vowel":
        return after_vowel
    if context == "start_vowel":
        return prev is None or after_vowel
    return prev is not None and not after_vowel  # consonant


def _convert_lower(word: str, ab: Alphabet) -> str:
    """Longest match at each position; of a source's rules the first whose context fits."""
    front = bool(ab.front) and any(c in ab.front for c in word)
    out: list[str] = []
    prev: str | None = None
    i, n = 0, len(word)
    while i < n:
        for size in ab.lengths:
            rules = ab.rules.get(word[i : i + size]) if i + size <= n else None
            rule = next((r for r in rules if _matches(r.context, prev)), None) if rules else None
            if rule is not None:
                piece = rule.front if front else rule.back
                i += size
                break
        else:
            piece = word[i]  # not in the alphabet: kept as written
            i += 1
        if piece:
            out.append(piece)
            prev = piece[-1]
    return "".join(out)


def _recase(source: str, converted: str) -> str:
    """Case of the source word: all capitals (two letters or more) or a first capital."""
    if not converted:
        return converted
    cased = [c for c in source if c.isalpha() and (c.isupper() or c.islower())]
    if len(cased) > 1 and all(c.isupper() for c in cased):
        return converted.upper()
    if cased and source.lstrip(_APOSTROPHES)[:1].isupper():
        return converted[0].upper() + converted[1:]
    return converted


@lru_cache(maxsize=1 << 16)
def convert_word(word: str, script: str) -> str:
    """One word (letters and apostrophes only) from ``script`` to Cyrillic, case kept."""
    ab = alphabets()[script]
    return _recase(word, _convert_lower(_lower(word, ab), ab))


def to_cyrillic(word_or_text: str, script: str | None = None) -> str:
    """Kazakh in ``script`` (detected when None) as Kazakh Cyrillic; other characters stay.

    Cyrillic and unknown scripts come back unchanged. The result may differ in length from the
    input (``sh`` -> ``ш``, ``ia`` after a consonant -> ``ия``); use it for analysis, never for
    offsets. Never raises on any string.
    """
    if not word_or_text:
        return word_or_text
    if script is None:
        script = detect(word_or_text)
    if script not in CONVERTIBLE:
        return word_or_text
    ab = alphabets()[script]
    text = unicodedata.normalize("NFC", word_or_text)
    out = _WORD.sub(lambda m: convert_word(m.group(), script), text)
    return out.translate(ab.chars) if ab.chars else out


# -- tokens ----------------------------------------------------------------------------------


def convert_tokens(text: str, tokens: list[Token], script: str) -> list[Token]:
    """Cyrillic ``norm`` for every token of a document written in ``script``.

    In the 2017 alphabet a word-final apostrophe is part of the letter (``qazaqtyn'`` ->
    ``қазақтың``), while the tokenizer cuts it off as punctuation: such an apostrophe token is
    merged into the word before it (offsets still cover the original characters).
    """
    if script == "latin2017":
        tokens = _merge_apostrophes(text, tokens)
    for tok in tokens:
        tok.norm = _token_norm(text[tok.start : tok.end], script)
    return tokens


@lru_cache(maxsize=1 << 16)
def _token_norm(raw: str, script: str) -> str:
    from muragat.text.normalizer import normalize  # the normalizer does not depend on us

    return normalize(to_cyrillic(raw, script)) or raw


def _merge_apostrophes(text: str, tokens: list[Token]) -> list[Token]:
    bases = "agnouiscyAGNOUISCY"
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if (
            prev is not None
            and tok.end - tok.start == 1
            and text[tok.start] in _APOSTROPHES
            and prev.end == tok.start
            and text[prev.end - 1] in bases
        ):
            prev.end = tok.end
            continue
        out.append(tok)
    return out
