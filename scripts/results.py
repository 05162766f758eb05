"""Regenerate BENCHMARKS.md by running the evaluation and benchmark scripts.

Each script's own printed table is pasted verbatim under its heading, with the command that
produced it, so every number there comes from a command anyone can rerun.
Usage: python scripts/results.py [--only NAME ...] [--dry-run]
With --only, just the sections whose script path contains a NAME are rerun; the others keep
what BENCHMARKS.md already has.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "BENCHMARKS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"

# A PostgreSQL server for the team-store sections (scripts/ci/start_postgres.sh prints one);
# without it those sections are left out. Shown in BENCHMARKS.md by its name, not its value.
PG = "$MURAGAT_TEST_PG_URL"

# (heading, script and arguments); run in this order.
SECTIONS: list[tuple[str, list[str]]] = [
    ("Whole pipeline on never-seen text: start-up, tokens/s, workers, per layer (issue 18)", ["scripts/bench_pipeline.py"]),
    ("Text layer: sentences and tokens (issue 2)", ["scripts/eval_text.py"]),
    ("Text layer speed", ["scripts/bench_text.py"]),
    ("Morphology: ten-fold jack-knife on UD Kazakh-KTB through the CLI (issues 3, 17)", ["scripts/eval_morph.py", "--cache", "build/morph-cv", "--in-process"]),
    ("Morphology on the sample: coverage and 30 hard words", ["scripts/eval_morph.py", "--spot"]),
    ("Morphology speed", ["scripts/bench_morph.py"]),
    ("Named entities: cross-validation on KazNERD through the CLI (issues 4, 17)", ["scripts/eval_ner.py", "--cli", "--cache", "build/ner-cv"]),
    ("Named entities on the sample article (team gold)", ["scripts/eval_ner.py", "--sample-gold"]),
    ("Named entities on the team's historical-style text", ["scripts/eval_ner.py", "--domain"]),
    ("Named-entity speed", ["scripts/bench_ner.py"]),
    ("Values and citations (issue 5)", ["scripts/eval_values.py"]),
    ("Values and citations speed", ["scripts/bench_values.py"]),
    ("Search recall on the sample (issue 6)", ["scripts/eval_search.py"]),
    ("Search on KazQAD questions, dev half (issue 21)", ["scripts/eval_search.py", "--kazqad"]),
    ("Search on KazQAD questions, dev half, PostgreSQL (issue 21)", ["scripts/eval_search.py", "--kazqad", "--db", PG]),
    ("Store and search at scale", ["scripts/bench_store.py"]),
    ("Store and search at scale, PostgreSQL (issue 21)", ["scripts/bench_store.py", "--db", PG]),
    ("Events: team gold and the sample article (issue 19)", ["scripts/eval_facts.py"]),
    ("People and bodies: team gold, dev part (issue 20)", ["scripts/eval_entities.py", "--split", "dev"]),
    ("People and bodies: team gold, held-out part (issue 20)", ["scripts/eval_entities.py", "--split", "heldout"]),
    ("People and bodies: team gold, second blind part, after its first run (issue 20)",
     ["scripts/eval_entities.py", "--split", "heldout2"]),
    ("People and bodies: team gold, third blind part, after its first run (issue 20)",
     ["scripts/eval_entities.py", "--split", "heldout3"]),
    ("People and bodies: team gold, fourth blind part, after its first run (issue 20)",
     ["scripts/eval_entities.py", "--split", "heldout4"]),
    ("People and bodies: team gold, fifth blind part, after its first run (issue 20)",
     ["scripts/eval_entities.py", "--split", "heldout5"]),
    ("People and bodies: team gold, sixth blind part, after its first run (issue 20)",
     ["scripts/eval_entities.py", "--split", "heldout6"]),
    ("Corrections, tags and notes across re-ingest (issues 20, 24)", ["scripts/bench_edits.py"]),
    ("Pathological input against prose (issue 25)", ["scripts/bench_pathological.py", "--sizes", "1,2,4", "--layers", "text,morph,ner"]),
    ("Reliability: fuzzing, kill -9, concurrency, hostile input (issue 23)", ["scripts/reliability.py"]),
    ("Batch processing: serial, local processes, Ray", ["scripts/bench_batch.py", "--docs", "1000"]),
    ("Web API and UI", ["scripts/bench_web.py", "--copies", "30"]),
    ("Web limits and team mode (issue 24)", ["scripts/bench_web_limits.py"]),
    ("Web jobs: batch search, CSV, upload (issue 24)", ["scripts/bench_web_jobs.py"]),
]


def run_section(args: list[str]) -> str:
    started = time.perf_counter()
    real = [os.environ.get(PG[1:], "") if a == PG else a for a in args]
    proc = subprocess.run([sys.executable, *real], cwd=REPO, capture_output=True, text=True)
    took = time.perf_counter() - started
    body = proc.stdout.rstrip() or proc.stderr.rstrip()
    status = "" if proc.returncode == 0 else f" (exit code {proc.returncode})"
    return f"`python {' '.join(args)}`{status}, {took:.0f} s:\n\n```\n{body}\n```\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="run only sections whose command line contains these")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write BENCHMARKS.md")
    args = parser.parse_args()
    machine = (
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start."
    )
    readme = OUT.read_text(encoding="utf-8")
    previous = _sections(readme)
    parts = [START, "", machine, ""]
    for heading, script in SECTIONS:
        if not (REPO / script[0]).exists():
            continue
        no_server = PG in script and not os.environ.get(PG[1:])
        if no_server or (args.only and not any(o in " ".join(script) for o in args.only)):
            if heading in previous:
                parts += [f"### {heading}", "", previous[heading]]
            continue
        print(f"running {script[0]} ...", file=sys.stderr)
        parts += [f"### {heading}", "", run_section(script)]
    parts.append(END)
    block = "\n".join(parts)
    if args.dry_run:
        print(block)
        return
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    OUT.write_text(pattern.sub(lambda _: block, readme), encoding="utf-8")


def _sections(readme: str) -> dict[str, str]:
    """The current results in BENCHMARKS.md, by heading (kept when --only reruns other sections)."""
    m = re.search(re.escape(START) + "(.*?)" + re.escape(END), readme, re.S)
    if m is None:
        return {}
    out: dict[str, str] = {}
    for chunk in re.split(r"(?m)^### ", m.group(1))[1:]:
        heading, _, body = chunk.partition("\n")
        out[heading.strip()] = body.strip("\n") + "\n"
    return out


if __name__ == "__main__":
    main()
