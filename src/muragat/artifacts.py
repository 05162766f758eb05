"""Format versions of the shipped artifacts (issue 22): one MANIFEST.json per layer's data/.

Every trained or built file the package ships (morph: endings.marisa, lexicon.tsv.gz,
disambig.json.gz; ner: the three CRFs, ensemble.json, clusters.tsv) has an entry in its layer's
data/MANIFEST.json: format version, size, sha256 and the command that rebuilds it. The build
and training scripts write the entry (`record`) after they write the file. A loader calls
`require` before it opens the file: a missing file or manifest entry, another format version or
another size is a ModelError that says which command rebuilds it. That costs one small JSON
read per layer and a stat per file; the sha256 of every file (15 MB, about 50 ms) is compared
only by `verify` — the tests and `python -m muragat.artifacts`.

A layer may also record the hand-written inputs a model was trained with (NER's gazetteers):
`verify` reports a changed input as stale (retraining advised), never as an error, since
editing a list between trainings is normal work.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from muragat.errors import ModelError
from muragat.i18n import t

MANIFEST = "MANIFEST.json"


@dataclass(frozen=True, slots=True)
class Artifact:
    package: str  # the layer's package; the file lives in its data/
    name: str  # file name inside data/
    format: int  # the format version the loading code reads
    rebuild: str  # the command that rebuilds it


_TRAIN_NER = "make train-ner (scripts/train_ner.py)"
# The format versions the code reads: bump one when its reader changes, and rebuild the file.
ARTIFACTS: tuple[Artifact, ...] = (
    Artifact("muragat.morph", "endings.marisa", 1, "make endings (scripts/build_endings.py)"),
    Artifact("muragat.morph", "lexicon.tsv.gz", 1, "make lexicon (scripts/build_lexicon.py)"),
    Artifact("muragat.morph", "disambig.json.gz", 1, "make train-morph (scripts/train_morph.py)"),
    Artifact("muragat.ner", "model.crfsuite", 1, _TRAIN_NER),
    Artifact("muragat.ner", "model-path.crfsuite", 1, _TRAIN_NER),
    Artifact("muragat.ner", "model-window.crfsuite", 1, _TRAIN_NER),
    Artifact("muragat.ner", "ensemble.json", 1, _TRAIN_NER),
    Artifact("muragat.ner", "clusters.tsv", 1, _TRAIN_NER),
)
_BY_KEY = {(a.package, a.name): a for a in ARTIFACTS}


def data_dir(package: str) -> Path:
    return Path(str(resources.files(package).joinpath("data")))


def artifact(package: str, name: str) -> Artifact:
    return _BY_KEY[(package, name)]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(package: str) -> dict[str, Any]:
    """The layer's manifest as stored ({} when there is none)."""
    path = data_dir(package) / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ModelError(t(f"{path}: манифест бұзылған ({exc})",
                           f"{path}: the manifest is malformed ({exc})")) from exc
    return data if isinstance(data, dict) else {}


@cache
def _manifest(package: str) -> dict[str, Any]:
    return read_manifest(package)


def _error(a: Artifact, kk: str, en: str) -> ModelError:
    path = data_dir(a.package) / a.name
    return ModelError(t(f"{path}: {kk}; қайта құру: {a.rebuild}",
                        f"{path}: {en}; rebuild it: {a.rebuild}"))


def problems(a: Artifact, entry: dict[str, Any] | None, full: bool) -> list[tuple[str, str]]:
    """(Kazakh, English) reasons why the shipped file does not match its entry."""
    path = data_dir(a.package) / a.name
    if not path.is_file():
        return [("файл жоқ", "the file is missing")]
    if not entry:
        return [(f"{MANIFEST} ішінде жазбасы жоқ", f"it has no entry in {MANIFEST}")]
    if entry.get("format") != a.format:
        return [(f"пішім нұсқасы {entry.get('format')}, код {a.format} нұсқасын оқиды",
                 f"format version {entry.get('format')}, the code reads version {a.format}")]
    if entry.get("size") != path.stat().st_size:
        return [(f"өлшемі {MANIFEST} жазбасымен сәйкес емес",
                 f"its size is not the one {MANIFEST} records")]
    if full and entry.get("sha256") != sha256(path):
        return [(f"sha256 {MANIFEST} жазбасымен сәйкес емес",
                 f"its sha256 is not the one {MANIFEST} records")]
    return []


def require(package: str, name: str) -> Path:
    """The shipped file, after the cheap checks (manifest entry, format version, size)."""
    a = artifact(package, name)
    entry = _manifest(package).get("artifacts", {}).get(name)
    found = problems(a, entry, full=False)
    if found:
        raise _error(a, *found[0])
    return data_dir(package) / name


def require_all(package: str) -> list[Path]:
    """`require` for every registered artifact of the layer."""
    return [require(a.package, a.name) for a in ARTIFACTS if a.package == package]


def inputs_hash(package: str, pattern: str) -> str:
    """One sha256 over the hand-written files of data/ matching `pattern` (names and bytes)."""
    h = hashlib.sha256()
    base = data_dir(package)
    for path in sorted(base.glob(pattern)):
        h.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def record(package: str, names: Iterable[str], inputs: Iterable[str] = ()) -> Path:
    """Write the manifest entries of freshly built `names` (and the hashes of `inputs`, glob
    patterns of hand-written files the build read); other entries stay. Called by the scripts."""
    base = data_dir(package)
    data = read_manifest(package)
    data.setdefault("_doc", "Shipped artifacts of this layer: format version, size, sha256 "
                    "and the command that rebuilds each (muragat.artifacts). Written by the "
                    "build and training scripts; checked at load.")
    entries = data.setdefault("artifacts", {})
    for name in names:
        a = artifact(package, name)
        path = base / name
        entries[name] = {"format": a.format, "size": path.stat().st_size,
                         "sha256": sha256(path), "rebuild": a.rebuild}
    if inputs:
        data.setdefault("inputs", {}).update({p: inputs_hash(package, p) for p in inputs})
    data["artifacts"] = dict(sorted(entries.items()))
    out = base / MANIFEST
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _manifest.cache_clear()
    return out


def verify(packages: Iterable[str] | None = None) -> tuple[list[str], list[str]]:
    """(errors, stale): every shipped artifact (of `packages`, default all) fully checked,
    sha256 included, and the recorded inputs that changed since the build."""
    errors: list[str] = []
    stale: list[str] = []
    wanted = set(packages) if packages is not None else {a.package for a in ARTIFACTS}
    for a in ARTIFACTS:
        if a.package not in wanted:
            continue
        entry = read_manifest(a.package).get("artifacts", {}).get(a.name)
        for kk, en in problems(a, entry, full=True):
            errors.append(t(f"{a.package}/{a.name}: {kk}; қайта құру: {a.rebuild}",
                            f"{a.package}/{a.name}: {en}; rebuild it: {a.rebuild}"))
    for package in dict.fromkeys(a.package for a in ARTIFACTS if a.package in wanted):
        manifest = read_manifest(package)
        for pattern, digest in manifest.get("inputs", {}).items():
            if inputs_hash(package, pattern) != digest:
                cmd = next(a.rebuild for a in ARTIFACTS if a.package == package)
                stale.append(t(f"{package}/{pattern}: модель басқа нұсқамен оқытылған; "
                               f"қайта оқыту: {cmd}",
                               f"{package}/{pattern}: changed since the model was trained; "
                               f"retrain: {cmd}"))
    return errors, stale


def main() -> int:
    """python -m muragat.artifacts: every shipped artifact checked in full; exit 1 on errors."""
    errors, stale = verify()
    for line in errors:
        print("ERROR", line)
    for line in stale:
        print("STALE", line)
    if not errors:
        print(t(f"{len(ARTIFACTS)} артефакт тексерілді: бәрі сәйкес",
                f"{len(ARTIFACTS)} artifacts checked: all match"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
