"""Facts layer: the events a historian asks about, with who, how many, when, where and source.

Each event is a `Span(layer="event")` on its trigger word (`шығарылған`, `сотталды` …) whose
attrs carry the arguments found around it: `count` (a CARDINAL value in the same clause),
`date` (a DATE in the sentence, else the latest one earlier in the paragraph), `places`,
`bodies` and `persons` (NER spans of the sentence) and `ref`/`pages` (the citation that closes
the passage). Trigger stems and their context words are data (`data/events.json`).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from muragat.model import Document, Range, Span, Token

LAYER = "event"
_CLAUSE_BREAKS = frozenset({",", ";", ":"})
_DIGITS = re.compile(r"(\d+)(?:-\w+)?")  # 432, 269-ы


@dataclass(frozen=True, slots=True)
class EventType:
    label: str
    pattern: re.Pattern[str]
    context: tuple[str, ...]
    blockers: tuple[str, ...]
    blocked_endings: tuple[str, ...]

    def blocks(self, word: str) -> bool:
        return any(b in word for b in self.blockers) or word.endswith(self.blocked_endings)


@cache
def _data() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("data/events.json").read_text("utf-8"))


@cache
def _rules() -> tuple[EventType, ...]:
    types = []
    for event in _data()["events"]:
        stems = "|".join(re.escape(s) for s in sorted(event["triggers"], key=len, reverse=True))
        types.append(
            EventType(
                event["label"],
                re.compile(rf"(?<!\S)(?:{stems})"),
                tuple(event["context"]),
                tuple(event["blockers"]),
                tuple(event["blocked_endings"]),
            )
        )
    return tuple(types)


def _clauses(tokens: list[Token]) -> list[list[Token]]:
    clauses: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.norm in _CLAUSE_BREAKS:
            clauses.append([])
        else:
            clauses[-1].append(tok)
    return [c for c in clauses if c]


def _joined(clause: list[Token]) -> tuple[str, list[int]]:
    """Lowercased clause text with one space between tokens, and each token's offset in it."""
    offsets, parts, pos = [], [], 0
    for tok in clause:
        offsets.append(pos)
        word = (tok.norm or "").lower()
        parts.append(word)
        pos += len(word) + 1
    return " ".join(parts), offsets


def _has_context(text: str, context: tuple[str, ...]) -> bool:
    return not context or any(re.search(rf"(?<!\S){re.escape(w)}", text) for w in context)


@cache
def _person_nouns() -> tuple[str, ...]:
    return tuple(_data()["person_nouns"])


def _cardinals(doc: Document, tokens: list[Token]) -> list[tuple[int, int, Any]]:
    """(start, end, value) of the counts among `tokens`: the values layer's, else bare digits."""
    if not tokens:
        return []
    lo, hi = tokens[0].start, tokens[-1].end
    values = [s for s in doc.spans if s.layer == "value" and lo <= s.start < hi]
    if any(s.layer == "value" for s in doc.spans):
        return [(s.start, s.end, s.attrs.get("value")) for s in values if s.label == "CARDINAL"]
    return [
        (t.start, t.end, int(m.group(1)))
        for t in tokens
        if (m := _DIGITS.fullmatch(t.norm or ""))
    ]


def _counts_people(tokens: list[Token], end: int) -> bool:
    """Whether the word right after a number ending at `end` names people (адам, коммунист …)."""
    following = next((t for t in tokens if t.start >= end), None)
    return following is not None and (following.norm or "").lower().startswith(_person_nouns())


def _count(doc: Document, sentence: list[Token], clause: list[Token], trigger: Token) -> Any:
    """How many people the event concerns.

    Preferred: a number before the trigger in its clause that counts people (`432 коммунист`)
    or stands alone as a noun (`269-ы`); else a people count earlier in the sentence
    (`2076 адам, яғни 14,5 %-ы … сөгіс алған`). A number counting anything else is no count.
    """
    in_clause = [c for c in _cardinals(doc, clause) if c[0] < trigger.start]
    for start, end, value in reversed(in_clause):
        if _counts_people(sentence, end) or "-" in doc.text[start:end]:
            return value
    earlier = [c for c in _cardinals(doc, sentence) if c[0] < clause[0].start]
    for _, end, value in reversed(earlier):
        if _counts_people(sentence, end):
            return value
    return None


def _amounts(doc: Document, sent: Range) -> list[Any]:
    return [
        s.attrs["value"] for s in doc.spans
        if s.layer == "value" and s.label in ("MONEY", "QUANTITY")
        and sent.start <= s.start < sent.end and "value" in s.attrs
    ]


def _names(doc: Document, sent: Range, labels: frozenset[str]) -> list[str]:
    return [
        s.attrs.get("lemma") or doc.text[s.start:s.end]
        for s in doc.spans
        if s.layer == "ner" and s.label in labels and sent.start <= s.start < sent.end
    ]


def _date(doc: Document, sent: Range, para: Range | None, trigger: Token) -> dict[str, Any]:
    dates = [s for s in doc.spans if s.layer == "value" and s.label == "DATE" and "value" in s.attrs]
    inside = [s for s in dates if sent.start <= s.start < sent.end]
    if inside:
        best = min(inside, key=lambda s: abs(s.start - trigger.start))
        return {"date": best.attrs["value"], "date_mod": best.attrs.get("mod")}
    if para is not None:
        before = [s for s in dates if para.start <= s.start < sent.start]
        if before:
            return {"date": before[-1].attrs["value"], "date_from": "context"}
    return {}


def _source(doc: Document, sent: Range, para: Range | None) -> dict[str, Any]:
    limit = para.end if para is not None else sent.end
    for s in doc.spans:
        if s.layer == "citation" and sent.start <= s.start < limit:
            return {"ref": s.attrs.get("ref"), "pages": s.attrs.get("pages")}
    return {}


def _paragraph_of(doc: Document, pos: int) -> Range | None:
    starts = [p.start for p in doc.paragraphs]
    i = bisect.bisect_right(starts, pos) - 1
    return doc.paragraphs[i] if i >= 0 and pos < doc.paragraphs[i].end else None


def _event(
    doc: Document, etype: EventType, sent: Range, tokens: list[Token], clause: list[Token],
    trigger: Token,
) -> Span:
    attrs: dict[str, Any] = {"trigger": trigger.norm, "sentence": [sent.start, sent.end]}
    para = _paragraph_of(doc, sent.start)
    extras: dict[str, Any] = {
        "count": _count(doc, tokens, clause, trigger),
        "amounts": _amounts(doc, sent) if etype.label == "CONFISCATED" else None,
        **_date(doc, sent, para, trigger),
        "places": _names(doc, sent, frozenset({"GPE", "LOCATION"})),
        "bodies": _names(doc, sent, frozenset({"ORGANISATION"})),
        "persons": _names(doc, sent, frozenset({"PERSON"})),
        **_source(doc, sent, para),
    }
    attrs.update({k: v for k, v in extras.items() if v not in (None, [], "")})
    return Span(LAYER, etype.label, trigger.start, trigger.end, attrs)


def events_in(doc: Document) -> list[Span]:
    found: list[Span] = []
    for sent, tokens in doc.sentence_tokens():
        sentence_text = _joined(tokens)[0]
        rules = [r for r in _rules() if _has_context(sentence_text, r.context)]
        for clause in _clauses(tokens):
            text, offsets = _joined(clause)
            for etype in rules:
                for m in etype.pattern.finditer(text):
                    trigger = clause[bisect.bisect_right(offsets, m.start()) - 1]
                    if etype.blocks((trigger.norm or "").lower()):
                        continue
                    found.append(_event(doc, etype, sent, tokens, clause, trigger))
    return found


def annotate(doc: Document) -> Document:
    doc.add_spans(events_in(doc))
    return doc
