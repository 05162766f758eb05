"""Rows of scripts/reliability.py against a real `muragat serve` on 127.0.0.1: a bounded load
test, schemathesis over the OpenAPI spec, and the browser tests as a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from reliability import REPO, Row, _clean_exit, _cli, write_docs
from reliability_faults import serving

P95_BAR_MS = 100.0


def _get(url: str) -> tuple[int, float]:
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - began) * 1000


def _mix(base: str) -> list[str]:
    """The fixed request mix: every page kind and the API search, on real ids and keys."""
    with urllib.request.urlopen(base + "/api/v1/documents?limit=20", timeout=30) as r:
        ids = [d["id"] for d in json.load(r)["documents"]]
    with urllib.request.urlopen(base + "/api/v1/entities?limit=20", timeout=30) as r:
        keys = [e["id"] for e in json.load(r)["entities"]]
    paths = ["/?q=" + quote("комиссия"), "/documents", "/entities", "/timeline",
             "/api/v1/search?q=" + quote("жиналыс")]
    paths += [f"/documents/{i}" for i in ids[:3]]
    paths += [f"/entities/{quote(k, safe='')}" for k in keys[:3]]
    return [base + p for p in paths]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _level(urls: list[str], clients: int, seconds: float
           ) -> tuple[int, list[tuple[str, float]], list[str]]:
    """`clients` threads cycling through `urls` for `seconds`: (requests, (url, ms), errors)."""
    deadline = time.monotonic() + seconds

    def client(k: int) -> tuple[list[tuple[str, float]], list[str]]:
        times: list[tuple[str, float]] = []
        errors: list[str] = []
        i = k
        while time.monotonic() < deadline:
            url = urls[i % len(urls)]
            status, ms = _get(url)
            times.append((url, ms))
            if not 200 <= status < 300:
                errors.append(f"{status} {url}")
            i += 1
        return times, errors

    with ThreadPoolExecutor(clients) as pool:
        done = list(pool.map(client, range(clients)))
    times = [x for t, _ in done for x in t]
    return len(times), times, [e for _, errs in done for e in errs]


def load(n_docs: int, seconds: float, seed: int) -> Row:
    """1, 2, 4, 8 clients for `seconds` each on a read-only `serve` over `n_docs` documents."""
    row = Row(f"load: serve, {n_docs} docs, 1-8 clients")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        write_docs(Path(tmp) / "docs", n_docs, seed)
        _clean_exit(row, "ingest", _cli("ingest", str(Path(tmp) / "docs"), "--db", db,
                                        "--no-progress"), allowed=(0,))
        row.tried = 0
        held = None
        with serving(db) as base:
            urls = _mix(base)
            for url in urls:  # warm: the first request of a page builds its caches
                _get(url)
            for clients in (1, 2, 4, 8):
                n, timed, errors = _level(urls, clients, seconds)
                row.tried += n
                for e in errors:
                    row.fail(f"{clients} clients: {e}")
                times = [ms for _, ms in timed]
                p50, p95 = _percentile(times, 0.5), _percentile(times, 0.95)
                by_url = {u: _percentile([ms for x, ms in timed if x == u], 0.95) for u in urls}
                slow = max(by_url, key=by_url.__getitem__)
                rate = n / seconds
                row.details.append(
                    f"{clients} clients: {rate:.1f} req/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
                    f"errors {len(errors)}/{n}, load {os.getloadavg()[0]:.1f}; slowest "
                    f"{slow.removeprefix(base)[:40]} p95 {by_url[slow]:.0f} ms")
                if p95 <= P95_BAR_MS and not errors:
                    held = (rate, p95, clients)
    row.note = (f"held {held[0]:.0f} req/s at p95 {held[1]:.0f} ms ({held[2]} clients)" if held
                else f"no level held p95 <= {P95_BAR_MS:.0f} ms with 0 errors") + \
        f"; {len(urls)} URLs, {seconds:g} s a level"
    return row


# -- schemathesis over the spec of a real server -------------------------------------------------

def schema(max_examples: int, seed: int) -> Row:
    """`schemathesis run` (positive mode, deterministic) against the OpenAPI spec of a team
    server (`serve --writable`, an admin token: the write operations are reached too)."""
    row = Row("schemathesis: API vs its spec (serve)")
    exe = REPO / ".venv" / "bin" / "schemathesis"
    if not exe.exists():
        row.note = "skipped: schemathesis not installed (pip install schemathesis)"
        return row
    with tempfile.TemporaryDirectory() as tmp:
        from web_helpers import build_store

        db = build_store(Path(tmp))
        token = _cli("token", "create", "--role", "admin", "--db", db).stdout.strip()
        with serving(db, "--writable") as base:
            # every check on every operation but the two that take a text; those without
            # the check that schema-valid data is accepted: a text is refused on its content
            # (control characters: "looks binary", a documented 400) in a way no JSON Schema
            # states, as in tests/test_web_schema.py
            texts = "^/api/v1/(analyze|documents)$"
            passes = [_schemathesis(exe, base, token, max_examples, tmp,
                                    ["--exclude-path-regex", texts]),
                      _schemathesis(exe, base, token, max_examples, tmp,
                                    ["--include-path-regex", texts, "--exclude-checks",
                                     "positive_data_acceptance"])]
    tested = 0
    warned: list[str] = []
    for code, out in passes:
        found = re.search(r"Tested: (\d+)", out)
        cases = re.search(r"(\d+) generated", out)
        failed = re.search(r"(\d+) unique failures", out)
        tested += int(found.group(1)) if found else 0
        row.tried += int(cases.group(1)) if cases else 0
        row.failures += int(failed.group(1)) if failed else (1 if code else 0)
        for what, said in re.findall(r"_{3,} (\S+ \S+) _{3,}.*?\n\[\d+\] [^\n]*\n\n\s*(\S[^\n]*)",
                                     out, re.S)[:5]:
            row.examples.append(f"{what}: {said.strip('`')[:200]}")
        if code and not row.examples:
            row.examples.append(out.strip()[-300:])
        warned += re.findall(r"⚠️ (.*)", out)
        stricter = re.search(r"Schema validation mismatch:.*?\n\n((?:  - .*\n)+)", out)
        if stricter:  # the operations that refuse most schema-valid data: named
            warned.append("stricter than the spec: " + ", ".join(
                x.strip()[2:] for x in stricter.group(1).splitlines()))
    row.note = (f"{tested} operations x up to {max_examples} examples (positive, "
                f"deterministic, an admin token); exits {[c for c, _ in passes]}"
                + (f"; warnings: {'; '.join(warned)[:200]}" if warned else ""))
    return row


def _schemathesis(exe: Path, base: str, token: str, max_examples: int, cwd: str,
                  extra: list[str]) -> tuple[int, str]:
    done = subprocess.run(
        [str(exe), "run", f"{base}/api/v1/openapi.json", "--mode", "positive", "-n",
         str(max_examples), "--generation-deterministic", "--no-color",
         "-H", f"Authorization: Bearer {token}", *extra],
        capture_output=True, text=True, timeout=600, cwd=cwd)
    return done.returncode, done.stdout + done.stderr


# -- the browser tests -----------------------------------------------------------------------------

def browser() -> Row:
    """tests/test_web_browser.py as a subprocess; skipped tests are a note, never a pass."""
    row = Row("browser: headless Chromium scenarios")
    tests = [str(REPO / "tests" / name) for name in ("test_web_browser.py",
                                                     "test_web_browser_jobs.py")
             if (REPO / "tests" / name).exists()]
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "browser.xml"
        done = subprocess.run([sys.executable, "-m", "pytest", *tests, "-q", "-rs", "-p",
                               "no:cacheprovider", f"--junitxml={junit}"],
                              capture_output=True, text=True, timeout=600, cwd=REPO)
        suite = ET.parse(junit).getroot() if junit.exists() else None
    if suite is not None and suite.tag == "testsuites":
        suite = suite[0]
    counts = {k: int(suite.get(k, 0)) if suite is not None else 0
              for k in ("tests", "failures", "errors", "skipped")}
    row.tried = counts["tests"]
    row.failures = counts["failures"] + counts["errors"] + (0 if suite is not None else 1)
    for line in [x for x in done.stdout.splitlines() if x.startswith(("FAILED", "ERROR"))][:5]:
        row.examples.append(line[:300])
    if suite is None:
        row.examples.append(f"pytest exit {done.returncode}: {done.stdout.strip()[-200:]}")
    passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    skipped = [x.split(": ", 1)[-1] for x in done.stdout.splitlines() if x.startswith("SKIPPED")]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    row.note = (f"{passed} passed, {counts['skipped']} skipped"
                + (f" ({'; '.join(skipped)[:100]})" if skipped else "")
                + ("" if chromium else "; no chromium: skipped is not a pass"))
    return row
