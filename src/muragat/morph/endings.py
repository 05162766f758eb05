"""The shipped ending index: every concrete ending of the morphotactics, in a memory-mapped trie.

`scripts/build_endings.py` realizes data/tactics.json (the reference walk in `tactics.py`,
about 10 s of Python) into data/endings.marisa once; a process maps the file in milliseconds
and decodes only the endings it meets. Two key spaces share one trie:

- `E` + the ending reversed -> its readings: all endings that are suffixes of a word are then
  the trie's prefixes of the reversed word, found in one call;
- `G` + UPOS + TAB + UD features -> (ending, reading) pairs, for the generator.

A reading is packed as bytes (`encode_ending`); feature sets are numbered in a table kept in
the trie under `M`, with the format version and the hash of the tactics it was built from, so
a stale or foreign artifact is refused at load with the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

import marisa_trie

from muragat import artifacts
from muragat.errors import ModelError
from muragat.morph.tactics import Ending

FORMAT_VERSION = artifacts.artifact("muragat.morph", "endings.marisa").format
ARTIFACT = "data/endings.marisa"
REBUILD = artifacts.artifact("muragat.morph", "endings.marisa").rebuild

CLASSES = ("V", "R", "L", "Z", "N", "T", "Yi", "Yu", "Ju")
POS = ("", "NOUN", "ADJ", "VERB")
FINALS = ("", "nom", "nomcase")
_EXPLICIT = 255  # a length byte of 255: the string follows, spelt out


def tactics_hash() -> str:
    """The hash of what the index is built from: tactics.json and phonology.json."""
    data = resources.files("muragat.morph").joinpath("data")
    raw = data.joinpath("tactics.json").read_bytes() + data.joinpath("phonology.json").read_bytes()
    return hashlib.sha256(raw).hexdigest()


def _put_str(out: bytearray, s: str) -> None:
    b = s.encode("utf-8")
    out.append(len(b))
    out += b


def _get_str(buf: bytes, i: int) -> tuple[str, int]:
    n = buf[i]
    return buf[i + 1:i + 1 + n].decode("utf-8"), i + 1 + n


def encode_ending(text: str, end: Ending, feats_id: dict[tuple[tuple[str, str], ...], int]
                  ) -> bytes:
    """One reading of `text` as bytes. Morphs and the lemma extension are usually slices of
    the ending itself and are then stored as lengths; otherwise they are spelt out."""
    out = bytearray()
    out.append((end.start == "V0") | end.harmony << 1 | FINALS.index(end.final) << 2
               | POS.index(end.pos) << 4)
    out.append(CLASSES.index(end.cls))
    out += struct.pack("<H", feats_id[end.feats])
    out.append(len(end.morphs))
    joined = "".join(end.morphs)
    if joined == text:
        out.append(0)
        out += bytes(len(m) for m in end.morphs)
    else:
        out.append(1)
        for m in end.morphs:
            _put_str(out, m)
    if joined.startswith(end.lemma_ext):
        out.append(len(end.lemma_ext))
    else:
        out.append(_EXPLICIT)
        _put_str(out, end.lemma_ext)
    return bytes(out)


def decode_ending(text: str, buf: bytes, i: int, feats: list[tuple[tuple[str, str], ...]]
                  ) -> tuple[Ending, int]:
    flags, cls = buf[i], buf[i + 1]
    (fid,) = struct.unpack_from("<H", buf, i + 2)
    n, explicit = buf[i + 4], buf[i + 5]
    i += 6
    if explicit:
        morphs_l = []
        for _ in range(n):
            m, i = _get_str(buf, i)
            morphs_l.append(m)
        morphs = tuple(morphs_l)
    else:
        lengths = buf[i:i + n]
        i += n
        pos, parts = 0, []
        for ln in lengths:
            parts.append(text[pos:pos + ln])
            pos += ln
        morphs = tuple(parts)
    if buf[i] == _EXPLICIT:
        ext, i = _get_str(buf, i + 1)
    else:
        ext = "".join(morphs)[:buf[i]]
        i += 1
    end = Ending("V0" if flags & 1 else "N0", flags >> 1 & 1, CLASSES[cls], feats[fid], morphs,
                 ext, POS[flags >> 4 & 7], FINALS[flags >> 2 & 3])
    return end, i


def encode_list(text: str, ends: Iterable[Ending], feats_id: dict) -> bytes:  # type: ignore[type-arg]
    parts = [encode_ending(text, e, feats_id) for e in ends]
    return struct.pack("<I", len(parts)) + b"".join(parts)


def decode_list(text: str, buf: bytes, feats: list[tuple[tuple[str, str], ...]]
                ) -> tuple[Ending, ...]:
    (count,) = struct.unpack_from("<I", buf, 0)
    i, out = 4, []
    for _ in range(count):
        end, i = decode_ending(text, buf, i, feats)
        out.append(end)
    return tuple(out)


@cache
def _trie() -> tuple[marisa_trie.BytesTrie, list[tuple[tuple[str, str], ...]], int]:
    path = artifacts.require("muragat.morph", "endings.marisa")  # manifest: format and size
    trie = marisa_trie.BytesTrie()
    try:
        trie.mmap(str(path))
    except (OSError, ValueError) as exc:  # absent, truncated or not a marisa file
        raise ModelError(f"morphology ending index {path} cannot be read ({exc}); "
                         f"rebuild it: {REBUILD}") from exc
    meta_raw = trie.get("M")
    meta = json.loads(meta_raw[0]) if meta_raw else {}
    if meta.get("format") != FORMAT_VERSION or meta.get("tactics") != tactics_hash():
        raise ModelError(f"morphology ending index {path} was built for another version of "
                         f"data/tactics.json, data/phonology.json or another format; rebuild it: "
                         f"{REBUILD}")
    feats = [tuple(tuple(kv) for kv in fs) for fs in meta["feats"]]
    return trie, feats, int(meta["max_len"])


def max_ending_len() -> int:
    return _trie()[2]


@lru_cache(maxsize=65_536)
def endings(text: str) -> tuple[Ending, ...]:
    """All readings of the ending `text` (empty when it is no ending)."""
    if "\x00" in text:  # marisa cuts a key at NUL: `0-\x00` would read another key's bytes
        return ()
    trie, feats, _ = _trie()
    try:
        found = trie.get("E" + text[::-1])
    except UnicodeEncodeError:  # a lone surrogate (Python API input) is in no key
        return ()
    return decode_list(text, found[0], feats) if found else ()


@lru_cache(maxsize=65_536)
def suffix_endings(lower: str) -> tuple[tuple[int, tuple[Ending, ...]], ...]:
    """(i, readings of lower[i:]) for every i >= 1 where lower[i:] is an ending, i ascending:
    the longest ending first, as the analyzer walks them."""
    trie = _trie()[0]
    n = len(lower)
    hits = []
    try:
        keys = trie.prefixes("E" + lower[::-1])
    except UnicodeEncodeError:  # a lone surrogate (Python API input) is in no key
        return ()
    for key in keys:
        i = n - (len(key) - 1)
        if i >= 1:
            hits.append((i, endings(lower[i:])))
    hits.sort(key=lambda h: h[0])
    return tuple(hits)


@cache
def by_feats(upos: str, feats: str) -> tuple[tuple[str, Ending], ...]:
    """(ending, reading) pairs realizing UD `feats` on a stem of kind `upos` (NOUN/ADJ/VERB)."""
    trie, table, _ = _trie()
    found = trie.get(f"G{upos}\t{feats}")
    if not found:
        return ()
    buf = found[0]
    (count,) = struct.unpack_from("<I", buf, 0)
    i, out = 4, []
    for _ in range(count):
        text, i = _get_str(buf, i)
        end, i = decode_ending(text, buf, i, table)
        out.append((text, end))
    return tuple(out)


def encode_generator_list(pairs: Iterable[tuple[str, Ending]], feats_id: dict) -> bytes:  # type: ignore[type-arg]
    out = bytearray()
    items = list(pairs)
    out += struct.pack("<I", len(items))
    for text, end in items:
        _put_str(out, text)
        out += encode_ending(text, end, feats_id)
    return bytes(out)
