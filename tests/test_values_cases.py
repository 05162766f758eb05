"""The hand-written value suite (tests/data/value_cases.tsv), one pytest case per row."""

from __future__ import annotations

from pathlib import Path

import pytest

from muragat.values.cases import check, load_cases

CASES = load_cases(Path(__file__).parent / "data" / "value_cases.tsv")


def test_suite_is_big_enough() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[f"{i:03d}-{c.label}" for i, c in enumerate(CASES)])
def test_value_case(case) -> None:
    problem = check(case)
    assert problem is None, problem
