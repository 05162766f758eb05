"""The shipped NER model: present, loads, tags hand-written sentences, BIO round trip."""

from __future__ import annotations

from muragat import formats, ner
from muragat.model import Document, Range, Token
from muragat.ner.spans import repair


def test_model_file_is_shipped_and_small() -> None:
    assert ner.MODEL_FILE.exists()
    assert ner.MODEL_FILE.stat().st_size < 50_000_000
    assert (ner.MODEL_FILE.parent / "clusters.tsv").exists()


def test_shipped_ensemble_members_all_load() -> None:
    import json

    desc = json.loads((ner.MODEL_FILE.parent / "ensemble.json").read_text(encoding="utf-8"))
    files = [ner.MODEL_FILE.parent / m["file"] for m in desc["members"]]
    assert files[0] == ner.MODEL_FILE and len(files) % 2 == 1  # an odd number: a majority exists
    assert sum(f.stat().st_size for f in files) < 50_000_000
    assert len(ner.model()._taggers) == len(files)


def test_model_loads_once() -> None:
    assert ner.model() is ner.model()
    m = ner.load(str(ner.MODEL_FILE))
    assert m(["Алматы"])[0] in {f"B-{c}" for c in ner.LABELS} | {"O"}
    assert m([]) == []
    assert list(m.map([["Алматы"], []]))[1] == []


def test_person_and_place_in_a_written_sentence() -> None:
    words = "Ғаббас Тоғжанов 1929 жылы Семей қаласында баяндама жасады .".split()
    labels = ner.tag([words])[0]
    assert labels[0] == "B-PERSON" and labels[1] == "I-PERSON"
    assert labels[4] == "B-GPE"
    assert labels[2].endswith("DATE")


def test_initial_and_surname_is_a_person() -> None:
    # a historical text (`уезінде` marks it) writes `Ойыл ауданындағы` as one place
    sents = ["Ғ. Тоғжанов Ойыл ауданындағы жағдайды жазды .".split(), "Торғай уезінде аштық болды .".split()]
    labels = ner.tag(sents)[0]
    assert labels[:2] == ["B-PERSON", "I-PERSON"]
    assert labels[2:4] == ["B-GPE", "I-GPE"]
    # news text follows KazNERD: the district word stays outside the place
    assert ner.tag([sents[0]])[0][2:4] == ["B-GPE", "O"]


def test_labels_are_consistent_iob2() -> None:
    sents = [
        "БК(б)П Қазақстан өлкелік комитетінің пленумы 1936 жылы өтті .".split(),
        "«Еңбекші қазақ» газетінде 250 мың сом туралы жазылды .".replace("«", "« ").replace("»", " »").split(),
    ]
    for words, labels in zip(sents, ner.tag(sents), strict=True):
        assert len(labels) == len(words)
        assert repair(labels) == labels
        assert all(lab == "O" or lab[2:] in ner.LABELS for lab in labels)


def test_stopping_at_an_agreeing_majority_changes_no_label() -> None:
    from pathlib import Path

    from muragat.ner.tagger import NER
    from muragat.ner.training import read_iob

    data = Path(__file__).resolve().parents[1] / "scripts" / "data"
    sents = [w for f in sorted(data.glob("ner_domain_*.txt")) for w, _ in read_iob(f)]
    assert len(sents) > 50
    lazy, full = NER.load(), NER.load()
    full.lazy = False
    assert [lazy(w) for w in sents] == [full(w) for w in sents]


def test_bio_round_trip() -> None:
    raw = "Ғ.\tO\nТоғжанов\tB-GPE\nАлматыға\tO\nбарды\tO\n.\tO\n\nҚонышбаев\nсотталды\n.\n"
    doc = ner.annotate(formats.read_bio(raw))
    out = formats.to_bio(doc)
    lines = [ln.split() for ln in out.strip().split("\n") if ln]
    assert [ln[0] for ln in lines] == ["Ғ.", "Тоғжанов", "Алматыға", "барды", ".", "Қонышбаев", "сотталды", "."]
    assert [ln[1] for ln in lines[:3]] == ["B-PERSON", "I-PERSON", "B-GPE"]  # input labels ignored
    # the labels written back are exactly what tag() gives
    assert [ln[1] for ln in lines[:5]] == ner.tag([["Ғ.", "Тоғжанов", "Алматыға", "барды", "."]])[0]


def test_annotate_spans_stay_inside_sentences_and_carry_lemma() -> None:
    text = "Мәселен, Ғ. Тоғжановтың мақаласы шықты. Ол Алматыда тұрды."
    words = ["Мәселен", ",", "Ғ.", "Тоғжановтың", "мақаласы", "шықты", ".", "Ол", "Алматыда", "тұрды", "."]
    toks, pos = [], 0
    for w in words:
        start = text.index(w, pos)
        toks.append(Token(start, start + len(w), w))
        pos = start + len(w)
    doc = Document(text=text, sentences=[Range(0, 39), Range(40, len(text))], tokens=toks)
    doc = ner.annotate(ner.annotate(doc))  # twice: no duplicates
    spans = doc.spans_of("ner")
    person = [s for s in spans if s.label == "PERSON"]
    assert len(person) == 1 and text[person[0].start : person[0].end] == "Ғ. Тоғжановтың"
    assert person[0].attrs["lemma"].startswith("Ғ. Тоғжанов")
    assert any(s.label == "GPE" and text[s.start : s.end] == "Алматыда" for s in spans)
    for s in spans:
        assert any(r.start <= s.start and s.end <= r.end for r in doc.sentences)
