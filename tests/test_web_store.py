"""`Store.dated_spans()`, the timeline's one query, on both backends."""

from __future__ import annotations

import pytest
from store_helpers import BACKENDS, add, hand_doc

from muragat.model import Span
from muragat.store import Store

pytest_plugins = ["store_fixtures"]  # the store / store_url fixtures
pytestmark = pytest.mark.parametrize("store_url", BACKENDS, indirect=True)

TEXT = "Ойыл ауданы 1929 жылы құрылды.\nСол жылы 12 адам шығарылды.\nБасқа сөйлем."


def test_dated_spans_gives_dates_and_events_with_their_sentence(store: Store) -> None:
    doc = hand_doc(TEXT, [("Ойыл ауданы", "GPE", "Ойыл ауданы")], [("1929 жылы", "1929")])
    at = TEXT.index("шығарылды")
    doc.add_spans([Span("event", "EXPELLED", at, at + len("шығарылды"),
                        {"date": "1929", "count": 12, "places": ["Ойыл"]})])
    doc_id = add(store, doc)
    add(store, hand_doc("Күні жоқ мәтін.\n"))
    found = store.dated_spans()
    assert [(s.document, s.layer, s.label, s.sentence) for s in found] == [
        (doc_id, "value", "DATE", 0), (doc_id, "event", "EXPELLED", 1)]
    date, event = found
    assert date.attrs == {"value": "1929"}
    assert event.attrs["count"] == 12 and event.attrs["places"] == ["Ойыл"]
    for s in found:
        assert s.sentence_text == TEXT.split("\n")[s.sentence]
        lo = s.start - s.sentence_start
        assert s.sentence_text[lo : lo + s.end - s.start] == TEXT[s.start : s.end]


def test_dated_spans_of_an_empty_store(store: Store) -> None:
    assert store.dated_spans() == []
