"""Whether a matched trigger states that the event happened (data/grammar.json).

Negation (`ақталмады`, `-ған жоқ`), intention (`тұтқындамақ болғанмен`), conditions
(`егер … -са`, `-ар еді`), a gerund naming the action (`тұтқындау туралы`), the people an
event concerns used as a noun (`шығарылғандардың`) and hedged claims give no event.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from muragat.model import Token

from .patterns import Match, low


@cache
def grammar() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("data/grammar.json").read_text("utf-8"))


def _negated(rest: str, feats: str) -> bool:
    """`-ма/-ме` after a verb's stem; a noun's case ending is none (`сөгіс|пен`)."""
    if "Polarity=Neg" in feats:
        return True
    noun = "Case=" in feats and "VerbForm" not in feats
    return not noun and rest.startswith(tuple(grammar()["negative_after_stem"]))


def _conditional(word: str, feats: str, clause: list[Token]) -> bool:
    cond = "Mood=Cnd" in feats or word.endswith(("са", "се"))
    return cond and any(low(t) in grammar()["conditional_blockers"] for t in clause)


def _genitive_plural(tok: Token | None) -> bool:
    feats = (tok.feats or "") if tok is not None else ""
    return "Case=Gen" in feats and "Number=Plur" in feats and (tok.upos or "") == "NOUN"


def _reported_fact(word: str, nxt: Token, clause: list[Token], head: int) -> bool:
    """`ақталғаны туралы анықтама`, `орындалған деп айтылады`: a fact reported, not a plan."""
    g = grammar()
    after = low(clause[head + 2]) if head + 2 < len(clause) else ""
    if low(nxt) == "туралы":
        return word.endswith(tuple(g["factive_endings"]))
    return low(nxt) == "деп" and after.startswith(tuple(g["hearsay_after_dep"]))


def is_real(m: Match, clause: list[Token], sentence: list[Token]) -> bool:
    g = grammar()
    head = clause[m.head]
    word, feats = low(head), head.feats or ""
    rest = word[len(m.stem):] if word.startswith(m.stem) else ""
    nxt = clause[m.head + 1] if m.head + 1 < len(clause) else None
    if _negated(rest, feats) or _conditional(word, feats, clause):
        return False
    if rest and word.endswith(tuple(g["blocked_endings"])):
        return False
    if any(i in word for i in g["blocked_infixes"]) or any(i in word for i in g["agent_infixes"]):
        return False
    pluperfect = nxt is not None and word.endswith(tuple(g["pluperfect_before"].get(low(nxt), ())))
    if nxt is not None and low(nxt) in g["blocked_next"] and not pluperfect \
            and not _reported_fact(word, nxt, clause, m.head):
        return False
    if g["genitive_plural_next_blocks"] and "VerbForm=Part" in feats and _genitive_plural(nxt):
        return False
    if g["possessed_next_blocks"] and "VerbForm=Part" in feats and _possessed(nxt):
        return False
    if g["counted_genitive_next_blocks"] and "VerbForm=Part" in feats and nxt is not None \
            and nxt.upos == "NUM" and m.head + 2 < len(clause) \
            and "Case=Gen" in (clause[m.head + 2].feats or ""):
        return False
    return not any(low(t) in g["hedges"] for t in sentence)


def _possessed(tok: Token | None) -> bool:
    feats = (tok.feats or "") if tok is not None else ""
    return (tok is not None and tok.upos == "NOUN" and "Person[psor]=3" in feats
            and "Case=Nom" not in feats)
