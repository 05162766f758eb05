"""Coverage-guided fuzzing (atheris, libFuzzer) of the text layer and the readers; optional.

    pip install atheris          # a prebuilt wheel for CPython 3.11 on Linux x86-64
    .venv/bin/python scripts/fuzz_atheris.py -max_total_time=300 corpus_dir/
    .venv/bin/python scripts/fuzz_atheris.py -atheris_runs=20000

The first byte of each input picks the target: `muragat.analyze` on the rest decoded as
UTF-8 (surrogates passed through), `io.decode` + analyze on the raw bytes, `read_conllu`,
`read_bio`, and `extract.extract_bytes` (PDF, DOCX, HTML and image headers are seeded in the
corpus below, so libFuzzer mutates real formats, not only text). A crash is any exception
other than `MuragatError`, or a Document that breaks the properties of
scripts/reliability.py (`document_problems`). libFuzzer's own flags bound the run
(`-max_total_time`, `-atheris_runs`, `-rss_limit_mb`, default 2048, `-timeout` per input).
The bounded rows of scripts/reliability.py stay the CI check; this is for long runs by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

try:
    import atheris
except ImportError:
    sys.exit("atheris is not installed: .venv/bin/pip install atheris (not a dependency of "
             "muragat; the fuzz rows of scripts/reliability.py need nothing more)")

from reliability import document_problems  # noqa: E402

import muragat  # noqa: E402
from muragat.errors import MuragatError  # noqa: E402
from muragat.extract import extract_bytes  # noqa: E402
from muragat.formats import read_bio, read_conllu  # noqa: E402
from muragat.io import decode, decoding  # noqa: E402

SEEDS = [b"\x00" + "Ойыл ауданы 1929 жылы жиналыс өткізді. Тоғжанов Ғ.".encode(),
         b"\x01" + "Ойыл ".encode("cp1251") + b"\xff\xfe",
         b"\x02" + "1\tОйыл\tойыл\tPROPN\t_\t_\t0\troot\t_\t_\n".encode(),
         b"\x03" + "Ойыл B-GPE\nауданы O\n".encode(),
         b"\x04%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n",
         b"\x04PK\x03\x04word/document.xml",
         b"\x04" + "<!doctype html><title>Ойыл</title><p>Ойыл ауданы.</p>".encode(),
         b"\x04\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x00"]


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


TARGETS = (
    lambda data: muragat.analyze(_text(data)),
    lambda data: muragat.analyze(decode(data, "<fuzz>")),
    lambda data: read_conllu(_text(data)),
    lambda data: read_bio(_text(data)),
    lambda data: muragat.analyze(extract_bytes(data, "<fuzz>").text),
)


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    try:
        with decoding(on_warning=lambda _message: None):
            doc = target(data[1:])
    except MuragatError:
        return  # refused with a message: the expected answer to most of this input
    problems = document_problems(doc)
    if problems:
        raise AssertionError("; ".join(problems))


def main() -> None:
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus and Path(corpus[0]).is_dir() and not any(Path(corpus[0]).iterdir()):
        for i, seed in enumerate(SEEDS):  # an empty corpus folder starts from these
            (Path(corpus[0]) / f"seed_{i}").write_bytes(seed)
    for seed in SEEDS:  # loads every layer and reader (imported lazily), then instruments them
        test_one_input(seed)
    atheris.instrument_all()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
