"""LlamaIndex sample: function and query-engine tools, a tool spec, can_handoff_to,
an agent workflow, MCP tools."""

from __future__ import annotations

import pytest

from airgraph.ingest.validate import validate_records

W = "code:workflow.py:"


@pytest.fixture(scope="module")
def s(scan):
    return scan("llamaindex")


def test_tools(s) -> None:
    assert s.out(W + "writer", "CALLS") == {W + "adder", W + "code_tools.CodeInterpreterToolSpec"}
    assert s.nodes[W + "code_tools.CodeInterpreterToolSpec"].props["capabilities"] == ["execute"]
    assert s.nodes[W + "adder"].name == "add"
    assert s.out(W + "research", "CALLS") == {W + "docs"}
    assert s.nodes[W + "docs"].props["capabilities"] == ["read"]
    assert s.out(W + "ops", "CALLS") == {W + "github.BasicMCPClient:*"}


def test_handoff_by_name_and_workflow(s) -> None:
    assert s.out(W + "research", "DELEGATES") == {W + "writer"}
    assert s.out(W + "flow", "DELEGATES") == {W + "research", W + "writer"}
    assert s.out(W + "writer", "USES_MODEL") == {"model:gpt-4o-mini"}


def test_valid(s) -> None:
    validate_records(s.records, {})
