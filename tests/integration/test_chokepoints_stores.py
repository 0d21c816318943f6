"""``airgraph chokepoints`` answers byte for byte alike on the embedded store and on Neo4j.

The two stores hand the projection its nodes in different orders, so any ordering or tie
broken by node index instead of id shows up here: the demo estate plus a generated one
(dozens of pairs, many ties) are loaded into both, through the CLI, and every output of
the command is compared as bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airgraph.cli.main import app

from neo4j_server import wipe_neo4j

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _load(uri: str, estate: Path) -> None:
    _run("demo", "--store", uri, "--json")
    _run("ingest", "manifest", str(estate), "--store", uri)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("estate") / "generated.json"
    _run("generate", "--nodes", "600", "--seed", "11", "--out", str(path))
    return path


def test_both_stores_give_the_same_choke_points(neo4j_uri: str, tmp_path: Path,
                                                estate: Path) -> None:
    wipe_neo4j(neo4j_uri)
    embedded = f"sqlite:///{tmp_path / 'embedded.db'}"
    _load(embedded, estate)
    _load(neo4j_uri, estate)
    for args in (["--json"], ["--json", "--assume", "worst"], ["--json", "--top", "25"],
                 ["--top", "5"]):
        here = _run("chokepoints", "--store", embedded, *args)
        there = _run("chokepoints", "--store", neo4j_uri, *args)
        assert here == there, args
    data = json.loads(_run("chokepoints", "--store", embedded, "--json"))
    assert data["exact"] and data["entry_points_evaluated"] == len(data["entries"])
    assert data["pairs"]["count"] > 50 and data["minimum_cut"]["size"] > 1
    assert data["minimum_cut"]["remaining"]["count"] == 0
    cut = [(e["from"], e["kind"], e["to"], e["via"] or "") for e in data["minimum_cut"]["edges"]]
    assert cut == sorted(cut)
    ranked = [(-e["pairs_cut"]["count"], -e["blast_radius_reduction"], e["from"], e["kind"],
               e["to"], e["via"] or "") for e in data["edges"]]
    assert ranked == sorted(ranked) and all(e["exact"] for e in data["edges"])
