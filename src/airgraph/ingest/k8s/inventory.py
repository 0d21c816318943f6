"""The Kubernetes objects an ingest reads, grouped by kind, whatever produced them.

Both the live collector and the offline reader fill an :class:`Inventory`; secret
values and ``last-applied-configuration`` annotations are dropped on the way in, so
nothing downstream can leak them.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["KINDS", "ApiKind", "Inventory"]

logger = logging.getLogger(__name__)


class ApiKind(NamedTuple):
    """Where a kind lives in the API: group ("" for core), version, plural, namespaced."""

    group: str
    version: str
    plural: str
    namespaced: bool


KINDS: dict[str, ApiKind] = {
    "Namespace": ApiKind("", "v1", "namespaces", False),
    "Node": ApiKind("", "v1", "nodes", False),
    "ServiceAccount": ApiKind("", "v1", "serviceaccounts", True),
    "Secret": ApiKind("", "v1", "secrets", True),
    "Pod": ApiKind("", "v1", "pods", True),
    "ReplicationController": ApiKind("", "v1", "replicationcontrollers", True),
    "Service": ApiKind("", "v1", "services", True),
    "Deployment": ApiKind("apps", "v1", "deployments", True),
    "ReplicaSet": ApiKind("apps", "v1", "replicasets", True),
    "StatefulSet": ApiKind("apps", "v1", "statefulsets", True),
    "DaemonSet": ApiKind("apps", "v1", "daemonsets", True),
    "Job": ApiKind("batch", "v1", "jobs", True),
    "CronJob": ApiKind("batch", "v1", "cronjobs", True),
    "Role": ApiKind("rbac.authorization.k8s.io", "v1", "roles", True),
    "ClusterRole": ApiKind("rbac.authorization.k8s.io", "v1", "clusterroles", False),
    "RoleBinding": ApiKind("rbac.authorization.k8s.io", "v1", "rolebindings", True),
    "ClusterRoleBinding": ApiKind("rbac.authorization.k8s.io", "v1", "clusterrolebindings", False),
    "Ingress": ApiKind("networking.k8s.io", "v1", "ingresses", True),
    "HTTPRoute": ApiKind("gateway.networking.k8s.io", "v1", "httproutes", True),
}
"""Every kind the ingestor reads; other kinds are skipped and reported."""

POD_IDENTITY_KIND = "PodIdentityAssociation"
"""EKS pod identity associations (``aws eks describe-pod-identity-association``)."""

_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_SA_NAME = "kubernetes.io/service-account.name"


@dataclass(slots=True)
class Inventory:
    """Objects by kind, plus what was skipped (kinds unknown, kinds not listable)."""

    objects: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def add(self, obj: dict[str, Any], kind: str | None = None) -> None:
        """Keep ``obj`` (of ``kind``, else its own ``kind`` field) if it is a kind we read."""
        kind = kind or obj.get("kind") or ""
        if kind not in KINDS and kind != POD_IDENTITY_KIND:
            self.skipped[kind or "(no kind)"] += 1
            return
        self.objects.setdefault(kind, []).append(_sanitised(kind, obj))

    def of(self, kind: str) -> list[dict[str, Any]]:
        return self.objects.get(kind, [])

    def all_warnings(self) -> list[str]:
        """The warnings, with one line per skipped kind."""
        lines = list(self.warnings)
        lines += [f"skipped {n} object(s) of unsupported kind {k}"
                  for k, n in sorted(self.skipped.items())]
        return lines


def _sanitised(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """The object without anything that may hold a credential."""
    meta = obj.get("metadata") or {}
    if kind == "Secret":
        annotations = meta.get("annotations") or {}
        kept = {_SA_NAME: annotations[_SA_NAME]} if _SA_NAME in annotations else {}
        return {"kind": kind, "type": obj.get("type", ""),
                "metadata": {"name": meta.get("name", ""), "namespace": meta.get("namespace", ""),
                             "annotations": kept}}
    annotations = meta.get("annotations")
    if annotations and _LAST_APPLIED in annotations:
        meta = {**meta, "annotations": {k: v for k, v in annotations.items() if k != _LAST_APPLIED}}
        obj = {**obj, "metadata": meta}
    meta.pop("managedFields", None)
    return obj
