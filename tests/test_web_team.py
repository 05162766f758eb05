"""A team server on a network: tokens, no cross-site writes, bounded analysis, documents named
without server paths, ids out of range, 405 with Allow, API docs offline."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():  # starlette's notice about httpx, not about this code
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from muragat import pipeline  # noqa: E402
from muragat.batch import ingest  # noqa: E402
from muragat.cli import main  # noqa: E402
from muragat.store import open_store  # noqa: E402
from muragat.store.tokens import check_token, create_token, list_tokens, revoke_token  # noqa: E402
from muragat.web import create_app  # noqa: E402
from muragat.web.jobs import wait  # noqa: E402
from muragat.web.limits import Limits  # noqa: E402

API = "/api/v1"
TEXT = "Ойыл ауданы туралы хат\nҒ. Тоғжанов 1929 жылы Ойыл ауданына келді.\n"


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str], Path]:
    """A store with one document ingested by its absolute path, and a token of each role."""
    folder = tmp_path_factory.mktemp("team").resolve()
    source = folder / "archive" / "хат_1929.txt"
    source.parent.mkdir()
    source.write_text(TEXT, encoding="utf-8")
    url = str(folder / "team.db")
    with open_store(url) as store:
        assert not ingest(store, [source], progress=False).failures
        tokens = {role: create_token(store, role, f"{role}-user")[0]
                  for role in ("read", "write", "admin")}
    return url, tokens, folder


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    err = response.json()["error"]
    assert err["status"] == response.status_code and err["message"]["kk"] and err["message"]["en"]
    return str(err["code"])


def test_tokens_are_stored_hashed_and_revocable(tmp_path: Path) -> None:
    url = str(tmp_path / "t.db")
    with open_store(url) as store:
        secret, info = create_token(store, "write", "aigerim")
        assert len(secret) >= 40 and info.role == "write"
        assert check_token(store, secret) == info
        assert check_token(store, secret + "x") is None and check_token(store, "") is None
        rows = store.db.execute("SELECT hash, name, role FROM api_tokens").fetchall()  # type: ignore[attr-defined]
        assert rows and all(secret not in str(r) for r in rows)
        assert [t.name for t in list_tokens(store)] == ["aigerim"]
        assert revoke_token(store, "aigerim") and check_token(store, secret) is None
        assert not revoke_token(store, "aigerim")
    with open_store(url, readonly=True) as ro:
        assert list_tokens(ro) == []


def test_token_cli_prints_once_lists_and_revokes(tmp_path: Path, capsys: pytest.CaptureFixture
                                                 ) -> None:
    db = str(tmp_path / "c.db")

    def run(*args: str) -> int:
        with pytest.raises(SystemExit) as done:
            main(["token", *args, "--db", db])
        return int(done.value.code or 0)

    assert run("create", "--role", "admin", "--name", "ops") == 0
    out = capsys.readouterr()
    secret = out.out.strip()
    assert len(secret) >= 40 and "ops" in out.err
    with open_store(db, readonly=True) as store:
        assert check_token(store, secret).role == "admin"  # type: ignore[union-attr]
    assert run("list") == 0
    listed = capsys.readouterr().out
    assert listed.startswith("ops\tadmin\t") and secret not in listed
    assert run("create", "--role", "write", "--name", "ops") == 3  # the name is taken
    assert run("revoke", "ops") == 0 and run("revoke", "ops") == 3
    assert run("create", "--role", "boss") == 2
    capsys.readouterr()


def test_writes_need_a_write_token_from_this_origin(team: tuple[str, dict[str, str], Path]
                                                    ) -> None:
    url, tokens, _ = team
    body = {"text": "Комиссия 1930 жылы жұмыс істеді.", "layers": ["text"], "source": "a.txt"}
    with TestClient(create_app(url, readonly=False), raise_server_exceptions=False) as c:
        r = c.post(f"{API}/documents", json=body)
        assert r.status_code == 401 and error_code(r) == "unauthorized"
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert c.post(f"{API}/documents", json=body,
                      headers=bearer("not-a-token")).status_code == 401
        r = c.post(f"{API}/documents", json=body, headers=bearer(tokens["read"]))
        assert r.status_code == 403 and error_code(r) == "forbidden"
        # a page of another site: a foreign Origin (or Referer) is refused even with a token
        for header in ({"origin": "http://127.0.0.1:8767"}, {"origin": "null"},
                       {"referer": "https://evil.example/page"}):
            r = c.post(f"{API}/documents", json=body, headers={**bearer(tokens["write"]),
                                                               **header})
            assert r.status_code == 403 and error_code(r) == "foreign_origin"
        # what a cross-site form or a no-cors fetch can send is never a JSON API write
        for ctype in ("text/plain", "application/x-www-form-urlencoded",
                      "multipart/form-data; boundary=x", ""):
            r = c.post(f"{API}/documents", content=b"text=hello",
                       headers={**bearer(tokens["write"]), "content-type": ctype})
            assert r.status_code == 415, ctype
            assert error_code(r) == "unsupported_media_type"
        with open_store(url, readonly=True) as store:
            assert store.counts()["documents"] == 1  # nothing above was stored
        same = {"origin": "http://testserver"}
        r = c.post(f"{API}/documents", json=body, headers={**bearer(tokens["write"]), **same})
        assert r.status_code == 201 and r.json()["added"] is True
        r = c.post(f"{API}/documents", json={**body, "text": "Басқа мәтін."},
                   headers=bearer(tokens["admin"]))
        assert r.status_code == 201
    with TestClient(create_app(url), raise_server_exceptions=False) as ro:  # read-only
        r = ro.post(f"{API}/documents", json={**body, "text": "Үшінші."},
                    headers=bearer(tokens["admin"]))
        assert r.status_code == 403 and error_code(r) == "read_only"
    with open_store(url, readonly=True) as store:
        assert store.counts()["documents"] == 3


def test_other_origins_can_be_allowed(team: tuple[str, dict[str, str], Path]) -> None:
    url, tokens, _ = team
    app = create_app(url, readonly=False, origins=("https://archive.example.kz",))
    with TestClient(app) as c:
        r = c.post(f"{API}/documents", json={"text": "Прокси арқылы.", "layers": ["text"]},
                   headers={**bearer(tokens["write"]), "origin": "https://archive.example.kz"})
        assert r.status_code in (200, 201)


def test_analyze_over_the_limit_is_refused_unread(team: tuple[str, dict[str, str], Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    url, tokens, _ = team
    ran: list[str] = []
    real = pipeline.layer
    monkeypatch.setattr(pipeline, "layer", lambda name: ran.append(name) or real(name))
    with TestClient(create_app(url, limits=Limits(analyze_kb=1))) as c:
        r = c.post(f"{API}/analyze", content="сөз ".encode() * 400,
                   headers={"content-type": "text/plain"})
        assert r.status_code == 413 and "1 KB" in r.json()["error"]["message"]["en"]
        assert ran == []  # refused before any layer ran
        assert c.post(f"{API}/analyze?layers=text", json={"text": "Сөз."}).status_code == 200
        assert ran == ["text"]
        spec = c.get(f"{API}/openapi.json").json()
        said = spec["paths"][f"{API}/analyze"]["post"]["description"]
        assert "1 KB" in said and "30 s" in said and "429" in said
    with TestClient(create_app(url, limits=Limits(analyze_kb=0))) as off:
        r = off.post(f"{API}/analyze", json={"text": "Сөз."})
        assert r.status_code == 403 and error_code(r) == "analyze_off"
    # a writer on a team server analyses up to --max-mb even when anonymous analysis is off
    with TestClient(create_app(url, readonly=False, limits=Limits(analyze_kb=0))) as team_c:
        r = team_c.post(f"{API}/analyze?layers=text", json={"text": "Сөз."},
                        headers=bearer(tokens["write"]))
        assert r.status_code == 200


def _blocking_layer(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    started, release = threading.Event(), threading.Event()

    def slow(doc):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(30)
        return doc

    monkeypatch.setattr(pipeline, "layer", lambda name: slow)
    return started, release


def test_analyze_busy_is_429_and_slow_is_503(team: tuple[str, dict[str, str], Path],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url, _, _ = team
    started, release = _blocking_layer(monkeypatch)
    with TestClient(create_app(url, limits=Limits(concurrent=1, seconds=60))) as c:
        first: list[int] = []
        worker = threading.Thread(target=lambda: first.append(
            c.post(f"{API}/analyze?layers=text", json={"text": "Сөз."}).status_code))
        worker.start()
        assert started.wait(30)
        r = c.post(f"{API}/analyze?layers=text", json={"text": "Сөз."})
        assert r.status_code == 429 and error_code(r) == "busy" and r.headers["retry-after"]
        assert "1" in r.json()["error"]["message"]["en"]
        release.set()
        worker.join(30)
        assert first == [200]
    started, release = _blocking_layer(monkeypatch)
    with TestClient(create_app(url, limits=Limits(concurrent=1, seconds=0.2))) as c:
        r = c.post(f"{API}/analyze?layers=text", json={"text": "Сөз."})
        assert r.status_code == 503 and error_code(r) == "timeout"
        assert "0.2 s" in r.json()["error"]["message"]["en"]
        # the abandoned analysis keeps its slot until its thread stops: no pile-up
        r = c.post(f"{API}/analyze?layers=text", json={"text": "Сөз."})
        assert r.status_code == 429
        release.set()


def test_no_absolute_server_path_in_any_page_or_answer(team: tuple[str, dict[str, str], Path]
                                                       ) -> None:
    url, _, folder = team
    secret = str(folder)
    with TestClient(create_app(url), raise_server_exceptions=False) as c:
        ident = c.get(f"{API}/entities").json()["entities"][0]["id"]
        urls = ["/", "/?q=Тоғжанов", "/?q=ауданы", "/documents", "/documents/1", "/entities",
                f"/entities/{ident}", "/timeline", "/timeline?q=келді", "/api/v1/docs",
                API, f"{API}/search?q=Тоғжанов", f"{API}/documents", f"{API}/documents/1",
                f"{API}/entities", f"{API}/entities/{ident}", f"{API}/timeline",
                f"{API}/openapi.json", "/documents/999", f"{API}/documents/999",
                "/batch", "/login", f"{API}/search.csv?q=Тоғжанов"]
        job = c.post(f"{API}/jobs", json={"kind": "batch-search", "queries": "Тоғжанов"}).json()
        wait(c.app.state.jobs.get(job["id"]))
        urls += [f"{API}/jobs/{job['id']}", f"{API}/jobs/{job['id']}/result.csv", job["page"]]
        for path in urls:
            r = c.get(path)
            assert r.status_code < 500, path
            assert secret not in r.text, path
        docs = c.get(f"{API}/documents").json()["documents"]
        assert docs[0]["source"] == "хат_1929.txt"
        assert docs[0]["title"] == "Ойыл ауданы туралы хат"  # the first line
        assert "Ойыл ауданы туралы хат" in c.get("/documents/1").text
        assert "Ойыл ауданы туралы хат" in c.get("/documents").text
        hit = c.get(f"{API}/search", params={"q": "Тоғжанов"}).json()["hits"][0]
        assert hit["title"] == "Ойыл ауданы туралы хат" and hit["source"] == "хат_1929.txt"


@pytest.mark.parametrize("ref", ["99999999999999999999999", "9223372036854775808",
                                 "²", "١٢", "-1", "1.5"])
def test_ids_out_of_range_are_404(team: tuple[str, dict[str, str], Path], ref: str) -> None:
    url, _, _ = team
    with TestClient(create_app(url), raise_server_exceptions=False) as c:
        r = c.get(f"{API}/documents/{ref}")
        assert r.status_code == 404 and error_code(r) == "not_found"
        assert c.get(f"/documents/{ref}").status_code == 404


def test_405_says_what_is_allowed(team: tuple[str, dict[str, str], Path]) -> None:
    url, _, _ = team
    with TestClient(create_app(url), raise_server_exceptions=False) as c:
        for method, path in [("delete", f"{API}/documents/1"), ("put", f"{API}/search"),
                             ("post", f"{API}/timeline"), ("delete", "/documents")]:
            r = getattr(c, method)(path)
            assert r.status_code == 405, path
            assert "GET" in r.headers["allow"], path
        assert "POST" in c.get(f"{API}/analyze").headers["allow"]


def test_spec_and_server_agree_on_types_quotes_and_bodies(
        team: tuple[str, dict[str, str], Path]) -> None:
    url, _, _ = team
    with TestClient(create_app(url), raise_server_exceptions=False) as c:
        # any entity type is accepted; one no entity has matches nothing
        for value in ("PER SON", "x,y", "ПЕРСОНА", " "):
            r = c.get(f"{API}/search", params={"q": "Тоғжанов", "type": value})
            assert r.status_code == 200, value
            assert c.get(f"{API}/entities", params={"type": value}).status_code == 200
        assert c.get(f"{API}/search", params={"q": "Тоғжанов", "type": "PER SON"}
                     ).json()["total"] == 0
        spec = c.get(f"{API}/openapi.json").json()
        params = spec["paths"][f"{API}/search"]["get"]["parameters"]
        assert "matches nothing" in next(p for p in params if p["name"] == "type")["description"]
        body = spec["paths"][f"{API}/analyze"]["post"]["requestBody"]["content"]
        assert body["text/plain"]["schema"]["minLength"] == 1  # an empty body is not schema-valid
        assert body["application/json"]["schema"]["properties"]["text"]["minLength"] == 1
        assert c.post(f"{API}/analyze", content=b"",
                      headers={"content-type": "text/plain"}).status_code == 400


def test_api_docs_load_nothing_from_a_cdn(team: tuple[str, dict[str, str], Path]) -> None:
    url, _, _ = team
    with TestClient(create_app(url)) as c:
        r = c.get(f"{API}/docs")
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        assert "http" not in csp and "cdn" not in csp and "unsafe-inline' ;" not in csp
        assert "script-src 'self';" in csp
        assert "http://" not in r.text and "https://" not in r.text
        assert "<script>" not in r.text  # no inline script: only files of this server
        pytest.importorskip("swagger_ui_bundle")
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
            got = c.get(f"{API}/docs/assets/{asset}")
            assert got.status_code == 200 and len(got.content) > 10_000
        assert "SwaggerUIBundle" in c.get("/static/swagger-init.js").text
        assert c.get("/api/docs", follow_redirects=False).headers["location"] == f"{API}/docs"


def test_timeline_page_shows_an_event_once_with_before_and_ranges(tmp_path: Path) -> None:
    from muragat.ingest import Record, ingest_record
    from muragat.pipeline import DEFAULT_LAYERS

    url = str(tmp_path / "tl.db")
    text = ("Ол 1936 жылғы 1 тамызға дейін партиядан шығарылды.\n"
            "1928–1937 жылдары 40 адам сотталды.\n")
    with open_store(url) as store:
        assert ingest_record(store, Record("tl.txt", text), DEFAULT_LAYERS)
    with TestClient(create_app(url)) as c:
        items = c.get(f"{API}/timeline").json()["items"]
        assert [(x["kind"], x["date"], x["mod"]) for x in items] == [
            ("event", "1928/1937", None), ("event", "1936-08-01", "BEFORE")]
        assert items[1]["date_text"] == "1936 жылғы 1 тамызға дейін"
        page = c.get("/timeline").text
        assert page.count('<li class="event">') == 2 and '<li class="date">' not in page
        assert "1936 ж. 1 тамызға дейін" in page and "1928–1937" in page
        assert "before 1 August 1936" in c.get("/timeline?lang=en").text
        # cited by the document's title, not "document 1"
        assert ">Ол 1936 жылғы 1 тамызға дейін партиядан шығарылды.</a>" in page


def test_tokens_in_postgres(tmp_path: Path) -> None:
    """The same token table in a PostgreSQL store (MURAGAT_TEST_PG_URL;
    scripts/ci/start_postgres.sh), and a team server over it."""
    import os
    import uuid

    from store_helpers import PG_ENV, pg_url_with_schema

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    psycopg = pytest.importorskip("psycopg")
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        url = pg_url_with_schema(base, schema)
        with open_store(url) as store:
            assert list_tokens(store) == []
            secret, info = create_token(store, "write", "pg-user")
            reader, _ = create_token(store, "read")
            assert check_token(store, secret) == info
        with TestClient(create_app(url, readonly=False)) as c:
            body = {"text": "Комиссия 1930 жылы құрылды.", "layers": ["text"]}
            assert c.post(f"{API}/documents", json=body).status_code == 401
            assert c.post(f"{API}/documents", json=body, headers=bearer(reader)).status_code == 403
            assert c.post(f"{API}/documents", json=body, headers=bearer(secret)).status_code == 201
        with open_store(url) as store:
            assert [t.name for t in list_tokens(store)][0] == "pg-user"
            assert revoke_token(store, "pg-user") and check_token(store, secret) is None
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
