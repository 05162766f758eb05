"""Generator: lemma + UD features -> surface forms, by running the compiled suffix chains forward."""

from __future__ import annotations

from muragat.morph import phonology
from muragat.morph.endings import by_feats
from muragat.morph.lexicon import stems
from muragat.morph.tactics import char_class, harmony_of


def _join(stem: str, text: str) -> str:
    if len(stem) > 2 and phonology.is_vowel(text[:1]) and stem[-1] in phonology.voicing():
        return stem[:-1] + phonology.voice(stem[-1]) + text
    if stem[-1:] in "ыі" and text[:1] == "й":
        return stem[:-1] + "и" + text[1:]
    if stem[-1:] in "ыі" and text[:1] == "у":
        return stem[:-1] + text
    if stem[-1:] == "й" and text[:1] == "у":
        return stem[:-1] + "ю" + text[1:]
    return stem + text


def generate_forms(lemma: str, feats: str, upos: str | None = None) -> list[str]:
    if not lemma:
        return []
    kinds = stems().get(lemma.lower(), "N")
    if upos is None:
        upos = "VERB" if "V" in kinds and "VerbForm" in feats else "NOUN"
    key_upos = "VERB" if upos in ("VERB", "AUX") else ("ADJ" if upos == "ADJ" else "NOUN")
    cls = char_class().get(lemma[-1].lower(), "T")
    harm = harmony_of(lemma)
    out: list[str] = []
    for text, e in by_feats(key_upos, feats):
        if e.cls == cls and e.harmony in harm:
            form = _join(lemma, text)
            if form not in out:
                out.append(form)
    return out
