"""Search operators: the raw query text read into a small tree, before any lemmatization.

    -word, -"a phrase", NOT word    exclude what matches it
    a AND b                         both required
    a OR b                          either (free words are a ranked OR anyway)
    +word                           required; the other free words only rank
    NEAR(a b), a NEAR b, NEAR/5     within N words of each other (default 10)
    ( ... )                         grouping, with the operators above

Operators are upper-case only: `and`, `not`, `және`, `емес` stay words. `read` returns None
when the text uses no operator (the plain ranked reading, unchanged), and says why when
operators were typed but cannot be read (`a AND`, `NEAR(`, only `-word`): the caller then
falls back to the plain reading. Nothing here raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from muragat.terms import terms

# Opening quote -> the marks that may close it (ASCII, «guillemets», English and German
# curly quotes, as typed and as OCR and word processors leave them).
QUOTES = {'"': '"”“', "«": "»", "“": "”“", "„": "“”", "‘": "’‘", "‚": "‘’", "”": "”"}
MARKS = frozenset("»’")  # a closer met on its own is a stray mark
_SEPARATORS = re.compile(r"[^\w\-.'’]+|_")  # marks that part words (`NEAR(a`, `col:x`)
_LIST = re.compile(r"[,;]")
_BRACKETED = re.compile(r"\w\(\w+\)")  # an abbreviation's own brackets: `БК(б)П`
_OWN_BRACKETS = re.compile(r"\(\w+\)")  # the same, seen from its `(`
_NEAR = re.compile(r"NEAR(?:/(\d{1,4}))?")
_OPERATORS = {"AND": "and", "OR": "or", "NOT": "not"}
NEAR_DEFAULT = 10  # words between the operands
NEAR_MAX = 50  # PostgreSQL spells a distance out as a disjunction: keep it bounded
NEAR_PARTS = 4  # operands of one NEAR (PostgreSQL checks every pair)
_DEPTH = 16  # brackets nested deeper are not read as grouping (and never overflow the stack)
MALFORMED, NEGATIVE = "malformed", "negative"  # why operators were not read


@dataclass(frozen=True, slots=True)
class Atom:
    """A word, or a quoted phrase, as typed."""

    text: str
    exact: bool = False  # `=word`, `="a b"`
    quoted: bool = False
    fuzzy: bool = False  # `~word`


@dataclass(frozen=True, slots=True)
class Near:
    """Operands (words or phrases) within `distance` words of each other, in any order."""

    parts: tuple[Any, ...]
    distance: int = NEAR_DEFAULT


@dataclass(frozen=True, slots=True)
class Group:
    """Matches when every `must` part matches (or, with none, any `should` part) and no
    `exclude` part does; `should` parts also rank."""

    must: tuple[Any, ...] = ()
    should: tuple[Any, ...] = ()
    exclude: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # atom and or not near call ( ) - + ,
    atom: Atom | None = None
    distance: int | None = None


class _Malformed(Exception):
    pass


class _OnlyNegative(_Malformed):
    pass


def words(chunk: str) -> list[str]:
    """`Тоғжанов,комиссия` and `NEAR(a` are two words each; `қарым-қатынас`, `Ғ.Тоғжанов`
    and `БК(б)П` stay one (a phrase of its terms)."""
    out: list[str] = []
    for piece in _LIST.split(chunk):
        if not _BRACKETED.search(piece):
            piece = _SEPARATORS.sub(" ", piece)
        out.extend(w for w in piece.split() if terms(w))
    return out


def closer(text: str, i: int) -> int:
    """Where the quote opened at `text[i]` closes, or -1 when it never does.

    Typists close `“` with `“` or `”` and `„` with either, so every closer of the opener
    counts; a quote that is never closed (or a stray closer) is only a separator."""
    ends = QUOTES.get(text[i], "")
    found = [j for j in (text.find(c, i + 1) for c in ends) if j >= 0]
    return min(found) if found else -1


def _distance(digits: str | None) -> int:
    return NEAR_DEFAULT if digits is None else min(int(digits), NEAR_MAX)


def _word_end(text: str, i: int) -> int:
    """Where a bare word starting at `i` ends: at a space, a quote, a list mark or a bracket
    (an abbreviation's own `БК(б)П` brackets stay in the word)."""
    n = len(text)
    j = i
    while j < n:
        c = text[j]
        if c.isspace() or c in QUOTES or c in MARKS or c in ",;)":
            break
        if c == "(":
            own = _OWN_BRACKETS.match(text, j)
            if j > i and text[j - 1].isalnum() and own and not _NEAR.fullmatch(text, i, j):
                j = own.end()
                continue
            break
        j += 1
    return j


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace() or c in MARKS:
            i += 1
            continue
        if c in "(),;":
            out.append(_Tok("," if c == ";" else c))
            i += 1
            continue
        if c in "-+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "-+" \
                and (i == 0 or text[i - 1].isspace() or text[i - 1] in "("):
            out.append(_Tok(c))
            i += 1
            continue
        exact = c == "=" and i + 1 < n and not text[i + 1].isspace()
        if exact:
            i += 1
            c = text[i]
        if c in QUOTES:
            j = closer(text, i)
            if j > i + 1:
                out.append(_Tok("atom", Atom(text[i + 1 : j], exact, True)))
                i = j + 1
            else:
                i += 1  # unbalanced or empty quotes: the words around them stay plain words
            continue
        j = max(_word_end(text, i), i + 1)
        chunk = text[i:j]
        i = j
        near = _NEAR.fullmatch(chunk)
        if near and i < n and text[i] == "(":
            out.append(_Tok("call", distance=_distance(near.group(1))))
            i += 1
        elif near:
            out.append(_Tok("near", distance=_distance(near.group(1))))
        elif chunk in _OPERATORS:
            out.append(_Tok(_OPERATORS[chunk]))
        else:
            fuzzy = chunk.startswith("~")
            out.extend(_Tok("atom", Atom(w, exact, False, fuzzy)) for w in words(chunk))
    return out


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks, self.i, self.depth = toks, 0, 0

    def peek(self) -> str | None:
        return self.toks[self.i].kind if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        if self.i >= len(self.toks):
            raise _Malformed
        self.i += 1
        return self.toks[self.i - 1]

    def seq(self, closing: bool) -> Group:
        must: list[Any] = []
        should: list[Any] = []
        exclude: list[Any] = []
        while True:
            kind = self.peek()
            if kind is None and closing:
                raise _Malformed  # `(a b`
            if kind is None or kind == ")":
                break
            if kind == ",":
                self.i += 1
                continue
            occur, node = self.or_expr()
            if isinstance(node, Group) and occur == "must" and not node.should:
                must.extend(node.must)  # `a AND b c`: a and b are required here
                exclude.extend(node.exclude)
            elif isinstance(node, Group) and occur == "should" and not node.must \
                    and not node.exclude:
                should.extend(node.should)  # `a OR b c`: any of the three
            else:
                {"must": must, "should": should, "not": exclude}[occur].append(node)
        if not must and not should:
            raise _OnlyNegative if exclude else _Malformed
        return Group(tuple(must), tuple(should), tuple(exclude))

    def _operand(self) -> None:
        """An operator must be followed by an operand."""
        if self.peek() in (None, ")", "and", "or", ","):
            raise _Malformed

    def or_expr(self) -> tuple[str, Any]:
        occur, node = self.and_expr()
        if self.peek() != "or":
            return occur, node
        parts = [node]
        while self.peek() == "or":
            self.i += 1
            self._operand()
            occ, node = self.and_expr()
            parts.append(node)
            occur = "not" if occ == "not" or occur == "not" else "should"
        if occur == "not":
            raise _Malformed  # `a OR -b` means nothing a user could want
        return "should", Group(should=tuple(parts))

    def and_expr(self) -> tuple[str, Any]:
        occur, node = self.unary()
        if self.peek() != "and":
            return occur, node
        must: list[Any] = []
        exclude: list[Any] = []
        (exclude if occur == "not" else must).append(node)
        while self.peek() == "and":
            self.i += 1
            self._operand()
            occ, node = self.unary()
            (exclude if occ == "not" else must).append(node)
        if not must:
            raise _Malformed  # `NOT a AND NOT b`
        return "must", Group(must=tuple(must), exclude=tuple(exclude))

    def unary(self) -> tuple[str, Any]:
        kind = self.peek()
        if kind in ("not", "-", "+"):
            self.i += 1
            self._operand()
            return ("must" if kind == "+" else "not"), self.near_expr()
        return "should", self.near_expr()

    def near_expr(self) -> Any:
        node = self.primary()
        if self.peek() != "near":
            return node
        parts = [node]
        distance: int | None = None
        while self.peek() == "near":
            tok = self.take()
            distance = max(distance or 0, tok.distance or 0)
            parts.append(self.primary())
        if not all(isinstance(p, Atom) for p in parts) or len(parts) > NEAR_PARTS:
            raise _Malformed  # NEAR is about a few words and phrases, not groups
        return Near(tuple(parts), NEAR_DEFAULT if distance is None else distance)

    def primary(self) -> Any:
        tok = self.take()
        if tok.kind == "atom":
            return tok.atom
        if tok.kind == "(":
            self.depth += 1
            if self.depth > _DEPTH:
                raise _Malformed
            group = self.seq(closing=True)
            self.take()  # the `)`
            self.depth -= 1
            if not group.must and not group.exclude and len(group.should) == 1:
                return group.should[0]
            return group
        if tok.kind == "call":
            return self.near_call(NEAR_DEFAULT if tok.distance is None else tok.distance)
        raise _Malformed

    def near_call(self, distance: int) -> Near:
        """`NEAR(a b)`, `NEAR("a b" c, 5)`, `NEAR/5(a b)`."""
        parts: list[Atom] = []
        while True:
            tok = self.take()
            if tok.kind == ")":
                break
            if tok.kind == "," and self.peek() == "atom" and self.i + 1 < len(self.toks) \
                    and self.toks[self.i + 1].kind == ")":
                atom = self.toks[self.i].atom
                if atom is not None and atom.text.isdigit() and not atom.quoted:
                    distance = _distance(atom.text)
                    self.i += 1
                continue
            if tok.kind == ",":
                continue
            if tok.kind != "atom" or tok.atom is None:
                raise _Malformed
            parts.append(tok.atom)
        if not 2 <= len(parts) <= NEAR_PARTS:
            raise _Malformed
        return Near(tuple(parts), distance)


def uses_operators(text: str) -> bool:
    """Whether the text has any operator token (a plain question never does)."""
    return any(tok.kind not in ("atom", "(", ")", ",") for tok in _tokens(text))


def read(text: str) -> tuple[Group | None, str | None]:
    """(the tree of atoms, None), or (None, None) for a text without operators, or
    (None, MALFORMED | NEGATIVE) when its operators cannot be read."""
    toks = _tokens(text)
    if all(tok.kind in ("atom", "(", ")", ",") for tok in toks):
        return None, None
    parser = _Parser(toks)
    try:
        tree = parser.seq(closing=False)
        if parser.peek() is not None:  # a stray `)`
            raise _Malformed
    except _OnlyNegative:
        return None, NEGATIVE
    except _Malformed:
        return None, MALFORMED
    return tree, None


def _say(lang: str, kk: str, en: str) -> str:
    return en if lang == "en" else kk


def describe(node: Any, label: Callable[[Any], str], lang: str) -> str:
    """A tree in words: `«комиссия» (кез келген тұлғасы) ЖӘНЕ ЕМЕС «партия» (…)`; `label`
    says what one leaf is."""
    if isinstance(node, Near):
        inner = " … ".join(label(p) for p in node.parts)
        return inner + _say(lang, f" (арасы {node.distance} сөзге дейін)",
                            f" (within {node.distance} words)")
    if not isinstance(node, Group):
        return label(node)
    and_, or_ = _say(lang, " ЖӘНЕ ", " AND "), _say(lang, " НЕМЕСЕ ", " OR ")

    def sub(x: Any) -> str:
        text = describe(x, label, lang)
        return f"({text})" if isinstance(x, Group) and len(x.must) + len(x.should) \
            + len(x.exclude) > 1 else text

    must, should = [sub(x) for x in node.must], [sub(x) for x in node.should]
    out = and_.join([and_.join(must) if must else or_.join(should),
                     *(_say(lang, "ЕМЕС ", "NOT ") + sub(x) for x in node.exclude)])
    if must and should:
        out += _say(lang, "; бар болса, жоғарырақ: ", "; ranked higher with: ") \
            + ", ".join(should)
    return out
