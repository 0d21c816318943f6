"""CrewAI: ``Agent(role, tools, llm, allow_delegation, allow_code_execution)``, ``Task``,
``Crew(agents, tasks, process, manager_agent)``, ``@tool``, ``BaseTool`` subclasses and
``@CrewBase`` classes (``@agent``/``@task``/``@crew`` methods)."""

from __future__ import annotations

from airgraph.ingest.code.builtins import unsandboxed
from airgraph.ingest.code.callsite import CallSite, Handler
from airgraph.ingest.code.facts import Ext, Lit, ObjRef, Value
from airgraph.ingest.code.handlers import add_link, decorated_tool, make_agent
from airgraph.ingest.code.langchain import tool_class

__all__ = ["HANDLERS", "METHODS"]

_FW = "crewai"


def _flag(site: CallSite, name: str) -> bool:
    value = site.arg(None, name)
    return isinstance(value, Lit) and value.value is True


def _agent(site: CallSite) -> Value:
    props: dict[str, object] = {}
    if _flag(site, "allow_delegation"):
        props["allow_delegation"] = True
    obj = make_agent(site, _FW, name=site.text(None, "role"), tools=site.arg(None, "tools"),
                     model=site.arg(None, "llm"), instructions=site.text(None, "backstory"),
                     props=props)
    if _flag(site, "allow_code_execution"):
        mode = site.text(None, "code_execution_mode") or "safe"
        tool = site.new("Tool", "CodeInterpreterTool", framework=_FW,
                        props={"capabilities": ["execute"], "builtin": "CodeInterpreterTool",
                               "sandbox": mode != "unsafe"},
                        key=site.scanner.unique(f"{obj.key}.code_execution"))
        if mode == "unsafe":
            unsandboxed(tool, site, 'allow_code_execution=True, code_execution_mode="unsafe"')
        add_link(obj, "tools", ObjRef(tool.key))
    return ObjRef(obj.key)


def _task(site: CallSite) -> Value:
    obj = site.new("_task", site.text(None, "name"), framework=_FW)
    add_link(obj, "agent", site.arg(None, "agent"))
    add_link(obj, "tools", site.arg(None, "tools"))
    add_link(obj, "context", site.arg(None, "context"))
    return ObjRef(obj.key)


def _crew(site: CallSite) -> Value:
    process = site.arg(None, "process")
    kind = process.dotted.rsplit(".", 1)[-1] if isinstance(process, Ext) else (
        process.value if isinstance(process, Lit) else "sequential")
    obj = make_agent(site, _FW, name=site.text(None, "name"), model=site.arg(None, "manager_llm"),
                     props={"crew": True, "process": str(kind)})
    add_link(obj, "agents", site.arg(None, "agents"))
    add_link(obj, "tasks", site.arg(None, "tasks"))
    add_link(obj, "manager", site.arg(None, "manager_agent"))
    return ObjRef(obj.key)


def _member(site: CallSite) -> Value | None:
    """``@agent`` / ``@task`` in a ``@CrewBase`` class: ``self.agents`` lists them."""
    info = site.scanner.facts.funcs.get(site.decorated or "")
    if info is not None and isinstance(info.ret, ObjRef):
        obj = site.scanner.facts.objects.get(info.ret.key)
        if obj is not None:
            obj.props["crewbase_member"] = True
    return None


def _tool_deco(site: CallSite) -> Value:
    return decorated_tool(site, _FW, name=site.text(0, "name"))


HANDLERS: dict[str, Handler] = {
    "crewai.Agent": _agent,
    "crewai.agent.Agent": _agent,
    "crewai.Task": _task,
    "crewai.task.Task": _task,
    "crewai.Crew": _crew,
    "crewai.crew.Crew": _crew,
    "deco:crewai.project.agent": _member,
    "deco:crewai.project.task": _member,
    "deco:crewai.tools.tool": _tool_deco,
    "deco:crewai_tools.tool": _tool_deco,
    "class:crewai.tools.BaseTool": tool_class(_FW),
    "class:crewai_tools.BaseTool": tool_class(_FW),
}
METHODS: dict[str, Handler] = {}
