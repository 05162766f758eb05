"""Benchmark: documents per second through the whole pipeline, serial vs parallel engines.

A corpus of N documents is made from the team's demo texts (each copy numbered, so no two are
the same text), written as one .jsonl file, and analysed into a JSON-lines output by each
engine in turn, each in a fresh Python process (no engine inherits another's loaded models):
serial, local processes, and Ray when it is installed. Model loading is included: that is
what a user waits for.

Run: .venv/bin/python scripts/bench_batch.py [--docs 200] [--workers 2] [--engines serial,local,ray]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from muragat.batch import analyse_to_jsonl, make_engine

REPO = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, n: int) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "demo").glob("*.txt"))]
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"{texts[i % len(texts)]}\nҚұжат нөмірі {i + 1}.\n"
            fh.write(json.dumps({"text": text, "id": i}, ensure_ascii=False) + "\n")
    return path


def run(engine_name: str, workers: int, corpus: Path, folder: Path) -> dict[str, float]:
    out = folder / f"out-{engine_name}.jsonl"
    began = time.perf_counter()
    with make_engine(engine_name, workers) as engine:
        report = analyse_to_jsonl(out, [corpus], engine, chunk_size=8)
    seconds = time.perf_counter() - began
    return {"docs": report.added, "failed": len(report.failures), "seconds": round(seconds, 2),
            "docs_per_second": round(report.added / seconds, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engines", default="serial,local,ray")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:  # a child process: one engine, its result as JSON
        name, corpus_path = args.one
        workers = 1 if name == "serial" else args.workers
        print(json.dumps(run(name, workers, Path(corpus_path), Path(corpus_path).parent)))
        return 0
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = make_corpus(folder, args.docs)
        for name in args.engines.split(","):
            if name == "ray":
                try:
                    import ray  # noqa: F401
                except ImportError:
                    print("ray: not installed (pip install 'muragat[batch]'), skipped")
                    continue
            workers = 1 if name == "serial" else args.workers
            child = subprocess.run(
                [sys.executable, __file__, "--one", name, str(corpus),
                 "--workers", str(args.workers)],
                capture_output=True, text=True, check=True)
            results[f"{name} x{workers}"] = json.loads(child.stdout.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"results": results, "cpus": os.cpu_count(), "load1": round(load, 2)}))
        return 0
    print(f"{args.docs} documents (demo texts, full pipeline), {os.cpu_count()} CPUs, "
          f"load {load:.2f} at the end")
    print(f"{'engine':14} {'docs':>6} {'seconds':>8} {'docs/s':>8}")
    for name, r in results.items():
        print(f"{name:14} {r['docs']:6.0f} {r['seconds']:8.2f} {r['docs_per_second']:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
