"""The shipped CRF tagger, slovnet-shaped: `NER.load(path)`, `ner(words)`, `ner.map(batch)`.

The shipped model is an ensemble (data/ensemble.json): CRFs trained on different feature
groups tag the same features and an entity-level majority vote decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from muragat.errors import InputError
from muragat.i18n import t
from muragat.ner.features import DATA, sentence_features
from muragat.ner.rules import apply_rules, is_historical
from muragat.ner.spans import repair, vote

MODEL_FILE = DATA / "model.crfsuite"
ENSEMBLE_FILE = "ensemble.json"


def member_files(path: Path) -> list[Path]:
    """`path` and, when it is the first member of an ensemble described beside it, the others."""
    desc = path.parent / ENSEMBLE_FILE
    if desc.exists():
        files = [path.parent / m["file"] for m in json.loads(desc.read_text(encoding="utf-8"))["members"]]
        if files and files[0].name == path.name:
            return files
    return [path]


class NER:
    """A loaded model; one instance tags any number of sentences (not thread-safe)."""

    def __init__(self, taggers: list, path: Path) -> None:
        self._taggers = taggers
        self.path = path
        self.rules = True  # the domain post-rules (scripts measure the model without them too)

    @classmethod
    def load(cls, path: Path | str = MODEL_FILE) -> NER:
        import pycrfsuite

        path = Path(path)
        if not path.exists():
            raise InputError(t(
                f"NER моделі табылмады: {path} (scripts/train_ner.py іске қосыңыз)",
                f"NER model not found: {path} (run scripts/train_ner.py)",
            ))
        taggers = []
        for file in member_files(path):
            tagger = pycrfsuite.Tagger()
            tagger.open(str(file))
            taggers.append(tagger)
        return cls(taggers, path)

    def __call__(self, words: list[str], historical: bool | None = None) -> list[str]:
        """IOB2 labels for one pre-tokenized sentence (consistent: no I- without its B-).

        `historical`: the sentence's document is historical prose (None: judge the sentence)."""
        if not words:
            return []
        import pycrfsuite

        seq = pycrfsuite.ItemSequence(sentence_features(words))  # converted once for all members
        labels = vote([m.tag(seq) for m in self._taggers])
        return repair(apply_rules(words, labels, historical)) if self.rules else labels

    def map(self, batch: Iterable[list[str]]) -> Iterator[list[str]]:
        """Tag sentences of one document (its genre is judged over all of them)."""
        sents = list(batch)
        historical = is_historical(w for s in sents for w in s)
        for words in sents:
            yield self(words, historical)
