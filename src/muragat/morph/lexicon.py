"""Stem lexicon (built by scripts/build_lexicon.py) and the hand-written closed-class table."""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

from muragat import artifacts


@cache
def stems() -> dict[str, str]:
    """stem -> classes: N nominal, V verb, I indeclinable."""
    raw = artifacts.require("muragat.morph", "lexicon.tsv.gz").read_bytes()
    out: dict[str, str] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        stem, _, cls = line.partition("\t")
        out[stem] = cls
    for _form, lemma, _upos, _feats in closed():
        out.setdefault(lemma, "I")
    return out


def pos_class(lex: str) -> str:
    """The POS-relevant part of a lexicon class string: A adjective, D adverb, N, V."""
    return "".join(c for c in "ADNV" if c in lex)


@cache
def closed() -> tuple[tuple[str, str, str, str], ...]:
    text = resources.files("muragat.morph").joinpath("data/closed.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        form, lemma, upos, feats = line.split("\t")
        rows.append((form, lemma, upos, "" if feats == "_" else feats))
    return tuple(rows)


@cache
def closed_index() -> dict[str, tuple[tuple[str, str, str], ...]]:
    idx: dict[str, list[tuple[str, str, str]]] = {}
    for form, lemma, upos, feats in closed():
        idx.setdefault(form, []).append((lemma, upos, feats))
    return {k: tuple(dict.fromkeys(v)) for k, v in idx.items()}  # a repeated row reads once


@cache
def closed_stems() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Pronoun and numeral stems that take regular suffixes (өз-ін-дей, екеу-і, бұлар-дың)."""
    idx: dict[str, list[tuple[str, str, str]]] = {}
    for form, lemma, upos, feats in closed():
        if upos in ("PRON", "NUM") and (form == lemma or "Number=Plur" in feats):
            if "Case=" in feats and not feats.startswith("Case=Nom"):
                continue
            kept = "|".join(f for f in feats.split("|") if f and not f.startswith("Case="))
            idx.setdefault(form, []).append((lemma, upos, kept))
    return {k: tuple(dict.fromkeys(v)) for k, v in idx.items()}
