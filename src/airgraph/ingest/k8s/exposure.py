"""Services, Ingresses and Gateway HTTPRoutes in front of AI workloads, as EntryPoints.

LoadBalancer and NodePort Services, Ingresses and HTTPRoutes are ``public`` unless
a cloud annotation makes their load balancer internal; ClusterIP Services are
``internal``. ``airgraph.io/exposure`` on the object overrides both. Each entry
point PROMPTS the agents behind it; entry points in front of model or MCP servers
alone are inventory (no edge kind leads from an entry point to them).
"""

from __future__ import annotations

from typing import Any

from airgraph.ingest.k8s.ai import AiKind, AiWorkload
from airgraph.ingest.k8s.builder import GraphBuilder
from airgraph.ingest.k8s.inventory import Inventory
from airgraph.ingest.k8s.workloads import ClusterIndex, Unit
from airgraph.schema import EdgeKind, NodeKind

__all__ = ["EXPOSED_AUTOMOUNT", "EXPOSURE_ANNOTATION", "add_exposure"]

EXPOSURE_ANNOTATION = "airgraph.io/exposure"
EXPOSED_AUTOMOUNT = "k8s-exposed-ai-automount"
_EXPOSURES = ("public", "partner", "internal", "privileged")
_INTERNAL_LB = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": ("true", "0.0.0.0/0"),
    "service.beta.kubernetes.io/aws-load-balancer-scheme": ("internal",),
    "networking.gke.io/load-balancer-type": ("internal",),
    "cloud.google.com/load-balancer-type": ("internal",),
    "service.beta.kubernetes.io/azure-load-balancer-internal": ("true",),
    "alb.ingress.kubernetes.io/scheme": ("internal",),
    "kubernetes.io/ingress.class": ("gce-internal",),
}


def add_exposure(inventory: Inventory, b: GraphBuilder, index: ClusterIndex,
                 ai: dict[str, AiWorkload]) -> list[str]:
    """Entry points for the objects that expose AI workloads; returns their ids."""
    units_by_ns: dict[str, list[Unit]] = {}
    for unit in index.units:
        units_by_ns.setdefault(unit.namespace, []).append(unit)
    behind: dict[tuple[str, str], list[AiWorkload]] = {}
    types: dict[tuple[str, str], str] = {}
    for svc in inventory.of("Service"):
        meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
        ns, selector = meta.get("namespace") or "default", spec.get("selector") or {}
        key = (ns, meta.get("name", ""))
        types[key] = spec.get("type") or "ClusterIP"
        behind[key] = [ai[u.id] for u in units_by_ns.get(ns, ())
                       if u.id in ai and selector and _selected(selector, u.labels)]
        if behind[key]:
            public = types[key] in ("LoadBalancer", "NodePort")
            ports = [p.get("port") for p in spec.get("ports") or () if p.get("port")]
            _entry(b, svc, "Service", behind[key], public,
                   {"service_type": types[key], "ports": ports})
    entries = [b.id(ns, "Service", name) for (ns, name), found in behind.items() if found]
    for kind, backends in (("Ingress", _ingress_backends), ("HTTPRoute", _route_backends)):
        for obj in inventory.of(kind):
            meta = obj.get("metadata") or {}
            ns = meta.get("namespace") or "default"
            found = [w for name in sorted(backends(obj)) for w in behind.get((ns, name), ())]
            if found:
                hosts = sorted({h for r in (obj.get("spec") or {}).get("rules") or ()
                                for h in ([r["host"]] if r.get("host") else [])}
                               | set((obj.get("spec") or {}).get("hostnames") or ()))
                entries.append(_entry(b, obj, kind, found, True, {"hosts": hosts}))
    return entries


def _entry(b: GraphBuilder, obj: dict[str, Any], kind: str, found: list[AiWorkload],
           public: bool, extra: dict[str, Any]) -> str:
    meta = obj.get("metadata") or {}
    ns, name = meta.get("namespace") or "default", meta.get("name", "")
    annotations = meta.get("annotations") or {}
    exposure = "public" if public and not _internal(obj, annotations) else "internal"
    if annotations.get(EXPOSURE_ANNOTATION) in _EXPOSURES:
        exposure = annotations[EXPOSURE_ANNOTATION]
    eid = b.node(b.id(ns, kind, name), NodeKind.ENTRY_POINT, name,
                 {"exposure": exposure, "interactive": True, "channel": "http",
                  "namespace": ns, **extra})
    for workload in sorted(found, key=lambda w: w.node):
        if workload.kind is AiKind.AGENT:
            b.edge(eid, workload.node, EdgeKind.PROMPTS)
        if exposure == "public" and b.props(workload.unit.id).get("automount_token"):
            b.finding(workload.unit.id, EXPOSED_AUTOMOUNT,
                      f"publicly exposed {workload.kind.value} {ns}/{workload.unit.name} "
                      "mounts its service account token",
                      f"{kind} {ns}/{name} -> service account {workload.unit.service_account}")
    return eid


def _internal(obj: dict[str, Any], annotations: dict[str, str]) -> bool:
    if any(str(annotations.get(k, "")).lower() in v for k, v in _INTERNAL_LB.items()):
        return True
    return "internal" in str((obj.get("spec") or {}).get("ingressClassName") or "")


def _selected(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def _ingress_backends(ingress: dict[str, Any]) -> set[str]:
    spec = ingress.get("spec") or {}
    services = [((spec.get("defaultBackend") or {}).get("service") or {}).get("name")]
    for rule in spec.get("rules") or ():
        for path in (rule.get("http") or {}).get("paths") or ():
            services.append(((path.get("backend") or {}).get("service") or {}).get("name"))
    return {s for s in services if s}


def _route_backends(route: dict[str, Any]) -> set[str]:
    return {ref.get("name", "") for rule in (route.get("spec") or {}).get("rules") or ()
            for ref in rule.get("backendRefs") or ()
            if ref.get("kind", "Service") == "Service" and ref.get("name")}
