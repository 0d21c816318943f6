"""Every command has help with an explanation and appears in the README; snapshots behave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airgraph.cli.main import app

runner = CliRunner()
README = (Path(__file__).parents[3] / "README.md").read_text()
COMMANDS = [["demo"], ["ingest", "manifest"], ["reach"], ["paths"], ["trifecta"], ["snapshots"],
            ["generate"], ["chokepoints"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_is_documented(command: list[str]):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output.splitlines()) > 5
    assert f"airgraph {' '.join(command)}" in README


def test_demo_twice_gives_identical_snapshots(store_uri: str):
    first = runner.invoke(app, ["demo", "--store", store_uri, "--json"])
    second = runner.invoke(app, ["demo", "--store", store_uri, "--json"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert (a["snapshot"], b["snapshot"]) == (1, 2)
    assert _without_snapshot(a) == _without_snapshot(b)
    listed = json.loads(runner.invoke(app, ["snapshots", "--store", store_uri, "--json"]).stdout)
    sizes = {(s["nodes"], s["edges"]) for s in listed["snapshots"]}
    assert len(listed["snapshots"]) == 2 and len(sizes) == 1
    assert sizes.pop()[0] >= 150
    for snapshot in ("1", "2"):
        radius = runner.invoke(app, ["reach", "web-chat", "--snapshot", snapshot, "--store",
                                     store_uri, "--json"])
        assert radius.exit_code == 0


def _without_snapshot(value):
    if isinstance(value, dict):
        return {k: _without_snapshot(v) for k, v in value.items() if k != "snapshot"}
    if isinstance(value, list):
        return [_without_snapshot(v) for v in value]
    return value


def test_demo_headlines_find_the_trifecta_and_restricted_paths(store_uri: str):
    result = json.loads(runner.invoke(app, ["demo", "--store", store_uri, "--json"]).stdout)
    agents = {a["id"] for a in result["trifecta"]}
    assert {"agent:support-bot", "agent:ticket-resolver"} <= agents
    assert "agent:coding-copilot" not in agents
    assert result["top_paths"] and all(p["likelihood"] > 0 for p in result["top_paths"])
    worst = json.loads(runner.invoke(app, ["trifecta", "--assume", "worst", "--store", store_uri,
                                           "--json"]).stdout)
    assert agents <= {a["id"] for a in worst["agents"]}


def test_unknown_id_and_snapshot_are_clear_errors(store_uri: str):
    runner.invoke(app, ["demo", "--store", store_uri, "--json"])
    result = runner.invoke(app, ["reach", "web-chta", "--store", store_uri])
    assert result.exit_code == 2 and "did you mean" in result.stderr and "web-chat" in result.stderr
    result = runner.invoke(app, ["reach", "web-chat", "--snapshot", "9", "--store", store_uri])
    assert result.exit_code == 2 and "no snapshot 9" in result.stderr


def test_empty_store_says_what_to_do(store_uri: str):
    result = runner.invoke(app, ["trifecta", "--store", store_uri])
    assert result.exit_code == 2 and "airgraph demo" in result.stderr


def test_ambiguous_suffix_lists_matches(tmp_path: Path, store_uri: str):
    manifest = tmp_path / "m.yaml"
    manifest.write_text("version: 1\nnodes:\n  - {id: a:bot, kind: Agent}\n"
                        "  - {id: b:bot, kind: Agent}\n")
    runner.invoke(app, ["ingest", "manifest", str(manifest), "--store", store_uri])
    result = runner.invoke(app, ["reach", "bot", "--store", store_uri])
    assert result.exit_code == 2 and "ambiguous" in result.stderr
    assert "a:bot" in result.stderr and "b:bot" in result.stderr
