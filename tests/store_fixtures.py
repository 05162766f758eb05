"""Fixtures for the store tests: the same tests run on both backends.

Loaded with `pytest_plugins = ["store_fixtures"]`. The PostgreSQL variant needs
MURAGAT_TEST_PG_URL (scripts/ci/start_postgres.sh prints one) and is skipped without it;
each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import PG_ENV, pg_schema

from muragat.store import Store, open_store


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store URL for the backend named by the test's parameter."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield str(tmp_path / "muragat.db")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set (run scripts/ci/start_postgres.sh)")
    with pg_schema(base) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s
