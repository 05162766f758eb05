"""What the API and the pages show, assembled from the store's public interface.

Nothing here imports a web framework: each function takes a `Store` and returns plain
dicts/lists, so the JSON API and the HTML pages show the same data and tests can call these
directly. The store is only read.

Entities are consolidated across the whole store (`search.entities.consolidate`) and the
timeline needs every stored DATE and event; both are cached in a `Snapshot` that is rebuilt
when the store's counts change (another process may be ingesting into it).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from muragat.model import Document, Span
from muragat.search.edits import EntityEdit, edited
from muragat.search.entities import Entity, MentionGroup, consolidate
from muragat.store.base import DocInfo, Store, StoredSpan
from muragat.store.rows import doc_sentences, document_rows
from muragat.store.userdata import STAR
from muragat.web.names import TitleCache, public_meta, public_source

EVENT_LAYER = "event"
_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
MAX_ENTITY_MENTIONS = 500  # an entity page lists at most this many mentions
DATE_MODS = ("BEFORE", "AFTER", "START", "MID", "END", "APPROX")  # values/data/qualifiers.tsv


def is_iso_prefix(value: str) -> bool:
    """`1929`, `1929-09` or `1929-09-30`: the bounds a timeline accepts."""
    return bool(_ISO.match(value))


def _at_least(a: str, b: str) -> bool:
    """`a >= b` at the precision both have: 1930 overlaps 1930-06."""
    n = min(len(a), len(b))
    return a[:n] >= b[:n]


def date_bounds(value: str) -> tuple[str, str] | None:
    """(first, last) ISO date of a DATE value (`1929`, `1928-12-02/1928-12-07`), or None."""
    lo, _, hi = value.partition("/")
    hi = hi or lo
    if not (is_iso_prefix(lo) and is_iso_prefix(hi)):
        return None
    return lo, hi


def _sentence_index(starts: list[int], offset: int) -> int:
    return max(bisect.bisect_right(starts, offset) - 1, 0)


# -- the cached, store-wide part ---------------------------------------------------------
@dataclass(slots=True)
class Snapshot:
    """Consolidated entities and (built on first use) the timeline of one store state."""

    entities: list[Entity]
    by_id: dict[str, Entity]
    by_name: dict[tuple[str, str], str]  # (label, mention base form) -> entity id
    documents: dict[str, list[int]]  # entity id -> documents that mention it
    timeline: list[dict[str, Any]] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    edits: list[EntityEdit] = field(default_factory=list)  # applied, in order
    applied: list[bool] = field(default_factory=list)  # whether each one's names were found

    def entity_id(self, label: str, name: str | None) -> str | None:
        return self.by_name.get((label, name or ""))


def build_snapshot(groups: Iterable[MentionGroup], edits: Iterable[EntityEdit] = ()
                   ) -> Snapshot:
    groups = list(groups)
    # A mention's base form decides its key, initial and so its entity: (label, name) is
    # enough to find the entity a stored mention belongs to. People's edits (merge, split,
    # rename, relabel) apply after consolidation and move (label, name)s between entities.
    edits = list(edits)
    result = edited(consolidate(groups), edits, groups)
    entities, by_name = result.entities, result.by_name
    docs: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        ident = by_name.get((g.label, g.name))
        if ident is not None:
            docs[ident].add(g.document)
    return Snapshot(entities, {e.id: e for e in entities}, by_name,
                    {k: sorted(v) for k, v in docs.items()}, edits=edits,
                    applied=result.applied)


class SnapshotCache:
    """One Snapshot per store state; the state is the store's document/sentence/span counts."""

    def __init__(self) -> None:
        self._key: tuple[int, ...] | None = None
        self._snap: Snapshot | None = None
        self._lock = threading.Lock()

    def get(self, store: Store) -> Snapshot:
        key = (*store.counts().values(), *store.edits_stamp())
        with self._lock:
            if self._snap is None or key != self._key:
                self._snap = build_snapshot(store.mention_groups(), store.entity_edits())
                self._key = key
            return self._snap


# -- documents ---------------------------------------------------------------------------
def documents_page(store: Store, limit: int, offset: int,
                   titles: TitleCache | None = None, tag: str | None = None,
                   starred: bool = False) -> dict[str, Any]:
    """A page of stored documents with their titles, tags and star (only those with `tag`,
    only the starred ones, when asked); sources never show a server path."""
    ids = store.document_ids()
    for wanted in [x for x in (tag, STAR if starred else None) if x]:
        keep = set(store.tagged_documents(wanted))
        ids = [d for d in ids if d in keep]
    infos = [i for d in ids[offset : offset + limit] if (i := store.doc_info(d)) is not None]
    named = (titles or TitleCache()).titles(store, infos)
    tags = store.document_tags([i.hash for i in infos])
    rows = [{"id": i.id, "title": named.get(i.id), "source": public_source(i.source),
             "hash": i.hash, "sentences": i.sentences, "meta": public_meta(i.meta),
             "tags": [x for x in tags.get(i.hash, []) if x != STAR],
             "starred": STAR in tags.get(i.hash, [])}
            for i in infos]
    return {"total": len(ids), "limit": limit, "offset": offset, "documents": rows}


def document_annotations(store: Store, info: DocInfo) -> dict[str, Any]:
    """What people added to a stored document: tags (the star apart) and notes."""
    tags = store.document_tags([info.hash]).get(info.hash, [])
    return {"document": info.id, "hash": info.hash, "tags": [x for x in tags if x != STAR],
            "starred": STAR in tags,
            "notes": [n.to_dict() for n in store.document_notes([info.hash])]}


def with_titles(store: Store, items: list[dict[str, Any]], titles: TitleCache | None
                ) -> list[dict[str, Any]]:
    """`items` (each with a "document" id) with the document's "title" added."""
    infos = [i for d in sorted({x["document"] for x in items})
             if (i := store.doc_info(d)) is not None]
    named = (titles or TitleCache()).titles(store, infos)
    return [{**x, "title": named.get(x["document"])} for x in items]


def event_dict(doc: Document, span: Span, starts: list[int], doc_id: int) -> dict[str, Any]:
    attrs = dict(span.attrs)
    lo, hi = attrs.get("sentence") or (span.start, span.end)
    return {"document": doc_id, "sentence": _sentence_index(starts, span.start),
            "label": span.label, "start": span.start, "end": span.end,
            "text": doc.text[span.start : span.end], "date": attrs.get("date"),
            "mod": attrs.get("date_mod") if attrs.get("date_mod") in DATE_MODS else None,
            "count": attrs.get("count"), "sentence_start": lo,
            "sentence_text": doc.text[lo:hi], "attrs": attrs}


def document_events(doc: Document, doc_id: int) -> list[dict[str, Any]]:
    starts = [s.start for s in doc_sentences(doc)]
    return [event_dict(doc, s, starts, doc_id) for s in doc.spans if s.layer == EVENT_LAYER]


def mention_ids(doc: Document, snap: Snapshot) -> dict[int, str]:
    """Entity id of each NER span of `doc`, by its position in `doc.spans`."""
    _, rows = document_rows(doc)
    return {i: ident for i, row in enumerate(rows)
            if row.layer == "ner" and (ident := snap.entity_id(row.label, row.name))}


# -- entities ----------------------------------------------------------------------------
def entities_page(snap: Snapshot, types: tuple[str, ...], q: str | None, limit: int,
                  offset: int) -> dict[str, Any]:
    found = [e for e in snap.entities if not types or e.label in types]
    if q:
        needle = q.casefold()
        found = [e for e in found if any(needle in n.casefold() for n in e.names)]
    counts: dict[str, int] = defaultdict(int)
    for e in snap.entities:
        counts[e.label] += 1
    return {"total": len(found), "limit": limit, "offset": offset,
            "types": dict(sorted(counts.items(), key=lambda kv: -kv[1])),
            "entities": [e.to_dict() for e in found[offset : offset + limit]]}


def _mentions_event(event: dict[str, Any], names: set[str], sentences: set[int]) -> bool:
    """In a sentence that names the entity, or naming it among its slots; the subject too
    where the events layer carried it from the paragraph (a biography's `ол`)."""
    attrs = event["attrs"]
    named = {str(x) for k in ("persons", "places", "bodies") for x in attrs.get(k, [])}
    if attrs.get("subject"):
        named.add(str(attrs["subject"]))
    return event["sentence"] in sentences or bool(named & names)


def _in_date_order(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A life in order: dated events by their ISO date (stable, so one date keeps the text's
    order), undated ones after them in the order read."""
    return sorted(events, key=lambda e: (not e["attrs"].get("date"), str(e["attrs"].get("date", ""))))


def entity_page(store: Store, snap: Snapshot, ident: str, limit: int = MAX_ENTITY_MENTIONS,
                titles: TitleCache | None = None) -> dict[str, Any] | None:
    """The entity, its mentions (each with its sentence) and the events around them."""
    entity = snap.by_id.get(ident)
    if entity is None:
        return None
    mentions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    documents = []
    for doc_id in snap.documents.get(ident, []):
        if len(mentions) >= limit:
            break
        doc = store.get_document(doc_id)
        info = store.doc_info(doc_id)
        documents.append({"id": doc_id, "source": public_source(info.source) if info else None,
                          "title": (titles or TitleCache()).title(store, info)})
        sents = doc_sentences(doc)
        here: set[int] = set()
        for i, span_ident in sorted(mention_ids(doc, snap).items()):
            if span_ident != ident or len(mentions) >= limit:
                continue
            span = doc.spans[i]
            idx = _sentence_index([s.start for s in sents], span.start)
            here.add(idx)
            sent = sents[idx] if sents else None
            lo, hi = (sent.start, sent.end) if sent else (span.start, span.end)
            mentions.append({"document": doc_id, "sentence": idx, "start": span.start,
                             "end": span.end, "text": doc.text[span.start : span.end],
                             "sentence_start": lo, "sentence_text": doc.text[lo:hi]})
        names = set(entity.names)
        events += [e for e in document_events(doc, doc_id) if _mentions_event(e, names, here)]
    return {"entity": entity.to_dict(), "documents": documents,
            "mentions": with_titles(store, mentions, titles),
            "events": with_titles(store, _in_date_order(events), titles),
            "truncated": len(mentions) >= limit}


# -- timeline ----------------------------------------------------------------------------
def timeline_item(span: StoredSpan) -> dict[str, Any] | None:
    """A DATE value or a dated event as a timeline item; None when it has no ISO date."""
    if span.layer in ("value", "ner") and span.label == "DATE":  # NER DATEs hold the value
        value, kind = str(span.attrs.get("value", "")), "date"
        mod = span.attrs.get("mod")
    elif span.layer == EVENT_LAYER and span.attrs.get("date"):
        value, kind = str(span.attrs["date"]), "event"
        mod = span.attrs.get("date_mod")
    else:
        return None
    bounds = date_bounds(value)
    if bounds is None:
        return None
    lo = span.start - span.sentence_start
    return {"date": value, "from": bounds[0], "to": bounds[1], "kind": kind,
            "mod": mod if mod in DATE_MODS else None, "date_text": None, "label": span.label, "document": span.document, "sentence": span.sentence,
            "start": span.start, "end": span.end,
            "text": span.sentence_text[lo : lo + span.end - span.start],
            "sentence_start": span.sentence_start, "sentence_text": span.sentence_text,
            "attrs": dict(span.attrs)}


def merge_dates(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An event and the DATE that dates it are one item: the event, with the date's words
    (`date_text`). A DATE of a sentence whose event carries the same date (and BEFORE/AFTER)
    is dropped; other DATEs stay items of their own."""
    dates: dict[tuple[int, int, str, Any], list[dict[str, Any]]] = defaultdict(list)
    for x in items:
        if x["kind"] == "date":
            dates[(x["document"], x["sentence"], x["date"], x["mod"])].append(x)
    claimed: set[int] = set()
    out = []
    for x in items:
        if x["kind"] != "event":
            continue
        found = dates.get((x["document"], x["sentence"], x["date"], x["mod"]))
        if found:
            claimed.update(id(d) for d in found)
            x = {**x, "date_text": found[0]["text"]}
        out.append(x)
    out += [x for x in items if x["kind"] == "date" and id(x) not in claimed]
    return out


def _sort_key(x: dict[str, Any]) -> tuple[Any, ...]:
    return (x["from"], x["to"], x["kind"] != "event", x["document"], x["start"])


def document_timeline(doc: Document, doc_id: int) -> list[dict[str, Any]]:
    """Dated items of one (not necessarily stored) document, in ISO order."""
    sents = doc_sentences(doc)
    starts = [s.start for s in sents]
    items = []
    for span in doc.spans:
        idx = _sentence_index(starts, span.start)
        lo, hi = (sents[idx].start, sents[idx].end) if sents else (span.start, span.end)
        item = timeline_item(StoredSpan(doc_id, idx, span.layer, span.label, span.start,
                                        span.end, span.attrs, lo, doc.text[lo:hi]))
        if item is not None:
            items.append(item)
    return sorted(merge_dates(items), key=_sort_key)


def _timeline(store: Store, snap: Snapshot) -> list[dict[str, Any]]:
    with snap.lock:
        if snap.timeline is None:
            items = [x for s in store.dated_spans() if (x := timeline_item(s)) is not None]
            snap.timeline = sorted(merge_dates(items), key=_sort_key)
        return snap.timeline


def timeline_page(store: Store, snap: Snapshot, hits: set[tuple[int, int]] | None,
                  date_from: str | None, date_to: str | None, limit: int,
                  offset: int, titles: TitleCache | None = None) -> dict[str, Any]:
    """Dated items in ISO order; `hits` (document, sentence) pairs restrict them to a query."""
    items = _timeline(store, snap)
    if hits is not None:
        items = [x for x in items if (x["document"], x["sentence"]) in hits]
    if date_from:
        items = [x for x in items if _at_least(x["to"], date_from)]
    if date_to:
        items = [x for x in items if _at_least(date_to, x["from"])]
    return {"total": len(items), "limit": limit, "offset": offset,
            "items": with_titles(store, items[offset : offset + limit], titles)}
