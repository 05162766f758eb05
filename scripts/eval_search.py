"""Search quality: the acceptance sample's gold (default) or KazQAD passage retrieval (--kazqad).

Sample mode: lemma-search recall on the acceptance sample, side by side with plain FTS5
unicode61.

For every person, place, organisation and title in the sample, a search for its base form
must return every sentence that mentions it in any form. Gold: scripts/data/search_gold_sample.tsv
(written by hand; lines of the sample). A muragat hit is a sentence of whatever text layer
ran; it counts for every sample line it overlaps.

    .venv/bin/python scripts/eval_search.py [--layers text,morph,...] [--db URL] [--json]

KazQAD mode (scripts/eval_search_kazqad.py): every dev passage ingested with `muragat ingest`,
every question asked through one `muragat search --batch --json` process, recall@1/5/10,
MRR@10 and nDCG@10 beside plain FTS5 bm25 over the raw passages.

    .venv/bin/python scripts/eval_search.py --kazqad [--limit-questions N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from muragat import pipeline  # noqa: E402
from muragat.model import Document  # noqa: E402
from muragat.search import search  # noqa: E402
from muragat.search.query import fts_string  # noqa: E402
from muragat.store import content_hash, open_store  # noqa: E402

GOLD = ROOT / "scripts" / "data" / "search_gold_sample.tsv"
SAMPLE = "samples/000_5736a8e420be0dde.txt"


def shared_dir() -> Path:
    env = os.environ.get("MURAGAT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", Path("/work/shared")]:
        if (cand / SAMPLE).exists():
            return cand
    sys.exit("the sample is missing: set MURAGAT_SHARED to the shared folder")


def read_gold() -> list[tuple[str, str, set[int]]]:
    out = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, kind, lines = line.split("\t")
            out.append((query, kind, {int(x) for x in lines.split()}))
    return out


def line_ranges(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def lines_of(start: int, end: int, ranges: list[tuple[int, int]]) -> set[int]:
    return {i + 1 for i, (a, b) in enumerate(ranges) if a < end and start < b and a < b}


def baseline_lines(text: str) -> Callable[[str], list[set[int]]]:
    """Plain FTS5 (default unicode61 tokenizer), one row per line, the query as one phrase."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    db.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)",
                   [(i + 1, line) for i, line in enumerate(text.split("\n"))])

    def run(query: str) -> list[set[int]]:
        words = re.findall(r"[^\W_]+", query.lower())
        expr = fts_string(" ".join(words))
        return [{r[0]} for r in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,))]

    return run


def score(hits: list[set[int]], gold: set[int]) -> tuple[int, int, int]:
    """(gold lines found, gold lines, hits that overlap no gold line).

    A hit is a sentence, which may span several lines of the damaged sample."""
    found = set().union(*hits) if hits else set()
    return len(found & gold), len(gold), sum(1 for h in hits if not h & gold)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", default=",".join(pipeline.DEFAULT_LAYERS))
    ap.add_argument("--db", default=None, help="store URL (default: a temporary SQLite file)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="list every miss")
    ap.add_argument("--kazqad", action="store_true",
                    help="KazQAD dev half A passage retrieval through the CLI")
    ap.add_argument("--limit-questions", type=int, default=0, help="--kazqad: first N only")
    ap.add_argument("--sentences", action="store_true",
                    help="--kazqad: also rank documents by their sentence hits")
    ap.add_argument("--bm25s", action="store_true",
                    help="--kazqad: also rank the same terms with the bm25s library")
    args = ap.parse_args()
    if args.kazqad:
        from eval_search_kazqad import run_kazqad

        run_kazqad(args.json, args.limit_questions, args.sentences, args.verbose, args.bm25s,
                   args.db)
        return
    text = (shared_dir() / SAMPLE).read_text(encoding="utf-8")
    layers = tuple(x for x in args.layers.split(",") if x)
    doc = pipeline.run(Document(text=text), layers)
    ranges = line_ranges(text)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or str(Path(tmp) / "eval.db")
        with open_store(url) as store:
            doc_id = store.find_document(content_hash(text)[:16]) or store.add_document(
                doc, content_hash(text), "sample")
            systems = {"fts5-unicode61": baseline_lines(text)}
            for name, prefix in (("muragat-lemma", False), ("muragat", True)):
                def run(q: str, prefix: bool = prefix) -> list[set[int]]:
                    res = search(store, q, limit=1000, facets=False, prefix=prefix)
                    return [lines_of(h.start, h.end, ranges)
                            for h in res.hits if h.document == doc_id]
                systems[name] = run
            rows = []
            totals = {name: [0, 0, 0, 0, 0] for name in systems}  # hit, gold, wrong, complete, hits
            for query, kind, gold in read_gold():
                row = {"query": query, "type": kind, "gold": sorted(gold)}
                for name, run_query in systems.items():
                    hits = run_query(query)
                    hit, n, extra = score(hits, gold)
                    t = totals[name]
                    t[0], t[1], t[2], t[3] = t[0] + hit, t[1] + n, t[2] + extra, t[3] + (hit == n)
                    t[4] += len(hits)
                    found = set().union(*hits) if hits else set()
                    row[name] = {"recall": hit / n, "missed": sorted(gold - found),
                                 "wrong_hits": [sorted(h) for h in hits if not h & gold]}
                rows.append(row)
    summary = {name: {"recall": t[0] / t[1], "precision": 1 - t[2] / max(t[4], 1),
                      "queries_complete": f"{t[3]}/{len(rows)}", "sentences": t[1]}
               for name, t in totals.items()}
    if args.json:
        print(json.dumps({"layers": layers, "summary": summary, "queries": rows},
                         ensure_ascii=False, indent=1))
        return
    print(f"layers: {','.join(layers)}   gold: {len(rows)} queries, "
          f"{totals['muragat'][1]} (query, sentence) pairs\n")
    names = list(systems)
    print(f"{'query':<36}" + "".join(f"{n:>17}" for n in names))
    for row in rows:
        cells = "".join(f"{row[n]['recall']:>16.0%} " for n in names)
        print(f"{row['query'][:35]:<36}{cells}")
        if args.verbose:
            for n in names:
                if row[n]["missed"] or row[n]["wrong_hits"]:
                    print(f"    {n}: missed lines {row[n]['missed']}, wrong hits (lines) "
                          f"{row[n]['wrong_hits']}")
    print()
    print(f"{'system':<18}{'recall':>8}{'precision':>11}{'complete':>10}")
    for n, s in summary.items():
        print(f"{n:<18}{s['recall']:>8.1%}{s['precision']:>11.1%}{s['queries_complete']:>10}")


if __name__ == "__main__":
    main()
