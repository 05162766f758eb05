"""The vocabulary is data: every type has triggers, slots, an example and a test sentence that
gives it (issue 19's list of types, open to more)."""

from __future__ import annotations

import pytest

import muragat
from muragat.facts import vocabulary

ISSUE_TYPES = {
    "ARRESTED", "IMPRISONED", "EXILED", "SENTENCED_TO_DEATH", "EXECUTED", "CONVICTED",
    "SENTENCE_COMMUTED", "RELEASED", "ESCAPED", "DIED_IN_CUSTODY", "REHABILITATED",
    "EXPELLED_FROM_PARTY", "READMITTED_TO_PARTY", "REPRIMANDED", "DISMISSED",
    "PUNISHED_ADMINISTRATIVELY", "ACCUSED", "CONFISCATED", "COMMISSION_FORMED", "COMMISSION_SENT",
    "ANTI_SOVIET_AGITATION",
}


def test_every_type_the_issue_asks_for_is_there() -> None:
    labels = {e.label for e in vocabulary()}
    assert ISSUE_TYPES <= labels
    for e in vocabulary():
        assert e.patterns and e.slots and e.example and e.en


@pytest.mark.parametrize("etype", vocabulary(), ids=lambda e: e.label)
def test_the_test_sentence_gives_the_type(etype) -> None:
    sentence, label = etype.test
    doc = muragat.analyze(sentence)
    assert label in [s.label for s in doc.spans_of("event")], sentence


@pytest.mark.parametrize("etype", vocabulary(), ids=lambda e: e.label)
def test_the_example_gives_the_type(etype) -> None:
    doc = muragat.analyze(etype.example)
    assert etype.label in [s.label for s in doc.spans_of("event")], etype.example
