"""Whether a principal may perform an action on a resource, the way IAM decides it.

Identity policies, a permissions boundary, service control policies and a resource
policy combine as in AWS's evaluation logic for one account: an explicit Deny wins;
otherwise an Allow is needed from an identity policy or from a resource policy naming
the principal, and the boundary and SCPs must allow it too. Conditions are not
evaluated away: a grant that holds only under conditions carries them, so an edge can
keep them and count as less likely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from airgraph.ingest.aws.iam.model import IamEstate, Principal
from airgraph.ingest.aws.iam.policy import Statement

__all__ = ["Evaluator", "Grant", "names_account", "principal_named"]


class Grant(NamedTuple):
    """An allowed action; ``conditions`` are those it depends on (empty: none)."""

    conditions: tuple[Mapping[str, Any], ...] = ()

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)


class _Decision(NamedTuple):
    allowed: bool
    denied: bool
    conditions: tuple[Mapping[str, Any], ...]


_NOTHING = _Decision(False, False, ())


def _decide(statements: Sequence[Statement], action: str, resource: str) -> _Decision:
    allowed = unconditional = False
    conditions: list[Mapping[str, Any]] = []
    for st in statements:
        if not st.matches_action(action):
            continue
        if not st.allow:
            if st.covers_resource(resource):
                if not st.conditions:
                    return _Decision(False, True, ())
                conditions.append({"unless": st.conditions})
            continue
        if st.allows_any_resource(resource):
            allowed = True
            if st.conditions:
                conditions.append(st.conditions)
            else:
                unconditional = True
    if not allowed:
        return _NOTHING
    if unconditional:
        conditions = [c for c in conditions if "unless" in c]
    return _Decision(True, False, tuple(conditions))


def principal_named(statement: Statement, principal: Principal) -> bool:
    """Whether a resource or trust statement names ``principal`` itself (its ARN, or
    anyone: ``*``); naming the account only delegates to identity policies."""
    names = statement.principals.get("AWS", ()) if statement.principals else ()
    hit = "*" in names or principal.arn in names
    return hit != statement.not_principal


def names_account(statement: Statement, account: str) -> bool:
    """Whether a statement names the whole account (its root, its id, or ``*``)."""
    names = statement.principals.get("AWS", ()) if statement.principals else ()
    return any(n in ("*", account, f"arn:aws:iam::{account}:root") for n in names)


class Evaluator:
    """Answers ``grant(principal, action, resource)`` for one account."""

    def __init__(self, estate: IamEstate) -> None:
        self.estate = estate
        self._by_action: dict[tuple[str, str, str], tuple[Statement, ...]] = {}

    def grant(self, principal: Principal, action: str, resource: str,
              resource_policy: Sequence[Statement] = ()) -> Grant | None:
        """The grant ``principal`` holds for ``action`` on ``resource``, or None.

        ``resource_policy`` is the resource's own policy (bucket or secret policy).
        """
        identity = _decide(self._statements(principal, "id", action), action, resource)
        if identity.denied:
            return None
        named = [s for s in resource_policy if principal_named(s, principal)]
        by_resource = _decide(named, action, resource) if named else _NOTHING
        if by_resource.denied or not (identity.allowed or by_resource.allowed):
            return None
        conditions = list(identity.conditions if identity.allowed else by_resource.conditions)
        # A resource policy naming a user's ARN is not limited by the user's boundary.
        bypass_boundary = by_resource.allowed and principal.kind == "user" and not identity.allowed
        limits = [] if bypass_boundary else [(principal.boundary, "boundary")]
        limits.append((self.estate.scp, "scp"))
        for statements, tag in limits:
            if statements is None:
                continue
            decision = _decide(self._statements(principal, tag, action, statements), action,
                               resource)
            if not decision.allowed:
                return None
            conditions.extend(decision.conditions)
        return Grant(tuple(conditions))

    def denies(self, principal: Principal, action: str, resource: str) -> bool:
        """Whether an identity policy explicitly and unconditionally denies it."""
        return _decide(self._statements(principal, "id", action), action, resource).denied

    def may_allow(self, principal: Principal, action: str) -> bool:
        """Whether any identity-policy Allow names ``action`` (a cheap pre-filter)."""
        return any(s.allow for s in self._statements(principal, "id", action))

    def is_admin(self, principal: Principal) -> Grant | None:
        """Effective ``*`` on ``*``: an Allow of everything, no explicit Deny of anything,
        and no boundary or SCP that narrows it."""
        sets = [principal.statements, principal.boundary, self.estate.scp]
        conditions: list[Mapping[str, Any]] = []
        for statements in sets:
            if statements is None:
                continue
            if any(not s.allow and not s.conditions for s in statements):
                return None
            full = [s for s in statements if s.allow and s.covers_everything]
            if not full:
                return None
            if all(s.conditions for s in full):
                conditions.extend(s.conditions for s in full if s.conditions)
            conditions.extend({"unless": s.conditions} for s in statements
                              if not s.allow and s.conditions)
        return Grant(tuple(conditions))

    def _statements(self, principal: Principal, tag: str, action: str,
                    statements: Sequence[Statement] | None = None) -> tuple[Statement, ...]:
        key = (principal.arn, tag, action)
        found = self._by_action.get(key)
        if found is None:
            pool = principal.statements if statements is None else statements
            found = tuple(s for s in pool if s.matches_action(action))
            self._by_action[key] = found
        return found
