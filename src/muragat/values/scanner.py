"""Fast scanning: one prefilter regex finds anchors (digits, Roman numerals, month and number
word stems); only there are a few local tokens read and the grammar tried."""

from __future__ import annotations

import bisect
import re
from functools import cache

from muragat.model import Range, Span
from muragat.values import lexicon
from muragat.values.grammar import Context, Hit, match_at
from muragat.values.numbers import tokens

WINDOW = 160  # characters read after an anchor: the longest value expression fits
_LETTER = r"[^\W\d_]"


@cache
def anchor_re() -> re.Pattern[str]:
    stems: set[str] = set()
    for form in list(lexicon.months()) + list(lexicon.number_words()):
        stems.add(form[:3])
    words = "|".join(sorted(stems, key=len, reverse=True))
    # digits; an upper-case Roman-looking word; a word starting with a month/number stem
    return re.compile(
        rf"\d+|(?<!{_LETTER})(?:[IVXLCDMІХСМ]+(?!{_LETTER})|(?i:{words}){_LETTER}*)"
    )


def _sentence_end(sentences: list[Range], starts: list[int], pos: int, text: str) -> int:
    k = bisect.bisect_right(starts, pos) - 1
    if k < 0:
        return len(text)
    end = sentences[k].end
    # a sentence splitter may cut `1936 ж. | 1 тамызға`: let a date run into the next sentence
    # when this one ends with a year abbreviation
    while k + 1 < len(sentences) and re.search(r"\d\s*ж\.\s*$", text[max(pos, end - 12) : end]):
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
    ctx = Context(text)
    out: list[Span] = []
    pos = start
    rx = anchor_re()
    while True:
        m = rx.search(text, pos, end)
        if m is None:
            break
        a = m.start()
        pos = m.end()
        k = bisect.bisect_right(skip_starts, a) - 1
        if k >= 0 and a < skip[k][1]:
            pos = max(pos, skip[k][1])
            continue
        limit = min(end, a + WINDOW)
        if sents:
            limit = min(limit, _sentence_end(sents, starts, a, text))
        toks = tokens(text, a, limit)
        hit = match_at(ctx, toks, 0) if toks else None
        if hit is None:
            continue
        if dates_only_from is not None and hit.start >= dates_only_from and hit.label != "DATE":
            continue
        out.append(_span(hit))
        pos = max(pos, hit.end)
    return out


def _span(hit: Hit) -> Span:
    return Span("value", hit.label, hit.start, hit.end, hit.attrs)
