"""`muragat serve`: the web UI and JSON API over a store (needs `pip install 'muragat[web]'`)."""

from __future__ import annotations

import click

from muragat.errors import EXIT_OK
from muragat.i18n import t
from muragat.store import default_url


@click.command("serve", help=t(
    "Қойманы веб арқылы ашу: іздеу беті, құжаттар, атаулар, уақыт желісі және JSON API "
    "(/api/v1, OpenAPI: /api/docs). Әдепкі бойынша тек оқуға.",
    "Serve the store on the web: search page, documents, entities, timeline and a JSON API "
    "(/api/v1, OpenAPI: /api/docs). Read-only by default."))
@click.option("--db", default=None, metavar="PATH|URL",
              help=t("Қойма: SQLite файлы (әдепкі muragat.db немесе MURAGAT_DB) не "
                     "postgresql:// URL.",
                     "Store: an SQLite file (default muragat.db or MURAGAT_DB) or a "
                     "postgresql:// URL."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=t("Тыңдайтын адрес (0.0.0.0 — барлық желіге ашық).",
                     "Address to listen on (0.0.0.0: every network)."))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help=t("Порт.", "Port."))
@click.option("--writable", is_flag=True,
              help=t("POST /api/v1/documents арқылы мәтін қосуға рұқсат беру.",
                     "Allow adding texts through POST /api/v1/documents."))
@click.option("--max-mb", type=click.IntRange(1, 1024), default=32, show_default=True,
              help=t("POST мәтінінің ең үлкен өлшемі, МБ.", "Largest POSTed text, MB."))
def serve(db: str | None, host: str, port: int, writable: bool, max_mb: int) -> int:
    from muragat.web import WebUnavailable, create_app, missing_dependency

    missing = missing_dependency()
    if missing:
        raise WebUnavailable(t(
            f"веб үшін қосымша пакет керек ({missing}): pip install 'muragat[web]'",
            f"the web needs an extra package ({missing}): pip install 'muragat[web]'"))
    import uvicorn

    app = create_app(db or default_url(), readonly=not writable, max_bytes=max_mb * 1024 * 1024)
    click.echo(t(f"muragat: http://{host}:{port}/ (тоқтату: Ctrl+C)",
                 f"muragat: http://{host}:{port}/ (stop: Ctrl+C)"), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return EXIT_OK


COMMANDS = [serve]
