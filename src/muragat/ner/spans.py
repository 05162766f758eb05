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


def to_bioes(labels: list[str]) -> list[str]:
    """IOB2 -> BIOES: the last token of an entity is E-, a one-token entity S-.

    Training on BIOES lets the CRF learn where entities end and which stand alone, which
    IOB2 leaves implicit (notes/issue-4-ner.md: +0.6 F1 for one member)."""
    out: list[str] = []
    seq = repair(labels)
    for i, lab in enumerate(seq):
        tag, _, cls = lab.partition("-")
        if tag == "O":
            out.append("O")
            continue
        goes_on = i + 1 < len(seq) and seq[i + 1] == "I-" + cls
        out.append(("B-" if goes_on else "S-") + cls if tag == "B" else ("I-" if goes_on else "E-") + cls)
    return out


def from_bioes(labels: list[str]) -> list[str]:
    """BIOES -> IOB2 (repaired: a stray I-/E- opens its entity)."""
    return repair([("B-" if lab[:2] == "S-" else "I-" if lab[:2] == "E-" else lab[:2]) + lab[2:]
                   if lab != "O" else "O" for lab in labels])


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


def vote(sequences: list[list[str]]) -> list[str]:
    """Entity-level majority vote of several taggers' label sequences (same length).

    An entity (class and exact range) is kept when more than half of the taggers found it; with
    three taggers two such entities cannot overlap. A single sequence is returned repaired.
    """
    if len(sequences) == 1:
        return repair(sequences[0])
    counts: dict[tuple[str, int, int], int] = {}
    for seq in sequences:
        for ent in entities(seq):
            counts[ent] = counts.get(ent, 0) + 1
    out = ["O"] * len(sequences[0])
    need = len(sequences) // 2 + 1
    for (cls, a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1])):
        if n >= need and all(lab == "O" for lab in out[a:b]):
            out[a:b] = ["B-" + cls] + ["I-" + cls] * (b - a - 1)
    return out
