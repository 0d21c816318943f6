"""Frozen results every query returns; ``to_dict`` gives the documented CLI shapes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from airgraph.schema import EVIDENCE_STRENGTH

__all__ = ["AttackPath", "AttackPaths", "BlastRadius", "ExposedStore", "RadiusSummary", "ReachAll",
           "Trifecta", "TrifectaAgent", "TrifectaCount", "TrifectaSummary"]


@dataclass(frozen=True, slots=True)
class ExposedStore:
    id: str
    read: bool
    write: bool
    sensitivity: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "read": self.read, "write": self.write,
                "sensitivity": self.sensitivity}


@dataclass(frozen=True, slots=True)
class BlastRadius:
    """What an attacker holding ``start`` influences, exposes and reaches."""

    start: str
    snapshot: int
    assume: str
    influenced: tuple[str, ...]
    exposed: tuple[ExposedStore, ...]
    sinks: tuple[str, ...]
    exfiltration: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "snapshot": self.snapshot, "assume": self.assume,
                "influenced": list(self.influenced),
                "exposed": [e.to_dict() for e in self.exposed],
                "sinks": list(self.sinks), "exfiltration": list(self.exfiltration)}


@dataclass(frozen=True, slots=True)
class AttackPath:
    """Nodes, the edge kinds between them, and how each hop is known (``evidence``)."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    likelihood: float
    evidence: tuple[str, ...] = ()

    @property
    def weakest_evidence(self) -> str | None:
        """A path is as weak as its weakest hop."""
        return max(self.evidence, key=EVIDENCE_STRENGTH.__getitem__) if self.evidence else None

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes), "edges": list(self.edges),
                "likelihood": round(self.likelihood, 6), "evidence": list(self.evidence),
                "weakest_evidence": self.weakest_evidence}


@dataclass(frozen=True, slots=True)
class AttackPaths:
    start: str
    target: str
    snapshot: int
    assume: str
    paths: tuple[AttackPath, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "target": self.target, "snapshot": self.snapshot,
                "assume": self.assume, "paths": [p.to_dict() for p in self.paths]}


@dataclass(frozen=True, slots=True)
class TrifectaAgent:
    id: str
    untrusted_inputs: tuple[str, ...]
    sensitive_data: tuple[str, ...]
    external_sinks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "untrusted_inputs": list(self.untrusted_inputs),
                "sensitive_data": list(self.sensitive_data),
                "external_sinks": list(self.external_sinks)}


@dataclass(frozen=True, slots=True)
class TrifectaCount:
    """One agent's trifecta counted: how many ids each list holds, and the first few."""

    id: str
    untrusted_inputs: int
    sensitive_data: int
    external_sinks: int
    first: TrifectaAgent
    """The first ids of each list (a few of them)."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "untrusted_inputs": self.untrusted_inputs,
                "sensitive_data": self.sensitive_data, "external_sinks": self.external_sinks}


@dataclass(frozen=True, slots=True)
class TrifectaSummary:
    """Distinct ids across every trifecta agent, and the agents exposing the most data."""

    agents: int
    untrusted_inputs: int
    sensitive_data: int
    external_sinks: int
    top: tuple[TrifectaCount, ...]
    """Most sensitive stores first, then by id."""

    def to_dict(self) -> dict[str, Any]:
        return {"agents": self.agents, "untrusted_inputs": self.untrusted_inputs,
                "sensitive_data": self.sensitive_data, "external_sinks": self.external_sinks,
                "top": [c.to_dict() for c in self.top]}


@dataclass(frozen=True, slots=True)
class Trifecta:
    """Agents holding untrusted input, sensitive data and a way out at once."""

    snapshot: int
    assume: str
    agents: Sequence[TrifectaAgent]
    """Every such agent, by id. Large estates give each agent lists of 10^5 ids: the
    query may hand a sequence that builds each agent when it is read."""
    counts: Sequence[TrifectaCount] = ()
    """The same agents, counted, in the same order (cheap on any estate)."""
    summary: TrifectaSummary = TrifectaSummary(0, 0, 0, 0, ())

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "assume": self.assume,
                "summary": self.summary.to_dict(),
                "agents": [a.to_dict() for a in self.agents]}


@dataclass(frozen=True, slots=True)
class RadiusSummary:
    """Counts of one entry point's blast radius."""

    start: str
    exposure: str | None
    influenced: int
    exposed: dict[str, int]
    """Stores read or written, by sensitivity."""
    sinks: int
    external_sinks: int
    exfiltration: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "exposure": self.exposure, "influenced": self.influenced,
                "exposed": self.exposed, "sinks": self.sinks,
                "external_sinks": self.external_sinks, "exfiltration": self.exfiltration}


@dataclass(frozen=True, slots=True)
class ReachAll:
    """Every entry point's blast radius, counted, and what any of them exposes."""

    snapshot: int
    assume: str
    entry_points: tuple[RadiusSummary, ...]
    exposed_by_any: dict[str, int]
    """Distinct stores exposed by at least one entry point, by sensitivity."""

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "assume": self.assume,
                "entry_points": [e.to_dict() for e in self.entry_points],
                "exposed_by_any": self.exposed_by_any}


# --- choke points -----------------------------------------------------------------------

__all__ += ["ChokeEdge", "ChokeNode", "ChokePoints", "MinimumCut", "PairSet"]


@dataclass(frozen=True, slots=True)
class PairSet:
    """(untrusted entry point, restricted store) pairs: how many, and the first ones in
    sorted order (``pairs`` is cut short on large estates; ``count`` never is)."""

    count: int
    pairs: tuple[tuple[str, str], ...]
    estimated: bool = False
    """``count`` is scaled from a sample of the entry points (very large estates only); the
    pairs listed are then the first ones from the entry points sampled."""

    @property
    def truncated(self) -> bool:
        return self.count > len(self.pairs)

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "pairs": [list(p) for p in self.pairs],
                "truncated": self.truncated, "estimated": self.estimated}


@dataclass(frozen=True, slots=True)
class ChokeEdge:
    """A removable edge: the pairs routed through it, and what removing it alone cuts."""

    source: str
    target: str
    kind: str
    via: str | None
    """For a default-identity edge (agent RUNS_AS identity), the tool that inherits it."""
    routed: PairSet
    """Pairs with an attack path through the edge: the entry point holds the edge's source
    and the store is exposed from its target."""
    cut: PairSet | None
    """Pairs no longer joined once this edge alone is removed; None when not evaluated."""
    radius_reduction: int | None
    """Blast radius (influenced + exposed, summed over untrusted entry points) it removes."""
    in_cut: bool
    """Part of the minimum cut."""
    exact: bool = True
    """``cut`` and ``radius_reduction`` are exact, not estimated from a sample."""

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "kind": self.kind, "via": self.via,
                "in_minimum_cut": self.in_cut, "exact": self.exact,
                "pairs_cut": None if self.cut is None else self.cut.to_dict(),
                "pairs_routed": self.routed.to_dict(),
                "blast_radius_reduction": self.radius_reduction}


@dataclass(frozen=True, slots=True)
class ChokeNode:
    """A node whose removal (every edge in or out of it) cuts pairs."""

    id: str
    kind: str
    routed: PairSet
    cut: PairSet
    radius_reduction: int
    exact: bool = True
    """``cut`` and ``radius_reduction`` are exact, not estimated from a sample."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "exact": self.exact,
                "pairs_cut": self.cut.to_dict(),
                "pairs_routed": self.routed.to_dict(),
                "blast_radius_reduction": self.radius_reduction}


@dataclass(frozen=True, slots=True)
class MinimumCut:
    """A smallest set of removable edges whose removal cuts every pair it can."""

    edges: tuple[ChokeEdge, ...]
    remaining: PairSet
    """Pairs still joined once every edge of the cut is removed, by recomputation: none,
    unless some pairs are ``uncuttable``."""
    uncuttable: PairSet
    """Pairs joined by a path of non-removable edges only."""
    radius_before: int
    radius_after: int

    @property
    def radius_reduction(self) -> int:
        return self.radius_before - self.radius_after

    def to_dict(self) -> dict[str, Any]:
        return {"size": len(self.edges), "edges": [e.to_dict() for e in self.edges],
                "remaining": self.remaining.to_dict(), "uncuttable": self.uncuttable.to_dict(),
                "blast_radius": {"before": self.radius_before, "after": self.radius_after,
                                 "reduction": self.radius_reduction}}


@dataclass(frozen=True, slots=True)
class ChokePoints:
    """Where paths from untrusted entry points to restricted data can be cut."""

    snapshot: int
    assume: str
    entries: tuple[str, ...]
    """Untrusted entry points (exposure public or partner)."""
    stores: tuple[str, ...]
    """Restricted data stores."""
    pairs: PairSet
    """Pairs (entry, store) with the store in the entry point's blast radius."""
    cut: MinimumCut
    edges: tuple[ChokeEdge, ...]
    """Edges whose removal alone cuts the most pairs, best first."""
    nodes: tuple[ChokeNode, ...]
    """Nodes (not entry points or restricted stores) whose removal cuts the most pairs."""
    exact: bool
    """Every figure is exact and the rankings are certainly the top ones; else some come
    from a sample of the entry points (``evaluated`` of them), or a bound."""
    evaluated: int
    """How many entry points the removals were evaluated from (all, when exact)."""

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "assume": self.assume,
                "entries": list(self.entries), "stores": list(self.stores),
                "pairs": self.pairs.to_dict(), "minimum_cut": self.cut.to_dict(),
                "edges": [e.to_dict() for e in self.edges],
                "nodes": [n.to_dict() for n in self.nodes],
                "exact": self.exact, "entry_points_evaluated": self.evaluated}
