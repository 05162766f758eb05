"""The one data model every layer reads and extends.

A `Document` holds the original text untouched. Paragraphs, sentences and tokens are
character ranges into it; everything else is a standoff `Span` (layer, label, attrs).
Offsets are Python string indexes into `Document.text`, so any annotation can be
highlighted and quoted exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "muragat.document/1"


@dataclass(slots=True)
class Token:
    start: int
    end: int
    norm: str = ""  # normalized form used for analysis; offsets still point at the original
    lemma: str | None = None
    upos: str | None = None
    feats: str | None = None
    misc: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.lemma is not None:
            out["lemma"] = self.lemma
        if self.upos is not None:
            out["upos"] = self.upos
        if self.feats is not None:
            out["feats"] = self.feats
        if self.misc:
            out["misc"] = self.misc
        return out


@dataclass(slots=True)
class Range:
    """A paragraph or a sentence: a slice of the original text."""

    start: int
    end: int

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Span:
    layer: str
    label: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "attrs": self.attrs,
        }


@dataclass(slots=True)
class Document:
    text: str
    paragraphs: list[Range] = field(default_factory=list)
    sentences: list[Range] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A lone surrogate (JSON "\ud800") can be neither analysed (the CRF binding raises
        # SystemError) nor written as UTF-8: each becomes U+FFFD, one for one, so offsets hold.
        if not self.text.isascii():
            from muragat.io import clean_text

            self.text = clean_text(self.text, "<text>")

    # -- navigation -------------------------------------------------------
    def token_text(self, token: Token) -> str:
        return self.text[token.start : token.end]

    def sentence_token_ranges(self) -> list[tuple[int, int]]:
        """For each sentence, the [first, last) indexes of its tokens."""
        ranges: list[tuple[int, int]] = []
        i, n = 0, len(self.tokens)
        for sent in self.sentences:
            while i < n and self.tokens[i].end <= sent.start:
                i += 1
            j = i
            while j < n and self.tokens[j].start < sent.end:
                j += 1
            ranges.append((i, j))
            i = j
        return ranges

    def sentence_tokens(self) -> Iterator[tuple[Range, list[Token]]]:
        for sent, (a, b) in zip(self.sentences, self.sentence_token_ranges(), strict=True):
            yield sent, self.tokens[a:b]

    def spans_of(self, layer: str) -> list[Span]:
        return [s for s in self.spans if s.layer == layer]

    def add_spans(self, spans: list[Span]) -> None:
        self.spans.extend(spans)
        self.spans.sort(key=lambda s: (s.start, -s.end, s.layer))

    # -- serialization ----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA}
        public_meta = {k: v for k, v in self.meta.items() if not k.startswith("_")}
        if public_meta:  # keys starting with "_" are working state, not output
            out["meta"] = public_meta
        out["text"] = self.text
        out["paragraphs"] = [p.to_dict() for p in self.paragraphs]
        out["sentences"] = [s.to_dict() for s in self.sentences]
        out["tokens"] = [t.to_dict() for t in self.tokens]
        out["spans"] = [s.to_dict() for s in self.spans]
        return out

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unsupported schema: {data.get('schema')!r}")
        text = data["text"]
        doc = cls(
            text=text,
            paragraphs=[Range(p["start"], p["end"]) for p in data.get("paragraphs", [])],
            sentences=[Range(s["start"], s["end"]) for s in data.get("sentences", [])],
            tokens=[
                Token(
                    t["start"],
                    t["end"],
                    text[t["start"] : t["end"]],
                    t.get("lemma"),
                    t.get("upos"),
                    t.get("feats"),
                    t.get("misc", {}),
                )
                for t in data.get("tokens", [])
            ],
            spans=[
                Span(s["layer"], s["label"], s["start"], s["end"], s.get("attrs", {}))
                for s in data.get("spans", [])
            ],
            meta=data.get("meta", {}),
        )
        return doc

    @classmethod
    def from_json(cls, raw: str) -> Document:
        return cls.from_dict(json.loads(raw))
