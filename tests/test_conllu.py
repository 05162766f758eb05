"""CoNLL-U in full: any valid file is read, tagged and written back with only LEMMA, UPOS and
FEATS changed (words with spaces, multiword tokens, empty nodes, comments, MISC kept)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from muragat import formats, pipeline
from muragat.cli.app import cli
from muragat.errors import EXIT_BAD_INPUT, InputError

# Written for these tests in KTB's conventions (not copied from the treebank).
SNIPPET = """# newdoc id = test
# sent_id = 1
# text = Ол мұны көрген емес, баласыз үйде.
1\tОл\tол\tPRON\tprn\tCase=Nom|Number=Sing|Person=3|PronType=Prs\t3\tnsubj\t_\t_
2\tмұны\tбұл\tPRON\tprn\tCase=Acc|PronType=Dem\t3\tobj\t_\t_
3\tкөрген емес\tкөр\tVERB\tv\tPolarity=Neg\t0\troot\t_\tSpaceAfter=No
4\t,\t,\tPUNCT\tcm\t_\t3\tpunct\t_\t_
5-6\tбаласыз\t_\t_\t_\t_\t_\t_\t_\t_
5\tбала\tбала\tNOUN\tn\t_\t7\tnmod\t_\t_
6\tсыз\tсыз\tADP\tpost\t_\t5\tcase\t_\t_
7\tүйде\tүй\tNOUN\tn\tCase=Loc\t3\tobl\t7:obl\tSpaceAfter=No|Gloss=at.home
7.1\tболды\tбол\tAUX\tv\t_\t_\t_\t3:aux\t_
8\t.\t.\tPUNCT\tsent\t_\t3\tpunct\t_\t_

# sent_id = 2
# a comment with	a tab
0.1\tбар\tбар\tADJ\tadj\t_\t_\t_\t1:dep\t_
1\tЕш нәрсені\tешнәрсе\tPRON\tprn\tCase=Acc\t0\troot\t_\tSpaceAfter=No
2\t!\t!\tPUNCT\tsent\t_\t1\tpunct\t_\t_
"""


def rest(line: str) -> list[str]:
    """A line's columns with LEMMA, UPOS and FEATS of a word line left out."""
    cols = line.split("\t")
    if formats.is_conllu_word(line):
        return cols[:2] + [cols[4]] + cols[6:]
    return cols


def assert_only_three_columns_changed(given_: str, out: str) -> None:
    a, b = given_.splitlines(), out.splitlines()
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert rest(x) == rest(y)


def test_every_construct_is_read_as_syntactic_words() -> None:
    doc = formats.read_conllu(SNIPPET)
    assert [doc.token_text(t) for t in doc.tokens] == [
        "Ол", "мұны", "көрген емес", ",", "бала", "сыз", "үйде", ".", "Еш нәрсені",
        "!"]
    assert len(doc.sentences) == 2
    # SpaceAfter=No of the word and of the multiword token shape the rebuilt text
    assert doc.text == "Ол мұны көрген емес, бала сыз үйде.\nЕш нәрсені!"


def test_writing_back_changes_only_lemma_upos_feats() -> None:
    doc = formats.read_conllu(SNIPPET)
    for tok in doc.tokens:
        tok.lemma, tok.upos, tok.feats = "L", "X", None
    out = formats.to_conllu(doc)
    assert_only_three_columns_changed(SNIPPET, out)
    lines = out.splitlines()
    assert lines[5].split("\t")[2:6] == ["L", "X", "v", "_"]  # the word with a space
    assert lines[11] == SNIPPET.splitlines()[11]  # the empty node as given
    assert lines[10].endswith("\t7:obl\tSpaceAfter=No|Gloss=at.home")
    assert "_conllu" not in doc.to_json()


def test_tagging_the_snippet_keeps_the_file_and_fills_every_word() -> None:
    doc = pipeline.run(formats.read_conllu(SNIPPET), ("text", "morph"))
    out = formats.to_conllu(doc)
    assert_only_three_columns_changed(SNIPPET, out)
    words = [ln.split("\t") for ln in out.splitlines() if formats.is_conllu_word(ln)]
    assert all(cols[2] != "_" and cols[3] != "_" for cols in words)
    by_form = {cols[1]: cols for cols in words}
    assert by_form["көрген емес"][2] == "көр"  # the lemma of the main verb, KTB's convention
    assert by_form[","][3] == "PUNCT"


@pytest.mark.parametrize(("raw", "line", "reason"), [
    ("1\tбала\tбала\n", 1, "10"),
    ("1\tа\t_\t_\t_\t_\t_\t_\t_\t_\n3\tә\t_\t_\t_\t_\t_\t_\t_\t_\n", 2, "expected word 2"),
    ("1\tа\t_\t_\t_\t_\t_\t_\t_\t_\n1\tә\t_\t_\t_\t_\t_\t_\t_\t_\n", 2, "blank line"),
    ("x\tа\t_\t_\t_\t_\t_\t_\t_\t_\n", 1, "bad ID"),
    ("1\t\t_\t_\t_\t_\t_\t_\t_\t_\n", 1, "empty FORM"),
    ("1\t  \t_\t_\t_\t_\t_\t_\t_\t_\n", 1, "empty FORM"),
    ("2-3\tаә\t_\t_\t_\t_\t_\t_\t_\t_\n1\tа\t_\t_\t_\t_\t_\t_\t_\t_\n", 1, "multiword"),
    ("# c\n1-2\tаә\t_\t_\t_\t_\t_\t_\t_\t_\n1\tа\t_\t_\t_\t_\t_\t_\t_\t_\n", 2, "missing"),
    ("1\tа\t_\t_\t_\t_\t_\t_\t_\t_\n2.1\tә\t_\t_\t_\t_\t_\t_\t_\t_\n", 2, "empty node"),
])
def test_a_malformed_file_gets_its_line_number_and_reason(raw: str, line: int, reason: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("muragat.i18n._lang", "en")
    with pytest.raises(InputError, match=reason) as info:
        formats.read_conllu(raw, "f.conllu")
    assert str(info.value).startswith(f"f.conllu: line {line}:")


def test_no_words_is_an_input_error() -> None:
    with pytest.raises(InputError):
        formats.read_conllu("# only a comment\n\n")


def test_cli_round_trip_and_kazakh_error_with_exit_3(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("muragat.i18n._lang", "kk")
    good = tmp_path / "good.conllu"
    good.write_text(SNIPPET, encoding="utf-8")
    res = CliRunner().invoke(cli, ["analyze", str(good), "--from", "conllu", "--to", "conllu",
                                   "--layers", "text,morph"])
    assert res.exit_code == 0, res.output
    assert_only_three_columns_changed(SNIPPET, res.stdout)
    bad = tmp_path / "bad.conllu"
    bad.write_text(SNIPPET.replace("7.1\t", "9.1\t"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from muragat.cli import main; main()",
                           "analyze", str(bad), "--from", "conllu", "--to", "conllu"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MURAGAT_LANG": "kk"})
    assert proc.returncode == EXIT_BAD_INPUT
    assert "12-жол" in proc.stderr and "Traceback" not in proc.stderr


# -- generated valid CoNLL-U -----------------------------------------------------------------
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                max_size=8)
_field = _text.filter(lambda s: s.strip() != "")  # a non-empty column, spaces allowed inside
_misc = st.sampled_from(["_", "SpaceAfter=No", "SpaceAfter=No|Gloss=x", "Translit=bala",
                         "SpacesAfter=\\n"])


def _cols(ident: str, form: str, misc: str, draw) -> str:
    other = [draw(_field) for _ in range(6)]
    return "\t".join([ident, form, other[0], other[1], other[2], other[3], other[4], other[5],
                      draw(st.sampled_from(["_", "2:nsubj", "0:root|3:obj"])), misc])


@st.composite
def sentence(draw) -> list[str]:
    lines = ["# " + draw(_text) for _ in range(draw(st.integers(0, 2)))]
    n = draw(st.integers(1, 6))
    if draw(st.integers(0, 5)) == 0:  # an empty node before the first word
        lines.append(_cols("0.1", draw(_field), "_", draw))
    i = 1
    while i <= n:
        if i < n and draw(st.booleans()):  # a multiword token over words i..j
            j = draw(st.integers(i + 1, n))
            lines.append(_cols(f"{i}-{j}", draw(_field), draw(_misc), draw))
            for k in range(i, j + 1):
                lines.append(_cols(str(k), draw(_field), "_", draw))
            i = j + 1
        else:
            lines.append(_cols(str(i), draw(_field), draw(_misc), draw))
            i += 1
        if draw(st.integers(0, 4)) == 0:  # an empty node after the last word
            lines.append(_cols(f"{i - 1}.1", draw(_field), "_", draw))
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentence(), min_size=1, max_size=4), st.booleans())
def test_generated_conllu_round_trips_but_for_lemma_upos_feats(sents: list[list[str]],
                                                               extra_blank: bool) -> None:
    raw = ("\n\n" if not extra_blank else "\n\n\n").join("\n".join(s) for s in sents) + "\n\n"
    doc = formats.read_conllu(raw)
    words = [ln for s in sents for ln in s if formats.is_conllu_word(ln)]
    assert [doc.token_text(t) for t in doc.tokens] == [ln.split("\t")[1] for ln in words]
    assert len(doc.sentences) == len(sents)
    for k, tok in enumerate(doc.tokens):
        tok.lemma, tok.upos, tok.feats = f"l{k}", "NOUN", f"Case=Nom|N={k}" if k % 2 else None
    out = formats.to_conllu(doc)
    assert_only_three_columns_changed(raw, out)
    filled = [ln.split("\t") for ln in out.splitlines() if formats.is_conllu_word(ln)]
    assert [c[2] for c in filled] == [f"l{k}" for k in range(len(words))]
    assert [c[5] for c in filled] == [f"Case=Nom|N={k}" if k % 2 else "_"
                                      for k in range(len(words))]
    again = formats.read_conllu(out)  # what was written reads as the same words and text
    assert again.text == doc.text and len(again.tokens) == len(doc.tokens)
