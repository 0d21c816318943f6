"""Dangerous Kubernetes permissions, each a named technique with a pure check.

A check takes the rules a subject holds in one scope (the whole cluster, or one
namespace with the cluster-wide rules included) and returns what the technique
reaches there, as :class:`Reach` values; the graph builder turns each into edges
whose ``via`` is the technique's id. Pod-level escapes to the node are checked on
the pod spec (:func:`node_escape`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from airgraph.ingest.k8s.rbac import Access, PolicyRule, allowed

__all__ = ["NODE_ESCAPE", "TECHNIQUES", "Reach", "Target", "Technique", "node_escape"]

_RBAC = "rbac.authorization.k8s.io"
_ANY = Access(True, frozenset())
_CONTROLLERS = (("apps", ("deployments", "replicasets", "statefulsets", "daemonsets")),
                ("batch", ("jobs", "cronjobs")), ("", ("replicationcontrollers",)))


class Target(StrEnum):
    """What a technique's edges point at (the builder resolves names in scope)."""

    SECRETS = "secrets"  # CAN_READ the secrets named
    NAMESPACE_SAS = "namespace-service-accounts"  # every SA of the namespace; cluster-wide: cluster-admin
    POD_SAS = "pod-service-accounts"  # the SAs the named pods run as
    SERVICE_ACCOUNTS = "service-accounts"  # the SAs named; all of them cluster-wide: cluster-admin
    NODES = "nodes"  # the nodes' (kubelet) identities
    USERS = "users"  # the users named; any user: cluster-admin
    GROUPS = "groups"  # the groups named; any group: cluster-admin
    CLUSTER_ADMIN = "cluster-admin"


class Reach(NamedTuple):
    target: Target
    access: Access


@dataclass(frozen=True, slots=True)
class Technique:
    """``check(rules, cluster_wide)`` returns what the rules reach, empty when nothing."""

    id: str
    title: str
    check: Callable[[Sequence[PolicyRule], bool], list[Reach]]


def _reach(target: Target, access: Access | None) -> list[Reach]:
    return [Reach(target, access)] if access is not None else []


def _cluster_admin(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """Every verb on every resource of every group, granted cluster-wide."""
    if cluster_wide and any({"*"} <= r.verbs and {"*"} <= r.groups and {"*"} <= r.resources
                            and not r.names for r in rules):
        return [Reach(Target.CLUSTER_ADMIN, _ANY)]
    return []


def _rbac_escalate(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """``escalate`` with write on roles, or ``bind`` with write on bindings: the subject
    can grant itself any role in scope."""
    write = ("create", "update", "patch")
    roles = ("roles", "clusterroles")
    escalate = (allowed(rules, ("escalate",), _RBAC, roles)
                and allowed(rules, write, _RBAC, roles))
    bind = (allowed(rules, ("bind",), _RBAC, roles)
            and allowed(rules, write, _RBAC, ("rolebindings", "clusterrolebindings")))
    if not (escalate or bind):
        return []
    if cluster_wide:
        return [Reach(Target.CLUSTER_ADMIN, _ANY)]
    return [Reach(Target.NAMESPACE_SAS, _ANY), Reach(Target.SECRETS, _ANY)]


def _impersonate(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """``impersonate`` users, groups or service accounts."""
    out = _reach(Target.SERVICE_ACCOUNTS, allowed(rules, ("impersonate",), "", ("serviceaccounts",)))
    if cluster_wide:
        out += _reach(Target.USERS, allowed(rules, ("impersonate",), "", ("users",)))
        out += _reach(Target.GROUPS, allowed(rules, ("impersonate",), "", ("groups",)))
    return out


def _create_pods(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """Creating a pod, or anything that creates pods, runs code as any SA in scope."""
    access = allowed(rules, ("create",), "", ("pods",))
    for group, resources in _CONTROLLERS:
        access = access or allowed(rules, ("create",), group, resources)
    return [Reach(Target.NAMESPACE_SAS, _ANY)] if access else []


def _patch_workloads(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """Patching a pod-owning workload can swap its pod template (image and SA); patching
    a pod can swap its image, which then runs as the pod's SA."""
    for group, resources in _CONTROLLERS:
        if allowed(rules, ("patch", "update"), group, resources):
            return [Reach(Target.NAMESPACE_SAS, _ANY)]
    return _reach(Target.POD_SAS, allowed(rules, ("patch", "update"), "", ("pods",)))


def _pod_exec(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """Exec, attach, or an ephemeral debug container: code runs in a pod as its SA."""
    access = allowed(rules, ("create", "get"), "", ("pods/exec", "pods/attach"))
    debug = allowed(rules, ("patch", "update"), "", ("pods/ephemeralcontainers",))
    if access and debug:
        access = access | debug
    return _reach(Target.POD_SAS, access or debug)


def _sa_token(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """TokenRequest: mint a token for a service account."""
    return _reach(Target.SERVICE_ACCOUNTS,
                  allowed(rules, ("create",), "", ("serviceaccounts/token",)))


def _read_secrets(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """get, list or watch on secrets (``resourceNames`` limit which)."""
    return _reach(Target.SECRETS, allowed(rules, ("get", "list", "watch"), "", ("secrets",)))


def _nodes_proxy(rules: Sequence[PolicyRule], cluster_wide: bool) -> list[Reach]:
    """The kubelet API through ``nodes/proxy``: exec in any pod of the node."""
    if not cluster_wide:
        return []
    return _reach(Target.NODES, allowed(rules, ("get", "create"), "", ("nodes/proxy",)))


TECHNIQUES: tuple[Technique, ...] = (
    Technique("k8s-cluster-admin", "Full control of the cluster", _cluster_admin),
    Technique("k8s-rbac-escalate", "Grant oneself any role (bind/escalate)", _rbac_escalate),
    Technique("k8s-impersonate", "Impersonate users, groups or service accounts", _impersonate),
    Technique("k8s-create-pods", "Create pods or pod-owning workloads", _create_pods),
    Technique("k8s-patch-workloads", "Patch pods or pod-owning workloads", _patch_workloads),
    Technique("k8s-pod-exec", "Exec, attach or debug containers in pods", _pod_exec),
    Technique("k8s-sa-token", "Create service account tokens", _sa_token),
    Technique("k8s-nodes-proxy", "Kubelet API through nodes/proxy", _nodes_proxy),
    Technique("k8s-read-secrets", "Read secrets", _read_secrets),
)
"""Strongest first: when two techniques give one edge, the first names it."""


NODE_ESCAPE = "k8s-node-escape"
"""A pod that can take over its node: it holds the kubelet's credentials."""


def node_escape(spec: dict[str, Any]) -> list[str]:
    """Why the pod ``spec`` can escape to its node (empty when it cannot):
    ``privileged``, ``CAP_SYS_ADMIN``, ``hostPID`` or ``hostPath``."""
    reasons = ["hostPID"] if spec.get("hostPID") else []
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        context = container.get("securityContext") or {}
        if context.get("privileged"):
            reasons.append("privileged")
        caps = (context.get("capabilities") or {}).get("add") or []
        if "SYS_ADMIN" in caps or "ALL" in caps:
            reasons.append("CAP_SYS_ADMIN")
    if any("hostPath" in v for v in spec.get("volumes") or ()):
        reasons.append("hostPath")
    return sorted(set(reasons))
