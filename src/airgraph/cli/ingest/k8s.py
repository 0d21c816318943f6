"""``airgraph ingest k8s``: a live cluster, or ``kubectl get -o json`` dumps."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from airgraph.cli.ingest._load import load_and_report
from airgraph.cli.options import JsonOpt, StoreOpt

if TYPE_CHECKING:
    from airgraph.ingest.k8s import Inventory
    from airgraph.ingest.records import SourceRecords
    from airgraph.schema import NodeKind

__all__ = ["command"]


def command(
    from_json: Annotated[list[Path] | None, typer.Option(
        "--from-json", help="Offline: output of 'kubectl get <kinds> -A -o json' (a List; "
        "repeat for several files). EKS pod identity associations "
        "('aws eks describe-pod-identity-association') are read too.",
        show_default=False)] = None,
    cluster: Annotated[str | None, typer.Option(
        help="Cluster name used in ids and the source k8s:<cluster> (default: the "
        "kubeconfig context's name).", show_default=False)] = None,
    context: Annotated[str | None, typer.Option(
        help="Kubeconfig context to read (default: the current context).",
        show_default=False)] = None,
    kubeconfig: Annotated[Path | None, typer.Option(
        envvar="KUBECONFIG", help="Kubeconfig file (default: ~/.kube/config, or in-cluster).",
        show_default=False)] = None,
    namespace: Annotated[list[str] | None, typer.Option(
        "--namespace", "-n", help="Live: list namespaced kinds in this namespace only "
        "(repeatable); cluster-scoped RBAC is always read.", show_default=False)] = None,
    page_size: Annotated[int, typer.Option(
        min=1, max=5000, help="Live: objects per list call (limit/continue pagination).")] = 500,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest a Kubernetes cluster: workloads, service accounts, RBAC escalation, exposed
    AI services and cloud identity joins.

    Live (read-only list calls with the official client; needs pip install
    'airgraph[k8s]'): airgraph ingest k8s --context prod

    Offline: kubectl get pods,deployments,replicasets,statefulsets,daemonsets,jobs,
    cronjobs,serviceaccounts,secrets,services,ingresses,roles,rolebindings,
    clusterroles,clusterrolebindings,nodes -A -o json > prod.json, then
    airgraph ingest k8s --from-json prod.json --cluster prod

    Ids are k8s:<cluster>:<namespace>:<Kind>:<name> ('_' for cluster-scoped objects);
    k8s:<cluster>:_:Identity:cluster-admin stands for full control of the cluster.
    Dangerous permissions (reading secrets, creating pods, exec, impersonate,
    bind/escalate, token creation, nodes/proxy, patching workloads, privileged pods)
    become CAN_ASSUME and CAN_READ edges whose 'via' names the technique. Secret
    values, tokens and client keys are never stored or printed. Kinds that cannot be
    listed (403) or are unknown are skipped and reported as warnings.
    """
    def build(known: Mapping[str, NodeKind]) -> SourceRecords:
        from airgraph.ingest.k8s import build_records

        inventory, name = _inventory(from_json, cluster, context, kubeconfig, namespace or [],
                                     page_size)
        return build_records(inventory, name)

    source = f"k8s:{cluster}" if cluster else None
    load_and_report(store, build, source=source, as_json=as_json)


def _inventory(files: list[Path] | None, cluster: str | None, context: str | None,
               kubeconfig: Path | None, namespaces: list[str],
               page_size: int) -> tuple[Inventory, str]:
    if files:
        from airgraph.ingest.k8s import read_dumps

        inventory = read_dumps(files)
        if cluster:
            return inventory, cluster
        from airgraph.ingest.k8s.collect import context_name

        return inventory, context_name(kubeconfig, context)
    from airgraph.cli.progress import progress_bar
    from airgraph.ingest.k8s.collect import collect, open_client

    api, name = open_client(kubeconfig, context)
    try:
        with progress_bar(f"listing cluster {name}") as advance:
            inventory = collect(api, namespaces=namespaces, page_size=page_size,
                                progress=advance)
    finally:
        api.close()
    return inventory, cluster or name
