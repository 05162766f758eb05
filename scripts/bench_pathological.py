"""Bounded cost per input (issue 25): `muragat analyze` on prose and on pathological text.

Runs the CLI as a process on 1, 2, 4 (8 with --sizes) MB of prose, built by repeating the
team-written demo documents (demo/) with the numbers varied on every copy so no cache sees the
same text twice, and on the same sizes of pathological input:

- long_token: one run of ``а`` (the issue's ``print('а'*2000000)``), no space at all;
- initials: ``Ғ.`` lines (each joins the next as an initial: one endless sentence before the
  text layer's sentence cap);
- numbers: ``1929 жылы 5 `` repeated without a sentence end (spans-per-sentence pressure);
- not run by default (``--kinds``), found by probing after the caps: ``digit_list``
  (``1,1,1,…``: one value per two characters) and ``glued`` (``Ғ.Тоғжанов,1929ж.`` without
  spaces), where the values and facts layers are superlinear in the document's spans.

Prints wall seconds and peak RSS per run (os.wait4: that child's own peak), seconds per MB and
the ratio of each pathological input's seconds/MB and RSS to prose of the same size. The bar:
within 2x of prose. Start-up (Python, models) is included and not subtracted.

    .venv/bin/python scripts/bench_pathological.py            # 1, 2, 4 MB
    .venv/bin/python scripts/bench_pathological.py --sizes 1,2,4,8 --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
MUR = str(Path(sys.executable).with_name("muragat"))


def prose(size: int) -> str:
    """`size` bytes (UTF-8) of the demo documents, every copy with its own numbers."""
    docs = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "demo").glob("*.txt"))]
    parts: list[str] = []
    n = used = 0
    while used < size:
        n += 1
        for doc in docs:
            # 1929 -> 1929+n mod 100 years, other numbers shifted by n: new text every copy
            copy = re.sub(r"\d+", lambda m, n=n: str(int(m.group()) + n), doc)
            parts.append(copy + "\n\n")
            used += len(copy.encode("utf-8")) + 2
    return _cut("".join(parts), size)


def pathological(kind: str, size: int) -> str:
    unit = {"long_token": "а", "initials": "Ғ.\n", "numbers": "1929 жылы 5 ", "digit_list": "1,",
            "glued": "Ғ.Тоғжанов,1929ж."}[kind]
    reps = size // len(unit.encode("utf-8")) + 1
    return _cut(unit * reps, size)


def _cut(text: str, size: int) -> str:
    data = text.encode("utf-8")[:size]
    return data.decode("utf-8", "ignore")


def run(path: Path, out: Path, layers: str | None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of `muragat analyze path -o out`."""
    began = time.perf_counter()
    extra = ["--layers", layers] if layers else []
    proc = subprocess.Popen([MUR, "analyze", str(path), "--to", "json", "-o", str(out),
                             "--max-mb", "64", *extra], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss: KiB on Linux


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,2,4", help="input sizes in MB, comma-separated")
    ap.add_argument("--kinds", default="long_token,initials,numbers")
    ap.add_argument("--layers", default=None,
                    help="layers to run (default: all); e.g. text,morph,ner")
    ap.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = ap.parse_args(argv)
    sizes = [float(x) for x in args.sizes.split(",")]
    kinds = ["prose", *args.kinds.split(",")]
    rows = []
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min), "
          f"{os.cpu_count()} CPUs; layers: {args.layers or 'all'}", flush=True)
    print(f"{'input':<12}{'MB':>5}{'seconds':>9}{'s/MB':>8}{'RSS MB':>8}{'x prose s':>10}"
          f"{'x prose RSS':>12}  rc", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        base: dict[float, tuple[float, float]] = {}
        for size in sizes:
            for kind in kinds:
                n = int(size * MB)
                text = prose(n) if kind == "prose" else pathological(kind, n)
                path = Path(tmp) / f"{kind}.txt"
                path.write_text(text, encoding="utf-8")
                seconds, rss, code = run(path, Path(tmp) / "out.json", args.layers)
                per_mb = seconds / size
                if kind == "prose":
                    base[size] = (per_mb, rss)
                ratio_s = per_mb / base[size][0]
                ratio_m = rss / base[size][1]
                rows.append({"input": kind, "mb": size, "seconds": round(seconds, 2),
                             "seconds_per_mb": round(per_mb, 2), "peak_rss_mb": round(rss, 1),
                             "x_prose_seconds": round(ratio_s, 2),
                             "x_prose_rss": round(ratio_m, 2), "exit": code})
                print(f"{kind:<12}{size:>5g}{seconds:>9.2f}{per_mb:>8.2f}{rss:>8.0f}"
                      f"{ratio_s:>10.2f}{ratio_m:>12.2f}  {code}", flush=True)
    worst_s = max(r["x_prose_seconds"] for r in rows)
    worst_m = max(r["x_prose_rss"] for r in rows)
    ok = worst_s <= 2 and worst_m <= 2 and all(r["exit"] == 0 for r in rows)
    print(f"worst: {worst_s:.2f}x prose seconds/MB, {worst_m:.2f}x prose peak RSS; "
          f"bar (<= 2x, exit 0): {'met' if ok else 'NOT met'}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
