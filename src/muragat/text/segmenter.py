"""Sentence segmentation: candidate boundaries, then an ordered list of small JOIN/SPLIT rules.

Candidates (all found by linear regex scans, possessive quantifiers, no backtracking blow-up):
- ``punct``: a run of ``. ! ? …`` (plus closing quotes/brackets) followed by whitespace;
- ``line``: a line break inside a paragraph of a one-sentence-per-line dump;
- ``glue``: a sentence end glued to the next word: ``құрды..О.``, ``қ..1``, ``бітті.Келесі``.
Each rule looks at one candidate and answers JOIN, SPLIT or None (no opinion); the first answer
wins, SPLIT is the default. ``explain(text)`` shows which rule decided each candidate.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from muragat.text.resources import abbreviations
from muragat.text.tokenizer import UPPER

JOIN, SPLIT = "join", "split"
# Bounded cost per input: no sentence is longer than this many characters (real sentences
# run to a few hundred; 400 kB of ``Ғ.`` lines would otherwise be one sentence of 100k tokens,
# and later layers hold a whole sentence at once). A longer one is cut, with a warning, after
# the last `,;:` or sentence mark in the second half of the window, else at its last space,
# else (no space at all) between two characters.
MAX_SENTENCE_CHARS = 2000
_SOFT_ENDS = re.compile(r"[,;:.!?…»)\]]\s")
CLOSERS = "»\"”’')\\]"
OPENERS = "«\"“„'‘([—–‒―-"

# Each pattern starts with a literal class so the regex engine can skip ahead quickly; the
# look-behind after the first character keeps a run of dots from being matched at every dot.
_PUNCT = re.compile(f"[.!?…](?<![.!?…][.!?…])[.!?…]*+[{CLOSERS}]*+(?=\\s)")
# ``құрды..О.,`` / ``қ..1``: two dots between word characters (not an ellipsis).
_GLUE2 = re.compile(r"\.\.(?<=\w\.\.)(?=[«\"“(]?\w)")
# ``бітті.Келесі``: a lower-case word, a dot, a capitalised word, no space.
_GLUE1 = re.compile(f'[.!?](?<=[^\\W\\d_{UPPER}]{{2}}[.!?])(?=[«"“]?[{UPPER}][^\\W\\d_{UPPER}])')
_ABBR_TAIL = re.compile(r"(?:[^\W\d_]{1,12}\.)+\Z")
_INITIALS = re.compile(f"(?:[{UPPER}]\\.){{1,3}}\\Z")
_LIST_MARK = re.compile(r"(?:\d{1,3}|[IVXLC]{1,5}|[^\W\d_])[.)]\Z")
_SHORT_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.){2,}")
_WORD = re.compile(r"[^\W\d_]+")


class Candidate:
    """One candidate boundary; its left word and right context are computed once, on demand."""

    __slots__ = ("text", "pos", "kind", "sent_start", "para_end", "_left", "_right")

    def __init__(self, text: str, pos: int, kind: str, sent_start: int, para_end: int) -> None:
        self.text = text
        self.pos = pos  # the boundary: the left sentence ends here
        self.kind = kind  # punct | line | glue
        self.sent_start = sent_start  # start of the sentence the left side belongs to
        self.para_end = para_end
        self._left: str | None = None
        self._right: str | None = None

    def left_word(self) -> str:
        """The non-space run before the boundary (at most 40 characters) without closing quotes
        and brackets: ``т.б.»`` -> ``т.б.``."""
        if self._left is None:
            run = self.text[max(self.sent_start, self.pos - 40) : self.pos].rsplit(None, 1)
            self._left = run[-1].rstrip(CLOSERS) if run else ""
        return self._left

    def right(self) -> str:
        """Up to 40 characters after the boundary, spaces and opening punctuation skipped."""
        if self._right is None:
            t, i, end = self.text, self.pos, self.para_end
            while i < end and (t[i].isspace() or t[i] in OPENERS):
                i += 1
            self._right = t[i : min(end, i + 40)]
        return self._right


def _abbreviation_kind(word: str) -> str | None:
    m = _ABBR_TAIL.search(word)
    if not m or (m.start() > 0 and word[m.start() - 1] not in "-([«\"'“"):
        return None  # ``info@akorda.kz.``: a dotted tail glued to something else
    tail = m.group().lower()
    entry = abbreviations().get(tail)
    if entry:
        return entry.kind
    last = tail.rsplit(".", 2)[-2] + "."
    if last in abbreviations() and _SHORT_DOTTED.fullmatch(tail):  # б.з.б. -> б.
        return abbreviations()[last].kind
    # A dotted lower-case form that is not listed (б.з.б., ф.ғ.д.): inside a sentence.
    if _SHORT_DOTTED.fullmatch(tail) and m.group().islower():
        return "join"
    return None


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


# -- rules: each takes a candidate and returns JOIN, SPLIT or None ------------------------------


def after_abbreviation(c: Candidate) -> str | None:
    """``1936 ж. | 1 тамызға`` -> JOIN; ``т.б. | Келесі`` -> SPLIT; ``млн. | АҚШ`` -> JOIN."""
    word = c.left_word()
    if not word.endswith(".") or c.kind == "glue":
        return None
    kind = _abbreviation_kind(word)
    if kind is None:
        return None
    right = c.right()
    first = right[:1]
    if kind == "join":
        return JOIN
    if kind == "unit":
        m = _WORD.match(right)
        capitalised = bool(m) and m.group()[0].isupper() and not _is_acronym(m.group())
        return SPLIT if capitalised else JOIN
    return SPLIT if first.isupper() else JOIN  # "end": т.б., т.с.с.


def after_initials(c: Candidate) -> str | None:
    """``Ғ. | Тоғжанов``, ``И.В. | Сталиннің`` -> JOIN (an initial before a capitalised name)."""
    if c.kind == "glue":
        return None
    word = c.left_word()
    m = _INITIALS.search(word)
    if not m or (m.start() > 0 and word[m.start() - 1].isalpha()):
        return None  # ``ҚҰРДЫ.`` ends in a capital letter but is no initial
    return JOIN if c.right()[:1].isupper() else None


def list_number(c: Candidate) -> str | None:
    """``12. | Мұнан кейін`` (an enumeration mark alone is not a sentence) -> JOIN."""
    if c.pos - c.sent_start > 6:
        return None
    head = c.text[c.sent_start : c.pos].strip()
    return JOIN if _LIST_MARK.fullmatch(head) and c.right() else None


def lowercase_next(c: Candidate) -> str | None:
    """``көрме?!» – | деп`` or ``"білмейміз-ау!" | деген`` -> JOIN (a lower-case continuation)."""
    return JOIN if c.right()[:1].islower() else None


def punctuation_next(c: Candidate) -> str | None:
    """``сөз. | , деді`` -> JOIN: a comma, colon, semicolon or closer cannot open a sentence."""
    first = c.right()[:1]
    return JOIN if first and first in ",;:)]»”" else None


def glued_end(c: Candidate) -> str | None:
    """``құрды. | .О.,`` and ``бітті. | Келесі``: a glued sentence end is a boundary."""
    return SPLIT if c.kind == "glue" else None


Rule = Callable[[Candidate], str | None]
RULES: list[tuple[str, Rule]] = [
    ("glued_end", glued_end),
    ("after_initials", after_initials),
    ("after_abbreviation", after_abbreviation),
    ("list_number", list_number),
    ("lowercase_next", lowercase_next),
    ("punctuation_next", punctuation_next),
]


def decide(c: Candidate, rules: list[tuple[str, Rule]] = RULES) -> tuple[str, str]:
    for name, rule in rules:
        answer = rule(c)
        if answer is not None:
            return answer, name
    return SPLIT, "default"


def _glue_candidates(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    if text.find("..", start, end) >= 0:
        for m in _GLUE2.finditer(text, start, end):
            if _inside_address(text, m.start(), start, end):
                continue
            word_start = m.start()
            while word_start > start and text[word_start - 1].isalpha():
                word_start -= 1
            word = text[word_start : m.start()].lower() + "."
            # ``қ..1``: the first dot is the abbreviation's, the second ends the sentence.
            out.append((m.end() if word in abbreviations() else m.start() + 1, "glue"))
    for m in _GLUE1.finditer(text, start, end):
        if not _inside_address(text, m.start(), start, end):
            out.append((m.end(), "glue"))
    return out


def _inside_address(text: str, i: int, start: int, end: int) -> bool:
    a, b = i, i
    while a > start and not text[a - 1].isspace() and i - a < 200:
        a -= 1
    while b < end and not text[b].isspace() and b - i < 200:
        b += 1
    run = text[a:b]
    return "@" in run or "/" in run or "www" in run.lower()


def split_paragraph(
    text: str,
    start: int,
    end: int,
    line_breaks: list[int],
    trace: list | None = None,
    glued: list[int] | None = None,
) -> list[tuple[int, int]]:
    """Sentence ranges (trimmed) of one paragraph ``text[start:end]``. Boundaries that fall
    between two non-space characters (``құрды.|.О.``) are appended to ``glued``."""
    cands = [(m.end(), "punct") for m in _PUNCT.finditer(text, start, end)]
    cands += [(p, "line") for p in line_breaks]
    if text.find(".", start, end) >= 0:
        cands += _glue_candidates(text, start, end)
    if len(cands) > 1:
        cands.sort()
    out: list[tuple[int, int]] = []
    sent_start, last = start, -1
    for pos, kind in cands:
        if pos <= sent_start or pos >= end or pos == last:
            continue
        last = pos
        c = Candidate(text, pos, kind, sent_start, end)
        answer, rule = decide(c)
        if trace is not None:
            trace.append((pos, kind, answer, rule))
        if answer == SPLIT:
            if kind == "glue" and glued is not None:
                glued.append(pos)
            out.append(_trim(text, sent_start, pos))
            sent_start = pos
    out.append(_trim(text, sent_start, end))
    out = [r for r in out if r[0] < r[1]]
    if any(b - a > MAX_SENTENCE_CHARS for a, b in out):
        out = _cap_sentences(text, out, glued)
    return out


def _cap_sentences(text: str, sents: list[tuple[int, int]], glued: list[int] | None
                   ) -> list[tuple[int, int]]:
    """Sentences over MAX_SENTENCE_CHARS cut into pieces (see MAX_SENTENCE_CHARS). A cut
    between two non-space characters goes into `glued`, in order, so no token crosses it.
    Linear: each window is searched a fixed number of times."""
    out: list[tuple[int, int]] = []
    hard: list[int] = []
    for a, b in sents:
        while b - a > MAX_SENTENCE_CHARS:
            lo, hi = a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS
            soft = [m.end() for m in _SOFT_ENDS.finditer(text, lo, hi + 1)]
            cut = soft[-1] - 1 if soft else max(text.rfind(c, lo, hi) for c in " \n\t\u00a0")
            if cut > a:  # a space at `cut`: both sides trimmed
                out.append(_trim(text, a, cut))
                a = _trim(text, cut, b)[0]
            else:
                out.append((a, hi))
                hard.append(hi)
                a = hi
        out.append((a, b))
    if hard and glued is not None:  # earlier entries lie before this paragraph: sort its own
        first = bisect_left(glued, sents[0][0])
        glued[first:] = sorted(glued[first:] + hard)
    _warn_split(text, len(out) - len(sents))
    return [r for r in out if r[0] < r[1]]


_warned: list[int] = [0]  # id() of the last text warned about: one warning per text


def _warn_split(text: str, pieces: int) -> None:
    from muragat.i18n import t
    from muragat.io import warn

    if _warned[0] == id(text):
        return
    _warned[0] = id(text)

    warn(t(f"{MAX_SENTENCE_CHARS} таңбадан ұзын сөйлемдер бөлінді ({pieces} қосымша бөлік; "
           f"мәтін ұзындығы {len(text)})",
           f"sentences longer than {MAX_SENTENCE_CHARS} characters were cut ({pieces} extra "
           f"piece(s); text length {len(text)})"))


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
