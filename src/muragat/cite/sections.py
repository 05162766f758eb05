"""Where the body ends: the footer (author initials, degree, city) and the bibliography.

Journal articles end with `Author I.O., degree, City қ.` and a numbered reference list; in a
damaged corpus these are glued to the last body sentence (`...салтанат құрды..О.,`). The
footer is looked for only near the end of the text, so this is cheap on long documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from muragat.cite.citations import BRACKET_RE
from muragat.text.tokenizer import UPPER as _UP

TAIL = 8000  # the footer is searched for in this many last characters

# initials at the end of the body, maybe with a surname: `Омарова Н.О.,`, glued `..О.,`
AUTHOR_RE = re.compile(rf"(?:[{_UP}][\w-]+\s+)?\.?(?:[{_UP}]\.\s?){{1,3}}[,;]?\s*$")
ENTRY_ONE_RE = re.compile(rf"(?m)^[ \t]*1[.)]?\s+[{_UP}«]")


# AUTHOR_RE spans at most five whitespace-separated chunks (a surname, then up to three
# initials each followed by one optional space), so it is searched for in the last five only:
# the same leftmost match, without trying every position of the 200 characters before.
AUTHOR_CHUNKS = 5


def _last_chunks(s: str, k: int) -> int:
    """Where the last k whitespace-separated chunks of s begin (at the space before them)."""
    parts = s.rsplit(None, k)
    return len(parts[0]) if len(parts) > k else 0


@dataclass(slots=True)
class Footer:
    start: int  # first character of the footer = end of the body
    end: int
    author: tuple[int, int] | None = None
    degree: tuple[int, int] | None = None
    city: tuple[int, int] | None = None
    heading: tuple[int, int] | None = None
    bibliography: int | None = None  # where the first entry starts


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """Degree and heading patterns match lower-cased text (no re.I: faster); city patterns
    keep their case (`Алматы қ.`)."""
    rows: dict[str, list[str]] = {}
    data = resources.files("muragat.cite") / "data" / "footer.tsv"
    for line in data.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, pattern, *_ = line.split("\t")
            rows.setdefault(kind, []).append(pattern if kind == "city" else pattern.lower())
    return {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in rows.items()}


def _last_citation_end(text: str, lo: int) -> int:
    i = text.rfind("[", lo)
    while i >= 0:
        m = BRACKET_RE.match(text, i)
        if m:
            return m.end()
        i = text.rfind("[", lo, i)
    return lo


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, len(text) if b < 0 else b


def _short_line(text: str, pos: int, limit: int = 150) -> bool:
    a, b = _line_bounds(text, pos)
    return b - a <= limit


@lru_cache(maxsize=1)  # values then cite ask for the same text: found once per document
def find_footer(text: str) -> Footer | None:
    """The footer, or None when the text has none (a plain text, a fragment)."""
    n = len(text)
    lo = max(0, n - TAIL)
    last_cite = _last_citation_end(text, lo)
    # lower-cased tail, padded so offsets stay those of `text` (lower() keeps the length of
    # Kazakh and Russian text; anything else is checked)
    low = " " * last_cite + text[last_cite:].lower()
    if len(low) != n:
        return None
    pats = _patterns()
    degree = next(
        (m for m in pats["degree"].finditer(low, last_cite) if _short_line(text, m.start())), None
    )
    if degree is not None:
        return _footer_from_degree(text, low, _with_field(text, degree.span()))
    heading = next(
        (
            m
            for m in pats["heading"].finditer(low, last_cite)
            if _line_bounds(text, m.start())[0] == m.start() - _indent(text, m.start())
            and _short_line(text, m.start(), 40)
        ),
        None,
    )
    if heading is not None:
        start = _line_bounds(text, heading.start())[0]
        return Footer(
            start, n, heading=heading.span(), bibliography=_first_entry(text, heading.end())
        )
    one = ENTRY_ONE_RE.search(text, last_cite)
    if one is not None and last_cite > lo:
        start = one.start() + _indent(text, one.start(), forward=True)
        return Footer(start, n, bibliography=start)
    return None


def _indent(text: str, pos: int, forward: bool = False) -> int:
    if forward:
        return len(text[pos : pos + 10]) - len(text[pos : pos + 10].lstrip(" \t"))
    a = text.rfind("\n", 0, pos) + 1
    return len(text[a:pos]) - len(text[a:pos].lstrip(" \t"))


_FIELD_BEFORE = re.compile(r"[^\W\d_]+[ \t]+$")


def _with_field(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """`ғылымдарының докторы` -> `тарих ғылымдарының докторы`: the field word before it."""
    a, b = span
    if text[a:b].lower().startswith("ғылымдарының"):
        m = _FIELD_BEFORE.search(text, max(0, a - 40), a)
        if m:
            a = m.start()
    return a, b


def _footer_from_degree(text: str, low: str, degree: tuple[int, int]) -> Footer:
    pats = _patterns()
    line_start = _line_bounds(text, degree[0])[0]
    start = line_start
    # author initials just before the degree: on the degree's line or at the end of the previous
    author = None
    head = text[max(0, line_start - 200) : degree[0]]
    am = AUTHOR_RE.search(head, _last_chunks(head, AUTHOR_CHUNKS))
    if am is not None:
        off = max(0, line_start - 200)
        a_start, a_end = off + am.start(), off + am.start() + len(am.group().rstrip(" \t\n,;"))
        author = (a_start, a_end)
        start = a_start
    else:
        start = degree[0]
    city = None
    cm = pats["city"].search(text, degree[1], degree[1] + 200)
    if cm is not None:
        city = cm.span()
    after = city[1] if city else degree[1]
    hm = pats["heading"].match(low, _skip(text, after))
    if hm is not None:
        after = hm.end()
    return Footer(
        start,
        len(text),
        author=author,
        degree=degree,
        city=city,
        heading=hm.span() if hm else None,
        bibliography=_first_entry(text, after),
    )


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n.,:;":
        pos += 1
    return pos


def _first_entry(text: str, pos: int) -> int | None:
    p = _skip(text, pos)
    return p if p < len(text) else None
