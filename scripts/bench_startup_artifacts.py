"""Start-up cost of the artifact checks (issue 22): `muragat analyze` on a one-sentence file as a
process, the current tree against a copy of the tree from before (--before SRC, a src/ folder),
interleaved; and the in-process time of every load-time check.

    git archive <commit> src | tar -x -C /tmp/before     # the tree to compare with
    .venv/bin/python scripts/bench_startup_artifacts.py --before /tmp/before/src [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "muragat"


def run(env: dict[str, str], text: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(CLI), "analyze", str(text), "-o", os.devnull], env=env, check=True)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--before", type=Path, help="a src/ folder of the tree before the change")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import muragat.morph
    import muragat.ner  # noqa: F401  (imported first: the checks, not the imports, are timed)
    from muragat import artifacts

    t0 = time.perf_counter()
    for package in ("muragat.morph", "muragat.ner"):
        artifacts.require_all(package)
    print(f"load-time checks of {len(artifacts.ARTIFACTS)} artifacts (cold): "
          f"{(time.perf_counter() - t0) * 1e3:.2f} ms")
    t0 = time.perf_counter()
    errors, _ = artifacts.verify()
    print(f"full verify (sha256 of every file): {(time.perf_counter() - t0) * 1e3:.0f} ms, "
          f"{len(errors)} errors")
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "one.txt"
        text.write_text("Тоғжанов 1929 жылы комиссияны басқарды.\n", encoding="utf-8")
        now, before = [], []
        for _ in range(args.runs):
            if args.before:
                before.append(run({**os.environ, "PYTHONPATH": str(args.before)}, text))
            now.append(run(dict(os.environ), text))
    for name, xs in (("before", before), ("now", now)):
        if xs:
            print(f"{name:7s} muragat analyze, one sentence: min {min(xs):.2f} s, "
                  f"median {statistics.median(xs):.2f} s over {len(xs)} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
