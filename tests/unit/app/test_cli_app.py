"""``airgraph app``: loopback by default, the store handed to Streamlit, errors before start."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from airgraph.cli import app as app_cli
from airgraph.cli.main import app


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str]]]:
    """Records the ``streamlit run`` command the process would become, instead of serving
    (the e2e test serves)."""
    calls: list[tuple[list[str], dict[str, str]]] = []

    def execve(path: str, cmd: list[str], env: dict[str, str]) -> None:
        assert path == cmd[0]
        calls.append((cmd, env))

    monkeypatch.setattr(app_cli.os, "execve", execve)
    return calls


def test_serves_loopback_and_passes_the_store(seeded_uri: str, started: list) -> None:
    result = CliRunner().invoke(app, ["app", "--store", seeded_uri, "--port", "8765"])
    assert result.exit_code == 0, result.output
    (cmd, env), = started
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.port") + 1] == "8765"
    assert Path(cmd[cmd.index("run") + 1]) == app_cli.MAIN and app_cli.MAIN.is_file()
    assert env["AIRGRAPH_STORE"] == seeded_uri
    assert "http://127.0.0.1:8765/overview" in result.output
    assert "--host 0.0.0.0" in result.output


def test_other_host_is_said_to_be_open(seeded_uri: str, started: list) -> None:
    result = CliRunner().invoke(app, ["app", "--store", seeded_uri, "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert started[0][0][started[0][0].index("--server.address") + 1] == "0.0.0.0"
    assert "without authentication" in result.output


def test_empty_store_fails_before_starting(tmp_path: Path, started: list) -> None:
    result = CliRunner().invoke(app, ["app", "--store", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert result.exit_code == 2
    assert "error" in result.output and not started


def test_without_streamlit_says_what_to_install(seeded_uri: str, started: list,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    real = app_cli.importlib.util.find_spec
    monkeypatch.setattr(app_cli.importlib.util, "find_spec",
                        lambda name: None if name == "streamlit" else real(name))
    result = CliRunner().invoke(app, ["app", "--store", seeded_uri])
    assert result.exit_code == 2 and "airgraph[app]" in result.output and not started
