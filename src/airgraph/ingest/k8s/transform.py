"""One cluster's objects to records: the pure heart of the Kubernetes ingestor."""

from __future__ import annotations

import logging

from airgraph.ingest.k8s.ai import add_ai
from airgraph.ingest.k8s.builder import GraphBuilder
from airgraph.ingest.k8s.cloud import add_cloud_identities
from airgraph.ingest.k8s.escalation import add_cluster_admin, add_escalations
from airgraph.ingest.k8s.exposure import add_exposure
from airgraph.ingest.k8s.inventory import Inventory
from airgraph.ingest.k8s.paths import add_path_findings
from airgraph.ingest.k8s.rbac import resolve
from airgraph.ingest.k8s.workloads import add_workloads
from airgraph.ingest.records import SourceRecords

__all__ = ["build_records"]

logger = logging.getLogger(__name__)


def build_records(inventory: Inventory, cluster: str, *, label: str = "") -> SourceRecords:
    """The records of cluster ``cluster`` (source ``k8s:<cluster>``) from its objects."""
    b = GraphBuilder(cluster)
    index = add_workloads(inventory, b)
    grants = resolve(inventory, sorted(index.sa_pairs()))
    add_escalations(grants, b, index)
    add_cloud_identities(inventory, b, index)
    add_cluster_admin(b, index)
    entries = add_exposure(inventory, b, index, add_ai(b, index))
    add_path_findings(b, entries)
    records = b.records(label or f"Kubernetes cluster {cluster}",
                        inventory.all_warnings() + grants.warnings)
    logger.info("cluster %s: %d nodes, %d edges", cluster, len(records.nodes), len(records.edges))
    return records
