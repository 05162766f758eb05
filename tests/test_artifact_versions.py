"""Every shipped artifact carries a format version checked at load (issue 22): the layers'
data/MANIFEST.json match the shipped files, and a missing file, a missing entry, another
format version or another size is a ModelError that names the command that rebuilds it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from muragat import artifacts, i18n
from muragat.errors import ModelError

SHIPPED = [(a.package, a.name) for a in artifacts.ARTIFACTS]


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_lang", "en")  # the messages below are matched in English


@pytest.fixture
def fake_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of one layer's manifest and small stand-in files, as the package's data/."""
    def make(package: str) -> Path:
        data = tmp_path / package / "data"
        data.mkdir(parents=True)
        entries = {}
        for a in artifacts.ARTIFACTS:
            if a.package == package:
                (data / a.name).write_bytes(a.name.encode())
                entries[a.name] = {"format": a.format, "size": len(a.name.encode()),
                                   "sha256": artifacts.sha256(data / a.name),
                                   "rebuild": a.rebuild}
        (data / artifacts.MANIFEST).write_text(json.dumps({"artifacts": entries}),
                                               encoding="utf-8")
        monkeypatch.setattr(artifacts, "data_dir", lambda _package: data)
        artifacts._manifest.cache_clear()
        return data

    yield make
    artifacts._manifest.cache_clear()


def test_every_shipped_artifact_matches_its_manifest() -> None:
    errors, _stale = artifacts.verify()
    assert errors == []
    for package, name in SHIPPED:
        entry = artifacts.read_manifest(package)["artifacts"][name]
        assert entry["format"] == artifacts.artifact(package, name).format
        assert entry["rebuild"] == artifacts.artifact(package, name).rebuild
        assert artifacts.require(package, name).is_file()


def test_the_manifests_list_exactly_the_registered_artifacts() -> None:
    for package in {p for p, _ in SHIPPED}:
        listed = set(artifacts.read_manifest(package)["artifacts"])
        assert listed == {n for p, n in SHIPPED if p == package}


@pytest.mark.parametrize("package,name", SHIPPED)
def test_a_missing_file_names_the_rebuild_command(fake_data, package: str, name: str) -> None:
    data = fake_data(package)
    (data / name).unlink()
    with pytest.raises(ModelError, match=r"rebuild it: make [a-z-]+ \(scripts/\w+\.py\)") as exc:
        artifacts.require(package, name)
    assert name in str(exc.value) and "missing" in str(exc.value)


def test_another_format_version_is_refused(fake_data) -> None:
    data = fake_data("muragat.morph")
    manifest = json.loads((data / artifacts.MANIFEST).read_text(encoding="utf-8"))
    manifest["artifacts"]["disambig.json.gz"]["format"] = 99
    (data / artifacts.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    artifacts._manifest.cache_clear()
    with pytest.raises(ModelError, match=r"format version 99.*make train-morph"):
        artifacts.require("muragat.morph", "disambig.json.gz")
    artifacts.require("muragat.morph", "lexicon.tsv.gz")  # the others still load


def test_a_missing_manifest_or_entry_is_refused(fake_data) -> None:
    data = fake_data("muragat.ner")
    (data / artifacts.MANIFEST).unlink()
    artifacts._manifest.cache_clear()
    with pytest.raises(ModelError, match=r"no entry in MANIFEST.json.*make train-ner"):
        artifacts.require("muragat.ner", "model.crfsuite")


def test_a_replaced_file_is_refused_at_load_and_by_verify(fake_data) -> None:
    data = fake_data("muragat.ner")
    (data / "clusters.tsv").write_text("x\t1\n" * 10, encoding="utf-8")  # another size
    with pytest.raises(ModelError, match=r"size.*make train-ner"):
        artifacts.require_all("muragat.ner")
    (data / "clusters.tsv").write_bytes(b"clusters.tsX")  # same size, other bytes
    artifacts.require("muragat.ner", "clusters.tsv")  # the load-time check is stat only
    errors, _ = artifacts.verify()
    assert any("clusters.tsv" in e and "sha256" in e for e in errors)


def test_record_writes_the_entry_the_loader_checks(fake_data) -> None:
    data = fake_data("muragat.morph")
    (data / "lexicon.tsv.gz").write_bytes(b"a rebuilt lexicon")
    with pytest.raises(ModelError):
        artifacts.require("muragat.morph", "lexicon.tsv.gz")
    artifacts.record("muragat.morph", ["lexicon.tsv.gz"])
    assert artifacts.require("muragat.morph", "lexicon.tsv.gz") == data / "lexicon.tsv.gz"
    entry = artifacts.read_manifest("muragat.morph")["artifacts"]["lexicon.tsv.gz"]
    assert entry["sha256"] == artifacts.sha256(data / "lexicon.tsv.gz")


def test_changed_training_inputs_are_stale_not_errors(fake_data) -> None:
    data = fake_data("muragat.ner")
    (data / "gaz").mkdir()
    (data / "gaz" / "gpe.txt").write_text("Алматы\n", encoding="utf-8")
    artifacts.record("muragat.ner", [], inputs=["gaz/*.txt"])
    assert artifacts.verify(["muragat.ner"]) == ([], [])
    (data / "gaz" / "gpe.txt").write_text("Алматы\nАстана\n", encoding="utf-8")
    errors, stale = artifacts.verify(["muragat.ner"])
    assert errors == [] and len(stale) == 1 and "make train-ner" in stale[0]


def test_the_ner_layer_refuses_a_damaged_shipped_model(fake_data) -> None:
    from muragat.ner import tagger

    data = fake_data("muragat.ner")
    (data / "model-window.crfsuite").unlink()
    with pytest.raises(ModelError, match="make train-ner"):
        tagger.NER.load(tagger.MODEL_FILE)


def test_the_morph_model_loader_refuses_another_format(fake_data, monkeypatch) -> None:
    from muragat.morph import ranker

    data = fake_data("muragat.morph")
    shutil.copy(Path(str(artifacts.resources.files("muragat.morph").joinpath(
        "data/disambig.json.gz"))), data / "disambig.json.gz")
    manifest = json.loads((data / artifacts.MANIFEST).read_text(encoding="utf-8"))
    manifest["artifacts"]["disambig.json.gz"]["format"] = 2
    (data / artifacts.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    artifacts._manifest.cache_clear()
    monkeypatch.delenv("MURAGAT_MORPH_MODEL", raising=False)
    with pytest.raises(ModelError, match="format version 2.*make train-morph"):
        ranker.load_model.__wrapped__()


def test_the_message_is_kazakh_first(fake_data, monkeypatch) -> None:
    monkeypatch.setattr(i18n, "_lang", "kk")
    data = fake_data("muragat.morph")
    (data / "endings.marisa").unlink()
    with pytest.raises(ModelError, match=r"файл жоқ; қайта құру: make endings"):
        artifacts.require("muragat.morph", "endings.marisa")
