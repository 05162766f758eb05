"""Build src/muragat/morph/data/endings.marisa: the morphotactics of data/tactics.json realized
into every concrete ending (the reference walk of muragat.morph.tactics), packed into one
memory-mapped trie that a process opens in milliseconds. Deterministic: the same tactics give
the same file. Run after any change to tactics.json (the analyzer refuses a stale index).

    python scripts/build_endings.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import marisa_trie

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from muragat import artifacts  # noqa: E402
from muragat.morph import endings as E  # noqa: E402
from muragat.morph.analyzer import _nominal_feats  # noqa: E402
from muragat.morph.tactics import build_ending_index  # noqa: E402

OUT = ROOT / "src" / "muragat" / "morph" / E.ARTIFACT


def generator_table(idx: dict) -> dict[tuple[str, str], list]:  # type: ignore[type-arg]
    """(UPOS, UD features) -> the plain endings that realize them (no derivation, no merge)."""
    out: dict[tuple[str, str], list] = {}  # type: ignore[type-arg]
    for text, ends in idx.items():
        for e in ends:
            if e.lemma_ext or e.cls in ("Yi", "Yu", "Ju"):
                continue
            for upos in (("VERB",) if e.start == "V0" else ("NOUN", "ADJ")):
                out.setdefault((upos, _nominal_feats(e, upos)), []).append((text, e))
    return out


def main() -> int:
    t0 = time.perf_counter()
    idx = build_ending_index()
    feats = sorted({e.feats for ends in idx.values() for e in ends})
    feats_id = {f: i for i, f in enumerate(feats)}
    meta = {"format": E.FORMAT_VERSION, "tactics": E.tactics_hash(), "feats": feats,
            "max_len": max(len(k) for k in idx)}
    items = [("M", json.dumps(meta, ensure_ascii=False).encode("utf-8"))]
    items += [("E" + text[::-1], E.encode_list(text, ends, feats_id)) for text, ends in idx.items()]
    for (upos, fs), pairs in generator_table(idx).items():
        items.append((f"G{upos}\t{fs}", E.encode_generator_list(pairs, feats_id)))
    trie = marisa_trie.BytesTrie(items)
    # every reading must come back exactly as the walk produced it, in the same order
    for text, ends in idx.items():
        assert E.decode_list(text, trie["E" + text[::-1]][0], feats) == ends, text
    OUT.write_bytes(trie.tobytes())
    artifacts.record("muragat.morph", [OUT.name])  # format, size, sha256 in data/MANIFEST.json
    print(f"{len(idx)} endings, {sum(len(v) for v in idx.values())} readings, "
          f"{len(feats)} feature sets -> {OUT.relative_to(ROOT)} "
          f"({OUT.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
