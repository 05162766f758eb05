"""The layer contract: a wrong order is refused, and running any layer again changes nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from muragat import i18n, pipeline
from muragat.model import Document

# team-written pieces in the archive's style: names, bodies, dates, counts, a citation, a footer
PIECES = [
    "1929 жылы 2 маусымда Ғ. Тоғжановтың басшылығымен комиссия құрылды.",
    "Ойыл ауданында 432 коммунист партиядан шығарылды [3, 45-б.].",
    "Өлкелік комитеттің бюросы 1936 ж. 1 тамызға дейін тексеруді аяқтауды талап етті.",
    "Комиссия 13208699 сом 92 тиын көлемінде мүлікті тәркіледі.",
    "Тексерілгендердің 19,5 %-ы қайта қабылданды, ал 3 адамнан айып алынды.",
    "Мұхтар Әуезов пен Міржақып Дулатов «Еңбекші қазақ» газетінде жазды.",
    "Әдебиеттер\n1. Қазақстан тарихы. – Алматы, 1998. – 552 б.\n2. ҚР Президент мұрағаты. 141-қор.",
]


def _json(doc: Document) -> dict:
    return json.loads(doc.to_json())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=5))
def test_every_layer_run_again_gives_the_same_document(pieces: list[str]) -> None:
    text = "\n".join(pieces)
    names = pipeline.DEFAULT_LAYERS
    for k, name in enumerate(names):
        once = pipeline.run(Document(text=text), names[:k + 1])
        before = _json(once)
        again = pipeline.layer(name)(once)
        assert _json(again) == before, name
    full = pipeline.analyze(text)
    first = _json(full)
    assert first["spans"], "the pieces hold entities and values"
    assert _json(pipeline.run(full)) == first  # the whole pipeline twice


def test_the_sample_article_is_unchanged_by_a_second_run(sample_text: str) -> None:
    doc = pipeline.analyze(sample_text)
    first = _json(doc)
    assert _json(pipeline.run(doc)) == first


@pytest.mark.parametrize(("names", "says"), [
    (("morph",), "needs text"),
    (("text", "values", "ner"), "must run after ner"),
    (("text", "facts", "cite"), "must run after cite"),
    (("text", "nosuch"), "unknown layer"),
])
def test_a_wrong_order_is_refused_with_the_reason(names, says, monkeypatch) -> None:
    monkeypatch.setattr(i18n, "_lang", "en")
    with pytest.raises(pipeline.PipelineError, match=says):
        pipeline.run(Document(text="Бір сөйлем."), names)


def test_a_layer_may_follow_on_a_document_that_already_ran_its_requirements() -> None:
    doc = pipeline.run(Document(text="1929 жылы Алматыда комиссия құрылды."), ("text",))
    doc = pipeline.run(doc, ("morph", "values"))
    assert doc.tokens[0].upos and any(s.layer == "value" for s in doc.spans)


def test_the_default_order_passes_its_own_check() -> None:
    assert [x.name for x in pipeline.check(pipeline.DEFAULT_LAYERS)] == list(pipeline.DEFAULT_LAYERS)
