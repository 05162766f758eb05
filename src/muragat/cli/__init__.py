"""Command line: `muragat COMMAND ...` (help in Kazakh; `--lang en` or MURAGAT_LANG=en for English)."""

from __future__ import annotations

import sys


def _language_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point: the language must be set before the commands build their help texts."""
    args = sys.argv[1:] if argv is None else argv
    lang = _language_from_argv(args)
    if lang:
        from muragat.i18n import set_language

        set_language(lang)
    from muragat.cli.app import run

    run(args)
