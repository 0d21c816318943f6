"""``diff`` and ``check`` on the command line: output, exit codes, SARIF file."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from airgraph.cli.govern_views import drift_view
from airgraph.cli.main import app
from airgraph.queries.drift import Drift, NewPair

runner = CliRunner()


def test_diff_leads_with_the_new_paths(drifted_uri: str):
    result = runner.invoke(app, ["diff", "--store", drifted_uri])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "attack surface grew" in lines[0]
    assert "new attack path(s) from untrusted input to restricted data" in result.output
    assert "agent:support-bot -CALLS-> mcp:kubectl:run_shell" in result.output


def test_diff_json(drifted_uri: str):
    result = runner.invoke(app, ["diff", "--store", drifted_uri, "--from", "1", "--to", "2",
                                 "--json"])
    data = json.loads(result.stdout)
    assert data["worse"] and data["edges"]["added"] == [
        {"from": "agent:support-bot", "kind": "CALLS", "to": "mcp:kubectl:run_shell"}]


def test_check_fails_and_writes_sarif(drifted_uri: str, tmp_path: Path):
    out = tmp_path / "out" / "airgraph.sarif"
    result = runner.invoke(app, ["check", "--store", drifted_uri, "--sarif", str(out)])
    assert result.exit_code == 1, result.output
    assert "no-new-attack-path" in result.output
    sarif = json.loads(out.read_text())
    assert any(r["ruleId"] == "new-attack-path" for r in sarif["runs"][0]["results"])


def test_check_passes_on_a_clean_policy(drifted_uri: str, tmp_path: Path):
    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\nrules:\n  - {name: no-poisoning, rule: mcp-tool-poisoning}\n")
    result = runner.invoke(app, ["check", "--store", drifted_uri, "--policy", str(policy),
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["passed"] is True


def test_check_bad_policy_exits_2_naming_the_line(drifted_uri: str, tmp_path: Path):
    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\nrules:\n  - name: x\n    rule: nope\n")
    result = runner.invoke(app, ["check", "--store", drifted_uri, "--policy", str(policy)])
    assert result.exit_code == 2
    assert f"{policy}:3:" in result.output.replace("\n", "")


def test_human_output_keeps_graph_text_as_text():
    target = "arn:aws:secretsmanager:eu-west-1:1:secret:[bold]x\x1b[2J"
    d = Drift(1, 2, "realistic", (NewPair("ep:a", target, None),), (), (), (), (), (), (), (),
              (), (), ())
    console = Console(width=300, record=True, emoji=False)
    console.print(drift_view(d))
    text = console.export_text()
    assert ":secret:[bold]x\\x1b[2J" in text
