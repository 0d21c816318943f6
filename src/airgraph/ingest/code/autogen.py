"""AutoGen (``autogen_agentchat``, 0.4+) and AG2/AutoGen 0.2 (``autogen``): assistants,
code executors, teams and group chats, function tools, MCP workbenches.

In a group chat every member reads what the others write, so members delegate to
one another (inferred): one member's untrusted input can reach another's code
execution.
"""

from __future__ import annotations

from airgraph.ingest.code.builtins import unsandboxed
from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import AsTool, FuncV, Link, Lit, McpTools, ObjRef, Seq, Value
from airgraph.ingest.code.handlers import add_link, decorated_tool, make_agent, make_mcp_server

__all__ = ["HANDLERS", "METHODS"]

_FW = "autogen"


def _llm_config_model(site: CallSite) -> str | None:
    config = site.const(None, "llm_config")
    if not isinstance(config, dict):
        return None
    model = config.get("model")
    if isinstance(model, str):
        return model
    first = next(iter(config.get("config_list") or []), None)
    return first.get("model") if isinstance(first, dict) else None


def _assistant(site: CallSite) -> Value:
    model = site.arg(None, "model_client")
    llm = _llm_config_model(site)
    obj = make_agent(site, _FW, name=site.text(0, "name"), tools=site.arg(None, "tools"),
                     model=Lit(llm) if llm else model,
                     instructions=site.text(None, "system_message"))
    add_link(obj, "handoffs", site.arg(None, "handoffs"))
    add_link(obj, "tools", site.arg(None, "workbench"))
    _code_execution(site, obj.key)
    return ObjRef(obj.key)


def _code_execution(site: CallSite, agent_key: str) -> None:
    """``code_execution_config`` (0.2) or ``code_executor`` (0.4): the agent runs code."""
    obj = site.scanner.facts.objects[agent_key]
    executor = site.arg(None, "code_executor")
    config = site.const(None, "code_execution_config")
    if executor is not None:
        add_link(obj, "tools", executor)
    elif isinstance(config, dict):
        tool = site.new("Tool", "code_execution", framework=_FW,
                        props={"capabilities": ["execute"], "builtin": "code_execution_config"},
                        key=site.scanner.unique(f"{agent_key}.code_execution"))
        if config.get("use_docker") is False:
            unsandboxed(tool, site, "code_execution_config use_docker=False")
        add_link(obj, "tools", ObjRef(tool.key))


def _user_proxy(site: CallSite) -> Value | None:
    """A 0.2 user proxy is an agent only when it executes code."""
    if not isinstance(site.const(None, "code_execution_config"), dict):
        return None
    return _assistant(site)


def _team(site: CallSite) -> Value:
    members = site.arg(0, "participants", "agents")
    obj = make_agent(site, _FW, name=site.text(None, "name"), model=site.arg(None, "model_client"))
    add_link(obj, "members", members)
    add_link(obj, "peers", members)
    return ObjRef(obj.key)


def _group_chat(site: CallSite) -> Value:
    return site.arg(0, "agents") or Seq(())


def _manager(site: CallSite) -> Value:
    members = site.arg(0, "groupchat")
    llm = _llm_config_model(site)
    obj = make_agent(site, _FW, name=site.text(None, "name"), model=Lit(llm) if llm else None)
    add_link(obj, "members", members)
    add_link(obj, "peers", members)
    return ObjRef(obj.key)


def _function_tool(site: CallSite) -> Value:
    func = site.arg(0, "func")
    obj = site.new("Tool", site.text(None, "name"), framework=_FW)
    if isinstance(func, FuncV):
        obj.links.append(Link("body", func))
        obj.name = site.text(None, "name") or func.qualname.rsplit(".", 1)[-1]
    return ObjRef(obj.key)


def _agent_tool(site: CallSite) -> Value | None:
    agent = site.arg(0, "agent", "team")
    return None if agent is None else AsTool(agent)


def _server_params(transport: str) -> Handler:
    def make(site: CallSite) -> Value:
        args = site.const(None, "args")
        return make_mcp_server(site, _FW, name=None, transport=transport,
                               command=site.text(None, "command"),
                               args=args if isinstance(args, list) else None,
                               url=site.text(None, "url"))
    return make


def _mcp_tools(site: CallSite) -> Value:
    return McpTools(site.arg(0, "server_params") or Seq(()))


def _register_for_llm(site: CallSite) -> Value:
    """``@assistant.register_for_llm(...)``: the assistant may call the function."""
    tool = decorated_tool(site, _FW, name=site.text(None, "name"),
                          description=site.text(None, "description"))
    base = site.base
    if isinstance(base, ObjRef) and base.key in site.scanner.facts.objects:
        add_link(site.scanner.facts.objects[base.key], "tools", tool)
    return tool


def _register_function(site: CallSite) -> None:
    func = site.arg(0, "f")
    caller = site.arg(None, "caller")
    if isinstance(func, (FuncV, ObjRef)) and isinstance(caller, ObjRef):
        obj = site.scanner.facts.objects.get(caller.key)
        if obj is not None:
            add_link(obj, "tools", func)


def _initiate_chat(site: CallSite) -> None:
    """Two agents in conversation read each other's messages."""
    base = site.base
    other = site.arg(0, "recipient")
    if isinstance(base, ObjRef) and base.key in site.scanner.facts.objects and other:
        add_link(site.scanner.facts.objects[base.key], "peers", Seq((base, other)),
                 inferred=True)


_AC = "autogen_agentchat"
HANDLERS: dict[str, Handler] = {
    f"{_AC}.agents.AssistantAgent": _assistant,
    f"{_AC}.agents.CodeExecutorAgent": _assistant,
    f"{_AC}.teams.RoundRobinGroupChat": _team,
    f"{_AC}.teams.SelectorGroupChat": _team,
    f"{_AC}.teams.Swarm": _team,
    f"{_AC}.teams.MagenticOneGroupChat": _team,
    f"{_AC}.tools.AgentTool": _agent_tool,
    f"{_AC}.tools.TeamTool": _agent_tool,
    "autogen_core.tools.FunctionTool": _function_tool,
    "autogen_ext.tools.mcp.StdioServerParams": _server_params("stdio"),
    "autogen_ext.tools.mcp.SseServerParams": _server_params("sse"),
    "autogen_ext.tools.mcp.StreamableHttpServerParams": _server_params("streamable-http"),
    "autogen_ext.tools.mcp.mcp_server_tools": _mcp_tools,
    "autogen_ext.tools.mcp.McpWorkbench": _mcp_tools,
    **{f"{m}.{c}": h for m in ("autogen", "ag2")
       for c, h in (("AssistantAgent", _assistant), ("ConversableAgent", _assistant),
                    ("UserProxyAgent", _user_proxy), ("GroupChat", _group_chat),
                    ("GroupChatManager", _manager), ("register_function", _register_function))},
}
METHODS: dict[str, Handler] = {
    "deco:register_for_llm": _register_for_llm,
    "initiate_chat": _initiate_chat,
    "a_initiate_chat": _initiate_chat,
}
