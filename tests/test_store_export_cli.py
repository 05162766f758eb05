"""Export (jsonl, conllu, TEI) and the store commands through click's CliRunner."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_helpers import DATA, add, hand_doc

from muragat.cli.app import cli
from muragat.export import export
from muragat.model import Document
from muragat.store import open_store

TEI = "{http://www.tei-c.org/ns/1.0}"
TEXT = ("Ғаббас Тоғжанов 1929 жылы Ойыл ауданында <болды> & 8 комиссия жіберілді.\n"
        "«Еңбекші қазақ» газеті жазды [5].\n"
        "Ойыл «басшыларының» қылығы // Еңбекші қазақ.")


def _doc() -> Document:
    doc = hand_doc(TEXT, [("Ғаббас Тоғжанов", "PERSON", "Ғаббас Тоғжанов"),
                          ("Ойыл ауданында", "LOCATION", "Ойыл ауданы"),
                          ("«Еңбекші қазақ»", "ORGANISATION", None)],
                   [("1929 жылы", "1929")])
    from muragat.model import Span

    at = TEXT.index("8 ")
    ref = TEXT.index("[5]")
    entry = TEXT.index("Ойыл «басшыларының»")
    doc.add_spans([Span("value", "CARDINAL", at, at + 1, {"value": 8}),
                   Span("citation", "CITATION", ref, ref + 3, {"ref": 5, "entry": 0}),
                   Span("bibliography", "ENTRY", entry, len(TEXT), {"number": 5})])
    return doc


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = str(tmp_path / "m.db")
    with open_store(url) as store:
        add(store, _doc(), "a.txt")
    return url


def test_tei_is_well_formed_escaped_and_marked_up(db: str) -> None:
    out = io.StringIO()
    with open_store(db, readonly=True) as store:
        assert export(store, "tei", out=out) == 1
    root = ET.fromstring(out.getvalue())
    body = root.find(f"{TEI}TEI/{TEI}text/{TEI}body")
    assert body is not None
    assert [e.text for e in body.iter(f"{TEI}persName")] == ["Ғаббас Тоғжанов"]
    assert [e.text for e in body.iter(f"{TEI}placeName")] == ["Ойыл ауданында"]
    assert [e.text for e in body.iter(f"{TEI}orgName")] == ["«Еңбекші қазақ»"]
    assert [e.get("when") for e in body.iter(f"{TEI}date")] == ["1929"]
    assert [e.get("value") for e in body.iter(f"{TEI}num")] == ["8"]
    (ref,) = body.iter(f"{TEI}ref")
    assert (ref.text, ref.get("target"), ref.get("n")) == ("[5]", "#bibl-0", "5")
    (bibl,) = body.iter(f"{TEI}bibl")
    assert bibl.get("{http://www.w3.org/XML/1998/namespace}id") == "bibl-0"
    assert "".join(bibl.itertext()) == "Ойыл «басшыларының» қылығы // Еңбекші қазақ."
    assert "<болды> &" in "".join(body.itertext())
    assert len(list(body.iter(f"{TEI}s"))) == 3


def test_jsonl_round_trips_and_conllu_has_unique_sentence_ids(db: str) -> None:
    out = io.StringIO()
    with open_store(db, readonly=True) as store:
        export(store, "jsonl", out=out)
        conllu = io.StringIO()
        export(store, "conllu", [1], out=conllu)
    back = Document.from_json(out.getvalue())
    assert back.text == TEXT and back.meta["id"] == 1
    assert [s.to_dict() for s in back.spans] == [s.to_dict() for s in _doc().spans]
    assert "# sent_id = 1-2" in conllu.getvalue()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_ingest_search_entities_show_export(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    code, _ = _run("ingest", str(DATA), "--db", db, "--no-progress", "--layers", "text")
    assert code == 0
    code, out = _run("ingest", str(DATA), "--db", db, "--json", "--no-progress")
    assert json.loads(out.splitlines()[-1])["skipped"] == 5
    code, out = _run("search", "Тоғжанов", "--db", db, "--json")
    data = json.loads(out)
    assert data["total"] == 3 and {"document", "start", "end", "text", "snippet"} <= set(
        data["hits"][0])
    code, out = _run("search", '"Ойыл ауданы"', "--db", db)
    assert "[Ойыл] [ауданындағы]" in out
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tТоғжанов\nq2\t=Тоғжановтың\n", encoding="utf-8")
    code, out = _run("search", "--batch", str(queries), "--db", db)
    lines = [json.loads(x) for x in out.splitlines()]
    assert [(x["id"], x["total"]) for x in lines] == [("q1", 3), ("q2", 1)]
    code, out = _run("search", "--batch", str(queries), "--trec", "--db", db)
    first = out.splitlines()[0].split()
    assert first[:2] == ["q1", "Q0"] and first[3] == "1"
    code, out = _run("show", "1", "--db", db)
    assert code == 0 and "Тоғжанов" in out
    code, out = _run("export", "--to", "tei", "--db", db)
    ET.fromstring(out)
    code, out = _run("entities", "--db", db, "--json")
    assert json.loads(out)["total"] == 0  # no NER layer ran


def test_cli_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("not a db")
    from muragat.cli.app import run

    for args, code in ((["search", "x", "--db", str(bad)], 4),
                       (["search", '"open', "--db", str(bad)], 4),
                       (["show", "1", "--db", str(tmp_path / "none.db")], 4)):
        with pytest.raises(SystemExit) as exc:
            run(args)
        assert exc.value.code == code


def test_parquet_corpus_with_metadata(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from muragat.batch import ingest

    table = pa.table({"text": ["Ойыл ауданы туралы.", "Қаратал ауданы туралы.", ""],
                      "year": [1929, 1930, 1931]})
    pq.write_table(table, tmp_path / "c.parquet")
    with open_store(str(tmp_path / "p.db")) as store:
        report = ingest(store, [tmp_path], ("text",), progress=False)
        assert (report.added, len(report.failures)) == (2, 1)
        years = sorted(store.doc_info(i).meta["year"] for i in store.document_ids())  # type: ignore[union-attr]
        assert years == [1929, 1930]


def test_real_morphology_makes_lemma_search_work_without_prefixes(tmp_path: Path) -> None:
    try:
        import muragat.morph  # noqa: F401
    except ImportError as exc:  # the layer is built by another issue
        pytest.skip(f"muragat.morph is not importable: {exc}")
    from muragat.batch import ingest
    from muragat.search import search

    with open_store(str(tmp_path / "morph.db")) as store:
        ingest(store, [DATA], ("text", "morph"), progress=False)
        found = [h.text for h in search(store, "Тоғжанов", prefix=False).hits]
        assert "Тоғжановтың мақаласы көп талқыланды." in found
        found = [h.text for h in search(store, "комиссия", prefix=False).hits]
        assert "Комиссиялар аудандардағы партия ұйымдарын тексерді." in found
        found = [h.text for h in search(store, '"Ойыл ауданы"', prefix=False).hits]
        assert any("Ойыл ауданындағы" in x for x in found)
