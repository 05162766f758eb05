"""Reliability and security checks that print their figures (issue 23).

    .venv/bin/python scripts/reliability.py            # the long run (`make reliability`)
    .venv/bin/python scripts/reliability.py --short    # about 90 s on 2 cores (CI)
    .venv/bin/python scripts/reliability.py --rows fuzz,query --scale 5   # `make fuzz`
    .venv/bin/python scripts/reliability.py --rows fuzz,query,web --json

Each row is a bounded check: how many inputs (files, kill points, requests) it tried and
how many broke a property. The exit code is 1 when any row has failures. Every input is
seeded (`--seed`), so a failure reproduces; the first few failures of each row are printed
under the table, and the figures of a row (load: req/s, p50, p95 per level) above them.

Rows: fuzz (text layer and readers), cli (hostile files), kill (kill -9 during ingest; on
PostgreSQL too when MURAGAT_TEST_PG_URL is set), pgrestart (the PostgreSQL server restarted
mid-ingest), concurrent (searches and web requests while an ingest runs), writers (3 ingests
at once, SQLite and PostgreSQL, and the team web API), damaged (truncated/overwritten store
files), diskfull (a 2 MB tmpfs), readonly (chattr +i), query (query parser), web (XSS on
every page, traversal and bad ids, bodies), bombs (zip/PDF bombs, huge images), load (a
real `serve` at 1-8 clients), schema (schemathesis against `serve`), browser (the Chromium
tests). The rows past `web` live in scripts/reliability_{faults,bombs,load}.py; rows that
need root or the test server say "skipped: why" with 0 tried. See
notes/issue-23-reliability.md.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
PG_ENV = "MURAGAT_TEST_PG_URL"  # set: the kill -9 row runs on PostgreSQL too
MURAGAT = str(REPO / ".venv" / "bin" / "muragat")
for _folder in ("tests", "scripts"):  # web_helpers (the web tests' store); the row modules
    if str(REPO / _folder) not in sys.path:
        sys.path.insert(0, str(REPO / _folder))
# the row modules import this one by name, run as a script or loaded by the tests
sys.modules.setdefault("reliability", sys.modules[__name__])


@dataclass
class Row:
    check: str
    tried: int = 0
    failures: int = 0
    examples: list[str] = field(default_factory=list)
    note: str = ""
    details: list[str] = field(default_factory=list)  # figures printed under the table

    def fail(self, what: str) -> None:
        self.failures += 1
        if len(self.examples) < 5:
            self.examples.append(what[:300])


# -- hostile strings -------------------------------------------------------------------------

_PIECES = [
    "Ойыл ауданы", "Тоғжанов Ғ.", "Ғ.", "Ғ. Ғ. Ғ.", "1929 жылы", "12.03.1930", "т.б.", "№ 5",
    "«Еңбекші қазақ»", "Alash", "Алаш-Орда", "ҚазАКСР", "қаңтар", "50 сом", "3-ші", "...",
    "!?", " — ", "\n\n", "\t", "\r\n", "\u00a0", "\u200b", "\u202e", "\ufeff", "e\u0301",
    "ä", "Ж\u0306", "中文", "العربية", "😀👍🏽", "\x00", "\x1b[31m", "\x7f", "\x0c", "\x85",
    "\u2028", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --",
    "NEAR(", '"""', "((((", "))))", "*", "^", ":", "-", "=", "~",
]


def hostile_text(rng: random.Random) -> str:
    """A random string of Kazakh pieces, control characters, scripts, runs and huge tokens."""
    kind = rng.random()
    if kind < 0.08:  # a run that stresses the abbreviation and initial rules
        return "Ғ." * rng.randint(1, 3000)
    if kind < 0.14:  # one huge token
        return rng.choice("аәбғқ") * rng.randint(1000, 60000)
    if kind < 0.20:  # random code points, lone surrogates included
        return "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 200)))
    if kind < 0.26:  # lone surrogates between words
        return " ".join(rng.choice(["\ud800", "\udfff", "Ойыл", "\udc80x"]) for _ in range(20))
    parts = [rng.choice(_PIECES) for _ in range(rng.randint(1, 40))]
    return rng.choice(["", " ", "\n"]).join(parts)


def hostile_bytes(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.3:
        return rng.randbytes(rng.randint(0, 400))
    text = hostile_text(rng).encode("utf-8", "surrogatepass")
    if kind < 0.5:
        return hostile_text(rng).encode("cp1251", "replace")
    if kind < 0.7:  # UTF-8 damaged at random positions
        data = bytearray(text)
        for _ in range(rng.randint(1, 5)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    return text


# -- row 1: the text layer and readers -------------------------------------------------------

def document_problems(doc) -> list[str]:  # type: ignore[no-untyped-def]
    """The properties every analysed Document must have; empty when it has them all: offsets
    inside the text, tokens and sentences in order without overlap, every non-space character
    in a token, every token in a sentence, and the JSON round trip."""
    from muragat.model import Document

    n, out = len(doc.text), []
    for kind, items in (("token", doc.tokens), ("sentence", doc.sentences),
                        ("paragraph", doc.paragraphs), ("span", doc.spans)):
        for x in items:
            if not 0 <= x.start <= x.end <= n or (kind == "token" and x.start == x.end):
                out.append(f"{kind} {x.start}:{x.end} outside text of {n}")
                break
    for kind, items in (("tokens", doc.tokens), ("sentences", doc.sentences)):
        for a, b in zip(items, items[1:], strict=False):
            if a.end > b.start:
                out.append(f"{kind} overlap or out of order: {a.start}:{a.end} {b.start}:{b.end}")
                break
    covered = bytearray(n)
    for tok in doc.tokens:
        covered[tok.start:tok.end] = b"\1" * (tok.end - tok.start)
    bare = next((i for i, c in enumerate(doc.text) if not covered[i] and not c.isspace()), None)
    if bare is not None and doc.tokens:
        out.append(f"non-space character {doc.text[bare]!r} at {bare} in no token")
    if doc.sentences and doc.tokens and sum(b - a for a, b in doc.sentence_token_ranges()) \
            != len(doc.tokens):
        out.append("a token in no sentence")
    raw = doc.to_json()
    again = Document.from_dict(json.loads(raw)).to_json()
    if again != raw:
        out.append("JSON round trip differs")
    return out


def _analyze_checked(row: Row, label: str, fn: Callable[[Any], object], arg: Any) -> None:
    from muragat.errors import MuragatError

    row.tried += 1
    try:
        doc = fn(arg)
    except MuragatError:
        return
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure counted
        row.fail(f"{label}: {type(exc).__name__}: {exc}")
        return
    for problem in document_problems(doc):
        row.fail(f"{label}: {problem}")


def _document_bases() -> list[bytes]:
    """A small good PDF, DOCX and HTML file, for hostile_document to damage."""
    import reliability_bombs as bombs

    pdf = bombs._pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                      b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                      b"/Resources << /Font << /F1 5 0 R >> >> >>",
                      bombs._stream(bombs._TEXT), bombs._FONT])
    html = ("<!doctype html><html><head><title>Ойыл</title><script>x()</script></head><body>"
            "<nav>Мәзір</nav><h1>Ойыл ауданы</h1><p>1929 жылы комиссия жиналыс өткізді.</p>"
            "<table><tr><td>Тоғжанов Ғ.</td></tr></table></body></html>").encode()
    return [pdf, bombs.docx_many_members(3), html]


def hostile_document(rng: random.Random, bases: list[bytes]) -> bytes:
    """A PDF, DOCX or HTML file damaged at random: bytes changed, cut, or random bytes put in."""
    data = bytearray(rng.choice(bases))
    kind = rng.random()
    if kind < 0.5:
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind < 0.75:
        del data[rng.randrange(1, len(data)):]
    else:
        at = rng.randrange(len(data))
        data[at:at] = rng.randbytes(rng.randint(1, 300))
    return bytes(data)


def fuzz_text(n: int, seed: int) -> Row:
    """analyze(), io.decode(), read_conllu(), read_bio() and extract_bytes() (damaged PDF,
    DOCX and HTML files, then analyze) on hostile input."""
    import muragat
    from muragat.extract import extract_bytes
    from muragat.formats import read_bio, read_conllu
    from muragat.io import decode

    row = Row("fuzz: text layer + readers")
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings on damaged files
    rng = random.Random(seed)
    files, bases = random.Random(seed + 1), _document_bases()  # its own stream: the others
    for i in range(n):
        text = hostile_text(rng)
        _analyze_checked(row, f"analyze seed={seed} i={i} {text[:60]!r}", muragat.analyze, text)
        data = hostile_bytes(rng)
        _analyze_checked(row, f"decode+analyze {data[:40]!r}",
                         lambda b: muragat.analyze(decode(b, "<fuzz>")), data)
        conllu = _hostile_conllu(rng)
        _analyze_checked(row, f"read_conllu {conllu[:60]!r}", read_conllu, conllu)
        bio = _hostile_bio(rng)
        _analyze_checked(row, f"read_bio {bio[:60]!r}", read_bio, bio)
        document = hostile_document(files, bases)
        _analyze_checked(row, f"extract+analyze i={i} {document[:40]!r}",
                         lambda b: muragat.analyze(extract_bytes(b, "<fuzz>").text), document)
    _hypothesis_text(row, n)
    return row


def _hypothesis_text(row: Row, n: int) -> None:
    """`n` more texts from hypothesis (derandomized: the same run every time): any code point,
    surrogates included, and runs of the pieces above. Failures are counted, not shrunk."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import muragat

    alphabet = st.characters(codec=None, exclude_categories=())
    texts = st.one_of(st.text(alphabet, max_size=300),
                      st.lists(st.sampled_from(_PIECES), max_size=30).map(" ".join))

    @settings(max_examples=n, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(texts)
    def check(text: str) -> None:
        _analyze_checked(row, f"hypothesis {text[:60]!r}", muragat.analyze, text)

    check()


def _hostile_conllu(rng: random.Random) -> str:
    lines = []
    for k in range(rng.randint(0, 8)):
        cols = [str(k + 1), rng.choice(["Ойыл", "Ғ.", "", " ", "_", "<b>", "\x00"]), "_",
                rng.choice(["NOUN", "X", "_"]), "_", "_", "0", "root", "_", "_"]
        cut = rng.randint(1, 12)
        lines.append(rng.choice(["\t", " "]).join(cols[:cut]))
        if rng.random() < 0.2:
            lines.append(rng.choice(["", "# text = ?", "1-2\tа\t_", "x\ty", "\t\t\t"]))
    return "\n".join(lines)


def _hostile_bio(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 12)):
        word = rng.choice(["Ойыл", "Тоғжанов", "", "Ғ.", " ", "<i>", "\ud800"])
        tag = rng.choice(["O", "B-PERSON", "I-PERSON", "I-LOCATION", "B-", "X", "", "B-PER SON"])
        lines.append(rng.choice([f"{word} {tag}", f"{word}\t{tag}", word, "", f"{word} {tag} z"]))
    return "\n".join(lines)


# -- subprocess helpers ----------------------------------------------------------------------

def _cli(*args: str, timeout: float = 300, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MURAGAT, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, errors="replace")


def _clean_exit(row: Row, label: str, proc: subprocess.CompletedProcess[str],
                allowed: tuple[int, ...] = (0, 3)) -> None:
    row.tried += 1
    if proc.returncode not in allowed or "Traceback" in proc.stderr:
        tail = proc.stderr.strip().splitlines()[-1:] or [""]
        row.fail(f"{label}: exit {proc.returncode}: {tail[0]}")


# -- row 2: the CLI on hostile files ---------------------------------------------------------

def hostile_files(folder: Path, big: bool) -> Iterator[tuple[Path, str]]:
    """(file, --from format) pairs a user might hand to `muragat analyze`."""
    def put(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    yield put("empty.txt", b""), "text"
    yield put("spaces.txt", b" \n\t\n"), "text"
    yield put("binary.txt", bytes(range(256)) * 64), "text"
    yield put("png.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)), "text"
    yield put("utf16.txt", "Ойыл ауданы 1929 жылы.".encode("utf-16")), "text"
    yield put("cp1251.txt", "Ойыл ауданы 1929 жылы.".encode("cp1251", "replace")), "text"
    yield put("latin1.txt", "Café 1929 €".encode("latin-1", "replace")), "text"
    yield put("nul.txt", b"\x00" * 5000), "text"
    yield put("mixed.txt", "Ойыл ".encode() + b"\xff\xfe\xc0" + "ауданы.".encode()), "text"
    yield put("bad.conllu", b"1\tx\n2\n\t\t\n# text\n1-2\ta\n"), "conllu"
    yield put("binary.conllu", os.urandom(3000)), "conllu"
    yield put("bad.bio", "Ойыл B-\n\nI-X I-Y Z\n\ud800".encode("utf-8", "surrogatepass")), "bio"
    yield put("conllu_as.bio", b"1\tx\t_\t_\n"), "bio"
    if big:  # over the default 32 MB limit: refused before it is read whole
        path = folder / "big.txt"
        with path.open("wb") as out:
            line = "Ойыл ауданы 1929 жылы жазылды.\n".encode()
            out.write(line * (40 * 2**20 // len(line) + 1))
        yield path, "text"


def cli_files(big: bool, strict: bool = True) -> Row:
    row = Row("cli: hostile files (analyze)")
    with tempfile.TemporaryDirectory() as tmp:
        for path, fmt in hostile_files(Path(tmp), big):
            proc = _cli("analyze", str(path), "--from", fmt, "--to", "json")
            _clean_exit(row, f"{path.name} --from {fmt}", proc)
            if strict and fmt == "text" and path.stat().st_size < 2**20:
                _clean_exit(row, f"{path.name} --strict",
                            _cli("analyze", str(path), "--strict", "--to", "json"))
        db = str(Path(tmp) / "h.db")  # the whole folder: some fail, none crash
        folder = _cli("ingest", tmp, "--db", db, "--no-progress")
        _clean_exit(row, "ingest of the folder", folder, allowed=(0, 1, 3))
        row.note = f"folder ingest exit {folder.returncode}"
        for q in ['"', "NEAR(", "*", "'; DROP TABLE documents; --", "\u202e\u200b", "^:"]:
            _clean_exit(row, f"search {q!r}", _cli("search", q, "--db", db), allowed=(0, 3))
        _clean_exit(row, "folder as file", _cli("analyze", tmp, "--to", "json"))
        _clean_exit(row, "missing file", _cli("analyze", str(Path(tmp) / "nope.txt")))
    return row


# -- the team's small documents for ingest ---------------------------------------------------

_SUBJECTS = ["Ойыл ауданының атқару комитеті", "Тоғжанов Ғ.", "Қызылорда губкомы",
             "Алаш партиясының мүшелері", "Семей уезінің шаруалары", "Ақмола округі"]
_VERBS = ["жиналыс өткізді", "хат жолдады", "шешім қабылдады", "тізім жасады",
          "есеп берді", "комиссия құрды"]


def write_docs(folder: Path, n: int, seed: int, prefix: str = "doc") -> list[str]:
    """`n` short Kazakh documents, each different, written for these checks."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        lines = [f"{i + 1}-құжат. {rng.randint(1920, 1937)} жылы {rng.choice(_SUBJECTS)} "
                 f"{rng.choice(_VERBS)}." for _ in range(rng.randint(2, 5))]
        name = f"{prefix}_{i:03d}.txt"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        names.append(name)
    return names


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    """`sql` on the store at `url` (an SQLite file or a PostgreSQL URL), read only."""
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as con:
            return list(con.execute(sql).fetchall())
    con = sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=30)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


def check_stored(row: Row, label: str, url: str, names: list[str]) -> None:
    """After a fault and a rerun: every file there once, nothing half-stored, check exits 0."""
    counts, half = _stored(url)
    lost = [x for x in names if counts.get(x, 0) == 0]
    twice = [x for x, k in counts.items() if k > 1]
    check = _cli("check", "--db", url)
    for what in ([f"lost {len(lost)}"] if lost else []) + \
            ([f"twice {twice[:3]}"] if twice else []) + half[:3] + \
            ([f"check exit {check.returncode}"] if check.returncode else []):
        row.fail(f"{label}: {what}")


def _stored(url: str) -> tuple[dict[str, int], list[str]]:
    """Rows per source file, and the documents whose sentences are not all there."""
    counts: dict[str, int] = {}
    for (source,) in _rows(url, "SELECT source FROM documents"):
        key = Path(source or "").name
        counts[key] = counts.get(key, 0) + 1
    half = [f"doc {i}: {n} sentences, {m} stored" for i, n, m in _rows(
        url, "SELECT d.id, d.n_sentences, (SELECT count(*) FROM sentences s"
        " WHERE s.doc_id = d.id) FROM documents d") if n != m]
    return counts, half


def _count(url: str) -> int:
    """Documents committed so far; 0 while the store does not exist yet."""
    try:
        return int(_rows(url, "SELECT count(*) FROM documents")[0][0])
    except Exception:  # noqa: BLE001 - not created yet, or mid-migration: nothing committed
        return 0


# -- row 3: kill -9 during ingest ------------------------------------------------------------

def _pg_schema_url(base: str, name: str) -> str:
    """A fresh schema in the PostgreSQL test database, as a store URL (as the tests do)."""
    import psycopg

    with psycopg.connect(base, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        con.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{name}"


def _drop_schema(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def kill_ingest(n_docs: int, seed: int, backend: str = "sqlite", more: bool = False) -> Row:
    """kill -9 at 3 moments (start-up, first documents, mid-way; `more`: 6), then a rerun:
    every document stored once."""
    row = Row(f"kill -9 during ingest ({n_docs} docs, {backend})")
    moments = [("start-up", 0), ("after 1st doc", 1), ("mid-way", n_docs // 2)]
    if more:
        moments += [("a quarter", n_docs // 4), ("3/4", 3 * n_docs // 4), ("last", n_docs - 1)]
    points: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        names = write_docs(docs, n_docs, seed)
        for label, after in moments:
            url = str(Path(tmp) / f"kill_{after}.db") if backend == "sqlite" else \
                _pg_schema_url(os.environ[PG_ENV], f"reliability_kill_{after}")
            proc = subprocess.Popen([MURAGAT, "ingest", str(docs), "--db", url,
                                     "--no-progress"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
            began = time.monotonic()
            while proc.poll() is None and time.monotonic() - began < 120:
                if (after == 0 and time.monotonic() - began > 0.5) or \
                        (after and _count(url) >= after):
                    break
                time.sleep(0.05)
            killed_at = _count(url)
            points.append(f"{killed_at}" if proc.poll() is None else "done")
            proc.kill()
            proc.wait()
            rerun = _cli("ingest", str(docs), "--db", url, "--no-progress")
            _clean_exit(row, f"{label}: rerun", rerun, allowed=(0,))  # one kill point
            check_stored(row, f"{label} (killed with {killed_at} stored)", url, names)
            if backend != "sqlite":
                _drop_schema(os.environ[PG_ENV], f"reliability_kill_{after}")
    row.note = f"killed with {'/'.join(points)} documents stored; lost, twice, half-stored = failures"
    return row


# -- row 4: readers while an ingest runs -----------------------------------------------------

def concurrent_readers(n_docs: int, n_searches: int, seed: int) -> Row:
    row = Row("concurrent searches + web during ingest")
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "a", Path(tmp) / "b"
        write_docs(first, 5, seed)
        write_docs(second, n_docs, seed + 1)
        db = Path(tmp) / "c.db"
        _clean_exit(row, "seed ingest", _cli("ingest", str(first), "--db", str(db),
                                             "--no-progress"), allowed=(0,))
        row.tried = 0
        writer = subprocess.Popen([MURAGAT, "ingest", str(second), "--db", str(db),
                                   "--no-progress"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        words = ["комиссия", "жиналыс", '"Ойыл ауданы"', "Тоғжанов", "шешім"]
        running: list[tuple[str, subprocess.Popen[str]]] = []
        started = overlapped = web_tried = 0
        from fastapi.testclient import TestClient

        from muragat.web import create_app

        client = TestClient(create_app(str(db)), raise_server_exceptions=False)
        while started < n_searches or running:
            while started < n_searches and len(running) < 2:
                overlapped += writer.poll() is None
                q = words[started % len(words)]
                running.append((q, subprocess.Popen(
                    [MURAGAT, "search", q, "--db", str(db), "--limit", "3"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
                started += 1
            q, p = running.pop(0)
            for url in (f"/api/v1/search?q={q}", "/", f"/?q={q}", "/entities"):
                web_tried += 1  # the read-only web app, in this process, over the same store
                r = client.get(url)
                if r.status_code != 200:
                    row.fail(f"web GET {url} during ingest: {r.status_code}")
            _, err = p.communicate(timeout=120)
            row.tried += 1
            if p.returncode != 0 or "locked" in err or "Traceback" in err:
                row.fail(f"search {q}: exit {p.returncode}: {err.strip()[-200:]}")
        _, err = writer.communicate(timeout=300)
        if writer.returncode != 0:
            row.fail(f"the ingest itself: exit {writer.returncode}: {err.strip()[-200:]}")
        client.close()
        row.tried += web_tried
        row.note = (f"{n_searches} CLI searches ({overlapped} started while the ingest ran) "
                    f"+ {web_tried} web requests")
    return row


# -- row 4b: damaged store files -------------------------------------------------------------

def damaged_store(seed: int) -> Row:
    """A truncated and an overwritten SQLite file: search, ingest and check exit 4 cleanly,
    and the ingest writes nothing into them."""
    row = Row("damaged store files (exit 4)")
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        write_docs(docs, 5, seed)
        good = Path(tmp) / "good.db"
        _cli("ingest", str(docs), "--db", str(good), "--no-progress")
        data = good.read_bytes()
        for name, damaged in (("truncated", data[: len(data) // 2]),
                              ("header overwritten", os.urandom(100) + data[100:]),
                              ("zeroed", bytes(len(data))), ("text file", b"hello\n" * 500)):
            db = Path(tmp) / f"{name.replace(' ', '_')}.db"
            db.write_bytes(damaged)
            for args in (("search", "комиссия"), ("ingest", str(docs), "--no-progress"),
                         ("check",)):
                proc = _cli(*args, "--db", str(db))
                _clean_exit(row, f"{name}: {args[0]}", proc, allowed=(4,))
                if args[0] == "ingest" and db.read_bytes() != damaged:
                    row.fail(f"{name}: ingest wrote into the damaged file")
    return row


# -- row 5: the query parser -----------------------------------------------------------------

_QUERY_PIECES = ['"', "'", "«", "»", "“", "”", "„", "(", ")", "[", "]", "{", "}", "NEAR(",
                 "NEAR", "AND", "OR", "NOT", "*", "^", ":", "-", "+", "=", "~", ",", "\\",
                 "комиссия", "Ойыл", "Тоғжановтың", "Ғ.", "1929", "lemma:", "title:", "\x00",
                 "\ud800", "😀", " ", "  ", "\t", "'; DROP TABLE documents; --", "%", "_",
                 "<script>", "&", "|", "!", "/", "€", "ё", "ẞ"]


def hostile_query(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 40)))
    return "".join(rng.choice(_QUERY_PIECES) for _ in range(rng.randint(1, 14)))


def fuzz_queries(n: int, seed: int) -> Row:
    """parse() and a search on a small store: MuragatError or a result, nothing else."""
    from muragat.errors import MuragatError
    from muragat.ingest import Record, ingest_record
    from muragat.pipeline import DEFAULT_LAYERS
    from muragat.search import search, search_documents
    from muragat.search.query import parse
    from muragat.store import open_store

    row = Row("fuzz: query parser + search")
    rng = random.Random(seed)
    refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        write_docs(folder, 4, seed)
        with open_store(str(Path(tmp) / "q.db")) as store:
            for path in sorted(folder.iterdir()):
                ingest_record(store, Record(path.name, path.read_text()), DEFAULT_LAYERS)
            for i in range(n):
                q = hostile_query(rng)
                for name, fn in (("parse", parse),
                                 ("search", lambda x: search(store, x, limit=3)),
                                 ("documents", lambda x: search_documents(store, x, limit=3))):
                    row.tried += 1
                    try:
                        fn(q)
                    except MuragatError:
                        refused += 1
                    except Exception as exc:  # noqa: BLE001 - the failure counted
                        row.fail(f"{name} i={i} {q!r}: {type(exc).__name__}: {exc}")
    row.note = f"{refused} refused with a message"
    return row


# -- row 6: the web pages with hostile content -----------------------------------------------

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
ESCAPED = ("&lt;script&gt;alert(", "&lt;img src=x onerror=alert(")  # annotations split the rest


def web_hostile() -> Row:
    """Every page over a store with hostile text and entity names: escaped, ids refused 4xx."""
    from fastapi.testclient import TestClient
    from web_helpers import build_store

    from muragat import analyze
    from muragat.model import Span
    from muragat.store import open_store
    from muragat.web import create_app

    row = Row("web: XSS + bad ids (every page)")
    with tempfile.TemporaryDirectory() as tmp:
        db = build_store(Path(tmp))
        text = f"Тоғжанов {PAYLOADS[0]} Ғ. 1929 жылы хат жазды.\nАуданға {PAYLOADS[1]} келді.\n"
        doc = analyze(text)
        for payload in PAYLOADS:  # entities named with the payload, whatever NER made of it
            start = text.index(payload)
            doc.add_spans([Span("ner", "PERSON", start, start + len(payload))])
        with open_store(db) as store:
            store.add_document(doc, "hostile-entity-" + str(len(text)), PAYLOADS[0] + ".txt")
        with TestClient(create_app(db), raise_server_exceptions=False) as client:
            ids = [d["id"] for d in client.get("/api/v1/documents?limit=100").json()["documents"]]
            ents = [e["id"] for e in
                    client.get("/api/v1/entities?limit=500").json()["entities"]]
            urls = ["/", "/documents", "/entities", "/entities?type=PERSON", "/timeline",
                    *[f"/?q={p}" for p in PAYLOADS], *[f"/timeline?q={p}" for p in PAYLOADS],
                    *[f"/entities?q={p}" for p in PAYLOADS],
                    *[f"/documents/{i}" for i in ids], *[f"/entities/{quote(e, safe='')}" for e in ents]]
            for url in urls:
                row.tried += 1
                r = client.get(url)
                if r.status_code >= 500 or (r.status_code != 200 and "?" not in url):
                    row.fail(f"GET {url}: {r.status_code}")
                elif any(p in r.text for p in PAYLOADS):
                    row.fail(f"GET {url}: payload unescaped")
            shown = client.get(f"/documents/{max(ids)}").text  # else the check above is vacuous
            if not all(x in shown for x in ESCAPED):
                row.fail("the hostile document's page does not show its text escaped")
            bad = ["/documents/../../etc/passwd", "/documents/..%2F..%2Fetc%2Fpasswd",
                   "/documents/%2e%2e/%2e%2e/etc/passwd", "/documents/abc", "/documents/-1",
                   "/documents/1.5", "/documents/" + "9" * 40, "/documents/%00",
                   "/entities/../../etc/passwd", "/entities/" + "x" * 5000,
                   "/api/v1/documents/" + "9" * 40, "/api/v1/documents/../../etc/passwd",
                   "/api/v1/entities/%00", "/api/v1/search?q=" + "%22" * 300,
                   "/api/v1/search?q=x&limit=99999999999999999999", "/?q=%ff%fe",
                   "/api/v1/search?q=" + PAYLOADS[0], "/static/../../pyproject.toml"]
            for url in bad:
                row.tried += 1
                r = client.get(url)
                if r.status_code >= 500:
                    row.fail(f"GET {url}: {r.status_code}")
                elif "[project]" in r.text or "root:" in r.text:
                    row.fail(f"GET {url}: served a file outside the app")
                elif "text/html" in r.headers.get("content-type", "") and \
                        any(p in r.text for p in PAYLOADS):
                    row.fail(f"GET {url}: payload unescaped")
            before = _count(db)
            for what, kwargs in (  # bodies: too big, not JSON, wrong types; a write, read-only
                    ("analyze 40 MB", {"content": b'{"text": "' + b"a" * 40 * 2**20 + b'"}'}),
                    ("analyze not JSON", {"content": b"\xff{"}),
                    ("analyze wrong type", {"json": {"text": ["x"]}}),
                    ("analyze payload", {"json": {"text": PAYLOADS[0] * 50}})):
                row.tried += 1
                r = client.post("/api/v1/analyze", headers={"content-type": "application/json"},
                                **kwargs)
                if r.status_code >= 500 or (what != "analyze payload" and r.status_code < 400):
                    row.fail(f"POST /api/v1/analyze ({what}): {r.status_code}")
            row.tried += 1
            r = client.post("/api/v1/documents", json={"text": "Ойыл ауданы.", "source": "x"})
            if not 400 <= r.status_code < 500 or _count(db) != before:
                row.fail(f"POST /api/v1/documents on a read-only server: {r.status_code}")
    return row


# -- the table -------------------------------------------------------------------------------

ROWS = ("fuzz", "cli", "kill", "pgrestart", "concurrent", "writers", "damaged", "diskfull",
        "readonly", "query", "web", "bombs", "load", "schema", "browser")
# what --short leaves out: both run in `make test` already (tests/test_web_schema.py and
# tests/test_web_browser.py); CI's short run stays within its time
SLOW_ROWS = ("schema", "browser")
FUZZ_ROWS = ("fuzz", "query")  # `make fuzz`: these with --scale


def _guarded(name: str, plan: Callable[[], Row]) -> Row:
    """The row, or a failed row when the check itself broke: the table is printed anyway."""
    try:
        return plan()
    except Exception as exc:  # noqa: BLE001 - a broken check is a failure, not a crash
        row = Row(f"{name} (the check broke)")
        row.tried += 1
        row.fail(f"{type(exc).__name__}: {exc}")
        return row


def run(rows: tuple[str, ...], short: bool, seed: int, scale: int = 1) -> list[Row]:
    import reliability_bombs as bombs
    import reliability_faults as faults
    import reliability_load as served

    n_kill = 30 if short else 60
    plans: dict[str, Callable[[], Row]] = {
        "fuzz": lambda: fuzz_text(scale * (300 if short else 2000), seed),
        "cli": lambda: cli_files(big=True, strict=not short),
        "kill": lambda: kill_ingest(n_kill, seed, more=not short),
        "pgrestart": lambda: faults.pg_restart(n_kill, seed),
        "concurrent": lambda: concurrent_readers(150 if short else 1000, 8 if short else 30, seed),
        "writers": lambda: faults.writers(4 if short else 15, seed),
        "damaged": lambda: damaged_store(seed),
        "diskfull": lambda: faults.disk_full(seed),
        "readonly": lambda: faults.read_only_store(seed),
        "query": lambda: fuzz_queries(scale * (1000 if short else 5000), seed),
        "web": web_hostile,
        "bombs": lambda: bombs.bombs(short=short),
        "load": lambda: served.load(100 if short else 300, 1.5 if short else 8.0, seed),
        "schema": lambda: served.schema(5 if short else 20, seed),
        "browser": served.browser,
    }
    from muragat.io import decoding

    out = []
    for name in rows:
        began = time.monotonic()
        warnings: list[str] = []  # repaired-input warnings: expected, counted, not printed
        with decoding(on_warning=warnings.append):
            row = _guarded(name, plans[name])
            extra = [_guarded(name, lambda: kill_ingest(n_kill, seed, "postgres", not short))] \
                if name == "kill" and os.environ.get(PG_ENV) else []
        if warnings:
            row.note = (row.note + "; " if row.note else "") + f"{len(warnings)} warnings"
        row.note = (row.note + "; " if row.note else "") + f"{time.monotonic() - began:.0f} s"
        for r in [row, *extra]:
            out.append(r)
            print(f"  … {r.check}: {r.tried} tried, {r.failures} failures ({r.note})",
                  file=sys.stderr, flush=True)
    return out


def table(rows: list[Row]) -> str:
    width = max(len(r.check) for r in rows)
    lines = [f"{'check':<{width}}  {'tried':>6}  {'failures':>8}  note",
             f"{'-' * width}  {'-' * 6}  {'-' * 8}  ----"]
    lines += [f"{r.check:<{width}}  {r.tried:>6}  {r.failures:>8}  {r.note}" for r in rows]
    for r in rows:
        lines += [f"  · {r.check}: {x}" for x in r.details]
        lines += [f"  ! {r.check}: {x}" for x in r.examples]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--short", action="store_true", help="the CI run (about 2 minutes)")
    ap.add_argument("--rows", default=None,
                    help=f"some of: {','.join(ROWS)} (default: all; --short: all but "
                    f"{','.join(SLOW_ROWS)})")
    ap.add_argument("--scale", type=int, default=1,
                    help="times more inputs in the fuzz rows (`make fuzz`: --rows fuzz,query "
                    "--scale 5)")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    chosen = args.rows if args.rows is not None else ",".join(
        x for x in ROWS if not (args.short and x in SLOW_ROWS))
    rows = tuple(x for x in chosen.split(",") if x)
    unknown = set(rows) - set(ROWS)
    if unknown:
        ap.error(f"unknown rows: {sorted(unknown)}")
    if shutil.which(MURAGAT) is None and set(rows) - {"fuzz", "query", "web"}:
        ap.error(f"{MURAGAT} not found: run `make` first")
    began = time.monotonic()
    results = run(rows, args.short, args.seed, max(1, args.scale))
    if args.json:
        print(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=1))
    else:
        print(table(results))
        print(f"({'short' if args.short else 'long'} run, seed {args.seed}, "
              f"{time.monotonic() - began:.0f} s, load {os.getloadavg()[0]:.1f})")
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
