"""``airgraph ingest code`` end to end through a store."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from airgraph.cli.main import app
from tests.unit.ingest.code.conftest import DATA

runner = CliRunner()


def test_help_says_code_is_never_run() -> None:
    result = runner.invoke(app, ["ingest", "code", "--help"])
    assert result.exit_code == 0
    assert "never imported or run" in " ".join(result.output.split())


def test_ingest_then_reach(store_uri: str) -> None:
    result = runner.invoke(app, ["ingest", "code", str(DATA / "openai_agents"),
                                 "--store", store_uri, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["source"] == f"code:{DATA / 'openai_agents'}"
    assert report["ingestor"] == "code"
    assert any("broken.py" in w for w in report["warnings"])
    reach = runner.invoke(app, ["reach", "code:support/api.py:chat", "--store", store_uri,
                                "--json"])
    assert reach.exit_code == 0, reach.output
    influenced = json.loads(reach.stdout)["influenced"]
    assert "code:support/tools.py:run_diagnostics" in influenced
    assert "code:support/agents_def.py:billing" in influenced


def test_missing_directory_exits_2(store_uri: str, tmp_path) -> None:
    result = runner.invoke(app, ["ingest", "code", str(tmp_path / "nope"), "--store", store_uri])
    assert result.exit_code == 2
    assert "not a directory" in result.output
