"""The team server's guards, measured through `muragat serve` running as a process.

    .venv/bin/python scripts/bench_web_limits.py [--kb 64] [--json]

Ingests demo/*.txt into a temporary store (`muragat ingest`), creates a write token
(`muragat token create`), starts `muragat serve --writable` on a free port and prints:
how long POST /api/v1/analyze takes on a text of the size limit (demo text repeated to
`--kb` KB) and how big its answer is; that one byte over the limit is refused (413) and how
fast; what three analyses at once get with `--analyze-concurrency 2`; and the status of the
writes a cross-site page could try (no token, foreign Origin, text/plain) against a write
with the token. Needs the `web` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MURAGAT = str(Path(sys.executable).with_name("muragat"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, int, float]:
    """(status, answer bytes, seconds) of one POST."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, len(r.read()), time.perf_counter() - start
    except urllib.error.HTTPError as e:
        return e.code, len(e.read()), time.perf_counter() - start


def text_of(kb: int) -> bytes:
    demo = "\n".join(p.read_text("utf-8") for p in sorted((REPO / "demo").glob("*.txt")))
    raw = demo.encode("utf-8")
    out = (raw * (kb * 1024 // len(raw) + 1))[: kb * 1024]
    return out.decode("utf-8", "ignore").encode("utf-8")  # cut on a character boundary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=64)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="muragat-limits-"))
    db = str(folder / "team.db")
    subprocess.run([MURAGAT, "ingest", str(REPO / "demo"), "--db", db], check=True,
                   capture_output=True)
    token = subprocess.run([MURAGAT, "token", "create", "--role", "write", "--db", db],
                           check=True, capture_output=True, text=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([MURAGAT, "serve", "--db", db, "--port", str(port), "--writable",
                               "--analyze-limit-kb", str(args.kb), "--analyze-concurrency", "2"],
                              stderr=subprocess.DEVNULL)
    rows: dict[str, object] = {}
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/v1", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        plain = {"content-type": "text/plain"}
        body = text_of(args.kb)
        status, size, took = post(base + "/api/v1/analyze", body, plain)
        rows["analyze at the limit"] = {"bytes": len(body), "status": status,
                                        "answer_bytes": size, "seconds": round(took, 2)}
        over = body + b"x" * (args.kb * 1024 + 1 - len(body))
        status, size, took = post(base + "/api/v1/analyze", over, plain)
        rows["analyze 1 byte over"] = {"bytes": len(over), "status": status,
                                       "seconds": round(took, 3)}
        small = "Ғ. Тоғжанов 1929 жылы Ойыл ауданына келді.\n".encode() * 200
        got: list[int] = []
        threads = [threading.Thread(target=lambda: got.append(
            post(base + "/api/v1/analyze", small, plain)[0])) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rows["3 analyses at once (concurrency 2)"] = sorted(got)
        doc = json.dumps({"text": "Комиссия 1930 жылы құрылды.", "layers": ["text"]}).encode()
        js = {"content-type": "application/json"}
        auth = {"authorization": f"Bearer {token}"}
        rows["write: no token"] = post(base + "/api/v1/documents", doc, js)[0]
        rows["write: token, foreign Origin"] = post(base + "/api/v1/documents", doc, {
            **js, **auth, "origin": "http://127.0.0.1:8767"})[0]
        rows["write: token, text/plain body"] = post(base + "/api/v1/documents", b"text=x", {
            "content-type": "text/plain", **auth})[0]
        rows["write: token, JSON"] = post(base + "/api/v1/documents", doc, {**js, **auth})[0]
    finally:
        server.terminate()
        server.wait(10)
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"load": load, **rows}, ensure_ascii=False, indent=1))
    else:
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        for key, value in rows.items():
            print(f"{key:38} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
