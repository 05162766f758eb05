"""Light post-rules for historical prose the TV-news training data never shows.

All word knowledge comes from data/gaz/*.txt; the rules only say how to use it:
- initials (`Ғ.`, `И.В.`, or `И` `.` `В` `.` as separate tokens) before a capitalized word
  make a PERSON that starts at the first initial;
- a known body abbreviation (`БК(б)П`, also split into `БК ( б ) П`) left outside any entity
  becomes an ORGANISATION;
- a place name followed by its unit (`Ойыл ауданындағы`, `Семей округі`) takes the unit in;
  units that KazNERD's news text leaves outside (`ауданы`, data/gaz/unit_news_outside.txt) only
  in historical prose (a document with a marker from data/gaz/historical.txt), the domain whose
  gold writes `Ойыл ауданы` as one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from muragat.ner import domain, names
from muragat.ner.features import _INITIAL, _INITIALS, _read_list, lexicon

_PIECE = re.compile(r"\w+|\S")
_ADJ = ("тық", "тік", "дық", "дік", "лық", "лік")


@cache
def _abbr_pieces() -> tuple[tuple[str, ...], ...]:
    """Body abbreviations as token tuples, longest first (`БК(б)П` -> БК ( б ) П)."""
    pieces = {tuple(_PIECE.findall(a)) for a in lexicon().org_abbr}
    return tuple(sorted((p for p in pieces if len(p) > 1), key=len, reverse=True))


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and word[1:2].islower()


def _initials_end(words: list[str], i: int) -> int:
    """Index after a run of initials starting at i (i itself if none)."""
    j = i
    while j < len(words):
        w = words[j]
        if _INITIALS.match(w):
            j += 1
        elif _INITIAL.match(w) and len(w) == 1 and j + 1 < len(words) and words[j + 1] == ".":
            j += 2
        else:
            break
    return j


def _person_initials(words: list[str], labels: list[str]) -> None:
    i = 0
    while i < len(words):
        j = _initials_end(words, i)
        if j > i and j < len(words) and _is_cap(words[j]) and not labels[i].startswith("I-"):
            labels[i] = "B-PERSON"
            for k in range(i + 1, j + 1):
                labels[k] = "I-PERSON"
            k = j + 1
            while k < len(words) and labels[k].startswith(("B-PERSON", "I-PERSON")):
                labels[k] = "I-PERSON"
                k += 1
            i = k
        else:
            i = max(j, i + 1)


def _abbreviations(words: list[str], labels: list[str]) -> None:
    abbr = lexicon().org_abbr
    for i, w in enumerate(words):
        if labels[i] == "O" and (w in abbr or w.split("-")[0] in abbr):
            labels[i] = "B-ORGANISATION"
    i = 0
    while i < len(words):
        for p in _abbr_pieces():
            n = len(p)
            if tuple(words[i : i + n]) == p and all(lab == "O" for lab in labels[i : i + n]):
                labels[i : i + n] = ["B-ORGANISATION"] + ["I-ORGANISATION"] * (n - 1)
                i += n - 1
                break
        i += 1


@cache
def _historical_markers() -> tuple[str, ...]:
    return tuple(_read_list("historical.txt"))


@cache
def _units(historical: bool) -> tuple[str, ...]:
    units = lexicon().gaz["place_unit"]
    return tuple(units if historical else units - _read_list("unit_news_outside.txt"))


def is_historical(words: Iterable[str]) -> bool:
    """Does a text (any iterable of its words) show a historical-prose marker?"""
    markers = _historical_markers()
    singles = tuple(m for m in markers if " " not in m)
    pairs = tuple(tuple(m.split()) for m in markers if " " in m)
    prev = ""
    for w in words:
        low = w.lower()
        if low.startswith(singles):
            return True
        if any(prev == a and low.startswith(b) for a, b in pairs):
            return True
        prev = low
    return False


def _place_units(words: list[str], labels: list[str], historical: bool) -> None:
    units = _units(historical)
    for i in range(1, len(words)):
        prev = labels[i - 1]
        if labels[i] == "O" and prev[2:] in ("GPE", "LOCATION") and _is_cap(words[i - 1]):
            low = words[i].lower()
            unit = next((u for u in units if low.startswith(u)), None)
            # the adjective (`облыстық`, `уездік`) names a body of the place, not the place
            if unit is not None and not low[len(unit):].startswith(_ADJ):
                labels[i] = "I-" + prev[2:]


def apply_rules(words: list[str], labels: list[str], historical: bool | None = None) -> list[str]:
    """Post-rules on one sentence; `historical` is decided by the caller for a whole document
    (None: from this sentence alone)."""
    historical = is_historical(words) if historical is None else historical
    out = list(labels)
    if historical:
        domain.drop_adage(out)
    _person_initials(words, out)
    if historical:  # news text (KazNERD) writes its names apart and keeps titles in front
        names.split_people(words, out, historical)
        names.drop_kinship(words, out)
        names.kin_names(words, out)
    _abbreviations(words, out)
    _place_units(words, out, historical)
    domain.quoted_press(words, out, historical)
    domain.money(words, out)
    if historical:
        domain.historical_labels(words, out)
        domain.bodies(words, out)
        domain.split_run_on_bodies(words, out)
        domain.states(words, out)
        domain.surname_lists(words, out)
        names.titleless_positions(words, out)
        names.split_titles(words, out)
    domain.trim_leading(words, out)
    if historical:
        names.trim_first(words, out)
        names.drop_lowercase_people(words, out)
    return out
