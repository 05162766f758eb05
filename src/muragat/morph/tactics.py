"""Kazakh morphotactics in data/tactics.json, and their realization into concrete endings.

Every suffix chain is realized for each harmony (back/front) and each class of stem-final
segment, so analysis is a dictionary lookup of the word's tail plus a lexicon check of the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from muragat.morph import phonology

STEM_CLASSES = ("V", "R", "L", "Z", "N", "T")


@dataclass(frozen=True, slots=True)
class Ending:
    start: str  # "N0" nominal stem or "V0" verb stem
    harmony: int  # 0 back, 1 front
    cls: str  # stem-final class, or a merge mark (Yi, Yu, Ju)
    feats: tuple[tuple[str, str], ...]
    morphs: tuple[str, ...]
    lemma_ext: str  # derivational material that stays in the lemma
    pos: str  # "" or the POS a derivation forces (NOUN/ADJ/VERB)
    final: str  # "nom": add Case=Nom to nominals; "nomcase": Case=Nom for gerunds


@cache
def tactics() -> dict[str, Any]:
    raw = resources.files("muragat.morph").joinpath("data/tactics.json").read_text("utf-8")
    return json.loads(raw)


def char_class() -> dict[str, str]:
    """Letter -> stem-final class (the one definition is muragat.morph.phonology)."""
    return phonology.final_classes()


def harmony_of(stem: str) -> tuple[int, ...]:
    """Harmony classes a stem allows (muragat.morph.phonology.harmony)."""
    return phonology.harmony(stem)


def _pick(forms: dict[str, str], cls: str, ctx: str) -> str | None:
    keyed: dict[str, str] = {}
    for keys, form in forms.items():
        for k in keys.split():
            keyed[k] = form
    if ctx and ctx in keyed:
        return keyed[ctx]
    if cls in keyed:
        return keyed[cls]
    return keyed.get("*")


def _walk(start: str, harmony: int, cls: str, only: frozenset[str] | None = None,
          chains: list[tuple[str, tuple[str, ...]]] | None = None, ctx: str = ""
          ) -> list[tuple[str, Ending]]:
    """Every ending from `start` (with `only`: through arcs of these names alone; `chains`
    then also receives each ending with the names of the arcs that made it; `ctx`: the
    context mark the walk starts in, P3 after a 3rd-person possessive)."""
    t = tactics()
    cc = char_class()
    arcs = [a for a in t["arcs"] if only is None or a["name"] in only]
    finals = t["finals"]
    voicing = phonology.voicing()
    out: list[tuple[str, Ending]] = []

    def rec(state: str, text: str, ctx: str, feats: dict[str, str], morphs: tuple[str, ...],
            ext: str, pos: str, used: frozenset[str], depth: int,
            names: tuple[str, ...] = ()) -> None:
        if state in finals:
            out.append((text, Ending(start, harmony, cls, tuple(sorted(feats.items())), morphs,
                                     ext, pos, finals[state])))
            if chains is not None:
                chains.append((text, names))
        if depth > 6:
            return
        for arc in arcs:
            if state not in arc["from"] or arc["name"] + arc["to"] in used:
                continue
            last_cls = cc.get(text[-1], "T") if text else cls
            form = _pick(arc["forms"], last_cls, ctx)
            if form is None:
                continue
            surf = phonology.realize(form, harmony)
            base, bmorphs = text, morphs
            if surf[:1] and phonology.is_vowel(surf[0]) and text[-1:] in voicing:
                base = text[:-1] + voicing[text[-1]]  # -дық+ы -> -дығы
                if morphs and morphs[-1][-1:] in voicing:
                    bmorphs = morphs[:-1] + (morphs[-1][:-1] + voicing[morphs[-1][-1]],)
            nf = dict(feats)
            nf.update(arc.get("feats", {}))
            is_lemma = arc.get("lemma", False)
            rec(arc["to"], base + surf, arc.get("ctx", ""), nf,
                bmorphs + (surf,) if surf else bmorphs,
                ext + surf if is_lemma else ext, arc.get("pos", pos),
                used | {arc["name"] + arc["to"]}, depth + 1, names + (arc["name"],))

    rec(start, "", ctx, {}, (), "", "", frozenset(), 0)
    return out


@cache
def noun_endings(arcs: frozenset[str], needs: frozenset[str] = frozenset(),
                 after_possessive: bool = False) -> frozenset[str]:
    """Every ending a nominal stem takes through chains of these arcs (`pl`, `p3`, `gen`,
    `loc`, `attr` ...: tactics.json names), for both harmonies and every stem class; with
    `needs`, only chains holding one of those arcs; `after_possessive` adds the case forms a
    possessed word takes (`комитеті` + `не`). What other layers strip off or add to a name
    (`Тоғжановтың`, `Мақалада`) is read here, never written out a second time."""
    out: set[str] = set()
    starts = [("N0", "")] + ([("N2", "P3")] if after_possessive else [])
    for harmony in (0, 1):
        for cls in STEM_CLASSES:
            for state, ctx in starts:
                chains: list[tuple[str, tuple[str, ...]]] = []
                _walk(state, harmony, cls, only=arcs, chains=chains, ctx=ctx)
                out.update(text for text, names in chains
                           if text and (not needs or needs.intersection(names)))
    return frozenset(out)


def build_ending_index() -> dict[str, tuple[Ending, ...]]:
    """ending string -> all ways to read it (per harmony, stem class, stem kind).

    The reference realization of the tactics, about 10 s of Python: it runs at build time
    (scripts/build_endings.py), and the analyzer reads its result from the shipped
    `muragat.morph.endings` trie."""
    idx: dict[str, list[Ending]] = {}
    for start in ("N0", "V0"):
        for h in (0, 1):
            for cls in STEM_CLASSES:
                for text, end in _walk(start, h, cls):
                    idx.setdefault(text, []).append(end)
                    if cls == "V" and start == "V0" and text[:1] in ("й", "у"):
                        # оқы+йды -> оқиды, оқы+у -> оқу: the stem's ы/і merges with the suffix
                        mark = "Yi" if text[0] == "й" else "Yu"
                        key = ("и" + text[1:]) if mark == "Yi" else text
                        idx.setdefault(key, []).append(_remark(end, mark))
                    if cls == "R" and start == "V0" and text[:1] == "у":
                        idx.setdefault("ю" + text[1:], []).append(_remark(end, "Ju"))  # сүй+у
    return {k: tuple(dict.fromkeys(v)) for k, v in idx.items()}


def _remark(end: Ending, mark: str) -> Ending:
    return Ending(end.start, end.harmony, mark, end.feats, end.morphs, end.lemma_ext, end.pos,
                  end.final)
