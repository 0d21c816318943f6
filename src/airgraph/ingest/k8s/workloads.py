"""Pods and their owners as Workloads, service accounts as Identities, secrets as
DataStores (by name only), nodes as the kubelet's Identity.

Pure: fills a :class:`GraphBuilder` from an :class:`Inventory` and returns a
:class:`ClusterIndex` the RBAC, AI and exposure passes look things up in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from airgraph.ingest.k8s.builder import GraphBuilder
from airgraph.ingest.k8s.inventory import Inventory
from airgraph.ingest.k8s.techniques import NODE_ESCAPE, node_escape
from airgraph.schema import EdgeKind, Evidence, NodeKind

__all__ = ["ClusterIndex", "Unit", "add_workloads", "node_identity", "service_account"]

_INFERRED = Evidence.INFERRED.value
_CONTROLLERS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "ReplicaSet",
                "ReplicationController")
_SA_TOKEN_TYPE = "kubernetes.io/service-account-token"


class Unit(NamedTuple):
    """A deployable thing: a pod-owning workload, or a pod no workload owns."""

    id: str
    kind: str
    namespace: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    spec: dict[str, Any]
    service_account: str


@dataclass(slots=True)
class ClusterIndex:
    units: list[Unit] = field(default_factory=list)
    service_accounts: dict[str, set[str]] = field(default_factory=dict)
    """Namespace to the ids of its service accounts (listed or referenced)."""
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    """Namespace to secret name to id."""
    pods: dict[str, dict[str, str]] = field(default_factory=dict)
    """Namespace to pod name to the id of the service account it runs as."""
    nodes: dict[str, str] = field(default_factory=dict)
    """Node name to the id of its kubelet identity."""
    token_secrets: dict[str, str] = field(default_factory=dict)
    """Secret id to service account id, for secrets holding a service account token."""

    def sa_pairs(self) -> Iterator[tuple[str, str]]:
        """(namespace, name) of every service account."""
        for ns, ids in self.service_accounts.items():
            for sa in ids:
                yield ns, sa.rsplit(":", 1)[1]


def add_workloads(inventory: Inventory, b: GraphBuilder) -> ClusterIndex:
    index = ClusterIndex()
    for sa in inventory.of("ServiceAccount"):
        meta = sa.get("metadata") or {}
        props: dict[str, Any] = {"provider": "kubernetes"}
        if sa.get("automountServiceAccountToken") is False:
            props["automount_token"] = False
        service_account(b, index, _ns(meta), meta.get("name", ""), props)
    for secret in inventory.of("Secret"):
        meta = secret["metadata"]
        sid = _secret(b, index, _ns(meta), meta["name"], secret.get("type") or None)
        owner = meta["annotations"].get("kubernetes.io/service-account.name")
        if secret.get("type") == _SA_TOKEN_TYPE and owner:
            index.token_secrets[sid] = service_account(b, index, _ns(meta), owner)
    for node in inventory.of("Node"):
        node_identity(b, index, (node.get("metadata") or {}).get("name", ""))
    owners = _owners(inventory)
    for kind in _CONTROLLERS:
        for obj in inventory.of(kind):
            meta = obj.get("metadata") or {}
            if (kind, _ns(meta), meta.get("name")) in owners.owned:
                continue  # a ReplicaSet of a Deployment, a Job of a CronJob: the owner stands
            template = _template(kind, obj)
            tmeta = template.get("metadata") or {}
            annotations = {**(tmeta.get("annotations") or {}), **(meta.get("annotations") or {})}
            _unit(b, index, kind, _ns(meta), meta.get("name", ""), template.get("spec") or {},
                  tmeta.get("labels") or {}, annotations, {"replicas": (obj.get("spec") or {})
                                                           .get("replicas")})
    for pod in inventory.of("Pod"):
        _pod(b, index, pod, owners)
    return index


class _Owners(NamedTuple):
    owned: set[tuple[str, str, str]]
    """(kind, namespace, name) of controllers that another controller owns."""
    top: dict[tuple[str, str, str], tuple[str, str]]
    """(kind, namespace, name) to the kind and name of its topmost known owner."""


def _owners(inventory: Inventory) -> _Owners:
    parent: dict[tuple[str, str, str], tuple[str, str]] = {}
    for kind in ("ReplicaSet", "Job"):
        for obj in inventory.of(kind):
            meta = obj.get("metadata") or {}
            for ref in meta.get("ownerReferences") or ():
                if ref.get("kind") in _CONTROLLERS:
                    parent[(kind, _ns(meta), meta.get("name", ""))] = (ref["kind"], ref.get("name", ""))
    top: dict[tuple[str, str, str], tuple[str, str]] = {}
    for key in parent:
        kind, name = parent[key]
        while (kind, key[1], name) in parent:
            kind, name = parent[(kind, key[1], name)]
        top[key] = (kind, name)
    return _Owners(set(parent), top)


def _template(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec") or {}
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    return spec.get("template") or {}


def _pod(b: GraphBuilder, index: ClusterIndex, pod: dict[str, Any], owners: _Owners) -> None:
    meta = pod.get("metadata") or {}
    ns, name, spec = _ns(meta), meta.get("name", ""), pod.get("spec") or {}
    controller = None
    for ref in meta.get("ownerReferences") or ():
        if ref.get("kind") in _CONTROLLERS:
            kind, owner = owners.top.get((ref["kind"], ns, ref.get("name", "")),
                                         (ref["kind"], ref.get("name", "")))
            controller = b.id(ns, kind, owner)
            if not b.has(controller):  # owner not listed: its first pod stands for it
                _unit(b, index, kind, ns, owner, spec, meta.get("labels") or {},
                      meta.get("annotations") or {}, {"described_by_pod": name})
    props: dict[str, Any] = {"kind": "Pod", "node": spec.get("nodeName")}
    if controller:
        props["controller"] = controller
        pid = b.id(ns, "Pod", name)
        sa = _workload(b, index, pid, name, ns, spec, props)
    else:
        pid = _unit(b, index, "Pod", ns, name, spec, meta.get("labels") or {},
                    meta.get("annotations") or {}, props)
        sa = b.id(ns, "ServiceAccount", _sa_name(spec))
    index.pods.setdefault(ns, {})[name] = sa
    node_name = spec.get("nodeName")
    if node_name:
        node = node_identity(b, index, node_name)
        b.edge(node, sa, EdgeKind.CAN_ASSUME, {"via": "k8s-node-credentials"}, _INFERRED)
        reasons = node_escape(spec)
        if reasons:
            b.edge(pid, node, EdgeKind.RUNS_AS,
                   {"via": NODE_ESCAPE, "conditions": {"reasons": reasons}}, _INFERRED)


def _unit(b: GraphBuilder, index: ClusterIndex, kind: str, ns: str, name: str,
          spec: dict[str, Any], labels: dict[str, str], annotations: dict[str, str],
          extra: dict[str, Any]) -> str:
    uid = b.id(ns, kind, name)
    sa = _workload(b, index, uid, name, ns, spec, {"kind": kind, **extra})
    index.units.append(Unit(uid, kind, ns, name, labels, annotations, spec, sa))
    return uid


def _workload(b: GraphBuilder, index: ClusterIndex, wid: str, name: str, ns: str,
              spec: dict[str, Any], extra: dict[str, Any]) -> str:
    """The Workload node, its RUNS_AS and the secrets it mounts; returns its SA's id."""
    containers = spec.get("containers") or []
    images = [c.get("image", "") for c in containers if c.get("image")]
    props: dict[str, Any] = {"platform": "kubernetes", "namespace": ns,
                             "service_account": _sa_name(spec),
                             "automount_token": spec.get("automountServiceAccountToken") is not False}
    if images:
        props["image"] = images[0]
        props["images"] = images
    escape = node_escape(spec)
    if escape:
        props["node_escape"] = escape
    props.update({k: v for k, v in extra.items() if v is not None})
    b.node(wid, NodeKind.WORKLOAD, name, props)
    sa = service_account(b, index, ns, _sa_name(spec))
    b.edge(wid, sa, EdgeKind.RUNS_AS)
    for secret in sorted(_secret_refs(spec)):
        b.edge(sa, _secret(b, index, ns, secret, None), EdgeKind.CAN_READ,
               {"via": "k8s-mounted-secret", "workload": wid})
    return sa


def _secret_refs(spec: dict[str, Any]) -> set[str]:
    """Names of the secrets a pod spec mounts or reads into its environment."""
    names: set[str] = set()
    for volume in spec.get("volumes") or ():
        if "secret" in volume:
            names.add(volume["secret"].get("secretName", ""))
        for source in (volume.get("projected") or {}).get("sources") or ():
            if "secret" in source:
                names.add(source["secret"].get("name", ""))
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        for env in container.get("env") or ():
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                names.add(ref.get("name", ""))
        for source in container.get("envFrom") or ():
            if "secretRef" in source:
                names.add(source["secretRef"].get("name", ""))
    names.discard("")
    return names


def service_account(b: GraphBuilder, index: ClusterIndex, ns: str, name: str,
                    props: dict[str, Any] | None = None) -> str:
    """The id of the service account's Identity, emitted on first mention."""
    sid = b.node(b.id(ns, "ServiceAccount", name), NodeKind.IDENTITY, name,
                 {"provider": "kubernetes", "namespace": ns, **(props or {})})
    index.service_accounts.setdefault(ns, set()).add(sid)
    return sid


def _secret(b: GraphBuilder, index: ClusterIndex, ns: str, name: str, kind: str | None) -> str:
    props: dict[str, Any] = {"sensitivity": "restricted", "contains": ["secrets"],
                             "store_type": "kubernetes-secret", "namespace": ns}
    if kind:
        props["secret_type"] = kind
    sid = b.node(b.id(ns, "Secret", name), NodeKind.DATA_STORE, name, props)
    index.secrets.setdefault(ns, {})[name] = sid
    return sid


def node_identity(b: GraphBuilder, index: ClusterIndex, name: str) -> str:
    """The id of the node's kubelet Identity, emitted on first mention."""
    nid = b.node(b.id(None, "Node", name), NodeKind.IDENTITY, name,
                 {"provider": "kubernetes", "description": "the node's kubelet credentials"})
    index.nodes[name] = nid
    return nid


def _sa_name(spec: dict[str, Any]) -> str:
    return spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"


def _ns(meta: dict[str, Any]) -> str:
    return meta.get("namespace") or "default"
