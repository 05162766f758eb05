"""The command line as a user meets it: outputs, bad input, exit codes, both languages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from muragat.cli.app import cli
from muragat.errors import EXIT_BAD_INPUT


def run(args: list[str], stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from muragat.cli import main; main()", *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        timeout=120,
    )


def test_analyze_stdin_to_json_keeps_the_original_text() -> None:
    text = "Ғ. Тоғжанов  мақала жазды.\n"
    result = CliRunner().invoke(cli, ["analyze", "-", "--to", "json"], input=text)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["schema"] == "muragat.document/1"
    assert doc["text"] == text
    assert all(text[t["start"]:t["end"]].strip() for t in doc["tokens"])


def test_many_files_write_one_output_each(tmp_path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Комиссия құрылды.", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["analyze", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.txt.json", "b.txt.json"]


def test_one_file_into_an_existing_folder_is_written_inside_it(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Комиссия құрылды.", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "a.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "a.txt.json").read_text(encoding="utf-8"))["text"] == "Комиссия құрылды."


@pytest.mark.parametrize(
    "data", [b"", b"\x00\x01\x02\x03binary", "Қазақ".encode("utf-16-le")[:-1] + b"\xff\xfe"]
)
def test_bad_input_gets_a_message_and_exit_code_not_a_traceback(data: bytes) -> None:
    proc = run(["analyze", "-"], stdin=data)
    assert proc.returncode == EXIT_BAD_INPUT
    assert b"Traceback" not in proc.stderr
    assert proc.stderr.strip()


def test_one_bad_file_does_not_stop_the_others(tmp_path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("Партия қатары тексерілді.", encoding="utf-8")
    bad.write_bytes(b"\x00\x00\x00")
    proc = run(["analyze", str(bad), str(good), "--to", "json"])
    assert proc.returncode == EXIT_BAD_INPUT
    assert b"bad.txt" in proc.stderr
    assert json.loads(proc.stdout)["text"] == "Партия қатары тексерілді."


def test_oversized_input_is_refused_clearly(tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (1024 * 1024 + 10))
    proc = run(["--lang", "en", "analyze", str(big), "--max-mb", "1"])
    assert proc.returncode == EXIT_BAD_INPUT
    assert b"too large" in proc.stderr


def test_help_is_kazakh_by_default_and_english_on_request() -> None:
    kk = run(["--help"])
    en = run(["--lang", "en", "--help"])
    assert kk.returncode == en.returncode == 0
    assert "құжаттарды" in kk.stdout.decode()
    assert "Kazakh documents" in en.stdout.decode()


def test_unknown_layer_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["analyze", "-", "--layers", "text,nope"], input="Сәлем.")
    assert result.exit_code == 2


def test_a_defect_is_a_message_and_exit_70_not_a_traceback(monkeypatch, capsys, tmp_path) -> None:
    import muragat.cli.analyze as analyze_cmd
    from muragat.cli.app import run as run_cli

    def broken(*_args, **_kwargs):
        raise KeyError("boom")

    (tmp_path / "a.txt").write_text("Комиссия құрылды.", encoding="utf-8")
    monkeypatch.setattr(analyze_cmd, "analyze_one", broken)
    monkeypatch.delenv("MURAGAT_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stop:
        run_cli(["analyze", str(tmp_path / "a.txt")])
    assert stop.value.code == 70
    err = capsys.readouterr().err
    assert "KeyError" in err and "boom" in err and "Traceback" not in err
    monkeypatch.setenv("MURAGAT_DEBUG", "1")
    with pytest.raises(KeyError):
        run_cli(["analyze", str(tmp_path / "a.txt")])
