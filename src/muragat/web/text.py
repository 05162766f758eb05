"""Kazakh-first, per-request language for the web, and errors in both languages.

The CLI picks one language per process (`muragat.i18n`); a server answers people in both,
so pages take the language from `?lang=` or a cookie, and API errors carry both texts.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from importlib import resources
from typing import Any

from muragat import i18n
from muragat.errors import MuragatError

LANGS = ("kk", "en")
COOKIE = "muragat_lang"
_SWITCH = threading.Lock()


def choose(query: str | None, cookie: str | None) -> str:
    """The page language: `?lang=` first, then the cookie, then Kazakh."""
    for value in (query, cookie):
        if value in LANGS:
            return value
    return "kk"


def translator(lang: str) -> Callable[[str, str], str]:
    return (lambda kk, en: en) if lang == "en" else (lambda kk, en: kk)


@functools.cache
def _labels() -> dict[str, list[str]]:
    raw = resources.files("muragat.web").joinpath("data/labels.json").read_text("utf-8")
    return json.loads(raw)


def label(name: str, lang: str) -> str:
    """A human name for an entity type, event or section label (the label itself if unknown)."""
    pair = _labels().get(name)
    return pair[1 if lang == "en" else 0] if pair else name


def message(kk: str, en: str) -> dict[str, str]:
    return {"kk": kk, "en": en}


def bilingual(fn: Callable[[], Any]) -> dict[str, str] | None:
    """Both texts of the MuragatError `fn` raises (None if it raises none).

    Library errors are built with `i18n.t` in the process language at raise time, so the
    (cheap, deterministic) check that failed is run once per language. The lock keeps two
    requests from switching the language under each other.
    """
    out: dict[str, str] = {}
    with _SWITCH:
        before = i18n.language()
        try:
            for lang in LANGS:
                i18n.set_language(lang)
                try:
                    fn()
                except MuragatError as exc:
                    out[lang] = str(exc)
        finally:
            i18n.set_language(before)
    return out if len(out) == len(LANGS) else None
