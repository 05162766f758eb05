"""The shipped CRF tagger, slovnet-shaped: `NER.load(path)`, `ner(words)`, `ner.map(batch)`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from muragat.errors import InputError
from muragat.i18n import t
from muragat.ner.features import DATA, sentence_features
from muragat.ner.rules import apply_rules
from muragat.ner.spans import repair

MODEL_FILE = DATA / "model.crfsuite"


class NER:
    """A loaded model; one instance tags any number of sentences (not thread-safe)."""

    def __init__(self, tagger: object, path: Path) -> None:
        self._tagger = tagger
        self.path = path

    @classmethod
    def load(cls, path: Path | str = MODEL_FILE) -> NER:
        import pycrfsuite

        path = Path(path)
        if not path.exists():
            raise InputError(t(
                f"NER моделі табылмады: {path} (scripts/train_ner.py іске қосыңыз)",
                f"NER model not found: {path} (run scripts/train_ner.py)",
            ))
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        return cls(tagger, path)

    def __call__(self, words: list[str]) -> list[str]:
        """IOB2 labels for one pre-tokenized sentence (consistent: no I- without its B-)."""
        if not words:
            return []
        labels = self._tagger.tag(sentence_features(words))  # type: ignore[attr-defined]
        return repair(apply_rules(words, labels))

    def map(self, batch: Iterable[list[str]]) -> Iterator[list[str]]:
        for words in batch:
            yield self(words)
