"""OpenAI Agents SDK sample: agents, function tools, hosted tools, hand-offs, as_tool,
a named MCP server, an HTTP entry point; and what must yield nothing."""

from __future__ import annotations

import pytest

from airgraph.ingest.validate import validate_records

A = "code:support/agents_def.py:"
T = "code:support/tools.py:"


@pytest.fixture(scope="module")
def s(scan):
    return scan("openai_agents")


def test_agents_with_names_models_and_lines(s) -> None:
    triage = s.nodes[A + "triage"]
    assert (triage.kind, triage.name) == ("Agent", "Triage agent")
    assert triage.props["framework"] == "openai-agents"
    assert triage.props["file"] == "support/agents_def.py" and triage.props["line"] == 20
    assert s.out(A + "triage", "USES_MODEL") == {"model:gpt-4o"}
    assert s.out(A + "billing", "USES_MODEL") == {"model:gpt-4o-mini"}
    assert s.nodes["model:gpt-4o"].name == "gpt-4o"


def test_tools_across_files_with_capabilities(s) -> None:
    assert s.out(A + "triage", "CALLS") == {
        T + "run_diagnostics", A + "triage.CodeInterpreterTool", "mcp:filesystem:*"}
    assert s.out(A + "billing", "CALLS") == {T + "lookup"}
    assert s.nodes[T + "lookup"].name == "lookup_order"
    assert s.nodes[T + "lookup"].props["capabilities"] == ["egress"]
    assert s.nodes[T + "run_diagnostics"].props["capabilities"] == ["execute"]
    assert s.nodes[A + "triage.CodeInterpreterTool"].props["capabilities"] == ["execute"]
    assert s.nodes[A + "researcher.WebSearchTool"].props["capabilities"] == ["egress"]


def test_handoffs_and_as_tool_delegate(s) -> None:
    assert s.out(A + "triage", "DELEGATES") == {A + "billing", A + "researcher"}


def test_named_mcp_server_joins_mcp_id(s) -> None:
    server = s.nodes["mcp:filesystem"]
    assert server.kind == "MCPServer"
    assert server.props["command"] == "npx" and server.props["transport"] == "stdio"
    assert server.props["args"][-1] == "/srv"
    assert s.out("mcp:filesystem", "PROVIDES") == {"mcp:filesystem:*"}


def test_http_route_prompts_agent(s) -> None:
    entry = s.nodes["code:support/api.py:chat"]
    assert entry.kind == "EntryPoint" and entry.name == "POST /chat"
    assert entry.props["exposure"] == "public" and entry.props["interactive"] is True
    assert s.out("code:support/api.py:chat", "PROMPTS") == {A + "triage"}


def test_command_tool_has_finding(s) -> None:
    (finding,) = s.nodes[T + "run_diagnostics"].props["findings"]
    assert finding["rule"] == "code-tool-runs-commands"
    assert finding["evidence"] == "subprocess.run" and finding["line"] == 9


def test_unbound_tool_has_no_calls(s) -> None:
    assert T + "unused_tool" in s.nodes
    assert s.into(T + "unused_tool", "CALLS") == set()


def test_mentions_tests_and_test_functions_yield_nothing(s) -> None:
    files = {n.props.get("file") for n in s.records.nodes}
    assert "mentions.py" not in files
    assert not any("test" in (f or "") for f in files)
    assert not any(n.name in ("ghost", "Test agent", "Probe agent") for n in s.records.nodes)


def test_unparseable_file_warned_and_skipped(s) -> None:
    assert s.records.warnings == ["broken.py:1: skipped, not valid Python (invalid syntax)"]


def test_records_are_valid_and_carry_source(s) -> None:
    validate_records(s.records, {})
    assert s.records.ingestor == "code"
    assert s.records.source.startswith("code:/") and s.records.source.endswith("openai_agents")
    assert all(n.evidence == "discovered" for n in s.records.nodes)
