"""The records of a whole fixture estate: nodes, edges, evidence, findings, no secrets."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from mcp_fixtures import DATA, HOME, INLINE_SECRETS, PROJECT

from airgraph.errors import IngestError
from airgraph.ingest.mcp.discover import discover
from airgraph.ingest.mcp.listing import read_tools_json
from airgraph.ingest.mcp.transform import Machine, build_records
from airgraph.ingest.records import SourceRecords
from airgraph.ingest.validate import validate_records


@pytest.fixture
def records(machine: Machine) -> SourceRecords:
    found = discover([], home=HOME, cwd=PROJECT)
    listings = read_tools_json(DATA / "tools/filesystem.json") + read_tools_json(
        DATA / "tools/slack.json")
    records = build_records(found.configs, listings, found.instruction_files, machine=machine,
                            source="mcp:testhost", warnings=found.warnings)
    validate_records(records, {})
    return records


def _edges(records: SourceRecords) -> set[tuple[str, str, str]]:
    return {(e.src, str(e.kind), e.dst) for e in records.edges}


def _rules(records: SourceRecords, node_id: str) -> list[str]:
    node = next(n for n in records.nodes if n.id == node_id)
    return sorted(f["rule"] for f in node.props.get("findings", []))


def test_one_server_node_for_a_server_in_two_clients(records: SourceRecords) -> None:
    github = next(n for n in records.nodes if n.id == "mcp:github")
    assert github.props["clients"] == ["claude-desktop", "cursor"]
    assert [c["client"] for c in github.props["configured_in"]] == ["claude-desktop", "cursor"]
    assert github.props["env_names"] == ["GITHUB_PERSONAL_ACCESS_TOKEN", "LOG_LEVEL"]
    assert github.props["env_inline"] == ["GITHUB_PERSONAL_ACCESS_TOKEN", "LOG_LEVEL"]


def test_attack_path_edges(records: SourceRecords) -> None:
    edges = _edges(records)
    home = "file:testhost:/home/dev"
    user = "local-user:testhost:dev"
    tool = "mcp:filesystem:read_text_file"
    assert {("mcp-client:claude-desktop", "CALLS", tool), ("mcp:filesystem", "PROVIDES", tool),
            (tool, "HOSTED_BY", "mcp:filesystem"), (tool, "READS", home),
            ("mcp:filesystem", "RUNS_AS", user), (user, "CAN_READ", home),
            (user, "CAN_WRITE", home),
            ("mcp:filesystem:write_file", "WRITES", home)} <= edges
    assert (tool, "WRITES", home) not in edges
    assert ("mcp:slack:slack_post_message", "SENDS_TO", "mcp-message:slack") in edges
    assert not any(e[0] == "mcp:crm" and e[1] == "RUNS_AS" for e in edges)  # remote server


def test_read_only_docker_mount_is_not_written(records: SourceRecords) -> None:
    reports = "file:testhost:/home/dev/reports"
    assert ("mcp:slack:slack_post_message", "WRITES", reports) not in _edges(records)
    assert ("mcp:slack:slack_get_users", "READS", reports) in _edges(records)


def test_evidence(records: SourceRecords) -> None:
    by_key = {(e.src, str(e.kind), e.dst): e.evidence for e in records.edges}
    assert by_key[("mcp:filesystem", "RUNS_AS", "local-user:testhost:dev")] == "inferred"
    assert by_key[("mcp-client:claude-desktop", "CALLS", "mcp:filesystem:read_text_file")] == \
        "discovered"
    nodes = {n.id: n.evidence for n in records.nodes}
    assert nodes["mcp:filesystem"] == "discovered"
    assert nodes["mcp:slack:slack_get_users"] == "discovered"  # offline listing


def test_config_findings(records: SourceRecords) -> None:
    assert _rules(records, "mcp:github") == ["hard-coded-secret"]
    assert _rules(records, "mcp:filesystem") == ["mcp-broad-filesystem-scope"]
    assert _rules(records, "mcp:shell") == ["mcp-broad-filesystem-scope"]
    assert _rules(records, "mcp:slack") == ["hard-coded-secret", "mcp-privileged-container"]
    assert _rules(records, "mcp:crm") == ["hard-coded-secret", "mcp-plaintext-remote"]
    assert _rules(records, "mcp:search") == ["hard-coded-secret"]
    assert _rules(records, "mcp:postgres") == ["hard-coded-secret"]
    for server in ("mcp:docs", "mcp:jira", "mcp:git", "mcp:notes", "mcp:fetch"):
        assert _rules(records, server) == []


def test_every_finding_names_file_line_and_severity(records: SourceRecords) -> None:
    findings = [f for n in records.nodes if n.id.startswith("mcp:") and ":" not in n.id[4:]
                for f in n.props.get("findings", [])]
    assert findings and all(f["file"] and f["line"] and f["severity"] for f in findings)


def test_tool_findings(records: SourceRecords) -> None:
    assert _rules(records, "mcp:slack:slack_get_users") == ["mcp-hidden-unicode"]
    assert _rules(records, "mcp:filesystem:read_text_file") == []
    evidence = next(n for n in records.nodes if n.id == "mcp:slack:slack_get_users").props[
        "findings"][0]["evidence"]
    assert "\u200b" not in evidence and "<U+200B ZERO WIDTH SPACE>" in evidence


def test_instruction_files_feed_their_clients(records: SourceRecords) -> None:
    claude = f"file:testhost:{PROJECT / 'CLAUDE.md'}"
    agents = f"file:testhost:{PROJECT / 'AGENTS.md'}"
    edges = _edges(records)
    assert (claude, "FEEDS", "mcp-client:claude-code") in edges
    assert {(agents, "FEEDS", f"mcp-client:{c}") for c in ("codex-cli", "cursor", "vscode",
                                                          "zed")} <= edges
    assert ("local-user:testhost:dev", "CAN_WRITE", claude) in edges
    node = next(n for n in records.nodes if n.id == claude)
    assert set(node.props) >= {"sha256", "path", "size"} and "text" not in node.props
    assert "instruction-file-poisoning" in _rules(records, claude)
    assert _rules(records, agents) == []


def test_no_inline_secret_value_in_any_record(records: SourceRecords) -> None:
    dumped = json.dumps([[n.id, n.name, dict(n.props)] for n in records.nodes]
                        + [[e.src, e.dst, dict(e.props)] for e in records.edges])
    text = "".join(p.read_text() for p in HOME.rglob("*") if p.is_file())
    for secret in INLINE_SECRETS:
        assert secret in text, secret  # the fixture really holds it
        assert secret not in dumped
    crm = next(n for n in records.nodes if n.id == "mcp:crm")
    assert crm.props["header_names"] == ["Authorization"]
    search = next(n for n in records.nodes if n.id == "mcp:search")
    assert "<redacted:" in search.props["url"]


def test_one_secret_in_two_servers_has_one_fingerprint(machine: Machine) -> None:
    found = discover([HOME / ".config/Claude/claude_desktop_config.json"], home=HOME,
                     cwd=PROJECT)
    twin = next(c for c in found.configs if c.name == "github")
    found.configs.append(replace(twin, name="github-copy"))
    records = build_records(found.configs, [], [], machine=machine, source="s")
    fps = {n.id: n.props.get("secret_fingerprints") for n in records.nodes}
    assert fps["mcp:github-copy"] == fps["mcp:github"]
    assert len(fps["mcp:github"]["env GITHUB_PERSONAL_ACCESS_TOKEN"]) == 16


def test_tools_json_errors_name_the_file(tmp_path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text('{"server": "x", "tools": {"no": "list"}}')
    with pytest.raises(IngestError, match="tools/list"):
        read_tools_json(bad)
    bad.write_text('{"server": "x",\n "tools": [}')
    with pytest.raises(IngestError) as err:
        read_tools_json(bad)
    assert err.value.line == 2
