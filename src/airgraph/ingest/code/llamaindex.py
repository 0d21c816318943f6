"""LlamaIndex: ``FunctionTool``/``QueryEngineTool``, ``ReActAgent``/``FunctionAgent``
(``can_handoff_to``), ``AgentWorkflow``, ``CodeActAgent``, tool specs, MCP tools."""

from __future__ import annotations

from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import FuncV, Link, McpTools, ObjRef, Value
from airgraph.ingest.code.handlers import add_link, make_agent, make_mcp_server

__all__ = ["HANDLERS", "METHODS"]

_FW = "llamaindex"


def _agent(tools_pos: int | None) -> Handler:
    def make(site: CallSite) -> Value:
        obj = make_agent(site, _FW, name=site.text(None, "name"),
                         tools=site.arg(tools_pos, "tools"), model=site.arg(None, "llm"),
                         instructions=site.text(None, "system_prompt"))
        add_link(obj, "handoffs", site.arg(None, "can_handoff_to"))
        return ObjRef(obj.key)
    return make


def _code_act(site: CallSite) -> Value:
    obj = make_agent(site, _FW, name=site.text(None, "name"), tools=site.arg(None, "tools"),
                     model=site.arg(None, "llm"))
    tool = site.new("Tool", "code_execute_fn", framework=_FW,
                    props={"capabilities": ["execute"], "builtin": "CodeActAgent"},
                    key=site.scanner.unique(f"{obj.key}.code_execute_fn"))
    body = site.arg(None, "code_execute_fn")
    if isinstance(body, FuncV):
        tool.links.append(Link("body", body))
    add_link(obj, "tools", ObjRef(tool.key))
    return ObjRef(obj.key)


def _workflow(site: CallSite) -> Value:
    obj = make_agent(site, _FW, name=site.text(None, "name"))
    add_link(obj, "members", site.arg(0, "agents"))
    return ObjRef(obj.key)


def _function_tool(site: CallSite) -> Value:
    func = site.arg(0, "fn", "async_fn")
    obj = site.new("Tool", site.text(None, "name"), framework=_FW)
    if isinstance(func, FuncV):
        obj.links.append(Link("body", func))
        obj.name = site.text(None, "name") or func.qualname.rsplit(".", 1)[-1]
    return ObjRef(obj.key)


def _query_engine_tool(site: CallSite) -> Value:
    obj = site.new("Tool", site.text(None, "name"), framework=_FW,
                   props={"capabilities": ["read"], "builtin": "QueryEngineTool"})
    return ObjRef(obj.key)


def _mcp_client(site: CallSite) -> Value:
    target = site.text(0, "command_or_url") or ""
    remote = target.startswith(("http://", "https://"))
    args = site.const(1, "args")
    return make_mcp_server(site, _FW, name=None,
                           transport="streamable-http" if remote else "stdio",
                           command=None if remote else target or None,
                           args=args if isinstance(args, list) else None,
                           url=target if remote else None)


def _mcp_spec(site: CallSite) -> Value:
    return McpTools(site.arg(0, "client") or ObjRef(""))


def _same(site: CallSite) -> Value:
    return site.base


_CORE = "llama_index.core"
HANDLERS: dict[str, Handler] = {
    **{f"{m}.{c}": _agent(None) for m in (f"{_CORE}.agent", f"{_CORE}.agent.workflow")
       for c in ("ReActAgent", "FunctionAgent")},
    **{f"{m}.from_tools": _agent(0) for m in (f"{_CORE}.agent.ReActAgent",
                                              "llama_index.agent.openai.OpenAIAgent")},
    f"{_CORE}.agent.workflow.CodeActAgent": _code_act,
    f"{_CORE}.agent.workflow.AgentWorkflow": _workflow,
    f"{_CORE}.agent.workflow.AgentWorkflow.from_tools_or_functions": _agent(0),
    f"{_CORE}.tools.FunctionTool.from_defaults": _function_tool,
    f"{_CORE}.tools.QueryEngineTool.from_defaults": _query_engine_tool,
    f"{_CORE}.tools.QueryEngineTool": _query_engine_tool,
    "llama_index.tools.mcp.BasicMCPClient": _mcp_client,
    "llama_index.tools.mcp.McpToolSpec": _mcp_spec,
}
METHODS: dict[str, Handler] = {"to_tool_list": _same}
