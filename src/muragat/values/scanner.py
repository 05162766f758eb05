"""The values scanner: anchors, then the grammar at each anchor.

Anchors are where a run of ASCII digits starts and where a whole run of letters is a
month, number or Roman numeral word. Only at an anchor are a few local tokens read and the
grammar tried; the commonest cases (`432 коммунист`, `1929 жылы Алматы`) take regex fast
paths that skip the grammar.

The scanner is Python only: over the whole pipeline it costs about 1 % of the time
(scripts/bench_pipeline.py), so the compiled twin it once had was removed."""

from __future__ import annotations

import bisect
import calendar
import re
from functools import cache

import numpy as np

from muragat.model import Range, Span
from muragat.values import lexicon
from muragat.values.grammar import Context, Hit, match_at, relative_days
from muragat.values.numbers import tokens as local_tokens

WINDOW = 40  # characters read after a digit anchor: the longest value expression fits
WORD_WINDOW = 80  # after a number word
_LETTER = r"[^\W\d_]"
_YEAR_ABBR_END = re.compile(r"\d\s*жж?\.\s*$")


def _trie(words: list[str]) -> str:
    """A regex alternation as a trie, so the engine never backtracks over shared prefixes."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(k) + emit(v) for k, v in sorted(node.items()) if k]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(root)


_LOOKALIKE = {"I": "І", "X": "Х", "C": "С", "M": "М"}


@cache
def roman_forms(limit: int = 60) -> frozenset[str]:
    """Roman numerals 1..limit in Latin letters and every mix of Cyrillic look-alikes."""
    out: set[str] = set()
    vals = [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    for n in range(1, limit + 1):
        r, k = "", n
        for v, sym in vals:
            while k >= v:
                r, k = r + sym, k - v
        variants = [""]
        for ch in r:
            alts = [ch] + ([_LOOKALIKE[ch]] if ch in _LOOKALIKE else [])
            variants = [p + a for p in variants for a in alts]
        out.update(v for v in variants if len(v) > 1 or v in "IVXІХ")
    return frozenset(out)


@cache
def anchor_forms() -> frozenset[str]:
    """Month, number and Roman numeral words that may start a value, as written: lower case,
    or capitalised for number words."""
    forms: set[str] = set()
    for form, nw in lexicon.number_words().items():
        # not бір and its forms (the article "a", "one of"): `бір мың` is found from `мың`
        if nw.ordinal or nw.value != 1:
            forms.update((form, form[:1].upper() + form[1:]))
    # capitalised months start a value only as a range first in a sentence (`Наурыз-сәуір айларында`)
    forms.update(f for m in lexicon.months() for f in (m, m[:1].upper() + m[1:]))
    forms.update(relative_days()["month"])  # осы айдың 2-сінде
    forms.update(roman_forms())
    return frozenset(forms)


_LETTERS = re.compile(rf"{_LETTER}+")
_ONE_LETTER = re.compile(_LETTER)


def _word_anchors(text: str, start: int, end: int) -> list[int]:
    """Where a whole letter run in text[start:end] is an anchor form. A set intersection
    (C speed) tells which forms occur at all; only their positions are then looked up."""
    hits = anchor_forms().intersection(_LETTERS.findall(text, start, end))
    out: list[int] = []
    for word in hits:
        i = text.find(word, start, end)
        while i >= 0:
            j = i + len(word)
            if not (i and _ONE_LETTER.match(text, i - 1)) and not _ONE_LETTER.match(text, j):
                out.append(i)
            i = text.find(word, j, end)
    return sorted(out)


@cache
def _special_words() -> frozenset[str]:
    """Words after a number that need the full grammar (a year, month, unit, currency ...)."""
    out: set[str] = set(lexicon.year_words()) | set(lexicon.months()) | set(lexicon.units())
    out |= set(lexicon.durations())
    out |= set(lexicon.currencies()) | set(lexicon.percent_words()) | set(lexicon.number_words())
    out |= set(lexicon.multiword_units())
    return frozenset(out)


# a plain number and the next word: 432 коммунист, 19239 адам
_FAST = re.compile(rf"(\d{{1,9}})[ \t]+({_LETTER}+)")
_PREV_WORD = re.compile(rf"({_LETTER}+)\s+$")


def _fast_cardinal(text: str, a: int) -> Span | None:
    m = _FAST.match(text, a)
    if m is None:
        return None
    num, word = m.group(1), m.group(2)
    if word.lower() in _special_words() or (len(num) <= 3 and word.isdigit()):
        return None
    return Span("value", "CARDINAL", a, a + len(num), {"value": int(num)})


# `1929 жылы Алматы ...`: a year, its word, and a next word that cannot extend the date
_FAST_YEAR = re.compile(
    rf"(\d{{4}})[ \t]+(?:жылы|жылғы|жылдан|жылға|жылда|жылдың)(?:[ \t]+({_LETTER}+)|[ \t]*[,;:!?»)])"
)


def _fast_year(ctx: Context, text: str, a: int) -> Span | None:
    m = _FAST_YEAR.match(text, a)
    if m is None:
        return None
    nxt = m.group(2)
    if nxt and nxt.lower() in _special_words() | lexicon.qualifiers().keys():
        return None
    year = int(m.group(1))
    if not 1000 <= year <= 2100:
        return None
    ctx.last_year = year
    end = m.end(2) - len(nxt) if nxt else m.end() - 1
    end = len(text[a:end].rstrip()) + a
    return Span("value", "DATE", a, end, {"value": m.group(1)})


# 30.09.1929, 1.08.1936 ж.: day.month.year
_NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)(?:[ \t]*(?:жж?\.|жылы|жылғы))?")


def _numeric_date(ctx: Context, text: str, a: int) -> Span | None:
    m = _NUMERIC_DATE.match(text, a)
    if m is None:
        return None
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    attrs: dict[str, object]
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        attrs = {"value": f"{year:04d}-{month:02d}-{day:02d}"}
        ctx.last_year = year
    else:
        attrs = {"uncertain": True, "note": "impossible day or month"}
    return Span("value", "DATE", a, m.end(), attrs)


def _back_to_compound(text: str, a: int) -> int:
    """An anchor on `мың` in `бір мың ...`: start at `бір` (the article is no anchor itself)."""
    while a > 0:
        m = _PREV_WORD.search(text, max(0, a - 16), a)
        nw = lexicon.number_words().get(m.group(1).lower()) if m else None
        if nw is None or not nw.bare:
            return a
        a = m.start(1)
    return a


def _sentence_end(sentences: list[Range], starts: list[int], pos: int, text: str) -> int:
    k = bisect.bisect_right(starts, pos) - 1
    if k < 0:
        return len(text)
    end = sentences[k].end
    # a sentence splitter may cut `1936 ж. | 1 тамызға`: let a date run into the next sentence
    # when this one ends with a year abbreviation
    while (
        k + 1 < len(sentences)
        and end - pos < WINDOW
        and _YEAR_ABBR_END.search(text, max(pos, end - 12), end)
    ):
        k += 1
        end = sentences[k].end
    return end


def scan(
    text: str,
    start: int = 0,
    end: int | None = None,
    sentences: list[Range] | None = None,
    skip: list[tuple[int, int]] | None = None,
    dates_only_from: int | None = None,
) -> list[Span]:
    """Value spans in text[start:end]. `skip`: sorted ranges not to read (citations);
    after `dates_only_from` (a footer) only dates are kept."""
    end = len(text) if end is None else end
    sents = sentences or []
    starts = [s.start for s in sents]
    footer = len(text) + 1 if dates_only_from is None else dates_only_from
    ctx = Context(text)
    out: list[Span] = []
    last_end = start
    for a, is_word in _all_anchors(text, start, end, skip or []):
        if a < last_end:
            continue
        if not is_word and a and text[a - 1].isalpha():
            continue  # digits glued to a word (ҚК2): no value
        if is_word:  # spelled numbers run longer: бір миллиард екі жүз отыз миллион
            a = max(last_end, _back_to_compound(text, a))
            hit = _try(ctx, text, a, end, sents, starts, footer, WORD_WINDOW)
        elif a < footer:
            hit = _numeric_date(ctx, text, a) or _fast_cardinal(text, a) or _fast_year(ctx, text, a)
            if hit is None:
                hit = _try(ctx, text, a, end, sents, starts, footer)
        elif len(_DIGITS.match(text, a).group()) == 4:  # in the footer only years: (1928-1937)
            hit = _try(ctx, text, a, end, sents, starts, footer)
        else:
            continue
        if hit is not None:
            out.append(hit)
            last_end = hit.end
    return _join_between(text, out)


@cache
def _between() -> dict[str, frozenset[str]]:
    from importlib import resources

    raw = resources.files("muragat.values").joinpath("data/between.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    return {kind: frozenset(words.split()) for kind, words in rows}


_WORD = re.compile(r"\s*(\w+)")


def _join_between(text: str, spans: list[Span]) -> list[Span]:
    """`X бен Y аралығында`: the two dates are one interval X/Y (data/between.tsv)."""
    words = _between()
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev is not None and prev.label == span.label == "DATE" and _point(prev) and _point(span):
            gap = text[prev.end:span.start].split()
            after = _WORD.match(text, span.end)
            inside = text[span.start:span.end].split()[-1] in words["after"]  # read as a qualifier
            if len(gap) == 1 and gap[0] in words["joiner"] and (
                    inside or (after and after.group(1) in words["after"])):
                value = f"{prev.attrs['value']}/{span.attrs['value']}"
                stop = span.end if inside or after is None else after.end()
                out[-1] = Span("value", "DATE", prev.start, stop, {**prev.attrs, "value": value})
                continue
        out.append(span)
    return out


def _point(span: Span) -> bool:
    value = span.attrs.get("value")
    return isinstance(value, str) and not value.startswith("P") and "/" not in value


_DIGITS = re.compile(r"\d+")


def _all_anchors(
    text: str, start: int, end: int, skip: list[tuple[int, int]]
) -> list[tuple[int, bool]]:
    """(offset, is_word) of every anchor outside the skipped ranges, in text order: digit
    runs and month / number / Roman numeral words."""
    found = [(a, False) for a in _digit_runs(text, start, end)]
    found += [(a, True) for a in _word_anchors(text, start, end)]
    found.sort()
    if skip:
        skip_starts = [a for a, _ in skip]
        found = [x for x in found if not _inside(skip, skip_starts, x[0])]
    return found


def _digit_runs(text: str, start: int, end: int) -> list[int]:
    """Where runs of ASCII digits start: vectorized over the code points (numpy), several
    times faster than a regex scan of the whole text."""
    arr = np.frombuffer(text[start:end].encode("utf-32-le"), dtype=np.uint32)
    if arr.size == 0:
        return []
    digit = (arr - 48) <= 9  # unsigned wrap-around: one comparison for '0'..'9'
    runs = (np.flatnonzero(digit[1:] > digit[:-1]) + (1 + start)).tolist()
    return [start, *runs] if digit[0] else runs


def _inside(skip: list[tuple[int, int]], skip_starts: list[int], a: int) -> bool:
    k = bisect.bisect_right(skip_starts, a) - 1
    return k >= 0 and a < skip[k][1]


def _try(
    ctx: Context,
    text: str,
    a: int,
    end: int,
    sents: list[Range],
    starts: list[int],
    footer: int,
    window: int = WINDOW,
) -> Span | None:
    """The grammar at one anchor (a = anchor, or earlier for `бір мың`)."""
    limit = min(end, a + window)
    if sents:
        limit = min(limit, _sentence_end(sents, starts, a, text))
    toks = local_tokens(text, a, limit)
    hit = match_at(ctx, toks, 0) if toks else None
    if hit is None or (hit.start >= footer and hit.label != "DATE"):
        return None
    return _span(hit)


def _span(hit: Hit) -> Span:
    return Span("value", hit.label, hit.start, hit.end, hit.attrs)
