"""`muragat analyze`: run the pipeline over files or standard input."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from tqdm import tqdm

from muragat import formats, io, pipeline
from muragat.errors import EXIT_OK, MuragatError
from muragat.extract import extract
from muragat.i18n import t
from muragat.io import read_text_file
from muragat.model import Document

READERS: dict[str, Callable[[str, str], Document]] = {
    "text": lambda raw, name: Document(text=raw),
    "conllu": formats.read_conllu,
    "bio": formats.read_bio,
}
WRITERS: dict[str, Callable[[Document], str]] = {
    "json": lambda doc: doc.to_json() + "\n",
    "conllu": formats.to_conllu,
    "bio": formats.to_bio,
    "text": formats.to_text,
}
SUFFIX = {"json": ".json", "conllu": ".conllu", "bio": ".bio", "text": ".txt"}


def analyze_one(path: str, source: str, layers: tuple[str, ...], max_bytes: int) -> Document:
    name = "<stdin>" if path == "-" else path
    if source == "text":  # any format: plain text, HTML, PDF, DOCX, a scan (muragat.extract)
        got = extract(path, max_bytes)
        doc = Document(text=got.text, meta=got.meta)
    else:
        doc = READERS[source](read_text_file(path, max_bytes), name)
    return pipeline.run(doc, layers)


def _output_path(out: Path, path: str, target: str) -> Path:
    stem = "stdin" if path == "-" else Path(path).name
    return out / (stem + SUFFIX[target])


@click.command(
    "analyze",
    help=t(
        "Мәтінді талдау: сөйлемдер, токендер, лемма, сөз табы, атаулы нысандар, мәндер, "
        "сілтемелер. FILE орнына '-' стандартты кірісті оқиды.",
        "Analyse text: sentences, tokens, lemmas, parts of speech, named entities, values, "
        "citations. '-' for FILE reads standard input.",
    ),
)
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))  # checked by muragat.io
@click.option("--from", "source", type=click.Choice(list(READERS)), default="text",
              show_default=True,
              help=t("Кіріс пішімі (conllu/bio: дайын токендер сақталады).",
                     "Input format (conllu/bio keep the given tokens)."))
@click.option("--to", "target", type=click.Choice(list(WRITERS)), default="json",
              show_default=True, help=t("Шығыс пішімі.", "Output format."))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help=t("Шығыс файлы (бірнеше кірісте — қалта).",
                     "Output file (a folder for several inputs)."))
@click.option("--layers", default=",".join(pipeline.DEFAULT_LAYERS), show_default=True,
              help=t("Қай қабаттар іске қосылады, үтір арқылы.",
                     "Layers to run, comma-separated."))
@click.option("--max-mb", default=32, show_default=True, type=click.IntRange(1, 4096),
              help=t("Бір файлдың ең үлкен өлшемі, МБ.", "Largest input file, in MB."))
@click.option("--strict", is_flag=True,
              help=t("UTF-8 емес байттары бар файлды түзетпей, қабылдамау (шығу коды 3).",
                     "Refuse a file with bytes that are not UTF-8 instead of repairing it "
                     "with a warning (exit code 3)."))
def analyze(files: tuple[str, ...], source: str, target: str, output: Path | None,
            layers: str, max_mb: int, strict: bool) -> int:
    names = tuple(name for name in layers.split(",") if name)
    unknown = [name for name in names if name not in pipeline.KNOWN_LAYERS]
    if unknown:
        raise click.BadParameter(", ".join(unknown), param_hint="--layers")
    paths = list(files) or ["-"]
    # an existing folder takes one input's output too, named as it would be among several
    many = len(paths) > 1 or (output is not None and output.is_dir())
    if many and output is not None:
        output.mkdir(parents=True, exist_ok=True)
    exit_code = EXIT_OK
    progress = tqdm(paths, unit=t(" құжат", " doc"), disable=len(paths) < 2, file=sys.stderr)
    for path in progress:
        try:
            with io.decoding(strict, _warning):
                doc = analyze_one(path, source, names, max_mb * 1024 * 1024)
        except MuragatError as exc:
            tqdm.write(t("қате: ", "error: ") + str(exc), file=sys.stderr)
            exit_code = max(exit_code, exc.exit_code)
            continue
        rendered = WRITERS[target](doc)
        if output is None:
            click.echo(rendered, nl=False)
        elif many:
            _output_path(output, path, target).write_text(rendered, encoding="utf-8")
        else:
            output.write_text(rendered, encoding="utf-8")
    return exit_code


def _warning(message: str) -> None:
    """Input read with a repair (bad bytes, long runs split): said at once, on stderr."""
    tqdm.write(t("ескерту: ", "warning: ") + message, file=sys.stderr)


COMMANDS = [analyze]
