"""Speed of the web API: requests/s and latency of GET /api/v1/search on a demo store.

    .venv/bin/python scripts/bench_web.py [--copies 1] [--rounds 20] [--json]

Builds an SQLite store of the demo documents (demo/*.txt; `--copies N` stores N variants of
each, to make a bigger store) in a temporary folder, then times the same query list three
ways: `search()` called directly (the floor), through FastAPI's TestClient (in-process ASGI,
no sockets) and over real HTTP to uvicorn running in this process (keep-alive client).
Needs the `web` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Other routes, timed over HTTP once the search rounds are done (pages included).
OTHER = ["/api/v1/documents/1", "/api/v1/entities", "/api/v1/entities?type=PERSON",
         "/api/v1/timeline", "/api/v1/timeline?q=комиссия", "/", "/?q=комиссия",
         "/documents/1", "/entities", "/timeline"]
QUERIES = ["комиссия", "партия", "Ырғыз", '"Ырғыз ауданы"', "шығарды", "адам", "Қазақстан",
           "комитет", "наразылық", "газет", "тексеру", "Рысқұлов", "астық", "1930", "сотталды",
           "=Комиссия", "мұрағат", "ауылдық ұяшық", "«Еңбекші қазақ»", "тазарту"]


def build_store(folder: Path, copies: int) -> tuple[str, int]:
    from muragat.ingest import Record, ingest_record
    from muragat.pipeline import DEFAULT_LAYERS
    from muragat.store import open_store

    url = str(folder / "bench_web.db")
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "demo").glob("*.txt"))]
    n = 0
    with open_store(url) as store:
        for copy in range(copies):
            for i, text in enumerate(texts):
                variant = text if copy == 0 else f"{text}\n({copy}-нұсқа)\n"
                if ingest_record(store, Record(f"demo-{i}-{copy}", variant), DEFAULT_LAYERS):
                    n += 1
    return url, n


def timed(call: Callable[[str], object], rounds: int) -> list[float]:
    for q in QUERIES:  # warm caches (morphology of the query words, SQLite pages)
        call(q)
    out = []
    for _ in range(rounds):
        for q in QUERIES:
            began = time.perf_counter()
            call(q)
            out.append(time.perf_counter() - began)
    return out


def timed_once(call: Callable[[str], object], arg: str) -> float:
    began = time.perf_counter()
    call(arg)
    return time.perf_counter() - began


def summary(name: str, seconds: list[float]) -> dict[str, float | str | int]:
    ms = sorted(s * 1000 for s in seconds)
    return {"mode": name, "requests": len(ms), "rps": len(ms) / (sum(ms) / 1000),
            "p50_ms": statistics.median(ms), "p95_ms": ms[int(0.95 * (len(ms) - 1))],
            "max_ms": ms[-1]}


def direct(url: str) -> Callable[[str], object]:
    from muragat.search import search
    from muragat.store import open_store

    store = open_store(url, readonly=True)
    return lambda q: search(store, q, limit=10).to_dict()


def via_testclient(app: object) -> tuple[Callable[[str], object], Callable[[], None]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    client = TestClient(app)  # type: ignore[arg-type]
    client.__enter__()

    def call(q: str) -> object:
        r = client.get("/api/v1/search", params={"q": q, "limit": 10})
        assert r.status_code == 200, r.text
        return r.json()

    return call, lambda: client.__exit__(None, None, None)


def via_uvicorn(app: object) -> tuple[Callable[[str], object], Callable[[], None],
                                       Callable[[str], object]]:
    import httpx
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error",  # type: ignore[arg-type]
                            access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}")

    def call(q: str) -> object:
        r = client.get("/api/v1/search", params={"q": q, "limit": 10})
        assert r.status_code == 200, r.text
        return r.json()

    def stop() -> None:
        client.close()
        server.should_exit = True
        thread.join(10)

    def get(path: str) -> object:
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code)
        return r.content

    return call, stop, get


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=1, help="variants of each demo document")
    ap.add_argument("--rounds", type=int, default=20, help="passes over the query list")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    try:
        from muragat.web import create_app
    except ImportError:
        print("needs the web extra: pip install -e '.[web]'", file=sys.stderr)
        return 1
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        url, docs = build_store(Path(tmp), args.copies)
        built = time.perf_counter() - began
        app = create_app(url)
        rows = [summary("search() direct", timed(direct(url), args.rounds))]
        call, stop = via_testclient(app)
        try:
            rows.append(summary("TestClient (ASGI)", timed(call, args.rounds)))
        finally:
            stop()
        call, stop, get = via_uvicorn(app)
        try:
            rows.append(summary("uvicorn HTTP", timed(call, args.rounds)))
            others = []
            for path in OTHER:
                get(path)  # the first call builds the entity/timeline snapshot
                others.append(summary(path, [timed_once(get, path) for _ in range(args.rounds)]))
        finally:
            stop()
    if args.json:
        print(json.dumps({"documents": docs, "queries": len(QUERIES), "load": load,
                          "rows": rows, "other": others}, ensure_ascii=False, indent=1))
        return 0
    print(f"GET /api/v1/search on {docs} demo documents ({built:.1f} s to build), "
          f"{len(QUERIES)} queries x {args.rounds} rounds, limit 10 + facets, one client; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.2f}")
    print("| mode | requests | req/s | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['mode']} | {r['requests']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | "
              f"{r['p95_ms']:.2f} | {r['max_ms']:.2f} |")
    print(f"\nother routes over uvicorn HTTP, {args.rounds} requests each (warm snapshot)")
    print("| route | req/s | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for r in others:
        print(f"| {r['mode']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
