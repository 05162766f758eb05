"""Language data of the text layer, loaded once from ``data/`` (abbreviations, suffixes, letters)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _lines(name: str) -> list[list[str]]:
    raw = resources.files("muragat.text").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@dataclass(frozen=True, slots=True)
class Abbreviation:
    text: str  # lower case, with its final dot: "ж."
    kind: str  # join | unit | end
    example: str


@cache
def abbreviations() -> dict[str, Abbreviation]:
    """Lower-cased abbreviation (with dot) -> entry."""
    out: dict[str, Abbreviation] = {}
    for row in _lines("abbreviations.tsv"):
        text, kind, example = row[0].strip().lower(), row[1].strip(), row[2].strip()
        if kind not in {"join", "unit", "end"}:
            raise ValueError(f"abbreviations.tsv: unknown class {kind!r} for {text!r}")
        out[text] = Abbreviation(text, kind, example)
    return out


@cache
def numeral_suffixes() -> dict[str, list[str]]:
    raw = resources.files("muragat.text").joinpath("data", "numeral_suffixes.json")
    data = json.loads(raw.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_") and k != "examples"}


@cache
def lookalikes() -> dict[str, str]:
    """Look-alike letter -> Kazakh Cyrillic letter."""
    return {row[0]: row[1] for row in _lines("lookalikes.tsv")}


@cache
def multiword_rules() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(endings of the first word, beginnings of the second word) for two-word verb forms."""
    raw = resources.files("muragat.text").joinpath("data", "multiword.json")
    data = json.loads(raw.read_text(encoding="utf-8"))
    return [(tuple(r["first_endings"]), tuple(r["second"])) for r in data["rules"]]
