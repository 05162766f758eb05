"""Which words of a hit sentence the query matched, and the snippet that marks them.

Phrases are highlighted only where their words stand together, in order, as the index
matched them; a word's lemmas come from the store's lexicon, so no document is decoded.
"""

from __future__ import annotations

import html
import re

from muragat.search.query import Clause, Query
from muragat.store.rows import WORD

_SPACES = re.compile(r"\s+")
SNIPPET_CHARS = 300


def _matches(form: str, lemmas: set[str], clause: Clause, j: int, prefix: bool) -> bool:
    """Whether a word (its form and lemma terms) stands for term `j` of the clause."""
    if clause.exact:
        return form == clause.forms[j]
    if form == clause.forms[j] or any(j < len(v) and v[j] in lemmas for v in clause.variants):
        return True
    if any(j < len(v) and v[j] == form for v in clause.variants):
        return True  # the fallback lemma of a word no morphology saw is the word itself
    return prefix and clause.is_prefix(clause.forms[j]) and form.startswith(clause.forms[j])


def matched_words(sentence: str, query: Query, lexicon: dict[str, list[str]],
                  prefix: bool = True) -> list[tuple[int, int]]:
    """Offsets (into `sentence`) of the words the query matched."""
    words = [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(sentence)]
    lemmas = [{x for lemma in lexicon.get(w[2], ()) for x in lemma.split()} for w in words]
    marked: set[int] = set()
    for clause in query.clauses:
        n = len(clause.forms)
        for i in range(len(words) - n + 1):
            if all(_matches(words[i + j][2], lemmas[i + j], clause, j, prefix) for j in range(n)):
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
