"""The values grammar: small rules tried in order at one anchor token.

Each rule looks at the number (or month word) that starts at token i and either returns a
`Hit` (label, char range, attrs) or None; the first hit wins. Vocabularies come from
lexicon.py (data files); this module only says how the pieces combine, in the spirit of
yargy's date grammar.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from muragat.values import lexicon
from muragat.values.numbers import DASHES, Num, Tok, read_number


@dataclass(slots=True)
class Hit:
    label: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    text: str
    last_year: int | None = None  # the latest year read so far: dates the currency (сом)


def _word(toks: list[Tok], j: int) -> str:
    return toks[j].text.lower() if j < len(toks) and toks[j].kind == "w" else ""


def _year_word(toks: list[Tok], j: int) -> tuple[str, int] | None:
    """(kind, index after) for жылы / жылдары / ж. / ғасырдағы at token j."""
    w = _word(toks, j)
    kind = lexicon.year_words().get(w)
    if kind is None:
        return None
    if kind.endswith("_abbr"):
        if j + 1 < len(toks) and toks[j + 1].text == ".":
            return kind.removesuffix("_abbr"), j + 2
        return None
    return kind, j + 1


def _qualifier(toks: list[Tok], j: int, attrs: dict[str, Any]) -> int:
    part = _part(toks, j, attrs)
    if part > j:
        return part
    mod = lexicon.qualifiers().get(_word(toks, j))
    if mod is None or mod in ("DURATION", "HALF", "QUARTER"):
        return j
    if mod not in ("INTERVAL",):
        attrs["mod"] = mod
    return j + 1


def _part(toks: list[Tok], j: int, attrs: dict[str, Any]) -> int:
    """`екінші жартысында` narrows the value to its second half, `бірінші тоқсанында` to its
    first quarter: ХХ ғасырдың екінші жартысында -> 1950/1999."""
    nw = lexicon.number_words().get(_word(toks, j))
    kind = lexicon.qualifiers().get(_word(toks, j + 1))
    value = attrs.get("value")
    if (
        nw is None
        or not nw.ordinal
        or kind not in ("HALF", "QUARTER")
        or not isinstance(value, str)
    ):
        return j
    parts = 2 if kind == "HALF" else 4
    k = nw.value
    if not 1 <= k <= parts:
        return j
    if len(value) == 4 and value.isdigit():  # one year: months
        size = 12 // parts
        attrs["value"] = f"{value}-{(k - 1) * size + 1:02d}/{value}-{k * size:02d}"
        return j + 2
    a, sep, b = value.partition("/")
    if sep and len(a) == len(b) == 4 and a.isdigit() and b.isdigit():
        first, n = int(a), int(b) - int(a) + 1
        if n % parts == 0:
            size = n // parts
            attrs["value"] = f"{first + (k - 1) * size:04d}/{first + k * size - 1:04d}"
            return j + 2
    return j


def _full_year(num: Num) -> int | None:
    v = num.value
    if isinstance(v, int) and 100 <= v <= 2100 and (num.ndigits in (3, 4) or num.spelled):
        return v
    return None


def _range_end_year(start: int, num: Num) -> int | None:
    m = num.maximum
    if not isinstance(m, int):
        return None
    if num.max_ndigits == 2:  # 1929-30
        return start // 100 * 100 + m
    if num.max_ndigits == 4:
        return m
    return None


def _valid_day(day: int, month: int, year: int | None) -> bool:
    last = calendar.monthrange(year if year else 2000, month)[1]  # 2000: 29 Feb is possible
    return 1 <= day <= last


def _day_month(toks: list[Tok], i: int, text: str, year: int | None) -> Hit | None:
    """2-7 желтоқсанда, 30 қыркүйегіндегі, 1 тамызға (with or without a year before)."""
    num = read_number(toks, i, text)
    if num is None or not isinstance(num.value, int) or num.roman or num.hyphen_noun:
        return None
    j = num.next
    month = lexicon.months().get(_word(toks, j))
    if month is None or (num.ordinal and month not in lexicon.months_alone()):
        return None  # 4-інші маусымы: the 4th season, not 4 June
    attrs: dict[str, Any] = {}
    y = f"{year:04d}" if year else "-"
    days = [num.value] if num.maximum is None else [num.value, num.maximum]
    if not all(isinstance(d, int) and _valid_day(d, month, year) for d in days) or (
        len(days) == 2 and days[0] > days[1]
    ):
        attrs["uncertain"] = True
        attrs["note"] = "impossible day"
    else:
        parts = [f"{y}-{month:02d}-{d:02d}" for d in days]
        attrs["value"] = "/".join(parts)
    end = _qualifier(toks, j + 1, attrs)
    return Hit("DATE", num.start, toks[end - 1].end, attrs)


def rule_year(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """1929 жылы, 1929-30 жылдары, 1936 ж. 1 тамызға дейін, 1930 жылдары (decade)."""
    year = _full_year(num)
    if year is None:
        return None
    yw = _year_word(toks, num.next)
    end_year = None
    if num.maximum is not None:
        end_year = _range_end_year(year, num)
        if end_year is None:
            return None
    if yw is None:
        # (1928-1937) in a bibliography: a bare year range in brackets
        before = ctx.text[num.start - 1 : num.start]
        after = toks[num.next].text if num.next < len(toks) else ""
        if end_year and before == "(" and after == ")":
            return Hit("DATE", num.start, num.end, _interval(year, end_year))
        return None
    kind, j = yw
    if kind in ("century", "centuries"):
        return None
    if lexicon.qualifiers().get(_word(toks, j)) == "DURATION":
        return None  # 500 жылдан астам, 1000 жыл бұрын: a count of years
    if _word(toks, j - 1) == "жыл" and year < 1500:
        return None  # a bare `жыл` after a small number is a duration: 1000 жыл
    attrs: dict[str, Any]
    if end_year is not None:
        attrs = _interval(year, end_year)
    elif kind == "years" and year % 10 == 0:  # 1930 жылдары = the 1930s
        attrs = {"value": f"{year}/{year + 9}"}
    else:
        attrs = {"value": f"{year:04d}"}
    ctx.last_year = end_year or year
    end = toks[j - 1].end
    if end_year is None and "value" in attrs and "/" not in attrs["value"]:
        dm = _day_month(toks, j, ctx.text, year) if j < len(toks) else None
        if dm is not None:
            dm.start = num.start
            return dm
        month = lexicon.months().get(_word(toks, j))
        if month is not None:  # 1929 жылдың қыркүйегінде, 1930 жылдың наурыз-сәуір айларында
            last, j = _month_range(toks, j, month)
            attrs["value"] = f"{year:04d}-{month:02d}"
            if last is not None:
                attrs["value"] += f"/{year:04d}-{last:02d}"
            end = toks[j - 1].end
    k = _qualifier(toks, j, attrs)
    if k > j:
        end = toks[k - 1].end
    return Hit("DATE", num.start, end, attrs)


def _interval(a: int, b: int) -> dict[str, Any]:
    if b < a:
        return {"uncertain": True, "note": "interval ends before it starts"}
    return {"value": f"{a:04d}/{b:04d}"}


def rule_short_year(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """30-шы жылдары, 20-жылдың соңына (a decade of the 1900s), отызыншы жылдары."""
    v = num.value
    if not isinstance(v, int) or not 10 <= v <= 99 or num.roman or num.maximum is not None:
        return None
    if (not num.spelled and num.ndigits != 2) or not num.ordinal:
        return None  # 20 жыл бойы is a duration; 20-жылдың, 30-шы жылдары are the 1920s, 1930s
    yw = _year_word(toks, num.next)
    if yw is None or yw[0] not in ("year", "years"):
        return None
    kind, j = yw
    attrs: dict[str, Any] = {"century_assumed": True}
    if v % 10 == 0:
        attrs["value"] = f"{1900 + v}/{1900 + v + 9}"
    elif kind == "year":
        attrs["value"] = f"{1900 + v}"
    else:
        return None
    end = toks[j - 1].end
    k = _qualifier(toks, j, attrs)
    if k > j:
        end = toks[k - 1].end
    return Hit("DATE", num.start, end, attrs)


def rule_century(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """ХХ ғасыр, XIX-XX ғасырлар, 19-ғасырдың басында."""
    v = num.value
    if not isinstance(v, int) or not 1 <= v <= 21:
        return None
    yw = _year_word(toks, num.next)
    if yw is None or yw[0] not in ("century", "centuries"):
        return None
    j = yw[1]
    last = num.maximum if isinstance(num.maximum, int) else v
    attrs: dict[str, Any] = {"value": f"{(v - 1) * 100:04d}/{last * 100 - 1:04d}", "century": v}
    if last < v:
        attrs = {"uncertain": True, "note": "interval ends before it starts"}
    end = toks[j - 1].end
    k = _qualifier(toks, j, attrs)
    if k > j:
        end = toks[k - 1].end
    return Hit("DATE", num.start, end, attrs)


def rule_day_month(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    if num.ndigits > 2 and not num.spelled:
        return None
    return _day_month(toks, i, ctx.text, None)


def rule_percent(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """19,5 %-ды, 14,5 %-ы, 20 пайызы."""
    j = num.next
    if num.ordinal or j >= len(toks):
        return None
    t = toks[j]
    if t.text == "%" or t.text.lower() in lexicon.percent_words():
        end = t.end
        if (
            t.text == "%"
            and j + 2 < len(toks)
            and toks[j + 1].text in DASHES
            and toks[j + 1].start == t.end
        ):
            if toks[j + 2].text.lower() in lexicon.number_suffixes():
                end = toks[j + 2].end
        return Hit("PERCENTAGE", num.start, end, {"value": _amount_value(num)})
    return None


def _amount_value(num: Num) -> Any:
    if num.maximum is not None:
        return {"min": num.value, "max": num.maximum}
    return num.value


def rule_money(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """13208699 сом 92 тиын, 500 теңге, 50 тиын."""
    if num.ordinal:
        return None
    cur = lexicon.currencies().get(_word(toks, num.next))
    if cur is None:
        return None
    end = toks[num.next].end
    amount: float | int = num.value if num.maximum is None else 0
    if cur.minor:
        amount = num.value / 100
    elif num.next + 2 < len(toks):
        minor_num = read_number(toks, num.next + 1, ctx.text)
        if minor_num is not None and minor_num.maximum is None and isinstance(minor_num.value, int):
            mc = lexicon.currencies().get(_word(toks, minor_num.next))
            if mc is not None and mc.minor and minor_num.value < 100:
                amount = round(num.value + minor_num.value / 100, 2)
                end = toks[minor_num.next].end
    year = ctx.last_year
    code = cur.new if (year is not None and year >= cur.switch_year) else cur.old
    attrs: dict[str, Any] = {"value": {"amount": amount, "currency": code}}
    if num.maximum is not None:
        attrs["value"] = {"min": num.value, "max": num.maximum, "currency": code}
    if year is None and cur.old != cur.new:
        attrs["currency_inferred"] = True  # no year in the text before: assumed Soviet period
    return Hit("MONEY", num.start, end, attrs)


def rule_quantity(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """82799 пұт, 5 га, 12 шаршы шақырым."""
    if num.ordinal:
        return None
    j = num.next
    w = _word(toks, j)
    unit = lexicon.units().get(w) if w else None
    end_j = j
    if unit is None and w in lexicon.multiword_units():
        unit = lexicon.multiword_units()[w].get(_word(toks, j + 1))
        end_j = j + 1
    if unit is None:
        return None
    tok = toks[end_j]
    end = tok.end
    if len(w) <= 2:  # abbreviations: кг, т., га — a one-letter one needs its dot
        if end_j + 1 < len(toks) and toks[end_j + 1].text == "." and toks[end_j + 1].start == end:
            end += 1
        elif len(w) == 1:
            return None
    value: dict[str, Any] = {"amount": num.value, "unit": unit}
    if num.maximum is not None:
        value = {"min": num.value, "max": num.maximum, "unit": unit}
    return Hit("QUANTITY", num.start, end, {"value": value})


def rule_duration(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """20 жыл бойы -> P20Y, 3 айдың ішінде -> P3M, 2-3 күн -> {"min": "P2D", "max": "P3D"}."""
    if num.ordinal or num.roman:
        return None
    unit = lexicon.durations().get(_word(toks, num.next))
    if unit is None:
        return None

    def iso(n: int | float) -> str:
        n_text = f"{n:g}".replace(".", ",") if isinstance(n, float) else str(n)
        return f"PT{n_text}{unit[1]}" if unit.startswith("T") else f"P{n_text}{unit}"

    value: Any = iso(num.value)
    if num.maximum is not None:
        value = {"min": iso(num.value), "max": iso(num.maximum)}
    return Hit("DATE", num.start, toks[num.next].end, {"value": value, "duration": True})


def rule_number(ctx: Context, toks: list[Tok], i: int, num: Num) -> Hit | None:
    """The fallback: CARDINAL / ORDINAL, ranges 8-10, 269-ы, VI пленумы, елу сегізінші."""
    attrs: dict[str, Any] = {"value": _amount_value(num)}
    nxt = toks[num.next] if num.next < len(toks) else None
    if num.roman:
        # a Roman numeral is an ordinal before a lower-case word: VI пленумында
        if nxt is None or nxt.kind != "w" or not nxt.text[0].islower() or nxt.start != num.end + 1:
            return None
    if num.maximum is not None and num.maximum <= num.value:
        attrs = {"uncertain": True, "note": "range ends before it starts"}
    elif (
        not num.roman
        and not num.spelled
        and not num.suffixed
        and not num.ordinal
        and (nxt is None or nxt.kind != "w")
    ):
        attrs["uncertain"] = True  # a bare number: a count, a day, a page?
    label = "ORDINAL" if num.ordinal else "CARDINAL"
    return Hit(label, num.start, num.end, attrs)


Rule = Callable[[Context, list[Tok], int, Num], Hit | None]
RULES: list[Rule] = [
    rule_year,
    rule_short_year,
    rule_century,
    rule_day_month,
    rule_percent,
    rule_money,
    rule_quantity,
    rule_duration,
    rule_number,
]


# a lone ambiguous word (жүз "face", тоқсан "quarter") counts only before a unit or a percent
WEAK_RULES: list[Rule] = [rule_percent, rule_money, rule_quantity]


def _month_range(toks: list[Tok], j: int, month: int) -> tuple[int | None, int]:
    """(the last month of `наурыз-сәуір`, or None; the token after the month words)."""
    if (j + 2 < len(toks) and toks[j + 1].text in "-–" and toks[j + 1].kind == "p"
            and toks[j + 1].start == toks[j].end and toks[j + 2].start == toks[j + 1].end):
        last = lexicon.months().get(_word(toks, j + 2))
        if last is not None and last > month:
            return last, j + 3
    return None, j + 1


_PREV_WORD = re.compile(r"(?<!\w)(\w+)\s+$")


@cache
def relative_days() -> dict[str, frozenset[str]]:
    raw = resources.files("muragat.values").joinpath("data/relative_days.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    return {kind: frozenset(forms.split()) for kind, forms in rows}


def day_of_this_month(ctx: Context, toks: list[Tok], i: int) -> Hit | None:
    """`осы айдың 2-сінде` -> ---02: a day of the month the context names."""
    if _word(toks, i) not in relative_days()["month"] or i + 1 >= len(toks):
        return None
    before = _PREV_WORD.search(ctx.text, max(0, toks[i].start - 24), toks[i].start)
    if before is None or before.group(1).lower() not in relative_days()["this"]:
        return None
    num = read_number(toks, i + 1, ctx.text)
    if not (num and isinstance(num.value, int) and num.maximum is None and num.suffixed
            and 1 <= num.value <= 31):
        return None
    return Hit("DATE", before.start(1), num.end, {"value": f"---{num.value:02d}"})


def _first_in_sentence_in_a_case(ctx: Context, toks: list[Tok], i: int, month: int) -> bool:
    """`Желтоқсанда ...`: a month that may stand alone, capitalized only as a sentence's
    first word and inflected (the bare `Наурыз` is still the feast)."""
    before = ctx.text[: toks[i].start].rstrip()
    stems = lexicon.month_stems()
    return (month in lexicon.months_alone() and (not before or before[-1] in ".!?\n")
            and _word(toks, i) != stems.get(month))


def month_rule(ctx: Context, toks: list[Tok], i: int) -> Hit | None:
    """A month word first: `наурыз айында` -> --03; `қыркүйектің 30-ы` -> --09-30;
    `наурыз-сәуір айларында` -> --03/--04."""
    w = _word(toks, i)
    month = lexicon.months().get(w)
    if month is None:
        return day_of_this_month(ctx, toks, i)
    last, j = _month_range(toks, i, month)
    if last is not None and _word(toks, j).startswith("ай"):  # also first in a sentence
        attrs: dict[str, Any] = {"value": f"--{month:02d}/--{last:02d}"}
        k = _qualifier(toks, j + 1, attrs)
        return Hit("DATE", toks[i].start, toks[k - 1].end, attrs)
    if not toks[i].text[0].islower() and not _first_in_sentence_in_a_case(ctx, toks, i, month):
        return None  # Наурыз (the feast), Наурызым (a place) stay names
    j = i + 1
    if _word(toks, j).startswith("ай"):
        attrs = {"value": f"--{month:02d}"}
        k = _qualifier(toks, j + 1, attrs)
        return Hit("DATE", toks[i].start, toks[k - 1].end, attrs)
    if j < len(toks) and toks[j].kind != "p":  # қыркүйектің 30-ы, тамыздың он тоғызы
        num = read_number(toks, j, ctx.text)
        if num and isinstance(num.value, int) and num.maximum is None and num.suffixed:
            if _valid_day(num.value, month, None):
                value = f"--{month:02d}-{num.value:02d}"
                return Hit("DATE", toks[i].start, num.end, {"value": value})
    if month in lexicon.months_alone():  # қарашада: November, year unknown
        attrs = {"value": f"--{month:02d}"}
        k = _qualifier(toks, j, attrs)
        return Hit("DATE", toks[i].start, toks[k - 1].end, attrs)
    return None


@cache
def _rules_by_next_word() -> dict[str, list[Rule]]:
    """The rules worth trying, by the word after the number (the grammar's dispatch table:
    most numbers are followed by an ordinary noun and go straight to rule_number)."""
    table: dict[str, list[Rule]] = {}

    def add(words: Iterable[str], rules: list[Rule]) -> None:
        for w in words:
            table.setdefault(w, [])
            table[w] += [r for r in rules if r not in table[w]]

    add(lexicon.year_words(), [rule_year, rule_short_year, rule_century, rule_duration])
    add(lexicon.months(), [rule_day_month])
    add(lexicon.percent_words(), [rule_percent])
    add(lexicon.currencies(), [rule_money])
    add(lexicon.units(), [rule_quantity])
    add(lexicon.multiword_units(), [rule_quantity])
    add(lexicon.durations(), [rule_duration])
    for rules in table.values():
        rules.sort(key=RULES.index)
        rules.append(rule_number)
    return table


_DEFAULT_RULES: list[Rule] = [rule_year, rule_number]  # rule_year: `(1928-1937)`


def _candidate_rules(toks: list[Tok], num: Num) -> list[Rule]:
    if num.weak:
        return WEAK_RULES
    if num.next < len(toks) and toks[num.next].text == "%":
        return [rule_percent]
    return _rules_by_next_word().get(_word(toks, num.next), _DEFAULT_RULES)


def match_at(ctx: Context, toks: list[Tok], i: int) -> Hit | None:
    """The first rule that fires at token i."""
    num = read_number(toks, i, ctx.text)
    if num is None:
        return month_rule(ctx, toks, i)
    for rule in _candidate_rules(toks, num):
        hit = rule(ctx, toks, i, num)
        if hit is not None:
            return hit
    return None
