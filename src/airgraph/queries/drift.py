"""What changed between two snapshots, attack surface first.

The attack surface of a snapshot is every entry point's blast radius, the
(untrusted entry point, restricted store) pairs it joins and its lethal-trifecta
agents; drift compares two surfaces and the records behind them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airgraph.errors import QueryError
from airgraph.queries.pairs import restricted_pairs
from airgraph.queries.reach import blast_radii
from airgraph.queries.results import AttackPath, BlastRadius
from airgraph.queries.trifecta import lethal_trifecta
from airgraph.schema import Assumption, NodeKind

if TYPE_CHECKING:
    from airgraph.api import Graph

__all__ = ["Drift", "EdgeChange", "NewPair", "NodeChange", "PropertyChange", "RadiusChange",
           "Surface", "attack_surface", "drift"]

@dataclass(frozen=True, slots=True)
class Surface:
    """One snapshot's attack surface."""

    snapshot: int
    radii: Mapping[str, BlastRadius]
    """Entry point id to its blast radius."""
    pairs: frozenset[tuple[str, str]]
    """(untrusted entry point, restricted store) with the store exposed from the entry."""
    trifecta: frozenset[str]


def attack_surface(g: Graph, assume: Assumption = "realistic") -> Surface:
    """Blast radii of every entry point, untrusted-to-restricted pairs, trifecta agents."""
    p = g.projection
    entries = sorted(r.id for r in g.store.nodes(g.snapshot) if r.kind == NodeKind.ENTRY_POINT)
    radii = {r.start: r for r in blast_radii(p, entries, assume)}
    pairs = frozenset(restricted_pairs(p, assume))
    trifecta = frozenset(c.id for c in lethal_trifecta(p, assume).counts)
    return Surface(g.snapshot, radii, pairs, trifecta)


def radius_ids(r: BlastRadius | None) -> frozenset[str]:
    """Every node in a blast radius: influenced, exposed and sinks."""
    if r is None:
        return frozenset()
    return frozenset((*r.influenced, *(e.id for e in r.exposed), *r.sinks))


@dataclass(frozen=True, slots=True)
class PropertyChange:
    property: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"property": self.property, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class NodeChange:
    id: str
    changes: tuple[PropertyChange, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class EdgeChange:
    source: str
    kind: str
    target: str
    changes: tuple[PropertyChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from": self.source, "kind": self.kind, "to": self.target}
        if self.changes:
            out["changes"] = [c.to_dict() for c in self.changes]
        return out


@dataclass(frozen=True, slots=True)
class NewPair:
    """An untrusted entry point newly joined to a restricted store, with its likeliest path."""

    start: str
    target: str
    path: AttackPath | None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "target": self.target,
                "path": None if self.path is None else self.path.to_dict()}


@dataclass(frozen=True, slots=True)
class RadiusChange:
    """How one entry point's blast radius (influenced + exposed + sinks) changed."""

    start: str
    before: int
    after: int
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def growth(self) -> int:
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "before": self.before, "after": self.after,
                "growth": self.growth, "added": list(self.added), "removed": list(self.removed)}


@dataclass(frozen=True, slots=True)
class Drift:
    """Changes from snapshot ``before`` to ``after``; attack surface first."""

    before: int
    after: int
    assume: str
    pairs_added: tuple[NewPair, ...]
    pairs_removed: tuple[tuple[str, str], ...]
    radius: tuple[RadiusChange, ...]
    """Entry points whose blast radius changed, largest growth first."""
    trifecta_added: tuple[str, ...]
    trifecta_removed: tuple[str, ...]
    nodes_added: tuple[str, ...]
    nodes_removed: tuple[str, ...]
    nodes_changed: tuple[NodeChange, ...]
    edges_added: tuple[EdgeChange, ...]
    edges_removed: tuple[EdgeChange, ...]
    edges_changed: tuple[EdgeChange, ...]

    @property
    def worse(self) -> bool:
        """The attack surface grew: new pairs, new trifecta agents or a larger radius."""
        return bool(self.pairs_added or self.trifecta_added
                    or any(r.growth > 0 or r.added for r in self.radius))

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.before, "to": self.after, "assume": self.assume, "worse": self.worse,
            "attack_surface": {
                "pairs_added": [p.to_dict() for p in self.pairs_added],
                "pairs_removed": [list(p) for p in self.pairs_removed],
                "blast_radius": [r.to_dict() for r in self.radius],
                "trifecta_added": list(self.trifecta_added),
                "trifecta_removed": list(self.trifecta_removed),
            },
            "nodes": {"added": list(self.nodes_added), "removed": list(self.nodes_removed),
                      "changed": [c.to_dict() for c in self.nodes_changed]},
            "edges": {"added": [e.to_dict() for e in self.edges_added],
                      "removed": [e.to_dict() for e in self.edges_removed],
                      "changed": [e.to_dict() for e in self.edges_changed]},
        }


def drift(g: Graph, before: int | None = None, after: int | None = None,
          assume: Assumption = "realistic") -> Drift:
    """Drift from snapshot ``before`` to ``after`` (default: the last two snapshots).

    Raises
    ------
    QueryError
        When the store holds a single snapshot and none is named.
    """
    numbers = [s.number for s in g.snapshots()]
    if after is None:
        after = numbers[-1]
    if before is None:
        earlier = [n for n in numbers if n < after]
        if not earlier:
            raise QueryError(f"no snapshot before {after} to compare with; name one with --from")
        before = earlier[-1]
    old, new = g.at(before), g.at(after)
    was, now = attack_surface(old, assume), attack_surface(new, assume)
    nodes = _node_changes(old, new)
    edges = _edge_changes(old, new)
    return Drift(old.snapshot, new.snapshot, assume,
                 pairs_added=tuple(NewPair(s, t, _likeliest(new, s, t, assume))
                                   for s, t in sorted(now.pairs - was.pairs)),
                 pairs_removed=tuple(sorted(was.pairs - now.pairs)),
                 radius=_radius_changes(was, now),
                 trifecta_added=tuple(sorted(now.trifecta - was.trifecta)),
                 trifecta_removed=tuple(sorted(was.trifecta - now.trifecta)),
                 **nodes, **edges)


def _likeliest(g: Graph, start: str, target: str, assume: Assumption) -> AttackPath | None:
    paths = g.attack_paths(start, target, k=1, assume=assume).paths
    return paths[0] if paths else None


def _radius_changes(was: Surface, now: Surface) -> tuple[RadiusChange, ...]:
    out = []
    for start in sorted(set(was.radii) | set(now.radii)):
        a, b = radius_ids(was.radii.get(start)), radius_ids(now.radii.get(start))
        if a != b:
            out.append(RadiusChange(start, len(a), len(b), tuple(sorted(b - a)),
                                    tuple(sorted(a - b))))
    out.sort(key=lambda r: (-r.growth, r.start))
    return tuple(out)


def _props(kind: object, name: str | None, props: Mapping[str, Any]) -> dict[str, Any]:
    out = {"kind": str(kind), **dict(props)}
    if name is not None:
        out["name"] = name
    return out


def _compare(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[PropertyChange, ...]:
    return tuple(PropertyChange(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b))
                 if a.get(k) != b.get(k))


def _node_changes(old: Graph, new: Graph) -> dict[str, Any]:
    a = {r.id: _props(r.kind, r.name, r.props) for r in old.store.nodes(old.snapshot)}
    b = {r.id: _props(r.kind, r.name, r.props) for r in new.store.nodes(new.snapshot)}
    changed = [NodeChange(i, _compare(a[i], b[i])) for i in sorted(a.keys() & b.keys())
               if a[i] != b[i]]
    return {"nodes_added": tuple(sorted(b.keys() - a.keys())),
            "nodes_removed": tuple(sorted(a.keys() - b.keys())),
            "nodes_changed": tuple(changed)}


def _edge_changes(old: Graph, new: Graph) -> dict[str, Any]:
    a = {(e.src, str(e.kind), e.dst): dict(e.props) for e in old.store.edges(old.snapshot)}
    b = {(e.src, str(e.kind), e.dst): dict(e.props) for e in new.store.edges(new.snapshot)}
    changed = [EdgeChange(*k, changes=_compare(a[k], b[k])) for k in sorted(a.keys() & b.keys())
               if a[k] != b[k]]
    return {"edges_added": tuple(EdgeChange(*k) for k in sorted(b.keys() - a.keys())),
            "edges_removed": tuple(EdgeChange(*k) for k in sorted(a.keys() - b.keys())),
            "edges_changed": tuple(changed)}
