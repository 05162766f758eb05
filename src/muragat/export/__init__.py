"""Export stored documents: JSON lines, CoNLL-U, TEI P5 XML.

    from muragat.export import export
    export(store, "tei", out=sys.stdout)          # the whole store
    export(store, "jsonl", [3, 7], out=fh)        # two documents
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from muragat.errors import InputError
from muragat.export import tei
from muragat.formats import to_conllu
from muragat.i18n import t
from muragat.model import Document
from muragat.store.base import Store

FORMATS = ("jsonl", "conllu", "tei")


def _with_store_meta(doc: Document, doc_id: int, store: Store) -> Document:
    info = store.doc_info(doc_id)
    doc.meta = {**doc.meta, "id": doc_id}
    if info is not None:
        doc.meta.setdefault("source", info.source)
        doc.meta["hash"] = info.hash
    return doc


def _unique_sent_ids(conllu: str, doc_id: int) -> str:
    """`# sent_id = 3` -> `# sent_id = 7-3`: ids stay unique across documents in one file."""
    prefix = "# sent_id = "
    return "\n".join(prefix + f"{doc_id}-" + ln[len(prefix):] if ln.startswith(prefix) else ln
                     for ln in conllu.split("\n"))


def export(store: Store, fmt: str, doc_ids: Iterable[int] | None = None,
           out: TextIO | None = None) -> int:
    """Write documents (all when `doc_ids` is None) to `out`; how many were written."""
    import sys

    if fmt not in FORMATS:
        raise InputError(t(f"белгісіз пішім: {fmt}", f"unknown format: {fmt}"))
    stream = out or sys.stdout
    ids = store.document_ids() if doc_ids is None else list(doc_ids)
    if fmt == "tei":
        stream.write(tei.corpus_header())
    n = 0
    for doc_id in ids:
        doc = _with_store_meta(store.get_document(doc_id), doc_id, store)
        if fmt == "jsonl":
            stream.write(doc.to_json() + "\n")
        elif fmt == "conllu":
            stream.write(f"# newdoc id = {doc_id}\n" + _unique_sent_ids(to_conllu(doc), doc_id))
        else:
            stream.write(tei.document_xml(doc, str(doc.meta.get("source") or doc_id)))
        n += 1
    if fmt == "tei":
        stream.write(tei.CORPUS_FOOTER)
    return n
