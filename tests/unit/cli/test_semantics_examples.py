"""The worked examples of DESIGN.md's semantics, through the CLI's JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import semantics_cases, write_manifest
from typer.testing import CliRunner

from airgraph.cli.main import app

runner = CliRunner()
CASES = semantics_cases()


def _invoke(*args: str) -> dict:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_reach_and_trifecta_match_the_worked_answers(case: dict, tmp_path: Path, store_uri: str):
    manifest = write_manifest(tmp_path / "estate.yaml", case["manifest"])
    _invoke("ingest", "manifest", str(manifest), "--store", store_uri, "--json")
    for key, expected in case["expected"]["reach"].items():
        start, assume = key.split()
        got = _invoke("reach", start, "--assume", assume, "--store", store_uri, "--json")
        assert got["start"] == start and got["assume"] == assume and got["snapshot"] == 1
        assert {k: got[k] for k in expected} == expected, key
    for assume, expected in case["expected"]["trifecta"].items():
        got = _invoke("trifecta", "--assume", assume, "--store", store_uri, "--json")
        assert got["agents"] == expected, assume


def test_every_reached_target_has_a_path_and_no_other_does(tmp_path: Path, store_uri: str):
    case = next(c for c in CASES if c["name"] == "exfiltration-and-trifecta")
    manifest = write_manifest(tmp_path / "estate.yaml", case["manifest"])
    _invoke("ingest", "manifest", str(manifest), "--store", store_uri, "--json")
    radius = _invoke("reach", "web", "--store", store_uri, "--json")
    reached = set(radius["influenced"]) | {e["id"] for e in radius["exposed"]} | set(radius["sinks"])
    for node in [n["id"] for n in case["manifest"]["nodes"] if n["id"] != "web"]:
        paths = _invoke("paths", "--from", "web", "--to", node, "--store", store_uri, "--json")
        assert bool(paths["paths"]) == (node in reached), node
