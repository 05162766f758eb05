"""Build docNN.txt + docNN.json from the hand-marked docNN.ann of a split.

A mention is written `[text]{LABEL:cluster}` (LABEL: P person, O organisation, G GPE, L location),
`[ол]{P:cluster:pron}` for a pronoun. Run: `python scripts/data/entities_gold/build.py`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[([^\]]+)\]\{([PGOL]):([a-z0-9_]+)(:pron)?\}")
LABELS = {"P": "PERSON", "O": "ORGANISATION", "G": "GPE", "L": "LOCATION"}
CITE = re.compile(r"\[\d[^\[\]{}]*\]")  # a source reference such as `[3, 41-б.]`, kept as text


def parse(marked: str) -> tuple[str, list[dict[str, object]]]:
    """Plain text and its mentions (character offsets into the plain text)."""
    out: list[str] = []
    mentions: list[dict[str, object]] = []
    pos = 0  # in the plain text
    last = 0  # in the marked text
    for m in MARK.finditer(marked):
        chunk = marked[last : m.start()]
        out.append(chunk)
        pos += len(chunk)
        text = m.group(1)
        mention: dict[str, object] = {"start": pos, "end": pos + len(text), "text": text,
                                      "label": LABELS[m.group(2)], "cluster": m.group(3)}
        if m.group(4):
            mention["pronoun"] = True
        mentions.append(mention)
        out.append(text)
        pos += len(text)
        last = m.end()
    out.append(marked[last:])
    plain = "".join(out)
    if "[" in CITE.sub("", plain) or "]{" in plain:
        raise ValueError("unparsed mark-up left in the text")
    return plain, mentions


def main() -> None:
    for ann in sorted(HERE.glob("*/doc*.ann")):
        plain, mentions = parse(ann.read_text("utf-8"))
        for m in mentions:
            assert plain[m["start"] : m["end"]] == m["text"]  # type: ignore[misc]
        ann.with_suffix(".txt").write_text(plain, "utf-8")
        ann.with_suffix(".json").write_text(
            json.dumps({"document": ann.stem, "mentions": mentions}, ensure_ascii=False,
                       indent=1) + "\n", "utf-8")
        print(ann.parent.name, ann.stem, len(mentions))


if __name__ == "__main__":
    main()
