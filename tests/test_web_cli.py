"""`muragat serve`: help, a missing web extra, an unopenable store, and a served app."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import muragat.web
from muragat.cli import app as cli_app
from muragat.cli.serve import COMMANDS, serve
from muragat.errors import EXIT_FAILURE, EXIT_STORE


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `muragat ARGS` through the real error handling, with `serve` registered."""
    group = click.Group("muragat")
    for command in COMMANDS:
        group.add_command(command)
    monkeypatch.setattr(cli_app, "cli", group)

    def run(*args: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as done:
            cli_app.run(list(args))
        return int(done.value.code or 0), capsys.readouterr().err

    return run


def test_help_is_kazakh_first() -> None:
    out = CliRunner().invoke(serve, ["--help"]).output
    assert "--db" in out and "--port" in out and "--host" in out
    assert "Қойманы веб арқылы ашу" in out or "Serve the store" in out  # MURAGAT_LANG decides


def test_missing_web_extra_is_a_clear_message(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(muragat.web, "missing_dependency", lambda: "fastapi")
    code, err = run_cli("serve", "--db", "whatever.db")
    assert code == EXIT_FAILURE
    assert "pip install 'muragat[web]'" in err and "fastapi" in err
    assert "Traceback" not in err


def test_missing_store_exits_with_the_store_code(run_cli, tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    code, err = run_cli("serve", "--db", str(tmp_path / "absent.db"))
    assert code == EXIT_STORE
    assert "absent.db" in err and "Traceback" not in err


def test_not_a_store_exits_with_the_store_code(run_cli, tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite at all", encoding="utf-8")
    code, _ = run_cli("serve", "--db", str(junk))
    assert code == EXIT_STORE


def test_serve_runs_uvicorn_on_a_read_only_app(run_cli, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fastapi")
    uvicorn = pytest.importorskip("uvicorn")
    from muragat.store import open_store

    db = tmp_path / "s.db"
    open_store(str(db)).close()
    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    code, err = run_cli("serve", "--db", str(db), "--host", "0.0.0.0", "--port", "8123")
    assert code == 0, err
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123
    assert seen["app"].state.ctx.readonly is True
    assert "8123" in err


def test_serve_team_mode_options_reach_the_app(run_cli, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fastapi")
    uvicorn = pytest.importorskip("uvicorn")
    from muragat.store import open_store
    from muragat.web.limits import DEFAULT_ANALYZE_KB, DEFAULT_CONCURRENT, DEFAULT_SECONDS

    db = tmp_path / "t.db"
    open_store(str(db)).close()
    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    code, err = run_cli("serve", "--db", str(db), "--writable", "--analyze-limit-kb", "0",
                        "--analyze-seconds", "5", "--analyze-concurrency", "3",
                        "--origin", "https://archive.example.kz/")
    assert code == 0, err
    ctx = seen["app"].state.ctx
    assert ctx.readonly is False and ctx.origins == ("https://archive.example.kz",)
    assert (ctx.limits.analyze_kb, ctx.limits.seconds, ctx.limits.concurrent) == (0, 5.0, 3)
    code, _ = run_cli("serve", "--db", str(db))
    limits = seen["app"].state.ctx.limits  # the CLI's defaults are the web layer's
    assert (limits.analyze_kb, limits.seconds, limits.concurrent) == (
        DEFAULT_ANALYZE_KB, DEFAULT_SECONDS, DEFAULT_CONCURRENT)
