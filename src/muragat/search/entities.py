"""Entity mentions consolidated into entities across name forms, inflections and documents.

A pure function over the store's mention groups (label, key, name, document, count):
`consolidate(groups) -> [Entity]`, most mentioned first. Every merge has a reason
(`Entity.reasons`: name -> why it joined), shown by `muragat entities --why`.

People (PERSON), by evidence, strongest first:
1. first name and surname (`Смағұл Сәдуақасов`, `Сәдуақасов Смағұл`, `Смағұл Сәдуақасұлы`):
   one person everywhere; a surname's Soviet and Kazakh patronymic forms are one
   (`variants.surname_stem`), a woman's surname (`-ова`, `-қызы`) is not a man's;
2. initial and surname (`С. Сәдуақасов`, `С.Сәдуақасұлы`): the one full name of that initial
   in the same document, else the only one in the store;
3. surname alone (`Сәдуақасовты`): the only person of that surname in the document, or the
   document's subject among several, else the only one in the store;
4. one word that is no surname (`Смағұл`): the one person of the document with that first name.
Same surname with another initial or first name stays apart.

Bodies (ORGANISATION): known names of one body (data/bodies.tsv: `БК(б)П ОК` = `Орталық
Комитет` = `ОК`) everywhere; within a document an abbreviation joins the name whose words'
initials it spells (`ХКК` ~ `Халық Комиссарлары Кеңесі`) and a short form the longer name
holding its words (`өлкелік комитет` ~ `Қазақ өлкелік комитеті`). Other labels: by base form,
an inflected key folded into a shorter known one.
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from muragat.i18n import t
from muragat.morph import phonology
from muragat.search.variants import surname_stem
from muragat.terms import PERSON, given_name, initial, is_surname, mention_key, terms

ORGANISATION = "ORGANISATION"
_MIN_ROOT = 4  # shorter roots fold too eagerly (`Ата` + `ның`)


def _data(name: str) -> str:
    return resources.files("muragat.search").joinpath("data/" + name).read_text("utf-8")


@functools.cache
def endings() -> frozenset[str]:
    """The nominal endings a mention may carry (plural, 3rd-person possessive, case, -дағы),
    as morph's morphotactics realize them: `Тоғжановтың` folds into `Тоғжанов`."""
    from muragat.morph.tactics import noun_endings

    arcs = frozenset({"pl", "p3", "gen", "acc", "dat", "loc", "abl", "ins", "attr"})
    return noun_endings(arcs, after_possessive=True)


def fold(key: str, shorter: set[str]) -> str:
    """`key` without a nominal ending if what is left is another known key."""
    head, _, last = key.rpartition(" ")
    prefix = head + " " if head else ""
    for cut in range(1, min(len(last) - _MIN_ROOT, 8) + 1):
        root, tail = last[:-cut], last[-cut:]
        if tail in endings() and prefix + root in shorter:
            return prefix + root
    return key


@dataclass(slots=True)
class MentionGroup:
    """Mentions of one (label, key, name) in one document, as the store groups them."""

    label: str
    key: str
    name: str
    document: int
    mentions: int


@dataclass(slots=True)
class Entity:
    id: str
    label: str
    name: str
    mentions: int
    documents: int
    names: dict[str, int] = field(default_factory=dict)
    members: list[tuple[int, str]] = field(default_factory=list)  # (document, name) held
    reasons: dict[str, str] = field(default_factory=dict)  # name -> why it joined
    place_type: str | None = None  # `аудан`, `уез`, `қала` … where a name says it

    def to_dict(self, why: bool = False) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "type": self.label, "name": self.name,
                                  "mentions": self.mentions, "documents": self.documents,
                                  "names": self.names}
        if self.place_type:
            out["place_type"] = self.place_type
        if why:
            out["reasons"] = self.reasons
        return out


class _Union:
    """Union-find over group indexes; a joined group keeps the first reason given for it."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.why: dict[int, str] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, keep: int, other: int, reason: str) -> None:
        a, b = self.find(keep), self.find(other)
        if a != b:
            self.parent[b] = a
        self.why.setdefault(other, reason)


def _best_name(names: Counter[str], label: str) -> str:
    """A full first name beats an initial; then the most frequent; then the longest."""
    def score(item: tuple[str, int]) -> tuple[int, int, int]:
        words = terms(item[0])
        full = int(label == PERSON and len(words) > 1 and len(words[0]) > 1)
        return (full, item[1], len(item[0]))

    return max(names.items(), key=score)[0]


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


# -- people ------------------------------------------------------------------------------
@dataclass(slots=True)
class _Person:
    given: str | None  # first name in full
    ini: str | None  # first letter of the first name
    raw: str  # the surname (or the one word) as written, lower case, folded
    stem: str | None  # surname_stem(raw) when the mention has a surname


@functools.lru_cache(maxsize=200_000)
def _name_parts(name: str) -> tuple[str, str | None, str | None, int]:
    """(surname or the one word, first name, initial, number of words) of a person's name."""
    return (mention_key(PERSON, name), given_name(PERSON, name), initial(PERSON, name),
            len(terms(name)))


def _parse_people(items: list[MentionGroup]) -> list[_Person]:
    parts = [_name_parts(g.name) for g in items]
    known = {k for k, _, _, n in parts if n > 1}
    out = []
    stems: dict[str, str] = {}
    for g, (key, given, ini, n) in zip(items, parts, strict=True):
        key = fold(key or g.key, known)  # a fold never returns the key itself
        shaped = is_surname(key) or n > 1
        if shaped and key not in stems:
            stems[key] = surname_stem(key)
        out.append(_Person(given, ini, key, stems[key] if shaped else None))
    return out


def _people(items: list[MentionGroup]) -> _Union:
    people = _parse_people(items)
    u = _Union(len(items))
    # 1. first name and surname: one person wherever they are written
    anchor: dict[tuple[str, str], int] = {}
    for i, p in enumerate(people):
        if p.given and p.stem:
            first = anchor.setdefault((p.stem, p.given), i)
            if first != i:
                u.join(first, i, _full_reason(people[first], p, items[first].name))
    full_by_stem: dict[str, list[int]] = defaultdict(list)
    for (stem, _), i in anchor.items():
        full_by_stem[stem].append(i)
    docs_of = _docs_of(items, u)
    # 2. initial and surname
    alone: dict[tuple[str, str], int] = {}
    for i, p in enumerate(people):
        if p.given or not p.ini or not p.stem:
            continue
        cands = [a for a in full_by_stem[p.stem] if people[a].given.startswith(p.ini)]  # type: ignore[union-attr]
        here = [a for a in cands if items[i].document in docs_of[u.find(a)]]
        pick = here if here else cands
        if len(pick) == 1:
            ini = p.ini.upper()
            where = "" if here else t(" (қоймада жалғыз)", " (the only one in the store)")
            u.join(pick[0], i, t(f"тегі бір, аты {ini} әрпінен", f"same surname, initial {ini}")
                   + where)
        else:
            first = alone.setdefault((p.stem, p.ini), i)
            if first != i:
                u.join(first, i, t(f"тегі бір, аты {p.ini.upper()} әрпінен",
                                   f"same surname and initial {p.ini.upper()}"))
    _first_names_alone(items, people, u)
    _surnames_alone(items, people, u)
    return u


def _full_reason(first: _Person, p: _Person, first_name: str) -> str:
    if p.raw != first.raw:
        return t(f"{first_name}: тегінің -ов/-ұлы түрі", f"patronymic form of {first_name}")
    return t("аты мен тегі бірдей", "same first name and surname")


def _docs_of(items: list[MentionGroup], u: _Union) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for i, g in enumerate(items):
        out[u.find(i)].add(g.document)
    return out


def _in_document(items: list[MentionGroup], u: _Union, people: list[_Person]
                 ) -> dict[int, dict[int, int]]:
    """Document -> {person root named there with a first name or an initial: its mentions
    there}."""
    named = {u.find(i) for i, p in enumerate(people) if p.given or p.ini}
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for i, g in enumerate(items):
        root = u.find(i)
        if root in named:
            out[g.document][root] = out[g.document].get(root, 0) + g.mentions
    return out


def _subject(counts: dict[int, int]) -> int | None:
    """The person a document is about: mentioned there at least twice as often as anyone
    else (a biography names its subject throughout, the others in passing)."""
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    return None


def _surnames_alone(items: list[MentionGroup], people: list[_Person], u: _Union) -> None:
    named = _in_document(items, u, people)
    stem_of = {u.find(i): p.stem for i, p in enumerate(people) if p.stem and (p.given or p.ini)}
    everywhere: dict[str, set[int]] = defaultdict(set)
    for root, stem in stem_of.items():
        everywhere[stem].add(u.find(root))  # type: ignore[index]
    bare: dict[str, int] = {}
    for i, p in enumerate(people):
        if p.given or p.ini or not p.stem:
            continue
        here = named[items[i].document]
        cands = [r for r in here if stem_of.get(r) == p.stem]
        sur = _title(p.raw)
        if len(cands) == 1:
            u.join(cands[0], i, t(f"тегі ғана: құжаттағы жалғыз {sur}",
                                  f"surname alone, the only {sur} in this document"))
        elif len(cands) > 1 and _subject(here) in cands:
            u.join(_subject(here), i, t(f"тегі ғана: құжат осы {sur} туралы",  # type: ignore[arg-type]
                                        f"surname alone, {sur} the document is about"))
        elif not cands and len(everywhere[p.stem]) == 1:
            u.join(next(iter(everywhere[p.stem])), i, t(f"тегі ғана: қоймадағы жалғыз {sur}",
                                                        f"surname alone, the only {sur} in the store"))
        else:
            first = bare.setdefault(p.stem, i)
            if first != i:
                u.join(first, i, t("тегі бірдей", "same surname"))


def _first_names_alone(items: list[MentionGroup], people: list[_Person], u: _Union) -> None:
    named = _in_document(items, u, people)
    given_of: dict[int, set[str]] = defaultdict(set)
    for i, p in enumerate(people):
        if p.given:
            given_of[u.find(i)].add(p.given)
        if p.given or p.ini:
            given_of[u.find(i)].add(p.raw)
    alone: dict[str, int] = {}
    for i, p in enumerate(people):
        if p.stem:
            continue
        here = named[items[i].document]
        cands = [r for r in here if p.raw in given_of[u.find(r)]]
        if len(cands) > 1 and _subject(here) in cands:
            cands = [_subject(here)]  # type: ignore[list-item]
        if len(cands) == 1:
            u.join(cands[0], i, t("аты ғана: құжат осы адам туралы",
                                  "first name alone in a document about this person"))
        else:
            first = alone.setdefault(p.raw, i)
            if first != i:
                u.join(first, i, t("атауы бірдей", "same name"))


# -- bodies ------------------------------------------------------------------------------
@functools.cache
def _forms() -> dict:
    return json.loads(_data("body_forms.json"))


def body_key(name: str) -> str:
    """Lower-case words, the last without its 3rd-person possessive (`Орталық Комитеті` ->
    `орталық комитет`, `Жазушылар одағы` -> `жазушылар одақ`)."""
    words = terms(name)
    if not words:
        return ""
    f = _forms()
    last = words[-1]
    for end in sorted(f["possessive"], key=len, reverse=True):
        stem = last[: len(last) - len(end)]
        if last.endswith(end) and len(stem) >= f["min_stem"] and not name.split()[-1].isupper():
            last = stem[:-1] + phonology.devoice(stem[-1])
            break
    last = last.removesuffix("ь") if len(last) > f["min_stem"] else last
    return " ".join([*words[:-1], f["heads"].get(last, last)])


@functools.cache
def _known_bodies() -> dict[str, str]:
    """Body key -> the first name of its line in data/bodies.tsv."""
    out: dict[str, str] = {}
    for line in _data("bodies.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            forms = [x.strip() for x in line.split(" = ")]
            for form in forms:
                out.setdefault(body_key(form), forms[0])
    return out


def _acronym(name: str) -> str | None:
    """`ХКК`, `ІІХК`, also with a syllable in front (`ҚазМУ`): a one-word name in capitals,
    lower-cased; else None (`Өлкеком`, one capital, is a word)."""
    word = name.strip()
    letters = [c for c in word if c.isalpha()]
    syllable = word.isalpha() and word[:1].isupper() and sum(c.isupper() for c in word) >= 2
    if " " in word or not 2 <= len(letters) <= 6 or not (word.isupper() or syllable):
        return None
    return "".join(letters).lower()


def _spells(acronym: str, words: list[str]) -> bool:
    """The initials of the name's last words spell the acronym (`ОАК` ~ `Қазақ Орталық
    Атқару Комитеті`), the first of them also by its first syllable, as Soviet abbreviations
    do (`ҚазМУ` ~ `Қазақ мемлекеттік университеті`, `ҚазПИ` ~ `Қазақ педагогикалық институты`)."""
    n = len(acronym)
    if len(words) > n - 1 and n > 1 and "".join(w[0] for w in words[-n:]) == acronym:
        return True
    for k in range(2, min(len(words), n - 1) + 1):  # a syllable of 2-4 letters, then initials
        first, rest = words[-k], "".join(w[0] for w in words[-k + 1:])
        cut = n - len(rest)
        if 2 <= cut <= 4 and len(first) > cut and acronym == first[:cut] + rest:
            return True
    return False


def _unstump(words: list[str]) -> list[list[str]]:
    """The words a short form may stand for, most precise first: a stump compound's in full
    (`ақтөбе губком` -> `ақтөбе губерниялық партия комитет`, then without `партия`)."""
    full = _forms()["stumps"].get(words[-1]) if words else None
    if not full:
        return [words]
    out = [[*words[:-1], *full]]
    if "партия" in full:
        out.append([w for w in out[0] if w != "партия"])
    return out


def _holds(short: list[str], long: list[str]) -> bool:
    """`short` is `long` with words left out, the head noun kept (`жер комиссариат` ~
    `жер халық комиссариат`), or all of it (a stump compound written out)."""
    if len(short) > len(long) or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(w in it for w in short)


def _qualified(name: str, words: list[str], known: list[str]) -> bool:
    """`words` are a known body's name (2 words at least) with capitalized words in front,
    the republic or place it belongs to (`Қазақ АКСР` + `Халық ағарту комиссариаты`);
    `Қазақ Орталық Атқару Комитеті` does not end in `Орталық Комитет`."""
    n = len(known)
    front = name.split()[: len(name.split()) - n]
    owners = tuple(_forms()["owners"])
    return (1 < n < len(words) and words[-n:] == known and len(front) == len(words) - n
            and all(w[:1].isupper() and not w.lower().startswith(owners) for w in front))


def unqualified(key: str) -> str:
    """A body key without the party's name in front (`бк б п орталық бақылау комиссия` ->
    `орталық бақылау комиссия`); the key itself when fewer than two words would be left."""
    words = key.split()
    qualifiers = [tuple(q) for q in _forms()["qualifiers"]]
    stripped = True
    while stripped:
        stripped = False
        for q in qualifiers:
            if len(words) - len(q) >= 2 and tuple(words[:len(q)]) == q:
                words, stripped = words[len(q):], True
                break
    return " ".join(words)


def _main_body(items: list[MentionGroup], members: list[int], u: _Union,
               longs: dict[int, int]) -> dict[int, int]:
    """Of the bodies a bare head may name (`Комитет`), the one the document names at least
    twice as often as any other; none when no body stands out so (a longer short form,
    `өлкелік комиссия`, is left apart: tried, it joined wrong bodies)."""
    counts: Counter[int] = Counter()
    for j in members:
        if u.find(j) in longs:
            counts[u.find(j)] += items[j].mentions
    (top, n), *rest = counts.most_common()
    return {top: longs[top]} if not rest or n >= 2 * rest[0][1] else {}


def _bodies(items: list[MentionGroup]) -> _Union:
    u = _Union(len(items))
    keys = [body_key(g.name) or g.key for g in items]
    known_keys = set(keys)
    keys = [fold(k, known_keys) for k in keys]  # a fold never returns the key itself
    known = _known_bodies()
    generic = frozenset(_forms()["generic"])
    same_body = frozenset(_forms()["same_body"])
    # `Алашорда ұйымы`, `Алаш Орда үкіметі`: a known body with a head that still names it
    keys = [" ".join(k.split()[:-1]) if k not in known and k.split()[-1] in same_body
            and " ".join(k.split()[:-1]) in known else k for k in keys]
    by_doc: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(items):
        by_doc[g.document].append(i)
    contextual: set[int] = set()
    for members in by_doc.values():
        for i in members:
            if keys[i] in known:
                continue
            words = keys[i].split()
            acr = _acronym(items[i].name)
            if acr:
                longs = {u.find(j): j for j in members if j != i and _spells(acr, keys[j].split())}
                if not longs and acr in _forms()["stumps"]:  # `АІК`: not the initials of its words
                    full = _unstump([acr])[-1]
                    longs = {u.find(j): j for j in members if j != i and _holds(full, keys[j].split())}
                how = t("осы құжаттағы {} атауының қысқартуы", "abbreviation of {} in this document")
            else:
                for full in _unstump(words):
                    longs = {u.find(j): j for j in members
                             if j != i and _holds(full, keys[j].split())}
                    if longs:
                        break
                how = t("осы құжаттағы {} атауының қысқа түрі", "short form of {} in this document")
                if not longs:  # `Қазақ АКСР Халық ағарту комиссариаты` ~ `Халық ағарту комиссариаты`
                    longs = {u.find(j): j for j in members
                             if keys[j] in known and _qualified(items[i].name, words, keys[j].split())}
                    name = items[i].name.replace("{", "{{").replace("}", "}}")  # for .format
                    how = t(f"осы құжатта {name} = {{}}, алдында республикасы не жері",
                            f"in this document {name} is {{}} with its republic or place in front")
            generic_alone = len(words) == 1 and words[0] in generic
            if len(longs) > 1 and generic_alone:
                longs = _main_body(items, members, u, longs)
                how = t("осы құжатта көп аталатын {} органының қысқа атауы",
                        "short name of {}, the body this document names most")
            if len(longs) == 1:
                j = next(iter(longs.values()))
                u.join(j, i, how.format(items[j].name))
                contextual.add(i)
            elif generic_alone:
                contextual.add(i)
    # names of one body everywhere: the same key, or a known name of the same body
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if i in contextual and key not in known:
            continue
        bare = unqualified(key)
        body = known.get(key) or known.get(bare) or bare
        j = first.setdefault(body, i)
        if j != i:
            if key == keys[j]:
                why = t("атауы бірдей", "same name")
            elif body in (known.get(key), known.get(keys[j])):
                why = t(f"{body} атауының белгілі түрі (data/bodies.tsv)",
                        f"a known name of {body} (data/bodies.tsv)")
            else:
                why = t(f"{body}: алдындағы партия атауынсыз бірдей",
                        f"{body}: the same without the party's name in front")
            u.join(j, i, why)
    return u


# -- other labels ------------------------------------------------------------------------
@functools.cache
def _known_places() -> dict[str, str]:
    """Place key -> its present name (data/places.tsv: `Қызылорда = Ақмешіт = Перовск`)."""
    out: dict[str, str] = {}
    for line in _data("places.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            forms = [x.strip() for x in line.split(" = ")]
            for form in forms:
                out.setdefault(" ".join(terms(form)), forms[0])
    return out


@functools.cache
def _place_stems() -> tuple[tuple[str, str], ...]:
    rows = [line.split("\t") for line in _data("place_stems.tsv").splitlines()
            if line.strip() and not line.startswith("#")]
    return tuple((a.strip(), b.strip()) for a, b in rows)


def place_key(key: str) -> str:
    """`уральскі` -> `уральск`: a place key without the vowel a Kazakh ending put after it."""
    for ending, stem in _place_stems():
        if key.endswith(ending):
            return key[: len(key) - len(ending)] + stem
    return key


def _others(items: list[MentionGroup]) -> _Union:
    u = _Union(len(items))
    is_place = bool(items) and items[0].label in _PLACES
    keys = sorted({g.key for g in items}, key=len)
    known: set[str] = set()
    root: dict[str, str] = {}
    for k in keys:
        folded = fold(k, known)
        root[k] = root.get(folded, folded)
        known.add(k)
    if is_place:
        root = {k: place_key(r) for k, r in root.items()}
    places = _known_places() if is_place else {}
    first: dict[str, int] = {}
    for i, g in enumerate(items):
        now = places.get(root[g.key])
        j = first.setdefault(now.lower() if now else root[g.key], i)
        if j == i:
            continue
        if now and root[g.key] != root[items[j].key]:
            u.join(j, i, t(f"{now}: бір жердің басқа кездегі атауы (data/places.tsv)",
                           f"{now} under another name (data/places.tsv)"))
        else:
            u.join(j, i, t("атауы бірдей", "same name") if g.key == items[j].key
                   else t("септелген түрі", "inflected form"))
    return u


@functools.cache
def _place_types() -> tuple[str, ...]:
    lines = _data("place_types.txt").splitlines()
    return tuple(sorted((w.strip() for w in lines if w.strip() and not w.startswith("#")),
                        key=len, reverse=True))


def place_type(names: Iterable[str]) -> str | None:
    """The type word a place's names give (`Ойыл ауданы` -> `аудан`), the most given first;
    None when every name is bare (`Қызылорда`)."""
    found: Counter[str] = Counter()
    for name in names:
        words = name.lower().split()
        if len(words) > 1:
            kind = next((k for k in _place_types() if words[-1].startswith(k)), None)
            if kind:
                found[kind] += 1
    return found.most_common(1)[0][0] if found else None


def _entity_id(label: str, best: str, used: set[str]) -> str:
    """`LABEL:key[:initial]`, numbered when two entities would share it."""
    ini = initial(label, best)
    base = f"{label}:{mention_key(label, best)}" + (f":{ini}" if ini else "")
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}:{n}"
    used.add(ident)
    return ident


_PLACES = ("GPE", "LOCATION")


def _people_taken_for_places(groups: list[MentionGroup]) -> tuple[list[MentionGroup], set[int]]:
    """A one-word place that is the surname or first name of a person named in full in the
    same document is that person (`Рысқұлов` is also a district: the tagger confuses them).
    Returns the groups, those moved to PERSON, and the indexes moved."""
    named: dict[int, set[str]] = defaultdict(set)
    for g in groups:
        if g.label == PERSON:
            key, given, _, n = _name_parts(g.name)
            if n > 1:
                named[g.document].update((key, given or ""))
    out, moved = [], set()
    for i, g in enumerate(groups):
        words = terms(g.name)
        if g.label in _PLACES and len(words) == 1 and words[0] in named[g.document]:
            g = MentionGroup(PERSON, mention_key(PERSON, g.name), g.name, g.document, g.mentions)
            moved.add(i)
        out.append(g)
    return out, moved


def consolidate(groups: Iterable[MentionGroup]) -> list[Entity]:
    """Entities, most mentioned first."""
    groups, moved = _people_taken_for_places([g for g in groups if g.key])
    was_place = {(groups[i].document, groups[i].name) for i in moved}
    by_label: dict[str, list[MentionGroup]] = defaultdict(list)
    for g in groups:
        by_label[g.label].append(g)
    out: list[Entity] = []
    used: set[str] = set()
    for label in sorted(by_label):
        items = by_label[label]
        build = _people if label == PERSON else _bodies if label == ORGANISATION else _others
        u = build(items)
        clusters: dict[int, list[int]] = defaultdict(list)
        for i in range(len(items)):
            clusters[u.find(i)].append(i)
        for members in clusters.values():
            names: Counter[str] = Counter()
            for i in members:
                names[items[i].name] += items[i].mentions
            best = _best_name(names, label)
            reasons: dict[str, str] = {}
            # the group others joined has no reason of its own: it shares the first one given
            shared = next((u.why[i] for i in members if i in u.why), "")
            for i in members:
                name = items[i].name
                if name != best and len(members) > 1:
                    reasons.setdefault(name, u.why.get(i, shared))
                if label == PERSON and (items[i].document, name) in was_place:
                    reasons[name] = t("орын деп танылған, бірақ осы құжатта толық аталған адамның "
                                      "аты; ", "tagged as a place, the name of a person named in "
                                      "full in the same document; ") + reasons.get(name, "")
            out.append(Entity(_entity_id(label, best, used), label, best, sum(names.values()),
                              len({items[i].document for i in members}),
                              dict(names.most_common()),
                              sorted({(items[i].document, items[i].name) for i in members}),
                              reasons, place_type(names) if label in _PLACES else None))
    out.sort(key=lambda e: (-e.mentions, e.label, e.name))
    return out
