"""Which words of a hit sentence the query matched, and the snippet that marks them.

Phrases are highlighted only where their words stand together, in order, as the index
matched them; a word's lemmas come from the store's lexicon, so no document is decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from muragat.search.query import Clause, Query
from muragat.terms import WORD

_SPACES = re.compile(r"\s+")
SNIPPET_CHARS = 300


def _slot(clause: Clause, j: int, prefix: bool) -> tuple[frozenset[str], str | None]:
    """What stands for term `j` of a clause: the terms a word's form or one of its lemmas
    may equal, and the stem its form may start with (None: no prefix match)."""
    if clause.exact:
        return frozenset([clause.forms[j]]), None
    # a variant's term is a lemma, or the fallback lemma (the word itself) no morphology saw
    accepted = frozenset([clause.forms[j], *(v[j] for v in clause.variants if j < len(v))])
    stem, is_prefix = clause.surface(j)
    return accepted, stem if prefix and is_prefix else None


def matched_words(sentence: str, query: Query, lexicon: dict[str, list[str]],
                  prefix: bool = True) -> list[tuple[int, int]]:
    """Offsets (into `sentence`) of the words the query matched."""
    words = [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(sentence)]
    lemmas = [{x for lemma in lexicon.get(w[2], ()) for x in lemma.split()} for w in words]
    marked: set[int] = set()
    for clause in query.clauses:
        n = len(clause.forms)
        slots = [_slot(clause, j, prefix) for j in range(n)]

        def fits(i: int, j: int, slots: list[tuple[frozenset[str], str | None]] = slots,
                 exact: bool = clause.exact) -> bool:
            accepted, stem = slots[j]
            form = words[i][2]
            if form in accepted:
                return True
            if not exact and not accepted.isdisjoint(lemmas[i]):
                return True
            return stem is not None and form.startswith(stem)

        for i in range(len(words) - n + 1):
            if all(fits(i + j, j) for j in range(n)):
                marked.update(range(i, i + n))
    return [(words[i][0], words[i][1]) for i in sorted(marked)]


def snippet(text: str, marks: list[tuple[int, int]], rich: bool = False) -> str:
    """The sentence with matched words wrapped: `<mark>` (HTML-escaped) or `[ ]` (plain);
    a long sentence is cut to a window around its first match."""
    esc = html.escape if rich else (lambda s: s)
    open_, close = ("<mark>", "</mark>") if rich else ("[", "]")
    end = len(text)
    lo, hi = 0, end
    if end > SNIPPET_CHARS:
        first = marks[0][0] if marks else 0
        lo = max(0, first - SNIPPET_CHARS * 2 // 5)
        hi = min(end, lo + SNIPPET_CHARS)
    pieces: list[str] = ["…" if lo > 0 else ""]
    pos = lo
    for a, b in marks:
        if a < pos or b > hi:
            continue
        pieces += [esc(_SPACES.sub(" ", text[pos:a])), open_, esc(text[a:b]), close]
        pos = b
    pieces += [esc(_SPACES.sub(" ", text[pos:hi])), "…" if hi < end else ""]
    return "".join(pieces).strip()


def document_marks(text: str, sentences: list[tuple[int, int]], query: Query,
                   lexicon: Callable[[list[str]], dict[str, list[str]]]) -> list[tuple[int, int]]:
    """Offsets (into the whole `text`) of the words the query matches, sentence by sentence
    (the document view's highlighting: what a hit's snippet marks, everywhere in it)."""
    known = lexicon(sorted({w.lower() for w in WORD.findall(text)}))
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        out.extend((start + a, start + b)
                   for a, b in matched_words(text[start:end], query, known))
    return out
