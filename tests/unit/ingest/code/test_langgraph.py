"""LangChain/LangGraph sample: @tool, BaseTool, built-in shell, bind_tools,
create_react_agent, a StateGraph with a tool node and conditional edges, routes."""

from __future__ import annotations

import pytest

from airgraph.ingest.validate import validate_records

G = "code:app/graph.py:"
T = "code:app/tools.py:"


@pytest.fixture(scope="module")
def s(scan):
    return scan("langgraph")


def test_bound_model_is_an_agent_with_its_tools(s) -> None:
    assert s.nodes[G + "planner_llm"].kind == "Agent"
    assert s.out(G + "planner_llm", "CALLS") == {T + "fetch_url", T + "remove"}
    assert s.out(G + "planner_llm", "USES_MODEL") == {"model:gpt-4o"}
    assert s.nodes["model:gpt-4o"].props["provider"] == "openai"


def test_react_agent_tools_and_provider_model(s) -> None:
    assert s.out(G + "coder", "CALLS") == {T + "shell", T + "SqlTool"}
    assert s.out(G + "coder", "USES_MODEL") == {"model:claude-3-5-sonnet-latest"}
    assert s.nodes[T + "SqlTool"].name == "run_sql"
    assert s.nodes[T + "SqlTool"].props["capabilities"] == ["execute"]
    assert s.nodes[T + "shell"].props["capabilities"] == ["execute"]
    assert s.nodes[T + "shell"].props["findings"][0]["rule"] == "code-unsandboxed-execution"
    assert s.nodes[T + "remove"].name == "delete_file"
    assert s.nodes[T + "remove"].props["capabilities"] == ["write"]


def test_graph_edges_through_router_and_path_map_delegate(s) -> None:
    # planner -> review (a plain function) -> route's path map -> coder
    assert s.out(G + "planner_llm", "DELEGATES") == {G + "coder"}
    assert s.out(G + "graph", "DELEGATES") == {G + "planner_llm"}
    assert s.nodes[G + "graph"].props["framework"] == "langgraph"


def test_routes_with_and_without_visible_auth(s) -> None:
    ask, hook = s.nodes["code:app/server.py:ask"], s.nodes["code:app/server.py:hook"]
    assert ask.props["exposure"] == "partner" and ask.props["authenticated"] is True
    assert hook.props["exposure"] == "public" and hook.name == "POST /hook"
    assert s.out("code:app/server.py:hook", "PROMPTS") == {G + "graph"}
    assert s.out("code:app/server.py:ask", "PROMPTS") == {G + "graph"}


def test_orphan_tool_unbound(s) -> None:
    assert s.into(T + "orphan", "CALLS") == set()


def test_valid(s) -> None:
    validate_records(s.records, {})
