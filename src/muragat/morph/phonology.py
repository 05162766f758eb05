"""Kazakh phonology, defined once: vowel harmony, stem-final classes, voicing, archiphonemes.

Everything comes from data/phonology.json (its _doc says why у/ю/и/я/э/ё fall where they do).
Every layer that inflects or lemmatizes by rule asks this module, so the classes cannot drift
apart again (tests/test_phonology_single.py fails on a second definition anywhere in src/ or
scripts/). A leaf module: it imports nothing of muragat.

    harmony("кітап") == (0,)        # 0 back, 1 front; (0, 1) when the stem allows both
    final_class("кітап") == "T"     # picks the suffix allomorph (V R L Z N T)
    voice("п") == "б"; devoice("б") == "п"
    realize("дЫК", 1) == "дік"
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

BACK, FRONT = 0, 1
_HARMONY = {"back": (BACK,), "front": (FRONT,), "both": (BACK, FRONT)}


@cache
def _data() -> dict[str, Any]:
    raw = resources.files("muragat.morph").joinpath("data/phonology.json").read_text("utf-8")
    return json.loads(raw)  # type: ignore[no-any-return]


@cache
def vowel_harmony() -> dict[str, tuple[int, ...]]:
    """Vowel letter -> the harmony classes it allows."""
    return {ch: _HARMONY[cls] for ch, cls in _data()["vowels"].items() if ch != "_doc"}


@cache
def vowels() -> frozenset[str]:
    """All vowel letters (lower case)."""
    return frozenset(vowel_harmony())


@cache
def back_vowels() -> frozenset[str]:
    return frozenset(ch for ch, h in vowel_harmony().items() if h == (BACK,))


@cache
def front_vowels() -> frozenset[str]:
    return frozenset(ch for ch, h in vowel_harmony().items() if h == (FRONT,))


@cache
def _mixed_front() -> frozenset[str]:
    return frozenset(_data()["mixed_front"]["letters"])


def is_vowel(ch: str) -> bool:
    return ch in vowels()


def harmony(stem: str) -> tuple[int, ...]:
    """Harmony classes a stem allows: its last vowel decides; у/ю/и allow both, and so does
    a mixed-harmony е after a back vowel (Сәтбаев-тың, Әлиев-ке)."""
    vh = vowel_harmony()
    low = stem.lower()
    for i in range(len(low) - 1, -1, -1):
        h = vh.get(low[i])
        if h is None:
            continue
        if h == (FRONT,) and low[i] in _mixed_front() and any(c in back_vowels()
                                                              for c in low[:i]):
            return (BACK, FRONT)
        return h
    return (BACK, FRONT)


def is_front(stem: str) -> bool:
    """One harmony for a stem that must get one suffix: its last back or front vowel decides
    (у/ю/и are skipped, a mixed е counts as front); no such vowel: back."""
    vh = vowel_harmony()
    for ch in reversed(stem.lower()):
        h = vh.get(ch)
        if h == (FRONT,):
            return True
        if h == (BACK,):
            return False
    return False


def has_front_vowel(stem: str) -> bool:
    """Any front vowel in the stem (the lexicon builder's choice of a verb stem's ы/і)."""
    return any(ch in front_vowels() for ch in stem)


@cache
def final_classes() -> dict[str, str]:
    """Letter -> stem-final class (V R L Z N T)."""
    out: dict[str, str] = {}
    for cls, chars in _data()["final_classes"].items():
        if cls not in ("_doc", "default"):
            for ch in chars:
                out[ch] = cls
    return out


def class_names() -> tuple[str, ...]:
    return tuple(c for c in _data()["final_classes"] if c not in ("_doc", "default"))


def final_class(stem: str) -> str:
    """The class of the stem's last letter ("" -> the default class)."""
    return final_classes().get(stem[-1:].lower(), _data()["final_classes"]["default"])


@cache
def voicing() -> dict[str, str]:
    """Voiceless -> voiced (between vowels)."""
    return {k: v for k, v in _data()["voicing"].items() if k != "_doc"}


@cache
def devoicing() -> dict[str, str]:
    """Voiced -> voiceless (a lemma's final consonant)."""
    return {v: k for k, v in voicing().items()}


def voice(ch: str) -> str:
    return voicing().get(ch, ch)


def devoice(ch: str) -> str:
    return devoicing().get(ch, ch)


@cache
def archiphonemes() -> dict[str, tuple[str, str]]:
    return {k: (v[0], v[1]) for k, v in _data()["archiphonemes"].items() if k != "_doc"}


def realize(template: str, harmony_class: int) -> str:
    """A suffix template with archiphonemes (А Ы Г К) spelt for a harmony (0 back, 1 front);
    other letters stand for themselves, lower-cased."""
    archi = archiphonemes()
    return "".join(archi[ch][harmony_class] if ch in archi else ch.lower() for ch in template)


def attach(stem: str, suffix: str) -> str:
    """Stem + suffix, the stem's final voiceless consonant voiced before a vowel
    (қыркүйек + і -> қыркүйегі)."""
    if suffix[:1] in vowels() and stem[-1:] in voicing():
        return stem[:-1] + voicing()[stem[-1]] + suffix
    return stem + suffix
