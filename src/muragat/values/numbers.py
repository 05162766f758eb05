"""Reading one number at a token: digits, decimal commas, ranges, spelled-out Kazakh numerals
(in any case form, up to billions) and Roman numerals (Latin or Cyrillic look-alike letters)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from muragat.values import lexicon

# Local tokens: a number (decimal comma or dot), a word, or one other visible character; the
# group that matched gives the token's kind.
TOKEN_RE = re.compile(r"(\d+(?:[.,]\d+)?)|([^\W\d_]+)|(\S)")
_KINDS = (None, "n", "w", "p")
DASHES = frozenset("-–—‑")
# Cyrillic letters that look like Roman numerals (ХХ ғасыр, І, С, М).
_ROMAN_MAP = str.maketrans("ІХСМ", "IXCM")
_ROMAN_RE = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VAL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_SINGLE = frozenset("IVXІХ")  # single letters C/M/D/L are initials far more often


@dataclass(slots=True)
class Tok:
    text: str
    start: int
    end: int
    kind: str = "w"  # n number | w word | p punctuation


def tokens(text: str, start: int, end: int) -> list[Tok]:
    return [
        Tok(m.group(), m.start(), m.end(), _KINDS[m.lastindex or 3])
        for m in TOKEN_RE.finditer(text, start, end)
    ]


@dataclass(slots=True)
class Num:
    value: int | float
    start: int  # char offsets of the whole number expression
    end: int
    next: int  # index of the first token after it
    ordinal: bool = False
    spelled: bool = False
    roman: bool = False
    ndigits: int = 0
    suffixed: bool = False  # a case/possessive ending was attached (269-ы)
    hyphen_noun: bool = False  # 58-бабы: a hyphen then a noun, the hyphen marks an ordinal
    maximum: int | float | None = None  # upper bound of a range 8-10
    max_ndigits: int = 0
    weak: bool = False  # one ambiguous word (жүз, тоқсан): a number only before a unit or %


def roman_value(word: str) -> int | None:
    if len(word) == 1 and word not in _ROMAN_SINGLE:
        return None
    latin = word.translate(_ROMAN_MAP)
    if not latin or not _ROMAN_RE.fullmatch(latin) or not latin.isupper():
        return None
    total, prev = 0, 0
    for ch in reversed(latin):
        v = _ROMAN_VAL[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def _glued(a: Tok, b: Tok) -> bool:
    return a.end == b.start


def _digits_value(text: str) -> int | float:
    if "," in text or "." in text:
        return float(text.replace(",", "."))
    return int(text)


def _read_digits(toks: list[Tok], i: int, text: str) -> Num:
    t = toks[i]
    raw = t.text
    j = i + 1
    # thousands written with spaces: 13 208 699
    if len(raw) <= 3 and raw.isdigit():
        while (
            j < len(toks)
            and toks[j].kind == "n"
            and toks[j].text.isdigit()
            and len(toks[j].text) == 3
            and toks[j].start - toks[j - 1].end == 1
            and text[toks[j - 1].end] in " \u00a0\u202f"
        ):
            raw += toks[j].text
            j += 1
    num = Num(_digits_value(raw), t.start, toks[j - 1].end, j, ndigits=len(raw.split(",")[0]))
    _read_hyphen_tail(toks, num, text)
    _read_scale(toks, num)
    return num


def _read_scale(toks: list[Tok], num: Num) -> None:
    """3 мың, 2,5 миллион: digits times a scale word."""
    j = num.next
    if num.ordinal or num.suffixed or j >= len(toks) or toks[j].kind != "w":
        return
    nw = lexicon.number_words().get(toks[j].text.lower())
    if nw is None or nw.kind != "scale" or nw.ordinal:
        return
    scale = nw.value
    num.value = _exact(num.value * scale)
    if num.maximum is not None:
        num.maximum = _exact(num.maximum * scale)
    num.end, num.next, num.ndigits = toks[j].end, j + 1, 0
    # ndigits = 0: a count, never read as a year (2 мың жыл is a duration)
    num.suffixed = not nw.bare


def _exact(v: int | float) -> int | float:
    return int(round(v)) if abs(v - round(v)) < 1e-9 else v


def _read_hyphen_tail(toks: list[Tok], num: Num, text: str) -> None:
    """What follows a glued dash: a range end, an ending (269-ы, 30-шы) or a noun (58-бабы)."""
    j = num.next
    if j + 1 >= len(toks) or toks[j].text not in DASHES or not _glued(toks[j - 1], toks[j]):
        return
    nxt = toks[j + 1]
    if not _glued(toks[j], nxt):
        return
    if nxt.kind == "n" and num.maximum is None and isinstance(num.value, int):
        num.maximum = _digits_value(nxt.text)
        num.max_ndigits = len(nxt.text)
        num.end, num.next = nxt.end, j + 2
        _read_hyphen_tail(toks, num, text)
        return
    if nxt.kind != "w":
        return
    word = nxt.text.lower()
    if word in lexicon.number_suffixes():
        num.ordinal = any(word.startswith(s) for s in lexicon.ordinal_suffixes())
        num.suffixed = not num.ordinal
        num.end, num.next = nxt.end, j + 2
    else:
        num.ordinal = True
        num.hyphen_noun = True
        num.next = j + 1  # the noun is read by the rules (жылдың, бабының)


def _read_spelled(toks: list[Tok], i: int) -> Num | None:
    """елу сегізінші -> 58 (ordinal); бір мың тоғыз жүз жиырма сегіз -> 1928."""
    words = lexicon.number_words()
    total, current, j = 0, 0, i
    rank = 4  # 4 group start, 3 after hundreds, 2 after tens, 1 after units: must decrease
    seen: list[lexicon.NumWord] = []
    while j < len(toks) and toks[j].kind == "w":
        nw = words.get(toks[j].text.lower())
        if nw is None or (seen and not seen[-1].bare):
            break  # only the last word of a numeral takes an ending
        if nw.kind == "unit" and rank > 1:
            current, rank = current + nw.value, 1
        elif nw.kind == "ten" and rank > 2:
            current, rank = current + nw.value, 2
        elif nw.kind == "hundred" and (rank == 4 or (rank == 1 and current < 10)):
            current, rank = (current or 1) * 100, 3
        elif nw.kind == "scale" and rank < 4 or (nw.kind == "scale" and not seen):
            total, current, rank = total + (current or 1) * nw.value, 0, 4
        else:
            break
        seen.append(nw)
        j += 1
    if not seen:
        return None
    last = seen[-1]
    return Num(
        total + current,
        toks[i].start,
        toks[j - 1].end,
        j,
        ordinal=last.ordinal,
        spelled=True,
        suffixed=not last.bare and not last.ordinal,
        weak=len(seen) == 1 and not last.alone,
    )


def read_number(toks: list[Tok], i: int, text: str) -> Num | None:
    """The number starting at token i, or None."""
    t = toks[i]
    kind = t.kind
    if kind == "n":
        return _read_digits(toks, i, text)
    if kind != "w":
        return None
    rv = roman_value(t.text)
    if rv is not None:
        num = Num(rv, t.start, t.end, i + 1, ordinal=True, roman=True)
        # Roman ranges: XIX-XX ғасырлар
        j = i + 1
        if j + 1 < len(toks) and toks[j].text in DASHES and _glued(t, toks[j]):
            rv2 = roman_value(toks[j + 1].text)
            if rv2 is not None and _glued(toks[j], toks[j + 1]):
                num.maximum, num.end, num.next = rv2, toks[j + 1].end, j + 2
        return num
    return _read_spelled(toks, i)
