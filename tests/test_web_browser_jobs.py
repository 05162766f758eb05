"""The pages that post, in a real browser (headless Chromium through Playwright): log in with
a token, upload a file and watch its job to done, batch search and download the CSV, a page
of another origin cannot submit the forms, a form post without its CSRF token is refused.

`MURAGAT_SCREENSHOTS=docs/screenshots` also saves the screenshots of the README (search,
document, entity, timeline, batch search, upload) from a store of the team's demo texts.
Skips like tests/test_web_browser.py without Playwright or Chromium.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("itsdangerous")
uvicorn = pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from test_web_browser import CHROMIUM, free_port  # noqa: E402
from web_helpers import DEMO, TOGZHANOV  # noqa: E402

from muragat.batch import ingest  # noqa: E402
from muragat.store import open_store  # noqa: E402
from muragat.store.tokens import create_token  # noqa: E402
from muragat.web import create_app  # noqa: E402

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium (apt-get install chromium)")
SHOTS = os.environ.get("MURAGAT_SCREENSHOTS", "")
WIDTH = 1000


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`serve --writable` over the demo texts on a free port: base URL, tokens, store, app."""
    url = str(tmp_path_factory.mktemp("browser-jobs") / "demo.db")
    with open_store(url) as store:
        assert not ingest(store, [DEMO, TOGZHANOV], progress=False).failures
        tokens = {r: create_token(store, r, f"{r}-aigerim")[0] for r in ("read", "write")}
    app = create_app(url, readonly=False)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "tokens": tokens, "url": url, "app": app}
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def logged_in(chromium, team: dict[str, Any], role: str = "write"):  # type: ignore[no-untyped-def]
    """A fresh browser context (its own cookies) logged in through the login form."""
    context = chromium.new_context(viewport={"width": WIDTH, "height": 720},
                                  accept_downloads=True)
    page = context.new_page()
    page.goto(team["base"] + "/login?next=/upload")
    page.fill("#token", team["tokens"][role])
    page.click("form.work button[type=submit]")
    page.wait_for_url(team["base"] + "/upload")
    return context, page


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save the page's first screen; pngquant (when installed) makes it about 3x smaller."""
    if SHOTS:
        path = Path(SHOTS) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))
        if shutil.which("pngquant"):
            subprocess.run(["pngquant", "--force", "--skip-if-larger", "--quality", "70-90",
                            "--strip", "--ext", ".png", str(path)], check=False)


def test_log_in_with_a_token_and_out(chromium, team: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(team["base"] + "/login?lang=en")
        page.fill("#token", "not a token")
        page.click("form.work button[type=submit]")
        assert "unknown or revoked token" in page.content()
        page.fill("#token", team["tokens"]["read"])
        page.click("form.work button[type=submit]")
        page.wait_for_url(team["base"] + "/")
        assert "read-aigerim (read)" in page.inner_text("header")
        cookie = next(c for c in context.cookies() if c["name"] == "muragat_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert team["tokens"]["read"] not in cookie["value"]
        assert page.evaluate("document.cookie").find("muragat_session") < 0  # HttpOnly
        response = page.goto(team["base"] + "/upload")  # a read token may not write
        assert response is not None and response.status == 403
        page.goto(team["base"] + "/")
        page.click("form.logout button")
        page.wait_for_url(team["base"] + "/")
        assert "Log in" in page.inner_text("header") or "Кіру" in page.inner_text("header")
    finally:
        context.close()


def test_upload_a_file_and_watch_progress_to_done(chromium, team: dict[str, Any],  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    context, page = logged_in(chromium, team)
    gate = threading.Event()
    try:
        # The one job thread is busy, so the upload waits in the queue and the page shows it
        # move: queued, then running, then done.
        team["app"].state.jobs.submit("batch-search", 1, lambda job: gate.wait(20))
        upload = tmp_path / "мектеп_1932.html"
        upload.write_text("<html><head><title>Ырғыз мектебі</title></head><body><h1>Ырғыз "
                          "мектебі</h1><p>Ырғыз ауданында 1932 жылы жаңа мектеп ашылды. "
                          "Мектепке Ә. Бөкейханов келді.</p></body></html>", encoding="utf-8")
        page.set_input_files("#file", str(upload))
        page.click("form.work button[type=submit]")
        page.wait_for_url(f"{team['base']}/jobs/*")
        assert page.get_attribute("#job", "data-state") == "queued"
        page.wait_for_selector("#job[data-polled=queued]")  # the page polls while it waits
        gate.set()
        page.wait_for_selector("#job[data-state=done]", timeout=30_000)  # reloaded when done
        page.wait_for_load_state("load")
        bar = page.locator("#job-bar")
        assert bar.get_attribute("value") == bar.get_attribute("max")
        assert "мектеп_1932.html" in page.inner_text("table.batch")
        shot(page, "upload")
        page.click("table.batch a")
        assert "жаңа мектеп ашылды" in page.inner_text("article")
    finally:
        gate.set()
        context.close()


def test_an_unreadable_upload_is_shown_as_its_error(chromium, team: dict[str, Any],  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    context, page = logged_in(chromium, team)
    try:
        bad = tmp_path / "бүлінген.pdf"
        bad.write_bytes(b"%PDF-1.4 this is no PDF")
        page.set_input_files("#file", str(bad))
        page.click("form.work button[type=submit]")
        page.wait_for_selector("#job[data-state=failed]", timeout=30_000)
        said = page.inner_text("main")
        assert "бүлінген.pdf" in said and "PDF" in said and "Traceback" not in page.content()
        assert "upload-" not in said  # the temporary file's name never shows
    finally:
        context.close()


def test_batch_search_and_download_the_csv(chromium, team: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": WIDTH, "height": 720}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(team["base"] + "/batch")  # reading only: no login needed
        page.fill("#queries", "комиссия\nТоғжанов\n=HYPERLINK(\"http://evil\")\nгазет")
        page.click("form.work button[type=submit]")
        page.wait_for_selector("#job[data-state=done]", timeout=30_000)
        page.wait_for_load_state("load")  # #job arrives before the table under load
        rows = page.locator("table.batch tbody tr")
        assert rows.count() == 4
        assert "Тоғжанов" in rows.nth(1).inner_text()
        shot(page, "batch-search")
        with page.expect_download() as got:
            page.click("a.button")
        data = Path(got.value.path()).read_text("utf-8-sig")
        table = list(csv.DictReader(io.StringIO(data, newline="")))
        assert [r["query"] for r in table][:2] == ["комиссия", "Тоғжанов"]
        assert table[2]["query"].startswith("'=")  # a spreadsheet shows it, never runs it
        assert int(table[0]["hits"]) >= 1 and table[0]["text"]
    finally:
        context.close()


def evil_server(pages: dict[str, str]) -> HTTPServer:
    class Evil(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(pages.get(self.path, "").encode())

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", free_port()), Evil)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_page_of_another_origin_cannot_submit_the_forms(chromium, team: dict[str, Any]  # type: ignore[no-untyped-def]
                                                          ) -> None:
    base = team["base"]
    context, page = logged_in(chromium, team)  # a team member who is logged in...
    forms = {"/up": f'<form method="POST" action="{base}/upload" enctype="multipart/form-data">'
                    '<input name="text" value="forged"><input name="csrf" value="guessed">',
             "/batch": f'<form method="POST" action="{base}/batch">'
                       '<input name="queries" value="forged">',
             "/out": f'<form method="POST" action="{base}/logout">'}
    evil = evil_server({path: f"<!doctype html><body>{form}</form><script>"
                        "document.forms[0].submit();</script></body>"
                        for path, form in forms.items()})
    jobs = team["app"].state.jobs
    before = len(jobs._jobs)
    try:
        for path, target in (("/up", "/upload"), ("/batch", "/batch"), ("/out", "/logout")):
            page.goto(f"http://127.0.0.1:{evil.server_address[1]}{path}")  # another site
            page.wait_for_url(base + target, timeout=15_000)
            assert "403" in page.title(), path
        assert len(jobs._jobs) == before  # no job was started
        page.goto(base + "/upload")  # still logged in: the cookie never went cross-site
        assert page.locator("#file").count() == 1
    finally:
        evil.shutdown()
        context.close()


def test_a_form_post_without_its_csrf_token_is_refused(chromium, team: dict[str, Any]  # type: ignore[no-untyped-def]
                                                       ) -> None:
    context, page = logged_in(chromium, team)
    try:
        page.goto(team["base"] + "/batch")
        script = """async () => {
          const form = new FormData();
          form.append("queries", "комиссия");
          const without = await fetch("/batch", {method: "POST", body: form});
          form.append("csrf", document.querySelector("input[name=csrf]").value);
          const withIt = await fetch("/batch", {method: "POST", body: form});
          return [without.status, withIt.status, withIt.url];
        }"""
        refused, accepted, landed = page.evaluate(script)
        assert refused == 403 and accepted == 200 and "/jobs/" in landed
    finally:
        context.close()


@pytest.mark.skipif(not SHOTS, reason="MURAGAT_SCREENSHOTS is not set")
def test_screenshots_of_the_reading_pages(chromium, team: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": WIDTH, "height": 720})
    page = context.new_page()
    base = team["base"]
    try:
        for name, path in (("search", "/?q=комиссия"), ("document", "/documents/1"),
                           ("timeline", "/timeline"), ("", "/entities?type=PERSON")):
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            if name:
                shot(page, name)
        page.click("table a[href^='/entities/']")
        shot(page, "entity")
    finally:
        context.close()
