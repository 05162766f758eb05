"""User queries: parsed into clauses, lemmatized, and compiled to safe FTS5 / tsquery text.

Syntax (everything else is plain words):
  word            any form of the word (lemma match; a surface prefix match as a fallback)
  "two words"     the phrase in any inflection (`"Ойыл ауданы"` finds `Ойыл ауданындағы`)
  «two words»     the same (titles are usually quoted this way)
  =word, ="a b"   exactly this form / these forms
  ~word           also the stored forms a few edits away (misspelled or OCR-damaged names)
Free words are OR-ed and ranked (BM25 / ts_rank), so a natural-language question works.
Operators (upper-case only; `search.operators` reads them):
  -word, -"a b", NOT word    exclude the sentences (documents, with --documents) matching it
  a AND b                    both required;  a OR b  either
  +word                      required (the other free words only rank)
  NEAR(a b), a NEAR b        within 10 words of each other, any order; NEAR/5: within 5
  ( ... )                    grouping: (Ойыл OR Қаратал) AND комиссия
Every operand keeps its expansion (a required `Тоғжанов` still finds `Тоғжановтың`).
Nothing is a syntax error: operators that cannot be read (`a AND`, `NEAR(`, only `-word`),
unbalanced or stray quotes, brackets and FTS syntax (`*`, `^`, `col:`) fall back to plain
words, and `Query.describe()` says how the text was read. Every term is quoted when
compiled: no user input reaches FTS or SQL syntax as syntax.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from muragat.errors import InputError
from muragat.i18n import language, t
from muragat.search import operators
from muragat.search.operators import QUOTES, Atom, Group, Near
from muragat.search.operators import words as _words
from muragat.search.variants import cyrillic, patronymic_variants
from muragat.terms import terms

__all__ = ["QUOTES", "Clause", "Group", "Near", "Query", "fts5_documents", "fts5_match",
           "fts_string", "parse", "ts_condition", "tsqueries"]

_MARKS = operators.MARKS
_MIN_PREFIX = 4  # shorter prefixes (`ат*`) match far too much
# A lone word's surface fallback is its first letters: Kazakh adds endings, rarely changes a
# stem's start, so `ыдыра*` finds `ыдырағанда` and `ыдырайды` where morphology guessed apart
# (5 letters: best of 4-7 on KazQAD dev half A, notes/issue-21-search.md).
STEM = 5
_MIN_PHRASE_PREFIX = 2  # inside a phrase the neighbours keep `ісі*` precise
_MAX_VARIANTS = 8  # phrase variants from ambiguous lemmas
_MAX_FUZZY = 24  # lemma variants of a `~word`
_MAX_BOOSTED = 4  # free words also searched as one phrase, to rank them together first
_MAX_NEAR = 16  # lemma combinations a NEAR compiles to


@dataclass(frozen=True, slots=True)
class Clause:
    words: tuple[str, ...]  # as the user typed them
    exact: bool  # match surface forms only
    phrase: bool  # words must be adjacent, in order
    variants: tuple[tuple[str, ...], ...]  # lemma-term sequences to match (lemma clauses)
    forms: tuple[str, ...]  # surface terms (exact match, or prefix fallback)
    boost: bool = False  # the phrase a parse adds for free words (they rank higher together)
    name: bool = False  # a proper noun: its fallback is its whole form (`Тоғжа*` is no person)
    fuzzy: bool = False  # `~word`: also the stored forms a few edits away

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
    clauses: tuple[Clause, ...]  # what ranks and is highlighted: every clause not excluded
    tree: Group | None = None  # the operators read (None: a ranked OR of `clauses`)
    excluded: tuple[Clause, ...] = ()  # clauses under a `-` / NOT (never highlighted)
    fallback: str | None = None  # why typed operators were read as plain words

    def relaxed(self) -> Query:
        """The clauses as a plain ranked OR: a matching document's best sentence need not
        hold every required word itself."""
        return Query(self.text, self.clauses) if self.tree is not None else self

    def documents(self, matching: Callable[[Query], set[int]]) -> set[int]:
        """The documents the operators hold in, evaluated document by document from the
        documents `matching(q)` gives for each word, phrase or NEAR of the tree (a store
        without a document index: `a AND b` in one document, `-c` in none of its sentences)."""
        def holds(node: Any) -> set[int]:
            if isinstance(node, Clause):
                return matching(Query(self.text, (node,)))
            if isinstance(node, Near):
                return matching(Query(self.text, node.parts, Group(should=(node,))))
            if node.must:
                found = set.intersection(*map(holds, node.must))
            else:
                found = set().union(*map(holds, node.should))
            return found.difference(*map(holds, node.exclude))

        return holds(self.tree) if self.tree is not None else matching(self)

    def describe(self, lang: str | None = None) -> str:
        """How the text was read, for the user: `«комиссия» (кез келген тұлғасы) ЖӘНЕ ЕМЕС
        «партия»` (Kazakh; English with lang="en"; default: the process language)."""
        lang = lang or language()
        label = functools.partial(_label, lang=lang)
        if self.tree is not None:
            return operators.describe(self.tree, label, lang)
        plain = [c for c in self.clauses if not c.boost]
        out = operators.describe(Group(should=tuple(plain)), label, lang)
        if len(plain) < len(self.clauses):
            out += _say(lang, "; бірге тұрғандары жоғары", "; together ranked first")
        if self.fallback == operators.NEGATIVE:
            return _say(lang, "Тек алып тасталатын сөздер, қарапайым сөз ретінде оқылды: ",
                        "Only excluded words, read as plain words: ") + out
        if self.fallback == operators.MALFORMED:
            return _say(lang, "Операторлар толық емес, қарапайым сөз ретінде оқылды: ",
                        "Incomplete operators, read as plain words: ") + out
        return out

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
            j = operators.closer(text, i)
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
    return dataclasses.replace(c, variants=variants[:_MAX_FUZZY], fuzzy=True)


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
    the stored forms a few edits away, for `~word` (without it `~` is ignored).
    A text without operators reads exactly as before operators existed (a ranked OR);
    operators that cannot be read fall back to that reading, `Query.fallback` says why."""
    if not text or not text.strip():
        raise InputError(t("бос сұраным", "empty query"))
    tree, problem = operators.read(text)
    if tree is not None:
        query = _parse_tree(text, tree, lexicon, similar)
        if query is not None:
            return query
        problem = operators.MALFORMED  # its operands held no searchable word
    plain = _parse_plain(text, lexicon, similar)
    return dataclasses.replace(plain, fallback=problem) if problem else plain


def _parse_tree(text: str, tree: Group, lexicon: Lexicon | None,
                similar: Callable[[str], list[str]] | None) -> Query | None:
    """The operator tree with each atom made a clause (lemmas, variants, `~` forms)."""
    atoms = list(_atoms(tree))
    known: dict[str, list[str]] = {}
    if lexicon is not None:
        forms = {_form_key(x) for a in atoms if not a.exact for w in a.text.split()
                 for x in (w, cyrillic(w) or w)}
        known = lexicon(sorted(f for f in forms if f))

    def clause(atom: Atom) -> Clause | None:
        c = _clause(atom.text, atom.exact, atom.quoted, known)
        if c is not None and atom.fuzzy and similar is not None and len(c.forms) == 1 \
                and not c.exact:
            c = _fuzzy(c, similar, lexicon)
        return c

    def convert(node: Any) -> Any:
        if isinstance(node, Atom):
            return clause(node)
        if isinstance(node, Near):
            parts = tuple(p for p in map(convert, node.parts) if p is not None)
            return Near(parts, node.distance) if len(parts) > 1 else (parts or [None])[0]
        must, should, exclude = ([p for p in map(convert, ps) if p is not None]
                                 for ps in (node.must, node.should, node.exclude))
        if not must and not should:
            return None
        return Group(tuple(must), tuple(should), tuple(exclude))

    root = convert(tree)
    if not isinstance(root, Group):
        return None
    positive = tuple(dict.fromkeys(_leaves(root, positive=True)))
    excluded = tuple(dict.fromkeys(c for c in _leaves(root) if c not in positive))
    return Query(text, positive, root, excluded)


def _atoms(node: Any) -> Iterator[Atom]:
    if isinstance(node, Atom):
        yield node
    elif isinstance(node, Near):
        yield from node.parts
    else:
        for part in (*node.must, *node.should, *node.exclude):
            yield from _atoms(part)


def _leaves(node: Any, positive: bool = False) -> Iterator[Clause]:
    """The clauses under a node (with `positive`: those under no exclusion)."""
    if isinstance(node, Clause):
        yield node
    elif isinstance(node, Near):
        yield from node.parts
    else:
        for part in (*node.must, *node.should, *(() if positive else node.exclude)):
            yield from _leaves(part, positive)


def _parse_plain(text: str, lexicon: Lexicon | None,
                 similar: Callable[[str], list[str]] | None) -> Query:
    """Free words, phrases and exact forms, OR-ed and ranked (the reading of a question)."""
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


# -- compiling -------------------------------------------------------------------------
def fts_string(term: str) -> str:
    """An FTS5 string literal: double quotes doubled, like datasette's escape_fts."""
    return '"' + term.replace('"', '""') + '"'


Leaf = Callable[[Clause, bool], list[str]]  # (clause, excluded) -> its OR-ed FTS5 parts


def _fts_tree(node: Any, leaf: Leaf, near: Callable[[Near], list[str]],
              negative: bool = False) -> str:
    """An operator tree in FTS5 syntax, every sub-expression bracketed (precedence never
    matters). Required and optional parts: `(M) AND ((M) OR (S))` matches as M alone does
    and lets BM25 count S; exclusions: `(P) NOT (E1 OR E2)`."""
    if isinstance(node, Clause | Near):
        parts = leaf(node, negative) if isinstance(node, Clause) else near(node)
        return "(" + " OR ".join(f"({p})" for p in parts) + ")"
    must = [_fts_tree(x, leaf, near, negative) for x in node.must]
    should = [_fts_tree(x, leaf, near, negative) for x in node.should]
    if must:
        out = " AND ".join(must)
        if should:
            out += " AND (" + " OR ".join(must + should) + ")"
    else:
        out = " OR ".join(should)
    if node.exclude:
        out = f"({out}) NOT (" + " OR ".join(
            _fts_tree(x, leaf, near, not negative) for x in node.exclude) + ")"
    return "(" + out + ")"


def _sentence_parts(c: Clause, prefix: bool, always: bool = False) -> list[str]:
    """A clause's alternatives over the sentence index (`always`: never none at all)."""
    if c.exact:
        return ["form : " + fts_string(" ".join(c.forms))]
    parts = ["lemma : " + fts_string(" ".join(v)) for v in c.variants]
    if prefix:
        parts.append("form : " + _fts_surface(c))
    elif always and not parts:
        parts.append("form : " + fts_string(" ".join(c.forms)))
    return parts


def fts5_match(query: Query, prefix: bool = True) -> str:
    """An FTS5 MATCH expression over columns `lemma` and `form`."""
    if query.tree is not None:
        return _fts_tree(query.tree, lambda c, _neg: _sentence_parts(c, prefix, True),
                         lambda n: _fts_near(n, "lemma", "form", prefix))
    parts = [p for c in query.clauses for p in _sentence_parts(c, prefix)]
    return " OR ".join(f"({p})" for p in parts)


def _surface_terms(c: Clause, stem: bool = False) -> str:
    return " + ".join(fts_string(f) + ("*" if p else "")
                      for f, p in (c.surface(j, stem) for j in range(len(c.forms))))


def _fts_surface(c: Clause, stem: bool = False) -> str:
    return "(" + _surface_terms(c, stem) + ")"


def _fts_near(n: Near, lemma: str, form: str, prefix: bool) -> list[str]:
    """`lemma : NEAR("a" "b", 10)` for each combination of the operands' lemma variants,
    and `form : NEAR(...)` of their surface forms (FTS5 has no OR inside a NEAR)."""
    parts: list[str] = []
    if not any(c.exact for c in n.parts):
        for combo in itertools.islice(itertools.product(*(c.variants for c in n.parts)),
                                      _MAX_NEAR):
            parts.append(f"{lemma} : NEAR(" + " ".join(fts_string(" ".join(v)) for v in combo)
                         + f", {n.distance})")
    if prefix or not parts:
        surfaces = [fts_string(" ".join(c.forms)) if c.exact or not prefix
                    else _surface_terms(c) for c in n.parts]
        parts.append(f"{form} : NEAR(" + " ".join(surfaces) + f", {n.distance})")
    return parts


# Document index columns: a lemma is looked for in the title, the entity/value names and the
# lemmas; a surface stem in the title and the forms.
_DOC_LEMMA = "{title names lemma}"
_DOC_FORM = "{title form}"


def _document_parts(c: Clause, stem: bool = True) -> list[str]:
    if c.exact:
        return [f"{_DOC_FORM} : " + fts_string(" ".join(c.forms))]
    return [*(f"{_DOC_LEMMA} : " + fts_string(" ".join(v)) for v in c.variants),
            f"{_DOC_FORM} : " + _fts_surface(c, stem=stem)]


def fts5_documents(query: Query, boost: bool = True) -> str:
    """An FTS5 MATCH expression over the document index (`title names lemma form`).

    `boost`: keep the phrase a parse adds for free words standing together. An excluded
    word excludes by its whole form's prefix, never by a 5-letter stem (`-партия` must not
    drop a document about `партизан`)."""
    if query.tree is not None:
        return _fts_tree(query.tree, lambda c, neg: _document_parts(c, stem=not neg),
                         lambda n: _fts_near(n, _DOC_LEMMA, _DOC_FORM, True))
    parts = [p for c in query.clauses if not (c.boost and not boost)
             for p in _document_parts(c)]
    return " OR ".join(f"({p})" for p in parts)


def _tsq_term(term: str, prefix: bool = False) -> str:
    escaped = term.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'" + (":*" if prefix else "")


def _tsq_lemmas(c: Clause) -> list[str]:
    return [" <-> ".join(_tsq_term(x) for x in v) for v in c.variants]


def _tsq_form(c: Clause, prefix: bool) -> str | None:
    if c.exact:
        return " <-> ".join(_tsq_term(f) for f in c.forms)
    if not prefix:
        return None
    return " <-> ".join(_tsq_term(*c.surface(j)) for j in range(len(c.forms)))


def tsqueries(query: Query, prefix: bool = True) -> tuple[str | None, str | None]:
    """(query over lemma_tsv, query over form_tsv) in tsquery syntax, every lexeme quoted:
    the ranked OR of the clauses (with operators: what ranks; `ts_condition` matches)."""
    lemma_parts = [p for c in query.clauses if not c.exact for p in _tsq_lemmas(c)]
    form_parts = [f for c in query.clauses if (f := _tsq_form(c, prefix)) is not None]
    return _tsq_or(lemma_parts), _tsq_or(form_parts)


def _tsq_or(parts: Sequence[str]) -> str | None:
    return " | ".join(f"({p})" for p in parts) if parts else None


def _tsq_near(operands: Sequence[str], distance: int) -> str:
    """Operands within `distance` words, any order: tsquery's `<N>` is an exact distance, so
    every pair is a disjunction of `<1>`..`<distance + 1>` both ways (a bounded, indexable
    tsquery; filtering positions in Python would fetch every sentence holding the words)."""
    pairs = []
    for a, b in itertools.combinations([f"({x})" for x in operands], 2):
        pairs.append(" | ".join(f"{x} <{k}> {y}" for k in range(1, distance + 2)
                                for x, y in ((a, b), (b, a))))
    return " & ".join(f"({p})" for p in pairs)


def ts_condition(query: Query, prefix: bool = True, lemma: str = "s.lemma_tsv",
                 form: str = "s.form_tsv", mark: str = "%s") -> tuple[str, list[str]] | None:
    """The operator tree as an SQL condition over the two tsvector columns, with its
    tsquery parameters (None for a query without operators: `tsqueries` matches it).
    A clause matches by lemma OR by surface form, so AND/NOT combine conditions in SQL, not
    inside one tsquery."""
    if query.tree is None:
        return None
    params: list[str] = []

    def test(lemma_q: str | None, form_q: str | None) -> str:
        conds = []
        for column, q in ((lemma, lemma_q), (form, form_q)):
            if q is not None:
                conds.append(f"{column} @@ {mark}::tsquery")
                params.append(q)
        return "(" + " OR ".join(conds or ["false"]) + ")"

    def node(n: Any) -> str:
        if isinstance(n, Clause):
            lemma_q = None if n.exact else _tsq_or(_tsq_lemmas(n))
            form_q = _tsq_form(n, prefix)
            if lemma_q is None and form_q is None:
                form_q = " <-> ".join(_tsq_term(f) for f in n.forms)
            return test(lemma_q, form_q)
        if isinstance(n, Near):
            combos = [] if any(c.exact for c in n.parts) else list(itertools.islice(
                itertools.product(*(_tsq_lemmas(c) for c in n.parts)), _MAX_NEAR))
            lemma_q = _tsq_or([_tsq_near(combo, n.distance) for combo in combos])
            forms = [_tsq_form(c, prefix) or " <-> ".join(_tsq_term(f) for f in c.forms)
                     for c in n.parts]
            return test(lemma_q, _tsq_near(forms, n.distance))
        # optional parts only rank (`tsqueries`); params follow the SQL's order
        out = " AND ".join(map(node, n.must)) if n.must \
            else "(" + " OR ".join(map(node, n.should)) + ")"
        for x in n.exclude:
            out += f" AND NOT {node(x)}"
        return "(" + out + ")"

    return node(query.tree), params


# -- how a query was read ---------------------------------------------------------------
def _say(lang: str, kk: str, en: str) -> str:
    return en if lang == "en" else kk


def _label(c: Clause, lang: str) -> str:
    """`«комиссия» (кез келген тұлғасы)`: a clause and how its words are matched."""
    quoted = "«" + " ".join(c.words) + "»"
    if c.exact:
        return quoted + _say(lang, " (дәл осы тұлға)", " (this exact form)")
    how = [_say(lang, "тіркес", "phrase")] if c.phrase and len(c.forms) > 1 else []
    how.append(_say(lang, "кез келген тұлғасы", "any form"))
    if c.fuzzy:
        how.append(_say(lang, "ұқсас жазылуы да", "similar spellings too"))
    return f"{quoted} ({', '.join(how)})"
