"""Store benchmark: ingest N documents assembled from KazNERD sentences, then search latency.

Documents are `--per-doc` sentences drawn (seeded) from the KazNERD files in the shared data
folder, written to a JSON-lines corpus and ingested through the real ingest path (pipeline +
one transaction per document) in this one process, on one core. Then a fixed, seeded mix of
queries (words, phrases, entity names, natural-language questions, type filters) is timed
through `muragat.search.search` (snippets and facets included).

    .venv/bin/python scripts/bench_store.py [--docs 20000] [--db URL] [--layers text,morph]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from muragat import pipeline  # noqa: E402
from muragat.batch import ingest  # noqa: E402
from muragat.search import search, search_documents  # noqa: E402
from muragat.store import is_postgres, open_store  # noqa: E402

NERD = ("data/kaznerd/IOB2_valid.txt", "data/kaznerd/IOB2_test_a.txt")
NO_SPACE_BEFORE = set(".,!?:;)»%”")
NO_SPACE_AFTER = set("(«“")


def shared_dir() -> Path:
    env = os.environ.get("MURAGAT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", Path("/work/shared")]:
        if (cand / NERD[0]).exists():
            return cand
    sys.exit("KazNERD is missing: set MURAGAT_SHARED to the shared folder")


def read_sentences(shared: Path) -> list[tuple[list[str], list[str]]]:
    out: list[tuple[list[str], list[str]]] = []
    for name in NERD:
        words: list[str] = []
        labels: list[str] = []
        for line in (shared / name).read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                words.append(parts[0])
                labels.append(parts[-1])
            elif words:
                out.append((words, labels))
                words, labels = [], []
        if words:
            out.append((words, labels))
    return out


def detokenize(words: list[str]) -> str:
    text = ""
    for w in words:
        if text and w not in NO_SPACE_BEFORE and text[-1] not in NO_SPACE_AFTER:
            text += " "
        text += w
    return text


def entities(words: list[str], labels: list[str]) -> list[tuple[str, str]]:
    out, cur, kind = [], [], ""
    for w, lab in [*zip(words, labels, strict=True), ("", "O")]:
        if lab.startswith("B-") or lab == "O":
            if cur:
                out.append((kind, " ".join(cur)))
            cur, kind = ([w], lab[2:]) if lab.startswith("B-") else ([], "")
        elif cur:
            cur.append(w)
    return out


def build_corpus(sents: list[tuple[list[str], list[str]]], n_docs: int, per_doc: int,
                 path: Path, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_docs):
            picked = rng.sample(range(len(sents)), per_doc)
            text = "\n".join(detokenize(sents[j][0]) for j in picked)
            fh.write(json.dumps({"text": text, "n": i}, ensure_ascii=False) + "\n")


def build_queries(sents: list[tuple[list[str], list[str]]], n: int, rng: random.Random
                  ) -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, query, type filter), seeded: the same mix on every backend."""
    def alpha(words: list[str]) -> list[str]:
        return [w for w in words if w.isalpha() and len(w) >= 4]

    out: list[tuple[str, str, tuple[str, ...]]] = []
    while len(out) < n:
        words, labels = sents[rng.randrange(len(sents))]
        kind = ("word", "phrase", "entity", "question", "typed")[len(out) % 5]
        good = alpha(words)
        if kind == "word" and good:
            out.append((kind, rng.choice(good), ()))
        elif kind == "phrase" and len(words) > 2:
            i = rng.randrange(len(words) - 1)
            if words[i].isalpha() and words[i + 1].isalpha():
                out.append((kind, f'"{words[i]} {words[i + 1]}"', ()))
        elif kind == "entity":
            found = [e for e in entities(words, labels) if e[0] in ("PERSON", "GPE", "ORGANISATION")]
            if found:
                out.append((kind, rng.choice(found)[1], ()))
        elif kind == "question" and len(good) >= 3:
            out.append((kind, " ".join(rng.sample(good, 3)) + " туралы не айтылды?", ()))
        elif kind == "typed" and good:
            out.append((kind, rng.choice(good), ("PERSON",)))
    return out


def store_size(store, url: str) -> int:  # type: ignore[no-untyped-def]
    if is_postgres(url):
        rows = store._q("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                        " AND n.nspname = current_schema()")
        return int(rows[0][0])
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(store.path).stat().st_size


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--per-doc", type=int, default=5)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--layers", default=",".join(pipeline.DEFAULT_LAYERS))
    ap.add_argument("--db", default=None, help="SQLite path or postgresql:// URL "
                    "(default: a temporary SQLite file; PostgreSQL gets a fresh schema)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--schema", default=None, help="PostgreSQL: use (and keep) this schema; "
                    "a rerun then skips the stored documents and times search again")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rng = random.Random(args.seed)
    sents = read_sentences(shared_dir())
    layers = tuple(x for x in args.layers.split(",") if x)
    tmp = Path(tempfile.mkdtemp(prefix="muragat-bench-"))
    corpus = tmp / "corpus.jsonl"
    build_corpus(sents, args.docs, args.per_doc, corpus, rng)
    queries = build_queries(sents, args.queries, rng)
    url, schema = args.db or str(tmp / "bench.db"), None
    if is_postgres(url):
        import psycopg

        schema = args.schema or "bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    try:
        with open_store(url) as store:
            stored = [0.0]
            add = store.add_document

            def timed_add(*a, **k):  # type: ignore[no-untyped-def]
                began = time.perf_counter()
                try:
                    return add(*a, **k)
                finally:
                    stored[0] += time.perf_counter() - began

            store.add_document = timed_add  # type: ignore[method-assign]
            report = ingest(store, [corpus], layers, progress=sys.stderr.isatty())
            size = store_size(store, url)
            counts = store.counts()
            for _, q, types in queries[:10]:  # warm caches and load morphology once
                search(store, q, types=types)
            lat: dict[str, list[float]] = {}
            totals: list[int] = []
            for kind, q, types in queries:
                began = time.perf_counter()
                result = search(store, q, types=types, limit=10)
                lat.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
                totals.append(result.total)
            doc_lat: list[float] = []  # `--documents`: BM25F over whole documents
            for _, q, types in queries:
                began = time.perf_counter()
                search_documents(store, q, types=types, limit=10)
                doc_lat.append((time.perf_counter() - began) * 1000)
    finally:
        if schema and not args.schema:
            import psycopg

            with psycopg.connect(args.db, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    every = [x for v in lat.values() for x in v]
    result = {
        "backend": "postgresql" if schema else "sqlite", "layers": layers,
        "docs": counts["documents"], "sentences": counts["sentences"], "spans": counts["spans"],
        "ingest_seconds": round(report.seconds, 1),
        "docs_per_second": round(report.added / report.seconds, 1),
        "skipped": report.skipped,
        "store_docs_per_second": round(report.added / stored[0], 1) if stored[0] else None,
        "bytes_per_doc": round(size / max(counts["documents"], 1)),
        "search_p50_ms": round(pct(every, 0.5), 2), "search_p95_ms": round(pct(every, 0.95), 2),
        "search_max_ms": round(max(every), 2), "median_hits": statistics.median(totals),
        "by_kind_p95_ms": {k: round(pct(v, 0.95), 2) for k, v in lat.items()},
        "documents_p50_ms": round(pct(doc_lat, 0.5), 2),
        "documents_p95_ms": round(pct(doc_lat, 0.95), 2),
        "failures": len(report.failures), "load": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"backend {result['backend']}, layers {','.join(layers)}, load {result['load']:.2f}")
    print(f"ingest: {result['docs']} docs ({result['sentences']} sentences, {result['spans']} spans)"
          f" in {result['ingest_seconds']} s = {result['docs_per_second']} docs/s "
          f"(store writes alone: {result['store_docs_per_second']} docs/s)")
    print(f"store size: {result['bytes_per_doc']} bytes/doc")
    print(f"search ({len(every)} queries, limit 10, facets+snippets): p50 "
          f"{result['search_p50_ms']} ms, p95 {result['search_p95_ms']} ms, max "
          f"{result['search_max_ms']} ms; median total hits {result['median_hits']}")
    print("p95 by kind: " + ", ".join(f"{k} {v} ms" for k, v in result["by_kind_p95_ms"].items()))
    print(f"search --documents (same queries, limit 10, best sentence each): p50 "
          f"{result['documents_p50_ms']} ms, p95 {result['documents_p95_ms']} ms")


if __name__ == "__main__":
    main()
