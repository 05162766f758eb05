"""The slots of an event: subject, count, date, term, place, actor, legal article, reason, source.

Values are read through `values_of`, which takes numbers and dates from either shape the values
layer writes: separate `value` spans, or `ner` spans carrying `value` in their attrs.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from muragat.model import Document, Span, Token

from .patterns import low
from .realis import grammar

_DURATION = re.compile(r"^P")
_PARTIAL = re.compile(r"^--(\d\d)(?:-(\d\d))?$")
_YEAR = re.compile(r"(\d{4})")
_DAY_ONLY = re.compile(r"^---(\d\d)$")
_YEAR_MONTH = re.compile(r"(\d{4}-\d\d)")
_ARTICLE = re.compile(r"(\d+(?:\s*[-–]\s*\d+)*)\s*[-–]?\s*$")


@dataclass(frozen=True, slots=True)
class Value:
    start: int
    end: int
    label: str
    value: Any
    mod: str | None
    inferred: bool = False  # read from `сол жылы`, `келесі күні` and the date before them

    @property
    def is_duration(self) -> bool:
        return self.label == "DATE" and isinstance(self.value, str) and bool(_DURATION.match(self.value))


def values_of(spans: Iterable[Span]) -> list[Value]:
    """Normalized values of either shape: `value` spans, or `ner` spans with a `value` attr."""
    out = []
    for s in spans:
        if (s.layer == "value" or s.layer == "ner") and "value" in s.attrs:
            label = str(s.attrs.get("value_label") or s.label)
            out.append(Value(s.start, s.end, label, s.attrs["value"], s.attrs.get("mod")))
    out.sort(key=lambda v: v.start)
    return out


@dataclass(slots=True)
class Context:
    """What the slot readers share for one document."""

    doc: Document
    values: list[Value]  # in text order (stable: the document's order among equal starts)
    value_starts: list[int]
    persons: list[Span]  # PERSON NER spans in text order
    starts: list[int]  # their starts
    ner: list[Span]  # every NER span in text order
    ner_starts: list[int]
    citations: list[Span]
    citation_starts: list[int]
    entries: list[Span]  # bibliography entries in text order
    dates: list[Value]  # the DATE values that are points or intervals (no durations), in order
    date_starts: list[int]
    token_starts: list[int]

    @classmethod
    def of(cls, doc: Document) -> Context:
        # every slot reader looks up spans by position: sorted once here, found by bisection,
        # so a document's cost grows with its length, not with its length squared
        def by_start(spans: Iterable[Any]) -> list[Any]:
            return sorted(spans, key=lambda s: s.start)

        ner = by_start(s for s in doc.spans if s.layer == "ner")
        persons = by_start(kin_mentions(doc, [s for s in ner
                                              if s.label == "PERSON" and _is_person(doc, s)]))
        read = values_of(doc.spans)
        shadowed = _shadowed_dates(doc, read)
        values = by_start([v for v in read if (v.start, v.end) not in shadowed]
                          + deictic_dates(doc, read))
        values = by_start(values + anaphoric_dates(doc, values))
        cites = by_start(s for s in doc.spans if s.layer == "citation")
        dates = [v for v in values if v.label == "DATE" and not v.is_duration]
        return cls(doc, values, [v.start for v in values], persons, [p.start for p in persons],
                   ner, [s.start for s in ner], cites, [c.start for c in cites],
                   by_start(s for s in doc.spans if s.layer == "bibliography"),
                   dates, [d.start for d in dates], [t.start for t in doc.tokens])

    def values_in(self, lo: int, hi: int, label: str) -> list[Value]:
        i, j = bisect.bisect_left(self.value_starts, lo), bisect.bisect_left(self.value_starts, hi)
        return [v for v in self.values[i:j] if v.label == label]

    def ner_in(self, lo: int, hi: int) -> list[Span]:
        i, j = bisect.bisect_left(self.ner_starts, lo), bisect.bisect_left(self.ner_starts, hi)
        return self.ner[i:j]


_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


@cache
def _phrase_table(key: str) -> dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]]:
    """First word -> (words, entry) of the date phrases under `key` in grammar.json."""
    out: dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]] = {}
    for entry in grammar()[key]:
        words = tuple(entry["words"])
        out.setdefault(words[0], []).append((words, entry))
    return out


def _phrases(doc: Document, key: str) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """(start, end, entry) of each date phrase under `key` in the document's tokens."""
    words = [low(t) for t in doc.tokens]
    table = _phrase_table(key)
    for i, w in enumerate(words):
        for phrase, entry in table.get(w, ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                yield doc.tokens[i].start, doc.tokens[i + len(phrase) - 1].end, entry
                break


def deictic_dates(doc: Document, values: list[Value]) -> list[Value]:
    """`Кеше` after a dateline (`1938 жылғы 17 наурыз`): a date of its own, the day before the
    writer's day, which is the document's first full date, the dateline (data: deictic_dates)."""
    days = [v for v in values if v.label == "DATE" and isinstance(v.value, str) and _DAY.match(v.value)]
    if not days:
        return []
    dateline = datetime.date.fromisoformat(days[0].value)
    return [Value(start, end, "DATE",
                  (dateline + datetime.timedelta(days=int(entry["offset"]))).isoformat(), None)
            for start, end, entry in _phrases(doc, "deictic_dates") if days[0].start < start]


_NEXT_WORD = re.compile(r"\s*(\w+)")


def _is_person(doc: Document, span: Span) -> bool:
    """Not an acronym (АЛЖИР) and not a name before a place noun (Беломор каналының)."""
    surface = doc.text[span.start:span.end]
    if len(surface) > 2 and surface.replace(" ", "").isupper():
        return False
    m = _NEXT_WORD.match(doc.text, span.end)
    return not (m and m.group(1).lower().startswith(tuple(grammar()["not_person_next"])))


_KIN_CASES = ("", "н", "ді", "ды", "ні", "ны", "ге", "ға", "не", "на", "ке", "қа", "нің", "ның",
              "дің", "дың", "нен", "нан", "ден", "дан", "нде", "нда", "де", "да", "мен", "бен",
              "пен", "е", "а")


@cache
def _kin_forms() -> dict[str, str]:
    """Kin form (`анамыз`) -> the kin it names for the writer (`ана1`): `анам` is the same."""
    g = grammar()
    return {k + p: k + person for k in g["kin_words"]
            for person, endings in g["kin_possessives"].items() for p in endings}


def _kin_key(word: str) -> str | None:
    """The kin a word names in any case (`әкемді`, `анамызбен`), None for other words."""
    forms = _kin_forms()
    for cut in range(len(word), 1, -1):
        key = forms.get(word[:cut])
        if key is not None and word[cut:] in _KIN_CASES:
            return key
    return None


def kin_mentions(doc: Document, persons: list[Span]) -> list[Span]:
    """The people, with a mention added for each later kin word that names one of them.

    `Әкем Сағынбай Жолдасбеков` makes every later `әкем`, `әкемді`, `әкемнің` a mention of
    him (`kin` set in its attrs); a kin word the tagger took into the name (`Әйелі Бибіжамал`)
    is cut off it. The latest introduction of a kin form wins from there on."""
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    alias: list[tuple[int, str, str]] = []  # (from offset, kin key, name)
    out: list[Span] = []
    for p in persons:
        words = doc.text[p.start:p.end].split()
        lead = _kin_forms().get(words[0].lower()) if len(words) > 1 else None
        if lead is not None:
            cut = doc.text.index(words[1], p.start + len(words[0]))
            lemma = str(p.attrs.get("lemma") or "").split()
            name = " ".join(lemma[1:] if len(lemma) == len(words) else words[1:])
            alias.append((cut, lead, name))
            p = Span(p.layer, p.label, cut, p.end, {**p.attrs, "lemma": name})
        else:
            k = bisect.bisect_left(starts, p.start) - 1
            before = low(tokens[k]) if k >= 0 else ""
            if before in _kin_forms():
                alias.append((p.start, _kin_forms()[before], _name(doc, p)))
        out.append(p)
    if not alias:
        return out
    out.sort(key=lambda s: s.start)
    ends = [p.end for p in out]
    intros = {at for at, _, _ in alias}
    first = min(intros)
    added: list[Span] = []
    for k in range(bisect.bisect_left(starts, first), len(tokens)):
        tok = tokens[k]
        i = bisect.bisect_right(ends, tok.start)  # the first person ending after the token
        if (i < len(out) and out[i].start <= tok.start) or (
                k + 1 < len(tokens) and tokens[k + 1].start in intros):
            continue  # inside a name, or the kin word that introduces one
        if i and k and out[i - 1].end == tokens[k - 1].end:
            continue  # `Сағынтай атам`: after a name, the kin word is that person's title
        name = _kin_name(alias, low(tok), tok.start)
        if name:
            added.append(Span("ner", "PERSON", tok.start, tok.end, {"lemma": name, "kin": True}))
    return out + added


def _kin_name(alias: list[tuple[int, str, str]], word: str, at: int) -> str | None:
    """The person the kin word at `at` names: the latest introduction before it of its kin."""
    key = _kin_key(word)
    if key is None:
        return None
    return next((name for start, k, name in reversed(alias) if start <= at and k == key), None)


def _name(doc: Document, span: Span) -> str:
    return str(span.attrs.get("lemma") or doc.text[span.start:span.end])


# -- dates -------------------------------------------------------------------------------
def _attributive(doc: Document, value: Value) -> bool:
    words = doc.text[value.start:value.end].split()
    return bool(words) and words[-1].lower().endswith(tuple(grammar()["attributive_date_endings"]))


def _shadowed_dates(doc: Document, values: list[Value]) -> set[tuple[int, int]]:
    """Attributive dates (`1938 жылғы үкімнің`) in a clause that has a date of its own: they
    date a document or a decision named in passing, not the clause's events."""
    starts = [r.start for r in doc.sentences]
    by_sentence: dict[int, list[tuple[Value, bool]]] = {}
    for v in values:
        if v.label == "DATE" and not v.is_duration:
            k = bisect.bisect_right(starts, v.start) - 1
            by_sentence.setdefault(k, []).append((v, _attributive(doc, v)))
    out: set[tuple[int, int]] = set()
    for group in by_sentence.values():
        own = [v for v, attr in group if not attr]
        for v, attr in group:
            # only by a date of its own clause: `1937 жылы 20 қазанда тұтқындалып, үштіктің
            # 1937 жылғы 4 қарашадағы қаулысымен … кесілген` dates the sentence by both
            if attr and any(_one_clause(doc.text, v, d) for d in own):
                out.add((v.start, v.end))
    return out


def _one_clause(text: str, a: Value, b: Value) -> bool:
    lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
    return not any(c in text[lo:hi] for c in ",;:")


def anaphoric_dates(doc: Document, values: list[Value]) -> list[Value]:
    """A date for each `сол жылы` / `келесі күні` phrase, read from the latest date before it
    (an earlier phrase's included): a date of its own, so the clauses after it take it too."""
    dates = [v for v in values if v.label == "DATE" and not v.is_duration]
    taken = [(v.start, v.end) for v in values]
    out: list[Value] = []
    for start, end, entry in _phrases(doc, "anaphoric_dates"):
        k = bisect.bisect_left([d.start for d in dates], start)
        if k and not any(a < end and start < b for a, b in taken):
            anchor = _full(str(dates[k - 1].value), dates, k - 1)
            shifted = _shifted(anchor, entry["unit"], int(entry["offset"]))
            value = Value(start, end, "DATE", shifted, None, True)
            dates.insert(k, value)
            out.append(value)
    return out


def _shifted(anchor: str, unit: str, offset: int) -> str:
    """The anchor date cut to `unit` and moved by `offset` of it; as it stands where it is
    coarser than the unit."""
    start = anchor.split("/", 1)[0]
    parts = start.split("-")
    try:
        if unit == "year" or len(parts) == 1:
            return str(int(parts[0]) + offset) if unit == "year" or not offset else start
        if unit == "month" or len(parts) == 2:
            if unit != "month" and offset:
                return f"{parts[0]}-{parts[1]}"
            months = int(parts[0]) * 12 + int(parts[1]) - 1 + offset
            return f"{months // 12:04d}-{months % 12 + 1:02d}"
        return (datetime.date.fromisoformat(start) + datetime.timedelta(days=offset)).isoformat()
    except ValueError:
        return anchor


def _full(value: str, dates: list[Value], end: int) -> str:
    """A date without its year (`--06-05`) takes the year of the latest full date among the
    point dates dates[:end]; a day alone (`---02`, "the 2nd of this month") its year and
    month; each end of an interval (`--03/--04`) the same way."""
    if "/" in value:
        return "/".join(_full(v, dates, end) for v in value.split("/", 1))
    day = _DAY_ONLY.match(value)
    m = _PARTIAL.match(value)
    if not m and not day:
        return value
    for k in range(end - 1, -1, -1):
        if "/" in str(dates[k].value):
            continue  # `1935-1937 жылдары` says no one year: `26 қарашада` takes a point's
        if day:
            ym = _YEAR_MONTH.match(str(dates[k].value))
            if ym:
                return f"{ym.group(1)}-{day.group(1)}"
            continue
        y = _YEAR.match(str(dates[k].value))
        if y and m:
            return f"{y.group(1)}-{m.group(1)}" + (f"-{m.group(2)}" if m.group(2) else "")
    return value


def _dates(ctx: Context, lo: int, hi: int) -> list[Value]:
    return [v for v in ctx.values_in(lo, hi, "DATE") if not v.is_duration]


def date_slot(ctx: Context, clause: list[Token], sent: tuple[int, int], head: Token) -> dict[str, Any]:
    """The clause's date (nearest before the head, else after), else the sentence's, else the
    latest earlier date of the document (inferred; mod AFTER where the clause says `кейін`)."""
    lo, hi = clause[0].start, clause[-1].end
    earlier = bisect.bisect_left(ctx.date_starts, lo)  # ctx.dates[:earlier]: the dates before
    here = _dates(ctx, lo, hi)
    before = [v for v in here if v.start < head.start]
    pick = before[-1] if before else (here[0] if here else None)
    if pick is None:
        in_sent = _dates(ctx, sent[0], sent[1])
        prior = [v for v in in_sent if v.start < lo]
        pick = prior[-1] if prior else None
    if pick is not None:
        out: dict[str, Any] = {"date": _full(str(pick.value), ctx.dates, earlier)}
        if pick.mod:
            out["date_mod"] = pick.mod
        if pick.inferred:
            out["date_inferred"] = True
        return out
    if not earlier:
        return {}
    last = ctx.dates[earlier - 1]
    out = {"date": _full(str(last.value), ctx.dates, earlier - 1), "date_inferred": True}
    if any(low(t) in grammar()["after_words"] for t in clause):
        out["date_mod"] = "AFTER"
    elif last.mod:
        out["date_mod"] = last.mod
    return out


def term_slot(ctx: Context, clause: list[Token], head: Token) -> str | None:
    """A duration before the head that is not `… кейін/соң` (that one dates, it is no term)."""
    after = grammar()["after_words"]
    for v in reversed(ctx.values_in(clause[0].start, head.start, "DATE")):
        if not v.is_duration:
            continue
        nxt = next((t for t in clause if t.start >= v.end), None)
        if nxt is None or low(nxt) not in after:
            return str(v.value)
    return None


# -- counts ------------------------------------------------------------------------------
def _counted(clause: list[Token], end: int, text: str, start: int) -> bool:
    """`269-ы` (a number standing as a noun) or a number with a counted noun or a kin word
    within three words (`36 тексеру комиссиясы`, `екі ағасы`), not in the ablative (`үш
    адамнан тұратын` says what it is of)."""
    if "-" in text[start:end]:
        return True
    g = grammar()
    nouns, abl = tuple(g["count_nouns"]), tuple(g["count_blocked_endings"])
    for tok in [t for t in clause if t.start >= end][:3]:
        if tok.upos == "NUM":
            return False
        if low(tok).startswith(nouns) or _kin_key(low(tok)) is not None:  # `екі ағасы`
            return not low(tok).endswith(abl)
    return False


def _last_count(ctx: Context, tokens: list[Token], head_start: int) -> Value | None:
    cards = ctx.values_in(tokens[0].start, head_start, "CARDINAL") if tokens else []
    for v in reversed(cards):
        if _counted(tokens, v.end, ctx.doc.text, v.start):
            return v
    return None


def count_slot(ctx: Context, clause: list[Token], head: Token, sentence: list[Token],
               lead: list[Token] | None = None) -> tuple[Any, Value | None]:
    """How many the event concerns: a counted number before the head in the clause (`432
    коммунист`, `269-ы`); a clause that starts with `яғни` or says `барлығын` takes the last
    count of the sentence before it; else the clauses chained before it by a converb (`lead`),
    unless the clause names its own people."""
    v = _last_count(ctx, clause, head.start)
    if v is None and any(low(t).startswith(tuple(grammar()["count_carry_words"])) for t in clause[:2]
                         + [t for t in clause if t.start < head.start]):
        v = _last_count(ctx, [t for t in sentence if t.start < clause[0].start], clause[0].start)
    if v is None and lead and not _own_patients(ctx, clause, head):
        v = _last_count(ctx, list(lead), lead[-1].end)  # chained by a converb: the same patients
    if v is None:
        collective = grammar()["collective_counts"]
        for tok in clause:
            if tok.start < head.start and low(tok) in collective:
                return collective[low(tok)], None
    return (v.value, v) if v is not None else (None, None)


def _own_patients(ctx: Context, clause: list[Token], head: Token) -> bool:
    """The clause names its own people before the head (`қалғандары …`, a person's name)."""
    back = tuple(grammar()["back_pointing_groups"])
    before = [t for t in clause if t.start < head.start and not low(t).startswith(back)]
    return bool(before) and (_group(before) or bool(_persons_in(ctx, before[0].start, head.start)))


def counts_the_agents(clause: list[Token], count: Value, head: Token) -> bool:
    """A pronoun object after the count and before the head: the count is of the agents."""
    objects = grammar()["object_pronouns"]
    return any(count.end <= t.start < head.start and low(t) in objects for t in clause)


def percentage_slot(ctx: Context, sent: tuple[int, int], count: Value | None) -> Any:
    if count is None:
        return None
    after = [v for v in ctx.values_in(count.end, sent[1], "PERCENTAGE")]
    nxt_card = [v for v in ctx.values_in(count.end, sent[1], "CARDINAL")]
    if after and (not nxt_card or after[0].start < nxt_card[0].start):
        return after[0].value
    return None


def is_part(clause: list[Token], count: Value | None) -> bool:
    """Whether the count is a share of an earlier one (`олардың 416-сы`, `сотталғандардың 1102-сі`)."""
    if count is None:
        return False
    words = grammar()["part_of_words"]
    for t in clause:
        if t.start >= count.start:
            break
        feats = t.feats or ""
        if low(t) in words or ("Case=Gen" in feats and "Number=Plur" in feats):
            return True
    return False


# -- who -----------------------------------------------------------------------------------
def _persons_in(ctx: Context, lo: int, hi: int) -> list[Span]:
    i, j = bisect.bisect_left(ctx.starts, lo), bisect.bisect_left(ctx.starts, hi)
    return ctx.persons[i:j]


def _possessor(ctx: Context, span: Span) -> bool:
    """A genitive name (`Байтасовтың әйелі`) owns the subject, it is not the subject; but
    `Мұқашевтың өзі` is he himself."""
    tail = ctx.doc.text[span.start:span.end].split()[-1].lower() if span.end > span.start else ""
    if not tail.endswith(("тың", "тің", "дың", "дің", "ның", "нің")):
        return False
    m = _NEXT_WORD.match(ctx.doc.text, span.end)
    return not (m and m.group(1).lower() in grammar()["reflexive_after_genitive"])


def _object(ctx: Context, span: Span) -> bool:
    tail = ctx.doc.text[span.start:span.end].split()[-1].lower() if span.end > span.start else ""
    return tail.endswith(tuple(grammar()["object_endings"]))


def _main_person(ctx: Context, lo: int) -> str | None:
    """The person named most often before `lo` (the latest of equals), by surname: a
    biography's subject."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for p in _persons_in(ctx, 0, lo):
        name = _person_name(ctx, p)
        key = name.split()[-1].lower()
        counts[key] = counts.get(key, 0) + 1
        names[key] = name  # the latest form
    if not counts:
        return None
    best = max(counts.values())
    return next(names[k] for k in reversed(list(names)) if counts[k] == best)


def _oblique(ctx: Context, span: Span) -> bool:
    """The name stands in the dative, ablative, locative or instrumental (`Ерғалиға … айтылды`):
    told to or about, not the one the nominalized event happened to."""
    k = bisect.bisect_left(ctx.token_starts, span.end) - 1
    feats = ctx.doc.tokens[k].feats or "" if k >= 0 else ""
    return any(f"Case={c}" in feats for c in ("Dat", "Abl", "Loc", "Ins"))


def _person_name(ctx: Context, span: Span) -> str:
    """A person's name as the document gives it in full: a surname alone (`Тілеужанов`) is the
    nearest earlier mention ending in that surname with a first name (`Қуаныш Тілеужанов`),
    so that relatives who share a surname stay apart and a carried subject is whole; failing
    that, a first name alone (`Бибіжамал`) is the nearest earlier full name it begins."""
    name = _name(ctx.doc, span)
    words = name.split()
    if len(words) != 1:
        return name
    word = words[0].casefold()
    k = bisect.bisect_left(ctx.starts, span.start)
    for position in (-1, 0):  # as a surname first, then as a first name
        for other in reversed(ctx.persons[:k]):
            full = _name(ctx.doc, other).split()
            if len(full) > 1 and full[position].casefold() == word:
                return " ".join(full)
    return name


def subject_slot(ctx: Context, clause: list[Token], sentence: list[Token], sent: tuple[int, int],
                 para: tuple[int, int], head: Token, has_count: bool,
                 previous: tuple[int, str] | None = None,
                 owner_is_subject: bool = False) -> dict[str, Any]:
    """The person in the clause (before the head first; a possessor only where the type says
    the thing owned is theirs, as property confiscated); else a count or a group word in the
    clause makes it a group; else the person in the sentence before the clause; else a group
    word there; else the subject of the paragraph's last event (`previous`: its offset and
    the name), else its last person; in a paragraph with no person before the clause, the
    person the text names most (inferred). A nominalized event (`ақталғаны`) takes its subject
    in the genitive, never a name in an oblique case."""
    lo, hi = clause[0].start, clause[-1].end
    # a nominalized verb takes its subject in the genitive: `әкемнің ақталғаны туралы анықтама`
    genitive_subject = owner_is_subject or low(head).endswith(tuple(grammar()["factive_endings"]))
    own = [p for p in _persons_in(ctx, lo, hi) if genitive_subject or not _possessor(ctx, p)]
    if genitive_subject and not owner_is_subject:
        own = [p for p in own if not _oblique(ctx, p)]
    before = [p for p in own if p.start < head.start]
    pick = before[-1] if before else (own[0] if own else None)
    if pick is not None:
        return {"subject": _person_name(ctx, pick), "subject_kind": "person"} | (
            {"subject_inferred": True} if pick.attrs.get("kin") else {})
    # `ОГПУ қызметкерлері оны тұтқындады`: with a pronoun object the group named is the agent,
    # and the one it happened to is the person spoken of
    agent = any(low(t) in grammar()["object_pronouns"] for t in clause if t.start < head.start)
    if has_count or (not agent and _group([t for t in clause if t.start < head.start])):
        return {"subject_kind": "group"}
    prior = [p for p in _persons_in(ctx, sent[0], lo) if not _possessor(ctx, p)]
    if prior:
        return {"subject": _person_name(ctx, prior[-1]), "subject_kind": "person"}
    earlier = [t for t in sentence if t.start < lo]
    agent = agent or any(low(t) in grammar()["object_pronouns"] for t in earlier)
    if not agent and _group(earlier):
        return {"subject_kind": "group"}
    if previous is not None and previous[0] >= para[0]:
        return {"subject": previous[1], "subject_kind": "person", "subject_inferred": True}
    carried = _persons_in(ctx, para[0], lo)
    if not carried:  # a new paragraph goes on with the person the text is about
        main = _main_person(ctx, lo)
        if main:
            return {"subject": main, "subject_kind": "person", "subject_inferred": True}
    carried = carried or _persons_in(ctx, 0, lo)
    if carried:
        # the last person who is neither a possessor nor an object, else simply the last one;
        # read from the end, since the whole document before may be in the range
        last = next((p for p in reversed(carried) if not _possessor(ctx, p)
                     and not _object(ctx, p)), carried[-1])
        return {"subject": _person_name(ctx, last), "subject_kind": "person",
                "subject_inferred": True}
    return {}


def _group(tokens: list[Token]) -> bool:
    """A group word as subject or object (`кейбіреулері`, `байларды`, not `шаруаларға`) or
    people named by a participle (`қысым көргендер`, `шығарылғандарға`): a group's event."""
    g = grammar()
    groups, infixes = tuple(g["group_words"]), tuple(g["blocked_infixes"])
    oblique = ("Case=Dat", "Case=Loc", "Case=Abl", "Case=Ins")
    return any(any(i in low(t) for i in infixes)
               or (low(t).startswith(groups) and not any(c in (t.feats or "") for c in oblique))
               for t in tokens)


def ner_names(ctx: Context, lo: int, hi: int, labels: frozenset[str]) -> list[str]:
    return [_name(ctx.doc, s) for s in ctx.ner_in(lo, hi) if s.label in labels]


def actor_slot(ctx: Context, clause: list[Token]) -> str | None:
    lo, hi = clause[0].start, clause[-1].end
    orgs = ner_names(ctx, lo, hi, frozenset({"ORGANISATION"}))
    if orgs:
        return orgs[0]
    words = tuple(grammar()["actor_words"])
    for i, t in enumerate(clause):
        if low(t).startswith(words):
            prev = clause[i - 1] if i else None
            if prev is not None and (prev.upos in ("PROPN", "ADJ") or low(prev).isupper()):
                return f"{ctx.doc.text[prev.start:prev.end]} {ctx.doc.text[t.start:t.end]}"
            return ctx.doc.text[t.start:t.end]
    return None


def article_slot(ctx: Context, sentence: list[Token]) -> str | None:
    words = tuple(grammar()["article_words"])
    for i, t in enumerate(sentence):
        if low(t).startswith(words) and i:
            m = _ARTICLE.search(ctx.doc.text[sentence[max(0, i - 4)].start:t.start])
            if m:
                return re.sub(r"\s+", "", m.group(1))
    return None


def reason_slot(ctx: Context, clause: list[Token], head: Token) -> str | None:
    words = grammar()["reason_words"]
    for i, t in enumerate(clause):
        if t.start < head.start and low(t) in words and i:
            first = clause[max(0, i - 3)]
            return ctx.doc.text[first.start:t.end]
    return None


def source_slot(ctx: Context, sent: tuple[int, int], para_end: int) -> dict[str, Any]:
    """The citation of the sentence, else the next one in the paragraph (it closes the passage)."""
    i = bisect.bisect_left(ctx.citation_starts, sent[0])
    if i == len(ctx.citations) or ctx.citations[i].start >= para_end:
        return {}
    s, entries, text = ctx.citations[i], ctx.entries, ctx.doc.text
    src = {k: s.attrs.get(k) for k in ("ref", "pages", "entry") if s.attrs.get(k) is not None}
    k = s.attrs.get("entry")
    if isinstance(k, int) and 0 <= k < len(entries):
        src["entry_text"] = text[entries[k].start:entries[k].end].strip()
    return {"ref": s.attrs.get("ref"), "pages": s.attrs.get("pages"), "source": src}
