"""Where a name starts and ends in historical prose (issue 20): rules on one sentence's IOB2
labels, and one pass over a whole document's, in place. Word knowledge is data
(data/gaz/*.txt, data/lemma.json) and the morphology's reading of a word; the rules say how to
use it. rules.apply_rules and ner.annotate call them for historical prose only: KazNERD's news
text writes its names apart and keeps titles in front (applied there, its PERSON F1 fell from
94.16 to 90.07 on fold 0).

- `split_people`: a PERSON span run over its neighbours is cut (`Рысқұловты | НКВД`,
  `Өлкеком | Сәдуақасовты`, `Петров | Сыздықұлына`, `Жүсіпбек | Мәскеуде`);
- `split_titles`: a title read with a named body in front is the body and the title
  (`Ақмола губерниялық комитетінің | хатшысы`);
- `trim_first`: names tagged apart are joined (`Тұрар | Рысқұлов`, `БК(б)П | ОК`), a
  sentence-initial common word is not a name's first word (`Мақалада Смағұл`);
- `document_names`: a name the document gives in full is that name throughout it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from muragat.ner.domain import _OPEN, _body_abbr, _clear, _quoted, _set_span, _words
from muragat.ner.features import _INITIALS, _SURNAME, _read_list, lexicon
from muragat.ner.lemma import case_endings
from muragat.ner.spans import entities


def _morph(word: str) -> str:
    from muragat.ner.lemma import _morph_lemma

    return _morph_lemma(word)


def _ending(word: str) -> str:
    """What the morphology reads after the word's lemma (`Рысқұловты` -> `ты`)."""
    lem = _morph(word)
    if not word.isalpha() or not 0 < len(lem) < len(word) or not word.lower().startswith(lem.lower()):
        return ""
    return word[len(lem):].lower()


def _inflected(word: str) -> bool:
    """The word carries a case ending (`Рысқұловты`, `Сыздықұлына`); `Тұрар` (тұр + ар) not."""
    return _ending(word) in case_endings()


def _dictionary_reading(word: str) -> tuple[bool, bool]:
    """(a dictionary word in a case form or with a 3rd-person possessive, a dictionary word as it
    stands): how the morphology's lexicon, not its proper-noun guess, reads the word
    (`Мақалада` is `мақала` in the locative, `Жерлестері` his countrymen; `Жас`, `Сыншы` are
    words as they stand; `Қайыржан`, `Айша` neither)."""
    from muragat.morph import analyze

    cased = plain = False
    for a in analyze(word):
        if a.source not in ("lex", "closed") or a.upos == "PROPN":
            continue
        case = next((f[5:] for f in a.feats.split("|") if f.startswith("Case=")), "")
        owned = "Person[psor]=3" in a.feats and a.upos == "NOUN"  # `Жерлестері`: his countrymen
        cased |= (bool(case) and case != "Nom" or owned) and a.lemma.lower() != word.lower()
        plain |= a.lemma.lower() == word.lower()
    return cased, plain


def _middle_patronymic(words: list[str], a: int, i: int) -> bool:
    """words[i] is the father's name between a given name and a surname (`Қуаныш Ермекұлы
    Тілеужанов`), not a surname of its own before another person (`Т.Рысқұлұлы Сталинге`)."""
    given = words[i - 1] if i > a else ""
    return (words[i].endswith(_PATRONYMIC) and given.isalpha() and len(given) > 1
            and not _SURNAME.match(given))


def _surname_first(words: list[str], a: int, b: int) -> bool:
    """`Мұсин Сейтқазы Әбілқайырұлы`: the archival order, surname, given name, patronymic, is one
    person: a Russian-style surname in front and the patronymic, not inflected, at the end."""
    return bool(_RUSSIAN_SURNAME.match(words[a])) and words[b - 1].endswith(_PATRONYMIC)


def _common_first(words: list[str], a: int, b: int) -> bool:
    """The first word of the PERSON span [a, b) is a sentence-initial common word, not a name:
    a dictionary word in a case form (`Мақалада Смағұл`, `Романдағы Ақбілек`), or one as it
    stands before a name that goes on without it (`Жас Смағұл`, `Сыншы Ғаббас Тоғжанов`,
    but `Болат Омаров` keeps its first name). A listed given name or a surname's shape is a
    name."""
    word = words[a]
    if not word.isalpha() or word in lexicon().given or _SURNAME.match(word):
        return False
    if _kinship(word):
        return True  # `Атам Ысқақ Жармағамбетов`: my grandfather, Ысқақ ...
    if a + 1 < b and words[a + 1].endswith(_PATRONYMIC):
        return False  # a given name before the father's: `Қуаныш Ермекұлы`, `Бақыт Сәрсенқызы`
    cased, plain = _dictionary_reading(word)
    return cased or (plain and (b - a > 2 or not _SURNAME.match(words[a + 1])))


def _abbr(word: str) -> bool:
    """A known body abbreviation, also inflected (`ОГПУ-дың`, `Өлкекомға`)."""
    abbr = _body_abbr()  # the model's list and the rules' own (`БЛКЖО`, `Қарлаг`)
    if word in abbr or word.split("-")[0] in abbr:
        return True
    stem = word[: len(_morph(word))]
    # a case or a 3rd-person possessive (`Өлкекомның`, `Өлкекомы`), not `Нұр | ым` (`Нұрым`, a name)
    return stem in abbr and (word[len(stem):] in case_endings() or word[len(stem):] in _POSSESSIVE_3)


_POSSESSIVE_3 = frozenset({"ы", "і", "сы", "сі"})


def _case_form(word: str) -> bool:
    """A dictionary word in a case form (`Шешімді`)."""
    return word.isalpha() and not _SURNAME.match(word) and _dictionary_reading(word)[0]


def trim_first(words: list[str], labels: list[str]) -> None:
    """After all span rules: names tagged apart are joined (`Тұрар | Рысқұлов`,
    `БК(б)П | ОК`), and a sentence-initial common word is not the first word of a name
    (`Мақалада Смағұл`, `Романдағы Ақбілек`; `Шешімді Қазақ АКСР ...` for other names)."""
    _join_adjacent(words, labels)
    _join_surname(words, labels)
    if len(labels) < 2 or not labels[0].startswith("B-") or labels[1][:2] != "I-":
        return
    cls = labels[0][2:]
    b = next((i for i in range(1, len(labels)) if labels[i][:2] != "I-"), len(labels))
    if _common_first(words, 0, b) if cls == "PERSON" else _case_form(words[0]):
        labels[0], labels[1] = "O", "B-" + cls


def _join_surname(words: list[str], labels: list[str]) -> None:
    """A given name and a patronymic are followed by the surname, the word that takes the
    case ending (`Қайрат Төлегенұлы | Жанкелдинді` -> one person of three words), or, in
    the archival order, preceded by it (`Сапарова | Күләш Нұрғалиқызы`)."""
    for cls, a, b in entities(labels):
        if cls == "PERSON" and b - a >= 2 and b < len(words) and labels[b] == "O" \
                and words[b - 1].endswith(_PATRONYMIC) and _is_cap_word(words[b]) \
                and _SURNAME.match(_base(words[b])):
            labels[b] = "I-PERSON"
        elif cls == "PERSON" and b - a == 2 and a > 0 and labels[a - 1] == "O" \
                and words[b - 1].endswith(_PATRONYMIC) and _RUSSIAN_SURNAME.match(words[a - 1]) \
                and _is_cap_word(words[a - 1]):
            # `Сапарова | Күләш Нұрғалиқызы`: the archival order puts the surname first
            labels[a - 1 : a + 1] = ["B-PERSON", "I-PERSON"]


def _join_adjacent(words: list[str], labels: list[str]) -> None:
    """`Тұрар | Рысқұлов` (a first name, then a surname) is one person; `БК(б)П | ОК` (a
    party abbreviation, then a body) is one body."""
    ents = entities(labels)
    for (c1, a1, b1), (c2, a2, _b2) in zip(ents, ents[1:], strict=False):
        if b1 != a2 or c1 != c2:
            continue
        if c1 == "PERSON" and b1 - a1 == 1 and _is_cap_word(words[a1]) \
                and not _SURNAME.match(words[a1]) and not _inflected(words[a1]) \
                and _SURNAME.match(words[a2]):
            labels[a2] = "I-PERSON"
        elif c1 == "ORGANISATION" and b1 - a1 == 1 and words[a1] in _party():
            labels[a2] = "I-ORGANISATION"


def _base(word: str) -> str:
    from muragat.ner.lemma import base_form

    return base_form([word])


@cache
def _party() -> frozenset[str]:
    return _read_list("party_abbr.txt", lower=False)


def _is_cap_word(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and word.isalpha()


_LOCATIVE_ADJ = frozenset({"дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі"})
# A patronymic between a given name and a surname: `Қуаныш Ермекұлы Тілеужанов`, `Иван Петрович`
_RUSSIAN_SURNAME = re.compile(r"^\w+(ов|ев|ёв|ин|ова|ева|ина)$")
_PATRONYMIC = ("ович", "евич", "ич", "овна", "евна", "ична", "вна", "ұлы", "қызы")


def _located(word: str, places: frozenset[str]) -> bool:
    """A listed place in the `-дағы` form (`Ташкенттегі`, `Мәскеудегі`)."""
    low = word.lower()
    if _ending(word) in _LOCATIVE_ADJ and _morph(word).lower() in places:
        return True
    return any(low.endswith(e) and low[: -len(e)] in places for e in _LOCATIVE_ADJ)


def _listed_place(word: str, places: frozenset[str]) -> bool:
    """A gazetteer place, as written or by its lemma (`Архангельск`, `Мәскеуде`)."""
    return word.lower() in places or _morph(word).lower() in places or _inflected_place(word, places)


def _inflected_place(word: str, places: frozenset[str]) -> bool:
    """A listed place with a case ending (`Мәскеуде`, `Павлодарда`, which the morphology may
    leave whole)."""
    low = word.lower()
    if _inflected(word) and _morph(word).lower() in places:
        return True
    return any(low.endswith(e) and low[: -len(e)] in places for e in case_endings())


def drop_kinship(words: list[str], labels: list[str]) -> None:
    """A one-word PERSON that is a kinship noun with a possessive (`Атам`, `Әкемнің`) names a
    relative, not a person: the events layer then carries the subject from the context."""
    for cls, a, b in entities(labels):
        if cls == "PERSON" and b - a == 1 and _kinship(words[a]):
            labels[a] = "O"


def drop_lowercase_people(words: list[str], labels: list[str]) -> None:
    """A person's name is written with a capital: a PERSON span of lower-case words only, what
    is left when a span is cut (`жылдың | күзінде | Тілеубердин`), is no name."""
    for cls, a, b in entities(labels):
        if cls == "PERSON" and not any(w[:1].isupper() for w in words[a:b]):
            _clear(labels, a, b)


def kin_names(words: list[str], labels: list[str]) -> None:
    """A capitalized word right after a kinship noun with a possessive is the relative's name
    (`Тілеубердиннің әйелі | Күлпаш`), also where the tagger took it for a place no list knows
    (`інісі | Сапарбек`), with a surname after it if any."""
    places = _places()
    for i in range(1, len(words)):
        single = i + 1 == len(words) or labels[i + 1][:2] != "I-"
        taken_for_place = labels[i] in ("B-GPE", "B-LOCATION") and single \
            and _morph(words[i]).lower() not in places and words[i].lower() not in places
        if (labels[i] != "O" and not taken_for_place) or not _is_cap_word(words[i]) \
                or not words[i - 1].islower() or not _kinship(words[i - 1]) or _abbr(words[i]):
            continue
        labels[i] = "B-PERSON"
        if i + 1 < len(words) and labels[i + 1] == "O" and _SURNAME.match(words[i + 1]):
            labels[i + 1] = "I-PERSON"
    # `Қасен көкем`: a name first in the sentence, then the kin word it is called by
    if len(words) > 1 and labels[0] == "O" and _is_cap_word(words[0]) and words[1].islower() \
            and _kinship(words[1]) and not any(_dictionary_reading(words[0])) and not _abbr(words[0]):
        labels[0] = "B-PERSON"


def _kinship(word: str) -> bool:
    """A kinship noun with a possessive, as the morphology's lexicon reads it (`Атам` is
    `ата` + my; not a listed given name)."""
    from muragat.morph import analyze

    if not word.isalpha() or word in lexicon().given:
        return False
    kin = _read_list("kinship.txt") | _read_list("rules/kinship.txt")
    return any(a.source == "lex" and a.upos == "NOUN" and a.lemma.lower() in kin
               and "Person[psor]" in a.feats for a in analyze(word))


# labels the tagger gives a person's name run into the words after it (`LAW: Бектасова 1958 жылы
# күйеуінің ақталғаны туралы`)
_OTHER_NAMES = frozenset({"LAW", "EVENT", "ART", "MISCELLANEOUS", "PROJECT", "PRODUCT",
                          "FACILITY", "NON_HUMAN"})


def _cut_common_words(words: list[str], labels: list[str], a: int, b: int) -> int:
    """A person's name holds no lower-case word or number (`Нұрмақов | хатты ХКК
    мәжілісінде`, `Тұрар | 1932 жылы Сталинге`): the span ends before the first; capitalized
    words after it start names of their own. The span's new end."""
    k = next((i for i in range(a + 1, b) if words[i][:1].islower() or words[i][:1].isdigit()), b)
    for j in range(k, b):
        w = words[j]
        if not _is_cap_word(w) and not _abbr(w):
            labels[j] = "O"
        elif _abbr(w):
            labels[j] = "B-ORGANISATION"
        else:
            labels[j] = "I-PERSON" if labels[j - 1][2:] == "PERSON" and j > k else "B-PERSON"
    return k


def _ends_a_name(words: list[str], i: int, places: frozenset[str]) -> bool:
    """An inflected word ends a name (`Рысқұловты | НКВД`), except a given name the analyzer
    reads as inflected before a patronymic (`Әбділда | Ысқақұлы` is no locative: only a
    name's last word inflects)."""
    if not _inflected(words[i]):
        return False
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if i == 0 or not words[i - 1][:1].isupper():
        # `Тұрсын Ысмағұлов(ке)`: a given name that reads as a verb form, first in the name,
        # before a surname
        if _SURNAME.match(_base(nxt)) and not _SURNAME.match(words[i]) \
                and not _listed_place(words[i], places) and not _inflected_place(words[i], places):
            return False
    return not (nxt.endswith(_PATRONYMIC) and not _listed_place(words[i], places)
                and not _inflected_place(words[i], places))


def _initial_and_surname(words: list[str], a: int, i: int) -> bool:
    """words[a:i] are an initial and a surname (`Р.Тілеубердіұлы`, `Р. Тілеубердіұлы`): a
    name complete in itself, no word of it can follow."""
    last = words[i - 1]
    glued = i - 1 == a and "." in last[:3] and _SURNAME.match(last.split(".")[-1] or "-")
    spaced = i - 2 >= a and _INITIALS.match(words[i - 2]) and _SURNAME.match(last)
    return bool(glued or spaced)


def _far_places() -> frozenset[str]:
    """Places of exile the tagger may read as people (`Воронежге`): rules/places.txt."""
    return _read_list("rules/places.txt")


@cache
def _places() -> frozenset[str]:
    """Every place the rules know: the gazetteer and the places of exile."""
    return lexicon().gaz["gpe"] | _far_places()


def split_people(words: list[str], labels: list[str], historical: bool = False) -> None:
    """A person's name is given names and one surname, inflected on its last word only, so a
    PERSON span the tagger ran on over a neighbour is cut back:
    - a sentence-initial common word in front goes (`Мақалада Смағұл` -> `Смағұл`), a body
      abbreviation in front is the body (`Өлкеком | Сәдуақасовты`); in front of any other
      name, a sentence-initial common word in a case form goes (`Шешімді Қазақ АКСР ...`);
    - the name ends after an inflected word (`Рысқұловты | НКВД`), before a body abbreviation
      (`Ғаббас | ІІХК`, which becomes ORGANISATION), between two surnames
      (`Петров | Сыздықұлына`), and before an inflected known place (`Жүсіпбек | Мәскеуде`,
      which becomes GPE); a body span that starts with a surname and a capitalized word
      starts after the surname, which is a person (`Ілиясов | Ташкенттегі ... университеті`),
      and after a known place in the `-дағы` form, which is a place (`Ташкенттегі | Орта Азия
      мемлекеттік университеті`; `Мәскеудегі | әскери академия`, no name after it);
    - a surname the tagger took for a place that no gazetteer lists is a person
      (`Рысқұлов Пішпектегі` -> `Рысқұлов | Пішпектегі`);
    - an inflected word abbreviation left outside any name is a body (`Өлкекомның`).
    Called for historical prose only (rules.apply_rules)."""
    places = _places()
    for i, w in enumerate(words):  # `Өлкекомның`: a word abbreviation inflects without a hyphen
        if labels[i] == "O" and w[:1].isupper() and _abbr(w):
            labels[i] = "B-ORGANISATION"
    for cls, a, b in entities(labels):
        if cls == "ORGANISATION" and b - a > 1 and _SURNAME.match(words[a]) \
                and _inflected(words[a]) and _abbr(words[a + 1]):
            labels[a : a + 2] = ["B-PERSON", "B-ORGANISATION"]  # `Рысқұловты | НКВД`
            continue
        if cls == "ORGANISATION" and b - a > 1 and _located(words[a], places):
            # `Ташкенттегі | Орта Азия мемлекеттік университеті`: where the body is, not its name
            labels[a] = "B-GPE"
            labels[a + 1] = "B-ORGANISATION" if _is_cap_word(words[a + 1]) else "O"
            if labels[a + 1] == "O":
                _clear(labels, a + 1, b)
            continue
        if cls == "ORGANISATION" and b - a > 1 and _SURNAME.match(words[a]) \
                and not _abbr(words[a]) and _is_cap_word(words[a + 1]):
            labels[a : a + 2] = ["B-PERSON", "B-ORGANISATION"]  # `Ілиясов | Ташкенттегі ...`
            continue
        if cls == "ORGANISATION" and b - a >= 2 and _SURNAME.match(words[a]) \
                and not _abbr(words[a]) and words[a + 1].islower() \
                and not words[a + 1].startswith("атында"):
            # `Байтұрсынов газеттің редакторы`, `Нұрмақов хатты | ХКК | мәжілісінде`
            labels[a : b] = ["B-PERSON"] + ["B-ORGANISATION" if _abbr(w) else "O" for w in words[a + 1 : b]]
            continue
        if cls == "PERSON" and b - a == 3 and _SURNAME.match(_base(words[b - 1])) \
                and _is_cap_word(words[a]) and _is_cap_word(words[a + 1]) \
                and not _SURNAME.match(words[a + 1]) and not words[a + 1].endswith(_PATRONYMIC) \
                and not _surname_first(words, a, b):
            labels[a + 1] = "B-PERSON"  # `Мирзоян | Әбдірахман Қасымұлын`: no middle patronymic
        if cls == "PERSON" and b - a == 4 and _SURNAME.match(words[a]) \
                and _SURNAME.match(_base(words[b - 1])) \
                and not any(_SURNAME.match(w) or w.endswith(_PATRONYMIC) for w in words[a + 1 : b - 1]) \
                and all(_is_cap_word(w) for w in words[a:b]):
            labels[a + 2] = "B-PERSON"  # `Қожанов Сұлтанбек | Тұрар Рысқұловпен`: two people
        if historical and cls in ("GPE", "LOCATION") and _SURNAME.match(words[a]) \
                and _morph(words[a]).lower() not in places and words[a].lower() not in places:
            labels[a] = "B-PERSON"
            if a + 1 < b:
                labels[a + 1] = "B-" + cls
            continue
        if historical and cls in _OTHER_NAMES and b - a > 1 and _SURNAME.match(words[a]) \
                and not _is_cap_word(words[a + 1]):
            labels[a : b] = ["B-PERSON"] + ["O"] * (b - a - 1)  # `Бектасова | 1958 жылы ...`
            continue
        if cls == "PERSON" and words[a].lower() in _read_list("rules/compass.txt"):
            continue  # `Шығыс Сібірге`: a region's name, read whole by domain.historical_labels
        if cls == "PERSON" and b - a == 1 and _listed_place(words[a], _far_places()):
            labels[a] = "B-GPE"  # `Воронежге жер аударылды`
            continue
        if cls != "PERSON" or b - a < 2:
            continue
        b = _cut_common_words(words, labels, a, b)
        if b - a < 2:
            continue
        if a == 0 and _common_first(words, a, b):
            labels[0] = "O"
            a = 1
            labels[a] = "B-PERSON"
            if b - a == 1 and _listed_place(words[a], places):
                labels[a] = "B-GPE"  # `Атамыз | Архангельск маңындағы`: what is left is a place
                continue
        a0 = a
        if _abbr(words[a]) and a + 1 < b:
            labels[a : a + 2] = ["B-ORGANISATION", "B-PERSON"]  # `Өлкеком | Сәдуақасовты`
            a += 1
        for i in range(a, b):
            w = words[i]
            if i > a0 and _abbr(w):
                labels[i] = "B-ORGANISATION"
            elif i > a and _inflected_place(w, places):
                labels[i] = "B-GPE"
            elif i > a and _initial_and_surname(words, a, i) and _inflected(w):
                # `Т.Рысқұлұлы | Сталинге`: the name was complete, another one starts
                labels[i] = "B-PERSON"
            elif i > a and (labels[i - 1][2:] != "PERSON" or _ends_a_name(words, i - 1, places)
                            or (_SURNAME.match(w) and _SURNAME.match(words[i - 1])
                                and not _middle_patronymic(words, a, i - 1))):
                labels[i] = "B-PERSON"


def _full_names(sents: list[list[str]], labels: list[list[str]]
                ) -> tuple[frozenset[str], Counter[str], Counter[tuple[str, str]]]:
    """The lower-case base forms and their surname stems (`мұстанбайұлы` ~ `мұстанбаев`) of the
    words of people a document names with at least two words, initials left out, and of names
    tagged alone twice inside sentences; how many full names hold each word, and each pair."""
    from muragat.ner.lemma import base_form
    from muragat.terms import surname_stem

    out: set[str] = set()
    words_in: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    alone: Counter[str] = Counter()
    for words, labs in zip(sents, labels, strict=True):
        for cls, a, b in entities(labs):
            full = [base_form([w]).lower() for w in words[a:b] if w.isalpha() and len(w) > 1]
            if cls == "PERSON" and len(full) > 1:
                stems = [surname_stem(w) for w in full]
                out.update(full)
                out.update(stems)
                words_in.update(set(stems))
                pairs.update({(x, y) for x in stems for y in stems if x != y})
            elif cls == "PERSON" and len(full) == 1 and a > 0:
                alone[full[0]] += 1
    # a name only ever written alone (`Сағынтай`) is known once the tagger found it twice
    # inside sentences, where a capital says a name and not the sentence's start
    places = lexicon().gaz["gpe"]
    out.update(w for w, n in alone.items() if n > 1 and w not in places)
    return frozenset(out), words_in, pairs


def _stem(word: str) -> str:
    from muragat.terms import surname_stem

    return surname_stem(_base(word).lower())


def _known(word: str, names: frozenset[str]) -> bool:
    from muragat.ner.lemma import base_form
    from muragat.terms import surname_stem

    low = base_form([word]).lower()
    if low in names or surname_stem(low) in names:
        return True
    # a case ending written by the root's harmony (`Тәңірбергеновті`), which the base form keeps
    return _SURNAME.match(word) is not None and any(
        low.endswith(e) and (low[: -len(e)] in names or surname_stem(low[: -len(e)]) in names)
        for e in case_endings() if len(low) - len(e) > 3)


# classes whose names may be a person's name and common words
_NAMED_AFTER_OK = frozenset({"PERSON", "ORGANISATION", "GPE", "LOCATION", "POSITION", "DATE"})


def document_names(sents: list[list[str]], labels: list[list[str]]) -> None:
    """One sense per document: a capitalized word that is the surname or first name of a
    person the document names in full is that person also where the tagger left it out or
    took it for a place (`Сапаров оны ...` after `Ерлан Сапаров`; `Мирзоян`, a district too,
    after `Левон Мирзоянды`; `Мұстанбайұлы` after `Ыдырыс Мұстанбаев`; `Рысқұлов Пішпектегі`
    -> `Рысқұлов | Пішпектегі`, also at the start of another name or title: `Сәдуақасов |
    Ақмола губерниялық комитетінің хатшысы`); a surname and first name tagged apart are one
    name (`Рысқұлов | Тұрар`, `Әбділда | Бекмұхамедовты`); two people's names run together are two (`Каганович |
    Әбдірахманды` after `Лазарь Каганович`, `Әбдірахман Қасымов`). In place, over a whole
    document's labels; historical prose only (ner.annotate)."""
    names, words_in, pairs = _full_names(sents, labels)
    if not names:
        return
    for words, labs in zip(sents, labels, strict=True):
        for i, w in enumerate(words):
            if not _is_cap_word(w) or not _known(w, names):
                continue
            single = labs[i] == "O" or (labs[i][:2] == "B-" and (i + 1 == len(labs) or labs[i + 1][:2] != "I-"))
            place = labs[i][2:] in ("GPE", "LOCATION")
            if labs[i] == "O" or (place and single):
                labs[i] = "B-PERSON"
            elif labs[i][:2] == "B-" and labs[i][2:] != "PERSON" and (_is_cap_word(words[i + 1])
                                                                    or _abbr(words[i + 1])):
                labs[i], labs[i + 1] = "B-PERSON", "B-" + labs[i][2:]
            elif labs[i][:2] == "B-" and labs[i][2:] not in _NAMED_AFTER_OK and words[i + 1].islower() \
                    and not words[i + 1].startswith("атында"):
                end = next((k for k in range(i + 1, len(labs)) if labs[k][:2] != "I-"), len(labs))
                if end - i > 2:  # `Абай даңғылы`, a name and its type noun, is a facility
                    # `Ыдырыс | тәркілеу науқанына`, `Күләш | ұстазы туралы ...`: the person,
                    # then common words no facility or law is named by
                    _clear(labs, i, end)
                    labs[i] = "B-PERSON"
        for i in range(1, len(words)):  # `Рысқұлов | Тұрар`: surname first, both named in full
            if labs[i - 1] == labs[i] == "B-PERSON" and (i + 1 == len(labs) or labs[i + 1][:2] != "I-") \
                    and (i < 2 or labs[i - 2][:2] not in ("B-", "I-") or labs[i - 2][2:] != "PERSON") \
                    and _SURNAME.match(words[i - 1]) and not _SURNAME.match(words[i]) \
                    and pairs[(_stem(words[i]), _stem(words[i - 1]))]:
                labs[i] = "I-PERSON"
            elif labs[i - 1] == labs[i] == "B-PERSON" and (i + 1 == len(labs) or labs[i + 1][:2] != "I-") \
                    and _SURNAME.match(_base(words[i])) and not _SURNAME.match(words[i - 1]) \
                    and pairs[(_stem(words[i - 1]), _stem(words[i]))]:
                labs[i] = "I-PERSON"  # `Әбділда | Бекмұхамедовты`, named in full before
        for cls, a, b in entities(labs):  # `Каганович | Әбдірахманды`
            if cls == "PERSON" and b - a == 2 and all(_is_cap_word(w) for w in words[a:b]):
                x, y = (_stem(w) for w in words[a:b])
                # each word is named with another word elsewhere, never with this one
                if words_in[x] > 1 and words_in[y] > 1 and pairs[(x, y)] == 1:
                    labs[a + 1] = "B-PERSON"


def _title_word(word: str) -> bool:
    """A position word (`төрағасы`, `хатшысы`); a short stem (`бас`) only as a whole word."""
    low = word.lower()
    return any(low == p or (len(p) > 3 and low.startswith(p)) for p in lexicon().gaz["position"])


def _body_word(word: str) -> bool:
    """An organisation's head noun in any form (`комитетінің`, `одағында`) or an abbreviation."""
    low = word.lower()
    return _abbr(word) or any(low.startswith(h) for h in _words("org_head.txt") if len(h) > 3)


def _named_body(words: list[str], a: int, k: int) -> bool:
    """The words [a, k) name a body: a quote, an abbreviation or a proper noun among them
    (`Ақмола губерниялық комитетінің`); `өлкелік комитеттің` (capitalized only as a
    sentence's first word) is a generic body, part of the title (`өлкелік комитеттің хатшысы`)."""
    for i in range(a, k):
        w = words[i]
        if w in _OPEN or _abbr(w):
            return True
        if w[:1].isupper() and (i > 0 or _SURNAME.match(w) or not any(_dictionary_reading(w))):
            return True
    return False


def titleless_positions(words: list[str], labels: list[str]) -> None:
    """A POSITION span holds a title word; one without (`Мұқашев | Қасым әкесінің соңғы
    сөздерін`) is no position: a name in front of it is a person's (joined to the surname
    before it), the rest common words."""
    for cls, a, b in entities(labels):
        if cls != "POSITION" or any(_title_word(w) for w in words[a:b]):
            continue
        _clear(labels, a, b)
        if _is_cap_word(words[a]) and not _kinship(words[a]) and a > 0 \
                and labels[a - 1][2:] == "PERSON" and _SURNAME.match(words[a - 1]):
            labels[a] = "I-PERSON"  # `Мұқашев Қасым`: the surname, then the given name


def split_titles(words: list[str], labels: list[str]) -> None:
    """A title the tagger read with a named body in front (`Ақмола губерниялық комитетінің
    хатшысы`, `ХКК төрағасы`, `«Еңбекші қазақ» газетінің редакторы`) is the body
    (ORGANISATION, a quoted name without its quotes and head noun) and the title (POSITION),
    as the team golds of historical prose write them (the sample's `Қаратай ауданының атқару
    комитетінің | төраға орынбасары`); a generic body stays in the title (`Өлкелік комитеттің
    хатшысы`, scripts/data/ner_domain_*.txt). Historical prose only."""
    for cls, a, b in entities(labels):
        if cls != "POSITION" or b - a < 2:
            continue
        # the first title word after a body word: `Халық Комиссарлары` is in the body's name
        # (`РКФСР Халық Комиссарлары Кеңесі | төрағасының орынбасары`)
        k = next((i for i in range(a + 1, b) if _title_word(words[i]) and _body_word(words[i - 1])), None)
        if k is None or not _named_body(words, a, k):
            continue
        if words[a] in _OPEN:
            close = _quoted(words, a)
            if not a < close < k:
                continue
            _clear(labels, a, k)
            _set_span(labels, a + 1, close, "ORGANISATION")
        elif _SURNAME.match(words[a]) and not _abbr(words[a]):
            # `Байтұрсынов | газеттің | редакторы`: the person, a generic body, the title
            _clear(labels, a, k)
            _set_span(labels, a, a + 1, "PERSON")
            if k > a + 1 and (words[a + 1][:1].isupper() or _abbr(words[a + 1])):
                _set_span(labels, a + 1, k, "ORGANISATION")
        else:
            _set_span(labels, a, k, "ORGANISATION")
        _set_span(labels, k, b, "POSITION")
