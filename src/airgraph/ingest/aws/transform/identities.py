"""Identities, CAN_ASSUME from trust and escalation, and the account root."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from airgraph.ingest.aws.builder import RecordBuilder
from airgraph.ingest.aws.iam import escalations
from airgraph.ingest.aws.iam.evaluate import Evaluator
from airgraph.ingest.aws.iam.model import root_arn
from airgraph.ingest.aws.iam.technique import EscalationContext
from airgraph.ingest.aws.iam.trust import trust_edges
from airgraph.schema import EdgeKind, Evidence, NodeKind

__all__ = ["ADMIN_VIA", "TRUST_VIA", "add_identities"]

TRUST_VIA = "sts-assume-role"
ADMIN_VIA = "administrator-access"


def add_identities(out: RecordBuilder, evaluator: Evaluator,
                   functions: Mapping[str, str]) -> set[str]:
    """Add every user, group and role, the root, and CAN_ASSUME edges; return the ARNs
    of administrators (effective ``*`` on ``*``)."""
    estate = evaluator.estate
    root = out.node(root_arn(estate.account), NodeKind.IDENTITY,
                    f"account {estate.account} (full control)",
                    {"provider": "aws", "privileged": True, "principal_type": "account"})
    admins: set[str] = set()
    for p in sorted(estate.principals.values(), key=lambda p: p.arn):
        admin = evaluator.is_admin(p)
        out.node(p.arn, NodeKind.IDENTITY, p.name, {
            "provider": "aws", "principal_type": p.kind, "privileged": admin is not None,
            "groups": sorted(p.groups), "trusted_services": sorted(p.trusted_services),
            "permissions_boundary": p.boundary is not None or None})
        if admin is not None:
            admins.add(p.arn)
            out.edge(p.arn, root, EdgeKind.CAN_ASSUME, via=ADMIN_VIA, likelihood=1.0,
                     conditions=admin.conditions, evidence=Evidence.INFERRED)
    assumable: dict[str, set[str]] = {}
    for edge in trust_edges(evaluator):
        assumable.setdefault(edge.src, set()).add(edge.role)
        out.edge(edge.src, edge.role, EdgeKind.CAN_ASSUME, via=TRUST_VIA,
                 conditions=edge.conditions)
    ctx = EscalationContext(evaluator, {k: frozenset(v) for k, v in assumable.items()},
                            functions)
    for found in escalations(ctx):
        if found.src in admins:
            continue  # an administrator already holds the root
        out.edge(found.src, found.escalation.target, EdgeKind.CAN_ASSUME, via=found.technique,
                 conditions=found.escalation.conditions, evidence=Evidence.INFERRED)
    _escalation_findings(out, root, admins)
    return admins


def _escalation_findings(out: RecordBuilder, root: str, admins: set[str]) -> None:
    """A finding on every non-administrator from which CAN_ASSUME edges reach the root."""
    into: dict[str, list[tuple[str, str]]] = {}
    for edge in out.edges.values():
        if edge.kind is EdgeKind.CAN_ASSUME:
            into.setdefault(edge.dst, []).append((edge.src, edge.props.get("via", "")))
    next_hop: dict[str, tuple[str, str]] = {}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for src, via in into.get(node, ()):
            if src not in next_hop and src != root:
                next_hop[src] = (node, via)
                queue.append(src)
    for src in sorted(next_hop):
        if src in admins or src not in out.nodes:
            continue
        hops, node = [], src
        while node != root and len(hops) < 10:
            nxt, via = next_hop[node]
            hops.append(f"{via} -> {nxt}")
            node = nxt
        out.finding(src, "aws-privilege-escalation",
                    "This identity can make itself administrator of the account.",
                    f"{src} " + " ".join(hops))
