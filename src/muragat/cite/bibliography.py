"""Bibliography entries: number, title, source, issue, pages, year; numbers the corpus lost are
inferred where that is safe (a title quoted near a citation, or a gap of exactly that size)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from muragat.cite.citations import _RANGE_DASH, Citation
from muragat.text.tokenizer import UPPER as _UP

# a new entry inside a line, glued after the previous one's final dot
_GLUED_ENTRY = re.compile(rf"(?<=\.)\s*(?=\d{{1,3}}\.?\s+[{_UP}«])")
_NUMBER = re.compile(r"(\d{1,3})[.)]?\s+")
_ISSUE = re.compile(r"№\s?\d+(?:[-–/]\d+)?")
_PAGES = re.compile(r"[–—-]\s*(\d+(?:\s*[-–]\s*\d+)?)\s*(?:бб?|бет|с|сс|p|pp)\.")
_YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20[0-4]\d)(?!\d)")
_PUB_DASH = re.compile(r"(\s[–—]\s)")  # `Title. – 552 б.`: the publication area follows
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
    pieces: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        cut = a
        for m in _GLUED_ENTRY.finditer(text, a, b):
            if m.start() > cut:
                pieces.append((cut, m.start()))
            cut = m.end()
        pieces.append((cut, b))
    entries: list[Entry] = []
    for a, b in pieces:
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


def _fill(e: Entry) -> None:
    body = e.text
    m = _NUMBER.match(body)
    if m:
        e.number = int(m.group(1))
        body = body[m.end() :]
    if "//" in body:
        title, rest = body.split("//", 1)
    elif " /" in body:
        title, rest = body.split(" /", 1)
    else:  # `Title. – 552 б.`: the publication area follows a spaced dash
        title, _, rest = (_PUB_DASH.split(body, maxsplit=1) + ["", ""])[:3]
    source = None
    if "//" in body:
        source = _SOURCE_END.split(rest.strip(), maxsplit=1)[0].strip(" .") or None
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


_QUOTES = str.maketrans("", "", '«»"“”„')


def _flat(s: str) -> str:
    """Lower case without quotes: `Ойыл «басшыларының» қылығы` -> `ойыл басшыларының қылығы`."""
    return " ".join(s.lower().translate(_QUOTES).split())


def _context(text: str, cites: list[Citation], k: int) -> str:
    """The text a citation closes: back to the previous citation (at most 2,000 characters),
    lower-cased, quotes dropped (the title's quotes are dropped too). Only the contexts of the
    references an unnumbered entry could have are made, so the whole text is never lowered."""
    prev_end = cites[k - 1].bracket[1] if k else 0
    ctx = text[max(prev_end, cites[k].start - 2000) : cites[k].start].lower()
    for q in '«»"“”„':
        if q in ctx:
            ctx = ctx.replace(q, "")
    return ctx


@dataclass(frozen=True, slots=True)
class _Keys:
    """What of an entry is looked for in the text before a citation."""

    title: str
    stems: tuple[str, ...]
    source: str

    @classmethod
    def of(cls, entry: Entry) -> _Keys:
        title = _flat(entry.attrs.get("title") or "")
        stems = tuple(w[:5] for w in title.split() if len(w) >= 4 and w.isalpha())
        return cls(title, stems, _flat(entry.attrs.get("source") or ""))


def _score(keys: _Keys, ctx: str) -> float:
    """3: the title is quoted in the context; 2: most of its words (5-letter stems) are there;
    1: the source (a newspaper) is named there."""
    if keys.title and keys.title in ctx:
        return 3.0
    stems = keys.stems
    if len(stems) >= 2 and sum(w in ctx for w in stems) / len(stems) >= 0.75:
        return 2.0
    if keys.source and keys.source in ctx:
        return 1.0
    return 0.0


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
    contexts: dict[int, str] = {}  # filled lazily: only refs an unnumbered entry could have

    def context(ref: int) -> str:
        if ref not in contexts:
            contexts[ref] = " | ".join(
                _context(text, cites, k) for k, c in enumerate(cites) if c.ref == ref
            )
        return contexts[ref]

    refs = sorted({c.ref for c in cites})
    keys = {idx: _Keys.of(e) for idx, e in enumerate(entries) if e.number is None}
    changed = True
    while changed:
        changed = False
        taken = {x.number for x in entries if x.number is not None}
        for idx, e in enumerate(entries):
            if e.number is not None:
                continue
            lo, hi = _bounds(entries, idx)
            scored = sorted(
                (
                    (_score(keys[idx], context(r)), r)
                    for r in refs
                    if lo < r < hi and r not in taken
                ),
                reverse=True,
            )
            if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
                e.number, e.inferred, changed = scored[0][1], "title", True
                taken.add(e.number)


def _bounds(entries: list[Entry], idx: int) -> tuple[int, int]:
    lo = max((e.number for e in entries[:idx] if e.number is not None), default=0)
    hi = min((e.number for e in entries[idx + 1 :] if e.number is not None), default=10**6)
    return lo, hi


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
