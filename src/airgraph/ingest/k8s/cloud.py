"""Cloud identity joins: a service account CAN_ASSUME the cloud identity its pods get.

The cloud identity is emitted with the id its own ingestor uses, so graphs join:
an IAM role's ARN (IRSA annotation, EKS pod identity association),
``gcp:serviceaccount:<email>`` (GKE workload identity) and
``azure:managed-identity:<client id>`` (Azure workload identity).
"""

from __future__ import annotations

from typing import Any

from airgraph.ingest.k8s.builder import GraphBuilder
from airgraph.ingest.k8s.inventory import POD_IDENTITY_KIND, Inventory
from airgraph.ingest.k8s.workloads import ClusterIndex, service_account
from airgraph.schema import EdgeKind, NodeKind

__all__ = ["add_cloud_identities"]

_ANNOTATIONS = (
    ("eks.amazonaws.com/role-arn", "k8s-irsa", "aws"),
    ("iam.gke.io/gcp-service-account", "k8s-gke-workload-identity", "gcp"),
    ("azure.workload.identity/client-id", "k8s-azure-workload-identity", "azure"),
)


def add_cloud_identities(inventory: Inventory, b: GraphBuilder, index: ClusterIndex) -> None:
    for sa in inventory.of("ServiceAccount"):
        meta = sa.get("metadata") or {}
        annotations = meta.get("annotations") or {}
        for key, via, provider in _ANNOTATIONS:
            value = str(annotations.get(key, "")).strip()
            if value:
                src = service_account(b, index, meta.get("namespace") or "default",
                                      meta.get("name", ""))
                b.edge(src, _cloud_identity(b, provider, value), EdgeKind.CAN_ASSUME,
                       {"via": via, "annotation": key})
    for association in inventory.of(POD_IDENTITY_KIND):
        fields = association.get("association") or association
        role = fields.get("roleArn")
        if role and fields.get("serviceAccount"):
            src = service_account(b, index, fields.get("namespace") or "default",
                                  fields["serviceAccount"])
            props: dict[str, Any] = {"via": "k8s-eks-pod-identity"}
            if fields.get("associationArn"):
                props["association"] = fields["associationArn"]
            b.edge(src, _cloud_identity(b, "aws", role), EdgeKind.CAN_ASSUME, props)


def _cloud_identity(b: GraphBuilder, provider: str, value: str) -> str:
    if provider == "aws":
        return b.node(value, NodeKind.IDENTITY, value.rsplit("/", 1)[-1], {"provider": "aws"})
    if provider == "gcp":
        return b.node(f"gcp:serviceaccount:{value}", NodeKind.IDENTITY, value, {"provider": "gcp"})
    return b.node(f"azure:managed-identity:{value}", NodeKind.IDENTITY, value,
                  {"provider": "azure"})
