"""The pages: Kazakh first, English on request, every document and user string escaped."""

from __future__ import annotations

import re
import warnings
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():  # starlette's notice about httpx, not about this code
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402
from web_helpers import build_store  # noqa: E402

from muragat.web import create_app  # noqa: E402

SAFE_TAGS = {"html", "head", "meta", "title", "link", "body", "header", "nav", "a", "main",
             "footer", "form", "input", "button", "p", "span", "mark", "ol", "ul", "li", "h1",
             "h2", "table", "thead", "tbody", "tr", "th", "td", "code", "section", "aside",
             "article", "details", "summary", "label", "div", "blockquote", "textarea",
             "select", "option"}


class TagAudit(HTMLParser):
    """The tags and attributes a browser would build: no script, no handler, no foreign tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"{tag}[{name}]")


def unsafe(html: str) -> list[str]:
    audit = TagAudit()
    audit.feed(html)
    return audit.bad


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = build_store(tmp_path_factory.mktemp("web_ui"))
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def hostile_id(client: TestClient) -> int:
    docs = client.get("/api/v1/documents").json()["documents"]
    return next(d["id"] for d in docs if "script" in (d["source"] or ""))


def page(client: TestClient, url: str, lang: str | None = None) -> str:
    params = {"lang": lang} if lang else None
    r = client.get(url, params=params)
    assert r.status_code == 200, (url, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    return r.text


def test_every_page_renders_in_kazakh_and_english(client: TestClient) -> None:
    ident = client.get("/api/v1/entities").json()["entities"][0]["id"]
    urls = ["/", "/?q=комиссия", "/documents", "/documents/1", "/entities",
            "/entities?type=PERSON", f"/entities/{ident}", "/timeline", "/timeline?q=комиссия"]
    client.cookies.clear()
    for url in urls:
        kk = page(client, url, "kk")
        en = page(client, url, "en")
        assert '<html lang="kk">' in kk and '<html lang="en">' in en
        assert "Іздеу" in kk and "Search" in en and "Іздеу" not in en


def test_language_cookie_is_remembered(client: TestClient) -> None:
    client.cookies.clear()
    r = client.get("/", params={"lang": "en"})
    assert "muragat_lang=en" in r.headers["set-cookie"]
    assert '<html lang="en">' in client.get("/documents").text
    assert '<html lang="kk">' in client.get("/documents", params={"lang": "kk"}).text
    assert '<html lang="kk">' in client.get("/documents").text
    client.cookies.clear()


def test_search_page_highlights_inflected_form_and_links_facets(client: TestClient) -> None:
    html = page(client, "/?q=Тоғжанов")
    assert "<mark>Тоғжановтың</mark>" in html
    assert re.search(r'href="/documents/\d+\?q=[^"#]+#s-\d+"', html)  # the query marked there
    assert "type=PERSON" in html and "year=1929" in html
    filtered = page(client, "/?q=Тоғжанов&year=1929")
    assert filtered.count("<li>") < html.count("<li>")


def test_bad_query_is_a_message_not_an_error_page(client: TestClient) -> None:
    html = page(client, "/?q=...")
    assert 'class="error"' in html


def test_document_page_highlights_spans_by_offset(client: TestClient) -> None:
    html = page(client, "/documents/1")
    assert 'class="l-ner t-PERSON"' in html or "l-ner t-PERSON" in html
    assert re.search(r'<a class="l-ner[^"]*"[^>]* href="/entities/PERSON%3A', html)
    assert "t-DATE" in html and "l-citation" in html and "l-event" in html
    assert 'id="s-0"' in html


def test_document_page_links_citations_to_bibliography(client: TestClient) -> None:
    """Citations link to their entry's anchor on the same page (a team-written article)."""
    from muragat import analyze
    from muragat.web.markup import document_blocks

    doc = analyze("Бұл туралы жазылған [1, 5-б.].\n\nӘдебиеттер\n"
                  "1 Қазақстан тарихы. – Алматы, 1998. – 200 б.\n")
    cites = [s for s in doc.spans if s.layer == "citation"]
    entries = [s for s in doc.spans if s.layer == "bibliography"]
    html = "".join(str(b.html) for b in document_blocks(doc, {}, lambda x: x))
    if cites and entries and isinstance(cites[0].attrs.get("entry_start"), int):
        anchor = f"bib-{cites[0].attrs['entry_start']}"
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    else:
        pytest.skip("the cite layer found no linked entry in this text")


def test_entity_and_timeline_pages(client: TestClient) -> None:
    ident = next(e["id"] for e in client.get("/api/v1/entities").json()["entities"]
                 if "тоғжанов" in e["id"])
    html = page(client, f"/entities/{ident.replace(':', '%3A')}")
    assert "Тоғжанов" in html and "<mark>" in html
    timeline = page(client, "/timeline?from=1930&to=1931")
    assert "1930" in timeline and "1928-11-12" not in timeline


def test_pager_links_keep_the_query_and_page_size(client: TestClient) -> None:
    first = page(client, "/timeline?from=1920&to=1940&limit=1")
    assert "href=\"/timeline?from=1920&amp;to=1940&amp;limit=1&amp;offset=1\"" in first
    assert "алдыңғы" not in first  # no previous page on the first one
    second = page(client, "/timeline?from=1920&to=1940&limit=1&offset=1")
    assert "href=\"/timeline?from=1920&amp;to=1940&amp;limit=1&amp;offset=0\"" in second
    docs = page(client, "/documents?offset=1")
    assert "href=\"/documents?offset=0\"" in docs


@pytest.mark.parametrize("url", ["/documents/999999", "/entities/PERSON:жоқ", "/no-such-page"])
def test_unknown_pages_are_404_html(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "табылмады" in r.text


def test_bad_page_parameters_are_422_html(client: TestClient) -> None:
    r = client.get("/timeline", params={"from": "soon"})
    assert r.status_code == 422 and "<html" in r.text


def test_hostile_document_is_escaped_everywhere(client: TestClient) -> None:
    doc_id = hostile_id(client)
    pages = [page(client, f"/documents/{doc_id}"), page(client, "/documents"),
             page(client, "/?q=Ойыл"), page(client, "/?q=хат"), page(client, "/timeline")]
    for html in pages:
        assert unsafe(html) == []
    # muragat's own markup (a value span around `1`, say) removed, the hostile text is there,
    # escaped: whatever the models annotate inside it
    doc_text = re.sub(r"<[^>]*>", "", pages[0])
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in doc_text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in doc_text
    assert "&lt;script&gt;" in pages[1]  # the source file name


def test_hostile_query_is_escaped(client: TestClient) -> None:
    evil = '"><script>alert(1)</script>'
    for url in ("/", "/timeline", "/entities"):
        r = client.get(url, params={"q": evil, "lang": "en"})
        assert unsafe(r.text) == [], url
        assert "&lt;script&gt;" in r.text or "&#34;&gt;" in r.text
    r = client.get("/entities/" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code == 404 and unsafe(r.text) == []


def test_static_stylesheet(client: TestClient) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200 and ".l-ner" in r.text
