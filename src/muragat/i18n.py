"""User-facing text: Kazakh first, English on request.

The language is chosen once per process from `MURAGAT_LANG` (``kk`` or ``en``) or the
CLI's `--lang` option, which sets it before any help text is built.
"""

from __future__ import annotations

import os

_LANGS = ("kk", "en")
_lang: str | None = None


def set_language(lang: str) -> None:
    global _lang
    _lang = lang if lang in _LANGS else "kk"


def language() -> str:
    if _lang is None:
        set_language(os.environ.get("MURAGAT_LANG", "kk").lower()[:2])
    assert _lang is not None
    return _lang


def t(kk: str, en: str) -> str:
    """The message in the current language."""
    return en if language() == "en" else kk
