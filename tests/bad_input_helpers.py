"""Running the CLI in this process (fast) with its exit code, stdout and stderr."""

from __future__ import annotations

import pytest

from muragat import i18n
from muragat.cli import main


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `muragat ARGS`, as the installed command runs it; the
    interface language is put back afterwards (`--lang` sets it for the whole process)."""
    capsys.readouterr()
    was = i18n._lang
    try:
        with pytest.raises(SystemExit) as stop:
            main(list(args))
    finally:
        i18n._lang = was
    out, err = capsys.readouterr()
    code = stop.value.code
    return (code if isinstance(code, int) else 0), out, err
