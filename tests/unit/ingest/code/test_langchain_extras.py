"""LangChain extras: load_tools, SQL agents, supervisors, swarms, named MCP servers of
MultiServerMCPClient, chat models by class and by init_chat_model."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from airgraph.ingest.code import scan_source
from airgraph.ingest.validate import validate_records

CODE = """
from langchain.agents import AgentExecutor, create_tool_calling_agent, load_tools
from langchain.chat_models import init_chat_model
from langchain_community.agent_toolkits import create_sql_agent
from langchain_mcp_adapters.client import MultiServerMCPClient
from langgraph.prebuilt import create_react_agent
from langgraph_supervisor import create_supervisor
from langgraph_swarm import create_swarm

llm = init_chat_model("claude-3-7-sonnet", model_provider="anthropic")
legacy_tools = load_tools(["terminal", "requests_all"])
runner = AgentExecutor(agent=create_tool_calling_agent(llm, legacy_tools, prompt=None),
                       tools=legacy_tools)
sql = create_sql_agent(llm, db=None)
client = MultiServerMCPClient({
    "math": {"command": "python", "args": ["math.py"], "transport": "stdio"},
    "weather": {"url": "http://localhost:8000/mcp", "transport": "streamable_http"},
})


async def build():
    tools = await client.get_tools()
    return create_react_agent(llm, tools, name="mcp_user")

alice = create_react_agent(llm, [], name="alice")
bob = create_react_agent(llm, [], name="bob")
boss = create_supervisor([alice, bob], model=llm).compile()
swarm = create_swarm([alice, bob], default_active_agent="alice")
"""


def test_langchain_extras(tmp_path: Path) -> None:
    (tmp_path / "lc.py").write_text(dedent(CODE))
    records = scan_source(tmp_path, workers=1)
    validate_records(records, {})
    nodes = {n.id: n for n in records.nodes}
    edges = {(e.src, str(e.kind), e.dst) for e in records.edges}
    p = "code:lc.py:"
    assert nodes[p + "legacy_tools.terminal"].props["capabilities"] == ["execute"]
    assert nodes[p + "legacy_tools.terminal"].props["findings"][0]["rule"] == (
        "code-unsandboxed-execution")
    assert nodes[p + "legacy_tools.requests_all"].props["capabilities"] == ["egress", "write"]
    assert {d for s, k, d in edges if s == p + "runner" and k == "CALLS"} == {
        p + "legacy_tools.terminal", p + "legacy_tools.requests_all"}
    assert (p + "runner", "USES_MODEL", "model:claude-3-7-sonnet") in edges
    assert nodes["model:claude-3-7-sonnet"].props["provider"] == "anthropic"
    assert nodes[p + "sql.QuerySQLDatabaseTool"].props["capabilities"] == [
        "execute", "read", "write"]
    assert nodes["mcp:math"].props["command"] == "python"
    assert nodes["mcp:weather"].props["url"] == "http://localhost:8000/mcp"
    assert {d for s, k, d in edges if s == p + "build" and k == "CALLS"} == {
        "mcp:math:*", "mcp:weather:*"}
    assert {d for s, k, d in edges if s == p + "boss" and k == "DELEGATES"} == {
        p + "alice", p + "bob"}
    assert (p + "alice", "DELEGATES", p + "bob") in edges
    assert (p + "bob", "DELEGATES", p + "alice") in edges
