"""Entity edits, tags, stars and notes on the web: the API with and without a token, from
another origin, on a read-only server; the document and entity pages, escaped, and their
forms (login session, CSRF)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from urllib.parse import unquote

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():  # starlette's notice about httpx, not about this code
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402
from test_annotations import TEXT_A, TEXT_B  # noqa: E402
from test_web_ui import unsafe  # noqa: E402

from muragat.batch import ingest  # noqa: E402
from muragat.store import open_store  # noqa: E402
from muragat.store.tokens import create_token  # noqa: E402
from muragat.web import create_app  # noqa: E402

API = "/api/v1"
EVIL = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


@pytest.fixture
def team(tmp_path: Path) -> tuple[str, dict[str, str]]:
    for name, text in (("a.txt", TEXT_A), ("b.txt", TEXT_B)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    url = str(tmp_path / "team.db")
    with open_store(url) as store:
        assert not ingest(store, [tmp_path / "a.txt", tmp_path / "b.txt"],
                          progress=False).failures
        tokens = {role: create_token(store, role, f"{role}-user")[0]
                  for role in ("read", "write")}
    return url, tokens


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def code(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.json()["error"]["code"])


def dulatov_id(c: TestClient) -> str:
    """The entity of a name with `Дулатов` (the tagger's exact span may change)."""
    (found,) = [e["id"] for e in c.get(f"{API}/entities", params={"limit": 1000}).json()[
        "entities"] if e["type"] == "PERSON" and any("Дулатов" in n for n in e["names"])]
    return found


def holding(c: TestClient, name: str) -> dict:  # type: ignore[type-arg]
    (found,) = [e for e in c.get(f"{API}/entities", params={"limit": 1000}).json()["entities"]
                if name in e["names"]]
    return found


WRITES = [("post", "/edits", {"op": "rename", "entity": "Ғаббас Тоғжанов", "value": "Ғ. Т."}),
          ("post", "/documents/1/tags", {"tag": "Алаш"}),
          ("put", "/documents/1/star", None),
          ("post", "/documents/1/notes", {"text": "жазба"}),
          ("delete", "/edits/1", None),
          ("delete", "/documents/1/tags/Алаш", None)]


def _send(c: TestClient, method: str, path: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    kwargs = {"json": body} if body is not None else {}
    return c.request(method.upper(), API + path, headers=headers, **kwargs)


def test_writes_need_a_write_token_from_this_origin(team: tuple[str, dict[str, str]]) -> None:
    url, tokens = team
    with TestClient(create_app(url, readonly=False), raise_server_exceptions=False) as c:
        for method, path, body in WRITES:
            r = _send(c, method, path, body)
            assert r.status_code == 401 and code(r) == "unauthorized", path
            r = _send(c, method, path, body, **bearer(tokens["read"]))
            assert r.status_code == 403 and code(r) == "forbidden", path
            r = _send(c, method, path, body, **bearer(tokens["write"]),
                      origin="https://evil.example")
            assert r.status_code == 403 and code(r) == "foreign_origin", path
        r = c.post(f"{API}/documents/1/tags", content=b'{"tag": "x"}',
                   headers={**bearer(tokens["write"]), "content-type": "text/plain"})
        assert r.status_code == 415
    with open_store(url, readonly=True) as store:  # nothing above was stored
        assert store.export_annotations() == []


def test_a_read_only_server_refuses_every_write(team: tuple[str, dict[str, str]]) -> None:
    url, tokens = team
    with TestClient(create_app(url), raise_server_exceptions=False) as c:
        for method, path, body in WRITES:
            r = _send(c, method, path, body, **bearer(tokens["write"]))
            assert r.status_code == 403 and code(r) == "read_only", path
        assert c.get(f"{API}/edits").json() == {"edits": []}
        assert c.get(f"{API}/documents/1/annotations").json()["tags"] == []
    with open_store(url, readonly=True) as store:
        assert store.export_annotations() == []


def test_edits_tags_stars_and_notes_through_the_api(team: tuple[str, dict[str, str]]) -> None:
    url, tokens = team
    auth = bearer(tokens["write"])
    with TestClient(create_app(url, readonly=False), raise_server_exceptions=False) as c:
        dulatov = dulatov_id(c)
        r = c.post(f"{API}/edits", json={"op": "merge", "entity": "Мадияр", "into": dulatov},
                   headers=auth)
        assert r.status_code == 201, r.text
        assert r.json()["edit"]["author"] == "write-user" and r.json()["entity"] == dulatov
        merged = holding(c, "Мадияр")
        assert merged["id"] == dulatov and len(merged["names"]) >= 2
        page = c.get(f"{API}/entities/{dulatov}").json()
        assert "Мадияр" in {m["text"] for m in page["mentions"]} and len(page["mentions"]) >= 2
        r = c.post(f"{API}/edits", json={"op": "rename", "entity": dulatov, "value": EVIL},
                   headers=auth)
        assert r.status_code == 201 and holding(c, "Мадияр")["name"] == EVIL
        r = c.post(f"{API}/edits", json={"op": "relabel", "entity": "Сәдуақасов",
                                         "value": "PERSON"}, headers=auth)
        assert r.status_code == 201 and holding(c, "Сәдуақасов")["type"] == "PERSON"
        r = c.post(f"{API}/edits", json={"op": "split", "entity": "С. Сәдуақасов"},
                   headers=auth)
        assert r.status_code == 201
        assert list(holding(c, "С. Сәдуақасов")["names"]) == ["С. Сәдуақасов"]
        listed = c.get(f"{API}/edits").json()["edits"]
        assert [e["op"] for e in listed] == ["merge", "rename", "relabel", "split"]
        assert all(e["applies"] for e in listed)
        undo = c.delete(f"{API}/edits/{listed[1]['id']}", headers=auth)
        assert undo.status_code == 200 and holding(c, "Мадияр")["name"] != EVIL
        assert c.delete(f"{API}/edits/{listed[1]['id']}", headers=auth).status_code == 404

        r = c.post(f"{API}/documents/1/tags", json={"tag": "Алаш"}, headers=auth)
        assert r.status_code == 201 and r.json()["tags"] == ["Алаш"]
        assert c.put(f"{API}/documents/1/star", headers=auth).json()["starred"] is True
        note = c.post(f"{API}/documents/1/notes", json={"text": EVIL}, headers=auth)
        assert note.status_code == 201 and note.json()["author"] == "write-user"
        got = c.get(f"{API}/documents/1/annotations").json()
        assert got["tags"] == ["Алаш"] and got["starred"] and got["notes"][0]["text"] == EVIL
        rows = c.get(f"{API}/documents", params={"tag": "Алаш"}).json()
        assert [d["id"] for d in rows["documents"]] == [1] and rows["total"] == 1
        assert rows["documents"][0]["starred"] is True
        assert c.get(f"{API}/documents", params={"starred": "true"}).json()["total"] == 1
        assert c.get(f"{API}/documents", params={"tag": "жоқ"}).json()["total"] == 0

        # bad references are 400 / 404 with a message, never a 500
        r = c.post(f"{API}/edits", json={"op": "merge", "entity": "Ешкім", "into": dulatov},
                   headers=auth)
        assert r.status_code == 404 and code(r) == "not_found"  # names no entity at all
        for body in ({"op": "merge", "entity": "Мадияр"},
                     {"op": "rename", "entity": dulatov},
                     {"op": "relabel", "entity": dulatov, "value": "no type!"}):
            r = c.post(f"{API}/edits", json=body, headers=auth)
            assert r.status_code in (400, 422), (body, r.text)
        said = c.post(f"{API}/edits", json={"op": "split", "entity": "Ешкім"},
                      headers=auth).json()["error"]["message"]
        assert said["en"].startswith("no entity") and said["kk"] != said["en"]
        assert c.post(f"{API}/documents/99/tags", json={"tag": "x"},
                      headers=auth).status_code == 404
        assert c.post(f"{API}/documents/1/tags", json={"tag": "  "},
                      headers=auth).status_code == 400
        assert c.delete(f"{API}/documents/1/notes/99", headers=auth).status_code == 404
        assert c.delete(f"{API}/documents/1/notes/{note.json()['id']}",
                        headers=auth).status_code == 200
        assert c.delete(f"{API}/documents/1/tags/Алаш", headers=auth).json()["tags"] == []


def _login(c: TestClient, secret: str) -> None:
    page = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = c.post("/login", data={"token": secret, "csrf": csrf, "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_pages_show_and_escape_what_people_added(team: tuple[str, dict[str, str]]) -> None:
    url, tokens = team
    with TestClient(create_app(url, readonly=False), raise_server_exceptions=False) as c:
        page = c.get("/documents/1").text
        assert "/annotate" not in page  # no forms before a login
        _login(c, tokens["write"])
        page = c.get("/documents/1").text
        assert 'action="/documents/1/annotate"' in page
        csrf = _csrf(page)
        form = {"csrf": "wrong", "action": "tag", "value": "x"}
        assert c.post("/documents/1/annotate", data=form).status_code == 403  # CSRF
        for action, value in (("tag", EVIL), ("star", ""), ("note", EVIL)):
            r = c.post("/documents/1/annotate", data={"csrf": csrf, "action": action,
                                                      "value": value}, follow_redirects=False)
            assert r.status_code == 303, r.text
        r = c.post("/documents/1/annotate", data={"csrf": csrf, "action": "tag", "value": "x"},
                   headers={"origin": "https://evil.example"})
        assert r.status_code == 403
        ident = holding(c, "Мадияр")["id"]
        entity_page = c.get(f"/entities/{ident}").text
        assert "/edit" in entity_page
        r = c.post(f"/entities/{ident}/edit", data={"csrf": csrf, "op": "merge",
                                                    "into": dulatov_id(c)},
                   follow_redirects=False)
        assert r.status_code == 303
        into = holding(c, "Мадияр")
        assert unquote(r.headers["location"]) == f"/entities/{into['id']}"
        r = c.post(f"/entities/{into['id']}/edit", data={"csrf": csrf, "op": "rename",
                                                         "value": EVIL})
        assert r.status_code == 200  # the redirect followed to the entity page
        pages = [c.get("/documents/1").text, c.get("/documents").text,
                 c.get(f"/entities/{into['id']}").text, c.get("/entities").text,
                 c.get("/documents", params={"tag": EVIL}).text]
        for html in pages:
            assert unsafe(html) == []
            assert "<script>" not in html
        assert "&lt;script&gt;" in pages[0] and "★" in pages[0] and "★" in pages[1]
        assert "Corrections by hand" in c.get(f"/entities/{into['id']}?lang=en").text
        assert "/documents/1" in pages[4]  # the list filtered by the hostile tag
    with TestClient(create_app(url), raise_server_exceptions=False) as ro:  # read-only
        _login(ro, tokens["write"])
        page = ro.get("/documents/1").text
        assert "/annotate" not in page and "&lt;script&gt;" in page
        r = ro.post("/documents/1/annotate", data={"csrf": _csrf(page), "action": "tag",
                                                   "value": "y"})
        assert r.status_code == 403
    with open_store(url, readonly=True) as store:
        digest = store.doc_info(1).hash  # type: ignore[union-attr]
        assert "y" not in store.document_tags([digest])[digest]
