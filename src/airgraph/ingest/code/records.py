"""Turns the facts of every scanned file into graph records: nodes with file and line,
and the CALLS, DELEGATES, USES_MODEL, PROMPTS, ... edges between them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from airgraph.ingest.code import graphs
from airgraph.ingest.code.entries import entry_points
from airgraph.ingest.code.builtins import body_capabilities
from airgraph.ingest.code.facts import FileFacts, FuncV, Obj
from airgraph.ingest.code.handlers import parse_model
from airgraph.ingest.code.resolve import Resolver, Target
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, EdgeRecord, Evidence, NodeKind, NodeRecord

__all__ = ["build_records"]

_DISCOVERED, _INFERRED = Evidence.DISCOVERED.value, Evidence.INFERRED.value
_DYNAMIC = ("eval", "exec", "os.system", "os.popen", "subprocess.", "asyncio.create_subprocess")
_NODE_KINDS = {k.value for k in NodeKind}


class _Builder:
    def __init__(self, resolver: Resolver, source: str) -> None:
        self.r = resolver
        self.source = source
        self.nodes: dict[str, tuple[str, str, dict[str, Any], str]] = {}
        self.edges: dict[tuple[str, str, str], EdgeRecord] = {}
        self.names: dict[str, list[str]] = {}

    # --- nodes ---------------------------------------------------------------------

    def obj_id(self, facts: FileFacts, key: str) -> str:
        obj = facts.objects[key]
        return obj.node_id or f"code:{facts.rel}:{key}"

    def add_obj(self, facts: FileFacts, obj: Obj) -> str:
        node_id = obj.node_id or f"code:{facts.rel}:{obj.key}"
        props = {**obj.props, "file": facts.rel, "line": obj.line}
        props.pop("crewbase_member", None)
        if obj.framework and obj.kind in ("Agent", "Tool"):
            props["framework"] = obj.framework
        if obj.kind == "Tool":
            props.setdefault("capabilities", [])
        self.node(node_id, obj.kind, obj.name, props)
        if obj.kind == "Agent":
            self.names.setdefault(obj.name, []).append(node_id)
        return node_id

    def node(self, node_id: str, kind: str, name: str, props: dict[str, Any],
             evidence: str = _DISCOVERED) -> str:
        if node_id not in self.nodes:
            self.nodes[node_id] = (kind, name, props, evidence)
        return node_id

    def edge(self, src: str, dst: str, kind: EdgeKind, *, inferred: bool = False,
             **props: Any) -> None:
        key = (src, str(kind), dst)
        if src == dst and kind == EdgeKind.DELEGATES:
            return
        old = self.edges.get(key)
        evidence = _INFERRED if inferred else _DISCOVERED
        if old is None or (old.evidence == _INFERRED and not inferred):
            self.edges[key] = EdgeRecord(src, dst, kind, self.source, props, evidence)

    # --- targets -------------------------------------------------------------------

    def target_ids(self, t: Target, kinds: Iterable[str]) -> list[str]:
        """Node ids of the objects a target stands for, of the given kinds."""
        if t.kind == "obj" and t.facts is not None:
            obj = t.facts.objects[t.key]
            return [self.obj_id(t.facts, t.key)] if obj.kind in kinds else []
        return []

    def function_tool(self, facts: FileFacts, qualname: str) -> str:
        info = facts.funcs[qualname]
        node_id = f"code:{facts.rel}:{qualname}"
        self.node(node_id, "Tool", qualname.rsplit(".", 1)[-1],
                  {"file": facts.rel, "line": info.line, "capabilities": []})
        self.tool_body(node_id, facts, qualname)
        return node_id

    def tool_body(self, tool_id: str, facts: FileFacts, qualname: str) -> None:
        if qualname not in facts.funcs:
            return
        closure = self.r.closure(facts, qualname)
        props = self.nodes[tool_id][2]
        caps = sorted(set(props.get("capabilities", [])) | set(body_capabilities(closure.calls)))
        props["capabilities"] = caps
        dynamic = sorted(c for c in closure.calls if c.startswith(_DYNAMIC) or c in _DYNAMIC)
        if dynamic:
            props.setdefault("findings", []).append({
                "rule": "code-tool-runs-commands",
                "message": "the tool's code runs commands or evaluates code "
                           "(the model chooses its arguments)",
                "evidence": ", ".join(dynamic), "file": facts.rel, "line": props["line"]})
        props["_runs_agents"] = sorted(closure.agents)

    def tools(self, agent_id: str, facts: FileFacts, owner: str, line: int,
              value_targets: list[Target], inferred: bool = False) -> None:
        """CALLS to tools, DELEGATES to agents used as tools; ``owner`` and ``line`` name
        the object whose unnamed imported tools get ids ``code:<file>:<owner>.<name>``."""
        for t in value_targets:
            if t.kind == "obj" and t.facts is not None:
                target = t.facts.objects[t.key]
                tid = self.obj_id(t.facts, t.key)
                if target.kind == "Tool":
                    self.edge(agent_id, tid, EdgeKind.CALLS, inferred=inferred)
                elif target.kind == "Agent":
                    self.edge(agent_id, tid, EdgeKind.DELEGATES, inferred=inferred, via="tool")
                elif target.kind == "MCPServer":
                    self.edge(agent_id, self.mcp_tools(tid), EdgeKind.CALLS, inferred=inferred)
            elif t.kind == "func" and t.facts is not None:
                self.edge(agent_id, self.function_tool(t.facts, t.key), EdgeKind.CALLS,
                          inferred=inferred)
            elif t.kind in ("astool", "handoff"):
                for inner in t.extra:
                    for aid in self.target_ids(inner, ("Agent",)):
                        self.edge(agent_id, aid, EdgeKind.DELEGATES,
                                  via="as_tool" if t.kind == "astool" else "handoff")
            elif t.kind == "mcptools":
                for inner in t.extra:
                    for sid in self.target_ids(inner, ("MCPServer",)):
                        self.edge(agent_id, self.mcp_tools(sid), EdgeKind.CALLS)
            elif t.kind == "ext":
                name = t.key.rsplit(".", 1)[-1]
                tid = f"code:{facts.rel}:{owner}.{name}"
                self.node(tid, "Tool", name, {"file": facts.rel, "line": line,
                                              "capabilities": [], "imported": t.key})
                self.edge(agent_id, tid, EdgeKind.CALLS)

    def mcp_tools(self, server_id: str) -> str:
        """One Tool standing for whatever tools the server offers (unknown offline)."""
        kind, name, props, _ = self.nodes[server_id]
        tool_id = f"{server_id}:*"
        self.node(tool_id, "Tool", f"{name} (any tool)",
                  {"file": props.get("file"), "line": props.get("line"), "capabilities": [],
                   "mcp_server": server_id})
        self.edge(server_id, tool_id, EdgeKind.PROVIDES)
        self.edge(tool_id, server_id, EdgeKind.HOSTED_BY)
        return tool_id

    def agents_of(self, targets: list[Target], facts: FileFacts) -> list[str]:
        out = []
        for t in targets:
            out.extend(self.target_ids(t, ("Agent",)))
            if t.kind == "lit" and isinstance(t.extra, str):
                out.extend(self.agent_named(t.extra, facts))
            if t.kind in ("astool", "handoff"):
                out.extend(a for inner in t.extra for a in self.target_ids(inner, ("Agent",)))
        return out

    def agent_named(self, name: str, facts: FileFacts) -> list[str]:
        ids = self.names.get(name, [])
        local = [i for i in ids if i.startswith(f"code:{facts.rel}:")]
        return local or (ids if len(ids) == 1 else [])

    def model(self, t: Target, facts: FileFacts, line: int) -> str | None:
        if t.kind == "lit" and isinstance(t.extra, str) and t.extra:
            m = parse_model(t.extra)
            t = Target("model", None, m.model, m.provider)
        if t.kind != "model":
            return None
        props: dict[str, Any] = {"model_id": t.key, "file": facts.rel, "line": line}
        if t.extra:
            props["provider"] = t.extra
        return self.node(f"model:{t.key}", "Model", t.key, props)


def build_records(files: list[FileFacts], *, source: str, label: str = "",
                  warnings: list[str] | None = None) -> SourceRecords:
    """The records of a whole scanned tree."""
    resolver = Resolver(files)
    b = _Builder(resolver, source)
    for facts in files:
        for obj in facts.objects.values():
            if obj.kind in _NODE_KINDS:
                b.add_obj(facts, obj)
    for facts in files:
        for obj in facts.objects.values():
            if obj.kind in _NODE_KINDS:
                _links(b, facts, obj)
    for facts in files:
        for obj in facts.objects.values():
            if obj.kind == "Agent" and obj.props.get("crew"):
                _crew(b, facts, obj)
        for graph in facts.graphs:
            graphs.graph_edges(b, resolver, facts, graph)
    _tool_delegation(b)
    entry_points(b, resolver, files)
    nodes = []
    for node_id, (kind, name, props, evidence) in sorted(b.nodes.items()):
        props.pop("_runs_agents", None)
        nodes.append(NodeRecord(node_id, NodeKind(kind), name, source, props, evidence))
    edges = sorted(b.edges.values(), key=lambda e: e.key)
    return SourceRecords(source, nodes, edges, label, list(warnings or []), "code")


def _links(b: _Builder, facts: FileFacts, obj: Obj) -> None:
    node_id = b.obj_id(facts, obj.key)
    for link in obj.links:
        targets = b.r.resolve(link.target, facts)
        if link.role == "body" and isinstance(link.target, FuncV):
            b.tool_body(node_id, facts, link.target.qualname)
        elif link.role in ("tools", "mcp"):
            b.tools(node_id, facts, obj.key, obj.line, targets, inferred=link.inferred)
        elif link.role in ("handoffs", "members"):
            for aid in b.agents_of(targets, facts):
                b.edge(node_id, aid, EdgeKind.DELEGATES, inferred=link.inferred,
                       via=link.role.rstrip("s"))
        elif link.role == "peers":
            members = b.agents_of(targets, facts)
            for a in members:
                for m in members:
                    b.edge(a, m, EdgeKind.DELEGATES, inferred=True, via="group-chat")
        elif link.role == "model":
            for t in targets:
                model_id = b.model(t, facts, obj.line)
                if model_id:
                    b.edge(node_id, model_id, EdgeKind.USES_MODEL)
        elif link.role == "guards":
            for t in targets:
                for gid in b.target_ids(t, ("Guardrail",)):
                    b.edge(node_id, gid, EdgeKind.GUARDED_BY)


def _crew(b: _Builder, facts: FileFacts, crew: Obj) -> None:
    """A CrewAI crew: tasks give members and tools; in a sequential crew each task's
    output reaches the next task's agent; delegating agents reach every member."""
    crew_id = b.obj_id(facts, crew.key)
    members: list[str] = []
    for link in crew.links:
        if link.role == "agents":
            members.extend(b.agents_of(b.r.resolve(link.target, facts), facts))
    order: list[str] = []
    task_agents: dict[tuple[str, str], list[str]] = {}
    tasks = [t for link in crew.links if link.role == "tasks"
             for t in b.r.resolve(link.target, facts)
             if t.kind == "obj" and t.facts is not None and t.facts.objects[t.key].kind == "_task"]
    for t in tasks:
        task = t.facts.objects[t.key]
        agents = [a for ln in task.links if ln.role == "agent"
                  for a in b.agents_of(b.r.resolve(ln.target, t.facts), t.facts)]
        task_agents[(t.facts.rel, t.key)] = agents
        for agent_id in agents:
            members.append(agent_id)
            order.append(agent_id)
            for ln in task.links:
                if ln.role == "tools":
                    b.tools(agent_id, t.facts, task.key, task.line,
                            b.r.resolve(ln.target, t.facts))
    for t in tasks:
        for ln in t.facts.objects[t.key].links:
            if ln.role != "context":
                continue
            for ctx in b.r.resolve(ln.target, t.facts):
                for src in task_agents.get((ctx.facts.rel, ctx.key) if ctx.facts else ("", ""), []):
                    for dst in task_agents[(t.facts.rel, t.key)]:
                        b.edge(src, dst, EdgeKind.DELEGATES, inferred=True, via="task-context")
    members = list(dict.fromkeys(members))
    for m in members:
        b.edge(crew_id, m, EdgeKind.DELEGATES, via="crew")
    for link in crew.links:
        if link.role == "manager":
            for manager in b.agents_of(b.r.resolve(link.target, facts), facts):
                b.edge(crew_id, manager, EdgeKind.DELEGATES, via="crew-manager")
                for m in members:
                    b.edge(manager, m, EdgeKind.DELEGATES, via="crew-manager")
    if crew.props.get("process") != "hierarchical":
        for a, c in zip(order, order[1:], strict=False):
            b.edge(a, c, EdgeKind.DELEGATES, inferred=True, via="sequential-task-output")
    for m in members:
        kind, _, props, _ = b.nodes[m]
        if props.get("allow_delegation"):
            for other in members:
                b.edge(m, other, EdgeKind.DELEGATES, via="allow_delegation")


def _tool_delegation(b: _Builder) -> None:
    """An agent whose tool runs another agent delegates to it."""
    runs: dict[str, list[str]] = {}
    for node_id, (kind, _, props, _) in b.nodes.items():
        if kind == "Tool" and props.get("_runs_agents"):
            runs[node_id] = [f"code:{rel}:{key}" for rel, key in props["_runs_agents"]]
    for edge in list(b.edges.values()):
        if edge.kind == EdgeKind.CALLS and edge.dst in runs:
            for target in runs[edge.dst]:
                if target in b.nodes:
                    b.edge(edge.src, target, EdgeKind.DELEGATES, inferred=True,
                           via=f"tool:{edge.dst}")
