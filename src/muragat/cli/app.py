"""The click group and the commands registered on it."""

from __future__ import annotations

import gc
import importlib
import os
import sys
import traceback
from pathlib import Path

import click

from muragat import __version__
from muragat.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, MuragatError
from muragat.i18n import t

# Modules that expose `COMMANDS: list[click.Command]`, registered in this order.
COMMAND_MODULES: tuple[str, ...] = (
    "muragat.cli.analyze",
    "muragat.cli.store",
    "muragat.cli.batch",
    "muragat.cli.serve",
    "muragat.cli.token",
    "muragat.cli.events",
    "muragat.cli.edits",
)

EPILOG = t(
    "Шығу кодтары: 0 сәтті; 1 кейбір кірістер өңделмеді; 2 команда қате жазылған; "
    "3 кіріс оқылмайды (бос, бинарлық, кодтауы белгісіз, тым үлкен, қалта, --strict кезінде "
    "бүлінген байттар); 4 қойма ашылмайды не бүлінген; "
    "5 параллель қозғалтқыш іске қосылмайды; 130 тоқтатылды.",
    "Exit codes: 0 success; 1 some inputs failed; 2 bad command line; 3 unreadable input "
    "(empty, binary, unknown encoding, too large, a directory, damaged bytes with --strict); "
    "4 store cannot be opened or is damaged; 5 the parallel "
    "engine cannot start; 130 interrupted.",
)


@click.group(
    help=t(
        "muragat (мұрағат): қазақ тіліндегі құжаттарды оқып, іздеуге болатын, дереккөзі "
        "көрсетілген білім қорына айналдырады.",
        "muragat (Kazakh for 'archive'): reads Kazakh documents into a searchable, "
        "cited knowledge base.",
    ),
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--lang",
    type=click.Choice(["kk", "en"]),
    default=None,
    help=t("Интерфейс тілі (kk немесе en).", "Interface language (kk or en)."),
)
@click.version_option(__version__, prog_name="muragat")
def cli(lang: str | None) -> None:
    """The group sets the collector for the run (`--lang` is read before click starts)."""
    # The analysis builds millions of small objects that stay (models, per-word caches); at
    # the default threshold (700) the collector walks them again and again: a fifth of
    # morphology's time on unseen text. Batch workers are forked from here and inherit it.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


for _module in COMMAND_MODULES:
    for _command in importlib.import_module(_module).COMMANDS:
        cli.add_command(_command)


def _is_file_error(exc: click.ClickException) -> bool:
    """A file click refused (click.Path / click.File checks): exit 3, not click's 2."""
    if isinstance(exc, click.FileError):
        return True
    param = getattr(exc, "param", None)
    return isinstance(exc, click.BadParameter) and isinstance(
        getattr(param, "type", None), click.Path | click.File)


def _file_error_message(exc: click.ClickException) -> str:
    if isinstance(exc, click.FileError):
        return t(f"{exc.ui_filename}: файл ашылмады ({exc.message})",
                 f"{exc.ui_filename}: cannot open the file ({exc.message})")
    param = getattr(exc, "param", None)
    hint = "/".join(getattr(param, "opts", None) or []) or getattr(param, "name", "") or "?"
    return t(f"{hint}: файл жарамсыз: {exc.message}", f"{hint}: not a usable file: {exc.message}")


def _internal_error_message(exc: Exception) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1:] or None
    where = f" ({Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    what = f"{type(exc).__name__}: {exc}{where}"
    return t(f"ішкі қате (muragat ақауы, хабарлаңыз): {what}; толық ізі үшін MURAGAT_DEBUG=1",
             f"internal error (a muragat defect, please report it): {what}; "
             "set MURAGAT_DEBUG=1 for the traceback")


def run(args: list[str]) -> None:
    """Run the CLI: user errors become a message and an exit code, never a traceback."""
    try:
        code = cli.main(args=args, prog_name="muragat", standalone_mode=False)
    except MuragatError as exc:
        click.echo(t("қате: ", "error: ") + str(exc), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo(t("тоқтатылды", "interrupted"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        if _is_file_error(exc):  # a directory or unreadable file: an input error, like ours
            click.echo(t("қате: ", "error: ") + _file_error_message(exc), err=True)
            sys.exit(EXIT_BAD_INPUT)
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo(t("тоқтатылды", "interrupted"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a defect of ours: say so plainly; the traceback on request
        if os.environ.get("MURAGAT_DEBUG"):
            raise
        click.echo(_internal_error_message(exc), err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else 0)
