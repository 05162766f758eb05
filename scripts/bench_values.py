"""Benchmark: how much the values + cite layers add to the text layer.

The acceptance sample is analysed N times (default 1,000 documents, one after another): the
text layer (muragat.text.annotate: tokens, sentences), then values + cite on the same document.
Prints the times (best of --rounds), the two layers apart, and the ratio. (Both layers are
Python only since their compiled twins were removed: over the whole pipeline they cost about
1 %, see scripts/bench_pipeline.py.)

Run: .venv/bin/python scripts/bench_values.py [--n 1000] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "samples/000_5736a8e420be0dde.txt"


def sample_text() -> str:
    for c in (os.environ.get("MURAGAT_SHARED"), REPO.parent / "shared"):
        if c and Path(c, SAMPLE).is_file():
            return Path(c, SAMPLE).read_text(encoding="utf-8")
    sys.exit("sample not found: set MURAGAT_SHARED to the shared folder")


def one_round(text: str, n: int) -> tuple[float, float, float, int]:
    """Documents are analysed one after another and dropped, as the pipeline streams them
    (keeping 1,000 analysed documents alive would time the garbage collector instead)."""
    import muragat.cite
    import muragat.text
    import muragat.values
    from muragat.model import Document

    t_text = t_values = t_cite = 0.0
    spans = 0
    clock = time.perf_counter
    # three variants (trailing spaces) so that no cache can carry work from one document to the
    # next: the footer finder is cached for the values -> cite hand-over within one document
    variants = [text + " " * k for k in range(3)]
    for i in range(n):
        d = Document(text=variants[i % 3])
        t0 = clock()
        muragat.text.annotate(d)
        t1 = clock()
        muragat.values.annotate(d)
        t2 = clock()
        muragat.cite.annotate(d)
        t3 = clock()
        t_text += t1 - t0
        t_values += t2 - t1
        t_cite += t3 - t2
        spans += len(d.spans)
    return t_text, t_values, t_cite, spans


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    text = sample_text()
    # warm up: data files, regex compilation
    one_round(text, 2)
    rounds = [one_round(text, args.n) for _ in range(args.rounds)]
    t_text = min(r[0] for r in rounds)
    t_values = min(r[1] for r in rounds)
    t_cite = min(r[2] for r in rounds)
    t_vc = min(r[1] + r[2] for r in rounds)
    load = os.getloadavg()[0]
    out = {
        "docs": args.n,
        "chars": len(text) * args.n,
        "text_s": round(t_text, 3),
        "values_s": round(t_values, 3),
        "cite_s": round(t_cite, 3),
        "values_cite_s": round(t_vc, 3),
        "ratio": round(t_vc / t_text, 4),
        "spans_per_doc": rounds[0][3] // args.n,
        "load1": round(load, 2),
    }
    if args.json:
        print(json.dumps(out))
        return 0
    print(
        f"sample x {args.n} documents ({out['chars'] / 1e6:.1f} M chars), best of {args.rounds}, "
        f"load {load:.2f}"
    )
    print(f"{'text layer (tokens, sentences)':34} {t_text:8.3f} s")
    print(f"{'values layer':34} {t_values:8.3f} s")
    print(f"{'cite layer':34} {t_cite:8.3f} s")
    print(f"{'values + cite layers':34} {t_vc:8.3f} s")
    print(f"{'ratio to the text layer':34} {100 * t_vc / t_text:7.2f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
