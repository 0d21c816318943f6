"""One source cannot break another's edges, and no secret value reaches a store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_estate import dump, invoke

from airgraph.ingest.manifest import parse_manifest
from airgraph.ingest.secrets import is_secret_name
from airgraph.ingest.validate import validate_records

A_TOOL = ("version: 1\nnodes:\n  - {id: x, kind: Tool, capabilities: [read]}\n"
          "  - {id: log, kind: Sink}\n  - {id: w, kind: Workload}\n")
B_CALLS = """version: 1
nodes:
  - {id: chat, kind: EntryPoint, exposure: public, interactive: true, prompts: [b]}
  - {id: b, kind: Agent, calls: [x], logs_to: [log]}
  - {id: crm, kind: DataStore, sensitivity: restricted}
  - {id: t2, kind: Tool, capabilities: [read], reads: [crm]}
edges:
  - {from: x, to: w, kind: HOSTED_BY}
"""


@pytest.fixture
def two_sources(tmp_path: Path) -> tuple[str, Path, Path, Path]:
    """Source A defines x (a Tool), log (a Sink) and w (a Workload); source B calls x,
    logs to log and says x is hosted by w."""
    store = tmp_path / "s.db"
    uri = f"sqlite:///{store}"
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(A_TOOL)
    b.write_text(B_CALLS)
    for path in (a, b):
        result = invoke("ingest", "manifest", str(path), "--store", uri)
        assert result.exit_code == 0, result.stderr
    return uri, store, a, b


def _json(*args: str) -> dict:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_kind_change_that_breaks_another_sources_edge_is_refused(two_sources):
    uri, store, a, b = two_sources
    chokepoints = _json("chokepoints", "--store", uri)
    before = dump(store)
    a.write_text("version: 1\nnodes:\n  - {id: x, kind: DataStore, sensitivity: restricted}\n"
                 "  - {id: log, kind: Sink}\n  - {id: w, kind: Workload}\n")

    result = invoke("ingest", "manifest", str(a), "--store", uri)

    assert result.exit_code == 2 and "Traceback" not in result.stdout + result.stderr
    error = " ".join(result.stderr.split())
    assert "[x]" in error and "would become a DataStore" in error
    assert f"b -CALLS-> x (source manifest:{b})" in error
    assert dump(store) == before
    assert _json("chokepoints", "--store", uri) == chokepoints
    assert invoke("ingest", "manifest", str(b), "--store", uri).exit_code == 0


def test_a_kind_change_other_sources_edges_still_allow_is_loaded(two_sources):
    uri, _, a, b = two_sources
    a.write_text("version: 1\nnodes:\n  - {id: x, kind: Tool}\n"  # x kept, so are B's edges:
                 "  - {id: log, kind: DataStore}\n"  # LOGS_TO may end at a DataStore
                 "  - {id: w, kind: MCPServer}\n")  # and HOSTED_BY at an MCPServer
    result = invoke("ingest", "manifest", str(a), "--store", uri)
    assert result.exit_code == 0, result.stderr
    out = _json("show", "b", "--store", uri)["out"]
    assert {"kind": "LOGS_TO", "to": "log"} in [{k: e[k] for k in ("kind", "to")} for e in out]
    assert invoke("ingest", "manifest", str(b), "--store", uri).exit_code == 0


def test_many_broken_edges_are_counted_not_all_listed(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 's.db'}"
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("version: 1\nnodes:\n  - {id: x, kind: Tool}\n")
    b.write_text("version: 1\nnodes:\n" + "".join(
        f"  - {{id: agent{i}, kind: Agent, calls: [x]}}\n" for i in range(6)))
    for path in (a, b):
        assert invoke("ingest", "manifest", str(path), "--store", uri).exit_code == 0
    a.write_text("version: 1\nnodes:\n  - {id: x, kind: Model}\n")
    result = invoke("ingest", "manifest", str(a), "--store", uri)
    error = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "agent0 -CALLS-> x" in error and "and 3 more" in error
    assert "agent5 -CALLS-> x" not in error


def test_an_id_that_disappears_hides_other_sources_edges_with_a_warning(two_sources):
    uri, _, a, b = two_sources
    a.write_text("version: 1\nnodes:\n  - {id: log, kind: Sink}\n"
                 "  - {id: w, kind: Workload}\n")  # x is gone

    result = invoke("ingest", "manifest", str(a), "--store", uri)

    assert result.exit_code == 0, result.stderr
    warning = " ".join(result.stderr.split())
    assert "hidden" in warning and f"b -CALLS-> x (source manifest:{b})" in warning
    assert "CALLS" not in [e["kind"] for e in _json("show", "b", "--store", uri)["out"]]
    again = invoke("ingest", "manifest", str(b), "--store", uri)  # B must now change
    assert again.exit_code == 2 and "[b -CALLS-> x]" in " ".join(again.stderr.split())


def test_forgetting_a_source_names_the_edges_it_hides(two_sources):
    uri, _, a, b = two_sources
    result = invoke("forget", f"manifest:{a}", "--store", uri)
    assert result.exit_code == 0, result.stderr
    warning = " ".join(result.stderr.split())
    assert "3 edge(s)" in warning and "b -CALLS-> x" in warning and "b -LOGS_TO-> log" in warning
    assert "x -HOSTED_BY-> w" in warning


SECRET = "hunter2-Sup3rSecret-value"


def test_secret_named_properties_are_stored_as_fingerprints(tmp_path: Path):
    store = tmp_path / "s.db"
    uri = f"sqlite:///{store}"
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"version": 1, "nodes": [
        {"id": "db", "kind": "DataStore", "password": SECRET, "apiKey": SECRET + "1",
         "config": {"conn": {"client_secret": SECRET + "2", "user": "svc"},
                    "token": "${DB_TOKEN}", "layers": [{"X-Api-Key": 12345678}]},
         "secret_type": "opaque", "is_secret": True, "private_key": ""},
        {"id": "t", "kind": "Tool", "writes": ["db"]}],
        "edges": [{"from": "t", "to": "db", "kind": "READS",
                   "Authorization": "Bearer " + SECRET}]}))

    first = invoke("ingest", "manifest", str(manifest), "--store", uri)
    assert first.exit_code == 0, first.stderr
    warnings = " ".join(first.stderr.split())
    assert ("node 'db': properties 'apiKey', 'config.conn.client_secret', "
            "'config.layers.0.X-Api-Key', 'password' named like a secret") in warnings
    assert "edge 't -READS-> db': property 'Authorization'" in warnings
    assert SECRET not in first.stdout + first.stderr

    node = _json("show", "db", "--store", uri)["node"]
    for value in (node["password"], node["apiKey"], node["config"]["conn"]["client_secret"],
                  node["config"]["layers"][0]["X-Api-Key"]):
        assert value.startswith("<redacted:") and len(value) == len("<redacted:>") + 16
    assert len({node["password"], node["apiKey"]}) == 2  # a fingerprint per value
    # references, flags, empty values and look-alike names are kept as given
    assert node["config"]["token"] == "${DB_TOKEN}" and node["config"]["conn"]["user"] == "svc"
    assert (node["secret_type"], node["is_secret"], node["private_key"]) == ("opaque", True, "")
    for path in (store, store.with_name("s.db-wal")):
        if path.exists():
            assert SECRET.encode() not in path.read_bytes()

    again = invoke("ingest", "manifest", str(manifest), "--store", uri, "--json")
    assert again.exit_code == 0
    assert _json("show", "db", "--store", uri)["node"] == node  # same salt, same fingerprint


@pytest.mark.parametrize(("name", "secret"), [
    ("password", True), ("DB_PASSWORD", True), ("passwd", True), ("passPhrase", True),
    ("client_secret", True), ("secret", True), ("aws_secret_access_key", True),
    ("token", True), ("refreshToken", True), ("api_key", True), ("api-key", True),
    ("API_KEY", True), ("apiKey", True), ("x-api-key", True), ("private_key", True),
    ("signing.key", True), ("Authorization", True), ("bearer", True), ("credentials", True),
    ("secret_type", False), ("secret_fingerprints", False), ("max_tokens", False),
    ("token_url", False), ("password_policy", False), ("key", False), ("monkey", False),
    ("primary_key", False), ("aws_access_key_id", False), ("author", False),
])
def test_secret_like_names(name: str, secret: bool):
    assert is_secret_name(name) is secret


def test_every_ingestor_gets_the_redaction_and_the_salt_is_read_only_when_needed():
    records = parse_manifest({"version": 1, "nodes": [{"id": "a", "kind": "Agent",
                                                       "description": "no secret"}]})
    validate_records(records, {}, salt=_no_salt)
    assert records.warnings == []

    records = parse_manifest({"version": 1, "nodes": [{"id": "a", "kind": "Agent",
                                                       "token": SECRET}]})
    validate_records(records, {}, salt=lambda: b"salt")
    assert records.nodes[0].props["token"].startswith("<redacted:")
    assert len(records.warnings) == 1 and "node 'a'" in records.warnings[0]


def _no_salt() -> bytes:
    raise AssertionError("the salt is read only when a secret is found")


def test_digests_an_ingestor_already_made_are_kept():
    fingerprints = {"env GITHUB_TOKEN": "a5a9d91cd8959952", "header Authorization": "342d"}
    records = parse_manifest({"version": 1, "nodes": [
        {"id": "mcp:github", "kind": "MCPServer", "secret_fingerprints": fingerprints,
         "token_sha256": "ab" * 32, "args": ["--token", "<redacted:a5a9d91cd8959952>"],
         "api_key": "<redacted:a5a9d91cd8959952>"}]})
    validate_records(records, {}, salt=_no_salt)
    assert records.warnings == []
    assert records.nodes[0].props["secret_fingerprints"] == fingerprints
