"""LangGraph state graphs: agents in nodes delegate to the agents their edges reach
(through plain function nodes and conditional path maps); a tool node's tools are
called by the agents whose edges lead into it."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from airgraph.ingest.code.facts import FileFacts, Value
from airgraph.ingest.code.resolve import Resolver
from airgraph.schema import EdgeKind

if TYPE_CHECKING:
    from airgraph.ingest.code.records import _Builder

__all__ = ["END", "START", "graph_edges"]

START, END = "__start__", "__end__"
_TOOLS_CONDITION = "langgraph.prebuilt.tools_condition"


def graph_edges(b: _Builder, resolver: Resolver, facts: FileFacts, graph: dict[str, Any]) -> None:
    agents: dict[str, list[str]] = {}
    tool_nodes: dict[str, list[Any]] = {}
    for name, value in graph["nodes"].items():
        for t in resolver.resolve(value, facts):
            if t.kind == "toolnode":
                tool_nodes.setdefault(name, []).extend(t.extra)
            elif t.kind == "func" and t.facts is not None:
                closure = resolver.closure(t.facts, t.key)
                agents.setdefault(name, []).extend(
                    f"code:{rel}:{key}" for rel, key in sorted(closure.agents))
            else:
                agents.setdefault(name, []).extend(b.target_ids(t, ("Agent",)))
    succ: dict[str, set[str]] = {}
    for src, dst in graph["edges"]:
        succ.setdefault(src, set()).add(dst)
    for src, router, targets in graph["cond"]:
        succ.setdefault(src, set()).update(targets if targets is not None
                                           else _router_targets(resolver, facts, router))
    for name, ids in agents.items():
        for reached in _next_agents(name, succ, agents, tool_nodes):
            for a in ids:
                for other in agents.get(reached, []):
                    b.edge(a, other, EdgeKind.DELEGATES, via="graph-edge")
                b.tools(a, facts, graph["key"], graph["line"], tool_nodes.get(reached, []))
    compiled = graph.get("compiled")
    if compiled and compiled in facts.objects:
        gid = b.obj_id(facts, compiled)
        for reached in _next_agents(START, succ, agents, tool_nodes):
            for other in agents.get(reached, []):
                b.edge(gid, other, EdgeKind.DELEGATES, via="graph-entry")


def _router_targets(resolver: Resolver, facts: FileFacts, router: Value) -> set[str]:
    out: set[str] = set()
    for t in resolver.resolve(router, facts):
        if t.kind == "ext" and t.key == _TOOLS_CONDITION:
            out.update(("tools", END))
        elif t.kind == "func" and t.facts is not None:
            out.update(t.facts.funcs[t.key].returns)
    return out


def _next_agents(start: str, succ: dict[str, set[str]], agents: dict[str, list[str]],
                 tool_nodes: dict[str, list[Any]]) -> set[str]:
    """Nodes with agents or tools first reached from ``start`` through other nodes."""
    found: set[str] = set()
    queue = deque(sorted(succ.get(start, ())))
    seen = {start}
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        if agents.get(node):
            found.add(node)
            continue
        if node in tool_nodes:
            found.add(node)
        queue.extend(sorted(succ.get(node, ())))
    return found
