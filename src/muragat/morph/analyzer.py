"""Rule analyzer: lexicon stems + compiled suffix chains, with proper-noun/number/acronym rules
and a marked guesser so that every string gets at least one analysis."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from muragat.morph import phonology
from muragat.morph.endings import endings, suffix_endings
from muragat.morph.lexicon import closed_index, closed_stems, stems
from muragat.morph.tactics import Ending, char_class, harmony_of

AUX_LEMMAS = frozenset(("бол", "е", "жат", "отыр", "тұр", "жүр", "кел", "қал", "бер", "ал", "кет",
                        "шық", "түс", "сал", "таста", "көр", "жібер", "бақ"))
CYR = re.compile(r"^[а-яёәіңғүұқөһА-ЯЁӘІҢҒҮҰҚӨҺ]+$")
NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)*$")
PERCENT = re.compile(r"^([0-9]+(?:[.,][0-9]+)*)%(?:-(\w+))?$")  # 51%, 90%-ға (KTB: lemma 51)
FEM_SURNAME = re.compile(r"^(.*[оеё]в)а$")  # Сәтбаева -> Сәтбаев, Gender=Fem
ROMAN = re.compile(r"^[IVXLCDM]+$")
PUNCT = re.compile(r"^[^\w]+$")
ABBREV = re.compile(r"^[а-яәіңғүұқөһ]{1,3}\.$")  # ж. (жыл), б. (бет), қ. (қала)
INITIALS = re.compile(r"^(?:[А-ЯЁӘІҢҒҮҰҚӨҺA-Z]\.){1,3}$")


@dataclass(frozen=True, slots=True)
class Analysis:
    lemma: str
    upos: str
    feats: str  # UD features in KTB conventions, "" when none
    morphemes: tuple[str, ...] = ()
    guessed: bool = False
    source: str = field(default="lex", compare=False)  # lex, closed, propn, num, guess, model


def feats_str(items: tuple[tuple[str, str], ...] | dict[str, str]) -> str:
    pairs = items.items() if isinstance(items, dict) else items
    return "|".join(f"{k}={v}" for k, v in sorted(pairs, key=lambda kv: kv[0].lower()))


def _nominal_feats(end: Ending, upos: str) -> str:
    feats = dict(end.feats)
    needs_case = end.final == "nom" and "Case" not in feats
    if needs_case and (upos in ("NOUN", "PROPN", "PRON") or feats):
        feats["Case"] = "Nom"
    if end.final == "nomcase" and "Case" not in feats:
        feats["Case"] = "Nom"
    return feats_str(feats)


@cache
def vowel_drop() -> frozenset[str]:
    text = resources.files("muragat.morph").joinpath("data/vowel_drop.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _lexical_stems(surf: str, ending: str, end_cls_marks: bool) -> list[tuple[str, str]]:
    """(lexical stem, its class) for a surface stem before `ending` (alternations undone)."""
    cc = char_class()
    out = [(surf, cc.get(surf[-1], "T"))]
    if ending[:1] in ("т", "д") and surf[-1:] in ("с", "з"):
        out.append((surf + ending[0], "T"))  # коммунист+тер is spelt коммунистер
    lex = stems()
    vowels, altern = phonology.vowels(), phonology.devoicing()
    if surf[-1] not in vowels and surf[-1] != "ь":
        # Russian loans: модель+і is spelt моделі, процесс+ке is spelt процеске
        for full in (surf + "ь", surf + surf[-1]):
            if full in lex:
                out.append((full, cc.get(surf[-1], "T")))
    if ending and ending[0] in vowels:
        last = surf[-1]
        if last in altern:
            out.append((surf[:-1] + altern[last], "T"))
        if len(surf) >= 3 and last not in vowels and (surf[-2] not in vowels or surf[-2] in "уй"):
            # ауыз -> аузы, орын -> орны: the stem's last high vowel drops before a vowel
            for v in ("ы", "і"):
                full = surf[:-1] + v + altern.get(last, last)
                if full in vowel_drop():
                    out.append((full, cc.get(full[-1], "T")))
    return out


def _chain(word: str, lower: str, lex: dict[str, str], guess: bool) -> list[Analysis]:
    out: list[Analysis] = []
    for i, ends in suffix_endings(lower):
        ending = lower[i:]
        surf = lower[:i]
        for stem, scls in _lexical_stems(surf, ending, True):
            harm = harmony_of(stem)
            for end in ends:
                if end.harmony not in harm:
                    continue
                lstem = stem
                if end.cls in ("Yi", "Yu"):
                    lstem = stem + ("ы" if end.harmony == 0 else "і")
                    if stem != surf:
                        continue
                elif end.cls == "Ju":
                    lstem = stem + "й"
                    if stem != surf:
                        continue
                elif end.cls != scls:
                    continue
                out.extend(_readings(word, lower, i, lstem, end, lex, guess))
    return out


def _readings(word: str, lower: str, i: int, lstem: str, end: Ending, lex: dict[str, str],
              guess: bool) -> list[Analysis]:
    kinds = lex.get(lstem, "")
    morphs = (word[:i],) + end.morphs
    res: list[Analysis] = []
    if end.start == "V0":
        if "V" in kinds or guess:
            if end.pos == "VERB" and "N" not in kinds and not guess:
                return res
            lemma = lstem + end.lemma_ext
            src = "guess" if guess else "lex"
            feats = _nominal_feats(end, "VERB")
            res.append(Analysis(lemma, "VERB", feats, morphs, guess, src))
            if lemma in AUX_LEMMAS:
                res.append(Analysis(lemma, "AUX", feats, morphs, guess, src))
        return res
    if end.pos == "VERB":
        return res
    cap = word[:1].isupper()
    if not end.lemma_ext and (end.feats or end.morphs):
        for lemma, upos, cfeats in closed_stems().get(lstem, ()):
            merged = dict(end.feats)
            merged.update(kv.split("=", 1) for kv in cfeats.split("|") if kv)  # type: ignore[misc]
            if end.final == "nom" and "Case" not in merged:
                merged["Case"] = "Nom"
            res.append(Analysis(lemma, upos, feats_str(merged), morphs, False, "closed"))
    if "D" in kinds and not end.morphs:
        res.append(Analysis(lstem, "ADV", "", morphs, False, "lex"))  # adverbs.txt
    if "N" in kinds or "I" in kinds:
        lemma = lstem + end.lemma_ext
        uposes = (end.pos,) if end.pos else ("NOUN", "ADJ")
        for upos in uposes:
            res.append(Analysis(lemma, upos, _nominal_feats(end, upos), morphs, False, "lex"))
        if cap:
            res.append(_propn(word, i, end, morphs, False))
    elif cap and i >= 2:
        res.append(_propn(word, i, end, morphs, False))
    elif guess and i >= 2:
        lemma = lstem + end.lemma_ext
        upos = end.pos or "NOUN"
        res.append(Analysis(lemma, upos, _nominal_feats(end, upos), morphs, True, "guess"))
    return res


def _propn(word: str, i: int, end: Ending, morphs: tuple[str, ...], guessed: bool) -> Analysis:
    lemma = word[:i] + end.lemma_ext
    return Analysis(lemma, "PROPN", _nominal_feats(end, "PROPN"), morphs, guessed, "propn")


def _fem_surname(a: Analysis) -> Analysis | None:
    """KTB lemmatizes women's surnames to the masculine form: Сәтбаева -> Сәтбаев."""
    m = FEM_SURNAME.match(a.lemma)
    if a.upos != "PROPN" or not m or len(m.group(1)) < 4:
        return None
    feats = feats_str([*(kv.split("=", 1) for kv in a.feats.split("|") if kv),  # type: ignore[misc]
                       ("Gender", "Fem")])
    return Analysis(m.group(1), "PROPN", feats, a.morphemes, a.guessed, "propn")


NEG_PERSON = {"жоқ": ("Sing", "3"), "емес": ("Sing", "3"), "емеспін": ("Sing", "1"),
              "емеспіз": ("Plur", "1"), "емессің": ("Sing", "2"), "емессіз": ("Sing", "2")}
EVID_PERSON = {"екен": None, "екенмін": ("Sing", "1"), "екенбіз": ("Plur", "1"),
               "екенсің": ("Sing", "2"), "екенсіз": ("Sing", "2")}


def _analytic(word: str) -> list[Analysis]:
    """Analytic verb forms written as one token (KTB): көрген емеспін -> көр, Past Neg Fin 1sg;
    сыйлайды екенсің -> сыйла, Evident=Fh 2sg."""
    head, _, tail = word.strip().partition(" ")
    tail = tail.lower()
    out: list[Analysis] = []
    for a in analyze_word(head):
        if a.upos not in ("VERB", "AUX"):
            continue
        feats = dict(kv.split("=", 1) for kv in a.feats.split("|") if kv)
        if tail in NEG_PERSON and feats.get("VerbForm") == "Part" and feats.get("Tense") == "Past":
            num, per = NEG_PERSON[tail]
            feats.update(Mood="Ind", Number=num, Person=per, Polarity="Neg", VerbForm="Fin")
        elif tail in EVID_PERSON and (feats.get("VerbForm") == "Fin" or (
                feats.get("VerbForm") == "Part" and feats.get("Tense") == "Past")):
            feats.update(Evident="Fh", Mood="Ind", VerbForm="Fin")
            feats.setdefault("Number", "Sing")
            feats.setdefault("Person", "3")
            if EVID_PERSON[tail]:
                feats["Number"], feats["Person"] = EVID_PERSON[tail]  # type: ignore[misc]
        else:
            continue
        out.append(Analysis(a.lemma, a.upos, feats_str(feats), (*a.morphemes, " " + tail),
                            a.guessed, a.source))
    return out


def _percent(word: str, num: str, tail: str | None) -> tuple[Analysis, ...]:
    """51% -> 51 NUM; 90%-ға -> 90 NUM Case=Dat (the percent sign is not part of the lemma)."""
    if not tail:
        return (Analysis(num, "NUM", "Case=Nom|NumType=Card,Ord", (num, "%"), False, "num"),)
    out = []
    for end in endings(tail.lower()):
        if end.start == "N0" and not end.lemma_ext:
            feats = dict(end.feats)
            feats.setdefault("Case", "Nom")
            feats["NumType"] = "Card,Ord"
            out.append(Analysis(num, "NUM", feats_str(feats), (num + "%-", tail), False, "num"))
    return tuple(dict.fromkeys(out)) or (Analysis(num, "NUM", "NumType=Card,Ord", (word,), False,
                                                  "num"),)


def _closed(lower: str) -> list[Analysis]:
    return [Analysis(lem, upos, feats, (lower,), False, "closed")
            for lem, upos, feats in closed_index().get(lower, ())]


def _hyphenated(word: str) -> list[Analysis]:
    """30-шы, 58-бабының, ҚК-нің, 1990-жылы: analyse the tail, keep the head in the lemma."""
    head, _, tail = word.rpartition("-")
    if not head or not tail:
        return []
    out: list[Analysis] = []
    ends = endings(tail.lower())
    if NUMBER.match(head) or ROMAN.match(head):
        for end in ends:
            if end.start == "N0" and not end.lemma_ext:
                ordinal = tail.lower() in ("ші", "шы", "інші", "ыншы", "нші", "ншы")
                out.append(Analysis(head, "NUM", feats_str({"NumType": "Ord"}) if ordinal
                                    else _nominal_feats(end, "NUM"), (head, tail), False, "num"))
        if tail.lower() in ("ші", "шы", "інші", "ыншы", "нші", "ншы"):
            out.append(Analysis(head, "NUM", "NumType=Ord", (head, tail), False, "num"))
    if head.isupper() or any(ch.isdigit() for ch in head):
        for end in ends:
            if end.start == "N0" and not end.lemma_ext and end.feats:
                for upos in ("PROPN", "NOUN"):
                    out.append(Analysis(head, upos, _nominal_feats(end, upos), (head, tail),
                                        False, "propn"))
    if not out:
        tails = analyze_word(tail)
        if any(ch.isdigit() for ch in head):
            tails = _without_listed_inflections(tails)
        for a in tails:
            # common nouns keep a lower-case lemma even when written capitalised: Ата-ана
            h = head if a.upos == "PROPN" else head.lower()
            out.append(Analysis(f"{h}-{a.lemma}", a.upos, a.feats, (head + "-",) + a.morphemes,
                                a.guessed, a.source))
    return out


def _without_listed_inflections(readings: tuple[Analysis, ...]) -> tuple[Analysis, ...]:
    """Drop readings whose lemma hunspell lists only as an inflected form (class F: бабы is
    бап + possessive) where a reading of the same UPOS has another lemma. A compound such as
    58-бабының gets the lemma 58-бап or 58-бабы, and neither is in the lexicon, so the ranker
    cannot see the F mark there as it does for бабының alone."""
    lex = stems()
    listed = {a for a in readings if "F" in lex.get(a.lemma.lower(), "")}
    other = {a.upos for a in readings if a not in listed}
    return tuple(a for a in readings if a not in listed or a.upos not in other)


def _verbal_nouns(word: str, readings: list[Analysis]) -> list[Analysis]:
    """Noun readings of affirmative -у verbal nouns without a voice suffix: KTB lemmatizes many
    of them as nouns under the -у form (оқу, сайлау, даму), and hunspell lists them only as verb
    infinitives, so дамуды would otherwise have no reading with the lemma даму."""
    out = []
    for a in readings:
        if (a.upos != "VERB" or a.source != "lex" or len(a.morphemes) < 2
                or a.morphemes[1] != "у" or "VerbForm=Ger" not in a.feats
                or "Voice=" in a.feats or "Polarity=" in a.feats or "Tense=" in a.feats):
            continue
        surface = word[:len(a.morphemes[0]) + 1]  # the morpheme у is written ю in сүю
        feats = "|".join(kv for kv in a.feats.split("|") if not kv.startswith("VerbForm="))
        out.append(Analysis(surface.lower(), "NOUN", feats, (surface,) + a.morphemes[2:], False,
                            "lex"))
    return out


@lru_cache(maxsize=200_000)
def analyze_word(word: str) -> tuple[Analysis, ...]:
    """All analyses of one word form; never empty, never raises."""
    if not word:
        return (Analysis(word, "X", "", (), True, "guess"),)
    lower = word.lower()
    if PUNCT.match(word):
        return (Analysis(word, "PUNCT", "", (word,), False, "closed"),)
    if NUMBER.match(word):
        return (Analysis(word, "NUM", "NumType=Card", (word,), False, "num"),
                Analysis(word, "NUM", "NumType=Ord", (word,), False, "num"))
    out = _closed(lower)
    if ABBREV.match(word):
        return (Analysis(word, "NOUN", "", (word,), False, "closed"),
                Analysis(word, "X", "", (word,), False, "closed"))
    if INITIALS.match(word):
        return (Analysis(word, "NOUN", "", (word,), False, "propn"),
                Analysis(word, "PROPN", "Case=Nom", (word,), False, "propn"))
    if ROMAN.match(word):
        return (Analysis(word, "NUM", "NumType=Ord", (word,), False, "num"),
                Analysis(word, "PROPN", "Case=Nom", (word,), False, "propn"))
    pct = PERCENT.match(word)
    if pct:
        return _percent(word, pct.group(1), pct.group(2))
    if sum(ch.isupper() for ch in word) >= 2 and not any(ch.islower() and ch.isalpha() and
                                                         ch not in "б" for ch in word):
        if "-" not in word:
            return (Analysis(word, "PROPN", "Case=Nom", (word,), False, "propn"),
                    Analysis(word, "NOUN", "Case=Nom", (word,), False, "propn"))
    analytic = _analytic(word) if " " in word.strip() else []
    if analytic:
        out.extend(analytic)
    elif "-" in word.strip("-"):
        out.extend(_hyphenated(word))
    elif CYR.match(word):
        lex = stems()
        out.extend(_chain(word, lower, lex, False))
        out.extend(_verbal_nouns(word, out))
        if word.isupper() and len(word) > 1:
            out.append(Analysis(word, "PROPN", "Case=Nom", (word,), False, "propn"))
        if not out:
            out.extend(_chain(word, lower, lex, True))
    elif ROMAN.match(word):
        out.append(Analysis(word, "NUM", "NumType=Ord", (word,), False, "num"))
    elif word[:1].isalpha() and not CYR.match(word):
        out.append(Analysis(word, "X" if not word[:1].isupper() else "PROPN",
                            "" if not word[:1].isupper() else "Case=Nom", (word,), True, "guess"))
    if not out:
        upos = "PROPN" if word[:1].isupper() else "NOUN"
        out.append(Analysis(word, upos, "Case=Nom", (word,), True, "guess"))
    if word[:1].isupper():
        out.extend(f for f in map(_fem_surname, out) if f is not None)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def verb_lemma(word: str) -> str:
    """The shortest verb lemma among a word's readings ("" if none)."""
    verbs = [a.lemma for a in analyze_word(word) if a.upos in ("VERB", "AUX")]
    return min(verbs, key=lambda v: (len(v), v)) if verbs else ""
