"""Shapes of the API's answers, for the OpenAPI spec (and the tests that check the answers).

Routes return plain dicts built by `views`; these models document them (`responses=`)
without validating every answer at run time.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Message(BaseModel):
    kk: str = Field(description="Kazakh text")
    en: str = Field(description="English text")


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="bad_query, bad_input, not_found, invalid_parameter, "
                                  "too_large, read_only, unauthorized, forbidden, "
                                  "foreign_origin, unsupported_media_type, analyze_off, busy, "
                                  "timeout, store_error, internal")
    message: Message
    detail: Any | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class Hit(BaseModel):
    document: int
    sentence: int
    start: int = Field(description="offset of the sentence in the document's text")
    end: int
    score: float
    text: str
    snippet: str = Field(description="the sentence with matched words in [brackets]")
    highlights: list[list[int]] = Field(description="[start, end] of each matched word")
    title: str | None = Field(None, description="the document's title")
    source: str | None = Field(None, description="where it came from, never a server path")


class SearchResponse(BaseModel):
    query: str
    total: int = Field(description="matching sentences")
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description='{"type": {"PERSON": 3}, "year": {"1929": 1}}')
    limit: int
    offset: int


class DocumentRow(BaseModel):
    id: int
    title: str | None = Field(description="meta title, else the first line, else the file name")
    source: str | None = Field(description="relative to the ingest folder, or the file's name: "
                                           "never an absolute path of the server")
    hash: str
    sentences: int
    meta: dict[str, Any]


class DocumentsResponse(BaseModel):
    total: int
    limit: int
    offset: int
    documents: list[DocumentRow]


class DocumentJSON(BaseModel):
    """muragat.document/1: offsets are Python string indexes into `text`."""

    schema_: str = Field(alias="schema", examples=["muragat.document/1"])
    meta: dict[str, Any] = Field(default_factory=dict)
    text: str
    paragraphs: list[dict[str, int]]
    sentences: list[dict[str, int]]
    tokens: list[dict[str, Any]]
    spans: list[dict[str, Any]]


class Entity(BaseModel):
    id: str = Field(description="LABEL:key[:initial], e.g. PERSON:тоғжанов:ғ")
    type: str
    name: str
    mentions: int
    documents: int
    names: dict[str, int] = Field(description="base forms seen, with counts")


class EntitiesResponse(BaseModel):
    total: int
    limit: int
    offset: int
    types: dict[str, int] = Field(description="entities per type in the whole store")
    entities: list[Entity]


class Mention(BaseModel):
    """A stretch of a stored sentence: offsets into the document, and the sentence itself."""

    document: int
    sentence: int
    start: int
    end: int
    text: str
    sentence_start: int
    sentence_text: str
    title: str | None = Field(None, description="the document's title")


class Event(Mention):
    label: str = Field(description="EXPELLED, READMITTED, CONVICTED, PUNISHED, ...")
    date: str | None
    mod: str | None = Field(None, description="BEFORE, AFTER, START, MID, END or APPROX")
    count: Any | None
    attrs: dict[str, Any]


class DocumentLink(BaseModel):
    id: int
    title: str | None
    source: str | None


class EntityPage(BaseModel):
    entity: Entity
    documents: list[DocumentLink]
    mentions: list[Mention]
    events: list[Event]
    truncated: bool


class TimelineItem(Mention):
    date: str = Field(description="ISO date or interval: 1929, 1930-05-15, 1928/1929")
    from_: str = Field(alias="from")
    to: str
    kind: str = Field(description="date (a DATE value) or event (a dated event; the DATE "
                                  "that dates it is part of it, not an item of its own)")
    mod: str | None = Field(description="BEFORE, AFTER, START, MID, END or APPROX: "
                                        "'before 1 August 1936'")
    date_text: str | None = Field(description="an event's date as the text writes it")
    label: str
    attrs: dict[str, Any]


class TimelineResponse(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[TimelineItem]


class StoreStatus(BaseModel):
    name: str
    version: str
    readonly: bool
    counts: dict[str, int]


class Added(BaseModel):
    id: int | None
    added: bool


def ok(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route answering `model`."""
    return {200: {"model": model}}


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in (
        (400, "bad input or query"), (404, "not found"), (422, "invalid parameter"),
        (503, "the store failed"))}
