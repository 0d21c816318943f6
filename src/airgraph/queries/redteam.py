"""Red-team plans: for the likeliest attack paths from untrusted input to restricted data,
a concrete exercise each, mapped to OWASP LLM Top 10 2025, the OWASP Agentic AI threats
and MITRE ATLAS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airgraph.queries.drift import attack_surface
from airgraph.queries.results import AttackPath
from airgraph.schema import Assumption, EdgeKind

if TYPE_CHECKING:
    from airgraph.api import Graph

__all__ = ["Exercise", "RedTeamPlan", "ToolCall", "red_team_plan"]

_POISONING_RULES = frozenset({"mcp-tool-poisoning", "mcp-hidden-unicode", "mcp-tool-shadowing",
                              "mcp-rug-pull", "instruction-file-poisoning"})
_IDENTITY_HOPS = frozenset({EdgeKind.RUNS_AS, EdgeKind.CAN_ASSUME})

OWASP_LLM = {
    "LLM01": "Prompt Injection", "LLM02": "Sensitive Information Disclosure",
    "LLM03": "Supply Chain", "LLM04": "Data and Model Poisoning",
    "LLM05": "Improper Output Handling", "LLM06": "Excessive Agency",
    "LLM08": "Vector and Embedding Weaknesses",
}
OWASP_AGENTIC = {
    "T1": "Memory Poisoning", "T2": "Tool Misuse", "T3": "Privilege Compromise",
    "T6": "Intent Breaking & Goal Manipulation", "T11": "Unexpected RCE and Code Attacks",
    "T12": "Agent Communication Poisoning",
}
ATLAS = {
    "AML.T0051.000": "LLM Prompt Injection: Direct",
    "AML.T0051.001": "LLM Prompt Injection: Indirect",
    "AML.T0053": "AI Agent Tool Invocation",
    "AML.T0070": "RAG Poisoning",
    "AML.T0086": "Exfiltration via AI Agent Tool Invocation",
    "AML.T0012": "Valid Accounts",
    "AML.T0010": "AI Supply Chain Compromise",
}


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A call the attacker needs an agent to make, and what it gives them."""

    agent: str
    tool: str
    then: str
    """The next hop: ``EDGE -> node``."""

    def to_dict(self) -> dict[str, Any]:
        return {"agent": self.agent, "tool": self.tool, "then": self.then}


@dataclass(frozen=True, slots=True)
class Exercise:
    rank: int
    entry_point: str
    exposure: str | None
    target: str
    injection: str
    """``direct`` (the attacker's own prompt), ``indirect`` (content the agent processes),
    ``indirect-store`` (planted in a store an agent retrieves) or ``tool-poisoning``."""
    payload_channel: str
    tool_calls: tuple[ToolCall, ...]
    success: str
    owasp_llm: tuple[str, ...]
    owasp_agentic: tuple[str, ...]
    atlas: tuple[str, ...]
    path: AttackPath

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "entry_point": self.entry_point, "exposure": self.exposure,
                "target": self.target, "injection": self.injection,
                "payload_channel": self.payload_channel,
                "tool_calls": [c.to_dict() for c in self.tool_calls],
                "success": self.success,
                "owasp_llm": [{"id": i, "name": OWASP_LLM[i]} for i in self.owasp_llm],
                "owasp_agentic": [{"id": i, "name": OWASP_AGENTIC[i]}
                                  for i in self.owasp_agentic],
                "atlas": [{"id": i, "name": ATLAS[i]} for i in self.atlas],
                "path": self.path.to_dict()}


@dataclass(frozen=True, slots=True)
class RedTeamPlan:
    snapshot: int
    assume: str
    exercises: tuple[Exercise, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "assume": self.assume,
                "exercises": [e.to_dict() for e in self.exercises]}


def red_team_plan(g: Graph, top: int = 5, assume: Assumption = "realistic") -> RedTeamPlan:
    """One exercise for each of the ``top`` likeliest paths from an untrusted entry point
    to a restricted store (the likeliest path per pair; most likely, then shortest). Paths
    that differ only in their last store count once: one exercise proves the route."""
    surface = attack_surface(g, assume)
    paths = [p for s, t in sorted(surface.pairs)
             for p in g.attack_paths(s, t, k=1, assume=assume).paths]
    paths.sort(key=lambda p: (-p.likelihood, len(p.nodes), p.nodes))
    routes: dict[tuple[str, ...], AttackPath] = {}
    for p in paths:
        routes.setdefault(p.nodes[:-1], p)
    distinct = list(routes.values())  # insertion order: still likeliest first
    records = {r.id: r for r in g.store.nodes(g.snapshot)}
    poisoned = {f.node for f in g.findings(assume).findings if f.rule in _POISONING_RULES}
    exercises = tuple(_exercise(i, p, records, poisoned)
                      for i, p in enumerate(distinct[:top], 1))
    return RedTeamPlan(g.snapshot, assume, exercises)


def _exercise(rank: int, path: AttackPath, records: dict[str, Any], poisoned: set[str]
              ) -> Exercise:
    entry, target = path.nodes[0], path.nodes[-1]
    entry_props = records[entry].props
    hops = list(zip(path.nodes, path.edges, path.nodes[1:]))
    edges = {EdgeKind(e) for e in path.edges}
    feeds = [(a, b) for a, e, b in hops if e == EdgeKind.FEEDS]
    tools = [b for _, e, b in hops if e == EdgeKind.CALLS]
    if poisoned & set(path.nodes):
        injection = "tool-poisoning"
        channel = ("a tool description carrying instructions: "
                   f"{', '.join(sorted(poisoned & set(path.nodes)))}")
    elif feeds:
        injection = "indirect-store"
        store, agent = feeds[0]
        channel = f"content planted in {store}, retrieved by {agent}"
    elif entry_props.get("interactive"):
        injection = "direct"
        channel = f"a message typed into {entry}"
    else:
        injection = "indirect"
        channel = f"content submitted through {entry} that an agent processes"
    calls = []
    for i, (a, e, b) in enumerate(hops):
        if e == EdgeKind.CALLS:
            after = hops[i + 1] if i + 1 < len(hops) else None
            then = f"{after[1]} -> {after[2]}" if after else "returns its result"
            calls.append(ToolCall(a, b, then))
    broad = any("execute" in (records[t].props.get("capabilities") or ()) for t in tools)
    last = EdgeKind(path.edges[-1])
    sensitivity = records[target].props.get("sensitivity") or "restricted"
    if last in (EdgeKind.CAN_WRITE, EdgeKind.WRITES):
        success = f"a canary record written by the agent appears in {target}"
    else:
        success = (f"a canary value planted in {target} ({sensitivity}) appears in the reply "
                   f"to {entry} or at an external sink")
    llm = {"LLM01", "LLM02"} | ({"LLM06"} if tools else set())
    llm |= ({"LLM04", "LLM08"} if feeds else set()) | ({"LLM05"} if broad else set())
    llm |= {"LLM03"} if injection == "tool-poisoning" else set()
    agentic = {"T6"} | ({"T2"} if tools else set()) | ({"T1"} if feeds else set())
    agentic |= ({"T3"} if edges & _IDENTITY_HOPS else set()) | ({"T11"} if broad else set())
    agentic |= {"T12"} if EdgeKind.DELEGATES in edges else set()
    atlas = {"AML.T0051.000" if injection == "direct" else "AML.T0051.001"}
    atlas |= ({"AML.T0053", "AML.T0086"} if tools else set())
    atlas |= ({"AML.T0070"} if feeds else set()) | ({"AML.T0012"} if edges & _IDENTITY_HOPS
                                                      else set())
    atlas |= {"AML.T0010"} if injection == "tool-poisoning" else set()
    return Exercise(rank, entry, entry_props.get("exposure"), target, injection, channel,
                    tuple(calls), success, _ordered(llm, OWASP_LLM),
                    _ordered(agentic, OWASP_AGENTIC), _ordered(atlas, ATLAS), path)


def _ordered(ids: set[str], catalogue: dict[str, str]) -> tuple[str, ...]:
    return tuple(i for i in catalogue if i in ids)
