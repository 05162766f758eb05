"""Entity-level exact-match scoring with conlleval's rules (IOB2 and the I-after-O quirk)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


def chunks(labels: list[str]) -> set[tuple[str, int, int]]:
    """(class, start, end) entities; like conlleval, an I- that does not continue starts one."""
    out: set[tuple[str, int, int]] = set()
    cur: str | None = None
    start = 0
    for i, lab in enumerate([*labels, "O"]):
        tag, _, cls = lab.partition("-")
        continues = tag == "I" and cls == cur
        if cur is not None and not continues:
            out.add((cur, start, i))
            cur = None
        if tag in ("B", "I") and not continues:
            cur, start = cls, i
    return out


@dataclass
class Scores:
    tp: Counter
    pred: Counter
    gold: Counter

    @staticmethod
    def _prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return 100 * p, 100 * r, 100 * f

    def micro(self) -> tuple[float, float, float]:
        return self._prf(sum(self.tp.values()), sum(self.pred.values()), sum(self.gold.values()))

    def per_class(self) -> dict[str, tuple[float, float, float, int]]:
        classes = sorted(set(self.gold) | set(self.pred))
        return {c: (*self._prf(self.tp[c], self.pred[c], self.gold[c]), self.gold[c]) for c in classes}

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.tp + other.tp, self.pred + other.pred, self.gold + other.gold)


def score(gold: list[list[str]], pred: list[list[str]]) -> Scores:
    """Exact-match counts over sentences (gold and predicted label sequences)."""
    tp: Counter = Counter()
    np_: Counter = Counter()
    ng: Counter = Counter()
    for g, p in zip(gold, pred, strict=True):
        if len(g) != len(p):
            raise ValueError("gold and predicted sentences differ in length")
        gc, pc = chunks(g), chunks(p)
        ng.update(c for c, _, _ in gc)
        np_.update(c for c, _, _ in pc)
        tp.update(c for c, _, _ in gc & pc)
    return Scores(tp, np_, ng)
