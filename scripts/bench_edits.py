"""Entity edits, tags and notes through the CLI on real files: do they survive re-ingest and a
full re-analysis, and what do they cost `muragat entities`?

    .venv/bin/python scripts/bench_edits.py [--edits 200] [--runs 3] [--json]

Ingests the demo texts, the store test texts and (when ../shared is there) the acceptance
sample; makes `--edits` edits from what consolidation gave (splits, merges, renames,
relabels; imported as JSON lines), a tag, a star and a note on every document; then
(1) ingests the same files again, (2) empties the store's analysis and ingests them again
(every document analysed anew, new ids) and (3) analyses them into a second store and
imports the exported edits; after each, the entities and annotations must be the same.
Every step is a `muragat` process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MURAGAT = [sys.executable, "-c", "from muragat.cli import main; main()"]


def run(db: Path, *args: str) -> str:
    env = {**os.environ, "MURAGAT_DB": str(db), "MURAGAT_LANG": "en", "MURAGAT_AUTHOR": "bench"}
    done = subprocess.run([*MURAGAT, *args], capture_output=True, text=True, env=env,
                          timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"muragat {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def corpus(folder: Path) -> list[Path]:
    sources = sorted((REPO / "demo").glob("*.txt")) + sorted(
        (REPO / "tests" / "data" / "store_docs").glob("*.txt"))
    shared = Path(os.environ.get("MURAGAT_SHARED") or REPO.parent / "shared")
    sources += sorted((shared / "samples").glob("*.txt"))
    out = []
    for i, src in enumerate(sources):
        dst = folder / f"{i:02d}_{src.name}"
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def make_edits(entities: list[dict], n: int) -> list[dict]:  # type: ignore[type-arg]
    """Edits by name, of each kind in turn, from the entities as consolidated."""
    edits: list[dict] = []  # type: ignore[type-arg]
    multi = [e for e in entities if len(e["names"]) > 1]
    single = [e for e in entities if len(e["names"]) == 1]
    used: set[str] = set()

    def free(e: dict) -> str | None:  # type: ignore[type-arg]
        name = next((x for x in e["names"] if x not in used), None)
        if name:
            used.add(name)
        return name

    kinds = ["split", "merge", "rename", "relabel"]
    i = 0
    while len(edits) < n and (multi or single):
        kind = kinds[i % 4]
        i += 1
        if kind == "split" and multi:
            e = multi.pop()
            name = list(e["names"])[-1]
            if name not in used:
                used.add(name)
                edits.append({"op": "split", "label": e["type"], "name": name})
        elif kind == "merge" and len(single) >= 2:
            a, b = single.pop(), single.pop()
            if a["type"] == b["type"] and (na := free(a)) and (nb := free(b)):
                edits.append({"op": "merge", "label": a["type"], "name": na, "value": nb,
                              "value_label": b["type"]})
        elif kind in ("rename", "relabel") and single:
            e = single.pop()
            if name := free(e):
                value = name.upper() if kind == "rename" else (
                    "GPE" if e["type"] != "GPE" else "LOCATION")
                edits.append({"op": kind, "label": e["type"], "name": name, "value": value})
        if i > 20 * n:
            break
    return [{"kind": "entity_edit", **e} for e in edits]


def state(db: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    """What a user sees: entities (type, display name, names) and each document's
    annotations, keyed by content, not by id."""
    found = json.loads(run(db, "entities", "--json"))["entities"]
    ents = sorted((e["type"], e["name"], sorted(e["names"].items())) for e in found)
    docs = json.loads(run(db, "documents", "--json"))["documents"]
    notes = sorted((d["hash"], tuple(d["tags"]), d["starred"],
                    tuple(n["text"] for n in d["notes"])) for d in docs)
    return ents, notes


def wipe_analysis(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        for fts in ("sentence_fts", "document_fts"):
            conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('delete-all')")
        for table in ("spans", "sentence_years", "sentences", "lexicon", "documents"):
            conn.execute(f"DELETE FROM {table}")
    conn.close()


def timed(db: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run(db, "entities", "--json")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="muragat-edits-"))
    (folder / "in").mkdir()
    files = corpus(folder / "in")
    db, plain = folder / "one.db", folder / "plain.db"
    run(db, "ingest", *map(str, files), "--no-progress")
    shutil.copyfile(db, plain)
    base = json.loads(run(db, "entities", "--json"))["entities"]
    edits = make_edits(base, args.edits)
    (folder / "edits.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n"
                                                for e in edits), encoding="utf-8")
    run(db, "entities", "edits", "--import", str(folder / "edits.jsonl"))
    for i, f in enumerate(files):
        run(db, "tag", str(f), f"бөлім-{i % 3}")
        if i % 2 == 0:
            run(db, "star", str(f))
        run(db, "note", str(f), f"Тексерілді: {f.name}")
    listed = json.loads(run(db, "entities", "edits", "--json"))["edits"]
    applied = sum(e["applies"] for e in listed)
    edited = state(db)
    changed = edited[0] != state(plain)[0]
    run(db, "ingest", *map(str, files), "--no-progress")
    after_reingest = state(db) == edited
    wipe_analysis(db)
    run(db, "ingest", *map(str, reversed(files)), "--no-progress")
    after_reanalysis = state(db) == edited
    run(db, "entities", "edits", "--export", str(folder / "all.jsonl"))
    other = folder / "two.db"
    run(other, "ingest", *map(str, files), "--no-progress")
    run(other, "entities", "edits", "--import", str(folder / "all.jsonl"))
    in_another_store = state(other) == edited
    ms_plain, ms_edited = timed(plain, args.runs), timed(db, args.runs)
    load = os.getloadavg()[0]
    result = {"documents": len(files), "entities": len(base), "edits": len(edits),
              "edits_applied": applied, "edits_change_entities": changed,
              "same_after_reingest": after_reingest,
              "same_after_reanalysis": after_reanalysis,
              "same_in_another_store_after_import": in_another_store,
              "entities_ms_without_edits": round(ms_plain, 1),
              "entities_ms_with_edits": round(ms_edited, 1), "load_1min": round(load, 2)}
    shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"{'measure':<40} value")
    for k, v in result.items():
        print(f"{k:<40} {v}")


if __name__ == "__main__":
    main()
