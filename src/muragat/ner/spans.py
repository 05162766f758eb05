"""IOB2 label repair and label-sequence -> entity ranges."""

from __future__ import annotations


def repair(labels: list[str]) -> list[str]:
    """Make a sequence consistent IOB2: an I-X not continuing an X entity becomes B-X."""
    out: list[str] = []
    prev_cls = ""
    for lab in labels:
        tag, _, cls = lab.partition("-")
        if tag == "I" and cls != prev_cls:
            lab = "B-" + cls
        elif tag not in ("B", "I"):
            lab, cls = "O", ""
        out.append(lab)
        prev_cls = cls
    return out


def entities(labels: list[str]) -> list[tuple[str, int, int]]:
    """(class, first, last+1) token ranges of a repaired IOB2 sequence, in order."""
    out: list[tuple[str, int, int]] = []
    for i, lab in enumerate(repair(labels)):
        if lab.startswith("B-"):
            out.append((lab[2:], i, i + 1))
        elif lab.startswith("I-"):
            cls, a, _ = out[-1]
            out[-1] = (cls, a, i + 1)
    return out
