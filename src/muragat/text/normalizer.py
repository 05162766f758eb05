"""Analysis form of a string: NFC, invisible characters out, look-alike letters, quotes, dashes.

The original text is never changed; this only computes ``Token.norm``. ``needs_normalizing``
lets the tokenizer skip the work for the (vast majority of) tokens that are already clean.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from muragat.text.resources import lookalikes

# Removed: soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM, Mongolian vowel sep.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"
# Unicode spaces a token string may carry in from copy-paste: all become a plain space.
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
DOUBLE_QUOTES = "«»„“”‟″〝〞＂"
SINGLE_QUOTES = "‘’‚‛′ʹʼ`´"
DASHES = "‐‑‒–—―−﹘﹣－⁃-"
CYRILLIC = "\u0400-\u04ff\u0500-\u052f"
# Combining marks: their presence means the string may need NFC composition.
COMBINING = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"

_BASIC = str.maketrans(
    {
        **{c: "" for c in INVISIBLE},
        **{c: " " for c in SPACES},
        **{c: '"' for c in DOUBLE_QUOTES},
        **{c: "'" for c in SINGLE_QUOTES},
        "…": "...",
    }
)
_HAS_CYRILLIC = re.compile(f"[{CYRILLIC}]")
_WORD_RUN = re.compile(r"\w+")
# A dash between two word characters is a hyphen; anywhere else it is a dash.
_INNER_DASH = re.compile(f"(?<=\\w)[{re.escape(DASHES)}](?=\\w)")
_DASH = re.compile(f"[{re.escape(DASHES)}]+")


@cache
def _lookalike_table() -> dict[int, str]:
    return str.maketrans(lookalikes())


@cache
def special_chars() -> re.Pattern[str]:
    chars = (
        INVISIBLE + SPACES + DOUBLE_QUOTES + SINGLE_QUOTES + DASHES + "…" + "".join(lookalikes())
    )
    return re.compile(f"[{re.escape(chars)}{COMBINING}]")


def needs_normalizing(s: str) -> bool:
    """False when ``normalize(s) == s`` is certain (NFC text without any special character)."""
    return special_chars().search(s) is not None


def _fix_word(m: re.Match[str]) -> str:
    word = m.group()
    if _HAS_CYRILLIC.search(word):
        return word.translate(_lookalike_table())
    return word


def _fix_dashes(s: str) -> str:
    s = _INNER_DASH.sub("-", s)
    return _DASH.sub(lambda m: m.group() if m.group() == "-" and _is_attached(s, m) else "—", s)


def _is_attached(s: str, m: re.Match[str]) -> bool:
    """A hyphen-minus written against the word after it is a hyphen: `90%-ға`, `-ақ`,
    `1929-30`; one with space after it (` - `, `1937 -`) is a dash."""
    b = m.end()
    return b < len(s) and s[b].isalnum()


def normalize(s: str) -> str:
    """Analysis form of ``s``: NFC; soft hyphens and zero-width characters removed; no-break and
    other Unicode spaces to a space; look-alike Latin/Greek/other letters inside Cyrillic words to
    Kazakh Cyrillic (``Қaзaқ`` with Latin ``a`` -> ``Қазақ``, ``əкім`` -> ``әкім``); all double
    quotes to ``"``, single quotes and apostrophes to ``'``; ``…`` to ``...``; a hyphen between
    letters or digits to ``-`` and any other dash run to ``—``.
    """
    if not s:
        return s
    s = unicodedata.normalize("NFC", s).translate(_BASIC)
    if _HAS_CYRILLIC.search(s):
        s = _WORD_RUN.sub(_fix_word, s)
    if _DASH.search(s):
        s = _fix_dashes(s)
    return s
