"""What every reader of a format returns: the text, and where it came from (a leaf module, so
the readers need not import the package that dispatches to them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Extracted:
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
