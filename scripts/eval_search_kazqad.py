"""KazQAD passage retrieval through the CLI: muragat beside plain SQLite FTS5 bm25.

Every distinct `context` of the dev half is one document (`{"text", "title"}` rows given to
`muragat ingest`); every question is asked through ONE `muragat search --batch FILE --json
--documents` process; a question's gold is the passage it was written on. The baseline is
plain FTS5 (unicode61, no Kazakh knowledge) over the raw passages, the question's words
OR-ed, ranked by bm25(). Run through scripts/eval_search.py --kazqad.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = "data/kazqad/kazqad-rc-validation-half-a.jsonl"
CLI = [str(Path(sys.executable).parent / "muragat")]
WORD = re.compile(r"[^\W_]+")
K = 10


def shared_dir() -> Path:
    env = os.environ.get("MURAGAT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared", Path("/work/shared")]:
        if (cand / DEV).exists():
            return cand
    sys.exit("KazQAD is missing: set MURAGAT_SHARED to the shared folder")


def read_dev(limit: int) -> tuple[list[dict[str, str]], list[tuple[str, str, int]]]:
    """(passages, questions as (id, text, gold passage index))."""
    passages: list[dict[str, str]] = []
    index: dict[str, int] = {}
    questions: list[tuple[str, str, int]] = []
    for line in (shared_dir() / DEV).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["context"] not in index:
            index[row["context"]] = len(passages)
            passages.append({"text": row["context"], "title": row["title"]})
        questions.append((row["id"], " ".join(row["question"].split()), index[row["context"]]))
    return passages, questions[:limit] if limit else questions


def baseline(passages: list[dict[str, str]], questions: list[tuple[str, str, int]]
             ) -> list[list[int]]:
    """Plain FTS5 bm25 over surface words: the question's words OR-ed, top K passages."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(body, tokenize='unicode61')")
    db.executemany("INSERT INTO p (rowid, body) VALUES (?, ?)",
                   [(i, p["text"]) for i, p in enumerate(passages)])
    out = []
    for _, text, _ in questions:
        words = dict.fromkeys(WORD.findall(text.lower()))
        expr = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = db.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?",
                          (expr, K)).fetchall() if expr else []
        out.append([r[0] for r in rows])
    return out


def metrics(runs: list[list[int]], questions: list[tuple[str, str, int]]) -> dict[str, float]:
    n = len(questions)
    ranks = [run.index(gold) + 1 if gold in run[:K] else 0
             for run, (_, _, gold) in zip(runs, questions, strict=True)]
    return {"recall@1": sum(r == 1 for r in ranks) / n,
            "recall@5": sum(0 < r <= 5 for r in ranks) / n,
            "recall@10": sum(0 < r <= 10 for r in ranks) / n,
            "mrr@10": sum(1 / r for r in ranks if r) / n,
            "ndcg@10": sum(1 / math.log2(r + 1) for r in ranks if r) / n}


def _passage(source: str | None) -> int:
    """`…/passages.jsonl#7` -> passage 6."""
    return int(source.rpartition("#")[2]) - 1 if source and "#" in source else -1


def run_cli(tmp: Path, passages: list[dict[str, str]], questions: list[tuple[str, str, int]],
            sentences: bool, db: str) -> dict[str, object]:
    corpus = tmp / "passages.jsonl"
    corpus.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in passages),
                      encoding="utf-8")
    began = time.perf_counter()
    subprocess.run([*CLI, "ingest", str(corpus), "--db", db, "--no-progress"], check=True,
                   capture_output=True)
    ingest_s = time.perf_counter() - began
    batch = tmp / "questions.tsv"
    batch.write_text("".join(f"{q}\t{text}\n" for q, text, _ in questions), encoding="utf-8")
    began = time.perf_counter()
    done = subprocess.run([*CLI, "search", "--db", db, "--batch", str(batch), "--json",
                           "--documents", "--limit", str(K)], capture_output=True, text=True)
    batch_s = time.perf_counter() - began
    answers = {}
    for line in done.stdout.splitlines():
        row = json.loads(line)
        answers[row["id"]] = [_passage(d["source"]) for d in row.get("documents", [])]
    out: dict[str, object] = {
        "ingest_seconds": round(ingest_s, 1), "batch_seconds": round(batch_s, 2),
        "batch_exit": done.returncode, "answered": len(answers),
        "runs": {"muragat --documents": [answers.get(q, []) for q, _, _ in questions]}}
    if sentences:  # documents in the order of their first sentence hit
        done = subprocess.run([*CLI, "search", "--db", db, "--batch", str(batch), "--json",
                               "--limit", "100"], capture_output=True, text=True)
        ids = _doc_passages(str(tmp / "kazqad.db"))
        hits = {}
        for line in done.stdout.splitlines():
            row = json.loads(line)
            order = dict.fromkeys(ids.get(h["document"], -1) for h in row.get("hits", []))
            hits[row["id"]] = list(order)[:K]
        out["runs"]["muragat sentences"] = [hits.get(q, []) for q, _, _ in questions]  # type: ignore[index]
    return out


def _doc_passages(db: str) -> dict[int, int]:
    con = sqlite3.connect(db)
    return {int(i): _passage(s) for i, s in con.execute("SELECT id, source FROM documents")}


def bm25s_run(db: str, questions: list[tuple[str, str, int]]) -> list[list[int]]:
    """The same terms (lemmas, 5-letter stems, title, names) ranked by the bm25s library
    (`pip install bm25s`), in this process: the library beside FTS5's BM25F."""
    import bm25s  # type: ignore[import-not-found]

    sys.path.insert(0, str(ROOT / "src"))
    from muragat.search.query import STEM, parse
    from muragat.store import open_store
    from muragat.store.base import DocInfo
    from muragat.store.rows import document_row, document_rows

    def stem(f: str) -> str:
        return "~" + (f[:STEM] if len(f) > STEM else f)

    with open_store(db, readonly=True) as store:
        ids = store.document_ids()
        corpus = []
        for i in ids:
            doc = store.get_document(i)
            row = document_row(doc, *document_rows(doc))
            corpus.append(row.lemma_terms + [stem(f) for f in row.form_terms + row.title]
                          + row.title + row.names)
        passage = {i: _passage((store.doc_info(i) or DocInfo(i, "", None, {}, 0)).source)
                   for i in ids}
        index = bm25s.BM25(method="lucene")
        index.index(corpus, show_progress=False)
        runs = []
        for _, text, _ in questions:
            q = parse(text, store.known_lemmas)
            toks = [x for c in q.clauses if not c.boost for v in c.variants for x in v]
            toks += [stem(c.surface(j, True)[0]) for c in q.clauses if not c.boost
                     for j in range(len(c.forms))]
            toks = [x for x in toks if x in index.vocab_dict]
            if not toks:
                runs.append([])
                continue
            found, scores = index.retrieve([toks], k=K, show_progress=False)
            runs.append([passage[ids[j]] for j, x in zip(found[0], scores[0], strict=True)
                         if x > 0])
    return runs


@contextlib.contextmanager
def _postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema on this server for one run, dropped afterwards."""
    import psycopg

    schema = "kazqad_" + uuid.uuid4().hex[:8]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def run_kazqad(as_json: bool, limit: int, sentences: bool, verbose: bool,
               with_bm25s: bool = False, postgres: str | None = None) -> None:
    passages, questions = read_dev(limit)
    with tempfile.TemporaryDirectory(prefix="muragat-kazqad-") as tmp, \
            (_postgres_schema(postgres) if postgres else contextlib.nullcontext(
                str(Path(tmp) / "kazqad.db"))) as db:
        if postgres and sentences:
            sys.exit("--sentences reads the SQLite store: leave out --db")
        cli = run_cli(Path(tmp), passages, questions, sentences, db)
        cli["backend"] = "postgresql" if postgres else "sqlite"
        if with_bm25s:
            cli["runs"]["bm25s (same terms)"] = bm25s_run(db, questions)  # type: ignore[index]
    runs = {**cli.pop("runs"), "fts5 bm25 (plain)": baseline(passages, questions)}  # type: ignore[arg-type]
    table = {name: metrics(run, questions) for name, run in runs.items()}
    if as_json:
        print(json.dumps({"questions": len(questions), "passages": len(passages), **cli,
                          "systems": table}, ensure_ascii=False, indent=1))
        return
    print(f"KazQAD dev half A: {len(questions)} questions, {len(passages)} passages; "
          f"store {cli['backend']}; load {os.getloadavg()[0]:.2f}")
    print(f"ingest {cli['ingest_seconds']} s; one `search --batch` process: "
          f"{cli['batch_seconds']} s, exit {cli['batch_exit']}, {cli['answered']} answered\n")
    cols = ["recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10"]
    print(f"{'system':<22}" + "".join(f"{c:>10}" for c in cols))
    for name, row in table.items():
        print(f"{name:<22}" + "".join(f"{row[c]:>10.3f}" for c in cols))
    if verbose:
        main_run = runs["muragat --documents"]
        for run, (qid, text, gold) in zip(main_run, questions, strict=True):
            if gold not in run:
                print(f"  miss {qid}: {text}  (gold: {passages[gold]['title']})")
