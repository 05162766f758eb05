"""Reading and checking the hand-written value cases (tests/data/value_cases.tsv) and the
sample gold; shared by the tests and scripts/eval_values.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from muragat.model import Span
from muragat.values import parse


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    label: str
    value: Any  # "?" = no confident value
    mod: str
    note: str


def load_cases(path: Path) -> list[Case]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 5
        text, label, raw, mod, note = cols[:5]
        value = "?" if raw == "?" else json.loads(raw)
        out.append(Case(text.replace("\\n", "\n"), label, value, mod, note))
    return out


def confident(span: Span) -> bool:
    return "value" in span.attrs and not span.attrs.get("uncertain")


def check(case: Case, spans: list[Span] | None = None) -> str | None:
    """None when the case passes, else what went wrong."""
    spans = parse(case.text) if spans is None else spans
    if case.label == "NONE":
        bad = [s for s in spans if confident(s)]
        return f"unexpected {bad[0].label} {bad[0].attrs}" if bad else None
    hits = [s for s in spans if s.label == case.label]
    if case.value == "?":
        if hits and confident(hits[0]):
            return f"confident value {hits[0].attrs} for an impossible input"
        return None
    if not hits:
        return f"no {case.label} span; got {[(s.label, s.attrs) for s in spans]}"
    got = hits[0].attrs
    if got.get("value") != case.value or got.get("uncertain"):
        return f"value {got.get('value')!r} != {case.value!r} ({got})"
    if (got.get("mod") or "") != case.mod:
        return f"mod {got.get('mod')!r} != {case.mod!r}"
    return None
