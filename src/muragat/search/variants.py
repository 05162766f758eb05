"""Other spellings a query word stands for: its Cyrillic form when typed in a Latin script,
and a surname's other patronymic form (`Сәдуақасов` ~ `Сәдуақасұлы`).

The patronymic pairs are data (data/patronymics.tsv), applied both ways to a name's lemma.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from muragat.terms import surname_stem
from muragat.text.script import CONVERTIBLE, detect, to_cyrillic

__all__ = ["cyrillic", "fuzzy_limit", "patronymic_variants", "surname_stem", "within"]

_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
PLAIN_LATIN = "latin2018"  # plain ASCII Kazakh (no ä, ğ…) is read in this alphabet
_MIN_STEM = 3  # `Ов` is no surname


def cyrillic(word: str) -> str | None:
    """The Cyrillic spelling of a word typed in a Latin script (None: it is not Latin)."""
    if not _LATIN.search(word) or _CYRILLIC.search(word):
        return None
    script = detect(word)
    out = to_cyrillic(word, script if script in CONVERTIBLE else PLAIN_LATIN)
    return out if out != word else None


@functools.cache
def _pairs() -> tuple[tuple[str, str], ...]:
    raw = resources.files("muragat.search").joinpath("data/patronymics.tsv").read_text("utf-8")
    out: list[tuple[str, str]] = []
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            a, b = line.split("\t")
            out += [(a.strip(), b.strip()), (b.strip(), a.strip())]
    # longest ending first: `аев` before `ев`
    return tuple(sorted(out, key=lambda p: -len(p[0])))


def patronymic_variants(term: str) -> list[str]:
    """A surname term's other patronymic forms: `сәдуақасов` -> [`сәдуақасұлы`]."""
    out: list[str] = []
    for ending, other in _pairs():
        stem = term[: len(term) - len(ending)]
        if term.endswith(ending) and len(stem) >= _MIN_STEM and stem + other not in out:
            out.append(stem + other)
    return out


def within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance of `a` and `b` is at most `limit` (rows cut off early)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


def fuzzy_limit(word: str) -> int:
    """Edits a `~word` forgives: one in a short word, two from eight letters on (OCR)."""
    return 1 if len(word) < 8 else 2
