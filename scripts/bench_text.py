"""Throughput of sentence splitting + tokenization: muragat vs spaCy ``blank("ky")`` + sentencizer
vs pysbd ``kk`` (pysbd only splits sentences), side by side in one run on the same texts.

Usage: .venv/bin/python scripts/bench_text.py [--repeat 1000] [--rounds 3] [--json]
Texts: the acceptance sample repeated ``--repeat`` times (13.4 M characters at 1000), and the
KTB ``# text`` lines joined into one paragraph per document (0.43 M characters). muragat runs
twice: per document (each copy of the sample, each KTB document: what the CLI does with files)
and on everything as one text; spaCy gets the text line by line through ``nlp.pipe``. spaCy and pysbd are the optional
``bench`` extras (pip install -e '.[bench]'); a missing one is reported and skipped.
Best of ``--rounds`` runs; chars/s = len(text) / seconds. Run on an idle machine (see uptime).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from muragat.text import segment

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from eval_text import read_ktb, shared_dir  # noqa: E402


def muragat_run(text: str, docs: list[str]) -> int:
    seg = segment(text)
    return len(seg.sentences) + len(seg.tokens)


def muragat_docs(text: str, docs: list[str]) -> int:
    n = 0
    for d in docs:
        seg = segment(d)
        n += len(seg.sentences) + len(seg.tokens)
    return n


def spacy_runner() -> Callable[[str, list[str]], int] | str:
    try:
        import spacy
    except ImportError:
        return "not installed (pip install 'spacy>=3.8,<3.9')"
    nlp = spacy.blank("ky")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**9

    def run(text: str, docs: list[str]) -> int:
        # spaCy is fed line by line (as its docs advise for long texts).
        n = 0
        for doc in nlp.pipe(text.split("\n")):
            n += len(doc) + sum(1 for _ in doc.sents)
        return n

    return run


def pysbd_runner() -> Callable[[str, list[str]], int] | str:
    try:
        import pysbd
    except ImportError:
        return "not installed (pip install pysbd)"
    seg = pysbd.Segmenter(language="kk", clean=False, char_span=False)

    def run(text: str, docs: list[str]) -> int:
        return sum(len(seg.segment(p)) for p in text.split("\n") if p.strip())

    return run


def best_time(
    fn: Callable[[str, list[str]], int], text: str, docs: list[str], rounds: int
) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        fn(text, docs)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1000, help="sample repetitions")
    ap.add_argument(
        "--pysbd-repeat",
        type=int,
        default=20,
        help="pysbd is slow: it gets the sample repeated this many times",
    )
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shared = shared_dir()
    sample = (shared / "samples" / "000_5736a8e420be0dde.txt").read_text(encoding="utf-8")
    rows = read_ktb(shared / "data" / "ud-kazakh-ktb" / "kk_ktb-dev.conllu")
    docs: dict[str, list[str]] = {}
    for doc, text, _ in rows:
        docs.setdefault(doc, []).append(text)
    ktb_docs = [" ".join(v) for v in docs.values()]
    ktb = "\n".join(ktb_docs)
    # (one text, the same as documents, the unit pysbd repeats, repetitions)
    texts = {
        f"sample x{args.repeat}": (
            "\n".join([sample] * args.repeat),
            [sample] * args.repeat,
            sample,
            args.repeat,
        ),
        "KTB": (ktb, ktb_docs, ktb, 1),
    }
    systems: dict[str, Callable[[str, list[str]], int] | str] = {
        "muragat segment(), per document": muragat_docs,
        "muragat segment(), one text": muragat_run,
        "spaCy 3.8 blank('ky') + sentencizer": spacy_runner(),
        "pysbd 0.3.4 kk (sentences only)": pysbd_runner(),
    }
    results: dict[str, dict[str, float | str]] = {}
    for name, fn in systems.items():
        results[name] = {}
        for tname, (big, doc_list, unit, reps) in texts.items():
            if isinstance(fn, str):
                results[name][tname] = fn
                continue
            text = big
            if name.startswith("pysbd") and reps > 1:
                text = "\n".join([unit] * min(reps, args.pysbd_repeat))
            secs = best_time(fn, text, doc_list, args.rounds)
            results[name][tname] = len(text) / secs
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    if args.json:
        print(json.dumps({"load1": load, "chars_per_s": results}, indent=2))
        return
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load:.2f};"
        f" best of {args.rounds} rounds"
    )
    names = list(texts)
    print("| system | " + " | ".join(f"{n} (chars/s)" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    for name, row in results.items():
        cells = [f"{v / 1e6:.2f} M" if isinstance(v, float) else v for v in row.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    for mine_name in list(results)[:2]:
        mine = results[mine_name]
        for other in list(results)[2:]:
            ratios = [
                f"{n}: {mine[n] / v:.1f}x"
                for n, v in results[other].items()
                if isinstance(v, float)
            ]
            if ratios:
                print(f"{mine_name} / {other}: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
