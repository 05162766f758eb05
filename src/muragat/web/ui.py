"""Server-rendered pages: search, documents, entities, timeline. Kazakh first (`?lang=en`).

Jinja2 autoescapes every value; highlighted text is built by `markup` from escaped pieces.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from muragat import __version__
from muragat.errors import InputError
from muragat.search import parse, search
from muragat.search.highlight import document_marks
from muragat.store import Store
from muragat.web.api import (
    ISO_PATTERN,
    Limit,
    Offset,
    bad_query,
    ctx_of,
    entity_types,
    not_found,
    query_hits,
    resolve,
)
from muragat.web.context import ApiError
from muragat.web.dates import date_words
from muragat.web.markup import document_blocks, mark
from muragat.web.names import public_source
from muragat.web.session import session_of
from muragat.web.text import COOKIE, LANGS, choose, label, translator
from muragat.web.views import (
    document_annotations,
    document_events,
    documents_page,
    entities_page,
    entity_page,
    mention_ids,
    timeline_page,
)

router = APIRouter(include_in_schema=False)
PAGE = 20


@functools.cache
def env() -> Environment:
    return Environment(loader=PackageLoader("muragat.web", "data/templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)


def entity_url(ident: str) -> str:
    return "/entities/" + quote(ident, safe="")


def link(path: str, **params: Any) -> str:
    """`path?a=1&b=2` without the empty parameters (lists repeat the parameter)."""
    pairs = [(k, x) for k, v in params.items() if v not in (None, "", [], ())
             for x in (v if isinstance(v, list | tuple) else [v])]
    return path + ("?" + urlencode(pairs) if pairs else "")


def page_lang(request: Request) -> str:
    return choose(request.query_params.get("lang"), request.cookies.get(COOKIE))


def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = page_lang(request)
    other = "en" if lang == "kk" else "kk"
    switch = request.url.include_query_params(lang=other)
    html = env().get_template(name).render(
        lang=lang, tr=translator(lang), label=lambda x: label(x, lang), link=link,
        entity_url=entity_url, mark=mark, path=request.url.path, version=__version__,
        when=lambda x: date_words(x["date"], x.get("mod"), lang),
        switch_url=f"{switch.path}?{switch.query}", switch_name=other,
        session=session_of(request), writable=not ctx_of(request).readonly, **values)
    response = HTMLResponse(html, status_code=status)
    asked = request.query_params.get("lang")
    if asked in LANGS and asked != request.cookies.get(COOKIE):
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax")
    return response


def error_page(request: Request, status: int, msg: dict[str, str]) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status,
                  message=msg.get(page_lang(request), msg.get("kk", "")))


def store(request: Request) -> Store:
    return ctx_of(request).store()


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str | None, Query(max_length=1000)] = None,
                type: Annotated[list[str], Query()] = [],  # noqa: B006
                year: Annotated[int | None, Query(ge=1000, le=2999)] = None,
                offset: Offset = 0) -> HTMLResponse:
    s = store(request)
    types = entity_types(type)
    result, error, reading = None, None, None
    if q and q.strip():
        try:
            query = parse(q, s.known_lemmas, s.similar_forms)
            reading = query.describe(page_lang(request))  # how the operators were read
            result = search(s, query, types=types, year=year, limit=PAGE, offset=offset,
                            rich=True)
        except InputError as exc:
            error = bad_query(q, exc).msg[page_lang(request)]
    hits = []
    if result is not None:
        infos = [i for d in sorted({h.document for h in result.hits})
                 if (i := s.doc_info(d)) is not None]
        titles = ctx_of(request).titles.titles(s, infos)
        for h in result.hits:
            hits.append({"hit": h, "snippet": Markup(h.snippet), "source": titles.get(h.document)})
    return render(request, "search.html", q=q or "", types=list(types), year=year,
                  offset=offset, page=PAGE, result=result, hits=hits, error=error,
                  counts=s.counts(), reading=reading)


@router.get("/documents", response_class=HTMLResponse)
def documents_list(request: Request, offset: Offset = 0,
                   tag: Annotated[str | None, Query(max_length=64)] = None,
                   starred: bool = False) -> HTMLResponse:
    data = documents_page(store(request), 50, offset, ctx_of(request).titles, tag, starred)
    return render(request, "documents.html", data=data, offset=offset, page=50, tag=tag)


@router.get("/documents/{ref:path}", response_class=HTMLResponse)
def document_page(request: Request, ref: str,
                  q: Annotated[str | None, Query(max_length=1000)] = None) -> HTMLResponse:
    s = store(request)
    doc_id = resolve(s, ref)
    doc = s.get_document(doc_id)
    marks, reading = query_marks(s, doc, q, page_lang(request))
    info = s.doc_info(doc_id)
    title = ctx_of(request).titles.title(s, info)
    source = public_source(info.source) if info else None
    snap = ctx_of(request).snapshots.get(s)
    blocks = document_blocks(doc, mention_ids(doc, snap), entity_url, marks)
    bib = [x for x in doc.spans if x.layer == "bibliography"]
    layers: dict[str, int] = {}
    for x in doc.spans:
        layers[f"{x.layer}:{x.label}"] = layers.get(f"{x.layer}:{x.label}", 0) + 1
    return render(request, "document.html", doc_id=doc_id, title=title, source=source, doc=doc,
                  blocks=blocks,
                  events=document_events(doc, doc_id), bibliography=len(bib),
                  layers=sorted(layers.items()),
                  ann=document_annotations(s, info) if info else None,
                  q=q or "", reading=reading)


def query_marks(s: Store, doc: Any, q: str | None, lang: str
                ) -> tuple[list[tuple[int, int]], str | None]:
    """The words a search query (`/documents/7?q=…`, as a hit links) matches in the document,
    and how the query was read; none for no query or one without searchable words."""
    if not q or not q.strip():
        return [], None
    try:
        query = parse(q, s.known_lemmas, s.similar_forms)
    except InputError:
        return [], None
    sentences = [(r.start, r.end) for r in doc.sentences] or [(0, len(doc.text))]
    return document_marks(doc.text, sentences, query, s.known_lemmas), query.describe(lang)


@router.get("/entities", response_class=HTMLResponse)
def entities_list(request: Request, type: Annotated[list[str], Query()] = [],  # noqa: B006
                  q: Annotated[str | None, Query(max_length=200)] = None,
                  offset: Offset = 0) -> HTMLResponse:
    s = store(request)
    types = entity_types(type)
    data = entities_page(ctx_of(request).snapshots.get(s), types, q, 100, offset)
    return render(request, "entities.html", data=data, types=list(types), q=q or "",
                  offset=offset, page=100)


@router.get("/entities/{key}", response_class=HTMLResponse)
def entity_view(request: Request, key: str) -> HTMLResponse:
    s = store(request)
    snap = ctx_of(request).snapshots.get(s)
    data = entity_page(s, snap, key, titles=ctx_of(request).titles)
    if data is None:
        raise not_found("нысан", "entity", key)
    names = set(data["entity"]["names"])  # the corrections that touch it (web/edits.py)
    edits = [e for e in snap.edits if e.name in names or e.value in names]
    return render(request, "entity.html", data=data, entity=data["entity"], edits=edits)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_view(request: Request, q: Annotated[str | None, Query(max_length=1000)] = None,
                  date_from: Annotated[str | None, Query(alias="from", pattern=ISO_PATTERN)] = None,
                  date_to: Annotated[str | None, Query(alias="to", pattern=ISO_PATTERN)] = None,
                  offset: Offset = 0, limit: Limit = 200) -> HTMLResponse:
    s = store(request)
    error, data = None, None
    try:
        hits = query_hits(s, q.strip() if q else None)
        data = timeline_page(s, ctx_of(request).snapshots.get(s), hits, date_from, date_to,
                             limit, offset, titles=ctx_of(request).titles)
    except ApiError as exc:  # a bad query is shown on the page, not as an error page
        error = exc.msg[page_lang(request)]
    return render(request, "timeline.html", data=data, q=q or "", date_from=date_from or "",
                  date_to=date_to or "", offset=offset, page=limit, error=error)
