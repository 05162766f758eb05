"""Events a historian asks about, read off sentences written like the archive's prose."""

from __future__ import annotations

from muragat import facts, text
from muragat.model import Document, Span


def _doc(raw: str, spans: list[Span] = ()) -> Document:
    doc = text.annotate(Document(text=raw))
    doc.add_spans(list(spans))
    return facts.annotate(doc)


def _events(doc: Document) -> list[tuple[str, object]]:
    return [(s.label, s.attrs.get("count")) for s in doc.spans_of("event")]


def test_expelled_and_readmitted_with_counts() -> None:
    doc = _doc(
        "Комиссия партия қатарынан 47 коммунисті шығарды. "
        "Кейін тағы 12 мүше партиядан шығарылған. "
        "Шығарылғандардың 19-ы қайтадан партия қатарына қабылданды."
    )
    assert _events(doc) == [("EXPELLED", 47), ("EXPELLED", 12), ("READMITTED", 19)]


def test_a_list_of_clauses_gives_one_event_each() -> None:
    doc = _doc("Науқанда 900 адам жазаланды, 120 адам сотталды, 35 адам тұтқындалды.")
    assert _events(doc) == [("PUNISHED", 900), ("CONVICTED", 120), ("ARRESTED", 35)]


def test_issuing_laws_is_not_an_expulsion() -> None:
    doc = _doc("Үкімет көшуге тыйым салатын заңдар шығарды.")
    assert _events(doc) == []


def test_arguments_come_from_the_other_layers() -> None:
    raw = "1930 жылы Ырғыз ауданында 23 адам сотталды [4, 112-б.]."
    doc = _doc(
        raw,
        [
            Span("value", "DATE", 0, 9, {"value": "1930"}),
            Span("value", "CARDINAL", 26, 28, {"value": 23}),
            Span("ner", "GPE", 10, 25, {"lemma": "Ырғыз ауданы"}),
            Span("citation", "CITATION", 41, 54, {"ref": 4, "pages": "112"}),
        ],
    )
    (event,) = doc.spans_of("event")
    assert raw[event.start:event.end] == "сотталды"
    assert event.attrs["count"] == 23
    assert event.attrs["date"] == "1930"
    assert event.attrs["places"] == ["Ырғыз ауданы"]
    assert (event.attrs["ref"], event.attrs["pages"]) == (4, "112")


def test_date_is_inherited_from_the_paragraph_when_the_sentence_has_none() -> None:
    raw = "1931 жылы наразылық басталды. Кейін 9 адам сотталды."
    doc = _doc(raw, [Span("value", "DATE", 0, 9, {"value": "1931"})])
    (event,) = doc.spans_of("event")
    assert event.attrs["date"] == "1931" and event.attrs["date_from"] == "context"
