"""The cite layer's shortcuts give what their plain definitions give: brackets scanned once per
text, the bare-number citation path, the one-scan entry split, the year pattern, and the
tier-by-tier choice of a lost bibliography number."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from muragat.cite import bibliography as bib
from muragat.cite.citations import BRACKET_RE, _bracket_citations, bracket_ranges, find_citations
from muragat.text.tokenizer import UPPER

BRACKETY = st.text(alphabet="[]1234567890 ;,-бтс.\n", max_size=60)


@settings(max_examples=300, deadline=None)
@given(BRACKETY, st.integers(min_value=0, max_value=70))
def test_brackets_up_to_a_position_are_those_a_bounded_scan_finds(text: str, end: int) -> None:
    end = min(end, len(text))
    scanned = [m.span() for m in BRACKET_RE.finditer(text, 0, end)]
    assert bracket_ranges(text, end) == scanned
    assert {c.bracket for c in find_citations(text, end)} <= set(scanned)


@given(st.text(alphabet="0123456789٣५６²¹ ,;-б.", min_size=1, max_size=6))
def test_the_bare_number_path_reads_as_the_general_path(content: str) -> None:
    text = f"[{content}]"
    m = BRACKET_RE.fullmatch(text)
    general = _bracket_citations(0, len(text), m.group(1)) if m else []
    assert [(c.start, c.end, c.ref, c.pages, c.bracket) for c in find_citations(text)] == [
        (c.start, c.end, c.ref, c.pages, c.bracket) for c in general
    ]


# the split as it was made before: each line on its own, the glue found by a look-behind
_GLUED_BY_LINE = re.compile(rf"(?<=\.)\s*(?=\d{{1,3}}\.?\s+[{UPPER}«])")


def _pieces_by_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, pos = [], start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        cut = a
        for m in _GLUED_BY_LINE.finditer(text, a, b):
            pieces.append((cut, m.start()))
            cut = m.end()
        pieces.append((cut, b))
    return pieces


ENTRY_BITS = [".", ". ", "1", "12.", " ", "\n", "\t", "\r", "\xa0", "Қазақ", "а", "«", "–"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(ENTRY_BITS), max_size=12).map("".join),
    st.integers(0, 80),
    st.integers(0, 80),
)
@example("Соңы.1\nҚазақ. 2 Қазақ.\t3. «Ауыл»", 0, 80)  # no glue across a line break
def test_entry_pieces_are_the_lines_cut_at_glued_entries(text: str, i: int, j: int) -> None:
    start, end = min(i, j, len(text)), min(max(i, j), len(text))

    def kept(pieces: list[tuple[int, int]]) -> list[str]:  # entries are read stripped
        return [text[a:b].strip() for a, b in pieces if text[a:b].strip()]

    assert kept(bib._pieces(text, start, end)) == kept(_pieces_by_line(text, start, end))


@given(st.text(alphabet="0126789 ж.", max_size=20))
def test_year_pattern_is_a_year_not_inside_a_longer_number(text: str) -> None:
    plain = re.compile(r"(?<!\d)(1[6-9]\d\d|20[0-4]\d)(?!\d)")
    assert [m.span() for m in bib._YEAR.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _score(keys: bib._Keys, ctx: str) -> int:
    """The full score the tiers stand for."""
    if keys.title and keys.title in ctx:
        return 3
    if len(keys.stems) >= 2 and sum(w in ctx for w in keys.stems) / len(keys.stems) >= 0.75:
        return 2
    if keys.source and keys.source in ctx:
        return 1
    return 0


WORDS = ["ойыл", "басшылары", "қылығы", "еңбекші", "қазақ", "тарихы", "«ауыл»", "Ауыл"]
PHRASE = st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    PHRASE,
    PHRASE,
    st.dictionaries(st.integers(1, 20), PHRASE.map(bib._flat), max_size=6),
)
def test_tier_by_tier_choice_is_the_unique_best_full_score(
    title: str, source: str, contexts: dict[int, str]
) -> None:
    entry = bib.Entry(0, 0, "", attrs={"title": title or None, "source": source or None})
    keys = bib._Keys.of(entry)
    candidates = sorted(contexts.items())
    scored = sorted(((_score(keys, ctx), ref) for ref, ctx in candidates), reverse=True)
    unique = bool(scored) and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0])
    hits = bib._best_named(keys, candidates)
    assert (hits[0] if len(hits) == 1 else None) == (scored[0][1] if unique else None)
    assert (not hits) == all(score == 0 for score, _ in scored)


@given(st.lists(st.one_of(st.none(), st.integers(0, 999)), max_size=8))
def test_upper_bounds_are_the_least_number_after_each_entry(numbers: list[int | None]) -> None:
    entries = [bib.Entry(0, 0, "", number=n) for n in numbers]
    expected = [
        min((n for n in numbers[i + 1 :] if n is not None), default=10**6)
        for i in range(len(numbers))
    ]
    assert bib._upper_bounds(entries) == expected
