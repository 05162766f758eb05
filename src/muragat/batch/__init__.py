"""Batch: the pipeline over a whole corpus in parallel.

Workers only analyse; the driver reads the inputs and writes every result itself (one
writer: the store keeps one transaction per document, and a crash loses nothing already
written). Two engines run the same chunks: local processes (the default) and Ray, for a
cluster when one machine is not enough (`pip install 'muragat[batch]'`).

    from muragat.batch import make_engine, ingest_parallel
    with open_store("muragat.db") as store, make_engine("local", workers=4) as engine:
        report = ingest_parallel(store, ["corpus/"], engine)
"""

from __future__ import annotations

from muragat.batch.engines import Engine, LocalEngine, RayEngine, make_engine
from muragat.batch.run import JsonlSink, analyse_chunk, analyse_to_jsonl, ingest, ingest_parallel

__all__ = [
    "Engine",
    "JsonlSink",
    "LocalEngine",
    "RayEngine",
    "analyse_chunk",
    "analyse_to_jsonl",
    "ingest",
    "ingest_parallel",
    "make_engine",
]
