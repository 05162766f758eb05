"""annotate(doc) on a small hand-written Kazakh text (written for this test)."""

from __future__ import annotations

import muragat.morph as morph
import muragat.text as textlayer
from muragat.model import Document

TEXT = ("Комиссиялар ауданындағы мектептерді тексерді. "
        "Ерназаровтың баяндамасы пленумында талқыланды. "
        "Біз бұл мәселені ертең қарастырамыз.")


def annotated() -> Document:
    return morph.annotate(textlayer.annotate(Document(text=TEXT)))


def test_every_token_gets_lemma_upos() -> None:
    doc = annotated()
    assert doc.tokens
    for tok in doc.tokens:
        assert tok.lemma is not None and tok.upos is not None


def test_expected_lemmas_and_tags() -> None:
    doc = annotated()
    got = {doc.token_text(t): (t.lemma, t.upos, t.feats) for t in doc.tokens}
    assert got["Комиссиялар"][0] == "комиссия"
    assert got["ауданындағы"][0] == "аудан"
    assert got["Ерназаровтың"][:2] == ("Ерназаров", "PROPN")
    assert got["пленумында"][0] == "пленум"
    assert got["тексерді"][:2] == ("тексер", "VERB")
    assert got["."][1] == "PUNCT"
    assert got["Біз"][:2] == ("біз", "PRON")
    assert "Tense=Past" in (got["тексерді"][2] or "")


def test_alternatives_and_offsets_kept() -> None:
    doc = annotated()
    n = len(doc.tokens)
    spans = [(t.start, t.end) for t in doc.tokens]
    morph.annotate(doc)  # idempotent, never re-tokenizes
    assert len(doc.tokens) == n and [(t.start, t.end) for t in doc.tokens] == spans
    assert any("alts" in t.misc for t in doc.tokens)
    for t in doc.tokens:
        for alt in t.misc.get("alts", []):
            assert alt.count("/") >= 2


def test_guessed_words_are_marked() -> None:
    doc = morph.annotate(textlayer.annotate(Document(text="зқщфых келді.")))
    first = doc.tokens[0]
    assert first.misc.get("guessed") is True
    assert first.lemma


def test_empty_document() -> None:
    assert morph.annotate(Document(text="")).tokens == []
