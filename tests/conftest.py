"""Shared fixtures: where ../shared is, and the acceptance sample."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    candidates = [os.environ.get("MURAGAT_SHARED"), REPO.parent / "shared"]
    for c in candidates:
        if c and Path(c, "samples").is_dir():
            return Path(c)
    return None


@pytest.fixture
def shared() -> Path:
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is not beside the repository")
    return path


@pytest.fixture
def sample_text(shared: Path) -> str:
    return (shared / "samples" / "000_5736a8e420be0dde.txt").read_text(encoding="utf-8")
