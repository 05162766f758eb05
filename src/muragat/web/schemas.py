"""Shapes of the API's answers, for the OpenAPI spec (and the tests that check the answers).

Routes return plain dicts built by `views`; these models document them (`responses=`)
without validating every answer at run time.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Message(BaseModel):
    kk: str = Field(description="Kazakh text")
    en: str = Field(description="English text")


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="bad_query, bad_input, not_found, invalid_parameter, "
                                  "too_large, read_only, unauthorized, forbidden, "
                                  "foreign_origin, unsupported_media_type, analyze_off, busy, "
                                  "timeout, store_error, internal, csrf, queue_full, "
                                  "not_finished")
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
    reading: str = Field(description="how the query was read, operators included: "
                                     "«комиссия» (кез келген тұлғасы) ЖӘНЕ ЕМЕС «партия»")
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
    tags: list[str] = Field(default_factory=list, description="tags people added (★ apart)")
    starred: bool = False


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
    place_type: str | None = Field(None, description="a place's type word, e.g. аудан, уез, қала")


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


class JobProgress(BaseModel):
    done: int
    total: int


class JobError(BaseModel):
    where: str = Field(description="the file, or `job` for the job as a whole")
    message: Message


class JobJSON(BaseModel):
    """A job (web/jobs.py): kept in the server's memory, lost when it restarts."""

    id: str = Field(description="16 hex digits")
    kind: str = Field(description="ingest or batch-search")
    state: str = Field(description="queued, running, done or failed")
    progress: JobProgress
    errors: list[JobError]
    created: str
    finished: str | None
    url: str = Field(description="this job in the API")
    page: str = Field(description="this job's page")
    result_url: str | None = Field(description="when done: the document(s) stored, or the CSV")
    result: list[dict[str, Any]] | None = Field(
        description="when finished: one row per file (source, document, added, error) or per "
                    "query (id, query, hits, document, title, sentence, text, error)")


# -- what people add (web/edits.py): entity edits, tags, stars, notes ---------------------
_LABEL = r"^[A-Za-z][A-Za-z_]{1,31}$"


class EditRequest(BaseModel):
    """An entity correction. `entity` (and `into`) is an id as GET /entities shows it or a
    name the entity holds; the edit stores a name, so it outlives today's ids."""

    op: Literal["merge", "split", "rename", "relabel"]
    entity: str = Field(min_length=1, max_length=200, description="the entity edited (split: "
                        "the name split out)")
    type: str | None = Field(None, pattern=_LABEL, description="its type, where a name is "
                             "held by entities of several types")
    into: str | None = Field(None, min_length=1, max_length=200,
                             description="merge: the entity it is merged into")
    into_type: str | None = Field(None, pattern=_LABEL)
    value: str | None = Field(None, min_length=1, max_length=200,
                              description="rename: the display name; relabel: the new type")


class EditJSON(BaseModel):
    id: int | None
    op: str
    label: str = Field(description="the label of the mention `name`")
    name: str = Field(description="a mention name the edited entity holds")
    value: str
    value_label: str
    author: str = Field(description="the token's name")
    created: str
    applies: bool | None = Field(None, description="whether its names are still found")


class EditsResponse(BaseModel):
    edits: list[EditJSON]


class EditAdded(BaseModel):
    edit: EditJSON
    entity: str | None = Field(description="the id of the entity that now holds the name")


class TagRequest(BaseModel):
    tag: str = Field(min_length=1, max_length=64)


class NoteRequest(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class NoteJSON(BaseModel):
    id: int
    hash: str
    text: str
    author: str
    created: str


class AnnotationsJSON(BaseModel):
    """What people added to one document, kept by its content hash."""

    document: int
    hash: str
    tags: list[str] = Field(description="tags, the star (★) left out")
    starred: bool
    notes: list[NoteJSON]


def ok(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route answering `model`."""
    return {200: {"model": model}}


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in (
        (400, "bad input or query"), (404, "not found"), (422, "invalid parameter"),
        (503, "the store failed"))}
