"""The whole analysis as one call: text -> Document with every layer filled."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from muragat.model import Document

# Order matters: each layer reads what the earlier ones wrote.
DEFAULT_LAYERS: tuple[str, ...] = ("text", "morph", "ner", "values", "cite", "facts")
KNOWN_LAYERS: tuple[str, ...] = DEFAULT_LAYERS

Annotator = Callable[[Document], Document]


def layer(name: str) -> Annotator:
    """The `annotate(doc)` function of the layer package `muragat.<name>`."""
    return importlib.import_module(f"muragat.{name}").annotate


def run(doc: Document, layers: Sequence[str] = DEFAULT_LAYERS) -> Document:
    for name in layers:
        doc = layer(name)(doc)
    return doc


def analyze(text: str, layers: Sequence[str] = DEFAULT_LAYERS) -> Document:
    """Analyse raw text with every layer; `Document.text` stays exactly `text`."""
    return run(Document(text=text), layers)
