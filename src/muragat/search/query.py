"""User queries: parsed into clauses, lemmatized, and compiled to safe FTS5 / tsquery text.

Syntax (everything else is plain words):
  word            any form of the word (lemma match; a surface prefix match as a fallback)
  "two words"     the phrase in any inflection (`"Ойыл ауданы"` finds `Ойыл ауданындағы`)
  «two words»     the same (titles are usually quoted this way)
  =word, ="a b"   exactly this form / these forms
  ~word           also the stored forms a few edits away (misspelled or OCR-damaged names)
Clauses are OR-ed and ranked (BM25 / ts_rank), so a natural-language question works.
Nothing is a syntax error: unbalanced or stray quotes, brackets and FTS operators (`NEAR(`,
`AND`, `*`, `^`, `col:`) are read as plain words. Every term is quoted when compiled: no user
input reaches FTS or SQL syntax as syntax.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

from muragat.errors import InputError
from muragat.i18n import t
from muragat.search.variants import cyrillic, patronymic_variants
from muragat.terms import terms

# Opening quote -> the marks that may close it (ASCII, «guillemets», English and German
# curly quotes, as typed and as OCR and word processors leave them).
QUOTES = {'"': '"”“', "«": "»", "“": "”“", "„": "“”", "‘": "’‘", "‚": "‘’", "”": "”"}
_MARKS = frozenset("»’")  # a closer met on its own is a stray mark
_SEPARATORS = re.compile(r"[^\w\-.'’]+|_")  # marks that part words (`NEAR(a`, `col:x`)
_LIST = re.compile(r"[,;]")
_BRACKETED = re.compile(r"\w\(\w+\)")  # an abbreviation's own brackets: `БК(б)П`
_MIN_PREFIX = 4  # shorter prefixes (`ат*`) match far too much
# A lone word's surface fallback is its first letters: Kazakh adds endings, rarely changes a
# stem's start, so `ыдыра*` finds `ыдырағанда` and `ыдырайды` where morphology guessed apart
# (5 letters: best of 4-7 on KazQAD dev half A, notes/issue-21-search.md).
STEM = 5
_MIN_PHRASE_PREFIX = 2  # inside a phrase the neighbours keep `ісі*` precise
_MAX_VARIANTS = 8  # phrase variants from ambiguous lemmas
_MAX_FUZZY = 24  # lemma variants of a `~word`
_MAX_BOOSTED = 4  # free words also searched as one phrase, to rank them together first


@dataclass(frozen=True, slots=True)
class Clause:
    words: tuple[str, ...]  # as the user typed them
    exact: bool  # match surface forms only
    phrase: bool  # words must be adjacent, in order
    variants: tuple[tuple[str, ...], ...]  # lemma-term sequences to match (lemma clauses)
    forms: tuple[str, ...]  # surface terms (exact match, or prefix fallback)
    boost: bool = False  # the phrase a parse adds for free words (they rank higher together)
    name: bool = False  # a proper noun: its fallback is its whole form (`Тоғжа*` is no person)

    def is_prefix(self, form: str) -> bool:
        """Whether the surface fallback may match `form` as a prefix."""
        if self.exact:
            return False
        shortest = _MIN_PHRASE_PREFIX if len(self.forms) > 1 else _MIN_PREFIX
        return len(form) >= shortest

    def surface(self, j: int, stem: bool = False) -> tuple[str, bool]:
        """(term, is a prefix) the surface fallback matches for word `j`: its whole form, or
        with `stem` (the document ranking) a lone common word's first STEM letters; a
        phrase word keeps its whole form (its neighbours keep it precise), a name too."""
        form = self.forms[j]
        if not self.is_prefix(form):
            return form, False
        if stem and len(self.forms) == 1 and len(form) > STEM and not self.name:
            return form[:STEM], True
        return form, True


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    clauses: tuple[Clause, ...]

    def lemma_terms(self) -> set[str]:
        return {x for c in self.clauses if not c.exact for v in c.variants for x in v}

    def prefixes(self) -> set[str]:
        return {p for c in self.clauses for j in range(len(c.forms))
                for p, is_prefix in [c.surface(j)] if is_prefix}

    def exact_forms(self) -> set[str]:
        return {f for c in self.clauses if c.exact for f in c.forms}


# -- lemmatization of query words --------------------------------------------------------
@functools.cache
def _morph():  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module("muragat.morph")
    except ImportError:  # a store searched without the morphology layer installed: forms
        return None


Lexicon = Callable[[list[str]], dict[str, list[str]]]


@functools.lru_cache(maxsize=4096)
def _lemma(word: str) -> str | None:
    """Morphology's lemma of the word alone (a proper noun's capital kept), if it is here."""
    morph = _morph()
    lemma = getattr(morph, "lemma", None) if morph is not None else None
    return lemma(word) if callable(lemma) else None


def is_name(word: str) -> bool:
    """A proper noun as morphology sees it: `Тоғжановтың` is, a question's capitalized first
    word `Мейоздық` is not (without morphology: any capitalized word)."""
    if not word[:1].isupper():
        return False
    lemma = _lemma(word)
    return lemma is None or lemma[:1].isupper()


def word_lemmas(word: str, known: Sequence[str] = ()) -> tuple[str, ...]:
    """The lemmas to look for: those the store gave this form in context (exactly what it
    indexed), morphology's for the word alone (context may have lemmatized other forms of it
    differently), and the word itself (the index's lemma where no morphology ran)."""
    found: list[str] = list(known)
    lemma = _lemma(word)
    if lemma is not None:
        found.append(lemma)
    found.append(word)
    out: list[str] = []
    for cand in found:
        key = " ".join(terms(cand))
        if key and key not in out:
            out.append(key)
    return tuple(out)


def _word_list(name: str) -> frozenset[str]:
    raw = resources.files("muragat.search").joinpath(f"data/{name}").read_text("utf-8")
    return frozenset(ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#"))


@functools.cache
def stopwords() -> frozenset[str]:
    """Surface forms never counted outside phrases (question words, particles)."""
    return _word_list("stopwords.txt")


@functools.cache
def stop_lemmas() -> frozenset[str]:
    """Lemmas never counted: `болады`, `дегеніміз` are the frame of a question, whatever
    the form."""
    return _word_list("stoplemmas.txt")


# -- parsing ---------------------------------------------------------------------------
def _closer(text: str, i: int) -> int:
    """Where the quote opened at `text[i]` closes, or -1 when it never does.

    Typists close `“` with `“` or `”` and `„` with either, so every closer of the opener
    counts; a quote that is never closed (or a stray closer) is only a separator."""
    ends = QUOTES.get(text[i], "")
    found = [j for j in (text.find(c, i + 1) for c in ends) if j >= 0]
    return min(found) if found else -1


def _split(text: str) -> list[tuple[str, bool, bool]]:
    """(chunk, exact, quoted) pieces of the raw query. Never fails: what is not balanced
    quoting is plain words, and `terms` later drops every other mark (brackets, `*`, `:`,
    `^`), so no user input is ever read as FTS or tsquery syntax."""
    out: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace() or c in _MARKS:
            i += 1
            continue
        exact = c == "=" and i + 1 < n and not text[i + 1].isspace()
        if exact:
            i += 1
            c = text[i]
        if c in QUOTES:
            j = _closer(text, i)
            if j > i + 1:
                out.append((text[i + 1 : j], exact, True))
                i = j + 1
                continue
            i += 1  # unbalanced or empty quotes: the words around them stay plain words
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in QUOTES and text[j] not in _MARKS:
            j += 1
        if j > i:
            out.append((text[i:j], exact, False))
        i = max(j, i + 1)
    return out


def _clause(chunk: str, exact: bool, quoted: bool,
            known: dict[str, list[str]]) -> Clause | None:
    forms = tuple(terms(chunk))
    if not forms:
        return None
    words = tuple(chunk.split())
    if exact:
        return Clause(words, True, True, (), forms)
    per_word = [_spellings(w, known) for w in words if terms(w)]
    if len(per_word) == 1:  # a lone word's stop lemma is no evidence (`бол` of `болады`)
        per_word = [tuple(x for x in per_word[0] if x not in stop_lemmas())]
    variants = tuple(tuple(" ".join(p).split()) for p in
                     itertools.islice(itertools.product(*per_word), _MAX_VARIANTS))
    return Clause(words, False, quoted or len(forms) > 1, variants, forms,
                  name=len(words) == 1 and is_name(cyrillic(words[0]) or words[0]))


def _fuzzy(c: Clause, similar: Callable[[str], list[str]], lexicon: Lexicon | None) -> Clause:
    """`~Тоғжанов`: also every stored form a few edits away (`Тоғжаиов`, `Тогжанов`), and the
    lemmas the store gave them."""
    near = similar(c.forms[0])
    known = lexicon(near) if lexicon is not None and near else {}
    extra = [tuple(terms(x)) for f in near for x in [*known.get(f, ()), f]]
    variants = tuple(dict.fromkeys([*c.variants, *(v for v in extra if v)]))
    return dataclasses.replace(c, variants=variants[:_MAX_FUZZY])


def _spellings(word: str, known: dict[str, list[str]]) -> tuple[str, ...]:
    """The lemma terms a word stands for: its own, its Cyrillic spelling's when typed in a
    Latin script, and a surname's other patronymic form."""
    out = list(word_lemmas(word, known.get(_form_key(word), ())))
    alt = cyrillic(word)
    if alt is not None:
        out += [x for x in word_lemmas(alt, known.get(_form_key(alt), ())) if x not in out]
    if is_name(alt or word):
        out += [v for x in list(out) if " " not in x for v in patronymic_variants(x)
                if v not in out]
    return tuple(out)


def _form_key(word: str) -> str:
    return " ".join(terms(word))


def parse(text: str, lexicon: Lexicon | None = None,
          similar: Callable[[str], list[str]] | None = None) -> Query:
    """A query, or InputError with a message a user can act on.

    `lexicon(forms)` gives the lemmas a store saw for these forms in context: those are
    the lemmas indexed, and morphology need not even load for them. `similar(form)` gives
    the stored forms a few edits away, for `~word` (without it `~` is ignored)."""
    if not text or not text.strip():
        raise InputError(t("бос сұраным", "empty query"))
    chunks = _split(text)
    known: dict[str, list[str]] = {}
    if lexicon is not None:
        forms = {_form_key(x) for chunk, exact, _ in chunks if not exact for w in chunk.split()
                 for x in (w, cyrillic(w) or w)}
        known = lexicon(sorted(f for f in forms if f))
    clauses: list[Clause] = []
    for chunk, exact, quoted in chunks:
        if quoted or exact:
            c = _clause(chunk, exact, quoted, known)
            if c is not None:
                clauses.append(c)
            continue
        fuzzy = chunk.startswith("~") and similar is not None
        for word in _words(chunk):
            c = _clause(word, False, False, known)
            if c is not None and fuzzy and similar is not None and len(c.forms) == 1:
                c = _fuzzy(c, similar, lexicon)
            if c is not None:
                clauses.append(c)
    if not clauses:
        raise InputError(t(
            f"сұранымда іздейтін сөз жоқ: {text!r}", f"no searchable words in query: {text!r}"))
    content = [c for c in clauses if c.exact or c.phrase
               or (c.forms[0] not in stopwords() and c.variants)]
    words = [c for c in content if not c.exact and not c.phrase]
    if len(words) == len(content) and 2 <= len(words) <= _MAX_BOOSTED:
        # `Міржақып Дулатов` unquoted: any of the words matches, the words together rank first.
        boost = _clause(" ".join(w for c in words for w in c.words), False, True, known)
        if boost is not None:
            content.append(dataclasses.replace(boost, boost=True))
    return Query(text, tuple(content or clauses))


def _words(chunk: str) -> list[str]:
    """`Тоғжанов,комиссия` and `NEAR(a` are two words each; `қарым-қатынас`, `Ғ.Тоғжанов`
    and `БК(б)П` stay one (a phrase of its terms)."""
    out: list[str] = []
    for piece in _LIST.split(chunk):
        if not _BRACKETED.search(piece):
            piece = _SEPARATORS.sub(" ", piece)
        out.extend(w for w in piece.split() if terms(w))
    return out


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
            parts.append("form : " + _fts_surface(c))
    return " OR ".join(f"({p})" for p in parts)


def _fts_surface(c: Clause, stem: bool = False) -> str:
    pieces = [fts_string(f) + ("*" if p else "")
              for f, p in (c.surface(j, stem) for j in range(len(c.forms)))]
    return "(" + " + ".join(pieces) + ")"


# Document index columns: a lemma is looked for in the title, the entity/value names and the
# lemmas; a surface stem in the title and the forms.
_DOC_LEMMA = "{title names lemma}"
_DOC_FORM = "{title form}"


def fts5_documents(query: Query, boost: bool = True) -> str:
    """An FTS5 MATCH expression over the document index (`title names lemma form`).

    `boost`: keep the phrase a parse adds for free words standing together."""
    parts: list[str] = []
    for c in query.clauses:
        if c.exact:
            parts.append(f"{_DOC_FORM} : " + fts_string(" ".join(c.forms)))
            continue
        if c.boost and not boost:
            continue
        parts.extend(f"{_DOC_LEMMA} : " + fts_string(" ".join(v)) for v in c.variants)
        parts.append(f"{_DOC_FORM} : " + _fts_surface(c, stem=True))
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
                _tsq_term(*c.surface(j)) for j in range(len(c.forms))))
    join = lambda ps: " | ".join(f"({p})" for p in ps) if ps else None  # noqa: E731
    return join(lemma_parts), join(form_parts)
