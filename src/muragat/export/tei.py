"""TEI P5 XML: paragraphs, sentences and inline persName / placeName / orgName / date / num,
citations as `ref` pointing at the bibliography's `bibl` entries.

Standoff spans become inline elements only where they nest; a span that crosses another
element's boundary is left out of the markup (its text stays), so the output is always
well-formed XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from muragat.model import Document, Range, Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
# KazNERD labels to TEI elements; other entity labels become <name type="LABEL">.
NER_ELEMENTS = {"PERSON": "persName", "LOCATION": "placeName", "GPE": "placeName",
                "FACILITY": "placeName", "ORGANISATION": "orgName", "ORGANIZATION": "orgName",
                "ORG": "orgName", "LOC": "placeName", "PER": "persName"}
# KazNERD's numeric classes: <date>, <time> or <num type="...">, not <name>.
VALUE_ELEMENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENTAGE"})
# Characters XML 1.0 forbids: dropped from the exported text.
_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(slots=True)
class _Element:
    start: int
    end: int
    rank: int  # p outside s outside spans, when they share a range
    open: str
    close: str


def _clean(text: str) -> str:
    return escape(_INVALID.sub("", text))


def _attrs(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f" {k}={quoteattr(_INVALID.sub('', str(v)))}" for k, v in pairs
                   if v not in (None, ""))


def _date_attrs(value: str) -> list[tuple[str, object]]:
    if "/" in value:
        lo, _, hi = value.partition("/")
        return [("from", lo), ("to", hi)]
    return [("when", value)] if value else []


def span_tag(span: Span) -> tuple[str, list[tuple[str, object]]] | None:
    """The TEI element and attributes for a span, or None when it has no inline form."""
    a = span.attrs
    # one span per entity (muragat.values): a numeric NER class is a date / num / time, with
    # the normalized value the values layer attached where there is one
    if span.layer == "value" or (span.layer == "ner" and span.label in VALUE_ELEMENTS):
        value = a.get("value")
        if span.label == "DATE":
            return "date", _date_attrs(str(value or ""))
        if span.label == "TIME":
            return "time", []
        unit = a.get("unit")
        if isinstance(value, dict):  # MONEY / QUANTITY: {"amount": 5600.4, "currency": "SUR"}
            value, unit = value.get("amount"), value.get("currency") or value.get("unit") or unit
        return "num", [("type", span.label.lower()), ("value", value), ("unit", unit)]
    if span.layer == "ner":
        name = NER_ELEMENTS.get(span.label)
        if name is None:
            return "name", [("type", span.label), ("key", a.get("lemma"))]
        return name, [("key", a.get("lemma"))]
    if span.layer == "citation":
        entry = a.get("entry")
        target = f"#bibl-{entry}" if isinstance(entry, int) else None
        return "ref", [("type", "citation"), ("n", a.get("ref")), ("target", target)]
    if span.layer == "bibliography":
        return "bibl", [("n", a.get("number"))]
    return None


def _elements(doc: Document) -> list[_Element]:
    out: list[_Element] = []
    paragraphs = doc.paragraphs or ([Range(0, len(doc.text))] if doc.text else [])
    for p in paragraphs:
        out.append(_Element(p.start, p.end, 0, "<p>", "</p>"))
    for s in doc.sentences:
        out.append(_Element(s.start, s.end, 1, "<s>", "</s>"))
    entries = 0  # bibliography entries get ids in text order: citations point at them
    for span in sorted(doc.spans, key=lambda sp: sp.start):
        tag = span_tag(span)
        if tag and span.end > span.start:
            name, attrs = tag
            if span.layer == "bibliography":
                attrs = [("xml:id", f"bibl-{entries}"), *attrs]
                entries += 1
            out.append(_Element(span.start, span.end, 2, f"<{name}{_attrs(attrs)}>", f"</{name}>"))
    out.sort(key=lambda e: (e.start, -e.end, e.rank))
    return out


def body_xml(doc: Document) -> str:
    """The document's text with nested inline markup."""
    text = doc.text
    parts: list[str] = []
    stack: list[_Element] = []
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1].end <= limit:
            top = stack.pop()
            parts.append(_clean(text[pos : top.end]) + top.close)
            pos = top.end

    for el in _elements(doc):
        close_until(el.start)
        if stack and el.end > stack[-1].end:
            continue  # crosses an open element: keep the text, drop the markup
        parts.append(_clean(text[pos : el.start]) + el.open)
        pos = el.start
        stack.append(el)
    close_until(len(text))
    parts.append(_clean(text[pos:]))
    return "".join(parts)


def document_xml(doc: Document, title: str) -> str:
    return (f'<TEI xmlns="{TEI_NS}">\n<teiHeader><fileDesc>'
            f"<titleStmt><title>{_clean(title)}</title></titleStmt>"
            "<publicationStmt><p>muragat</p></publicationStmt>"
            f"<sourceDesc><p>{_clean(str(doc.meta.get('source', title)))}</p></sourceDesc>"
            "</fileDesc></teiHeader>\n"
            f"<text><body><div>{body_xml(doc)}</div></body></text>\n</TEI>\n")


def corpus_header() -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<teiCorpus xmlns="{TEI_NS}">\n<teiHeader><fileDesc>'
            "<titleStmt><title>muragat export</title></titleStmt>"
            "<publicationStmt><p>muragat</p></publicationStmt>"
            "<sourceDesc><p>muragat store</p></sourceDesc></fileDesc></teiHeader>\n")


CORPUS_FOOTER = "</teiCorpus>\n"
