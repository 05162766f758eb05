"""The event vocabulary (data/vocabulary.json) and its small token patterns, in the spirit of yargy.

A pattern is a list of token tests matched left to right over one clause; a test names word
beginnings (`stem`) and/or morph lemmas (`lemma`), may allow a few tokens before it (`gap`) and
may require the token to end its clause (`at_end`). The event's head is the last token matched.
No event type has code of its own: adding a type or a trigger is an edit of the JSON file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from muragat.model import Token


def low(tok: Token) -> str:
    return (tok.norm or "").lower()


@dataclass(frozen=True, slots=True)
class Test:
    stems: tuple[str, ...]
    lemmas: frozenset[str]
    gap: int
    at_end: bool

    def stem_of(self, word: str, lemma: str) -> str | None:
        """The stem (or lemma) the lowercase `word` matches, None when it does not match."""
        if word.startswith(self.stems):  # one C call for the common miss
            return next(s for s in self.stems if word.startswith(s))
        if lemma and lemma in self.lemmas and word.startswith(lemma):
            return lemma
        return None


@dataclass(frozen=True, slots=True)
class EventType:
    label: str
    en: str
    slots: tuple[str, ...]
    patterns: tuple[tuple[tuple[Test, ...], tuple[str, ...]], ...]  # (tests, sentence needs)
    lacks: tuple[str, ...]
    needs: tuple[str, ...]
    needs_clause: tuple[str, ...]
    example: str
    test: tuple[str, str]
    owner_is_subject: bool = False  # `әкемнің үйі тәркіленді`: the owner is whom it concerns


@dataclass(frozen=True, slots=True)
class Match:
    etype: EventType
    first: int  # clause index of the first token matched
    head: int  # clause index of the head (last) token
    stem: str  # the head test's stem that matched (where the head's ending starts)
    size: int  # number of tests in the pattern: the longer pattern wins a head


def _pattern(raw: list[dict[str, Any]] | dict[str, Any]) -> tuple[tuple[Test, ...], tuple[str, ...]]:
    if isinstance(raw, dict):
        return tuple(_test(t) for t in raw["seq"]), tuple(raw.get("needs", []))
    return tuple(_test(t) for t in raw), ()


def _test(raw: dict[str, Any]) -> Test:
    return Test(tuple(s.lower() for s in raw.get("stem", [])),
                frozenset(s.lower() for s in raw.get("lemma", [])),
                int(raw.get("gap", 0)), bool(raw.get("at_end", False)))


@cache
def vocabulary() -> tuple[EventType, ...]:
    raw = json.loads(resources.files(__package__).joinpath("data/vocabulary.json")
                     .read_text("utf-8"))
    return tuple(
        EventType(e["type"], e["en"], tuple(e["slots"]),
                  tuple(_pattern(p) for p in e["patterns"]),
                  tuple(e.get("lacks", [])), tuple(e.get("needs", [])),
                  tuple(e.get("needs_clause", [])), e["example"], tuple(e["test"]),
                  bool(e.get("owner_is_subject", False)))
        for e in raw["events"]
    )


def _match_from(tests: tuple[Test, ...], words: list[str], lemmas: list[str],
                start: int) -> tuple[int, str] | None:
    """Match `tests` with the first at `start`; (head index, head stem) or None."""
    last = len(words) - 1
    stem = tests[0].stem_of(words[start], lemmas[start])
    if stem is None or (tests[0].at_end and start != last):
        return None
    pos = start
    for test in tests[1:]:
        found = None
        for j in range(pos + 1, min(len(words), pos + 2 + test.gap)):
            s = test.stem_of(words[j], lemmas[j])
            if s is not None and (not test.at_end or j == last):
                found = (j, s)
                break
        if found is None:
            return None
        pos, stem = found
    return pos, stem


def _has(words: tuple[str, ...], forms: list[str]) -> bool:
    """Whether a form starts with one of `words`; a two-word entry is matched on two forms."""
    if not words:
        return False
    if any(f.startswith(words) for f in forms):
        return True
    pairs = tuple(w for w in words if " " in w)
    return bool(pairs) and any(f"{a} {b}".startswith(pairs)
                               for a, b in zip(forms, forms[1:], strict=False))


@cache
def _first_tests() -> tuple[tuple[str, ...], frozenset[str]]:
    """Every stem and lemma a pattern can start with: most words start none, one call each."""
    stems: set[str] = set()
    lemmas: set[str] = set()
    for etype in vocabulary():
        for tests, _ in etype.patterns:
            stems.update(tests[0].stems)
            lemmas.update(tests[0].lemmas)
    return tuple(sorted(stems)), frozenset(lemmas)


def matches(clause: list[Token], sentence: list[Token]) -> list[Match]:
    """Every type's patterns over the clause; one match per head, the longest pattern winning."""
    words = [low(t) for t in clause]
    lemmas = [(t.lemma or "").lower() for t in clause]
    first_stems, first_lemmas = _first_tests()
    starts = [i for i, w in enumerate(words) if w.startswith(first_stems) or lemmas[i] in first_lemmas]
    if not starts:
        return []
    sent_words = [low(t) for t in sentence]
    best: dict[int, Match] = {}
    for etype in vocabulary():
        if etype.needs and not _has(etype.needs, sent_words):
            continue
        if etype.needs_clause and not _has(etype.needs_clause, words):
            continue
        for tests, needs in etype.patterns:
            if needs and not _has(needs, sent_words):
                continue
            for i in starts:
                got = _match_from(tests, words, lemmas, i)
                if got is None:
                    continue
                head, stem = got
                if etype.lacks and _has(etype.lacks, words[:head]):
                    continue
                old = best.get(head)
                if old is None or len(tests) > old.size:
                    best[head] = Match(etype, i, head, stem, len(tests))
    return sorted(best.values(), key=lambda m: m.head)
