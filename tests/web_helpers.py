"""Shared by the web tests: a small store of the team's demo texts plus a hostile document."""

from __future__ import annotations

from pathlib import Path

from muragat.batch import ingest
from muragat.ingest import Record, ingest_record
from muragat.pipeline import DEFAULT_LAYERS
from muragat.store import open_store

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "demo"
TOGZHANOV = REPO / "tests" / "data" / "store_docs" / "01_togzhanov.txt"  # has Тоғжановтың
HOSTILE_SOURCE = '<script>alert("src")</script>.txt'
HOSTILE_TEXT = (
    'Ойыл ауданы туралы <script>alert("xss")</script> хат 1929 жылы жазылды.\n'
    'Комиссия "><img src=x onerror=alert(1)> деп жазды & т.б.\n'
)


def build_store(folder: Path) -> str:
    """An SQLite store in `folder`: the demo documents, the Тоғжанов text and a hostile one."""
    url = str(folder / "web.db")
    with open_store(url) as store:
        report = ingest(store, [DEMO, TOGZHANOV], progress=False)
        assert not report.failures, report.failures
        assert ingest_record(store, Record(HOSTILE_SOURCE, HOSTILE_TEXT), DEFAULT_LAYERS)
    return url
