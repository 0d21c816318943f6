"""CycloneDX 1.6 AI-BOM: models as machine-learning-model components, agents and workloads
as components, MCP servers and tools as services, data stores as data, and the
dependencies between them."""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from typing import Any

from airgraph import __version__
from airgraph.export.records import Snapshot, flat
from airgraph.schema import EdgeKind, NodeKind, NodeRecord

__all__ = ["to_cyclonedx"]

_COMPONENT_TYPE = {NodeKind.MODEL: "machine-learning-model", NodeKind.AGENT: "application",
                   NodeKind.WORKLOAD: "platform", NodeKind.DATA_STORE: "data"}
_SERVICES = (NodeKind.MCP_SERVER, NodeKind.TOOL)
# (edge kind, reversed): the edge's source depends on its target, or the reverse
_DEPENDS = {EdgeKind.USES_MODEL: False, EdgeKind.CALLS: False, EdgeKind.DELEGATES: False,
            EdgeKind.HOSTED_BY: False, EdgeKind.READS: False, EdgeKind.WRITES: False,
            EdgeKind.PROVIDES: True, EdgeKind.FEEDS: True}
_SKIPPED_PROPS = {"description", "owner", "findings"}


def to_cyclonedx(snap: Snapshot) -> dict[str, Any]:
    """The BOM; its serial number is derived from the content, so equal input gives
    equal bytes."""
    owners = {r.id: r.props.get("owner") for r in snap.nodes}
    for e in snap.edges:
        if e.kind == EdgeKind.OWNED_BY:
            owners[e.src] = owners.get(e.src) or e.dst
    components = [_component(r, owners.get(r.id)) for r in snap.nodes
                  if r.kind in _COMPONENT_TYPE]
    services = [_service(r, owners.get(r.id)) for r in snap.nodes if r.kind in _SERVICES]
    refs = {c["bom-ref"] for c in components} | {s["bom-ref"] for s in services}
    depends: dict[str, set[str]] = defaultdict(set)
    for e in snap.edges:
        kind = EdgeKind(e.kind)
        if kind in _DEPENDS and e.src in refs and e.dst in refs:
            a, b = (e.dst, e.src) if _DEPENDS[kind] else (e.src, e.dst)
            depends[a].add(b)
    body = {"components": components, "services": services,
            "dependencies": [{"ref": ref, "dependsOn": sorted(depends[ref])}
                             for ref in sorted(refs)]}
    digest = hashlib.sha256(repr(body).encode()).hexdigest()
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.UUID(digest[:32])}",
        "version": 1,
        "metadata": {
            "timestamp": snap.created_at,
            "tools": {"components": [{"type": "application", "name": "airgraph",
                                      "version": __version__}]},
            "component": {"type": "application", "bom-ref": "airgraph:estate",
                          "name": f"AI runtime (airgraph snapshot {snap.number})"},
            "properties": [{"name": "airgraph:snapshot", "value": str(snap.number)}],
        },
        **body,
    }


def _properties(r: NodeRecord, owner: str | None) -> list[dict[str, str]]:
    out = [{"name": "airgraph:kind", "value": str(r.kind)},
           {"name": "airgraph:source", "value": r.source}]
    if owner:
        out.append({"name": "airgraph:owner", "value": owner})
    for key, value in sorted(r.props.items()):
        if key not in _SKIPPED_PROPS and value is not None:
            shown = flat(value)
            out.append({"name": f"airgraph:{key}",
                        "value": ",".join(map(str, shown)) if isinstance(shown, list)
                        else str(shown)})
    return out


def _component(r: NodeRecord, owner: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _COMPONENT_TYPE[NodeKind(r.kind)], "bom-ref": r.id,
                           "name": r.name}
    if r.props.get("description"):
        out["description"] = str(r.props["description"])
    if r.kind == NodeKind.MODEL:
        if r.props.get("provider"):
            out["supplier"] = {"name": str(r.props["provider"])}
        if r.props.get("model_id"):
            out["version"] = str(r.props["model_id"])
    if r.kind == NodeKind.DATA_STORE:
        data: dict[str, Any] = {"type": "dataset", "name": r.name}
        if r.props.get("sensitivity"):
            data["classification"] = str(r.props["sensitivity"])
        out["data"] = [data]
    out["properties"] = _properties(r, owner)
    return out


def _service(r: NodeRecord, owner: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"bom-ref": r.id, "name": r.name}
    if r.props.get("description"):
        out["description"] = str(r.props["description"])
    if isinstance(r.props.get("url"), str):
        out["endpoints"] = [r.props["url"]]
    out["properties"] = _properties(r, owner)
    return out
