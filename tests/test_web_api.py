"""The JSON API over a small store of the demo documents (needs the `web` extra)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():  # starlette's notice about httpx, not about this code
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402
from web_helpers import HOSTILE_SOURCE, build_store  # noqa: E402

from muragat.model import SCHEMA  # noqa: E402
from muragat.store import open_store  # noqa: E402
from muragat.web import create_app  # noqa: E402

API = "/api/v1"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_store(tmp_path_factory.mktemp("web_api"))


@pytest.fixture(scope="module")
def client(db: str):  # type: ignore[no-untyped-def]
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def error_of(response) -> dict:  # type: ignore[no-untyped-def]
    """The error object every 4xx/5xx carries, with both languages."""
    body = response.json()
    err = body["error"]
    assert err["status"] == response.status_code
    assert err["message"]["kk"] and err["message"]["en"]
    assert "Traceback" not in response.text
    return err


def test_status_counts_the_store(client: TestClient) -> None:
    body = client.get(API).json()
    assert body["readonly"] is True
    assert body["counts"]["documents"] == 5


def test_search_finds_inflected_form_with_facets(client: TestClient) -> None:
    body = client.get(f"{API}/search", params={"q": "Тоғжанов"}).json()
    assert body["total"] >= 3
    texts = [h["text"] for h in body["hits"]]
    assert any("Тоғжановтың" in t for t in texts)
    for h in body["hits"]:
        assert {"document", "sentence", "start", "end", "text", "snippet", "highlights"} <= set(h)
        doc = client.get(f"{API}/documents/{h['document']}").json()
        assert doc["text"][h["start"] : h["end"]] == h["text"]  # offsets into the original
        for a, b in h["highlights"]:
            assert doc["text"][a:b].lower().startswith("тоғжанов")
    assert set(body["facets"]) == {"type", "year"}
    assert body["facets"]["year"].get("1929", 0) >= 1


def test_search_filters_and_paging(client: TestClient) -> None:
    full = client.get(f"{API}/search", params={"q": "комиссия", "limit": 50}).json()
    assert full["total"] >= 3
    page = client.get(f"{API}/search", params={"q": "комиссия", "limit": 1, "offset": 1}).json()
    assert page["hits"][0]["text"] == full["hits"][1]["text"]
    year = client.get(f"{API}/search", params={"q": "комиссия", "year": 1930}).json()
    assert 0 < year["total"] < full["total"]
    none = client.get(f"{API}/search", params={"q": "комиссия", "type": "LAW"}).json()
    assert none["total"] == 0


@pytest.mark.parametrize("params", [
    {}, {"q": ""}, {"q": "x", "limit": -1}, {"q": "x", "limit": 5000}, {"q": "x", "year": "abc"},
    {"q": "x", "offset": -3}, {"q": "x" * 1001},
])
def test_search_bad_parameters_are_422(client: TestClient, params: dict) -> None:
    r = client.get(f"{API}/search", params=params)
    assert r.status_code == 422
    assert error_of(r)["code"] == "invalid_parameter"


@pytest.mark.parametrize("q", ["...", '«»', "="])
def test_query_without_a_word_is_422_as_the_spec_says(client: TestClient, q: str) -> None:
    r = client.get(f"{API}/search", params={"q": q})
    assert r.status_code == 422  # the spec's pattern asks for a letter or digit
    assert error_of(r)["code"] == "invalid_parameter"
    assert client.get(f"{API}/timeline", params={"q": q}).status_code == 422


def test_unclosed_quote_is_answered(client: TestClient) -> None:
    r = client.get(f"{API}/search", params={"q": '"Тоғжанов'})
    assert r.status_code == 200 and r.json()["total"] >= 1


def test_documents_list_and_document_json(client: TestClient) -> None:
    body = client.get(f"{API}/documents", params={"limit": 2, "offset": 1}).json()
    assert body["total"] == 5 and len(body["documents"]) == 2
    row = body["documents"][0]
    assert {"id", "source", "hash", "sentences"} <= set(row) and row["sentences"] > 0
    doc = client.get(f"{API}/documents/{row['id']}").json()
    assert doc["schema"] == SCHEMA
    assert len(doc["sentences"]) == row["sentences"]
    assert "ner" in {s["layer"] for s in doc["spans"]}
    assert any(s["label"] == "DATE" and s["attrs"].get("value") for s in doc["spans"])
    by_hash = client.get(f"{API}/documents/{row['hash'][:10]}").json()
    assert by_hash["text"] == doc["text"]
    assert row["source"] == row["source"].rsplit("/", 1)[-1]  # ingested by an absolute path
    assert row["title"]


@pytest.mark.parametrize("path", ["/documents/999999", "/documents/nope",
                                  "/entities/PERSON:жоқ", "/nothing-here"])
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    r = client.get(API + path)
    assert r.status_code == 404
    error_of(r)


def test_entities_consolidated_with_counts(client: TestClient) -> None:
    body = client.get(f"{API}/entities", params={"type": "PERSON"}).json()
    assert body["total"] >= 2
    assert all(e["type"] == "PERSON" for e in body["entities"])
    togzhanov = [e for e in body["entities"] if "тоғжанов" in e["id"]]
    assert len(togzhanov) == 1  # Ғаббас Тоғжанов, Ғ. Тоғжанов, Тоғжановтың: one person
    assert togzhanov[0]["mentions"] >= 2
    everything = client.get(f"{API}/entities").json()
    assert everything["total"] >= body["total"]
    assert sum(everything["types"].values()) == everything["total"]
    named = client.get(f"{API}/entities", params={"q": "тоғжан"}).json()
    assert [e["id"] for e in named["entities"]] == [togzhanov[0]["id"]]


def test_entity_page_links_mentions_to_sentences(client: TestClient) -> None:
    ident = next(e["id"] for e in client.get(f"{API}/entities").json()["entities"]
                 if "тоғжанов" in e["id"])
    page = client.get(f"{API}/entities/{ident}").json()
    assert page["entity"]["id"] == ident
    assert len(page["mentions"]) == page["entity"]["mentions"]
    for m in page["mentions"]:
        doc = client.get(f"{API}/documents/{m['document']}").json()
        assert doc["text"][m["start"] : m["end"]] == m["text"]
        assert m["text"] in m["sentence_text"]


def test_entity_page_has_events_of_its_documents(client: TestClient) -> None:
    """A place named in an event sentence gets that event on its page (facts layer)."""
    entities = client.get(f"{API}/entities").json()["entities"]
    with_events = [client.get(f"{API}/entities/{e['id']}").json() for e in entities]
    events = [ev for p in with_events for ev in p["events"]]
    assert events, "no entity page shows an event"
    for ev in events:
        assert ev["label"].isupper() and ev["document"] >= 1
        assert ev["text"] in ev["sentence_text"]


def test_timeline_sorted_and_filtered(client: TestClient) -> None:
    body = client.get(f"{API}/timeline").json()
    items = body["items"]
    assert body["total"] == len(items) >= 5
    assert [x["from"] for x in items] == sorted(x["from"] for x in items)
    assert {"date", "event"} <= {x["kind"] for x in items}
    for x in items:
        assert x["text"] in x["sentence_text"]
    y1930 = client.get(f"{API}/timeline", params={"from": "1930", "to": "1930"}).json()["items"]
    assert y1930 and all(x["from"][:4] <= "1930" <= x["to"][:4] for x in y1930)
    after = client.get(f"{API}/timeline", params={"from": "1930-06"}).json()["items"]
    assert all(x["to"] >= "1930" for x in after)
    assert not any(x["date"] == "1930-05-15" for x in after)
    queried = client.get(f"{API}/timeline", params={"q": "Тоғжанов"}).json()["items"]
    assert queried and all(x["document"] == queried[0]["document"] for x in queried)


@pytest.mark.parametrize("params", [{"from": "1930-1"}, {"to": "тридцать"}, {"limit": -1}])
def test_timeline_bad_parameters_are_422(client: TestClient, params: dict) -> None:
    r = client.get(f"{API}/timeline", params=params)
    assert r.status_code == 422
    error_of(r)


def test_analyze_returns_document_without_storing(client: TestClient, db: str) -> None:
    text = "Ғ. Тоғжанов 1929 жылы Ойыл ауданына келді."
    r = client.post(f"{API}/analyze", json={"text": text})
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == SCHEMA and doc["text"] == text
    assert doc["tokens"] and doc["sentences"]
    assert any(s["label"] == "DATE" and s["attrs"].get("value") == "1929" for s in doc["spans"])
    plain = client.post(f"{API}/analyze?layers=text", content=text.encode("utf-8"),
                        headers={"content-type": "text/plain"}).json()
    assert plain["text"] == text and not plain["spans"]
    legacy = client.post(f"{API}/analyze?layers=text", content=text.encode("kz1048"),
                         headers={"content-type": "text/plain"}).json()
    assert legacy["text"] == text  # a KZ-1048 body is decoded like a file
    with open_store(db, readonly=True) as store:
        assert store.counts()["documents"] == 5


@pytest.mark.parametrize(("body", "ctype", "status"), [
    (b"", "text/plain", 400),
    (b"   \n", "text/plain", 400),
    (b"\x00\x01\x02binary", "application/octet-stream", 400),
    (b"{not json", "application/json", 400),
    (b'{"txt": "x"}', "application/json", 422),
    (b'["text"]', "application/json", 422),
    (json.dumps({"text": "Сөз.", "layers": ["nope"]}).encode(), "application/json", 422),
    (json.dumps({"text": ""}).encode(), "application/json", 400),
    (b'{"text": "\\ud800 x"}', "application/json", 400),
])
def test_analyze_bad_input_is_4xx_json(client: TestClient, body: bytes, ctype: str,
                                       status: int) -> None:
    r = client.post(f"{API}/analyze", content=body, headers={"content-type": ctype})
    assert r.status_code == status
    error_of(r)


def test_analyze_size_limit(db: str) -> None:
    with TestClient(create_app(db, max_bytes=1000)) as small:
        r = small.post(f"{API}/analyze", content="сөз ".encode() * 400,
                       headers={"content-type": "text/plain"})
        assert r.status_code == 413
        assert "1000" in error_of(r)["message"]["en"]  # the smaller of the two limits


def test_read_only_cannot_write(client: TestClient, db: str) -> None:
    r = client.post(f"{API}/documents", json={"text": "Жаңа құжат."})
    assert r.status_code == 401  # no token; with one: 403 read_only (test_web_team.py)
    error_of(r)
    for method in ("delete", "put", "patch"):
        assert getattr(client, method)(f"{API}/documents/1").status_code == 405
    with open_store(db, readonly=True) as store:
        assert store.counts()["documents"] == 5


def test_writable_app_adds_once(tmp_path: Path) -> None:
    from muragat.store.tokens import create_token

    url = str(tmp_path / "w.db")
    with open_store(url) as store:
        secret, _ = create_token(store, "write")
    with TestClient(create_app(url, readonly=False),
                    headers={"authorization": f"Bearer {secret}"}) as c:
        text = "Ойыл ауданы 1929 жылы құрылды."
        first = c.post(f"{API}/documents?", json={"text": text, "source": "api.txt",
                                                  "layers": ["text"]})
        assert first.status_code == 201 and first.json()["added"] is True
        again = c.post(f"{API}/documents", json={"text": text, "layers": ["text"]})
        assert again.status_code == 200 and again.json() == {"id": first.json()["id"],
                                                             "added": False}
        assert c.get(f"{API}/search", params={"q": "ауданы"}).json()["total"] == 1


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    paths = set(spec["paths"])
    assert {f"{API}/search", f"{API}/documents", f"{API}/documents/{{ref}}", f"{API}/entities",
            f"{API}/entities/{{key}}", f"{API}/timeline", f"{API}/analyze"} <= paths
    assert not any(p == "/" or p.startswith("/entities") for p in paths)  # pages are not API


def test_hostile_source_is_plain_json(client: TestClient) -> None:
    body = client.get(f"{API}/documents").json()
    assert HOSTILE_SOURCE in [d["source"] for d in body["documents"]]
    assert client.get(f"{API}/documents").headers["content-type"].startswith("application/json")


def test_postgres_store_answers_like_sqlite(client: TestClient, tmp_path: Path) -> None:
    """The same API over PostgreSQL (MURAGAT_TEST_PG_URL; scripts/ci/start_postgres.sh)."""
    import os
    import uuid

    from store_helpers import PG_ENV, pg_url_with_schema
    from web_helpers import DEMO, TOGZHANOV

    from muragat.batch import ingest

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    psycopg = pytest.importorskip("psycopg")
    schema = "w_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        url = pg_url_with_schema(base, schema)
        with open_store(url) as store:
            assert not ingest(store, [DEMO, TOGZHANOV], progress=False).failures
        with TestClient(create_app(url)) as pg:
            for path, params in [("/search", {"q": "Тоғжанов"}), ("/search", {"q": "комиссия"}),
                                 ("/entities", {"type": "PERSON"})]:
                got, want = pg.get(API + path, params=params), client.get(API + path,
                                                                         params=params)
                assert got.status_code == 200
                if path == "/search":
                    assert {h["text"] for h in got.json()["hits"]} <= {
                        h["text"] for h in client.get(API + path, params={**params, "limit": 100}
                                                      ).json()["hits"]}
                else:
                    # the SQLite store also holds the hostile text, which may name someone
                    assert {e["id"] for e in got.json()["entities"]} <= {
                        e["id"] for e in want.json()["entities"]}
            ident = pg.get(f"{API}/entities", params={"q": "тоғжан"}).json()["entities"][0]["id"]
            assert pg.get(f"{API}/entities/{ident}").json()["mentions"]
            assert pg.get(f"{API}/timeline").json()["total"] >= 5
            first = pg.get(f"{API}/documents").json()["documents"][0]["id"]
            assert "l-ner" in pg.get(f"/documents/{first}").text
            assert pg.post(f"{API}/documents", json={"text": "x"}).status_code == 401
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_answers_match_the_documented_schemas(client: TestClient) -> None:
    """What OpenAPI promises is what the routes answer."""
    from muragat.web import schemas as s

    ident = client.get(f"{API}/entities").json()["entities"][0]["id"]
    checks = [(s.StoreStatus, ""), (s.SearchResponse, "/search?q=комиссия"),
              (s.DocumentsResponse, "/documents"), (s.DocumentJSON, "/documents/1"),
              (s.EntitiesResponse, "/entities"), (s.EntityPage, f"/entities/{ident}"),
              (s.TimelineResponse, "/timeline"), (s.ErrorBody, "/documents/0"),
              (s.ErrorBody, "/search?q=..."), (s.ErrorBody, "/search")]
    for model, path in checks:
        model.model_validate(client.get(API + path).json())
    spec = client.get(f"{API}/openapi.json").json()
    assert spec["paths"][f"{API}/search"]["get"]["responses"]["422"]["content"][
        "application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def test_a_crashing_layer_is_a_500_json_without_traceback(client: TestClient,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from muragat import pipeline

    def boom(doc):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(pipeline, "layer", lambda name: boom)
    r = client.post(f"{API}/analyze", json={"text": "Сөз."})
    assert r.status_code == 500
    assert error_of(r)["code"] == "internal"
    assert "secret internals" not in r.text
