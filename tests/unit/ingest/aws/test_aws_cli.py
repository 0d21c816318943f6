"""``airgraph ingest aws`` offline, end to end through a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

from test_aws_transform import API, EXAMPLE, RECORDS_BUCKET
from typer.testing import CliRunner

from airgraph.cli.main import app

runner = CliRunner()
OFFLINE = ["ingest", "aws", "--authorization-details", str(EXAMPLE / "authorization-details.json"),
           "--resources", str(EXAMPLE / "resources.json")]


def _store_file(store_uri: str) -> Path:
    return Path(store_uri.removeprefix("sqlite:///"))


def test_help_teaches() -> None:
    result = runner.invoke(app, ["ingest", "aws", "--help"])
    assert result.exit_code == 0
    for words in ("--authorization-details", "--region", "Never stored", "aws:<account-id>"):
        assert words in result.output


def test_offline_ingest_overlay_and_paths(store_uri: str) -> None:
    ingest = runner.invoke(app, [*OFFLINE, "--store", store_uri, "--json"])
    assert ingest.exit_code == 0, ingest.output
    assert json.loads(ingest.stdout)["source"] == "aws:123456789012"
    overlay = runner.invoke(app, ["ingest", "manifest", str(EXAMPLE / "overlay.yaml"),
                                  "--store", store_uri])
    assert overlay.exit_code == 0, overlay.output
    paths = runner.invoke(app, ["paths", "--from", API, "--to", RECORDS_BUCKET, "--assume",
                                "worst", "--k", "5", "--store", store_uri, "--json"])
    assert paths.exit_code == 0, paths.output
    found = [p["edges"] for p in json.loads(paths.stdout)["paths"]]
    assert ["PROMPTS", "CALLS", "RUNS_AS", "CAN_READ"] in found
    show = runner.invoke(app, ["show", RECORDS_BUCKET, "--store", store_uri, "--json"])
    assert show.exit_code == 0, show.output
    shown = json.loads(show.stdout)  # the overlay's sensitivity wins over the tag's
    assert shown["node"]["sensitivity"] == "restricted"
    assert shown["provenance"]["store_type"] == "aws:123456789012"


def test_no_secret_value_reaches_the_store(store_uri: str) -> None:
    assert runner.invoke(app, [*OFFLINE, "--store", store_uri]).exit_code == 0
    raw = b"".join(p.read_bytes() for p in _store_file(store_uri).parent.glob("store.db*"))
    assert b"example-value-never-stored-9f3a" not in raw
    assert b"LEGACY_API_TOKEN" in raw


def test_reingest_replaces_the_account(store_uri: str) -> None:
    first = json.loads(runner.invoke(app, [*OFFLINE, "--store", store_uri, "--json"]).stdout)
    second = json.loads(runner.invoke(app, [*OFFLINE, "--store", store_uri, "--json"]).stdout)
    assert (second["snapshot"], second["nodes"], second["edges"]) == \
        (first["snapshot"] + 1, first["nodes"], first["edges"])


def test_malformed_file_exits_2_naming_the_file_and_line(store_uri: str, tmp_path: Path) -> None:
    bad = tmp_path / "auth.json"
    bad.write_text('{"RoleDetailList": [\n  {"RoleName": }\n]}')
    result = runner.invoke(app, ["ingest", "aws", "--authorization-details", str(bad),
                                 "--store", store_uri])
    assert result.exit_code == 2
    assert "auth.json:2" in result.output


def test_unknown_service_in_resources_is_an_error(store_uri: str, tmp_path: Path) -> None:
    bad = tmp_path / "resources.json"
    bad.write_text(json.dumps({"S4": {"Buckets": []}}))
    result = runner.invoke(app, [*OFFLINE[:4], "--resources", str(bad), "--store", store_uri])
    assert result.exit_code == 2 and "S4" in result.output
