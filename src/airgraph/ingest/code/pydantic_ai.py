"""PydanticAI: ``Agent(model, tools, toolsets, builtin_tools)``, ``@agent.tool`` and
``@agent.tool_plain``, ``Tool(func)``, MCP servers, common search tools."""

from __future__ import annotations

from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import FuncV, Link, ObjRef, Value
from airgraph.ingest.code.handlers import add_link, decorated_tool, make_agent, make_mcp_server

__all__ = ["HANDLERS", "METHODS"]

_FW = "pydantic-ai"


def _agent(site: CallSite) -> Value:
    prompt = site.text(None, "system_prompt", "instructions")
    obj = make_agent(site, _FW, name=site.text(None, "name"), tools=site.arg(None, "tools"),
                     model=site.arg(0, "model"), instructions=prompt)
    for kw in ("toolsets", "mcp_servers", "builtin_tools"):
        add_link(obj, "tools", site.arg(None, kw))
    return ObjRef(obj.key)


def _agent_tool(site: CallSite) -> Value | None:
    """``@agent.tool`` / ``@agent.tool_plain`` on a PydanticAI agent only (an MCP
    server's ``@mcp.tool()`` is not a client-side tool)."""
    base = site.base
    obj = site.scanner.facts.objects.get(base.key) if isinstance(base, ObjRef) else None
    if obj is None or obj.framework != _FW:
        return None
    tool = decorated_tool(site, _FW, name=site.text(None, "name"),
                          description=site.text(None, "description"))
    add_link(obj, "tools", tool)
    return tool


def _tool(site: CallSite) -> Value | None:
    func = site.arg(0, "function")
    if not isinstance(func, FuncV):
        return None
    obj = site.new("Tool", site.text(None, "name") or func.qualname.rsplit(".", 1)[-1],
                   framework=_FW)
    obj.links.append(Link("body", func))
    return ObjRef(obj.key)


def _mcp(transport: str) -> Handler:
    def make(site: CallSite) -> Value:
        args = site.const(1, "args")
        remote = transport != "stdio"
        return make_mcp_server(site, _FW, name=None, transport=transport,
                               command=None if remote else site.text(0, "command"),
                               args=args if isinstance(args, list) and not remote else None,
                               url=site.text(0, "url") if remote else None)
    return make


def _search_tool(site: CallSite) -> Value:
    obj = site.new("Tool", site.cls_name, framework=_FW,
                   props={"capabilities": ["egress"], "builtin": site.cls_name})
    return ObjRef(obj.key)


_MCP = "pydantic_ai.mcp"
HANDLERS: dict[str, Handler] = {
    "pydantic_ai.Agent": _agent,
    "pydantic_ai.agent.Agent": _agent,
    "pydantic_ai.Tool": _tool,
    "pydantic_ai.tools.Tool": _tool,
    f"{_MCP}.MCPServerStdio": _mcp("stdio"),
    f"{_MCP}.MCPServerSSE": _mcp("sse"),
    f"{_MCP}.MCPServerHTTP": _mcp("streamable-http"),
    f"{_MCP}.MCPServerStreamableHTTP": _mcp("streamable-http"),
    "pydantic_ai.common_tools.duckduckgo.duckduckgo_search_tool": _search_tool,
    "pydantic_ai.common_tools.tavily.tavily_search_tool": _search_tool,
}
METHODS: dict[str, Handler] = {"deco:tool": _agent_tool, "deco:tool_plain": _agent_tool}
