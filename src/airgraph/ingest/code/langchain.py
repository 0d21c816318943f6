"""LangChain and LangGraph: ``@tool``, tool classes, ``bind_tools``, agent constructors,
supervisors and swarms, ``StateGraph`` nodes and edges, MCP adapters."""

from __future__ import annotations

import ast
from typing import Any

from airgraph.ingest.code.builtins import HOST_EXECUTION, load_tools, unsandboxed
from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import (
    Ext,
    FuncV,
    Link,
    Lit,
    McpTools,
    ObjRef,
    Seq,
    ToolNodeV,
    Unknown,
    Value,
)
from airgraph.ingest.code.graphs import END, START
from airgraph.ingest.code.handlers import (
    add_link,
    adopt,
    decorated_tool,
    make_agent,
    make_mcp_server,
    parse_model,
)

__all__ = ["HANDLERS", "METHODS", "tool_class"]

_LC, _LG = "langchain", "langgraph"


def _tool_deco(site: CallSite) -> Value:
    return decorated_tool(site, _LC, name=site.text(0, "name_or_callable"),
                          description=site.text(None, "description"))


def _tool_from_function(site: CallSite) -> Value | None:
    func = site.arg(0, "func", "coroutine")
    name = site.text(None, "name")
    obj = site.new("Tool", name, framework=_LC)
    if isinstance(func, FuncV):
        obj.links.append(Link("body", func))
        if name is None:
            obj.name = func.qualname.rsplit(".", 1)[-1]
    return ObjRef(obj.key)


def tool_class(framework: str) -> Handler:
    """A ``BaseTool`` subclass is a Tool: named by its ``name`` attribute, read from its
    ``_run``."""
    def make(site: CallSite) -> Value:
        qualname = site.decorated or site.key()
        facts = site.scanner.facts
        name = facts.exports.get(f"{qualname}.name")
        obj = site.new("Tool", name.value if isinstance(name, Lit) and isinstance(name.value, str)
                       else qualname.rsplit(".", 1)[-1], framework=framework, key=qualname)
        for method in ("_run", "_arun", "run"):
            if f"{qualname}.{method}" in facts.funcs:
                obj.links.append(Link("body", FuncV(f"{qualname}.{method}")))
        return ObjRef(obj.key)
    return make


def _agent_ctor(model_pos: int, model_kw: tuple[str, ...], tools_pos: int,
                framework: str = _LG) -> Handler:
    def make(site: CallSite) -> Value:
        prompt = site.text(None, "prompt", "system_prompt", "state_modifier")
        obj = make_agent(site, framework, name=site.text(None, "name"),
                         tools=site.arg(tools_pos, "tools"),
                         model=site.arg(model_pos, *model_kw), instructions=prompt)
        return ObjRef(obj.key)
    return make


def _agent_executor(site: CallSite) -> Value:
    agent = site.arg(0, "agent")
    tools = site.arg(1, "tools")
    if isinstance(agent, ObjRef) and agent.key in site.scanner.facts.objects:
        obj = adopt(site, agent)
        add_link(obj, "tools", tools)
        return ObjRef(obj.key)
    return ObjRef(make_agent(site, _LC, tools=tools).key)


def _initialize_agent(site: CallSite) -> Value:
    return ObjRef(make_agent(site, _LC, tools=site.arg(0, "tools"), model=site.arg(1, "llm")).key)


def _code_agent(builtin: str) -> Handler:
    """SQL and pandas agents run the code or SQL the model writes."""
    def make(site: CallSite) -> Value:
        obj = make_agent(site, _LC, model=site.arg(0, "llm"),
                         tools=site.arg(None, "toolkit", "extra_tools"))
        tool = site.new("Tool", builtin, framework=_LC,
                        props={"capabilities": ["execute", "read", "write"], "builtin": builtin},
                        key=site.scanner.unique(f"{obj.key}.{builtin}"))
        if builtin in HOST_EXECUTION:
            unsandboxed(tool, site, site.cls_name)
        obj.links.append(Link("tools", ObjRef(tool.key)))
        return ObjRef(obj.key)
    return make


def _team(peers: bool) -> Handler:
    def make(site: CallSite) -> Value:
        members = site.arg(0, "agents")
        obj = make_agent(site, _LG, name=site.text(None, "supervisor_name", "name"),
                         model=site.arg(None, "model"), tools=site.arg(None, "tools"),
                         instructions=site.text(None, "prompt"))
        add_link(obj, "members", members)
        if peers:
            add_link(obj, "peers", members)
        return ObjRef(obj.key)
    return make


def _bind_tools(site: CallSite) -> Value:
    base = site.base
    obj = make_agent(site, _LC, tools=site.arg(0, "tools"), model=base)
    return ObjRef(obj.key)


def _same(site: CallSite) -> Value:
    """Methods that keep what they are called on (``with_config``, ``get_tools``)."""
    return site.base


def _init_chat_model(site: CallSite) -> Value | None:
    text = site.text(0, "model")
    return None if text is None else parse_model(text, site.text(None, "model_provider"))


# --- LangGraph ------------------------------------------------------------------------

def _graph(site: CallSite) -> Value:
    key = site.key("StateGraph")
    site.scanner.facts.graphs.append({"key": key, "line": site.line, "nodes": {}, "edges": [],
                                      "cond": [], "compiled": None})
    return ObjRef(key)


def _graph_of(site: CallSite) -> dict[str, Any] | None:
    base = site.base
    if not isinstance(base, ObjRef):
        return None
    return next((g for g in site.scanner.facts.graphs if g["key"] == base.key), None)


def _node_names(value: Value | None) -> list[str]:
    if isinstance(value, Lit) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, Ext):
        last = value.dotted.rsplit(".", 1)[-1]
        return [START] if last == "START" else [END] if last == "END" else []
    if isinstance(value, Seq):
        return [n for item in value.items for n in _node_names(item)]
    return []


def _graph_method(kind: str) -> Handler:
    def handle(site: CallSite) -> Value | None:
        graph = _graph_of(site)
        if graph is None:
            base = site.base
            if (kind == "compile" and isinstance(base, ObjRef)
                    and base.key in site.scanner.facts.objects):
                return ObjRef(adopt(site, base).key)  # create_supervisor(...).compile()
            return None
        if kind == "add_node":
            first = site.arg(0, "node")
            action = site.arg(1, "action")
            names = _node_names(first)
            if action is None and isinstance(first, (FuncV, ObjRef)):
                action = first
                names = [getattr(first, "qualname", getattr(first, "key", "")).rsplit(".", 1)[-1]]
            for name in names:
                graph["nodes"][name] = action if action is not None else Unknown()
        elif kind == "add_edge":
            for src in _node_names(site.arg(0, "start_key")):
                for dst in _node_names(site.arg(1, "end_key")):
                    graph["edges"].append((src, dst))
        elif kind == "set_entry_point":
            graph["edges"].extend((START, n) for n in _node_names(site.arg(0, "key")))
        elif kind in ("add_conditional_edges", "set_conditional_entry_point"):
            offset = 0 if kind == "set_conditional_entry_point" else 1
            src = START if offset == 0 else next(iter(_node_names(site.arg(0, "source"))), None)
            router = site.arg(offset, "path")
            targets = _path_map(site, offset + 1)
            if src is not None:
                graph["cond"].append((src, router, targets))
        elif kind == "compile":
            obj = site.new("Agent", site.text(None, "name"), framework=_LG,
                           key=site.key() if site.hint else site.scanner.unique(
                               f"{graph['key']}.compiled"))
            graph["compiled"] = obj.key
            return ObjRef(obj.key)
        return Unknown()
    return handle


def _path_map(site: CallSite, pos: int) -> list[str] | None:
    """The nodes a conditional edge's path map names (dict values or a list)."""
    raw = site.raw(pos, "path_map")
    if raw is None:
        return None
    if isinstance(raw, ast.Dict):
        return [n for v in raw.values
                for n in _node_names(site.scanner.eval(v, site.scope, None, direct=False))]
    return _node_names(site.arg(pos, "path_map"))


def _tool_node(site: CallSite) -> Value:
    return ToolNodeV(site.arg(0, "tools") or Seq(()))


def _mcp_tools(site: CallSite) -> Value:
    return McpTools(site.arg(0, "session") or Unknown())


def _multi_server_client(site: CallSite) -> Value:
    """``MultiServerMCPClient({"math": {"command": ..., "args": [...]}})``: named servers."""
    connections = site.const(0, "connections")
    servers: list[Value] = []
    for name, spec in (connections or {}).items():
        if not isinstance(spec, dict):
            continue
        transport = str(spec.get("transport") or ("stdio" if spec.get("command") else "http"))
        args = spec.get("args")
        servers.append(make_mcp_server(site, _LC, name=name, transport=transport,
                                       command=spec.get("command"),
                                       args=args if isinstance(args, list) else None,
                                       url=spec.get("url")))
    return Seq(tuple(servers))


_TOOL_DECOS = ("langchain_core.tools.tool", "langchain.tools.tool", "langchain.agents.tool",
               "langchain_core.tools.convert.tool")
_BASE_TOOLS = ("langchain_core.tools.BaseTool", "langchain.tools.BaseTool",
               "langchain_core.tools.base.BaseTool")
_LC_AGENTS = ("create_tool_calling_agent", "create_openai_functions_agent",
              "create_openai_tools_agent", "create_structured_chat_agent", "create_react_agent",
              "create_json_chat_agent", "create_xml_agent")

HANDLERS: dict[str, Handler] = {
    **{f"deco:{d}": _tool_deco for d in _TOOL_DECOS},
    **{d: _tool_from_function for d in _TOOL_DECOS},
    **{f"class:{c}": tool_class(_LC) for c in _BASE_TOOLS},
    **{f"{m}.{c}{f}": _tool_from_function for m in ("langchain_core.tools", "langchain.tools",
                                                      "langchain.agents")
       for c in ("StructuredTool", "Tool") for f in (".from_function", "")},
    "langgraph.prebuilt.create_react_agent": _agent_ctor(0, ("model",), 1),
    "langgraph.prebuilt.chat_agent_executor.create_react_agent": _agent_ctor(0, ("model",), 1),
    "langchain.agents.create_agent": _agent_ctor(0, ("model",), 1, _LC),
    **{f"langchain.agents.{n}": _agent_ctor(0, ("llm",), 1, _LC) for n in _LC_AGENTS},
    "langchain.agents.AgentExecutor": _agent_executor,
    "langchain.agents.initialize_agent": _initialize_agent,
    "langchain.agents.load_tools": load_tools,
    "langchain_community.agent_toolkits.load_tools.load_tools": load_tools,
    "langchain_community.agent_toolkits.load_tools": load_tools,
    "langchain_community.agent_toolkits.create_sql_agent": _code_agent("QuerySQLDatabaseTool"),
    "langchain_community.agent_toolkits.sql.base.create_sql_agent":
        _code_agent("QuerySQLDatabaseTool"),
    "langchain_experimental.agents.create_pandas_dataframe_agent":
        _code_agent("PythonAstREPLTool"),
    "langchain_experimental.agents.create_csv_agent": _code_agent("PythonAstREPLTool"),
    "langchain_experimental.agents.agent_toolkits.create_python_agent":
        _code_agent("PythonREPLTool"),
    "langgraph_supervisor.create_supervisor": _team(peers=False),
    "langgraph_swarm.create_swarm": _team(peers=True),
    "langchain.chat_models.init_chat_model": _init_chat_model,
    "langgraph.graph.StateGraph": _graph,
    "langgraph.graph.state.StateGraph": _graph,
    "langgraph.graph.MessageGraph": _graph,
    "langgraph.prebuilt.ToolNode": _tool_node,
    "langchain_mcp_adapters.tools.load_mcp_tools": _mcp_tools,
    "langchain_mcp_adapters.client.MultiServerMCPClient": _multi_server_client,
}
METHODS: dict[str, Handler] = {
    "bind_tools": _bind_tools,
    "get_tools": _same, "with_config": _same, "with_retry": _same,
    "with_structured_output": _same,
    **{m: _graph_method(m) for m in ("add_node", "add_edge", "set_entry_point",
                                     "add_conditional_edges", "set_conditional_entry_point",
                                     "compile")},
}
