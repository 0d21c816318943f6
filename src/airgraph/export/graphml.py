"""GraphML through networkx: nested property values become JSON strings; control characters
(which XML 1.0 cannot hold, even escaped) are written visibly (``\x1b``)."""

from __future__ import annotations

from airgraph.errors import visible
from airgraph.export.records import Snapshot, flat

__all__ = ["to_graphml"]


def to_graphml(snap: Snapshot) -> str:
    import networkx as nx

    g = nx.MultiDiGraph(snapshot=snap.number)
    for r in snap.nodes:
        g.add_node(visible(r.id), kind=str(r.kind), name=visible(r.name),
                   source=visible(r.source), evidence=r.evidence, **_attrs(r.props))
    for e in snap.edges:
        g.add_edge(visible(e.src), visible(e.dst), key=str(e.kind), kind=str(e.kind),
                   source=visible(e.source), evidence=e.evidence, **_attrs(e.props))
    return "\n".join(nx.generate_graphml(g, named_key_ids=True)) + "\n"


def _attrs(props: object) -> dict[str, str | int | float | bool]:
    out = {}
    for key, value in sorted(dict(props).items()):  # type: ignore[call-overload]
        shown = flat(value)
        if shown is None:
            continue
        value = ",".join(map(str, shown)) if isinstance(shown, list) else shown
        out[visible(key)] = visible(value) if isinstance(value, str) else value
    return out
