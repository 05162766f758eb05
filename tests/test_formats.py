"""CoNLL-U, BIO and plain-text round trips keep the given tokens and offsets."""

from __future__ import annotations

import pytest

from muragat import formats
from muragat.errors import InputError
from muragat.model import Document, Span

CONLLU = """# sent_id = 1
# text = Баласыз үй бос.
1-2\tБаласыз\t_\t_\t_\t_\t_\t_\t_\t_
1\tбала\tбала\tNOUN\tn\t_\t3\tnmod\t_\t_
2\tсыз\tсыз\tADP\tpost\t_\t1\tcase\t_\t_
3\tүй\tүй\tNOUN\tn\t_\t4\tnsubj\t_\t_
4\tбос\tбос\tADJ\tadj\t_\t0\troot\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\tsent\t_\t4\tpunct\t_\t_

# sent_id = 2
1\tКелді\tкел\tVERB\tv\t_\t0\troot\t_\t_
"""


def test_conllu_input_keeps_words_and_sentences() -> None:
    doc = formats.read_conllu(CONLLU)
    assert [doc.token_text(t) for t in doc.tokens] == ["бала", "сыз", "үй", "бос", ".", "Келді"]
    assert len(doc.sentences) == 2
    assert doc.text.split("\n")[0] == "бала сыз үй бос."


def test_conllu_output_fills_only_lemma_upos_feats() -> None:
    doc = formats.read_conllu(CONLLU)
    for tok in doc.tokens:
        tok.lemma, tok.upos, tok.feats = "L", "X", "Case=Nom"
    out = formats.to_conllu(doc).splitlines()
    assert out[0] == "# sent_id = 1"
    assert out[2].startswith("1-2\tБаласыз\t_")  # multiword line untouched
    assert out[3].split("\t") == ["1", "бала", "L", "X", "n", "Case=Nom", "3", "nmod", "_", "_"]
    assert "_conllu" not in doc.to_json()


def test_conllu_output_for_raw_text_marks_space_after() -> None:
    doc = Document(text="Үй бос.")
    doc.tokens = [formats.Token(0, 2), formats.Token(3, 6), formats.Token(6, 7)]
    doc.sentences = [formats.Range(0, 7)]
    lines = formats.to_conllu(doc).splitlines()
    assert lines[1] == "# text = Үй бос."
    assert lines[3].endswith("SpaceAfter=No|TokenRange=3:6")


def test_malformed_conllu_is_an_input_error() -> None:
    with pytest.raises(InputError, match="10"):
        formats.read_conllu("1\tбала\tбала\n")
    with pytest.raises(InputError):
        formats.read_conllu("# only a comment\n")


def test_bio_round_trip_writes_span_labels() -> None:
    doc = formats.read_bio("Ғаббас B-PERSON\nТоғжанов I-PERSON\nкелді O\n\nОйыл\n")
    assert len(doc.sentences) == 2 and len(doc.tokens) == 4
    doc.spans = [Span("ner", "PERSON", doc.tokens[0].start, doc.tokens[1].end),
                 Span("ner", "GPE", doc.tokens[3].start, doc.tokens[3].end)]
    assert formats.to_bio(doc) == (
        "Ғаббас B-PERSON\nТоғжанов I-PERSON\nкелді O\n\nОйыл B-GPE\n\n"
    )


def test_text_output_lists_annotations_under_their_sentence() -> None:
    doc = Document(text="Тоғжанов келді.\n\nОл кетті.")
    doc.sentences = [formats.Range(0, 15), formats.Range(17, 26)]
    doc.paragraphs = [formats.Range(0, 15), formats.Range(17, 26)]
    doc.spans = [Span("ner", "PERSON", 0, 8, {"lemma": "Тоғжанов"})]
    assert formats.to_text(doc) == (
        "Тоғжанов келді.\n    [ner:PERSON] Тоғжанов  (lemma=Тоғжанов)\n\nОл кетті.\n"
    )


def test_two_word_verb_forms_get_a_ud_range_line() -> None:
    doc = Document(text="Ол көрген емес.")
    doc.tokens = [formats.Token(0, 2), formats.Token(3, 9, misc={"mwt": [3, 14]}),
                  formats.Token(10, 14, misc={"mwt": [3, 14]}), formats.Token(14, 15)]
    doc.sentences = [formats.Range(0, 15)]
    lines = formats.to_conllu(doc).splitlines()
    assert lines[3] == "2-3\tкөрген емес\t_\t_\t_\t_\t_\t_\t_\t_"
    assert lines[4].split("\t")[:2] == ["2", "көрген"]
    assert lines[6].split("\t")[:2] == ["4", "."]


def test_conllu_round_trip_keeps_punctuation_lemmas_as_written() -> None:
    from muragat import pipeline

    doc = pipeline.run(formats.read_conllu(CONLLU.replace("\t.\t.\t", "\t«\t«\t")), ("text", "morph"))
    line = formats.to_conllu(doc).splitlines()[7]
    assert line.split("\t")[1:4] == ["«", "«", "PUNCT"]
