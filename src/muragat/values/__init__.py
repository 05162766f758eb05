"""Values layer: dates, numbers, money, quantities, percentages and ordinals, normalized.

`parse(text)` reads any string; `annotate(doc)` finds values in a document, never across a
sentence boundary (except a date cut after `ж.`), skipping in-text citations
(`[1, 28-30-бб.]`) and, in the footer, everything but dates.

One span per entity (issue 17): the NER layer owns entity spans and their boundaries
(KazNERD's conventions). After the NER layer, a value is *attached* to the `ner` span it
overlaps (its attrs `value`, `unit`, `mod`, … are added to that span, and `value_label` when
the value's kind differs from the NER class); a value NER did not find becomes a `ner` span of
its own label with `attrs["from"] = "values"`. Only without an NER layer (values alone) does a
document hold `layer="value"` spans. `valued(doc)` gives the spans with a value either way.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from muragat.errors import InputError
from muragat.model import Document, Span

__all__ = ["annotate", "parse", "reconcile", "value_label", "valued"]


def parse(text: str) -> list[Span]:
    """Value spans of a string: `parse("1936 ж. 1 тамызға дейін")` -> one DATE 1936-08-01."""
    if not isinstance(text, str):
        raise InputError(f"values.parse expects a str, not {type(text).__name__}")
    from muragat.values.scanner import scan  # here: reading spans (valued) needs no grammar

    return scan(text)


def annotate(doc: Document) -> Document:
    # imported here: the cite layer's footer finder is shared, and cite must not need values
    from muragat.cite.citations import bracket_ranges
    from muragat.cite.sections import find_footer
    from muragat.values.scanner import scan

    text = doc.text
    footer = find_footer(text)
    brackets = bracket_ranges(text)
    spans = scan(
        text,
        sentences=doc.sentences,
        skip=brackets,
        dates_only_from=footer.start if footer else None,
    )
    if doc.spans or doc.meta.get("_ner"):
        doc.spans = reconcile(doc.spans + spans, brackets, footer.start if footer else len(text),
                              entities=bool(doc.meta.get("_ner")) or None, text=text)
        doc.add_spans([])
    else:  # nothing to reconcile with; the scanner's spans are in text order, never overlapping
        doc.spans = spans
    return doc


def valued(spans: Iterable[Span] | Document, label: str | None = None) -> list[Span]:
    """The spans carrying a normalized value: `ner` spans the values layer attached one to,
    or `value` spans where no NER layer ran; with `label`, those of that value kind."""
    items = spans.spans if isinstance(spans, Document) else spans
    return [s for s in items
            if (s.layer == VALUE_LAYER or (s.layer == NER_LAYER and "value" in s.attrs))
            and (label is None or value_label(s) == label)]


def value_label(span: Span) -> str:
    """The kind of the span's value (DATE, CARDINAL, …): the values layer's reading, which may
    differ from the NER class of the span it was attached to (a DATE `2 жыл` holds a QUANTITY)."""
    return str(span.attrs.get("value_label") or span.label)


VALUE_LAYER = "value"
NER_LAYER = "ner"

# NER labels that the values layer also produces. Inside the footer an NER span of one of
# these goes (reference numbers and pages are not quantities; the scanner keeps only dates
# there, and those come back as spans of their own).
SHARED_LABELS = frozenset({"DATE", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENTAGE"})
# KazNERD's numeric classes: NER spans of these that one value covers may be joined.
NUMERIC_LABELS = SHARED_LABELS | {"TIME"}
# Every genitive ending (-ның -нің -дың -дің -тың -тің, morph/data/tactics.json `gen`) ends so.
GENITIVE_END = "ң"
# Value attrs that describe the scanner's reading, not the entity: they are not copied onto
# the NER span a value is attached to.
PRIVATE_ATTRS = frozenset({"ner"})


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _merge(run: list[Span], value: Span, text: str | None) -> Span:
    """NER spans that a single value joins (`1929 жылы` + `2` + `маусымда`) as one entity of
    the value's label over them all; the lemma is the text up to the last part plus the last
    part's base form, as ner builds it."""
    first, last = run[0], run[-1]
    start, end = min(first.start, value.start), max(last.end, value.end)
    attrs = dict(first.attrs)
    if text is not None:
        if "lemma" in last.attrs and last.end == end:
            prefix = " ".join(text[start : last.start].split())
            attrs["lemma"] = f"{prefix} {last.attrs['lemma']}" if prefix else last.attrs["lemma"]
        else:
            attrs["lemma"] = " ".join(text[start:end].split())
    return Span(NER_LAYER, value.label, start, end, attrs)


def _attach(ner: list[Span], starts: list[int], value: Span, text: str | None) -> Span:
    """The span `value` belongs to in `ner` (sorted, not overlapping; `starts` their starts,
    both kept up to date here): the one it overlaps most (of its label first), or a new span
    of its own where it overlaps none. The overlapping spans are found by bisection, so a
    document's values cost grows with its length, not with its length squared."""
    hi = bisect.bisect_left(starts, value.end)
    lo = hi
    while lo > 0 and ner[lo - 1].end > value.start:  # ends rise with starts: no overlap
        lo -= 1
    twins = [i for i in range(lo, hi) if _overlap(ner[i], value) > 0]
    if not twins:
        attrs = {k: v for k, v in value.attrs.items() if k not in PRIVATE_ATTRS}
        own = Span(NER_LAYER, value.label, value.start, value.end, {**attrs, "from": "values"})
        _insert(ner, starts, own)
        return own
    # several numeric NER spans in one value, one of them of its label, are one entity:
    # `1929 жылы` DATE + `2` CARDINAL in `1929 жылы 2 маусымда`, `13208699 сом` + `92 тиын`
    if len(twins) > 1 and all(ner[i].label in NUMERIC_LABELS for i in twins) and any(
        ner[i].label == value.label for i in twins
    ):
        merged = _merge([ner[i] for i in twins], value, text)
        ner[twins[0]:twins[-1] + 1] = [merged]
        starts[twins[0]:twins[-1] + 1] = [merged.start]
        twins = [twins[0]]
    best = max(twins, key=lambda i: (ner[i].label == value.label, _overlap(ner[i], value)))
    if text is not None and ner[best].label not in NUMERIC_LABELS and _only_value(ner[best], value, text):
        # a "name" that is the value plus stray punctuation (`1928-1937) /` ORGANISATION) is the
        # value; one exactly on the value keeps NER's class (CONTACT `102`, PRODUCT `737`)
        own = Span(NER_LAYER, value.label, value.start, value.end,
                   {k: v for k, v in value.attrs.items() if k not in PRIVATE_ATTRS})
        del ner[best], starts[best]
        _insert(ner, starts, own)
        return own
    return ner[best]


def _insert(ner: list[Span], starts: list[int], span: Span) -> None:
    """Into the sorted lists, after any span that starts at the same place (as a stable sort
    of the list with `span` appended would put it)."""
    i = bisect.bisect_right(starts, span.start)
    ner.insert(i, span)
    starts.insert(i, span.start)


def _only_value(span: Span, value: Span, text: str) -> bool:
    """Whether `span` is wider than `value` by characters that are no letter or digit."""
    outside = [text[i] for i in range(span.start, span.end) if not value.start <= i < value.end]
    return bool(outside) and not any(c.isalnum() for c in outside)


def _split(span: Span, values: list[Span], text: str) -> list[Span]:
    """A numeric NER span over a duration and a value of another kind only a space apart is
    one entity each (`1281-і он жылға`: CARDINAL + DATE; `1940 жылы он бес жылға`: two DATEs);
    [] otherwise: a genitive ties the next value to it (`2018-інші жылдың 9 айында`), and
    KazNERD keeps `3-тен 2-сі`, `1 сағат 5 минутқа`, `бір бүтін оннан төрт процентке` and
    `5 , 3 миллиард долларға` whole (measured, notes/issue-17-ner-spans.md)."""
    vals = sorted(values, key=lambda v: v.start)
    if span.label not in NUMERIC_LABELS or len(vals) < 2 or any(
        text[a.end : b.start].strip() or a.end > b.start
        or bool(a.attrs.get("duration")) == bool(b.attrs.get("duration"))
        or text[a.start : a.end].endswith(GENITIVE_END)
        for a, b in zip(vals, vals[1:], strict=False)
    ):
        return []
    parts = []
    for i, v in enumerate(vals):
        start = span.start if i == 0 else v.start
        end = span.end if i == len(vals) - 1 else v.end
        attrs = {"lemma": " ".join(text[start:end].split()),
                 **{k: x for k, x in v.attrs.items() if k not in PRIVATE_ATTRS}}
        # a duration keeps NER's DATE or TIME (`жиырма минуттан` is TIME in KazNERD)
        label = span.label if v.attrs.get("duration") and span.label in ("DATE", "TIME") else v.label
        parts.append(Span(NER_LAYER, label, start, end, attrs))
    return parts


def _best(span: Span, values: list[Span]) -> Span:
    """Of the values inside one entity, the one of its kind, then the one covering most of it
    (`5 , 3 миллиард долларға`: the MONEY, not the CARDINAL `5`)."""
    return max(values, key=lambda v: (v.label == span.label, _overlap(span, v)))


def reconcile(
    spans: list[Span],
    brackets: list[tuple[int, int]] = (),
    footer: int | None = None,
    entities: bool | None = None,
    text: str | None = None,
) -> list[Span]:
    """One span per entity, the rules in one place:

    1. no NER span may cross a citation bracket (`… болатын [6, 17-б.]`);
    2. an NER span of a shared label in the footer goes;
    3. with an NER layer (`entities`; None: whether any `ner` span is given), each value is
       attached to the NER span it overlaps (`_attach`): its attrs join that span's, with
       `value_label` when the kinds differ; several numeric NER spans that one value covers,
       one of them of the value's label, become one span of that label over the value; a
       non-numeric NER span wider than a value by punctuation alone is that value; a
       numeric NER span over a duration and another value a space apart is one span each; a
       value overlapping no NER span becomes a `ner` span of its label with
       `attrs["from"] = "values"`. Without an NER layer the value spans stay as they are.
    `text` (the document's) lets merged spans keep a readable lemma."""
    values = [s for s in spans if s.layer == VALUE_LAYER]
    ner: list[Span] = []
    rest: list[Span] = []
    for span in spans:
        if span.layer == NER_LAYER:
            if any(a < span.end and span.start < b for a, b in brackets):
                continue
            if span.label in SHARED_LABELS and footer is not None and span.start >= footer:
                continue
            ner.append(span)
        elif span.layer != VALUE_LAYER:
            rest.append(span)
    if entities is None:
        entities = bool(ner)
    if not entities:
        return rest + values
    ner.sort(key=lambda s: (s.start, -s.end))
    starts = [s.start for s in ner]
    found: dict[int, tuple[Span, list[Span]]] = {}  # id(ner span) -> (it, its values)
    for value in values:
        target = _attach(ner, starts, value, text)
        found.setdefault(id(target), (target, []))[1].append(value)
    alive = {id(s) for s in ner}  # a span a later value merged into another is gone
    for span, vals in found.values():
        if id(span) not in alive or span.attrs.get("from") == "values" or "value" in span.attrs:
            continue  # a value's own span, or one read before (a document reconciled twice)
        if text is not None and (parts := _split(span, vals, text)):
            ner = [p for s in ner for p in (parts if s is span else [s])]
            continue
        best = _best(span, vals)
        span.attrs.update({k: v for k, v in best.attrs.items()
                           if k not in PRIVATE_ATTRS and k not in span.attrs})
        if best.label != span.label:
            span.attrs["value_label"] = best.label
    return rest + ner
