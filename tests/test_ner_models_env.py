"""$MURAGAT_NER_MODELS: a folder of trained files the CLI tags with (the CV folds, issue 17)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from muragat.errors import InputError
from muragat.ner.features import DATA, MODELS_ENV, models_dir
from muragat.ner.tagger import NER, default_model

BIO = "Ғ. O\nТоғжанов O\n1929 O\nжылы O\nАлматыға O\nбарды O\n. O\n"


def one_member_folder(tmp: Path) -> Path:
    """The shipped clusters and its path-features member alone, as a training run leaves them."""
    for name in ("model-path.crfsuite", "clusters.tsv"):
        (tmp / name).symlink_to(DATA / name)
    desc = {"members": [{"file": "model-path.crfsuite", "features": ["path"], "labels": "bioes"}]}
    (tmp / "ensemble.json").write_text(json.dumps(desc), encoding="utf-8")
    return tmp


def test_the_folder_named_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert models_dir() == DATA or os.environ.get(MODELS_ENV)
    monkeypatch.setenv(MODELS_ENV, str(one_member_folder(tmp_path)))
    assert models_dir() == tmp_path
    assert default_model() == tmp_path / "model-path.crfsuite"
    tagger = NER.load()
    assert tagger.path == tmp_path / "model-path.crfsuite" and len(tagger.first(9)._taggers) == 1


def test_a_folder_without_its_files_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    monkeypatch.setenv(MODELS_ENV, str(tmp_path))
    with pytest.raises(InputError, match="ensemble.json"):
        NER.load()
    (tmp_path / "ensemble.json").write_text("{", encoding="utf-8")
    (tmp_path / "clusters.tsv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"ensemble\.json: "):
        NER.load()


def cli(args: list[str], env_dir: Path, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from muragat.cli import main; main()", *args],
                          input=stdin.encode(), capture_output=True, timeout=120,
                          env={**os.environ, MODELS_ENV: str(env_dir)})


def test_the_cli_tags_with_the_folder_or_says_why_not(tmp_path: Path) -> None:
    args = ["analyze", "-", "--from", "bio", "--to", "bio", "--layers", "text,ner,values"]
    good = cli(args, one_member_folder(tmp_path), BIO)
    assert good.returncode == 0, good.stderr
    labels = good.stdout.decode().split()[1::2]
    assert len(labels) == 7 and labels[0] == "B-PERSON" and labels[2] == "B-DATE"
    bad = cli(args, tmp_path / "missing", BIO)
    assert bad.returncode != 0 and b"Traceback" not in bad.stderr
    assert MODELS_ENV.encode() in bad.stderr
