"""Kazakh morphology: analyzer, context disambiguator, lemma/UPOS/UD features for every token.

Public API: analyze(word), lemma(word), annotate(doc), generate(lemma, feats), Analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

from muragat.model import Document
from muragat.morph.analyzer import Analysis, analyze_word
from muragat.morph.ranker import Tagger, load_model

__all__ = ["Analysis", "analyze", "annotate", "generate", "lemma", "tag_words"]

MAX_ALTS = 4


def analyze(word: str) -> list[Analysis]:
    """All plausible analyses of one word form (never empty, never raises)."""
    if not isinstance(word, str):
        word = str(word)
    return list(analyze_word(word))


@cache
def _tagger() -> Tagger:
    return Tagger(load_model())


def tag_words(words: Sequence[str]) -> list[list[Analysis]]:
    """Disambiguate a sentence of words: per word, analyses best first."""
    return [[a for a, _ in scored] for scored in _tagger().tag(list(words))]


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """Best out-of-context lemma (proper-noun capitalization kept)."""
    if not word:
        return word
    best = tag_words([word])[0][0]
    return best.lemma


def annotate(doc: Document) -> Document:
    """Fill lemma/upos/feats of every token; alternatives in misc['alts'], guesses marked."""
    for _sent, toks in doc.sentence_tokens():
        if not toks:
            continue
        words = [t.norm or doc.token_text(t) for t in toks]
        for tok, ranked in zip(toks, tag_words(words), strict=True):
            best = ranked[0]
            tok.lemma, tok.upos, tok.feats = best.lemma, best.upos, best.feats or None
            if best.upos == "PUNCT":  # punctuation is its own lemma, as written (« not ")
                tok.lemma = doc.token_text(tok)
            if best.morphemes:
                tok.misc["morphs"] = "+".join(m for m in best.morphemes if m)
            if best.guessed:
                tok.misc["guessed"] = True
            alts = [f"{a.lemma}/{a.upos}/{a.feats or '_'}" for a in ranked[1:MAX_ALTS]]
            if alts:
                tok.misc["alts"] = alts
    return doc


def generate(lemma_: str, feats: str) -> list[str]:
    """Surface forms of `lemma_` with UD `feats` (nominal and verbal paradigms)."""
    from muragat.morph.generator import generate_forms

    return generate_forms(lemma_, feats)
