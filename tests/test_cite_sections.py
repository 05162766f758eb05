"""find_footer's shortcuts against their plain definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from muragat.cite.sections import AUTHOR_CHUNKS, AUTHOR_RE, _last_chunks

# text that ends like the line before a degree: words, initials, dots, commas, odd spaces
PIECES = ["Омарова", "Н.", "О.", "Н.О.", ".О.", "О", "құрды.", "құрды..О.,", "Ә.", "Ғ.", "-", ","]
SPACES = [" ", "  ", "\t", "\n", "\u00a0", "", " \n"]


@st.composite
def heads(draw: st.DrawFn) -> str:
    n = draw(st.integers(0, 12))
    return "".join(draw(st.sampled_from(PIECES)) + draw(st.sampled_from(SPACES)) for _ in range(n))


def _span(m):
    return m.span() if m else None


@settings(max_examples=1500, deadline=None)
@given(st.one_of(heads(), st.text(max_size=60)))
def test_author_search_in_the_last_chunks_finds_the_same_match(head: str) -> None:
    whole = AUTHOR_RE.search(head)
    tail = AUTHOR_RE.search(head, _last_chunks(head, AUTHOR_CHUNKS))
    assert _span(tail) == _span(whole)


def test_last_chunks_position() -> None:
    assert _last_chunks("a b c d e f g", 5) == len("a b")
    assert _last_chunks("a b", 5) == 0
    assert AUTHOR_RE.search("Мақала соңы. Омарова Н.О., ").group().startswith("Омарова")
