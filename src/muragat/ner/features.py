"""Token features for the CRF tagger.

Word-level features depend only on the word form, so they are computed once per form and
cached; the sentence-level pass only glues neighbours' compact keys on. That keeps feature
extraction well above 10k tokens/s on one core.

Language knowledge (gazetteers, number words) lives in data/ files; the endings `stem` strips
come from morph's morphotactics (`stem_endings`); word clusters come from `data/clusters.tsv`,
written by scripts/train_ner.py from the training text.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files("muragat.ner") / "data"))
GAZ_DIR = DATA / "gaz"
CLUSTERS_FILE = DATA / "clusters.tsv"
# A folder of trained files (ensemble.json, its members, clusters.tsv) to use instead of the
# shipped ones: scripts/eval_ner.py tags each CV fold through the CLI with the fold's models.
MODELS_ENV = "MURAGAT_NER_MODELS"


def models_dir() -> Path:
    """Where the trained files are read from: $MURAGAT_NER_MODELS, else the package's data."""
    env = os.environ.get(MODELS_ENV)
    return Path(env) if env else DATA

# Optional feature groups. Extraction computes all of them; each ensemble member is trained
# on its own subset (`select`), and at tagging time a member ignores attributes it never saw.
FLAGS = ("quote", "bag", "w3", "path", "run", "infl", "range")
_FLAG_PREFIXES = {
    "quote": ("qa=", "qas=", "qb=", "qpos=", "qclose"),
    "bag": ("r>st=", "l<st="),
    "w3": ("-3w=", "+3w=", "-2w|-1w=", "+1w|+2w="),
    "path": ("bp",),
    "run": ("run=", "rh="),
    "infl": ("infl=", "infl1="),
    "range": ("rdash", "range_l", "range_r"),
}
_ENV_FX = os.environ.get("MURAGAT_NER_FX")  # experiments: compute only these groups
FX = frozenset(_ENV_FX.split(",")) if _ENV_FX is not None else frozenset(FLAGS)


def select(feats: list[str], flags: frozenset[str]) -> list[str]:
    """Drop the features of the groups not in `flags` (training one ensemble member)."""
    drop = tuple(p for f in FLAGS if f not in flags for p in _FLAG_PREFIXES[f])
    return [x for x in feats if not x.startswith(drop)] if drop else feats
_UPPER = "ӘҒҚҢӨҰҮҺІ"
_SURNAME = re.compile(
    r"^[А-ЯЁ" + _UPPER + r"][а-яё" + _UPPER.lower() + r"-]+"
    r"(ов|ев|ёв|ин|ова|ева|ина|ұлы|ұлының|қызы|ский|ская|бекова|бекұлы)"
    r"(тың|тің|қа|ке|ты|ті|та|те|тан|тен|пен|ның|нің|ға|ге|ны|ні|да|де|дан|ден|мен|а|е|ы|і|"
    r"ның|нан|нен|на|не|ға)?$"
)
_INITIAL = re.compile(r"^[А-ЯЁA-Z" + _UPPER + r"]\.?$")
_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z" + _UPPER + r"]\.){1,3}$")


@cache  # the rules look their lists up on every sentence: read each file once
def _read_list(name: str, lower: bool = True) -> frozenset[str]:
    out = set()
    for line in (GAZ_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(line.lower() if lower else line)
    return frozenset(out)


@dataclass(frozen=True)
class Lexicon:
    """Hand-written word lists used as binary features."""

    gaz: dict[str, frozenset[str]]
    org_abbr: frozenset[str]
    given: frozenset[str]
    suffixes: tuple[str, ...]
    clusters: dict[str, tuple[str, ...]]


@cache
def lexicon() -> Lexicon:
    names = ("gpe", "place_type", "place_unit", "org_head", "org_words", "position", "month",
             "number", "unit")
    gaz = {n: _read_list(f"{n}.txt") for n in names}
    return Lexicon(
        gaz=gaz,
        org_abbr=_read_list("org_abbr.txt", lower=False),
        given=_read_list("given.txt", lower=False),
        suffixes=stem_endings(),
        clusters=load_clusters(models_dir() / CLUSTERS_FILE.name),
    )


# tactics.json arc names. Single arcs suffice because `stem` strips repeatedly; the chains are
# the possessed forms (`лары`, `ының`, `ындағы`), which a bare 3rd-person case (`н`, `на`)
# cannot reach in three rounds. Not the dative after a 1st/2nd-person possessive (`а`, `ма`):
# alone it cuts every stem-final vowel (`норма` -> `нор`).
_STEM_ARCS = ("pl", "p3", "p1s", "p2s", "p1p", "gen", "acc", "dat", "loc", "abl", "ins", "ins2",
              "sim", "equ", "cop2s", "lyq", "shy")
_CASE_ARCS = ("gen", "acc", "dat", "loc", "abl", "ins", "ins2")


@cache
def stem_endings() -> tuple[str, ...]:
    """The endings `stem` strips, longest first, as morph's morphotactics realize them: each
    arc alone, the -дағы attributive after the locative, and plural or case after a 3rd-person
    possessive. A single `н` (the accusative after a possessive) would cut every final н."""
    from muragat.morph.tactics import noun_endings

    out: set[str] = set()
    for arc in _STEM_ARCS:
        out |= noun_endings(frozenset({arc}), after_possessive=True)
    out |= noun_endings(frozenset({"loc", "attr"}), frozenset({"attr"}), after_possessive=True)
    out |= noun_endings(frozenset({"p3", "loc", "attr"}), frozenset({"attr"}))
    out |= noun_endings(frozenset({"pl", "p3"}), frozenset({"p3"}))
    for case in _CASE_ARCS:
        out |= noun_endings(frozenset({"p3", case}), frozenset({case}))
    out.discard("н")
    return tuple(sorted(out, key=lambda e: (-len(e), e)))


def load_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """word -> cluster ids at several granularities (tab-separated file)."""
    out: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0]] = tuple(parts[1:])
    return out


def stem(lower: str, suffixes: tuple[str, ...], rounds: int = 3) -> str:
    """Strip up to `rounds` inflectional endings; keeps at least 3-5 letters of the root."""
    lengths, known = _suffix_index(suffixes)
    w = lower
    for _ in range(rounds):
        for n in lengths:  # longest ending first; one ending of each length can match
            if len(w) - n >= (5 if n == 1 else 3) and w[-n:] in known:
                w = w[:-n]
                break
        else:
            break
    return w


@lru_cache(maxsize=4)
def _suffix_index(suffixes: tuple[str, ...]) -> tuple[tuple[int, ...], frozenset[str]]:
    return tuple(sorted({len(s) for s in suffixes}, reverse=True)), frozenset(suffixes)


def shape(word: str) -> str:
    """Collapsed character classes: `Тоғжанов` -> `Xx`, `1928` -> `d`, `БК(б)П` -> `X(x)X`."""
    out: list[str] = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.isalpha():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:6])


def _number_word(lower: str, numbers: frozenset[str]) -> str:
    """'w' for a number word, 'o' for an ordinal built on one, 'i' for an inflected one."""
    if lower in numbers:
        return "w"
    for suf in ("ыншы", "інші", "ншы", "нші"):
        if lower.endswith(suf) and lower[: -len(suf)] in numbers:
            return "o"
    # Only prefixes with at most 4 letters after them (the same test as before, without
    # slicing every prefix of a long token: that was quadratic in the token's length).
    for n in range(len(lower) - 1, max(2, len(lower) - 5), -1):
        if lower[:n] in numbers and len(lower) - n <= 4 and len(lower[:n]) >= 3:
            return "i"
    return ""


@lru_cache(maxsize=200_000)
def word_features(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(own features, compact keys neighbours see) for one word form."""
    lex = lexicon()
    lower = word.lower()
    st = stem(lower, lex.suffixes)
    st1 = stem(lower, lex.suffixes, 1)  # one ending off: safer for names (Алматыда -> Алматы)
    shp = shape(word)
    feats = ["b", "w=" + lower, "st=" + st, "st1=" + st1, "sh=" + shp, "len=" + str(min(len(word), 12))]
    for k in (1, 2, 3, 4, 5):
        if len(lower) > k:
            feats.append(f"p{k}={lower[:k]}")
            feats.append(f"s{k}={lower[-k:]}")
    if word[:1].isupper():
        feats.append("cap")
        if word.isupper() and len(word) > 1:
            feats.append("allcap")
    if any(ch.isdigit() for ch in word):
        feats.append("hasdig")
        if "-" in word:
            feats.append("dig-suf=" + lower.rsplit("-", 1)[-1][:5])
    if "-" in word:
        feats.append("hyph")
    if _INITIAL.match(word):
        feats.append("initial")
    if _INITIALS.match(word):
        feats.append("initials")
    if _SURNAME.match(word):
        feats.append("surname")
    if word in lex.given:
        feats.append("given")
    if word in lex.org_abbr or word.rstrip("-") in lex.org_abbr:
        feats.append("orgabbr")
    gz = []
    for name, words in lex.gaz.items():
        if lower in words or st1 in words or st in words:
            gz.append(name)
            feats.append("gz=" + name)
    num = _number_word(lower, lex.gaz["number"])
    if num:
        feats.append("num=" + num)
        gz.append("num" + num)
    cl = lex.clusters.get(lower) or lex.clusters.get(st1) or lex.clusters.get(st)
    if cl:
        feats.extend(f"c{i}={c}" for i, c in enumerate(cl[:3]))
        if "path" in FX and len(cl) > 3:  # Brown-style bit path prefixes
            feats.extend(f"bp{n}={cl[3][:n]}" for n in (2, 4, 6, 8, 10, 12, 14) if len(cl[3]) >= n)
    if "infl" in FX:
        feats.append("infl=" + lower[len(st):])
        feats.append("infl1=" + lower[len(st1):])
    clk = cl[1] if cl and len(cl) > 1 else "-"
    key = (
        lower,
        shp,
        lower[-3:],
        clk,
        "|".join(gz) or "-",
        st,
    )
    return tuple(feats), key


FEATURE_SET = int(os.environ.get("MURAGAT_NER_FEATURES", "1"))  # experiments only
_OPEN_Q = ("«", "“")
_CLOSE_Q = ("»", "”")


_DASHES = frozenset({"—", "–", "-", "−", "‒"})


def _numeric(word: str) -> bool:
    return word[:1].isdigit() or "num" in "|".join(word_features(word)[1][4:5])


def _range(words: list[str], i: int) -> list[str]:
    """Number ranges (`14-інші — 15-інші ғасырларда`, `жетпіс – сексен жыл`) are one entity."""
    n = len(words)
    w = words[i]
    out = []
    if w in _DASHES and 0 < i < n - 1 and _numeric(words[i - 1]) and _numeric(words[i + 1]):
        out.append("rdash")
    if _numeric(w):
        if i + 2 < n and words[i + 1] in _DASHES | {","} and _numeric(words[i + 2]):
            out.append("range_l")
        if i >= 2 and words[i - 1] in _DASHES | {","} and _numeric(words[i - 2]):
            out.append("range_r")
    return out


def _cap_runs(words: list[str], keys: list[tuple[str, ...]]) -> list[list[str]]:
    """Position in a run of capitalized words and the first lower-case word after the run.

    Long names (`Алматы қалалық ... ауруханасының`) are decided by a head noun that the
    window may not reach; every word of the run and the few words after it see that head.
    """
    n = len(words)
    out: list[list[str]] = [[] for _ in range(n)]
    i = 0
    while i < n:
        if not words[i][:1].isupper():
            i += 1
            continue
        j = i
        while j < n and words[j][:1].isupper():
            j += 1
        size = j - i
        head = keys[j + 2][5] if j < n else "</s>"
        for k in range(i, j):
            pos = "S" if size == 1 else "B" if k == i else "E" if k == j - 1 else "I"
            out[k] += ["run=" + pos + str(min(size, 4)), "rh=" + head]
        i = j
    return out


def _quote_context(words: list[str], keys: list[tuple[str, ...]]) -> list[list[str]]:
    """For tokens inside «...»: the word after the closing quote and the one before the opening.

    The class of a quoted name is decided by a word outside the ±2 window (`«...» заңы` LAW,
    `«...» газеті` ORG/PRODUCT, `«...» фильмі` ART), so it is handed to every token inside.
    """
    n = len(words)
    out: list[list[str]] = [[] for _ in range(n)]
    i = 0
    while i < n:
        if words[i] in _OPEN_Q or words[i] == '"':
            close = _CLOSE_Q if words[i] != '"' else ('"',)
            j = i + 1
            while j < n and j - i <= 25 and words[j] not in close:
                j += 1
            if j < n and words[j] in close:
                after = keys[j + 3][5] if j + 1 < n else "</s>"
                after_s = keys[j + 3][2] if j + 1 < n else "</s>"
                before = keys[i + 1][5] if i > 0 else "<s>"
                for k in range(i + 1, j):
                    out[k] += ["qa=" + after, "qas=" + after_s, "qb=" + before,
                               "qpos=" + ("1" if k == i + 1 else "n") + ("1" if k == j - 1 else "n")]
                out[j] += ["qclose", "qa=" + after]
                i = j + 1
                continue
        i += 1
    return out

_BOS = ("<s>", "<s>", "<s>", "<s>", "<s>", "<s>")
_EOS = ("</s>", "</s>", "</s>", "</s>", "</s>", "</s>")


def sentence_features(words: list[str]) -> list[list[str]]:
    """Features for each token of one sentence (own + neighbours within ±2)."""
    per = [word_features(w) for w in words]
    keys = [_BOS, _BOS] + [p[1] for p in per] + [_EOS, _EOS]
    n = len(words)
    out: list[list[str]] = []
    quote = False
    qctx = _quote_context(words, keys) if "quote" in FX else None
    runs = _cap_runs(words, keys) if "run" in FX else []
    for i in range(n):
        own, _ = per[i]
        k = i + 2
        m2, m1, c, p1, p2 = keys[k - 2], keys[k - 1], keys[k], keys[k + 1], keys[k + 2]
        f = list(own)
        f += [
            "-1w=" + m1[0], "+1w=" + p1[0], "-2w=" + m2[0], "+2w=" + p2[0],
            "-1st=" + m1[5], "+1st=" + p1[5],
            "-1sh=" + m1[1], "+1sh=" + p1[1], "-2sh=" + m2[1], "+2sh=" + p2[1],
            "-1s3=" + m1[2], "+1s3=" + p1[2],
            "-1c=" + m1[3], "+1c=" + p1[3], "-2c=" + m2[3], "+2c=" + p2[3],
            "-1g=" + m1[4], "+1g=" + p1[4], "+2g=" + p2[4], "-2g=" + m2[4],
            "-1w|w=" + m1[0] + "|" + c[0], "w|+1w=" + c[0] + "|" + p1[0],
            "sh3=" + m1[1] + "|" + c[1] + "|" + p1[1],
        ]
        if i == 0:
            f.append("first")
        elif c[1].startswith("X"):
            f.append("capmid")  # a capital inside the sentence is the strongest name cue
        if FEATURE_SET >= 2:
            f += [
                "-1c|c=" + m1[3] + "|" + c[3], "c|+1c=" + c[3] + "|" + p1[3],
                "-1st|st=" + m1[5] + "|" + c[5], "st|+1st=" + c[5] + "|" + p1[5],
                "-1g|sh=" + m1[4] + "|" + c[1], "sh|+1g=" + c[1] + "|" + p1[4],
                "-2s3=" + m2[2], "+2s3=" + p2[2],
            ]
        if quote:
            f.append("inquote")
        if qctx is not None:
            f += qctx[i]
        if "bag" in FX:
            f += ["r>st=" + keys[j][5] for j in range(k + 3, min(k + 7, n + 2))]
            f += ["l<st=" + keys[j][5] for j in range(max(2, k - 4), k - 2)]
        if "run" in FX:
            f += runs[i]
        if "range" in FX:
            f += _range(words, i)
        if "w3" in FX:
            f += ["-3w=" + keys[k - 3][0] if k >= 3 else "-3w=<s>", "+3w=" + keys[k + 3][0] if k + 3 < n + 4 else "+3w=</s>",
                  "-2w|-1w=" + m2[0] + "|" + m1[0], "+1w|+2w=" + p1[0] + "|" + p2[0]]
        w = words[i]
        if w in ("«", "“"):
            quote = True
        elif w in ("»", "”"):
            quote = False
        elif w == '"':
            quote = not quote
        out.append(f)
    return out
