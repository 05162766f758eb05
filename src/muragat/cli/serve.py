"""`muragat serve`: the web UI and JSON API over a store (needs `pip install 'muragat[web]'`)."""

from __future__ import annotations

import click

from muragat.cli.store import db_option
from muragat.errors import EXIT_OK
from muragat.i18n import t
from muragat.store import default_url

# The defaults of muragat.web.limits, without importing the web layer for --help.
DEFAULT_ANALYZE_KB, DEFAULT_SECONDS, DEFAULT_CONCURRENT = 64, 30.0, 2


@click.command("serve", help=t(
    "Қойманы веб арқылы ашу: іздеу беті, құжаттар, атаулар, уақыт желісі және JSON API "
    "(/api/v1, API құжаттамасы: /api/v1/docs). Әдепкі бойынша тек оқуға.",
    "Serve the store on the web: search page, documents, entities, timeline and a JSON API "
    "(/api/v1, API docs: /api/v1/docs). Read-only by default."))
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help=t("Тыңдайтын адрес (0.0.0.0 — барлық желіге ашық).",
                     "Address to listen on (0.0.0.0: every network)."))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help=t("Порт.", "Port."))
@click.option("--writable", is_flag=True,
              help=t("Топ режимі: write/admin токені бар сұраныс POST /api/v1/documents "
                     "арқылы мәтін қоса алады (токен: muragat token create --role write).",
                     "Team mode: a request with a write/admin token may add texts through "
                     "POST /api/v1/documents (a token: muragat token create --role write)."))
@click.option("--max-mb", type=click.IntRange(1, 1024), default=32, show_default=True,
              help=t("Токенмен жіберілген мәтіннің ең үлкен өлшемі, МБ.",
                     "Largest text sent with a token, MB."))
@click.option("--analyze-limit-kb", type=click.IntRange(0, 1024 * 1024),
              default=DEFAULT_ANALYZE_KB, show_default=True,
              help=t("Токенсіз POST /api/v1/analyze денесінің шегі, КБ (0: өшірулі).",
                     "Largest POST /api/v1/analyze body without a token, KB (0: off)."))
@click.option("--analyze-seconds", type=click.FloatRange(0.1, 3600), default=DEFAULT_SECONDS,
              show_default=True, help=t("Бір талдаудың уақыт шегі, с (одан кейін 503).",
                                        "Time limit of one analysis, s (then 503)."))
@click.option("--analyze-concurrency", type=click.IntRange(1, 64), default=DEFAULT_CONCURRENT,
              show_default=True, help=t("Бір мезеттегі талдаулар (артығы 429).",
                                        "Analyses at a time (more: 429)."))
@click.option("--origin", "origins", multiple=True, metavar="URL",
              help=t("Жазуға рұқсат етілген басқа origin (мысалы прокси: https://archive.kz).",
                     "Another origin writes may come from (a proxy's: https://archive.kz)."))
def serve(db: str | None, host: str, port: int, writable: bool, max_mb: int,
          analyze_limit_kb: int, analyze_seconds: float, analyze_concurrency: int,
          origins: tuple[str, ...]) -> int:
    from muragat.web import WebUnavailable, create_app, missing_dependency

    missing = missing_dependency()
    if missing:
        raise WebUnavailable(t(
            f"веб үшін қосымша пакет керек ({missing}): pip install 'muragat[web]'",
            f"the web needs an extra package ({missing}): pip install 'muragat[web]'"))
    import uvicorn

    from muragat.web.limits import Limits

    limits = Limits(analyze_limit_kb, analyze_seconds, analyze_concurrency)
    app = create_app(db or default_url(), readonly=not writable, max_bytes=max_mb * 1024 * 1024,
                     limits=limits, origins=origins)
    click.echo(t(f"muragat: http://{host}:{port}/ (тоқтату: Ctrl+C)",
                 f"muragat: http://{host}:{port}/ (stop: Ctrl+C)"), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return EXIT_OK


COMMANDS = [serve]
