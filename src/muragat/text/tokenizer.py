"""Tokenizer: one compiled regular expression scanned once over the text (linear, no recursion).

Conventions follow UD Kazakh-KTB (Apertium): ``55-ші``, ``35-те``, ``90%-ына``, ``ҚК-нің``,
``сондай-ақ`` are one token; a numeral followed by a hyphen and a full word (``20-жылдың``,
``1929-30``) is three tokens, and so is a word before a hyphen and digits (``ӘЧ-2014``);
``...`` is one token, ``?!`` and ``?..`` are one token per mark; abbreviations keep their dot
(``ж.``, ``т.б.``, ``млн.``), initials too (``С.``, ``И.В.``); URLs and e-mail addresses are
single tokens. Two-word verb forms (``болған емес``, ``сыйлайды екенсің``, data/multiword.json)
are one surface token in KTB (a multiword token): here they stay two word tokens, both marked
with ``misc["mwt"] = [start, end]`` of the surface token (``surface_tokens`` merges them).
"""

from __future__ import annotations

import gc
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache

from muragat.model import Token
from muragat.text.normalizer import COMBINING, DASHES, normalize, special_chars
from muragat.text.resources import abbreviations, multiword_rules, numeral_suffixes
from muragat.text.script import CONVERTIBLE, convert_tokens, detect

# Capitals of the Kazakh Latin alphabets (2018, 2021, Jaŋalif) too: initials such as ``Ğ.``
UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІЄЇЎ" + "ÁÄÇĞİÑÓÖŞÚÜŪÝǴƏƢƟƵŊꞐ"
# Word characters: \w plus combining marks and invisible in-word characters (soft hyphen, ZW*).
EXTRA = f"{COMBINING}\u00ad\u200b-\u200d\u2060\ufeff"
W = f"[\\w{EXTRA}]"
LETTER = "[^\\W\\d_]"
HYPHEN = "[-\u2010\u2011]"
# Bounded cost per input: no later layer ever sees a token longer than this (the longest real
# words and numbers are a few dozen characters, URLs a few hundred at most); a longer run of
# word characters (``а`` * 2,000,000) is cut into pieces of this length, with a warning.
MAX_TOKEN_CHARS = 200


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
    # Listed abbreviations without the final dot, as written: ж, Ж, ЖЖ (no IGNORECASE: faster).
    bare = [a[:-1] for a in abbreviations()]
    abbr = _alternation(bare + [a.capitalize() for a in bare] + [a.upper() for a in bare])
    suffix = suffix_pattern()
    alternatives = [
        # fast path, most tokens: a plain word not followed by anything that could extend it
        f"{LETTER}\\w*+(?![.(\\-\u2010\u2011'’{EXTRA}])",
        # punctuation that cannot start a longer token: one character
        f"[^\\w\\s%‰.{COMBINING}\u00ad\u200b-\u200d\u2060\ufeff]",
        # an ellipsis written with dots, or one dot (``?..`` is three tokens in KTB)
        "\\.(?:\\.\\.)?",
        # numbers: 13208699, 19,5, 1.5, 10:30, 58,3%, 30-шы, 90%-ына, 269-ы
        f"\\d+(?:[.,:]\\d+)*[%‰]?(?:{HYPHEN}{suffix}(?!{W}))?",
        # a percent sign with a suffix after a space: 14,5 %-ы
        f"[%‰]{HYPHEN}{suffix}(?!{W})",
        # dotted abbreviations and initials written together: т.б., т.с.с., б.з.б., И.В.
        f"(?:{LETTER}{{1,2}}\\.){{2,}}",
        # listed abbreviations keep their dot: ж., бб., обл., млн.
        f"(?:{abbr})\\.",
        # an initial: С. Нұрпейісов
        f"[{UPPER}]\\.",
        # acronyms with a bracketed part: БК(б)П, ВКП(б)-ның
        f"[{UPPER}]++\\({LETTER}{{1,3}}\\)[{UPPER}]*(?:{HYPHEN}{W}+)*",
        # words, hyphenated compounds and apostrophes: сондай-ақ, ҚК-нің, О'Брайен
        # (a hyphen before digits splits, as numbers do in KTB: ӘЧ-2014 -> ӘЧ - 2014)
        f"{W}+(?:(?:{HYPHEN}|['’])(?!\\d){W}+)*",
        "\\S",
    ]
    # The leading look-ahead rejects a space at once instead of trying every alternative there.
    return re.compile("(?=\\S)(?:" + "|".join(f"(?:{a})" for a in alternatives) + ")")


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


def spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token (start, end) offsets in ``text[start:end]``."""
    end = len(text) if end is None else end
    out = [m.span() for m in token_regex().finditer(text, start, end)]
    special = _special_spans(text, start, end)
    return _cap_spans(text, _merge(out, special) if special else out)


def _cap_spans(text: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offsets with every token over MAX_TOKEN_CHARS cut into pieces (see MAX_TOKEN_CHARS)."""
    if all(b - a <= MAX_TOKEN_CHARS for a, b in offsets):
        return offsets
    out: list[tuple[int, int]] = []
    for a, b in offsets:
        out.extend((i, min(i + MAX_TOKEN_CHARS, b)) for i in range(a, b, MAX_TOKEN_CHARS))
    _warn_long_tokens(text, len(out) - len(offsets))
    return out


def _cap_tokens(text: str, tokens: list[Token]) -> list[Token]:
    """`_cap_spans` for tokens just built from regex matches (norm is still the surface)."""
    if all(t.end - t.start <= MAX_TOKEN_CHARS for t in tokens):
        return tokens
    capped = _cap_spans(text, [(t.start, t.end) for t in tokens])
    return [Token(a, b, text[a:b]) for a, b in capped]


def _warn_long_tokens(text: str, pieces: int) -> None:
    from muragat.i18n import t
    from muragat.io import warn

    warn(t(f"{MAX_TOKEN_CHARS} таңбадан ұзын тізбектер бөлінді ({pieces} қосымша бөлік; "
           f"мәтін ұзындығы {len(text)})",
           f"runs longer than {MAX_TOKEN_CHARS} characters were cut ({pieces} extra "
           f"piece(s); text length {len(text)})"))


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
    """Tokens at ``offsets`` with ``norm`` filled."""
    with gc_paused():
        return _join_multiwords(
            text, _fill_norms(text, [Token(s, e, text[s:e]) for s, e in offsets])
        )


def scan(text: str, cuts: list[int]) -> list[Token]:
    """Tokens of the whole text, never crossing an offset in ``cuts`` (sorted), norms filled.
    The fast path builds tokens straight from the regex matches."""
    if "@" in text or "://" in text or "www." in text:
        offsets: list[tuple[int, int]] = []
        prev = 0
        for cut in [*cuts, len(text)]:
            offsets.extend(spans(text, prev, cut))
            prev = cut
        return make_tokens(text, offsets)
    finditer = token_regex().finditer
    tokens: list[Token] = []
    prev = 0
    with gc_paused():
        for cut in [*cuts, len(text)]:
            tokens += [Token(m.start(), m.end(), m.group()) for m in finditer(text, prev, cut)]
            prev = cut
        return _join_multiwords(text, _fill_norms(text, _cap_tokens(text, tokens)))


def _fill_norms(text: str, tokens: list[Token]) -> list[Token]:
    """``norm`` = the analysis form; the text is scanned once for characters the normalizer
    changes and only tokens holding one are normalized. A token of only invisible characters
    keeps its own text. Kazakh in Latin or Arabic script gets its Cyrillic form (script.py)."""
    script = detect(text)
    if script in CONVERTIBLE:
        return convert_tokens(text, tokens, script)
    if not unicodedata.is_normalized("NFC", text):
        for tok in tokens:
            tok.norm = _token_norm(tok.norm)
        return tokens
    positions = [m.start() for m in special_chars().finditer(text)]
    if positions:
        starts = [t.start for t in tokens]
        last = -1
        for p in positions:
            i = bisect_right(starts, p) - 1
            if i > last and tokens[i].end > p:
                tok = tokens[i]
                tok.norm = dash_in_context(text, tok.start, tok.end) or _token_norm(tok.norm)
                last = i
    return tokens


def dash_in_context(text: str, start: int, end: int) -> str | None:
    """A dash that is a token of its own is normalized as it stands in the text: written
    against a word or number on both sides (`61-бабы`, `1929–30`), it is a hyphen, as
    `normalize` reads it inside a longer string; alone it would read as a dash."""
    if end - start != 1 or text[start] not in DASHES:
        return None
    before = start > 0 and text[start - 1].isalnum()
    after = end < len(text) and text[end].isalnum()
    return "-" if before and after else None


@cache
def _multiword_regex() -> re.Pattern[str]:
    seconds = {w for _, second in multiword_rules() for w in second}
    return re.compile(f" (?:{_alternation(list(seconds))})")


def _is_multiword(first: str, second: str) -> bool:
    """``болған`` + ``емес`` -> True (see data/multiword.json)."""
    if not (first.isalpha() and second.isalpha()):
        return False
    first = first.lower()
    return any(
        first.endswith(endings) and len(first) > 2 and second.startswith(starts)
        for endings, starts in multiword_rules()
    )


def _join_multiwords(text: str, tokens: list[Token]) -> list[Token]:
    """Mark two-word verb forms (``болған емес``) as one surface token, as UD Kazakh-KTB does
    with its multiword tokens: both word tokens stay (so morphology sees ``болған`` and
    ``емес``) and get ``misc["mwt"] = [start, end]``, the surface token's offsets.
    One pass, only where a second word (емес, жоқ, екен…) occurs."""
    hits = [m.start() for m in _multiword_regex().finditer(text)]
    if not hits:
        return tokens
    starts = [t.start for t in tokens]
    for p in hits:
        i = bisect_right(starts, p) - 1  # the token before the space
        if 0 <= i < len(tokens) - 1 and tokens[i].end == p and tokens[i + 1].start == p + 1:
            first, second = tokens[i], tokens[i + 1]
            if "mwt" not in first.misc and _is_multiword(first.norm, second.norm):
                first.misc["mwt"] = second.misc["mwt"] = [first.start, second.end]
    return tokens


def surface_tokens(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token offsets with each multiword token (``misc["mwt"]``) counted once, as in CoNLL-U."""
    out: list[tuple[int, int]] = []
    for t in tokens:
        mwt = t.misc.get("mwt")
        if mwt:
            if not out or out[-1] != (mwt[0], mwt[1]):
                out.append((mwt[0], mwt[1]))
        else:
            out.append((t.start, t.end))
    return out


@lru_cache(maxsize=1 << 16)
def _token_norm(raw: str) -> str:
    """Cached: the same quotes, dashes and hyphenated words recur all through a text."""
    return normalize(raw) or raw


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects: they form no
    cycles, and the collector's repeated scans of the growing list otherwise triple the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
