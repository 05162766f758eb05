"""Sample-article coverage and a spot-check table of hard words (used by eval_morph.py --spot).

Coverage: share of word tokens (tokens with a letter) whose best analysis comes from the lexicon,
the closed-class table, or a rule (proper noun / number / acronym), i.e. is not marked guessed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from muragat.model import Document  # noqa: E402

HARD = [
    "Тоғжановтың", "ауданындағы", "комиссиялар", "Ерназаровтың", "пленумында", "губерниялық",
    "шығарылғандардың", "30-шы", "58-бабының", "ҚК-нің", "қатарынан", "болады", "тәркілеу",
    "ұжымдастыру", "жікшілдерге", "тұтандыруда", "отырғандығы", "көрсетілді", "наразылығын",
    "қырағылығының", "желтоқсанда", "Қызылордада", "кеңейтілген", "жүргізілген", "жақтастары",
    "ұйымдарының", "өлкелік", "соққыны", "оңшылдар", "айыпталды",
]


def sample_path(shared: Path) -> Path:
    return sorted((shared / "samples").glob("000_*.txt"))[0]


def coverage(text: str) -> tuple[int, int, int, list[str]]:
    """(word tokens, tokens with a non-guessed analyzer reading, tokens whose chosen reading is
    not guessed, forms without any non-guessed reading)."""
    import muragat.morph as morph
    import muragat.text as textlayer

    doc = morph.annotate(textlayer.annotate(Document(text=text)))
    words = [t for t in doc.tokens if any(ch.isalpha() for ch in (t.norm or doc.token_text(t)))]
    forms = [t.norm or doc.token_text(t) for t in words]
    uncovered = [f for f in forms if all(a.guessed for a in morph.analyze(f))]
    chosen = sum(1 for t in words if not t.misc.get("guessed"))
    return len(words), len(words) - len(uncovered), chosen, uncovered


def spot(shared: Path) -> None:
    import muragat.morph as morph

    text = sample_path(shared).read_text(encoding="utf-8")
    n, ok, chosen, guessed = coverage(text)
    print(f"Sample {sample_path(shared).name}: {n} word tokens")
    print(f"  analyzer coverage (a lexicon/closed/rule analysis exists): {ok}/{n} = "
          f"{100 * ok / n:.2f} %")
    print(f"  chosen analysis not guessed (after disambiguation):        {chosen}/{n} = "
          f"{100 * chosen / n:.2f} %")
    if guessed:
        print("  only guesses for:", ", ".join(sorted(set(guessed))[:40]))
    print()
    print("| word | lemma | UPOS | features | morphemes | #analyses | source |")
    print("|---|---|---|---|---|---|---|")
    for word in HARD:
        best = morph.tag_words([word])[0][0]
        n_an = len(morph.analyze(word))
        print(f"| {word} | {best.lemma} | {best.upos} | {best.feats or '_'} | "
              f"{'+'.join(best.morphemes)} | {n_an} | {best.source}{' (guess)' if best.guessed else ''} |")


def shared_dir() -> Path:
    """../shared (or MURAGAT_SHARED); kept here so that this script imports no other script
    (eval_morph.py --spot imports this one)."""
    env = os.environ.get("MURAGAT_SHARED")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared"]:
        if (cand / "samples").is_dir():
            return cand
    raise SystemExit("shared data folder not found (set MURAGAT_SHARED)")


if __name__ == "__main__":
    spot(shared_dir())
