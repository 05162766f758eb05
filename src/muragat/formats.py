"""Documents in and out of the formats tools and people use: CoNLL-U, BIO, plain text.

Pre-tokenized input keeps its tokens and sentences: the document text is rebuilt from the
given forms, and a CoNLL-U document remembers its original lines so that writing it back
only fills LEMMA, UPOS and FEATS (what UD evaluation compares), leaving the rest as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from muragat.errors import InputError
from muragat.i18n import t
from muragat.model import Document, Range, Span, Token  # noqa: F401  (re-exported for callers)

NER_LAYER = "ner"


# -- building documents from given tokens ----------------------------------------------
def _document_from_sentences(sentences: list[list[tuple[str, bool]]]) -> Document:
    """A document from (form, space_after) sentences; sentences are separated by newlines."""
    parts: list[str] = []
    tokens: list[Token] = []
    ranges: list[Range] = []
    pos = 0
    for sent in sentences:
        if parts:
            parts.append("\n")
            pos += 1
        start = pos
        for i, (form, space_after) in enumerate(sent):
            tokens.append(Token(pos, pos + len(form), form))
            parts.append(form)
            pos += len(form)
            if space_after and i < len(sent) - 1:
                parts.append(" ")
                pos += 1
        ranges.append(Range(start, pos))
    text = "".join(parts)
    return Document(text=text, paragraphs=[Range(0, len(text))] if text else [],
                    sentences=ranges, tokens=tokens)


# -- CoNLL-U ---------------------------------------------------------------------------
# UD's ID column: a syntactic word (1, 2, ...), a multiword token's range (3-4), or an empty
# node (8.1, after word 8; 0.1 before the first word).
_WORD_ID = re.compile(r"[1-9][0-9]*")
_RANGE_ID = re.compile(r"([1-9][0-9]*)-([1-9][0-9]*)")
_EMPTY_ID = re.compile(r"(0|[1-9][0-9]*)\.([1-9][0-9]*)")


def _malformed(name: str, n: int, kk: str, en: str) -> InputError:
    return InputError(t(f"{name}: {n}-жол: {kk}", f"{name}: line {n}: {en}"))


def is_conllu_word(line: str) -> bool:
    """A syntactic-word line (integer ID): the lines whose LEMMA, UPOS and FEATS are filled."""
    return not line.startswith("#") and _WORD_ID.fullmatch(line.split("\t", 1)[0]) is not None


class _Sentence:
    """The state of the sentence being read: the next word ID, the open multiword range."""

    def __init__(self) -> None:
        self.words: list[tuple[str, bool]] = []
        self.range_end = 0  # last word of the open multiword token (0: none)
        self.range_space = True  # the multiword token's own SpaceAfter
        self.start_line = 0  # where the open multiword token was given

    def add(self, cols: list[str], name: str, n: int) -> None:
        ident, form, misc = cols[0], cols[1], cols[9]
        expected = len(self.words) + 1
        if m := _RANGE_ID.fullmatch(ident):
            first, last = int(m[1]), int(m[2])
            if first != expected or last <= first or self.range_end:
                raise _malformed(name, n, f"көп сөзді токен {ident}: {expected}-сөзден басталуы керек",
                                 f"multiword token {ident}: must start at word {expected} "
                                 "and span two words or more")
            self.range_end, self.start_line = last, n
            self.range_space = "SpaceAfter=No" not in misc.split("|")
            return
        if m := _EMPTY_ID.fullmatch(ident):
            if int(m[1]) != expected - 1:
                raise _malformed(name, n, f"бос түйін {ident} {expected - 1}-сөзден кейін болуы керек",
                                 f"empty node {ident} must follow word {expected - 1}")
            return  # empty nodes are kept in the original lines, not tagged
        if not _WORD_ID.fullmatch(ident):
            raise _malformed(name, n, f"ID бағаны дұрыс емес: {ident!r}",
                             f"bad ID {ident!r} (a word number, a range 3-4 or an empty node 8.1)")
        if int(ident) != expected:
            raise _malformed(name, n, f"{expected}-сөз күтілді, {ident} келді",
                             f"expected word {expected}, found {ident} (a blank line must end "
                             "each sentence)")
        if not form.strip():
            raise _malformed(name, n, "FORM бағаны бос", "empty FORM")
        if self.range_end and expected < self.range_end:
            space = True  # parts of one written token stay separate words of the text
        elif self.range_end == expected:
            space, self.range_end = self.range_space, 0
        else:
            space = "SpaceAfter=No" not in misc.split("|")
        self.words.append((form, space))

    def close(self, name: str) -> list[tuple[str, bool]]:
        if self.range_end:
            raise _malformed(name, self.start_line,
                             f"көп сөзді токеннің {self.range_end}-сөзі жоқ",
                             f"the multiword token's word {self.range_end} is missing")
        return self.words


def read_conllu(raw: str, name: str = "<input>") -> Document:
    """A document whose tokens are the syntactic words (integer IDs) of `raw`, any valid
    CoNLL-U: words with spaces, multiword tokens, empty nodes, comments and MISC are kept in
    the original lines, which `to_conllu` writes back with LEMMA, UPOS and FEATS filled."""
    lines = raw.splitlines()
    sentences: list[list[tuple[str, bool]]] = []
    sent = _Sentence()
    for n, line in enumerate(lines, 1):
        if not line.strip():  # a blank line ends the sentence
            if sent.words:
                sentences.append(sent.close(name))
            sent = _Sentence()
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise _malformed(name, n, f"CoNLL-U жолында 10 баған болуы керек, {len(cols)} бар: "
                             f"{line[:60]!r}",
                             f"a CoNLL-U line needs 10 tab-separated columns, found "
                             f"{len(cols)}: {line[:60]!r}")
        sent.add(cols, name, n)
    if sent.words:
        sentences.append(sent.close(name))
    if not sentences:
        raise InputError(t(f"{name}: CoNLL-U ішінде сөз жоқ", f"{name}: no words in CoNLL-U input"))
    doc = _document_from_sentences(sentences)
    doc.meta["_conllu"] = lines
    return doc


def _field(value: str | None) -> str:
    return value if value else "_"


def to_conllu(doc: Document) -> str:
    """CoNLL-U: fills the original lines if the document came from CoNLL-U."""
    lines = doc.meta.get("_conllu")
    if lines is not None and sum(map(is_conllu_word, lines)) == len(doc.tokens):
        return _fill_conllu(doc, lines)
    out: list[str] = []
    for n, (sent, toks) in enumerate(doc.sentence_tokens(), 1):
        out.append(f"# sent_id = {n}")
        out.append("# text = " + " ".join(doc.text[sent.start:sent.end].split()))
        for i, tok in enumerate(toks, 1):
            mwt = tok.misc.get("mwt")
            if mwt and mwt[0] == tok.start:  # a two-word form: UD's range line first
                last = i + sum(1 for t in toks[i:] if t.misc.get("mwt") == mwt)
                out.append(f"{i}-{last}\t{doc.text[mwt[0]:mwt[1]]}\t_\t_\t_\t_\t_\t_\t_\t_")
            misc = [f"TokenRange={tok.start}:{tok.end}"]
            nxt = toks[i] if i < len(toks) else None
            if nxt is not None and nxt.start == tok.end:
                misc.insert(0, "SpaceAfter=No")
            cols = [str(i), doc.token_text(tok), _field(tok.lemma), _field(tok.upos), "_",
                    _field(tok.feats), "_", "_", "_", "|".join(misc)]
            out.append("\t".join(cols))
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def _fill_conllu(doc: Document, lines: list[str]) -> str:
    """The original lines, LEMMA/UPOS/FEATS of each syntactic word from its token."""
    tokens = iter(doc.tokens)
    out: list[str] = []
    for line in lines:
        if is_conllu_word(line):
            cols = line.split("\t")
            tok = next(tokens)
            cols[2], cols[3], cols[5] = _field(tok.lemma), _field(tok.upos), _field(tok.feats)
            line = "\t".join(cols)
        out.append(line)
    return "\n".join(out) + "\n"


# -- BIO (CoNLL-2002 style) ------------------------------------------------------------
def read_bio(raw: str, name: str = "<input>") -> Document:
    """`token [label]` lines, blank lines between sentences; given labels are ignored."""
    sentences: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    for line in raw.splitlines():
        fields = line.split()
        if not fields:
            if current:
                sentences.append(current)
                current = []
            continue
        if line.startswith("-DOCSTART-"):
            continue
        current.append((fields[0], True))
    if current:
        sentences.append(current)
    if not sentences:
        raise InputError(t(f"{name}: BIO ішінде токен жоқ", f"{name}: no tokens in BIO input"))
    return _document_from_sentences(sentences)


def bio_labels(doc: Document, layer: str = NER_LAYER) -> list[str]:
    """One IOB2 label per token from the spans of `layer`."""
    labels = ["O"] * len(doc.tokens)
    starts = {tok.start: i for i, tok in enumerate(doc.tokens)}
    ends = {tok.end: i for i, tok in enumerate(doc.tokens)}
    for span in doc.spans_of(layer):
        first, last = starts.get(span.start), ends.get(span.end)
        if first is None or last is None:
            continue  # a span not on token boundaries cannot be written as BIO
        labels[first] = f"B-{span.label}"
        for i in range(first + 1, last + 1):
            labels[i] = f"I-{span.label}"
    return labels


def to_bio(doc: Document, layer: str = NER_LAYER) -> str:
    labels = bio_labels(doc, layer)
    out: list[str] = []
    for a, b in doc.sentence_token_ranges():
        for i in range(a, b):
            out.append(f"{doc.token_text(doc.tokens[i])} {labels[i]}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


# -- plain text for people -------------------------------------------------------------
_SHOWN_LAYERS = ("ner", "value", "citation", "event")


def _span_line(doc: Document, span: Span) -> str:
    attrs = {k: v for k, v in span.attrs.items() if v not in (None, "", [], {})}
    detail = ", ".join(f"{k}={v}" for k, v in attrs.items())
    quoted = " ".join(doc.text[span.start:span.end].split())
    return f"    [{span.layer}:{span.label}] {quoted}" + (f"  ({detail})" if detail else "")


def to_text(doc: Document, layers: Iterable[str] = _SHOWN_LAYERS) -> str:
    """Sentences one per line, paragraphs apart, each followed by its annotations."""
    wanted = set(layers)
    shown = sorted((s for s in doc.spans if s.layer in wanted), key=lambda s: s.start)
    out: list[str] = []
    para_ends = {p.end for p in doc.paragraphs}
    k = 0
    for sent in doc.sentences:
        out.append(" ".join(doc.text[sent.start:sent.end].split()))
        while k < len(shown) and shown[k].start < sent.end:
            if shown[k].start >= sent.start:
                out.append(_span_line(doc, shown[k]))
            k += 1
        if sent.end in para_ends:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
