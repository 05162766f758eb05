"""`muragat events`: stored events filtered by type, person and years (issue 19)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from muragat.cli.app import cli
from muragat.cli.events import select
from muragat.errors import InputError
from muragat.store.base import StoredSpan

BIO = (
    "Жүсіпбек Тәңірбергенов 1899 жылы Торғай уезінде туған.\n"
    "1932 жылы 23 ақпанда ол Алматыда тұтқындалды.\n"
    "1941 жылы 15 қыркүйекте әскери трибунал оны ату жазасына кесті.\n"
    "Тәңірбергенов 1957 жылы 11 шілдеде ақталды.\n"
)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _span(label: str, date: str | None, subject: str | None) -> StoredSpan:
    attrs = {k: v for k, v in {"date": date, "subject": subject}.items() if v}
    return StoredSpan(1, 0, "event", label, 0, 1, attrs, 0, "")


def test_select_filters_and_orders_by_date() -> None:
    spans = [_span("EXECUTED", "1938-02-08", "Сарыбаев"), _span("ARRESTED", "1929-12-07", "Сарыбаев"),
             _span("ARRESTED", "1937/1938", "Омаров"), _span("ARRESTED", None, "Сарыбаев")]
    got = select(spans, ("arrested",), "сары", None, None)
    assert [r["date"] for r in got] == ["1929-12-07", None]
    assert [r["date"] for r in select(spans, (), None, 1938, None)] == ["1937/1938", "1938-02-08"]
    assert [r["date"] for r in select(spans, (), None, None, 1930)] == ["1929-12-07"]


def test_events_from_a_stored_biography(tmp_path: Path) -> None:
    text = tmp_path / "bio.txt"
    text.write_text(BIO, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert _run("ingest", "--db", db, str(text))[0] == 0
    code, out = _run("events", "--db", db, "--json")
    rows = json.loads(out)
    assert code == 0
    assert [r["type"] for r in rows] == ["ARRESTED", "SENTENCED_TO_DEATH", "REHABILITATED"]
    assert all("Тәңірбергенов" in r["subject"] for r in rows)
    code, out = _run("events", "--db", db, "--type", "REHABILITATED", "--from", "1950", "--csv")
    (only,) = list(csv.DictReader(io.StringIO(out)))
    assert (only["type"], only["date"]) == ("REHABILITATED", "1957-07-11")


def test_an_unknown_type_is_bad_input(tmp_path: Path) -> None:
    # InputError is what the entry point turns into exit 3 with the message, no traceback
    with pytest.raises(InputError, match="SHOT"):
        _run("events", "--db", str(tmp_path / "none.db"), "--type", "SHOT")
