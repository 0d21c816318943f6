"""GraphML through networkx: nested property values become JSON strings."""

from __future__ import annotations

from airgraph.export.records import Snapshot, flat

__all__ = ["to_graphml"]


def to_graphml(snap: Snapshot) -> str:
    import networkx as nx

    g = nx.MultiDiGraph(snapshot=snap.number)
    for r in snap.nodes:
        g.add_node(r.id, kind=str(r.kind), name=r.name, source=r.source, evidence=r.evidence,
                   **_attrs(r.props))
    for e in snap.edges:
        g.add_edge(e.src, e.dst, key=str(e.kind), kind=str(e.kind), source=e.source,
                   evidence=e.evidence, **_attrs(e.props))
    return "\n".join(nx.generate_graphml(g, named_key_ids=True)) + "\n"


def _attrs(props: object) -> dict[str, str | int | float | bool]:
    out = {}
    for key, value in sorted(dict(props).items()):  # type: ignore[call-overload]
        shown = flat(value)
        if shown is None:
            continue
        out[key] = ",".join(map(str, shown)) if isinstance(shown, list) else shown
    return out
