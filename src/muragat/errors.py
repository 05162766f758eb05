"""Errors users can meet, each with its own exit code (documented in the README)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # some inputs failed; the others were processed
EXIT_USAGE = 2  # bad command line (click's own code)
EXIT_BAD_INPUT = 3  # empty, binary, undecodable or oversized input
EXIT_STORE = 4  # the store cannot be opened or written
EXIT_ENGINE = 5  # the batch engine cannot start (Ray missing, cluster unreachable)
EXIT_INTERNAL = 70  # a defect in muragat itself (sysexits EX_SOFTWARE): a message, not a traceback
EXIT_INTERRUPTED = 130


class MuragatError(Exception):
    """An error with a message meant for the user and a process exit code."""

    exit_code = EXIT_FAILURE


class InputError(MuragatError):
    exit_code = EXIT_BAD_INPUT


class StoreError(MuragatError):
    exit_code = EXIT_STORE


class EngineError(MuragatError):
    exit_code = EXIT_ENGINE


class ModelError(MuragatError):
    """A shipped model or index is missing, damaged or built for other data: rebuild it."""

    exit_code = EXIT_FAILURE
