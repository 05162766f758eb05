"""Benchmark: the whole pipeline on text it has never seen, through the `muragat` command.

The corpus is a stream of documents that never repeat: KazNERD sentences (IOB2_valid, tokens
joined by spaces) ten to a document, then the sample article's paragraphs. Every figure but the
per-layer table comes from `muragat` run as a process, model loading and start-up included:

- start-up: `muragat --help`, and `muragat analyze` of a one-sentence file, process start to exit;
- `muragat batch DOCS -o out.jsonl --workers 1` and `--workers 2`, `muragat ingest --workers 1`
  and `--workers 2` into a new SQLite store: tokens/s (tokens counted in the output), the
  speed-up of two workers, and peak RSS of the largest process (ru_maxrss of the children);
- the per-layer profile is taken in this process (each layer's `annotate` timed on the same
  documents, caches empty at the start: labelled), and a warm-cache figure (the same documents
  a second time) is printed beside it, labelled as such.

Run: .venv/bin/python scripts/bench_pipeline.py [--docs 400] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
MURAGAT = str(REPO / ".venv" / "bin" / "muragat")


def shared() -> Path:
    return Path(os.environ.get("MURAGAT_SHARED", REPO.parent / "shared"))


def kaznerd_sentences(path: Path) -> list[str]:
    out, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                out.append(" ".join(cur))
                cur = []
            continue
        cur.append(line.split()[0])
    if cur:
        out.append(" ".join(cur))
    return out


def corpus(n_docs: int) -> list[str]:
    sents = kaznerd_sentences(shared() / "data" / "kaznerd" / "IOB2_valid.txt")
    docs = [" ".join(sents[i:i + 10]) for i in range(0, len(sents), 10)]
    sample = (shared() / "samples" / "000_5736a8e420be0dde.txt").read_text(encoding="utf-8")
    paras = [p for p in sample.split("\n\n") if p.strip()] or sample.splitlines()
    chunk = max(1, len(paras) // 10)
    sample_docs = ["\n".join(paras[i:i + chunk]) for i in range(0, len(paras), chunk)]
    docs = docs[:max(0, n_docs - len(sample_docs))] + sample_docs
    if len(set(docs)) != len(docs):
        raise SystemExit("the corpus repeats a document")
    return docs


def timed(cmd: list[str]) -> float:
    began = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return took


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def count_tokens(jsonl: Path) -> int:
    return sum(len(json.loads(line).get("tokens", [])) for line in jsonl.open(encoding="utf-8"))


def in_process_profile(docs: list[str]) -> dict[str, float]:
    from muragat import pipeline
    from muragat.model import Document

    times = dict.fromkeys(pipeline.DEFAULT_LAYERS, 0.0)
    tokens = 0
    for text in docs:
        doc = Document(text=text)
        for name in pipeline.DEFAULT_LAYERS:
            began = time.perf_counter()
            doc = pipeline.layer(name)(doc)
            times[name] += time.perf_counter() - began
        tokens += len(doc.tokens)
    return {**times, "tokens": tokens}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400, help="documents in the stream")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    docs = corpus(args.docs)
    res: dict[str, object] = {"docs": len(docs), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = folder / "one.txt"
        one.write_text("1929 жылы Ғ. Тоғжановтың басшылығымен комиссия құрылды.\n", "utf-8")
        res["help_s"] = min(timed([MURAGAT, "--help"]) for _ in range(3))
        res["one_sentence_s"] = min(timed([MURAGAT, "analyze", str(one), "--to", "json"])
                                    for _ in range(3))
        src = folder / "docs.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(docs):
                fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        for mode in ("batch", "ingest"):
            for workers in (1, 2):
                out = folder / f"{mode}-{workers}"
                cmd = [MURAGAT, mode, str(src), "--workers", str(workers), "--no-progress"]
                cmd += ["-o", str(out) + ".jsonl"] if mode == "batch" else ["--db", str(out) + ".db"]
                res[f"{mode}_{workers}_s"] = timed(cmd)
                if mode == "batch" and workers == 1:
                    res["tokens"] = count_tokens(Path(str(out) + ".jsonl"))
        res["peak_rss_mb"] = round(peak_rss_mb(), 1)
    cold = in_process_profile(docs)
    warm = in_process_profile(docs)
    res["profile_cold"] = cold
    res["profile_warm"] = warm
    res["load1"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
        return 0
    tokens = int(res["tokens"])  # type: ignore[call-overload]
    print(f"{len(docs)} documents never seen before ({tokens} tokens: KazNERD sentences ten to a "
          f"document, then the sample article's paragraphs), {res['cpus']} CPUs, "
          f"load {res['load1']} at the end")
    print(f"start-up: muragat --help {res['help_s']:.2f} s; muragat analyze of one sentence, "
          f"process start to exit {res['one_sentence_s']:.2f} s (best of 3)")
    print("| command (a process, start-up included) | seconds | tokens/s | vs 1 worker |")
    print("|---|---:|---:|---:|")
    for mode in ("batch", "ingest"):
        base = float(res[f"{mode}_1_s"])  # type: ignore[arg-type]
        for workers in (1, 2):
            took = float(res[f"{mode}_{workers}_s"])  # type: ignore[arg-type]
            print(f"| muragat {mode} --workers {workers} | {took:.1f} | {tokens / took:,.0f} | "
                  f"{base / took:.2f}x |")
    print(f"peak RSS of one process: {res['peak_rss_mb']} MB")
    total_cold = sum(v for k, v in cold.items() if k != "tokens")
    total_warm = sum(v for k, v in warm.items() if k != "tokens")
    print("\nper layer, in this process (not the CLI): caches empty at the start; warm cache "
          "(the same documents again) beside it")
    print("| layer | seconds | share | tokens/s | warm-cache tokens/s |")
    print("|---|---:|---:|---:|---:|")
    for name in (k for k in cold if k != "tokens"):
        print(f"| {name} | {cold[name]:.2f} | {100 * cold[name] / total_cold:.1f} % | "
              f"{tokens / max(cold[name], 1e-9):,.0f} | {tokens / max(warm[name], 1e-9):,.0f} |")
    print(f"| all | {total_cold:.2f} | 100 % | {tokens / total_cold:,.0f} | "
          f"{tokens / total_warm:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
