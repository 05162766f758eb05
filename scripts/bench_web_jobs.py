"""Jobs, exports and form guards, measured through `muragat serve` running as a process.

    .venv/bin/python scripts/bench_web_jobs.py [--queries 200] [--json]

Ingests demo/*.txt into a temporary store (`muragat ingest`), creates a write token
(`muragat token create`), starts `muragat serve --writable` on a free port and prints:
how long a batch-search job of `--queries` queries takes from POST to done (the queries are
the distinct words of the demo texts, repeated to the count) and how many polls saw it
running; the size and time of its CSV; an ingest job of the acceptance sample (its file
through the readers `muragat ingest` uses) with its progress steps; GET /api/v1/search.csv
with 1000 rows at most; the status of form posts without a session, without the CSRF token, from a
foreign Origin, and with both; and what the 9th..12th jobs get while 8 wait (429).
Needs the `web` extra.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MURAGAT = str(Path(sys.executable).with_name("muragat"))
SAMPLE = Path(os.environ.get("MURAGAT_SHARED", REPO.parent / "shared")) / "samples" / \
    "000_5736a8e420be0dde.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(opener: Any, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
         ) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers=headers or {},
                                 method="POST" if body is not None else "GET")
    try:
        with opener.open(req, timeout=600) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def post_json(opener: Any, url: str, data: dict[str, Any], token: str | None = None
              ) -> tuple[int, dict[str, Any]]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    status, body = call(opener, url, json.dumps(data).encode(), headers)
    return status, json.loads(body)


def until_done(opener: Any, base: str, job: dict[str, Any]) -> tuple[dict[str, Any], int, float]:
    """(the finished job, polls that saw it queued/running, seconds from now to done)."""
    start, busy = time.perf_counter(), 0
    while True:
        got = json.loads(call(opener, base + job["url"])[1])
        if got["state"] in ("done", "failed"):
            return got, busy, time.perf_counter() - start
        busy += 1
        time.sleep(0.05)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="muragat-jobs-"))
    db = str(folder / "team.db")
    subprocess.run([MURAGAT, "ingest", str(REPO / "demo"), "--db", db], check=True,
                   capture_output=True)
    token = subprocess.run([MURAGAT, "token", "create", "--role", "write", "--db", db],
                           check=True, capture_output=True, text=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([MURAGAT, "serve", "--db", db, "--port", str(port), "--writable"],
                              stderr=subprocess.DEVNULL)
    plain = urllib.request.build_opener()
    rows: dict[str, object] = {}
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/v1", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        words = sorted({w for p in sorted((REPO / "demo").glob("*.txt"))
                        for w in re.findall(r"\w{4,}", p.read_text("utf-8"))})
        queries = "\n".join((words * (args.queries // len(words) + 1))[: args.queries])
        start = time.perf_counter()
        status, job = post_json(plain, base + "/api/v1/jobs",
                                {"kind": "batch-search", "queries": queries})
        done, busy, _ = until_done(plain, base, job)
        took = time.perf_counter() - start
        rows["batch-search job"] = {"status": status, "queries": args.queries,
                                    "state": done["state"], "seconds": round(took, 2),
                                    "queries_per_s": round(args.queries / took, 1),
                                    "polls_running": busy}
        t0 = time.perf_counter()
        code, csv_body = call(plain, base + done["result_url"])
        rows["its CSV"] = {"status": code, "bytes": len(csv_body),
                           "seconds": round(time.perf_counter() - t0, 3)}
        if SAMPLE.is_file():
            data = base64.b64encode(SAMPLE.read_bytes()).decode()
            start = time.perf_counter()
            status, job = post_json(plain, base + "/api/v1/jobs", {
                "kind": "ingest", "data": data, "source": SAMPLE.name}, token)
            done, busy, _ = until_done(plain, base, job)
            rows["ingest job (acceptance sample)"] = {
                "status": status, "bytes": SAMPLE.stat().st_size, "state": done["state"],
                "steps": done["progress"]["total"], "seconds": round(
                    time.perf_counter() - start, 2), "polls_running": busy,
                "document": done["result"][0]["document"]}
        t0 = time.perf_counter()
        q = urllib.parse.urlencode({"q": "комиссия", "limit": 1000})
        code, body = call(plain, f"{base}/api/v1/search.csv?{q}")
        table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        rows["search.csv (limit 1000)"] = {"status": code, "rows": len(table) - 1,
                                           "seconds": round(time.perf_counter() - t0, 3)}
        jar = urllib.request.HTTPCookieProcessor(CookieJar())
        browser = urllib.request.build_opener(jar)
        form = {"content-type": "application/x-www-form-urlencoded"}
        batch = urllib.parse.urlencode({"queries": "комиссия"}).encode()
        rows["form post: no session"] = call(browser, base + "/batch", batch, form)[0]
        page = call(browser, base + "/batch")[1].decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        with_csrf = urllib.parse.urlencode({"queries": "комиссия", "csrf": csrf}).encode()
        rows["form post: session, no CSRF"] = call(browser, base + "/batch", batch, form)[0]
        rows["form post: CSRF, foreign Origin"] = call(browser, base + "/batch", with_csrf, {
            **form, "origin": "http://127.0.0.1:8767"})[0]
        rows["form post: CSRF, own origin"] = call(browser, base + "/batch", with_csrf, {
            **form, "origin": base})[0]  # 303 to the job's page, followed: 200
        slow = "\n".join(words * 3)
        got = [post_json(plain, base + "/api/v1/jobs",
                         {"kind": "batch-search", "queries": slow})[0] for _ in range(12)]
        rows["12 jobs at once (8 may wait)"] = got
    finally:
        server.terminate()
        server.wait(10)
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"load": load, **rows}, ensure_ascii=False, indent=1))
    else:
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        for key, value in rows.items():
            print(f"{key:34} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
