"""The whole analysis as one call: text -> Document with every layer filled.

Each layer declares what it needs and what it owns (`Layer`); `check` refuses an order in
which a layer would run before what it reads, and `run` lets a layer replace only its own
spans, so running a layer again gives the same document instead of doubling its spans.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from muragat.errors import EXIT_USAGE, MuragatError
from muragat.i18n import t
from muragat.model import Document

Annotator = Callable[[Document], Document]


class PipelineError(MuragatError):
    """Layers asked for in an order that cannot work, or a layer that does not exist."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    requires: tuple[str, ...] = ()  # layers that must have run before (their output is read)
    after: tuple[str, ...] = ()  # layers that, when they run at all, must run before this one
    owns: tuple[str, ...] = ()  # span layers it writes: dropped before it runs again

    def annotator(self) -> Annotator:
        return _annotate_of(self.name)


# The default order is this table's order.
LAYERS: dict[str, Layer] = {layer.name: layer for layer in (
    Layer("text"),  # paragraphs, sentences, tokens (kept when a document already has them)
    Layer("morph", requires=("text",)),  # lemma, UPOS, features of every token
    Layer("ner", requires=("text",), after=("morph",), owns=("ner",)),
    # values attach to the NER spans they cover, so NER must come first when both run
    Layer("values", requires=("text",), after=("ner",), owns=("value",)),
    # cite adjusts the NER spans of the bibliography, and values skip citation brackets
    Layer("cite", requires=("text",), after=("ner", "values"),
          owns=("section", "footer", "citation", "bibliography")),
    Layer("facts", requires=("text",), after=("morph", "ner", "values", "cite"), owns=("event",)),
)}
DEFAULT_LAYERS: tuple[str, ...] = tuple(LAYERS)
KNOWN_LAYERS: tuple[str, ...] = DEFAULT_LAYERS


@cache
def _annotate_of(name: str) -> Annotator:
    return importlib.import_module(f"muragat.{name}").annotate  # type: ignore[no-any-return]


def check(names: Sequence[str], done: Sequence[str] = ()) -> tuple[Layer, ...]:
    """The layers of `names` in that order, or a PipelineError saying what is wrong. `done`:
    layers already run on the document (its meta["layers"])."""
    seen = list(done)
    out = []
    for i, name in enumerate(names):
        layer = LAYERS.get(name)
        if layer is None:
            raise PipelineError(t(f"белгісіз қабат: {name} (бар қабаттар: {', '.join(LAYERS)})",
                                  f"unknown layer: {name} (known: {', '.join(LAYERS)})"))
        missing = [r for r in layer.requires if r not in seen]
        if missing:
            raise PipelineError(t(
                f"'{name}' қабатына алдымен {', '.join(missing)} қабаты керек",
                f"layer '{name}' needs {', '.join(missing)} to run before it"))
        late = [a for a in layer.after if a in names[i + 1:] and a not in seen]
        if late:
            raise PipelineError(t(
                f"'{name}' қабаты {', '.join(late)} қабатынан кейін жүруі керек",
                f"layer '{name}' must run after {', '.join(late)}"))
        seen.append(name)
        out.append(layer)
    return tuple(out)


def layer(name: str) -> Annotator:
    """The layer `name` as a function of a document, under the contract: the spans it owns
    are replaced, not added to, and the document records that it ran."""
    spec = LAYERS.get(name)
    if spec is None:
        check([name])  # raises, naming the known layers
    return lambda doc: _apply(spec, doc)


def _apply(spec: Layer, doc: Document) -> Document:
    if spec.owns and doc.spans:
        doc.spans = [s for s in doc.spans if s.layer not in spec.owns]
    doc = spec.annotator()(doc)
    ran = doc.meta.setdefault("_layers", [])
    if spec.name not in ran:
        ran.append(spec.name)
    return doc


def run(doc: Document, layers: Sequence[str] = DEFAULT_LAYERS) -> Document:
    for spec in check(layers, done=doc.meta.get("_layers", ())):
        doc = _apply(spec, doc)
    return doc


def analyze(text: str, layers: Sequence[str] = DEFAULT_LAYERS) -> Document:
    """Analyse raw text with every layer; `Document.text` stays exactly `text`."""
    return run(Document(text=text), layers)
