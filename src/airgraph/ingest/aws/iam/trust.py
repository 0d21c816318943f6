"""CAN_ASSUME from role trust policies, joined with the caller's identity policies.

Within one account: a trust policy naming a principal's ARN lets it assume the role
without an identity-policy Allow (an explicit Deny still stops it); a trust of the
account root (or ``*``) delegates to identity policies, which must allow
``sts:AssumeRole`` on the role; a trust naming another account leads nowhere here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from airgraph.ingest.aws.iam.evaluate import Evaluator, names_account
from airgraph.ingest.aws.iam.model import Principal

__all__ = ["ASSUME_ROLE", "TrustEdge", "trust_edges"]

ASSUME_ROLE = "sts:AssumeRole"


class TrustEdge(NamedTuple):
    src: str
    role: str
    conditions: tuple[Mapping[str, Any], ...]


def trust_edges(evaluator: Evaluator) -> Iterator[TrustEdge]:
    """Every (principal, role) pair where the principal can assume the role."""
    estate = evaluator.estate
    callers = [p for p in estate.principals.values() if p.kind != "group"]
    delegating = [p for p in callers if evaluator.may_allow(p, ASSUME_ROLE)]
    for role in estate.of_kind("role"):
        yield from _role_edges(evaluator, role, callers, delegating)


def _role_edges(evaluator: Evaluator, role: Principal, callers: list[Principal],
                delegating: list[Principal]) -> Iterator[TrustEdge]:
    account = evaluator.estate.account
    allows = [s for s in role.trust if s.allow and s.matches_action(ASSUME_ROLE)]
    denies = [s for s in role.trust if not s.allow and s.matches_action(ASSUME_ROLE)]
    if not allows:
        return
    found: dict[str, tuple[Mapping[str, Any], ...]] = {}
    for statement in allows:
        conditions = (statement.conditions,) if statement.conditions else ()
        aws = statement.principals.get("AWS", ()) if statement.principals else ()
        for arn in aws:
            caller = evaluator.estate.principals.get(arn)
            if caller is None or caller.kind == "group" or caller.arn == role.arn:
                continue
            if not evaluator.denies(caller, ASSUME_ROLE, role.arn):
                found.setdefault(caller.arn, conditions)
        if names_account(statement, account):
            for caller in delegating:
                if caller.arn == role.arn or caller.arn in found:
                    continue
                grant = evaluator.grant(caller, ASSUME_ROLE, role.arn)
                if grant is not None:
                    found[caller.arn] = conditions + grant.conditions
    for src, conditions in sorted(found.items()):
        caller = evaluator.estate.principals[src]
        if any(_names(d, caller) and not d.conditions for d in denies):
            continue
        yield TrustEdge(src, role.arn, conditions)


def _names(statement: Any, caller: Principal) -> bool:
    names = statement.principals.get("AWS", ()) if statement.principals else ()
    return "*" in names or caller.arn in names
