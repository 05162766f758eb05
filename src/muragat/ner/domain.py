"""Span rules for names the TV-news training data rarely shows (historical prose).

All word knowledge is in data/gaz/*.txt; these functions only say how to use it. They work on
one sentence's IOB2 labels in place; `spans.repair` runs after them.

Always (they agree with KazNERD's own convention):
- `trim_leading`: a name never starts with a sentence adverb (`Алайда БК(б)П ...` -> `БК(б)П ...`);
- `quoted_press`: quoted names before `газет`/`журнал` are ORGANISATION, quotes outside,
  also in coordinations (`«Еңбекші қазақ» пен «Советская степь» газеттеріне`);
- `money`: a CARDINAL followed by a currency word is MONEY with the currency (`250 мың сом`).
Historical prose only:
- `bodies`: Soviet bodies ending in a singular head noun (`Қазақ өлкелік комитетінің`,
  `Заң халық комиссариаты`, `өлкелік атқару комитеті`, `БК(б)П Қазақстан өлкелік комитеті`);
- `surname_lists`: surnames listed next to a PERSON are persons (`Қонышбаев, Бұлғұжанов, ...`).
"""

from __future__ import annotations

import re
from functools import cache

from muragat.ner.features import _INITIALS, _SURNAME, _read_list, lexicon
from muragat.ner.spans import entities

_ROMAN = re.compile(r"^[IVXLC]+$")
_CONNECT = frozenset({"мен", "пен", "бен", "және", ",", "тағы", "басқа", "да", "де"})
_OPEN = ("«", "“", '"')
# DATE keeps its demonstratives (`осы жылы` is one DATE in KazNERD); names never start so
_NAME_STARTS = frozenset({"B-ORGANISATION", "B-PERSON", "B-GPE", "B-LOCATION", "B-FACILITY"})
_CLOSE = ("»", "”", '"')
_GENITIVE = ("ның", "нің", "дың", "дің", "тың", "тің")


@cache
@cache
def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(_read_list(name)))


def _cls(label: str) -> str:
    return label[2:] if label != "O" else ""


def _set_span(labels: list[str], a: int, b: int, cls: str) -> None:
    """Label [a, b) as one entity; entities cut on either side keep their remaining part."""
    if b < len(labels) and labels[b].startswith("I-"):
        labels[b] = "B-" + labels[b][2:]
    labels[a:b] = ["B-" + cls] + ["I-" + cls] * (b - a - 1)


def _clear(labels: list[str], a: int, b: int) -> None:
    for i in range(a, b):
        labels[i] = "O"
    if b < len(labels) and labels[b].startswith("I-"):
        labels[b] = "B-" + labels[b][2:]


def trim_leading(words: list[str], labels: list[str]) -> None:
    lead = frozenset(_words("lead_function.txt"))
    for i, lab in enumerate(labels):
        if lab in _NAME_STARTS and words[i].lower() in lead:
            nxt = i + 1
            labels[i] = "O"
            if nxt < len(labels) and labels[nxt] == "I-" + lab[2:]:
                labels[nxt] = lab
    for ent in entities(labels):
        if not any(ch.isalnum() for w in words[ent[1] : ent[2]] for ch in w):
            _clear(labels, ent[1], ent[2])  # a lone `/` or `–` left over


def _quoted(words: list[str], i: int) -> int:
    """Index of the closing quote for an opening quote at i, or -1."""
    for j in range(i + 1, min(len(words), i + 12)):
        if words[j] in _CLOSE:
            return j
    return -1


def _press_name(words: list[str], historical: bool) -> bool:
    """Is a quoted name a known newspaper (`Еңбекші қазақта` starts like `еңбекші қазақ`)?

    One-word titles (`Сарыарқа`, `Қазақ`) are also cinemas and shops: only in historical prose."""
    text = " ".join(words).lower()
    return any(text.startswith(n) and len(text) - len(n) <= 3 and (historical or " " in n)
               for n in _words("press_names.txt"))


def quoted_press(words: list[str], labels: list[str], historical: bool = False) -> None:
    heads = _words("press.txt")
    i = 0
    while i < len(words):
        if words[i] not in _OPEN:
            i += 1
            continue
        names: list[tuple[int, int]] = []
        j = i
        while j < len(words) and words[j] in _OPEN:
            close = _quoted(words, j)
            if close <= j + 1:
                break
            names.append((j, close))
            k = close + 1
            while k < len(words) and words[k].lower() in _CONNECT and k - close <= 3:
                k += 1
            j = k
        in_position = any(_cls(lab) == "POSITION" for lab in labels[i : j + 1])
        if in_position:  # KazNERD: `« X » газетінің бас редакторы` is one POSITION, quotes too
            names = []
        if names and j < len(words) and words[j].lower().startswith(heads):
            for a, b in names:
                _clear(labels, a, b + 1)
                _set_span(labels, a + 1, b, "ORGANISATION")
            _clear(labels, j, j + 1)
            i = j + 1
        else:
            for a, b in names:
                if _press_name(words[a + 1 : b], historical):
                    _clear(labels, a, b + 1)
                    _set_span(labels, a + 1, b, "ORGANISATION")
            i = max(i + 1, j)


def money(words: list[str], labels: list[str]) -> None:
    cur = _words("currency.txt")
    for i in range(1, len(words)):
        if labels[i] == "O" and _cls(labels[i - 1]) == "CARDINAL" and words[i].lower().startswith(cur):
            a = i - 1
            while labels[a].startswith("I-"):
                a -= 1
            _set_span(labels, a, i + 1, "MONEY")
    for cls, a, b in entities(labels):  # `80 мың сом` read as an amount of goods
        if cls == "QUANTITY" and words[b - 1].lower().startswith(cur):
            _set_span(labels, a, b, "MONEY")
    ents = entities(labels)
    for (c1, _, b), (c2, a2, b2) in zip(ents, ents[1:], strict=False):  # `13208699 сом 92 тиын`
        if c1 == c2 == "MONEY" and b == a2 and words[b2 - 1].lower().startswith("тиын"):
            labels[a2] = "I-MONEY"


def _is_head(low: str, heads: tuple[str, ...]) -> bool:
    for h in heads:
        if low.startswith(h):
            rest = low[len(h):]
            # plurals (`комитеттерінің`) are generic bodies, not names
            return not rest.lstrip("т").startswith(("ер", "ар", "лар", "лер", "дар", "дер"))
    return False


def bodies(words: list[str], labels: list[str]) -> None:
    heads = _words("body_head.txt")
    mods = _words("body_mod.txt")
    levels = _words("body_level.txt")
    abbr = lexicon().org_abbr
    positions = tuple(lexicon().gaz["position"])
    stop = _CONNECT | frozenset(_words("lead_function.txt"))
    for h, word in enumerate(words):
        if not _is_head(word.lower(), heads):
            continue
        cls = _cls(labels[h])
        if h and _is_head(words[h - 1].lower(), heads):
            continue  # `комитетінің бюросында`: a part of a body, the body is the name
        nxt = words[h + 1].lower() if h + 1 < len(words) else ""
        # a short stem (`бас`) names a position only as a word: `баспасөз бөлімі` is no title
        if any(nxt == p or (len(p) > 3 and nxt.startswith(p)) for p in positions):
            continue  # `өлкелік комитеттің хатшысы`: the head is inside a POSITION
        a = h
        anchor = False
        level = False
        # a person's name never ends in a body's head: `Қызыл Армия` read as a PERSON is a body
        inside = h
        while cls == "PERSON" and inside > 0 and labels[inside] == "I-PERSON":
            inside -= 1
        while a > 0:
            w = words[a - 1]
            low = w.lower()
            person = _cls(labels[a - 1]) == "PERSON" and a - 1 < inside
            if low in stop or _SURNAME.match(w) or _INITIALS.match(w) or person:
                break  # `Н. Нұрмақов Қазақ АКСР ...`: a person before the body is not in it
            if low.endswith(_located_endings()) and w not in abbr:
                if w[:1].isupper() and _cls(labels[a - 1]) == "ORGANISATION":
                    _set_span(labels, a - 1, a, "GPE")  # read into the body: a place
                break  # `Мәскеудегі | әскери академия`: where the body is, not its name
            if _is_head(low, heads) and not w.isupper() and low.endswith(_GENITIVE):
                break  # `Орталық Комитеттің | Партиялық бақылау комиссиясы`: two bodies
            if low.startswith(mods):
                level = level or low.startswith(levels)
                # `Жер комиссариаты`, `Бақылау комиссиясы`: a capitalized modifier, also a
                # sentence's first word, names the body (a generic one is written lower-case)
                anchor = anchor or w[:1].isupper()
                a -= 1
            elif w in abbr or w.split("-")[0] in abbr or _cls(labels[a - 1]) == "ORGANISATION":
                anchor = True
                a -= 1
            elif w[:1].isupper() and w.lower() not in _CONNECT:
                anchor = True
                a -= 1
            else:
                break
        if a == h or not (anchor or level):
            continue
        while a < h and not words[a][:1].isupper() and not words[a].lower().startswith(levels):
            a += 1  # a generic lower-case start (`атқару комитеті`) only with a level word
        if a == h:
            continue
        t = a - 1  # a name running into the span from the left ends before it, minus `және`
        while t >= 0 and labels[a].startswith("I-") and labels[t] != "O" and words[t].lower() in stop:
            labels[t] = "O"
            t -= 1
        _set_span(labels, a, h + 1, "ORGANISATION")
        if cls:  # the old span's tail (`VI пленумында С. Нұрпейісов`) was its error
            k = h + 1
            while k < len(labels) and labels[k] in ("B-" + cls, "I-" + cls):
                labels[k] = "O"
                k += 1


@cache
def _located_endings() -> tuple[str, ...]:
    """The -дағы attributive after a locative (`Мәскеудегі`, `облысындағы`), as morph's
    morphotactics realize it."""
    from muragat.morph.tactics import noun_endings

    return tuple(noun_endings(frozenset({"loc", "attr"}), frozenset({"attr"}), after_possessive=True))


def _head_of(low: str, heads: tuple[str, ...]) -> str:
    """The body head noun a word is, in the singular (`комиссиясы` -> `комиссия`), or ''; a
    stem voiced before an ending is unvoiced by morph's phonology (`үштігінде` -> `үштік`)."""
    from muragat.morph.phonology import devoice

    head = max((h for h in heads if low.startswith(h)), key=len, default="") if _is_head(low, heads) else ""
    return head[:-1] + devoice(head[-1]) if head else ""


def document_bodies(sents: list[list[str]], labels: list[list[str]]
                    ) -> dict[tuple[int, int], tuple[int, int, int]]:
    """A capitalized head noun alone (`Комиссия төрағасы ...`, `Институт оны ...`, `Үштік`)
    names the body of that head the document has named in full, as a short reference; so does
    a lower-case short form whose words the full name holds (`аудандық атқару комитеті` after
    `Ойыл аудандық атқару комитетінің`). Elsewhere both stay generic words. In place;
    historical prose only.

    Returns, for a capitalized head alone in the sentence right after the body of that head
    was named in full (or in its own sentence), that body: (sentence, token) -> (sentence,
    start, end) of its span (`БК(б)П Қазақ өлкелік комитеті … . Комитет … қаулы қабылдады`)."""
    heads = _words("body_head.txt")
    named: set[str] = set()
    full: list[tuple[str, ...]] = []  # the lower-case words of each named body, head last
    where: list[tuple[int, int, int, str]] = []  # (sentence, start, end, head) in text order
    for s, (words, labs) in enumerate(zip(sents, labels, strict=True)):
        for cls, a, b in entities(labs):
            if cls == "ORGANISATION" and b - a > 1:
                head = _head_of(words[b - 1].lower(), heads)
                named.add(head)
                full.append((*(w.lower() for w in words[a : b - 1]), head))
                where.append((s, a, b, head))
    named.discard("")
    refs: dict[tuple[int, int], tuple[int, int, int]] = {}
    for s, (words, labs) in enumerate(zip(sents, labels, strict=True)):
        _short_forms(words, labs, heads, [f for f in full if f[-1]])
        for i, w in enumerate(words):
            head = _head_of(w.lower(), heads) if w[:1].isupper() and w[1:].islower() else ""
            if not head or head not in named:
                continue
            alone = labs[i] == "O" or (labs[i][:2] == "B-" and (i + 1 == len(labs) or labs[i + 1][:2] != "I-")
                                       and labs[i][2:] not in ("PERSON", "GPE"))
            before = words[i - 1] if i else ""
            if alone and not before[:1].isupper():  # `Ғылым академиясы` is a name of its own
                if i + 1 < len(labs) and labs[i + 1][:2] == "I-":
                    labs[i + 1] = "B-" + labs[i + 1][2:]
                labs[i] = "B-ORGANISATION"
                last = next((x for x in reversed(where) if x[3] == head
                             and (x[0], x[2]) <= (s, i)), None)
                if last is not None and last[0] >= s - 1:
                    refs[(s, i)] = last[:3]
    return refs


def _short_forms(words: list[str], labs: list[str], heads: tuple[str, ...],
                 full: list[tuple[str, ...]]) -> None:
    """Lower-case modifiers and a head left outside any name that a body named in full in the
    document holds, in order and with its head (`өлкелік комитеттің` ~ `Қазақ өлкелік
    комитеті`), are that body's short form."""
    mods = _words("body_mod.txt")
    for h, w in enumerate(words):
        head = _head_of(w, heads) if w.islower() and labs[h] == "O" else ""
        if not head:
            continue
        a = h
        while a > 0 and labs[a - 1] == "O" and words[a - 1].islower() and words[a - 1].startswith(mods):
            a -= 1
        short = (*words[a:h], head)
        if a < h and any(len(f) > len(short) and _in_order(short, f) for f in full):
            _set_span(labs, a, h + 1, "ORGANISATION")


def _in_order(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return short[-1] == long[-1] and all(x in it for x in short)


def drop_adage(labels: list[str]) -> None:
    """Proverbs (ADAGE) do not occur in historical prose; there the class only catches speech."""
    for i, lab in enumerate(labels):
        if lab.endswith("-ADAGE"):
            labels[i] = "O"


def _bare_type(word: str) -> bool:
    """A lower-case place type in a case form without the possessive a name's type word
    takes (`республиканың`, not `республикасының`, `ауданында`)."""
    if not word.islower():
        return False
    for base in sorted(lexicon().gaz["place_type"], key=len):  # the bare type first
        rest = word[len(base):]
        if word.startswith(base) and rest:
            return not rest.startswith(("с", "ы", "і")) and rest in _case_forms()
    return False


@cache
def _case_forms() -> frozenset[str]:
    from muragat.ner.lemma import case_endings

    return case_endings()


def _pronoun(word: str) -> bool:
    """A pronoun as morph's closed-class lexicon reads it (`оны`, `оның`, `олар`)."""
    from muragat.morph import analyze

    return word.isalpha() and any(a.upos == "PRON" and a.source in ("lex", "closed")
                                  for a in analyze(word))


def body_word(word: str, inside: bool = False) -> bool:
    """A body's abbreviation (`ОГПУ`, `Қарлагқа`, `АЛЖИР-де`: data/gaz/org_abbr.txt and
    rules/body_abbr.txt, case endings allowed) or a Soviet stump compound (`Губком`, `Уком`, `Халағарткомы`:
    data/gaz/rules/body_compound.txt; `inside` a name also lower-case: `Семей округкомы`)."""
    abbr = _body_abbr()
    if word in abbr or word.split("-")[0] in abbr:
        return True
    endings = _noun_endings()
    # each cut point once (a set lookup each), not each of the ~100 endings: every token of
    # historical prose passes here
    if word[:1].isupper() and any(word[:k] in abbr and word[k:] in endings
                                  for k in range(1, len(word))):
        return True
    if not (word[:1].isupper() or inside) or word.isupper():
        return False
    low = word.lower()
    for stump in _words("rules/body_compound.txt"):
        i = low.rfind(stump)
        rest = low[i + len(stump):] if i >= 0 else None
        if i >= 1 and (rest == "" or rest in endings):
            return True
    return False


@cache
def _body_abbr() -> frozenset[str]:
    return frozenset(lexicon().org_abbr) | _read_list("rules/body_abbr.txt", lower=False)


@cache
def _noun_endings() -> frozenset[str]:
    from muragat.ner.lemma import case_endings

    return case_endings() | {"ы", "і"}


_LOCAL_LEVELS = ("аудандық", "облыстық", "қалалық", "ауылдық", "округтік", "губерниялық", "уездік",
                 "өлкелік")


def states(words: list[str], labels: list[str]) -> None:
    """A body span that is only a Soviet state's name (data/gaz/rules/state_abbr.txt) is the
    state, a place (`Қазақ АКСР өкіметінің`), unless a body's abbreviation follows it: then the
    two are one body (`Қазақ АКСР | ОАК-да`)."""
    ends = _read_list("rules/state_abbr.txt", lower=False)
    for cls, a, b in entities(labels):
        if cls == "PERSON" and b - a > 1 and b < len(words) and words[b] in ends \
                and words[b - 1][:1].isupper():
            # `Шалабаев Қазақ | АКСР Жоғарғы Сотының`: the state's first word is no name's
            labels[b - 1] = "B-" + (labels[b][2:] if labels[b] != "O" else "ORGANISATION")
            if labels[b] != "O":
                labels[b] = "I-" + labels[b][2:]
    for cls, a, b in entities(labels):
        if cls not in ("ORGANISATION", "GPE") or words[b - 1] not in ends:
            continue
        after = words[b].split("-")[0] if b < len(words) else ""
        head = _state_body_end(words, labels, b)
        if head:
            _set_span(labels, a, head, "ORGANISATION")  # `Қазақ АКСР | прокуратурасының`
        elif labels[b:b + 1] == ["B-ORGANISATION"] or (labels[b:b + 1] == ["O"] and len(after) > 1
                                                       and after.isupper() and after.isalpha()):
            _set_span(labels, a, b + 1, "ORGANISATION")
        elif cls == "ORGANISATION":
            _set_span(labels, a, b, "GPE")


def _state_body_end(words: list[str], labels: list[str], b: int) -> int:
    """The end of a body's name that goes on after a state's name outside any span, up to its
    head noun within four words (`Қазақ АКСР | прокуратурасының`, `Қазақ КСР | Мемлекеттік
    қауіпсіздік комитетінің`); 0 when none does."""
    heads = _words("body_head.txt")
    for k in range(b, min(b + 4, len(words))):
        if labels[k] != "O" or not words[k].isalpha():
            return 0
        if _is_head(words[k].lower(), heads):
            return k + 1
    return 0


def split_run_on_bodies(words: list[str], labels: list[str]) -> None:
    """Two bodies read as one span are two (after `bodies` has built the spans)."""
    for cls, a, b in entities(labels):
        if cls == "ORGANISATION" and b - a > 1:
            second = _second_body(words, a, b)
            if second is not None:
                labels[second] = "B-ORGANISATION"


def _second_body(words: list[str], a: int, b: int) -> int | None:
    """Where a second body starts in a body's span: after a head noun alone at its start
    (`Комиссия | Жұмысшы-шаруа инспекциясы ...`), or after a head noun that a level word
    follows (`Орталық бақылау комиссиясы | өлкелік комиссияның`)."""
    heads = _words("body_head.txt")
    levels = _words("body_level.txt")
    first = words[a].lower()
    if first in heads and words[a + 1][:1].isupper() and not (b - a == 2 and _is_head(words[a + 1].lower(), heads)):
        return a + 1  # not `Халком Кеңесінің`, a stump and its head
    if _abbreviation_then_name(words, a, b, heads):
        return a + 1
    for i in range(a, b - 1):
        nxt = words[i + 1]
        if _is_head(words[i].lower(), heads) and not words[i].lower().endswith(_GENITIVE) \
                and nxt.islower() and nxt.startswith(levels):
            return i + 1
    return None


def _abbreviation_then_name(words: list[str], a: int, b: int, heads: tuple[str, ...]) -> bool:
    """`ОГПУ | Ішкі істер халық комиссариатының`: a body's abbreviation, uninflected, then a
    body named in full by capitalized words; not a party's or a state's prefix (`БК(б)П ОК`),
    nor a department of the body in a place (`НКВД Ертіс аудандық бөлімі`)."""
    first, nxt = words[a], words[a + 1]
    owners = _read_list("party_abbr.txt", lower=False) | _read_list("rules/owner_abbr.txt", lower=False)
    if first not in _body_abbr() or first in owners \
            or not nxt[:1].isupper() or nxt.isupper() or b - a < 3:
        return False
    places = lexicon().gaz["gpe"]
    return nxt.lower() not in places and not words[a + 2].lower().startswith(_LOCAL_LEVELS) \
        and _is_head(words[b - 1].lower(), heads)


def _cut_bodies(words: list[str], labels: list[str]) -> None:
    """A body's name holds no pronoun (`БМСБ | оны кеңес үкіметіне`: the name ends before
    it), and a capitalized place in the -дағы form in front of it is where the body is
    (`Верныйдағы | гимназияда`: a place, then a generic word unless a name goes on)."""
    for cls, a, b in entities(labels):
        if cls != "ORGANISATION" or b - a < 2:
            continue
        cut = next((i for i in range(a + 1, b) if words[i].islower() and _pronoun(words[i])), None)
        if cut is not None:
            _clear(labels, cut, b)
            b = cut
        if b - a > 1 and words[a][:1].isupper() and words[a].lower().endswith(_located_endings()) \
                and words[a] not in lexicon().org_abbr:
            labels[a] = "B-GPE"
            if words[a + 1][:1].isupper():
                labels[a + 1] = "B-ORGANISATION"
            else:
                _clear(labels, a + 1, b)


_VALUE_CLASSES = frozenset({"DATE", "TIME", "QUANTITY", "CARDINAL", "ORDINAL", "MONEY",
                            "PERCENTAGE"})


def _cut_value_at_body(words: list[str], labels: list[str], i: int) -> None:
    """A value's span holds no body's abbreviation: the value ends before it, the body is
    the word itself, and a capitalized word after it starts a name."""
    cls = labels[i][2:]
    labels[i] = "B-ORGANISATION"
    k = i + 1
    if k < len(labels) and labels[k] == "I-" + cls:
        name = words[k][:1].isupper() and words[k][1:].islower()
        labels[k] = "B-PERSON" if name else "O"
        k += 1
        while k < len(labels) and labels[k] == "I-" + cls:
            labels[k] = "I-PERSON" if name else "O"
            k += 1


def historical_labels(words: list[str], labels: list[str]) -> None:
    """Body abbreviations are organisations whatever the model says; junk spans of damaged
    text go (a percentage without a percent, a contact without an address, a lone Roman
    numeral); administrative places are GPE."""
    for i, w in enumerate(words):
        inside = labels[i].startswith("I-")
        if labels[i] == "O" and i and labels[i - 1] != "O" and w.islower() and words[i - 1][:1].isupper() \
                and body_word(w, inside=True):
            # `Ағарту | халкомы`, `Семей | губкомы`: a stump after a name makes it a body's name
            a = i - 1
            while a > 0 and labels[a].startswith("I-"):
                a -= 1
            _set_span(labels, a, i + 1, "ORGANISATION")
            continue
        if labels[i] in ("B-ORGANISATION", "I-ORGANISATION") or not body_word(w, inside):
            continue
        if inside:
            last = i + 1 == len(labels) or not labels[i + 1].startswith("I-")
            abbreviation = w.split("-")[0].isupper()
            if last and (labels[i] != "I-PERSON" or abbreviation):
                # `Семей округкомы`, `Жаңаарқа АІК-нің`: the span is a body
                a = i
                while a > 0 and labels[a].startswith("I-"):
                    a -= 1
                _set_span(labels, a, i + 1, "ORGANISATION")
            elif abbreviation and labels[i][2:] in _VALUE_CLASSES:
                _cut_value_at_body(words, labels, i)  # `1938 жылғы көктемде | ІІХК | Шәрбануды`
            continue
        if i + 1 < len(labels) and labels[i + 1].startswith("I-") and labels[i][2:] == "ORGANISATION" \
                and _is_head(words[i + 1].lower(), _words("body_head.txt")):
            continue  # `Халком Кеңесінің`: a stump and a head noun are one body's name
        if i + 1 < len(labels) and labels[i + 1].startswith("I-"):
            # `ОГПУ Ы.Мұқашұлын`, `Губком Жантөреевті`, `АІК төрағасы`: the body, then the
            # span's own name or title
            cls = _cls(labels[i])
            rest = "PERSON" if cls == "FACILITY" and (_INITIALS.match(words[i + 1])
                                                     or _SURNAME.match(words[i + 1])) else cls
            labels[i + 1] = "B-" + rest
            k = i + 2
            while k < len(labels) and labels[k] == "I-" + cls:
                labels[k] = "I-" + rest
                k += 1
        labels[i] = "B-ORGANISATION"
    units = tuple(lexicon().gaz["place_unit"])
    heads = _words("body_head.txt")
    _cut_bodies(words, labels)
    for cls, a, b in entities(labels):
        if not any(ch.isalnum() for w in words[a:b] for ch in w):
            _clear(labels, a, b)  # a lone `/` or `–`
            continue
        last = words[b - 1].lower()
        if cls == "ORGANISATION" and b - a > 1 and last.startswith(heads) and not _is_head(last, heads):
            # `Ақмола губерниясындағы аудандық атқару комитеттерінің`: plural bodies are generic
            _clear(labels, a, b)
            if words[a][:1].isupper() and words[a + 1].lower().startswith(units):
                _set_span(labels, a, a + 2, "GPE")
            continue
        if cls == "PERSON" and b < len(words) and labels[b] == "O" and words[b].islower() \
                and _is_head(words[b].lower(), heads) and not _SURNAME.match(words[b - 1]):
            # `Әскери | алқасы`: a capitalized word before a body's head noun names the body
            _set_span(labels, a, b + 1, "ORGANISATION")
            continue
        if cls == "PERSON" and b - a > 1 and words[a].lower() in _words("rules/compass.txt"):
            # `Шығыс Сібірге`: a region, a state's when a unit names it (`Солтүстік Қазақстан облысы`)
            unit = any(w.lower().startswith(units) for w in words[a + 1 : b])
            _set_span(labels, a, b, "GPE" if unit else "LOCATION")
            continue
        if cls == "GPE" and b - a > 1 and _bare_type(words[b - 1]):
            _clear(labels, b - 1, b)  # `Қызылорда | республиканың астанасы`: no name's type word
            continue
        if cls == "LOCATION" and b - a > 1 and words[b - 1].lower().startswith(units):
            _set_span(labels, a, b, "GPE")  # `Шыңғыстау болысында`: an administrative unit
            continue
        text = words[a:b]
        if cls == "PERCENTAGE" and not any("%" in w or w.lower().startswith(("пайыз", "процент")) for w in text):
            _clear(labels, a, b)  # `1936-` at a broken line end is not a percentage
        elif cls == "CONTACT" and not any("@" in w or "." in w[1:-1] or w.lower().startswith(("тел", "www")) for w in text):
            _clear(labels, a, b)
        elif b - a == 1 and cls != "ORDINAL" and _ROMAN.match(text[0]):
            _clear(labels, a, b)  # `VI пленумы`: a congress number, not a name
        elif (cls == "ORGANISATION" and b - a > 1 and _SURNAME.match(text[0]) and not (a and words[a - 1] in _OPEN)
              and all(w.islower() for w in text[1:])):
            labels[a : b] = ["B-PERSON"] + ["O"] * (b - a - 1)  # `Ақмұрзин кеңес үкіметіне`


def surname_lists(words: list[str], labels: list[str]) -> None:
    changed = True
    while changed:
        changed = False
        for i, w in enumerate(words):
            if labels[i].endswith("PERSON") or not _SURNAME.match(w):
                continue
            if i + 1 < len(labels) and labels[i + 1].startswith("I-"):
                continue
            near = []
            for d in (-2, 2):
                j = i + d
                if 0 <= j < len(words) and words[(i + j) // 2].lower() in _CONNECT:
                    near.append(labels[j].endswith("PERSON") or bool(_SURNAME.match(words[j])))
            if any(near):
                labels[i] = "B-PERSON"
                changed = True
