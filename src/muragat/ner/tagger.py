"""The shipped CRF tagger, slovnet-shaped: `NER.load(path)`, `ner(words)`, `ner.map(batch)`.

The shipped model is an ensemble (data/ensemble.json): CRFs trained on different feature
groups tag the same features and an entity-level majority vote decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from muragat import artifacts
from muragat.errors import InputError
from muragat.i18n import t
from muragat.ner.features import DATA, MODELS_ENV, models_dir, sentence_features
from muragat.ner.rules import apply_rules, is_historical
from muragat.ner.spans import from_bioes, repair, vote

MODEL_FILE = DATA / "model.crfsuite"
ENSEMBLE_FILE = "ensemble.json"


def members(path: Path) -> list[tuple[Path, str]]:
    """(file, label encoding) of `path` and, when it is the first member of an ensemble
    described beside it, of the others."""
    desc = path.parent / ENSEMBLE_FILE
    if desc.exists():
        found = [(path.parent / m["file"], m.get("labels", "bio"))
                 for m in json.loads(desc.read_text(encoding="utf-8"))["members"]]
        if found and found[0][0].name == path.name:
            return found
    return [(path, "bio")]


def default_model() -> Path:
    """The first member of the ensemble in `models_dir()` (the shipped one, or the folder
    $MURAGAT_NER_MODELS names, which must hold ensemble.json, its members and clusters.tsv)."""
    folder = models_dir()
    if folder == DATA:
        return MODEL_FILE
    desc, clusters = folder / ENSEMBLE_FILE, folder / "clusters.tsv"
    if not desc.is_file() or not clusters.is_file():
        raise InputError(t(
            f"{MODELS_ENV}={folder}: ішінде {ENSEMBLE_FILE} мен clusters.tsv болуы керек",
            f"{MODELS_ENV}={folder}: the folder must hold {ENSEMBLE_FILE} and clusters.tsv",
        ))
    try:
        return folder / json.loads(desc.read_text(encoding="utf-8"))["members"][0]["file"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(t(f"{desc}: бұзылған сипаттама ({exc})",
                           f"{desc}: malformed ensemble description ({exc})")) from exc


def member_files(path: Path) -> list[Path]:
    return [f for f, _ in members(path)]


class NER:
    """A loaded model; one instance tags any number of sentences (not thread-safe)."""

    def __init__(self, taggers: list, path: Path, bioes: list[bool] | None = None) -> None:
        self._taggers = taggers
        self._bioes = bioes or [False] * len(taggers)
        self.path = path
        self.rules = True  # the domain post-rules (scripts measure the model without them too)
        self.lazy = True  # stop once a majority of members agree (same labels, faster)

    @classmethod
    def load(cls, path: Path | str | None = None) -> NER:
        import pycrfsuite

        path = Path(path) if path is not None else default_model()
        if path.parent == DATA:  # the shipped ensemble: every file as its manifest records
            artifacts.require_all("muragat.ner")
        if not path.exists():
            raise InputError(t(
                f"NER моделі табылмады: {path} (scripts/train_ner.py іске қосыңыз)",
                f"NER model not found: {path} (run scripts/train_ner.py)",
            ))
        taggers, bioes = [], []
        for file, encoding in members(path):
            tagger = pycrfsuite.Tagger()
            tagger.open(str(file))
            taggers.append(tagger)
            bioes.append(encoding == "bioes")
        return cls(taggers, path, bioes)

    def __call__(self, words: list[str], historical: bool | None = None) -> list[str]:
        """IOB2 labels for one pre-tokenized sentence (consistent: no I- without its B-).

        `historical`: the sentence's document is historical prose (None: judge the sentence)."""
        if not words:
            return []
        import pycrfsuite

        seq = pycrfsuite.ItemSequence(sentence_features(words))  # converted once for all members
        majority = len(self._taggers) // 2 + 1
        outputs: list[list[str]] = []
        for m, bioes in zip(self._taggers, self._bioes, strict=True):
            outputs.append(from_bioes(m.tag(seq)) if bioes else m.tag(seq))
            if self.lazy and len(outputs) == majority and outputs.count(outputs[0]) == majority:
                # a majority gives the same labels: no other member can change the vote
                return self._finish(words, repair(outputs[0]), historical)
        return self._finish(words, vote(outputs), historical)

    def first(self, k: int) -> NER:
        """The same model with only its first `k` members (benchmarks, trade-off tables)."""
        return NER(self._taggers[:k], self.path, self._bioes[:k])

    def _finish(self, words: list[str], labels: list[str], historical: bool | None) -> list[str]:
        return repair(apply_rules(words, labels, historical)) if self.rules else labels

    def map(self, batch: Iterable[list[str]]) -> Iterator[list[str]]:
        """Tag sentences of one document (its genre is judged over all of them)."""
        sents = list(batch)
        historical = is_historical(w for s in sents for w in s)
        for words in sents:
            yield self(words, historical)
