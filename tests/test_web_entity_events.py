"""An entity page lists the person's events in date order, the ones whose subject the events
layer carried from the paragraph (`ол`, or none written) included (issue 19, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("markupsafe")

import muragat  # noqa: E402
from muragat.store import content_hash, open_store  # noqa: E402
from muragat.web.views import build_snapshot, entity_page  # noqa: E402

# Written for this test: a life told out of order, the subject written once.
BIOGRAPHY = ("Сәрсен Жұмабеков 1898 жылы Семей губерниясында туған.\n"
             "1937 жылғы 12 қазанда ол тұтқындалды.\n"
             "1958 жылы ақталды.\n"
             "1938 жылы 5 наурызда оны атып тастады.\n")


def test_a_biography_s_events_come_in_date_order_with_inferred_subjects(tmp_path: Path) -> None:
    doc = muragat.analyze(BIOGRAPHY)
    with open_store(str(tmp_path / "m.db")) as store:
        store.add_document(doc, content_hash(doc.text), "bio.txt")
        snap = build_snapshot(store.mention_groups(("PERSON",)))
        ident = snap.entity_id("PERSON", "Сәрсен Жұмабеков")
        assert ident is not None
        page = entity_page(store, snap, ident)
    assert page is not None
    got = [(e["label"], e["attrs"]["date"]) for e in page["events"]]
    assert got == [("ARRESTED", "1937-10-12"), ("EXECUTED", "1938-03-05"),
                   ("REHABILITATED", "1958")]
    assert all(e["attrs"].get("subject_inferred") for e in page["events"])
