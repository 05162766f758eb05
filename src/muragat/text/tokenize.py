"""Tokenizer: one compiled regular expression scanned once over the text (linear, no recursion).

Conventions follow UD Kazakh-KTB (Apertium): ``55-ші``, ``35-те``, ``90%-ына``, ``ҚК-нің``,
``сондай-ақ`` are one token; a numeral followed by a hyphen and a full word (``20-жылдың``,
``1929-30``) is three tokens; ``...`` is one token, ``?!`` and ``?..`` are one token per mark;
abbreviations keep their dot (``ж.``, ``т.б.``, ``млн.``), initials too (``С.``, ``И.В.``).
URLs and e-mail addresses are single tokens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from muragat.model import Token
from muragat.text.normalize import COMBINING, normalize, needs_normalizing
from muragat.text.resources import abbreviations, numeral_suffixes

UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІЄЇЎ"
# Word characters: \w plus combining marks and invisible in-word characters (soft hyphen, ZW*).
W = f"[\\w{COMBINING}\u00ad\u200b-\u200d\u2060\ufeff]"
LETTER = "[^\\W\\d_]"
HYPHEN = "[-\u2010\u2011]"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def suffix_pattern() -> str:
    """Regex of the endings a numeral keeps after its hyphen (``шы``, ``ге``, ``ына``...)."""
    parts = numeral_suffixes()
    order = ["ordinal", "plural", "possessive", "case"]
    # At least one morpheme: the first present part is required, the later ones optional.
    branches = []
    for i, name in enumerate(order):
        rest = "".join(f"(?:{_alternation(parts[n])})?" for n in order[i + 1 :])
        branches.append(f"(?:{_alternation(parts[name])}){rest}")
    particle = _alternation(parts["particle"])
    return f"(?:(?:{'|'.join(branches)})(?:-?(?:{particle}))?|(?:{particle}))"


@cache
def token_regex() -> re.Pattern[str]:
    abbr = _alternation([a[:-1] for a in abbreviations()])  # without the final dot
    suffix = suffix_pattern()
    alternatives = [
        # numbers: 13208699, 19,5, 1.5, 10:30, 58,3%, 30-шы, 90%-ына, 269-ы
        f"\\d+(?:[.,:]\\d+)*[%‰]?(?:{HYPHEN}{suffix}(?!{W}))?",
        # a percent sign with a suffix after a space: 14,5 %-ы
        f"[%‰]{HYPHEN}{suffix}(?!{W})",
        # dotted abbreviations and initials written together: т.б., т.с.с., б.з.б., И.В.
        f"(?:{LETTER}{{1,2}}\\.){{2,}}",
        # listed abbreviations keep their dot: ж., бб., обл., млн.
        f"(?i:{abbr})\\.",
        # an initial: С. Нұрпейісов
        f"[{UPPER}]\\.",
        # acronyms with a bracketed part: БК(б)П, ВКП(б)-ның
        f"[{UPPER}]+\\({LETTER}{{1,3}}\\)[{UPPER}]*(?:{HYPHEN}{W}+)*",
        # words, hyphenated compounds and apostrophes: сондай-ақ, ҚК-нің, О'Брайен
        f"{W}+(?:(?:{HYPHEN}|['’]){W}+)*",
        "\\.\\.\\.",
        "\\S",
    ]
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


_SPECIAL_TOKEN = re.compile(
    r"(?:https?|ftp)://[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]"
    r"|www\.[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def _special_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    chunk_has = "@" in text[start:end] or "://" in text[start:end] or "www." in text[start:end]
    if not chunk_has:
        return []
    return [m.span() for m in _SPECIAL_TOKEN.finditer(text, start, end)]


def _norm(raw: str, nfc: bool) -> str:
    if nfc and not needs_normalizing(raw):
        return raw
    return normalize(raw) or raw  # a token of only invisible characters keeps its own text


def spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token (start, end) offsets in ``text[start:end]``."""
    end = len(text) if end is None else end
    out = [m.span() for m in token_regex().finditer(text, start, end)]
    special = _special_spans(text, start, end)
    return _merge(out, special) if special else out


def _merge(tokens: list[tuple[int, int]], special: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Put each URL/e-mail span in place of the tokens it overlaps; token parts outside stay."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(tokens)
    for s, e in special:
        while i < n and tokens[i][1] <= s:
            out.append(tokens[i])
            i += 1
        if out and out[-1][1] > s:  # the previous special reached into this one
            continue
        tail: tuple[int, int] | None = None
        while i < n and tokens[i][0] < e:
            a, b = tokens[i]
            if a < s:
                out.append((a, s))
            if b > e:
                tail = (e, b)
            i += 1
        out.append((s, e))
        if tail:
            out.append(tail)
    out.extend(tokens[i:])
    return out


def make_tokens(text: str, offsets: list[tuple[int, int]]) -> list[Token]:
    nfc = unicodedata.is_normalized("NFC", text)
    return [Token(s, e, _norm(text[s:e], nfc)) for s, e in offsets]
