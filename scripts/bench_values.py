"""Benchmark: how much the values + cite layers add to the text layer.

The acceptance sample is analysed N times (default 1,000 documents, one after another): the
text layer (muragat.text.annotate: tokens, sentences), then values + cite on the same document.
Prints both times (best of --rounds) and their ratio; the bar is < 10 %.

Run: .venv/bin/python scripts/bench_values.py [--n 1000] [--rounds 3] [--json] [--floor]

--floor also times the building blocks any Python implementation of these layers needs at
least once per document (a regex pass over the text, a vectorized digit scan, a set lookup of
the token forms, one Span per value found, the footer search), each as a share of the text
layer: the floor under the layers' cost, whatever their grammar does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import timeit
from pathlib import Path

import muragat.cite
import muragat.text
import muragat.values
from muragat.model import Document

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "samples/000_5736a8e420be0dde.txt"


def sample_text() -> str:
    for c in (os.environ.get("MURAGAT_SHARED"), REPO.parent / "shared"):
        if c and Path(c, SAMPLE).is_file():
            return Path(c, SAMPLE).read_text(encoding="utf-8")
    sys.exit("sample not found: set MURAGAT_SHARED to the shared folder")


def one_round(text: str, n: int) -> tuple[float, float, int]:
    """Documents are analysed one after another and dropped, as the pipeline streams them
    (keeping 1,000 analysed documents alive would time the garbage collector instead)."""
    t_text = t_vc = 0.0
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
        muragat.cite.annotate(d)
        t2 = clock()
        t_text += t1 - t0
        t_vc += t2 - t1
        spans += len(d.spans)
    return t_text, t_vc, spans


def floor(text: str, t_text_per_doc: float) -> list[tuple[str, float]]:
    """Seconds per document of each building block (best of 5 x 200)."""
    from muragat.cite.sections import find_footer
    from muragat.model import Span
    from muragat.values.scanner import _digit_runs, word_forms

    d = Document(text=text)
    muragat.text.annotate(d)
    muragat.values.annotate(d)
    n_values = sum(1 for s in d.spans if s.layer == "value")
    digits = re.compile(r"[0-9]+")
    forms = word_forms()
    norms = [tok.norm for tok in d.tokens]
    blocks = {
        "one regex pass [0-9]+ over the text": lambda: [m.start() for m in digits.finditer(text)],
        "digit runs, numpy over code points": lambda: _digit_runs(text, 0, len(text)),
        "set lookup of the token forms": lambda: forms.intersection(norms),
        f"{n_values} Span objects (one per value)": lambda: [
            Span("value", "CARDINAL", i, i + 1, {"value": i}) for i in range(n_values)
        ],
        "footer search (no cache)": lambda: find_footer.__wrapped__(text),
    }
    out = []
    for name, fn in blocks.items():
        best = min(timeit.repeat(fn, number=200, repeat=5)) / 200
        out.append((name, best / t_text_per_doc))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--floor", action="store_true", help="time the building blocks too")
    args = ap.parse_args()
    text = sample_text()
    # warm up: data files, regex compilation
    one_round(text, 2)
    rounds = [one_round(text, args.n) for _ in range(args.rounds)]
    t_text = min(r[0] for r in rounds)
    t_vc = min(r[1] for r in rounds)
    load = os.getloadavg()[0]
    out = {
        "docs": args.n,
        "chars": len(text) * args.n,
        "text_s": round(t_text, 3),
        "values_cite_s": round(t_vc, 3),
        "ratio": round(t_vc / t_text, 4),
        "spans_per_doc": rounds[0][2] // args.n,
        "load1": round(load, 2),
    }
    if args.floor:
        out["floor"] = {k: round(v, 4) for k, v in floor(text, t_text / args.n)}
    if args.json:
        print(json.dumps(out))
        return 0
    print(
        f"sample x {args.n} documents ({out['chars'] / 1e6:.1f} M chars), best of {args.rounds}, load {load:.2f}"
    )
    print(f"{'text layer (tokens, sentences)':34} {t_text:8.3f} s")
    print(f"{'values + cite layers':34} {t_vc:8.3f} s")
    print(f"{'ratio (bar: < 10 %)':34} {100 * t_vc / t_text:7.2f} %")
    if args.floor:
        print("building blocks, share of the text layer's time per document:")
        for name, share in out["floor"].items():
            print(f"  {name:40} {100 * share:6.2f} %")
        print(f"  {'sum':40} {100 * sum(out['floor'].values()):6.2f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
