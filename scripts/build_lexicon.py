"""Build the morphology stem lexicon (src/muragat/morph/data/lexicon.tsv.gz).

Sources (both shippable):
- Debian `hunspell-kk` (kk_KZ.dic; Akmaral Mussayeva, László Németh, Rail Aliev, 2009;
  GPL-2+ / LGPL-2.1+ / MPL-1.1+): nominal stems (flag A...), verbs listed by their -у/-ю
  infinitive (flag M...), unflagged indeclinables.
- Our hand-written lists in src/muragat/morph/data/ (loans.txt, verbs.txt, closed.tsv).

Output lines: `stem<TAB>classes` where classes is a subset of N (nominal), V (verb stem),
I (indeclinable), A (adjective: our list adjectives.txt, or a nominal stem + an adjective-forming
suffix such as -лы/-сыз/-шыл), D (adverb: our list adverbs.txt), F and G (see below). Run: .venv/bin/python scripts/build_lexicon.py [--dic PATH]
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "muragat" / "morph" / "data"
sys.path.insert(0, str(ROOT / "src"))

from muragat import artifacts  # noqa: E402
from muragat.morph import phonology  # noqa: E402


def verb_stems(inf: str) -> list[str]:
    """Stems behind an infinitive: бару -> бар, сүю -> сүй, оқу -> оқ + оқы (ambiguous)."""
    if inf.endswith("ю"):
        base = inf[:-1]
        return [base + "й"] if len(base) > 1 else [base]
    if not inf.endswith("у") or len(inf) < 2:
        return []
    base = inf[:-1]
    # шығу -> шық, табу -> тап: voiced only before a vowel
    base = base[:-1] + phonology.devoice(base[-1])
    if phonology.is_vowel(base[-1]):
        return [base]
    front = phonology.has_front_vowel(base)
    return [base, base + ("і" if front else "ы")]


def read_hunspell(path: Path) -> dict[str, set[str]]:
    lex: dict[str, set[str]] = defaultdict(set)
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        word, _, flags = line.strip().partition("/")
        word = word.lower()
        if not word:
            continue
        if flags[:1] == "M":
            for stem in verb_stems(word):
                lex[stem].add("V")
            lex[word].add("G")  # the -у form: a verbal noun (KTB tags it VERB, VerbForm=Ger)
        elif flags:
            lex[word].add("N")
        else:
            lex[word].add("I")
    return lex


def mark_inflected(lex: dict[str, set[str]]) -> None:
    """Flag F on dictionary words that parse as an inflected form of another stem (hunspell lists
    many: кітабы, болады); the disambiguator learns to distrust them as lemmas."""
    from muragat.morph.tactics import build_ending_index, char_class, harmony_of

    idx = build_ending_index()
    cc = char_class()
    for word, kinds in lex.items():
        if "N" not in kinds and "I" not in kinds:
            continue
        for i in range(2, len(word)):
            ends = idx.get(word[i:])
            if not ends:
                continue
            stem = word[:i]
            alt = stem[:-1] + phonology.devoice(stem[-1]) if phonology.is_vowel(word[i]) else stem
            hit = False
            for cand in {stem, alt}:
                other = lex.get(cand)
                if not other:
                    continue
                for e in ends:
                    inflect = any(k in ("Case", "Number[psor]", "Tense", "Mood", "Number")
                                  for k, _ in e.feats)
                    ok_kind = ("V" in other) if e.start == "V0" else bool(other & {"N", "I"})
                    if inflect and ok_kind and not e.lemma_ext and e.cls == cc.get(cand[-1], "T") \
                            and e.harmony in harmony_of(cand):
                        hit = True
                        break
                if hit:
                    break
            if hit:
                kinds.add("F")
                break


# Adjective-forming suffixes: a dictionary word made of a nominal/verbal stem + one of these is
# marked A (шартты = шарт + ты, тәуелсіз = тәуел + сіз is not: тәуел is no stem).
ADJ_SUFFIXES = ("лы", "лі", "ды", "ді", "ты", "ті", "сыз", "сіз", "шыл", "шіл", "дай", "дей",
                "тай", "тей", "мды", "мді", "ңқы", "ңкі")
PAST_LIKE = ("ды", "ді", "ты", "ті")


LYQ = ("лық", "лік", "дық", "дік", "тық", "тік")


def mark_adjectives(lex: dict[str, set[str]]) -> None:
    for word, kinds in lex.items():
        if "I" in kinds and "N" not in kinds and word.endswith(LYQ):
            kinds.add("A")  # hunspell lists relational adjectives unflagged: тарихи, халықтық
            continue
        if "N" not in kinds:
            continue
        for suf in ADJ_SUFFIXES:
            if not word.endswith(suf) or len(word) - len(suf) < 2:
                continue
            stem = word[: -len(suf)]
            # a verb stem + -ды/-ті is a past tense (болды, алды), not an adjective
            kinds_of_stem = lex.get(stem, set())
            if suf in PAST_LIKE and "V" in kinds_of_stem:
                continue  # a verb stem + -ды/-ті is a past tense (болды, алды), not an adjective
            if kinds_of_stem & {"N", "V", "G", "I"}:
                kinds.add("A")
                break


def read_list(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [w.strip().lower() for w in text.splitlines()
            if w.strip() and not w.startswith("#") and " " not in w.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dic", default="/usr/share/hunspell/kk_KZ.dic")
    args = ap.parse_args()
    lex = read_hunspell(Path(args.dic))
    for line in (DATA / "loans.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lex[line.strip().lower()].add("N")
    for line in (DATA / "verbs.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and " " not in line.strip():
            lex[line.strip().lower()].add("V")
    mark_inflected(lex)
    mark_adjectives(lex)
    for word in read_list("adjectives.txt"):
        lex[word].add("A")
        if not lex[word] & {"N", "I"}:
            lex[word].add("N")
    for word in read_list("adverbs.txt"):
        lex[word].add("D")
    out = DATA / "lexicon.tsv.gz"
    lines = ["# muragat Kazakh stem lexicon; built by scripts/build_lexicon.py from hunspell-kk "
             "(GPL-2+/LGPL-2.1+/MPL-1.1+) and muragat's own lists\n"]
    lines += [f"{stem}\t{''.join(sorted(lex[stem]))}\n" for stem in sorted(lex)]
    # mtime=0 keeps the artifact byte-identical across rebuilds
    out.write_bytes(gzip.compress("".join(lines).encode("utf-8"), compresslevel=9, mtime=0))
    artifacts.record("muragat.morph", [out.name])  # format, size, sha256 in data/MANIFEST.json
    print(f"{len(lex)} stems -> {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
