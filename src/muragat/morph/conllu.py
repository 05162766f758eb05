"""Minimal CoNLL-U reading for training and evaluation (syntactic word lines only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Word:
    form: str
    lemma: str
    upos: str
    feats: str  # "" for "_"


def read_conllu(path: str | Path) -> list[list[Word]]:
    sents: list[list[Word]] = []
    cur: list[Word] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10 or "-" in cols[0] or "." in cols[0]:
            continue
        cur.append(Word(cols[1], cols[2], cols[3], "" if cols[5] == "_" else cols[5]))
    if cur:
        sents.append(cur)
    return sents
