"""Frozen results every query returns; ``to_json`` gives the documented CLI shapes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["AttackPath", "AttackPaths", "BlastRadius", "ExposedStore", "RadiusSummary", "ReachAll",
           "Trifecta", "TrifectaAgent"]


@dataclass(frozen=True, slots=True)
class ExposedStore:
    id: str
    read: bool
    write: bool
    sensitivity: str | None

    def to_json(self) -> dict[str, Any]:
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

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "snapshot": self.snapshot, "assume": self.assume,
                "influenced": list(self.influenced),
                "exposed": [e.to_json() for e in self.exposed],
                "sinks": list(self.sinks), "exfiltration": list(self.exfiltration)}


@dataclass(frozen=True, slots=True)
class AttackPath:
    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    likelihood: float

    def to_json(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes), "edges": list(self.edges),
                "likelihood": round(self.likelihood, 6)}


@dataclass(frozen=True, slots=True)
class AttackPaths:
    start: str
    target: str
    snapshot: int
    assume: str
    paths: tuple[AttackPath, ...]

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "target": self.target, "snapshot": self.snapshot,
                "assume": self.assume, "paths": [p.to_json() for p in self.paths]}


@dataclass(frozen=True, slots=True)
class TrifectaAgent:
    id: str
    untrusted_inputs: tuple[str, ...]
    sensitive_data: tuple[str, ...]
    external_sinks: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "untrusted_inputs": list(self.untrusted_inputs),
                "sensitive_data": list(self.sensitive_data),
                "external_sinks": list(self.external_sinks)}


@dataclass(frozen=True, slots=True)
class Trifecta:
    """Agents holding untrusted input, sensitive data and a way out at once."""

    snapshot: int
    assume: str
    agents: tuple[TrifectaAgent, ...]

    def to_json(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "assume": self.assume,
                "agents": [a.to_json() for a in self.agents]}


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

    def to_json(self) -> dict[str, Any]:
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

    def to_json(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "assume": self.assume,
                "entry_points": [e.to_json() for e in self.entry_points],
                "exposed_by_any": self.exposed_by_any}
