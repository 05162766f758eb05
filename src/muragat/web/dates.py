"""A timeline date as words: `1936-08-01` BEFORE → "1936 ж. 1 тамызға дейін" / "before
1 August 1936"; a range `1928/1937` → "1928–1937". Forms are in data/dates.json."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.cache
def _data() -> dict[str, Any]:
    raw = resources.files("muragat.web").joinpath("data/dates.json").read_text("utf-8")
    return json.loads(raw)  # type: ignore[no-any-return]


def _point(iso: str, lang: str, case: int = 0) -> str:
    """One ISO date (1936, 1936-08, 1936-08-01) in `lang`; `case` 1 dative, 2 ablative."""
    parts = iso.split("-")
    year = parts[0]
    if len(parts) == 1:
        return year
    month = int(parts[1]) - 1
    if not 0 <= month < 12:
        return iso
    day = str(int(parts[2])) + " " if len(parts) > 2 else ""
    if lang == "en":
        return f"{day}{_data()['months_en'][month]} {year}"
    return f"{year} ж. {day}{_data()['months_kk'][month][case]}"


def date_words(date: str, mod: str | None, lang: str) -> str:
    """`date` (an ISO point or `a/b` range) with its BEFORE/AFTER/... mod, in words."""
    data = _data()
    lo, _, hi = date.partition("/")
    mod = mod or ""
    if hi and hi != lo:
        if lo.isdigit() and hi.isdigit():  # 1928–1937
            d = f"{lo}–{hi}"
        else:
            d = f"{_point(lo, lang)} – {_point(hi, lang)}"
        if lang == "en":
            return data["mod_en"].get(mod, "{d}").format(d=d)
        return data["range_kk"].get(mod, "{d}").format(d=d)
    if lang == "en":
        return data["mod_en"].get(mod, "{d}").format(d=_point(lo, lang))
    if lo.isdigit():
        return data["year_kk"].get(mod, "{y} ж.").format(y=lo)
    if not mod:
        return _point(lo, lang)
    return data["mod_kk"].get(mod, "{d}").format(d=_point(lo, lang), d_dat=_point(lo, lang, 1),
                                                 d_abl=_point(lo, lang, 2))
