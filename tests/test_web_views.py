"""The web layer's pure parts: escaping, date bounds, entity lookup (no FastAPI needed)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("markupsafe")  # comes with the `web` extra (Jinja2)

from muragat.model import Document, Range, Span  # noqa: E402
from muragat.search.entities import MentionGroup  # noqa: E402
from muragat.web.markup import document_blocks, mark  # noqa: E402
from muragat.web.text import bilingual, choose, label  # noqa: E402
from muragat.web.views import (  # noqa: E402
    _at_least,
    build_snapshot,
    date_bounds,
    document_timeline,
    is_iso_prefix,
)

TAG = re.compile(r"<[^>]*>")
TEXT = st.text(alphabet=st.sampled_from(list("аәбғқ <>&\"'/=\n.") + ["ы", "Ү"]), max_size=60)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.tags += [f"@{name}" for name, _ in attrs if name.startswith("on")]


def tags(markup: str) -> list[str]:
    parser = Tags()
    parser.feed(markup)
    return parser.tags


def visible(markup: str) -> str:
    return html.unescape(TAG.sub("", markup))


@settings(max_examples=150, deadline=None)
@given(TEXT, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4))
def test_mark_escapes_and_keeps_text(text: str, marks: list[tuple[int, int]]) -> None:
    out = str(mark(text, marks))
    assert visible(out) == text
    assert set(tags(out)) <= {"mark"}


@st.composite
def documents(draw):  # type: ignore[no-untyped-def]
    text = draw(TEXT.filter(lambda s: s.strip()))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, n))
        layer = draw(st.sampled_from(["ner", "value", "citation", "event", "section"]))
        label_ = draw(st.sampled_from(["PERSON", "DATE", 'X"><script>', "BODY"]))
        attrs = draw(st.sampled_from([{}, {"value": "<b>1929</b>"}, {"entry_start": a},
                                      {"lemma": '"onmouseover=x'}]))
        spans.append(Span(layer, label_, a, b, attrs))
    cut = draw(st.integers(0, n))
    paragraphs = [Range(0, cut), Range(cut, n)] if 0 < cut < n else [Range(0, n)]
    doc = Document(text=text, paragraphs=paragraphs, sentences=list(paragraphs))
    doc.add_spans(spans)
    return doc


@settings(max_examples=150, deadline=None)
@given(documents())
def test_document_blocks_escape_everything_and_keep_the_text(doc: Document) -> None:
    entity_of = {i: '"><script>x' for i, s in enumerate(doc.spans) if s.layer == "ner"}
    blocks = document_blocks(doc, entity_of, lambda ident: "/entities/" + ident)
    texts = [b for b in blocks if b.kind == "text"]
    for b in texts:
        assert visible(str(b.html)) == doc.text[b.start : b.end].strip()
        assert set(tags(str(b.html))) <= {"span", "a"}
    # Nothing of the text is lost: the blocks cover every non-space character, in order.
    shown = "".join(visible(str(b.html)) for b in texts)
    assert re.sub(r"\s", "", shown) == re.sub(r"\s", "", doc.text)


def test_citation_links_to_its_entry_anchor() -> None:
    text = "Дерек бар [1].\n1 Кітап. – Алматы, 1998."
    entry = text.index("1 Кітап")
    doc = Document(text=text, paragraphs=[Range(0, 14), Range(15, len(text))])
    doc.add_spans([Span("citation", "CITATION", 10, 13, {"ref": 1, "entry_start": entry}),
                   Span("section", "BIBLIOGRAPHY", entry, len(text)),
                   Span("bibliography", "ENTRY", entry, len(text), {"number": 1})])
    blocks = document_blocks(doc, {}, str)
    out = "".join(str(b.html) for b in blocks)
    assert f'href="#bib-{entry}"' in out and f'id="bib-{entry}"' in out
    assert [b.label for b in blocks if b.kind == "section"] == ["BIBLIOGRAPHY"]


def test_date_bounds() -> None:
    assert date_bounds("1929") == ("1929", "1929")
    assert date_bounds("1928-12-02/1928-12-07") == ("1928-12-02", "1928-12-07")
    assert date_bounds("1930/1931") == ("1930", "1931")
    assert date_bounds("XXXX-05") is None and date_bounds("") is None
    assert is_iso_prefix("1930-06") and not is_iso_prefix("1930-6")
    assert _at_least("1930", "1930-06") and not _at_least("1929-12-31", "1930")


def test_document_timeline_keeps_dated_items_with_offsets() -> None:
    text = "1929 жылы 12 адам шығарылды. Кейін белгісіз уақытта."
    doc = Document(text=text, sentences=[Range(0, 28), Range(29, len(text))])
    doc.add_spans([Span("value", "DATE", 0, 9, {"value": "1929"}),
                   Span("event", "EXPELLED", 18, 27, {"date": "1929", "count": 12}),
                   Span("value", "DATE", 35, 52, {"value": "PAST_REF"}),
                   Span("event", "PUNISHED", 35, 40, {})])
    items = document_timeline(doc, 7)
    # the event and the DATE that dates it are one item: the event, with the date's words
    assert [(x["kind"], x["label"], x["document"], x["sentence"]) for x in items] == [
        ("event", "EXPELLED", 7, 0)]
    assert items[0]["date_text"] == "1929 жылы" and items[0]["attrs"]["count"] == 12
    for x in items:
        assert text[x["start"] : x["end"]] == x["text"]
        assert x["sentence_text"][x["start"] - x["sentence_start"]:].startswith(x["text"])


def test_snapshot_maps_mentions_to_entities() -> None:
    groups = [MentionGroup("PERSON", "тоғжанов", "Ғаббас Тоғжанов", 1, 1),
              MentionGroup("PERSON", "тоғжанов", "Ғ. Тоғжанов", 2, 2),
              MentionGroup("PERSON", "тоғжанов", "Тоғжанов", 2, 1),
              MentionGroup("GPE", "ойыл", "Ойыл", 2, 1)]
    snap = build_snapshot(groups)
    person = snap.entity_id("PERSON", "Тоғжанов")
    assert person is not None
    assert snap.entity_id("PERSON", "Ғ. Тоғжанов") == person
    assert snap.documents[person] == [1, 2]
    assert snap.by_id[person].mentions == 4
    assert snap.entity_id("GPE", "Ойыл") != person
    assert snap.entity_id("PERSON", "Жоқ") is None


def test_language_choice_and_labels() -> None:
    assert choose(None, None) == "kk"
    assert choose("en", "kk") == "en"
    assert choose("fr", "en") == "en"
    assert label("PERSON", "kk") == "Адам" and label("PERSON", "en") == "Person"
    assert label("UNKNOWN_X", "en") == "UNKNOWN_X"


def test_bilingual_gives_both_texts_and_restores_language() -> None:
    from muragat import i18n
    from muragat.search import parse

    before = i18n.language()
    msg = bilingual(lambda: parse("..."))
    assert msg is not None and msg["kk"] != msg["en"]
    assert "query" in msg["en"]
    assert i18n.language() == before
    assert bilingual(lambda: None) is None


def test_sample_article_citations_link_to_entries(sample_text: str) -> None:
    """On the acceptance article every linked citation points at an anchor on the page."""
    from muragat import analyze

    doc = analyze(sample_text)
    out = "".join(str(b.html) for b in document_blocks(doc, {}, str))
    linked = {s.attrs["entry_start"] for s in doc.spans
              if s.layer == "citation" and isinstance(s.attrs.get("entry_start"), int)}
    assert linked, "the cite layer linked no citation"
    for start in linked:
        assert f'href="#bib-{start}"' in out and f'id="bib-{start}"' in out
    assert len(re.findall(r'id="s-\d+"', out)) == len(doc.sentences)
    assert re.sub(r"\s", "", visible(out)) == re.sub(r"\s", "", doc.text)


def test_timeline_keeps_a_date_no_event_claims_and_merges_the_one_it_does() -> None:
    text = "1936 жылғы 1 тамызға дейін шығарылды. 1928–1937 жылдары сотталды. 1930 жылы болды."
    a, b = text.index("1928"), text.index("1930")
    doc = Document(text=text, sentences=[Range(0, a - 1), Range(a, b - 1), Range(b, len(text))])
    doc.add_spans([
        Span("ner", "DATE", 0, 26, {"value": "1936-08-01", "mod": "BEFORE"}),
        Span("event", "EXPELLED", 27, 36, {"date": "1936-08-01", "date_mod": "BEFORE"}),
        Span("ner", "DATE", a, a + 17, {"value": "1928/1937"}),
        Span("event", "CONVICTED", a + 18, a + 26, {"date": "1928/1937"}),
        Span("ner", "DATE", b, b + 9, {"value": "1930"}),
        # a DATE with another date than the event's is an item of its own
        Span("event", "PUNISHED", b + 10, b + 15, {"date": "1931"})])
    items = document_timeline(doc, 1)
    assert [(x["kind"], x["date"]) for x in items] == [
        ("event", "1928/1937"), ("date", "1930"), ("event", "1931"), ("event", "1936-08-01")]
    assert items[-1]["mod"] == "BEFORE" and items[-1]["date_text"] == "1936 жылғы 1 тамызға дейін"


def test_date_words_show_before_after_and_ranges() -> None:
    from muragat.web.dates import date_words

    assert date_words("1936-08-01", "BEFORE", "kk") == "1936 ж. 1 тамызға дейін"
    assert date_words("1936-08-01", "BEFORE", "en") == "before 1 August 1936"
    assert date_words("1930", "AFTER", "kk") == "1930 жылдан кейін"
    assert date_words("1929-03-05", "AFTER", "kk") == "1929 ж. 5 наурыздан кейін"
    assert date_words("1928/1937", None, "kk") == "1928–1937"
    assert date_words("1928/1937", None, "en") == "1928–1937"
    assert date_words("1936-08", None, "kk") == "1936 ж. тамыз"
    assert date_words("1929", None, "kk") == "1929 ж."


def test_public_source_and_title() -> None:
    from muragat.web.names import public_source, title_from

    assert public_source("/srv/archive/x/01.txt") == "01.txt"
    assert public_source("C:\\data\\a.txt") == "a.txt"
    assert public_source("../up/a.txt") == "a.txt"
    assert public_source("demo/01.txt") == "demo/01.txt"
    assert public_source("/srv/rows.jsonl#3") == "rows.jsonl#3"
    assert public_source("<api>") == "<api>" and public_source(None) is None
    assert title_from({"title": "  Хат \n 1929 "}, "x", "a.txt") == "Хат 1929"
    assert title_from({}, "\n\n  Ойыл ауданы туралы\nМәтін.", "/a/b.txt") == "Ойыл ауданы туралы"
    assert title_from({}, "ұзын " * 100, "/a/b.txt") == "b.txt"
    long_line = "1930 жылдың көктемінде Семей округтік партия комитеті ауылдық ұяшықтарды тексеру үшін"
    short = title_from({}, long_line + "\n", None)
    assert short.endswith("…") and len(short) <= 81 and long_line.startswith(short[:-1])
