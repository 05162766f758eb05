"""Facts layer: the events a historian cites, with who, how many, when, for how long, where, by
which body, under which article, why and from which source.

Each event is a `Span(layer="event")` over its trigger (`қамауға алынды`, `ату жазасына кесті`)
whose label is a type of the vocabulary (data/vocabulary.json: ARRESTED, SENTENCED_TO_DEATH,
EXECUTED, REHABILITATED …) and whose attrs hold the slots:

- `subject` (a person's name; `subject_kind` person/group; `subject_inferred` when carried from
  the paragraph or the document), `count`, `percentage`, `part_of` (the count it is a share of),
- `date` (ISO point or interval), `date_mod` (BEFORE/AFTER/START/END), `date_inferred`,
- `term` (an ISO duration, `P8Y`: never a date), `place`, `actor`, `legal_article`, `reason`,
- `ref`/`pages`/`source` (the citation and its bibliography entry), `trigger`, `sentence`,
- `persons`/`places`/`bodies`: the NER names of the sentence (for the entity pages).

Patterns are data over the morph layer's forms and lemmas (patterns.py); what is not an event
(negation, intention, condition) and how slots are read are data too (realis.py, slots.py).
"""

from __future__ import annotations

import bisect
from typing import Any

from muragat.model import Document, Range, Span, Token

from . import slots
from .patterns import EventType, Match, matches, vocabulary
from .realis import is_real

__all__ = ["LAYER", "EventType", "annotate", "events_in", "vocabulary"]

LAYER = "event"
_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–"})
_PLACES = frozenset({"GPE", "LOCATION", "FACILITY"})
_TERM_SLOT = "term"


def _listed(tokens: list[Token], i: int) -> bool:
    """A comma inside a list of names (`Ақтөбе, Қостанай және Семей`) does not end a clause."""
    if i == 0 or i + 1 >= len(tokens):
        return False
    return tokens[i - 1].upos == "PROPN" and tokens[i + 1].upos == "PROPN"


def clauses(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for i, tok in enumerate(tokens):
        if tok.norm in _CLAUSE_BREAKS and not _listed(tokens, i):
            out.append([])
        elif tok.upos != "PUNCT" or tok.norm in ("«", "»", "-"):
            out[-1].append(tok)
    return [c for c in out if c]


def _range_of(ranges: list[Range], starts: list[int], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and pos < ranges[i].end:
        return ranges[i].start, ranges[i].end
    return 0, pos + 1


def _slots(ctx: slots.Context, m: Match, clause: list[Token], sentence: list[Token],
           sent: tuple[int, int], para: tuple[int, int], last_count: Any,
           lead: list[Token], previous: tuple[int, str] | None) -> dict[str, Any]:
    head = clause[m.head]
    count, count_value = slots.count_slot(ctx, clause, head, sentence, lead)
    if count_value is not None and slots.counts_the_agents(clause, count_value, head):
        count, count_value = None, None  # `екі адам келіп, оны … алып кетті`: who came, not who was taken
    attrs: dict[str, Any] = {
        "count": count,
        "percentage": slots.percentage_slot(ctx, sent, count_value),
        "part_of": last_count if slots.is_part(clause, count_value) else None,
        **slots.date_slot(ctx, clause, sent, head),
        "term": slots.term_slot(ctx, clause, head) if _TERM_SLOT in m.etype.slots else None,
        "place": next(iter(slots.ner_names(ctx, clause[0].start, clause[-1].end, _PLACES)), None),
        "actor": slots.actor_slot(ctx, clause),
        "legal_article": slots.article_slot(ctx, sentence),
        "reason": slots.reason_slot(ctx, clause, head),
    }
    if "subject" in m.etype.slots:
        attrs.update(slots.subject_slot(ctx, clause, sentence, sent, para, head, count is not None,
                                        previous, m.etype.owner_is_subject))
    attrs.update(slots.source_slot(ctx, sent, para[1]))
    attrs["persons"] = slots.ner_names(ctx, sent[0], sent[1], frozenset({"PERSON"}))
    attrs["places"] = slots.ner_names(ctx, sent[0], sent[1], _PLACES)
    attrs["bodies"] = slots.ner_names(ctx, sent[0], sent[1], frozenset({"ORGANISATION"}))
    return {k: v for k, v in attrs.items() if v not in (None, [], "", {})}


def events_in(doc: Document) -> list[Span]:
    ctx = slots.Context.of(doc)
    pstarts = [p.start for p in doc.paragraphs]
    found: list[Span] = []
    last_count: Any = None
    previous: tuple[int, str] | None = None  # where the last event was, and its person
    group: tuple[int, Any] | None = None  # where the last event was, and its group's count
    for sent_range, tokens in doc.sentence_tokens():
        sent = (sent_range.start, sent_range.end)
        para = _range_of(doc.paragraphs, pstarts, sent[0]) if doc.paragraphs else (0, len(doc.text))
        lead: list[Token] = []  # clauses chained by a converb share patients (`355 адам айыппұл салынып,`)
        for clause in clauses(tokens):
            real = [m for m in matches(clause, tokens) if is_real(m, clause, tokens)]
            for m in real:
                first, head = clause[m.first], clause[m.head]
                attrs = {"trigger": doc.text[first.start:head.end], "sentence": list(sent)}
                attrs.update(_slots(ctx, m, clause, tokens, sent, para, last_count, lead,
                                    previous))
                if group is not None and group[0] >= para[0] and attrs.get("subject_inferred") \
                        and "count" not in attrs and previous is None:
                    # `… үшеуін де ату жазасына кесті. Үкім … орындалды.`: the same group goes on
                    for k in ("subject", "subject_inferred"):
                        attrs.pop(k, None)
                    attrs.update(subject_kind="group", count=group[1])
                if "count" in attrs and "part_of" not in attrs:
                    last_count = attrs["count"]
                if "subject_kind" in m.etype.slots or "subject" in m.etype.slots:
                    previous = (first.start, attrs["subject"]) if "subject" in attrs else None
                    group = (first.start, attrs["count"]) if attrs.get("subject_kind") == "group" \
                        and "count" in attrs and "part_of" not in attrs else None
                found.append(Span(LAYER, m.etype.label, first.start, head.end, attrs))
            converb = "VerbForm=Conv" in (clause[-1].feats or "")
            lead = lead + clause if converb else []
    return found


def annotate(doc: Document) -> Document:
    doc.add_spans(events_in(doc))
    return doc
