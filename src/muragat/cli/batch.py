"""`muragat batch`: a corpus analysed in parallel into a JSON-lines file (no store needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from muragat import pipeline
from muragat.cli.store import engine_options, layer_names, print_report
from muragat.errors import EXIT_FAILURE, EXIT_OK
from muragat.i18n import t


@click.command("batch", help=t(
    "Корпусты (.txt, .md, .jsonl, .parquet) параллель талдап, әр құжатты JSON жолы ретінде "
    "жазу. Қайта іске қосу қауіпсіз: жазылған мәтін қайта талданбайды.",
    "Analyse a corpus (.txt, .md, .jsonl, .parquet) in parallel, one document JSON per line. "
    "Safe to rerun: a text already written is not analysed again."))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help=t("Шығыс .jsonl файлы (толықтырылады).", "Output .jsonl file (appended)."))
@click.option("--layers", default=",".join(pipeline.DEFAULT_LAYERS), show_default=True,
              help=t("Қай қабаттар іске қосылады, үтір арқылы.", "Layers to run, comma-separated."))
@click.option("--text-field", default="text", show_default=True,
              help=t(".jsonl/.parquet ішіндегі мәтін өрісі.", "Text field of .jsonl/.parquet rows."))
@click.option("--chunk-size", type=click.IntRange(1, 10000), default=8, show_default=True,
              help=t("Бір тапсырмадағы құжаттар.", "Documents per task."))
@click.option("--progress/--no-progress", default=True, help=t("Прогресс жолағы.", "Progress bar."))
@click.option("--json", "as_json", is_flag=True, help=t("Есепті JSON түрінде.", "Report as JSON."))
@engine_options
def batch(paths: tuple[Path, ...], output: Path, layers: str, text_field: str, chunk_size: int,
          progress: bool, as_json: bool, workers: int, engine: str,
          ray_address: str | None) -> int:
    from muragat.batch import analyse_to_jsonl, make_engine

    names = layer_names(layers)
    with make_engine(engine, workers, ray_address) as runner:
        report = analyse_to_jsonl(output, paths, runner, names, text_field, chunk_size,
                                  progress and sys.stderr.isatty())
    print_report(report, as_json)
    return EXIT_FAILURE if report.failures else EXIT_OK


COMMANDS = [batch]
