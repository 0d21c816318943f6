"""OpenAI Agents SDK (package ``agents``): ``Agent(tools, handoffs, mcp_servers)``,
``@function_tool``, ``handoff()``, ``agent.as_tool()``, MCP servers, guardrails."""

from __future__ import annotations

from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import AsTool, FuncV, Handoff, Link, ObjRef, Value
from airgraph.ingest.code.handlers import add_link, decorated_tool, make_agent, make_mcp_server

__all__ = ["HANDLERS", "METHODS"]

_FW = "openai-agents"


def _agent(site: CallSite) -> Value:
    obj = make_agent(site, _FW, name=site.text(None, "name"), tools=site.arg(None, "tools"),
                     model=site.arg(None, "model"), instructions=site.text(None, "instructions"))
    add_link(obj, "handoffs", site.arg(None, "handoffs"))
    add_link(obj, "mcp", site.arg(None, "mcp_servers"))
    add_link(obj, "guards", site.arg(None, "input_guardrails"))
    add_link(obj, "guards", site.arg(None, "output_guardrails"))
    return ObjRef(obj.key)


def _function_tool_deco(site: CallSite) -> Value:
    return decorated_tool(site, _FW, name=site.text(None, "name_override"),
                          description=site.text(None, "description_override"))


def _function_tool_call(site: CallSite) -> Value | None:
    func = site.arg(0, "func")
    if not isinstance(func, FuncV):
        return None
    obj = site.new("Tool", site.text(None, "name_override") or func.qualname.rsplit(".", 1)[-1],
                   framework=_FW)
    obj.links.append(Link("body", func))
    return ObjRef(obj.key)


def _handoff(site: CallSite) -> Value | None:
    agent = site.arg(0, "agent")
    return None if agent is None else Handoff(agent)


def _as_tool(site: CallSite) -> Value:
    return AsTool(site.base)


def _guardrail(mode: str) -> Handler:
    def make(site: CallSite) -> Value:
        qualname = site.decorated or site.key()
        obj = site.new("Guardrail", site.text(None, "name") or qualname.rsplit(".", 1)[-1],
                       framework=_FW, props={"mode": mode}, key=qualname)
        return ObjRef(obj.key)
    return make


def _mcp(transport: str) -> Handler:
    def make(site: CallSite) -> Value:
        params = site.const(None, "params")
        params = params if isinstance(params, dict) else {}
        args = params.get("args")
        return make_mcp_server(site, _FW, name=site.text(None, "name"), transport=transport,
                               command=params.get("command"),
                               args=args if isinstance(args, list) else None,
                               url=params.get("url"))
    return make


HANDLERS: dict[str, Handler] = {
    "agents.Agent": _agent,
    "deco:agents.function_tool": _function_tool_deco,
    "agents.function_tool": _function_tool_call,
    "agents.handoff": _handoff,
    "deco:agents.input_guardrail": _guardrail("input_filter"),
    "deco:agents.output_guardrail": _guardrail("output_filter"),
    "agents.mcp.MCPServerStdio": _mcp("stdio"),
    "agents.mcp.MCPServerSse": _mcp("sse"),
    "agents.mcp.MCPServerStreamableHttp": _mcp("streamable-http"),
    "agents.MCPServerStdio": _mcp("stdio"),
}
METHODS: dict[str, Handler] = {"as_tool": _as_tool}
