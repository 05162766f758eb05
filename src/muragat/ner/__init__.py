"""Kazakh named entities: KazNERD's 25 classes from a CRF shipped in the package.

    from muragat import ner
    ner.tag([["Ғ.", "Тоғжанов", "Алматыға", "барды", "."]])
    # [['B-PERSON', 'I-PERSON', 'B-GPE', 'O', 'O']]

`annotate(doc)` adds Span(layer="ner", label=CLASS, attrs={"lemma": base form}) per entity,
never across a sentence. The model loads once, lazily (`model()`).
"""

from __future__ import annotations

from functools import cache

from muragat.model import Document, Span
from muragat.ner import domain, names
from muragat.ner.lemma import base_form
from muragat.ner.rules import is_historical
from muragat.ner.spans import entities
from muragat.ner.tagger import MODEL_FILE, NER
from muragat.text.script import CONVERTIBLE, to_cyrillic

LAYER = "ner"
LABELS: tuple[str, ...] = (
    "ADAGE", "ART", "CARDINAL", "CONTACT", "DATE", "DISEASE", "EVENT", "FACILITY", "GPE",
    "LANGUAGE", "LAW", "LOCATION", "MISCELLANEOUS", "MONEY", "NON_HUMAN", "NORP", "ORDINAL",
    "ORGANISATION", "PERCENTAGE", "PERSON", "POSITION", "PRODUCT", "PROJECT", "QUANTITY", "TIME",
)

__all__ = ["LABELS", "LAYER", "MODEL_FILE", "NER", "annotate", "load", "model", "tag"]


def load(path: str | None = None) -> NER:
    """A model from `path` (default: the one shipped in the package)."""
    return NER.load(path) if path else NER.load()


@cache
def model() -> NER:
    """The shipped model, loaded on first use and kept."""
    return load()


def tag(sentences: list[list[str]]) -> list[list[str]]:
    """IOB2 labels for pre-tokenized sentences of one document."""
    return list(model().map(sentences))


def annotate(doc: Document) -> Document:
    """Add the `ner` layer: one span per entity, its base form in attrs["lemma"]."""
    if not doc.tokens:  # the text layer always runs first in the pipeline; be safe alone
        from muragat import text

        doc = text.annotate(doc)
    tagger = model()
    spans: list[Span] = []
    # the model was trained on surface forms (KazNERD keeps «» and ""), not on .norm; a Latin or
    # Arabic-script document is read through its Cyrillic norms (muragat.text.script)
    converted = doc.meta.get("script") in CONVERTIBLE
    sents = [(toks, [tok.norm if converted and tok.norm else doc.text[tok.start : tok.end]
                     for tok in toks])
             for _sent, toks in doc.sentence_tokens() if toks]
    historical = is_historical(w for _, words in sents for w in words)
    tagged = [tagger(words, historical) for _, words in sents]
    refs: dict[tuple[int, int], tuple[int, int, int]] = {}
    if historical:  # a name the document gives in full is that name throughout it
        names.document_names([words for _, words in sents], tagged)
        refs = domain.document_bodies([words for _, words in sents], tagged)
    at: dict[tuple[int, int], Span] = {}
    for s, ((toks, words), labels) in enumerate(zip(sents, tagged, strict=True)):
        for label, a, b in entities(labels):
            first, last = toks[a], toks[b - 1]
            lemma = base_form(words[a:b])
            prefix = doc.text[first.start : last.start] if b - a > 1 else ""
            if prefix:  # line breaks inside a name (damaged text) become one space
                prefix = " ".join(prefix.split()) + (" " if prefix[-1].isspace() else "")
                if converted:  # the lemma is Cyrillic: so is the rest of the name
                    prefix = to_cyrillic(prefix, doc.meta["script"])
            spans.append(Span(LAYER, label, first.start, last.end, {"lemma": prefix + lemma}))
            at[(s, a)] = spans[-1]
    for (s, i), (rs, ra, _rb) in refs.items():  # `Комитет` right after the committee named
        short, full = at.get((s, i)), at.get((rs, ra))
        if short is not None and full is not None and short.label == full.label == "ORGANISATION":
            short.attrs["refers"] = full.attrs["lemma"]
    doc.spans = [s for s in doc.spans if s.layer != LAYER]  # annotating twice must not duplicate
    doc.add_spans(spans)
    doc.meta["_ner"] = True  # working state: later layers attach to these spans (muragat.values)
    return doc
