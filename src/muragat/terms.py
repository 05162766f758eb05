"""Index terms and mention keys: what the store indexes and what search and entity
consolidation compare. A leaf module, so that the store and search share it without importing
each other."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+")
PERSON = "PERSON"


def terms(text: str) -> list[str]:
    """Lowercased letter/digit runs: the unit of every index and every query."""
    return WORD.findall(text.lower())


def mention_key(label: str, name: str) -> str:
    """What mentions of one entity share: a person's surname, else the whole base form."""
    words = terms(name)
    if not words:
        return ""
    if label == PERSON:
        full = [w for w in words if len(w) > 1]
        return (full or words)[-1]
    return " ".join(words)


def initial(label: str, name: str) -> str | None:
    """First letter of a person's first name (`Ғ. Тоғжанов`, `Ғаббас Тоғжанов` -> `ғ`)."""
    words = terms(name)
    if label != PERSON or len(words) < 2:
        return None
    return words[0][0]
