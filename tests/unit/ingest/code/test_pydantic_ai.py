"""PydanticAI sample: model strings, @agent.tool, Tool(), toolsets of MCP servers,
delegation through a tool that runs another agent."""

from __future__ import annotations

import pytest

from airgraph.ingest.validate import validate_records

B = "code:bank.py:"


@pytest.fixture(scope="module")
def s(scan):
    return scan("pydantic_ai")


def test_agents_tools_and_models(s) -> None:
    assert s.out(B + "support", "CALLS") == {
        B + "support.balance", B + "support.duckduckgo_search_tool", B + "remote:*",
        B + "ask_analyst", B + "wipe"}
    assert s.out(B + "support", "USES_MODEL") == {"model:gpt-4o-mini"}
    assert s.nodes["model:gpt-4o-mini"].props["provider"] == "openai"
    assert s.out(B + "analyst", "USES_MODEL") == {"model:gpt-4o"}
    assert s.nodes[B + "wipe"].props["capabilities"] == ["write"]


def test_tool_running_an_agent_is_inferred_delegation(s) -> None:
    edge = s.edges[(B + "support", "DELEGATES", B + "analyst")]
    assert edge.evidence == "inferred" and edge.props["via"] == f"tool:{B}ask_analyst"


def test_mcp_servers(s) -> None:
    assert s.nodes[B + "run_python"].props["command"] == "deno"
    assert s.nodes[B + "remote"].props["url"] == "https://tools.example.com/mcp"
    assert s.out(B + "analyst", "CALLS") == {B + "run_python:*"}


def test_valid(s) -> None:
    validate_records(s.records, {})
