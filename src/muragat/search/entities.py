"""Entity mentions consolidated into entities across inflections, initials and documents.

`Ғ. Тоғжанов`, `Ғаббас Тоғжанов` and `Тоғжановтың` are one person: a person's key is the
surname; first names reduce to their initial, and a bare surname joins the one person with
that surname when there is only one. A mention that arrives inflected (no base form from
NER or morphology) folds into a shorter key when what is left is a nominal ending.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from muragat.terms import PERSON, initial, terms

_MIN_ROOT = 4  # shorter roots fold too eagerly (`Ата` + `ның`)


@functools.cache
def endings() -> frozenset[str]:
    raw = resources.files("muragat.search").joinpath("data/endings.txt").read_text("utf-8")
    return frozenset(ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#"))


def fold(key: str, shorter: set[str]) -> str:
    """`key` without a nominal ending if what is left is another known key."""
    head, _, last = key.rpartition(" ")
    prefix = head + " " if head else ""
    for cut in range(1, min(len(last) - _MIN_ROOT, 8) + 1):
        root, tail = last[:-cut], last[-cut:]
        if tail in endings() and prefix + root in shorter:
            return prefix + root
    return key


@dataclass(slots=True)
class MentionGroup:
    """Mentions of one (label, key, name) in one document, as the store groups them."""

    label: str
    key: str
    name: str
    document: int
    mentions: int


@dataclass(slots=True)
class Entity:
    id: str
    label: str
    name: str
    mentions: int
    documents: int
    names: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "type": self.label, "name": self.name, "mentions": self.mentions,
                "documents": self.documents, "names": self.names}


def _best_name(names: Counter[str], label: str) -> str:
    """A full first name beats an initial; then the most frequent; then the longest."""
    def score(item: tuple[str, int]) -> tuple[int, int, int]:
        words = terms(item[0])
        full = int(label == PERSON and len(words) > 1 and len(words[0]) > 1)
        return (full, item[1], len(item[0]))

    return max(names.items(), key=score)[0]


def consolidate(groups: Iterable[MentionGroup]) -> list[Entity]:
    """Entities, most mentioned first."""
    by_label: dict[str, list[MentionGroup]] = defaultdict(list)
    for g in groups:
        if g.key:
            by_label[g.label].append(g)
    out: list[Entity] = []
    for label, items in by_label.items():
        keys = sorted({g.key for g in items}, key=len)
        known: set[str] = set()
        root: dict[str, str] = {}
        for k in keys:
            folded = fold(k, known)
            root[k] = root.get(folded, folded)
            known.add(k)
        buckets: dict[tuple[str, str | None], list[MentionGroup]] = defaultdict(list)
        for g in items:
            buckets[(root[g.key], initial(label, g.name))].append(g)
        # A bare surname joins the only person with that surname and some initial.
        initials: dict[str, set[str]] = defaultdict(set)
        for k, ini in buckets:
            if ini is not None:
                initials[k].add(ini)
        for (k, ini) in list(buckets):
            if ini is None and len(initials[k]) == 1:
                only = next(iter(initials[k]))
                buckets[(k, only)].extend(buckets.pop((k, None)))
        for (k, ini), members in buckets.items():
            names: Counter[str] = Counter()
            docs = set()
            for g in members:
                names[g.name] += g.mentions
                docs.add(g.document)
            ident = f"{label}:{k}" + (f":{ini}" if ini else "")
            out.append(Entity(ident, label, _best_name(names, label), sum(names.values()),
                              len(docs), dict(names.most_common())))
    out.sort(key=lambda e: (-e.mentions, e.label, e.name))
    return out
