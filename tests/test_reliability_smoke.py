"""The cheapest rows of scripts/reliability.py, small: hostile text, queries and web pages.

The script prints the figures (`make reliability`); these tests hold the same properties on
a few seeded inputs, so a regression shows up in the ordinary suite.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from muragat.io import decoding

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "reliability.py"


@pytest.fixture(scope="module")
def reliability():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("reliability", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["reliability"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _quiet(fn, *args):  # type: ignore[no-untyped-def]
    with decoding(on_warning=lambda _message: None):
        return fn(*args)


def test_hostile_text_keeps_every_document_property(reliability) -> None:  # type: ignore[no-untyped-def]
    row = _quiet(reliability.fuzz_text, 25, 7)
    assert row.tried == 125  # 4 readers x 25, and 25 from hypothesis
    assert row.failures == 0, row.examples


def test_document_checks_catch_a_broken_document(reliability) -> None:  # type: ignore[no-untyped-def]
    from muragat import analyze
    from muragat.model import Token

    doc = analyze("Ойыл ауданы 1929 жылы жиналыс өткізді.")
    assert reliability.document_problems(doc) == []
    doc.tokens.append(Token(0, 999))
    problems = reliability.document_problems(doc)
    assert any("outside" in p for p in problems) and any("overlap" in p for p in problems)


def test_hostile_queries_raise_only_muragat_errors(reliability) -> None:  # type: ignore[no-untyped-def]
    row = _quiet(reliability.fuzz_queries, 60, 7)
    assert row.tried == 180
    assert row.failures == 0, row.examples


def test_every_page_escapes_hostile_content_and_refuses_bad_ids(reliability) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("fastapi")
    row = _quiet(reliability.web_hostile)
    assert row.tried > 30
    assert row.failures == 0, row.examples
