"""Fast scanning: one prefilter regex finds anchors (a number, a Roman numeral, a month or a
number word, each just after a separator); only there are a few local tokens read and the
grammar tried. The commonest case, a plain number before an ordinary word, takes a fast path
that skips the grammar."""

from __future__ import annotations

import bisect
import re
from functools import cache

from muragat.model import Range, Span
from muragat.values import lexicon
from muragat.values.grammar import Context, Hit, match_at
from muragat.values.numbers import roman_value, tokens

WINDOW = 56  # characters read after an anchor: the longest value expression fits
_LETTER = r"[^\W\d_]"
_SEPARATORS = "\\s«»\"“”„'(\\[/,.;:—–\\-"
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


@cache
def anchor_re() -> re.Pattern[str]:
    """Digits, a Roman-looking upper-case word, or a citation bracket. It starts with a
    character class, so the regex engine skips the (mostly letter) text in C."""
    return re.compile(rf"[\d\[IVXLCDMІХСМ](?:(?<=\d)\d*|(?<=\[)|[IVXLCDMІХСМ]*(?!{_LETTER}))")


_PUNCT = ",.;:!?»)\"”"


@cache
def word_forms() -> frozenset[str]:
    """Month and number word forms that may start a value, as they appear after str.split():
    bare, with one trailing punctuation mark, or after an opening quote or bracket."""
    forms: set[str] = set()
    for form, nw in lexicon.number_words().items():
        if nw.alone or nw.kind in ("hundred", "scale") or nw.ordinal:
            forms.update((form, form[:1].upper() + form[1:]))
    forms.update(lexicon.months())
    out = set(forms)
    for f in forms:
        out.update(f + p for p in _PUNCT)
        out.update(("«" + f, "(" + f))
    return frozenset(out)


def _word_anchors(text: str, start: int, end: int) -> list[int]:
    """Where month / number words start. A set intersection over str.split() (C speed) tells
    whether any occur at all; only then are their positions looked up."""
    hits = word_forms().intersection(text[start:end].split() if start or end < len(text) else text.split())
    if not hits:
        return []
    out: list[int] = []
    for word in {h.strip(_PUNCT + "«(") for h in hits}:
        i = text.find(word, start, end)
        while i >= 0:
            j = i + len(word)
            if not (i and text[i - 1].isalpha()) and not (j < len(text) and text[j].isalpha()):
                out.append(i)
            i = text.find(word, j, end)
    return sorted(out)


@cache
def _special_words() -> frozenset[str]:
    """Words after a number that need the full grammar (a year, month, unit, currency ...)."""
    out: set[str] = set(lexicon.year_words()) | set(lexicon.months()) | set(lexicon.units())
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
    while k + 1 < len(sentences) and end - pos < WINDOW and _YEAR_ABBR_END.search(text, max(pos, end - 12), end):
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
    skip = skip or []
    skip_starts = [a for a, _ in skip]
    footer = len(text) + 1 if dates_only_from is None else dates_only_from
    ctx = Context(text)
    out: list[Span] = []
    last_end = start
    words = _word_anchors(text, start, end)
    wi = 0
    for m in anchor_re().finditer(text, start, end):
        a = m.start()
        # month / number words before this anchor go first
        while wi < len(words) and words[wi] < a:
            hit = _try(ctx, text, words[wi], max(last_end, _back_to_compound(text, words[wi])),
                       end, sents, starts, footer) if words[wi] >= last_end else None
            wi += 1
            if hit is not None:
                out.append(hit)
                last_end = hit.end
        if a < last_end:
            continue
        if text[a] == "[" or (skip_starts and _inside(skip, skip_starts, a)):
            continue
        if a and text[a - 1].isalpha():
            continue  # inside a word: ҚазақСтан, №7 is no value either way
        if text[a].isdigit():
            if a < footer:
                fast = _fast_cardinal(text, a)
                if fast is not None:
                    out.append(fast)
                    last_end = fast.end
                    continue
            elif m.end() - a != 4:
                continue  # in the footer only years are read: (1928-1937)
        elif roman_value(m.group()) is None or text[m.end() : m.end() + 1] == ".":
            continue  # С. Нұрпейісов: an initial
        hit = _try(ctx, text, a, a, end, sents, starts, footer)
        if hit is not None:
            out.append(hit)
            last_end = hit.end
    for w in words[wi:]:
        if w >= last_end:
            hit = _try(ctx, text, w, max(last_end, _back_to_compound(text, w)), end, sents, starts, footer)
            if hit is not None:
                out.append(hit)
                last_end = hit.end
    return out


def _inside(skip: list[tuple[int, int]], skip_starts: list[int], a: int) -> bool:
    k = bisect.bisect_right(skip_starts, a) - 1
    return k >= 0 and a < skip[k][1]


def _try(
    ctx: Context, text: str, anchor: int, a: int, end: int,
    sents: list[Range], starts: list[int], footer: int,
) -> Span | None:
    """The grammar at one anchor (a = anchor, or earlier for `бір мың`)."""
    limit = min(end, a + WINDOW)
    if sents:
        limit = min(limit, _sentence_end(sents, starts, a, text))
    toks = tokens(text, a, limit)
    hit = match_at(ctx, toks, 0) if toks else None
    if hit is None or (hit.start >= footer and hit.label != "DATE"):
        return None
    return _span(hit)


def _span(hit: Hit) -> Span:
    return Span("value", hit.label, hit.start, hit.end, hit.attrs)
