"""Jobs (ingest, batch search) with progress, CSV exports that a spreadsheet cannot run, and
browser sessions: login with a token, CSRF on every form post, roles, logout."""

from __future__ import annotations

import base64
import csv
import io
import re
import threading
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("itsdangerous")

with warnings.catch_warnings():  # starlette's notice about httpx, not about this code
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from web_helpers import build_store  # noqa: E402

from muragat.errors import InputError  # noqa: E402
from muragat.store import open_store  # noqa: E402
from muragat.store.tokens import create_token, revoke_token  # noqa: E402
from muragat.web import create_app  # noqa: E402
from muragat.web.jobs import Full, Jobs, batch_lines, csv_text, safe_cell, wait  # noqa: E402
from muragat.web.session import COOKIE, Sessions, safe_next  # noqa: E402

API = "/api/v1"
KAZAKH = "Ойыл ауданында 1931 жылы жаңа мектеп ашылды.\nМектепке Ғ. Тоғжанов келді.\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    url = build_store(tmp_path_factory.mktemp("jobs"))
    with open_store(url) as s:
        tokens = {r: create_token(s, r, f"{r}-user")[0] for r in ("read", "write", "admin")}
    return url, tokens


def client(url: str, readonly: bool = False, **options: object) -> TestClient:
    return TestClient(create_app(url, readonly=readonly, **options),  # type: ignore[arg-type]
                      raise_server_exceptions=False)


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def finished(c: TestClient, job_id: str) -> dict:  # type: ignore[type-arg]
    for _ in range(600):
        body = c.get(f"{API}/jobs/{job_id}").json()
        if body["state"] in ("done", "failed"):
            return body
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} did not finish")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def log_in(c: TestClient, secret: str) -> str:
    """Log in through the form; the CSRF token of the new session."""
    page = c.get("/login")
    r = c.post("/login", data={"token": secret, "csrf": csrf_of(page.text), "next": "/batch"},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/batch"
    return csrf_of(c.get("/batch").text)


# -- CSV and query lists -----------------------------------------------------------------
@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-партия", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_formula_cells_are_quoted(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell
    rows = list(csv.reader(io.StringIO(csv_text(["a", "b"], [{"a": cell, "b": 3}])
                                       .lstrip("\ufeff"), newline="")))
    assert rows == [["a", "b"], ["'" + cell, "3"]]


def test_plain_cells_stay_as_they_are() -> None:
    assert safe_cell("Тоғжанов") == "Тоғжанов" and safe_cell(-1) == -1 and safe_cell(None) == ""
    text = csv_text(["q"], [{"q": 'a "quoted", comma'}])
    assert text.startswith("\ufeffq\r\n") and '"a ""quoted"", comma"' in text


def test_query_lists_read_like_search_batch() -> None:
    numbered = batch_lines("комиссия\n\n# a comment\nТоғжанов\n".encode())
    assert [(x.qid, x.query) for x in numbered] == [("q1", "комиссия"), ("q4", "Тоғжанов")]
    tabbed = batch_lines("a\tкомиссия\nno tab here\nb\t\n".encode())
    assert (tabbed[0].qid, tabbed[0].query, tabbed[0].error) == ("a", "комиссия", None)
    assert tabbed[1].error is not None and tabbed[1].qid is None
    assert tabbed[2].qid == "b" and tabbed[2].error is not None
    with pytest.raises(InputError):
        batch_lines(b"\n# only a comment\n")
    with pytest.raises(InputError):
        batch_lines(("x\n" * 1001).encode())


def test_the_queue_is_bounded_and_forgets_old_jobs() -> None:
    jobs = Jobs(workers=1, queued=2, keep=1)
    gate = threading.Event()
    first = jobs.submit("batch-search", 1, lambda job: gate.wait(10))
    jobs.submit("batch-search", 1, lambda job: None)
    with pytest.raises(Full):
        jobs.submit("batch-search", 1, lambda job: None)
    gate.set()
    assert wait(first).state == "done"
    later = [wait(jobs.submit("batch-search", 1, lambda job: None)) for _ in range(3)]
    assert jobs.get(later[-1].id) is not None and jobs.get(first.id) is None  # keep=1
    jobs.close()


def test_a_failing_job_says_why_without_a_traceback() -> None:
    jobs = Jobs()

    def broken(job) -> None:  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("secret detail")

    job = wait(jobs.submit("ingest", 1, broken))
    assert job.state == "failed"
    assert "internal error" in job.errors[0]["message"]["en"]
    assert "secret detail" not in str(job.to_dict()) and "Traceback" not in str(job.to_dict())
    jobs.close()


# -- the jobs API ------------------------------------------------------------------------
def test_batch_search_job_with_progress_and_csv(store: tuple[str, dict[str, str]]) -> None:
    url, _ = store
    with client(url, readonly=True) as c:  # reading only: any mode, no token
        r = c.post(f"{API}/jobs", json={"kind": "batch-search",
                                        "queries": "комиссия\nТоғжанов\n=1+1\nжоқсөзқатар"})
        assert r.status_code == 202 and r.headers["location"] == f"{API}/jobs/{r.json()['id']}"
        assert r.json()["state"] in ("queued", "running", "done")
        body = finished(c, r.json()["id"])
        assert body["state"] == "done" and body["progress"] == {"done": 4, "total": 4}
        rows = {row["query"]: row for row in body["result"]}
        assert rows["Тоғжанов"]["hits"] >= 1 and "Тоғжанов" in rows["Тоғжанов"]["text"]
        assert rows["комиссия"]["title"] and rows["жоқсөзқатар"]["hits"] == 0
        assert body["result_url"] == f"{API}/jobs/{body['id']}/result.csv"
        got = c.get(body["result_url"])
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
        assert "attachment" in got.headers["content-disposition"]
        table = list(csv.DictReader(io.StringIO(got.text.lstrip("\ufeff"), newline="")))
        assert [x["query"] for x in table] == ["комиссия", "Тоғжанов", "'=1+1", "жоқсөзқатар"]
        assert c.get(f"/jobs/{body['id']}").status_code == 200


def test_unknown_jobs_are_404_and_unfinished_csv_409(store: tuple[str, dict[str, str]]) -> None:
    url, _ = store
    with client(url) as c:
        for ident in ("0" * 16, "99999999999999999999999", "x"):
            assert c.get(f"{API}/jobs/{ident}").status_code == 404
            assert c.get(f"{API}/jobs/{ident}/result.csv").status_code == 404
            assert c.get(f"/jobs/{ident}").status_code == 404
        gate = threading.Event()
        job = c.app.state.jobs.submit("batch-search", 1, lambda job: gate.wait(10))
        r = c.get(f"{API}/jobs/{job.id}/result.csv")
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_finished"
        gate.set()


def test_a_full_queue_is_429(store: tuple[str, dict[str, str]]) -> None:
    url, _ = store
    with client(url) as c:
        c.app.state.jobs = Jobs(queued=1)
        gate = threading.Event()
        c.app.state.jobs.submit("batch-search", 1, lambda job: gate.wait(10))
        r = c.post(f"{API}/jobs", json={"kind": "batch-search", "queries": "комиссия"})
        assert r.status_code == 429 and r.headers["retry-after"]
        assert r.json()["error"]["code"] == "queue_full"
        gate.set()


def test_ingest_jobs_need_a_writer(store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    body = {"kind": "ingest", "text": KAZAKH, "source": "/srv/secret/мектеп.txt"}
    with client(url, readonly=True) as c:
        assert c.post(f"{API}/jobs", json=body).status_code == 401
        assert c.post(f"{API}/jobs", json=body, headers=bearer(tokens["write"])).status_code == 403
    with client(url) as c:
        assert c.post(f"{API}/jobs", json=body).status_code == 401
        r = c.post(f"{API}/jobs", json=body, headers=bearer(tokens["read"]))
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = c.post(f"{API}/jobs", content=b'{"kind": "ingest", "text": "x"}',
                   headers={**bearer(tokens["write"]), "content-type": "text/plain"})
        assert r.status_code == 415
        r = c.post(f"{API}/jobs", json=body, headers={**bearer(tokens["write"]),
                                                       "origin": "http://evil.example"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "foreign_origin"
        r = c.post(f"{API}/jobs", json=body, headers=bearer(tokens["write"]))
        assert r.status_code == 202
        done = finished(c, r.json()["id"])
        assert done["state"] == "done" and done["progress"]["done"] == done["progress"]["total"]
        row = done["result"][0]
        assert row["added"] and row["source"] == "мектеп.txt" and "/srv" not in str(done)
        assert done["result_url"] == f"/documents/{row['document']}"
        assert "мектеп ашылды" in c.get(f"{API}/documents/{row['document']}").json()["text"]
        again = finished(c, c.post(f"{API}/jobs", json=body,
                                   headers=bearer(tokens["write"])).json()["id"])
        assert again["result"][0] == {**row, "added": False}  # stored once


def test_an_unreadable_file_is_an_error_of_the_job(store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    with client(url) as c:
        data = base64.b64encode(b"%PDF-1.4 not really a pdf").decode()
        r = c.post(f"{API}/jobs", json={"kind": "ingest", "data": data, "source": "x.pdf"},
                   headers=bearer(tokens["write"]))
        done = finished(c, r.json()["id"])
        assert done["state"] == "failed" and done["errors"][0]["where"] == "x.pdf"
        assert "PDF" in done["errors"][0]["message"]["en"] and "Traceback" not in str(done)
        r = c.post(f"{API}/jobs", json={"kind": "ingest", "data": "&&&"},
                   headers=bearer(tokens["write"]))
        assert r.status_code == 400
        for bad in ({"kind": "ingest"}, {"kind": "nothing"}, {"kind": "batch-search"}, [1]):
            r = c.post(f"{API}/jobs", json=bad, headers=bearer(tokens["write"]))
            assert r.status_code == 422, bad


def test_uploads_are_read_as_ingest_reads_them(store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    rows = '{"text": "Семей округінде 1933 жылы жаңа газет шықты."}\nnot json\n' \
           '{"text": "Газеттің редакторы Ә. Бөкейханов болды."}\n'
    odd = "ә" * 180 + "\x00.txt"  # too long for a file system, and a NUL: still a name
    with client(url) as c:
        files = [("корпус.jsonl", rows.encode()), (odd, "Бұл хат 1934 жылы жазылды.".encode())]
        r = c.post(f"{API}/jobs", json={"kind": "ingest", "data": base64.b64encode(
            files[0][1]).decode(), "source": files[0][0]}, headers=bearer(tokens["write"]))
        done = finished(c, r.json()["id"])
        assert [x["source"] for x in done["result"]] == [
            "корпус.jsonl#1", "корпус.jsonl#2", "корпус.jsonl#3"]
        assert [x["added"] for x in done["result"]] == [True, False, True]
        assert "JSON" in done["result"][1]["error"] and "upload-" not in str(done)
        assert done["progress"]["done"] == done["progress"]["total"]
        r = c.post(f"{API}/jobs", json={"kind": "ingest", "text": files[1][1].decode(),
                                        "source": odd}, headers=bearer(tokens["write"]))
        done = finished(c, r.json()["id"])
        assert done["state"] == "done" and done["result"][0]["added"]
        assert done["result"][0]["source"] == "ә" * 180 + ".txt"


def test_search_results_export_as_csv(store: tuple[str, dict[str, str]]) -> None:
    url, _ = store
    with client(url, readonly=True) as c:
        r = c.get(f"{API}/search.csv", params={"q": "Тоғжанов", "limit": 5})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"), newline="")))
        api = c.get(f"{API}/search", params={"q": "Тоғжанов", "limit": 5}).json()
        assert [int(x["document"]) for x in table] == [h["document"] for h in api["hits"]]
        assert all(not x["source"].startswith("/") for x in table)
        assert c.get(f"{API}/search.csv", params={"q": "+++"}).status_code == 422
        page = c.get("/", params={"q": "Тоғжанов"}).text
        assert "/api/v1/search.csv?q=" in page and "limit=1000" in page


# -- sessions and forms ------------------------------------------------------------------
def test_login_sets_a_strict_http_only_cookie_without_the_token(
        store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    with client(url) as c:
        page = c.get("/login")
        assert page.status_code == 200 and "SameSite=strict" in page.headers["set-cookie"]
        r = c.post("/login", data={"token": tokens["write"], "csrf": csrf_of(page.text)},
                   follow_redirects=False)
        cookie = r.headers["set-cookie"]
        assert r.status_code == 303 and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert tokens["write"] not in cookie
        assert "write-user" in c.get("/batch").text  # the header names who is logged in
        stale = c.post("/login", data={"token": "wrong", "csrf": csrf_of(page.text)})
        assert stale.status_code == 403  # a login gives a new CSRF token: the old one is void
        fresh = csrf_of(c.get("/login?lang=en").text)
        bad = c.post("/login", data={"token": "wrong", "csrf": fresh})
        assert bad.status_code == 401 and "unknown or revoked token" in bad.text


def test_forms_need_their_csrf_token_and_own_origin(store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    with client(url) as c:
        csrf = log_in(c, tokens["write"])
        for path, data in (("/batch", {"queries": "комиссия"}), ("/upload", {"text": KAZAKH}),
                           ("/logout", {}), ("/login", {"token": tokens["write"]})):
            r = c.post(path, data=data, follow_redirects=False)
            assert r.status_code == 403 and "CSRF" in r.text, path
            r = c.post(path, data={**data, "csrf": csrf + "x"}, follow_redirects=False)
            assert r.status_code == 403, path
            r = c.post(path, data={**data, "csrf": csrf}, follow_redirects=False,
                       headers={"origin": "http://evil.example"})
            assert r.status_code == 403, path
        r = c.post("/batch", data={"queries": "комиссия", "csrf": csrf}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
        r = c.post("/batch", data={"queries": "комиссия"}, headers={"x-csrf-token": csrf},
                   follow_redirects=False)  # a script may send it as a header
        assert r.status_code == 303


def test_the_json_api_ignores_the_session_cookie(store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    with client(url) as c:
        log_in(c, tokens["admin"])
        r = c.post(f"{API}/jobs", json={"kind": "ingest", "text": KAZAKH})
        assert r.status_code == 401
        r = c.post(f"{API}/documents", json={"text": KAZAKH})
        assert r.status_code == 401


def test_upload_from_the_page_becomes_an_ingest_job(store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    with client(url) as c:
        assert c.get("/upload", follow_redirects=False).headers["location"] == \
            "/login?next=/upload"
        csrf = log_in(c, tokens["write"])
        html = "<html><head><title>Мектеп</title></head><body><p>Ырғыз ауданында 1932 жылы " \
               "кітапхана ашылды.</p></body></html>"
        r = c.post("/upload", data={"csrf": csrf}, follow_redirects=False,
                   files=[("file", ("C:\\Users\\me\\мектеп.html", html.encode(), "text/html")),
                          ("file", ("бос.pdf", b"%PDF-1.4", "application/pdf"))])
        assert r.status_code == 303
        job_id = r.headers["location"].rsplit("/", 1)[1]
        done = finished(c, job_id)
        ok, bad = done["result"]
        assert ok["added"] and ok["source"] == "мектеп.html" and bad["error"]
        assert done["state"] == "done" and done["progress"]["done"] == done["progress"]["total"]
        page = c.get(f"/jobs/{job_id}").text
        assert f'href="/documents/{ok["document"]}"' in page and 'data-state="done"' in page
        r = c.post("/upload", data={"csrf": csrf}, headers={"accept": "application/json"},
                   files={"file": ("a.txt", "Жаңа хат жазылды.".encode(), "text/plain")})
        assert r.status_code == 202 and r.json()["page"].startswith("/jobs/")
        assert c.post("/upload", data={"csrf": csrf}).status_code == 400  # nothing chosen


def test_upload_size_roles_and_read_only(store: tuple[str, dict[str, str]]) -> None:
    url, tokens = store
    with client(url, max_bytes=1024) as c:
        big = {"file": ("big.txt", ("ә" * 40_000).encode(), "text/plain")}
        assert c.post("/upload", files=big).status_code == 401  # refused before it is read
        csrf = log_in(c, tokens["write"])
        r = c.post("/upload", data={"csrf": csrf},
                   files={"file": ("big.txt", ("ә" * 40_000).encode(), "text/plain")})
        assert r.status_code == 413
    with client(url) as c:
        log_in(c, tokens["read"])
        assert c.get("/upload").status_code == 403  # read may log in and read, not write
        assert c.get("/").status_code == 200
    with client(url, readonly=True) as c:
        log_in(c, tokens["write"])
        assert c.get("/upload").status_code == 403
        assert c.get("/batch").status_code == 200


def test_revoked_tokens_and_forged_cookies_end_the_session(tmp_path: Path,
                                                           store: tuple[str, dict[str, str]]
                                                           ) -> None:
    url, _ = store
    with open_store(url) as s:
        secret, _ = create_token(s, "write", "short-lived")
    with client(url) as c:
        csrf = log_in(c, secret)
        assert c.get("/upload").status_code == 200
        with open_store(url) as s:
            assert revoke_token(s, "short-lived")
        assert c.get("/upload", follow_redirects=False).status_code == 303  # back to login
        r = c.post("/logout", data={"csrf": csrf}, follow_redirects=False)
        assert r.status_code == 303 and f'{COOKIE}=""' in r.headers["set-cookie"]
    forged = Sessions(b"another key").dump(
        __import__("muragat.web.session", fromlist=["Session"]).Session("c", "admin-user",
                                                                         "admin", "x"))
    with client(url) as c:
        c.cookies.set(COOKIE, forged)
        assert c.get("/upload", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(("raw", "goes"), [("/upload", "/upload"), ("//evil.example", "/"),
                                           ("/\\evil.example", "/"), ("https://evil", "/"),
                                           (None, "/")])
def test_after_login_only_local_paths(raw: str | None, goes: str) -> None:
    assert safe_next(raw) == goes
