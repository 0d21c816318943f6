"""RBAC techniques turned into edges: what each subject can assume or read.

Each technique's reach in a scope is resolved against the cluster's objects: a
namespace's secrets, service accounts and pods, or, for reach over the whole
cluster (every service account, any user or group), the cluster-admin Identity,
which in turn can assume every service account and read and write every secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from airgraph.ingest.k8s.builder import GraphBuilder
from airgraph.ingest.k8s.rbac import Access, Grants, Subject
from airgraph.ingest.k8s.techniques import TECHNIQUES, Reach, Target
from airgraph.ingest.k8s.workloads import ClusterIndex, service_account
from airgraph.schema import EdgeKind, Evidence, NodeKind

__all__ = ["CLUSTER_SECRET_READER", "add_escalations", "add_cluster_admin"]

_INFERRED = Evidence.INFERRED.value
_V = TypeVar("_V")
_READ_SECRETS = "k8s-read-secrets"
CLUSTER_SECRET_READER = "k8s-cluster-secret-reader"


def add_cluster_admin(b: GraphBuilder, index: ClusterIndex) -> str:
    """The cluster-admin Identity: assumes every service account and node, reads and
    writes every secret."""
    admin = b.node(b.cluster_admin, NodeKind.IDENTITY, "cluster-admin",
                   {"provider": "kubernetes", "privileged": True,
                    "description": f"full control of cluster {b.cluster}"})
    via = {"via": "k8s-cluster-admin"}
    for ids in index.service_accounts.values():
        for sa in sorted(ids):
            b.edge(admin, sa, EdgeKind.CAN_ASSUME, via, _INFERRED)
    for node in sorted(index.nodes.values()):
        b.edge(admin, node, EdgeKind.CAN_ASSUME, via, _INFERRED)
    for secrets in index.secrets.values():
        for sid in sorted(secrets.values()):
            b.edge(admin, sid, EdgeKind.CAN_READ, via, _INFERRED)
            b.edge(admin, sid, EdgeKind.CAN_WRITE, via, _INFERRED)
    return admin


def add_escalations(grants: Grants, b: GraphBuilder, index: ClusterIndex) -> None:
    """Edges for every technique each subject holds, strongest technique first."""
    subjects = {s: _subject_node(b, index, s) for s in sorted(grants.subjects)}
    for subject, src in subjects.items():
        b.props(src)["bindings"] = sorted(grants.subjects[subject].bindings)
        found = [(scope, technique, reach) for scope, rules in grants.scopes(subject)
                 for technique in TECHNIQUES for reach in technique.check(rules, scope is None)]
        admin = next(((t, r) for scope, t, r in found if scope is None and _is_admin(r)), None)
        if admin:  # cluster-admin reaches everything the other techniques would name
            b.edge(src, b.cluster_admin, EdgeKind.CAN_ASSUME,
                   {"via": admin[0].id, "scope": "cluster"}, _INFERRED)
        for scope, technique, reach in found if admin is None else ():
            props = {"via": technique.id, "scope": scope or "cluster"}
            for dst, kind in _targets(reach, scope, b, index):
                if dst != src:
                    b.edge(src, dst, kind, props, _INFERRED)
        for scope, technique, reach in found:
            if technique.id == _READ_SECRETS and scope is None and reach.access.any:
                b.finding(src, CLUSTER_SECRET_READER,
                          f"{subject.kind} {subject.name} can read every secret of "
                          f"cluster {b.cluster}",
                          ", ".join(sorted(grants.subjects[subject].bindings)))


def _is_admin(reach: Reach) -> bool:
    """Reach over the whole cluster: what :func:`_targets` sends to cluster-admin."""
    if reach.target is Target.CLUSTER_ADMIN or reach.target is Target.NAMESPACE_SAS:
        return True
    if reach.target in (Target.SERVICE_ACCOUNTS, Target.USERS):
        return reach.access.any
    if reach.target is Target.GROUPS:
        return reach.access.any or "system:masters" in reach.access.names
    return False


def _subject_node(b: GraphBuilder, index: ClusterIndex, subject: Subject) -> str:
    if subject.kind == "ServiceAccount":
        return service_account(b, index, subject.namespace, subject.name)
    return b.node(b.id(None, subject.kind, subject.name), NodeKind.IDENTITY, subject.name,
                  {"provider": "kubernetes", "subject_kind": subject.kind})


def _targets(reach: Reach, scope: str | None, b: GraphBuilder,
             index: ClusterIndex) -> Iterator[tuple[str, EdgeKind]]:
    access, target = reach.access, reach.target
    if target is Target.CLUSTER_ADMIN:
        yield b.cluster_admin, EdgeKind.CAN_ASSUME
    elif target is Target.SECRETS:
        for _ns, secrets in _in_scope(index.secrets, scope):
            for name, sid in sorted(secrets.items()):
                if access.covers(name):
                    yield sid, EdgeKind.CAN_READ
                    if sid in index.token_secrets:
                        yield index.token_secrets[sid], EdgeKind.CAN_ASSUME
    elif target is Target.NAMESPACE_SAS:
        if scope is None:
            yield b.cluster_admin, EdgeKind.CAN_ASSUME
        else:
            yield from ((sa, EdgeKind.CAN_ASSUME)
                        for sa in sorted(index.service_accounts.get(scope, ())))
    elif target is Target.SERVICE_ACCOUNTS:
        if scope is None and access.any:
            yield b.cluster_admin, EdgeKind.CAN_ASSUME
            return
        for _ns, ids in _in_scope(index.service_accounts, scope):
            yield from ((sa, EdgeKind.CAN_ASSUME) for sa in sorted(ids)
                        if access.covers(sa.rsplit(":", 1)[1]))
    elif target is Target.POD_SAS:
        for _ns, pods in _in_scope(index.pods, scope):
            yield from ((sa, EdgeKind.CAN_ASSUME) for sa in sorted(
                {sa for pod, sa in pods.items() if access.covers(pod)}))
    elif target is Target.NODES:
        yield from ((nid, EdgeKind.CAN_ASSUME) for name, nid in sorted(index.nodes.items())
                    if access.covers(name))
    else:
        yield from _principals(reach.target, access, b)


def _principals(target: Target, access: Access, b: GraphBuilder) -> Iterator[tuple[str, EdgeKind]]:
    """Impersonated users or groups: any of them, or system:masters, is cluster-admin."""
    if access.any or (target is Target.GROUPS and "system:masters" in access.names):
        yield b.cluster_admin, EdgeKind.CAN_ASSUME
        return
    kind = "User" if target is Target.USERS else "Group"
    for name in sorted(access.names):
        yield b.node(b.id(None, kind, name), NodeKind.IDENTITY, name,
                     {"provider": "kubernetes", "subject_kind": kind}), EdgeKind.CAN_ASSUME


def _in_scope(by_ns: dict[str, _V], scope: str | None) -> list[tuple[str, _V]]:
    if scope is None:
        return sorted(by_ns.items())
    return [(scope, by_ns[scope])] if scope in by_ns else []
