"""Plain MCP client code: the server behind stdio_client/ClientSession, its tools
loaded into an agent, the __main__ block's input() as an entry point."""

from __future__ import annotations

import pytest

from airgraph.ingest.validate import validate_records

M = "code:client.py:"


@pytest.fixture(scope="module")
def s(scan):
    return scan("mcp_client")


def test_server_and_agent(s) -> None:
    server = s.nodes[M + "server_params"]
    assert server.kind == "MCPServer"
    assert (server.props["command"], server.props["args"]) == ("python", ["math_server.py"])
    assert s.out(M + "main.agent", "CALLS") == {M + "server_params:*"}
    assert s.out(M + "server_params", "PROVIDES") == {M + "server_params:*"}
    assert s.out(M + "main", "PROMPTS") == {M + "main.agent"}


def test_valid(s) -> None:
    validate_records(s.records, {})
