"""The acceptance sample against the hand-written gold (tests/data/sample_values_gold.tsv)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import muragat.cite
import muragat.text
import muragat.values
from muragat.model import Document

GOLD = Path(__file__).parent / "data" / "sample_values_gold.tsv"


def gold_rows() -> list[list[str]]:
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append((line.split("\t") + [""] * 5)[:5])
    return rows


def test_gold_has_every_kind() -> None:
    labels = {r[2] for r in gold_rows()}
    assert labels == {"DATE", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENTAGE"}


def test_sample_values_match_gold(sample_text: str) -> None:
    doc = muragat.text.annotate(Document(text=sample_text))
    doc = muragat.cite.annotate(muragat.values.annotate(doc))
    starts = [0] + [m.end() for m in re.finditer("\n", sample_text)]
    got = {(s.start, s.end): s for s in doc.spans_of("value")}
    misses = []
    for line, surface, label, raw, mod in gold_rows():
        surface = surface.replace("\\n", "\n")
        m = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)").search(
            sample_text, starts[int(line) - 1]
        )
        span = got.get((m.start(), m.end())) if m else None
        ok = span is not None and span.label == label and span.attrs.get("value") == json.loads(raw)
        if not ok or (span.attrs.get("mod") or "") != mod:
            misses.append((line, surface))
    assert misses == []
    assert len(got) == len(gold_rows())  # nothing extra either
