"""The Kubernetes ingestor: workloads, service accounts, RBAC escalation, exposed AI
services and cloud identity joins, from a live cluster or ``kubectl get -o json`` dumps.

``collect`` is the only network code (it imports the ``kubernetes`` client lazily);
everything else is pure, from an :class:`Inventory` to :class:`SourceRecords`.
"""

from __future__ import annotations

from airgraph.ingest.k8s.inventory import Inventory
from airgraph.ingest.k8s.offline import read_dumps
from airgraph.ingest.k8s.transform import build_records

__all__ = ["Inventory", "build_records", "read_dumps"]
