"""User queries: parsed into clauses, lemmatized, and compiled to safe FTS5 / tsquery text.

Syntax (everything else is plain words):
  word            any form of the word (lemma match; a surface prefix match as a fallback)
  "two words"     the phrase in any inflection (`"Ойыл ауданы"` finds `Ойыл ауданындағы`)
  «two words»     the same (titles are usually quoted this way)
  =word, ="a b"   exactly this form / these forms
Clauses are OR-ed and ranked (BM25 / ts_rank), so a natural-language question works.
Every term is quoted when compiled: no user input reaches FTS or SQL syntax as syntax.
"""

from __future__ import annotations

import functools
import importlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

from muragat.errors import InputError
from muragat.i18n import t
from muragat.store.rows import terms

_OPEN_CLOSE = {'"': '"', "«": "»", "“": "”", "„": "“"}
_MIN_PREFIX = 4  # shorter prefixes (`ат*`) match far too much
_MIN_PHRASE_PREFIX = 2  # inside a phrase the neighbours keep `ісі*` precise
_MAX_VARIANTS = 8  # phrase variants from ambiguous lemmas
_MAX_BOOSTED = 4  # free words also searched as one phrase, to rank them together first


@dataclass(frozen=True, slots=True)
class Clause:
    words: tuple[str, ...]  # as the user typed them
    exact: bool  # match surface forms only
    phrase: bool  # words must be adjacent, in order
    variants: tuple[tuple[str, ...], ...]  # lemma-term sequences to match (lemma clauses)
    forms: tuple[str, ...]  # surface terms (exact match, or prefix fallback)

    def is_prefix(self, form: str) -> bool:
        """Whether the surface fallback may match `form` as a prefix."""
        if self.exact:
            return False
        shortest = _MIN_PHRASE_PREFIX if len(self.forms) > 1 else _MIN_PREFIX
        return len(form) >= shortest


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    clauses: tuple[Clause, ...]

    def lemma_terms(self) -> set[str]:
        return {x for c in self.clauses if not c.exact for v in c.variants for x in v}

    def prefixes(self) -> set[str]:
        return {f for c in self.clauses for f in c.forms if c.is_prefix(f)}

    def exact_forms(self) -> set[str]:
        return {f for c in self.clauses if c.exact for f in c.forms}


# -- lemmatization of query words --------------------------------------------------------
@functools.cache
def _morph():  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module("muragat.morph")
    except Exception:  # a broken or missing layer must not break search: fall back to forms
        return None


Lexicon = Callable[[list[str]], dict[str, list[str]]]


def word_lemmas(word: str, known: Sequence[str] = ()) -> tuple[str, ...]:
    """The lemmas to look for: those the store gave this form in context (exactly what it
    indexed), morphology's for the word alone (context may have lemmatized other forms of it
    differently), and the word itself (the index's lemma where no morphology ran)."""
    found: list[str] = list(known)
    morph = _morph()
    lemma = getattr(morph, "lemma", None) if morph is not None else None
    if callable(lemma):
        try:
            found.append(lemma(word))
        except Exception:  # noqa: S110 - the word itself and the prefix fallback remain
            pass
    found.append(word)
    out: list[str] = []
    for cand in found:
        key = " ".join(terms(cand))
        if key and key not in out:
            out.append(key)
    return tuple(out)


@functools.cache
def stopwords() -> frozenset[str]:
    raw = resources.files("muragat.search").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#"))


# -- parsing ---------------------------------------------------------------------------
def _split(text: str) -> list[tuple[str, bool, bool]]:
    """(chunk, exact, quoted) pieces of the raw query."""
    out: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        exact = c == "="
        if exact:
            i += 1
            if i >= n:
                break
            c = text[i]
        if c in _OPEN_CLOSE:
            close = _OPEN_CLOSE[c]
            j = text.find(close, i + 1)
            if j < 0:
                raise InputError(t(
                    f"сұранымда жабылмаған тырнақша: {text[i:i + 30]!r}",
                    f"unclosed quote in query: {text[i:i + 30]!r}"))
            out.append((text[i + 1 : j], exact, True))
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _OPEN_CLOSE:
            j += 1
        out.append((text[i:j], exact, False))
        i = j
    return out


def _clause(chunk: str, exact: bool, quoted: bool,
            known: dict[str, list[str]]) -> Clause | None:
    forms = tuple(terms(chunk))
    if not forms:
        return None
    words = tuple(chunk.split())
    if exact:
        return Clause(words, True, True, (), forms)
    per_word = [word_lemmas(w, known.get(_form_key(w), ())) for w in words if terms(w)]
    variants = tuple(tuple(" ".join(p).split()) for p in
                     itertools.islice(itertools.product(*per_word), _MAX_VARIANTS))
    return Clause(words, False, quoted or len(forms) > 1, variants, forms)


def _form_key(word: str) -> str:
    return " ".join(terms(word))


def parse(text: str, lexicon: Lexicon | None = None) -> Query:
    """A query, or InputError with a message a user can act on.

    `lexicon(forms)` gives the lemmas a store saw for these forms in context: those are
    the lemmas indexed, and morphology need not even load for them."""
    if not text or not text.strip():
        raise InputError(t("бос сұраным", "empty query"))
    chunks = _split(text)
    known: dict[str, list[str]] = {}
    if lexicon is not None:
        forms = {_form_key(w) for chunk, exact, _ in chunks if not exact for w in chunk.split()}
        known = lexicon(sorted(f for f in forms if f))
    clauses: list[Clause] = []
    for chunk, exact, quoted in chunks:
        if quoted or exact:
            c = _clause(chunk, exact, quoted, known)
            if c is not None:
                clauses.append(c)
            continue
        for word in _words(chunk):
            c = _clause(word, False, False, known)
            if c is not None:
                clauses.append(c)
    if not clauses:
        raise InputError(t(
            f"сұранымда іздейтін сөз жоқ: {text!r}", f"no searchable words in query: {text!r}"))
    content = [c for c in clauses if c.exact or c.phrase or c.forms[0] not in stopwords()]
    words = [c for c in content if not c.exact and not c.phrase]
    if len(words) == len(content) and 2 <= len(words) <= _MAX_BOOSTED:
        # `Міржақып Дулатов` unquoted: any of the words matches, the words together rank first.
        boost = _clause(" ".join(w for c in words for w in c.words), False, True, known)
        if boost is not None:
            content.append(boost)
    return Query(text, tuple(content or clauses))


def _words(chunk: str) -> list[str]:
    """`Тоғжанов,комиссия` is two words; `қарым-қатынас` stays one (a phrase of two terms)."""
    return [w for w in chunk.replace(",", " ").replace(";", " ").split() if terms(w)]


# -- compiling -------------------------------------------------------------------------
def fts_string(term: str) -> str:
    """An FTS5 string literal: double quotes doubled, like datasette's escape_fts."""
    return '"' + term.replace('"', '""') + '"'


def fts5_match(query: Query, prefix: bool = True) -> str:
    """An FTS5 MATCH expression over columns `lemma` and `form`."""
    parts: list[str] = []
    for c in query.clauses:
        if c.exact:
            parts.append("form : " + fts_string(" ".join(c.forms)))
            continue
        for v in c.variants:
            parts.append("lemma : " + fts_string(" ".join(v)))
        if prefix:
            pieces = [fts_string(f) + ("*" if c.is_prefix(f) else "") for f in c.forms]
            parts.append("form : (" + " + ".join(pieces) + ")")
    return " OR ".join(f"({p})" for p in parts)


def _tsq_term(term: str, prefix: bool = False) -> str:
    escaped = term.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":*" if prefix else "")


def tsqueries(query: Query, prefix: bool = True) -> tuple[str | None, str | None]:
    """(query over lemma_tsv, query over form_tsv) in tsquery syntax, every lexeme quoted."""
    lemma_parts: list[str] = []
    form_parts: list[str] = []
    for c in query.clauses:
        if c.exact:
            form_parts.append(" <-> ".join(_tsq_term(f) for f in c.forms))
            continue
        for v in c.variants:
            lemma_parts.append(" <-> ".join(_tsq_term(x) for x in v))
        if prefix:
            form_parts.append(" <-> ".join(
                _tsq_term(f, c.is_prefix(f)) for f in c.forms))
    join = lambda ps: " | ".join(f"({p})" for p in ps) if ps else None  # noqa: E731
    return join(lemma_parts), join(form_parts)
