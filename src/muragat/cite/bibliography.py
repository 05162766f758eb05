"""Bibliography entries: number, title, source, issue, pages, year; numbers the corpus lost are
inferred where that is safe (a title quoted near a citation, or a gap of exactly that size)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from muragat.cite.citations import _RANGE_DASH, Citation
from muragat.text.tokenizer import UPPER as _UP

# where one entry ends and the next begins: a line break, or (group 1, the gap) a new entry
# glued inside a line after the previous one's final dot; a glued entry never crosses a line
_BREAK = re.compile(rf"\n|\.([^\S\n]*)(?=\d{{1,3}}\.?[^\S\n]+[{_UP}«])")
_NUMBER = re.compile(r"(\d{1,3})[.)]?\s+")
_ISSUE = re.compile(r"№\s?\d+(?:[-–/]\d+)?")
_PAGES = re.compile(r"[–—-]\s*(\d+(?:\s*[-–]\s*\d+)?)\s*(?:бб?|бет|с|сс|p|pp)\.")
# 1600-2049, not inside a longer number. `(?<!\d.)` after the first digit looks at the one
# before it: a pattern that opens with a digit lets the regex engine skip to the 1s and 2s
_YEAR = re.compile(r"(?:1(?<!\d.)[6-9]\d|2(?<!\d.)0[0-4])\d(?!\d)")
_PUB_DASH = re.compile(r"\s[–—]\s")  # `Title. – 552 б.`: the publication area follows
_SOURCE_END = re.compile(r"\.\s*[–—]|\.\s*$|,\s")  # `// Еңбекші қазақ. – №7.`


@dataclass(slots=True)
class Entry:
    start: int
    end: int
    text: str
    number: int | None = None
    inferred: str | None = None  # how a lost number was found: "title" or "sequence"
    attrs: dict[str, Any] = field(default_factory=dict)


def split_entries(text: str, start: int, end: int) -> list[Entry]:
    """Entries: one per line; a line opening with a dash (`– 552 б.`, `– №7.`) or a lower-case
    letter continues the previous entry; glued `...Қазақстан. 8 Троцкий...` is split."""
    entries: list[Entry] = []
    for a, b in _pieces(text, start, end):
        seg = text[a:b]
        stripped = seg.strip()
        if not stripped:
            continue
        a += len(seg) - len(seg.lstrip())
        b = a + len(stripped)
        if entries and (stripped[0] in "–—-№" or stripped[0].islower()):
            entries[-1].end = b
            entries[-1].text = text[entries[-1].start : b]
            continue
        entries.append(Entry(a, b, text[a:b]))
    for e in entries:
        _fill(e)
    return entries


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The lines of text[start:end], cut again where an entry is glued to the previous one;
    some may be blank."""
    pieces = []
    cut = start
    for m in _BREAK.finditer(text, start, end):
        pieces.append((cut, m.start() if m.lastindex is None else m.start(1)))
        cut = m.end()
    pieces.append((cut, end))
    return pieces


def _fill(e: Entry) -> None:
    body = e.text
    m = _NUMBER.match(body)
    if m:
        e.number = int(m.group(1))
        body = body[m.end() :]
    source = None
    if "//" in body:  # `Title // Source. – №7.`
        title, rest = body.split("//", 1)
        after = rest.strip()
        stop = _SOURCE_END.search(after)
        source = (after[: stop.start()] if stop else after).strip(" .") or None
    elif " /" in body:  # `Title /Responsible body`
        title, rest = body.split(" /", 1)
    else:  # `Title. – 552 б.`: the publication area follows a spaced dash
        dash = _PUB_DASH.search(body)
        title, rest = (body[: dash.start()], body[dash.end() :]) if dash else (body, "")
    issue = _ISSUE.search(rest)
    pages = _PAGES.search(body)
    year = _YEAR.search(rest)
    e.attrs = {
        "number": e.number,
        "title": title.strip(" .–—") or None,
        "source": source,
        "issue": issue.group().replace(" ", "") if issue else None,
        "pages": _RANGE_DASH.sub("-", pages.group(1)) if pages else None,
        "year": int(year.group()) if year else None,
    }


_QUOTES = '«»"“”„'


def _unquoted(s: str) -> str:
    """`s` without quote marks (str.replace is much faster than str.translate on Kazakh)."""
    for q in _QUOTES:
        if q in s:
            s = s.replace(q, "")
    return s


def _flat(s: str) -> str:
    """Lower case without quotes: `Ойыл «басшыларының» қылығы` -> `ойыл басшыларының қылығы`."""
    return " ".join(_unquoted(s.lower()).split())


class _Keys(NamedTuple):
    """What of an entry is looked for in the text before a citation: lower case, no quotes."""

    title: str
    stems: tuple[str, ...]
    source: str
    # How well a context can name the entry, best first: 3, the title is quoted there; 2, most
    # of its words (5-letter stems) are there; 1, the source (a newspaper) is named there. A
    # tier whose key is empty (no title, fewer than two stems, no source) is left out.
    tiers: tuple[int, ...]

    @classmethod
    def of(cls, entry: Entry) -> _Keys:
        title = _flat(entry.attrs.get("title") or "")
        source = _flat(entry.attrs.get("source") or "")
        stems = tuple(w[:5] for w in title.split() if len(w) >= 4 and w.isalpha())
        tiers = (3,) if title else ()
        if len(stems) >= 2:
            tiers += (2,)
        if source:
            tiers += (1,)
        return cls(title, stems, source, tiers)

    def most_stems_in(self, ctx: str) -> bool:
        """At least 75 % of the stems are in `ctx`: stops at the first stem too many missing."""
        missing = 0
        for w in self.stems:
            if w not in ctx:
                missing += 1
                if 4 * missing > len(self.stems):
                    return False
        return True


class _Contexts:
    """The text a reference's citations close, each back to the previous citation (at most
    2,000 characters), lower-cased, quotes dropped (the title's quotes are dropped too); the
    contexts of a reference cited more than once are joined. Made on first use, so only the
    references an unnumbered entry could have are lowered, never the whole text."""

    def __init__(self, text: str, cites: list[Citation]) -> None:
        self.text, self.cites = text, cites
        self.cites_of: dict[int, list[int]] = {}  # reference -> indexes of its citations
        for k, c in enumerate(cites):
            self.cites_of.setdefault(c.ref, []).append(k)
        self.refs = sorted(self.cites_of)
        self._made: dict[int, str] = {}

    def of(self, ref: int) -> str:
        ctx = self._made.get(ref)
        if ctx is None:
            parts = (_unquoted(self._window(k).lower()) for k in self.cites_of[ref])
            ctx = self._made[ref] = " | ".join(parts)
        return ctx

    def _window(self, k: int) -> str:
        start = self.cites[k].start
        prev_end = self.cites[k - 1].bracket[1] if k else 0
        return self.text[max(prev_end, start - 2000) : start]


def infer_numbers(entries: list[Entry], cites: list[Citation], text: str) -> None:
    """Give lost numbers back where safe: (1) the entry's title (or its source) is named just
    before exactly one citation whose number fits between its numbered neighbours; (2) a run of
    unnumbered entries fills a gap of exactly its length."""
    if any(e.number is None for e in entries):
        _by_title(entries, cites, text)
        _fill_gaps(entries)
    for e in entries:
        e.attrs["number"] = e.number
        if e.inferred:
            e.attrs["number_inferred"] = e.inferred


def _by_title(entries: list[Entry], cites: list[Citation], text: str) -> None:
    """Passes over the unnumbered entries until a pass gives no number (a number given narrows
    its neighbours' bounds). An entry takes the candidate reference (between its numbered
    neighbours, not taken) whose context names it at the best tier, if no other reaches it.
    Candidates only ever drop out, so an entry that no candidate names is not looked at again."""
    if not cites:
        return
    keys = {idx: _Keys.of(e) for idx, e in enumerate(entries) if e.number is None}
    keys = {idx: k for idx, k in keys.items() if k.tiers}
    contexts = _Contexts(text, cites)
    while keys:
        changed = False
        taken = {x.number for x in entries if x.number is not None}
        upper = _upper_bounds(entries)
        lower = 0  # the largest number before the entry, given in this pass or not
        for idx, e in enumerate(entries):
            if idx in keys:
                hi = upper[idx]
                refs = [r for r in contexts.refs if lower < r < hi and r not in taken]
                hits = _best_named(keys[idx], [(r, contexts.of(r)) for r in refs])
                if len(hits) == 1:
                    e.number, e.inferred, changed = hits[0], "title", True
                    taken.add(hits[0])
                if len(hits) < 2:  # numbered now, or named by no candidate
                    del keys[idx]
            if e.number is not None and e.number > lower:
                lower = e.number
        if not changed:
            return


def _best_named(keys: _Keys, candidates: list[tuple[int, str]]) -> list[int]:
    """The references (of (reference, context) candidates) that name the entry at the best
    tier any of them reaches; empty when none does. Looking tier by tier picks what a full
    score of every candidate would, with fewer searches."""
    for tier in keys.tiers:
        if tier == 3:
            hits = [ref for ref, ctx in candidates if keys.title in ctx]
        elif tier == 2:
            hits = [ref for ref, ctx in candidates if keys.most_stems_in(ctx)]
        else:
            hits = [ref for ref, ctx in candidates if keys.source in ctx]
        if hits:
            return hits
    return []


def _upper_bounds(entries: list[Entry]) -> list[int]:
    """For each entry, the smallest number after it (10**6 when there is none)."""
    out = [10**6] * len(entries)
    least: int | None = None
    for i in range(len(entries) - 1, -1, -1):
        if least is not None:
            out[i] = least
        n = entries[i].number
        if n is not None and (least is None or n < least):
            least = n
    return out


def _fill_gaps(entries: list[Entry]) -> None:
    i = 0
    while i < len(entries):
        if entries[i].number is not None:
            i += 1
            continue
        j = i
        while j < len(entries) and entries[j].number is None:
            j += 1
        lo = entries[i - 1].number if i > 0 else 0
        hi = entries[j].number if j < len(entries) else None
        if lo is not None and hi is not None and hi - lo - 1 == j - i:
            for k in range(i, j):
                entries[k].number = lo + 1 + (k - i)
                entries[k].inferred = "sequence"
        i = j
