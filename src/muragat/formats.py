"""Documents in and out of the formats tools and people use: CoNLL-U, BIO, plain text.

Pre-tokenized input keeps its tokens and sentences: the document text is rebuilt from the
given forms, and a CoNLL-U document remembers its original lines so that writing it back
only fills LEMMA, UPOS and FEATS (what UD evaluation compares), leaving the rest as given.
"""

from __future__ import annotations

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


def _check_form(form: str, where: str) -> str:
    if not form or any(c.isspace() for c in form):
        raise InputError(t(f"{where}: бос немесе бос орны бар токен", f"{where}: empty token or token with spaces"))
    return form


# -- CoNLL-U ---------------------------------------------------------------------------
def read_conllu(raw: str, name: str = "<input>") -> Document:
    """A document whose tokens are the syntactic words (integer IDs) of `raw`."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in raw.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    sentences: list[list[tuple[str, bool]]] = []
    for b, block in enumerate(blocks, 1):
        words: list[tuple[str, bool]] = []
        for line in block:
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise InputError(t(
                    f"{name}: {b}-сөйлем: CoNLL-U жолында 10 баған болуы керек: {line[:60]!r}",
                    f"{name}: sentence {b}: a CoNLL-U line needs 10 columns: {line[:60]!r}",
                ))
            if not cols[0].isdigit():
                continue  # multiword ranges and empty nodes stay in the original lines
            form = _check_form(cols[1], f"{name}: {b}")
            words.append((form, "SpaceAfter=No" not in cols[9]))
        if words:
            sentences.append(words)
    if not sentences:
        raise InputError(t(f"{name}: CoNLL-U ішінде сөз жоқ", f"{name}: no words in CoNLL-U input"))
    doc = _document_from_sentences(sentences)
    doc.meta["_conllu"] = [block for block in blocks if any(
        not ln.startswith("#") and ln.split("\t")[0].isdigit() for ln in block)]
    return doc


def _field(value: str | None) -> str:
    return value if value else "_"


def to_conllu(doc: Document) -> str:
    """CoNLL-U: fills the original lines if the document came from CoNLL-U."""
    if "_conllu" in doc.meta:
        return _fill_conllu(doc, doc.meta["_conllu"])
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


def _fill_conllu(doc: Document, blocks: list[list[str]]) -> str:
    tokens = iter(doc.tokens)
    out: list[str] = []
    for block in blocks:
        for line in block:
            cols = line.split("\t")
            if not line.startswith("#") and cols[0].isdigit():
                tok = next(tokens)
                cols[2], cols[3], cols[5] = _field(tok.lemma), _field(tok.upos), _field(tok.feats)
                line = "\t".join(cols)
            out.append(line)
        out.append("")
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
