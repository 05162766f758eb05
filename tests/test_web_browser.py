"""The team server in a real browser (headless Chromium through Playwright): a page of another
origin cannot write, a write with a token works, the API docs render offline, and the pages a
user opens show titles and no traceback. Skips cleanly without Playwright or Chromium
(`apt-get install chromium`; `pip install playwright`; MURAGAT_CHROMIUM names another binary).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

from web_helpers import build_store  # noqa: E402

from muragat.store import open_store  # noqa: E402
from muragat.store.tokens import create_token  # noqa: E402
from muragat.web import create_app  # noqa: E402

CHROMIUM = os.environ.get("MURAGAT_CHROMIUM") or shutil.which("chromium") \
    or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(base URL, write token, store URL) of `serve --writable` on a free port."""
    url = build_store(tmp_path_factory.mktemp("browser"))
    with open_store(url) as store:
        token, _ = create_token(store, "write", "browser")
    port = free_port()
    config = uvicorn.Config(create_app(url, readonly=False), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token, url
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def attacker_page(target: str) -> str:
    """What a page on another site would try: an auto-submitted text/plain form (its body
    reads as JSON) and a no-cors fetch."""
    return f"""<!doctype html><html><body>
<form id="f" method="POST" action="{target}/api/v1/documents" enctype="text/plain">
<input name='{{"text": "forged", "x": "' value='"}}'></form>
<script>
fetch("{target}/api/v1/documents", {{method: "POST", mode: "no-cors",
  body: JSON.stringify({{text: "forged by fetch"}})}}).finally(() => {{
  document.title = "fetched"; document.getElementById("f").submit(); }});
</script></body></html>"""


def test_a_page_of_another_origin_cannot_write(server: tuple[str, str, str], browser) -> None:  # type: ignore[no-untyped-def]
    base, _, url = server
    html = attacker_page(base).encode()

    class Evil(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: object) -> None:
            pass

    evil = HTTPServer(("127.0.0.1", free_port()), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    with open_store(url, readonly=True) as store:
        before = store.counts()["documents"]
    page = browser.new_page()
    try:
        page.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
        page.wait_for_url(f"{base}/api/v1/documents", timeout=15_000)  # the form went
        assert '"unauthorized"' in page.content()
    finally:
        page.close()
        evil.shutdown()
    with open_store(url, readonly=True) as store:
        assert store.counts()["documents"] == before


def test_a_write_with_a_token_works_and_without_is_refused(server: tuple[str, str, str],
                                                          browser) -> None:  # type: ignore[no-untyped-def]
    base, token, _ = server
    page = browser.new_page()
    try:
        page.goto(base + "/")
        script = """async ([token]) => {
          const post = (headers) => fetch("/api/v1/documents", {method: "POST",
            headers: {"content-type": "application/json", ...headers},
            body: JSON.stringify({text: "Браузерден қосылған мәтін.", layers: ["text"]})});
          const anonymous = await post({});
          const reader = await post({authorization: "Bearer " + token});
          return [anonymous.status, reader.status];
        }"""
        assert page.evaluate(script, [token]) == [401, 201]
    finally:
        page.close()


def test_api_docs_render_offline_and_pages_show_titles(server: tuple[str, str, str],
                                                       browser) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = server
    page = browser.new_page()
    outside: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto(base + "/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=20_000)  # Swagger UI drew the operations
        assert page.locator(".opblock").count() >= 8
        assert outside == [] and not [p for p in problems if "Content Security" in p]
        for path, needle in [("/?q=Тоғжанов", "Тоғжанов"), ("/documents", "Ойыл"),
                             ("/timeline", "ж."), ("/entities", "")]:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            assert needle in page.content() and "Traceback" not in page.content()
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto(base + "/documents")
        shots = Path(os.environ.get("MURAGAT_SCREENSHOTS", ""))
        if shots.name:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "documents-390.png"), full_page=True)
    finally:
        page.close()
