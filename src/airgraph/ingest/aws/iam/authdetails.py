"""``get-account-authorization-details`` output (boto3's or the AWS CLI's) as an IamEstate.

Both shapes are read: boto3 gives policy documents as objects, the CLI's raw output as
URL-encoded JSON strings. A policy in unknown grammar or an entry missing its keys is
skipped with a warning naming it; the rest of the account still loads.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from airgraph.errors import IngestError
from airgraph.ingest.aws.iam.model import IamEstate, ManagedPolicy, Principal
from airgraph.ingest.aws.iam.policy import PolicyGrammarError, Statement, parse_policy

__all__ = ["account_of", "parse_authorization_details"]

log = logging.getLogger(__name__)

_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
_ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
_BUILTIN: dict[str, tuple[Statement, ...]] = {
    _ADMINISTRATOR_ACCESS: (Statement(True, ("*",), False, ("*",), False),),
}
"""AWS managed policies whose grants are known even when a file leaves them out."""


def account_of(arn: str) -> str:
    """The account id field of an ARN (empty for global and AWS-owned ARNs)."""
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 else ""


def parse_authorization_details(details: Mapping[str, Any], *, account: str | None = None,
                                where: str = "authorization details") -> IamEstate:
    """Turn one account's authorization details into an :class:`IamEstate`.

    ``account`` defaults to the account in the ARNs; details naming several accounts
    (or none, without ``account``) raise IngestError.
    """
    if not isinstance(details, Mapping) or not any(k in details for k in _LISTS):
        raise IngestError(f"not authorization details (expected one of {', '.join(_LISTS)})",
                          file=where)
    warnings: list[str] = []
    entries = {key: _entries(details, key, where) for key in _LISTS}
    account = account or _account(entries, where)
    policies = {}
    for raw in entries["Policies"]:
        policy = _managed_policy(raw, warnings)
        if policy:
            policies[policy.arn] = policy
    groups: dict[str, tuple[str, tuple[Statement, ...]]] = {}
    principals: dict[str, Principal] = {}
    for raw in entries["GroupDetailList"]:
        if not _has(raw, ("Arn", "GroupName"), "group", warnings):
            continue
        statements = _identity_statements(raw, "GroupPolicyList", policies, warnings)
        groups[raw["GroupName"]] = (raw["Arn"], statements)
        principals[raw["Arn"]] = Principal(raw["Arn"], raw["GroupName"], "group", statements,
                                           managed=_attached(raw))
    for raw in entries["UserDetailList"]:
        if not _has(raw, ("Arn", "UserName"), "user", warnings):
            continue
        own = _identity_statements(raw, "UserPolicyList", policies, warnings)
        member_of = [groups[g] for g in raw.get("GroupList") or () if g in groups]
        inherited = tuple(s for _, statements in member_of for s in statements)
        principals[raw["Arn"]] = Principal(
            raw["Arn"], raw["UserName"], "user", own + inherited,
            boundary=_boundary(raw, policies, warnings), groups=tuple(a for a, _ in member_of),
            managed=_attached(raw), tags=_tags(raw))
    for raw in entries["RoleDetailList"]:
        if not _has(raw, ("Arn", "RoleName"), "role", warnings):
            continue
        trust = _document(raw.get("AssumeRolePolicyDocument"), f"trust policy of {raw['Arn']}",
                          warnings)
        principals[raw["Arn"]] = Principal(
            raw["Arn"], raw["RoleName"], "role",
            _identity_statements(raw, "RolePolicyList", policies, warnings),
            boundary=_boundary(raw, policies, warnings), managed=_attached(raw),
            trust=trust or (),
            instance_profiles=tuple(ip["Arn"] for ip in raw.get("InstanceProfileList") or ()
                                    if isinstance(ip, Mapping) and "Arn" in ip),
            tags=_tags(raw))
    log.debug("account %s: %d principals, %d managed policies", account, len(principals),
              len(policies))
    return IamEstate(account, principals, policies, warnings=warnings)


def _entries(details: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = details.get(key) or []
    if not isinstance(value, list):
        raise IngestError(f"{key} is not a list", file=where)
    return [v for v in value if isinstance(v, Mapping)]


def _account(entries: Mapping[str, list[Mapping[str, Any]]], where: str) -> str:
    accounts = {account_of(e["Arn"]) for key in ("UserDetailList", "GroupDetailList",
                                                  "RoleDetailList")
                for e in entries[key] if isinstance(e.get("Arn"), str)}
    accounts.discard("")
    if len(accounts) != 1:
        found = ", ".join(sorted(accounts)) or "none"
        raise IngestError(f"cannot tell the account from the ARNs (found: {found}); "
                          "pass --account", file=where)
    return accounts.pop()


def _has(raw: Mapping[str, Any], keys: Iterable[str], what: str, warnings: list[str]) -> bool:
    missing = [k for k in keys if not isinstance(raw.get(k), str)]
    if missing:
        name = raw.get("Arn") or raw.get(f"{what.title()}Name") or "?"
        warnings.append(f"skipped {what} {name}: missing {', '.join(missing)}")
    return not missing


def _document(document: Any, what: str, warnings: list[str]) -> tuple[Statement, ...] | None:
    if document is None:
        return None
    try:
        return parse_policy(document)
    except PolicyGrammarError as exc:
        warnings.append(f"skipped {what}: {exc}")
        return None


def _managed_policy(raw: Mapping[str, Any], warnings: list[str]) -> ManagedPolicy | None:
    if not _has(raw, ("Arn", "PolicyName"), "policy", warnings):
        return None
    versions = [v for v in raw.get("PolicyVersionList") or () if isinstance(v, Mapping)]
    default = next((v for v in versions if v.get("IsDefaultVersion")), None)
    if default is None:
        warnings.append(f"skipped policy {raw['Arn']}: no default version in the file")
        return None
    statements = _document(default.get("Document"), f"policy {raw['Arn']}", warnings)
    if statements is None:
        return None
    return ManagedPolicy(raw["Arn"], raw["PolicyName"], statements, len(versions))


def _identity_statements(raw: Mapping[str, Any], inline_key: str,
                         policies: Mapping[str, ManagedPolicy],
                         warnings: list[str]) -> tuple[Statement, ...]:
    statements: list[Statement] = []
    for inline in raw.get(inline_key) or ():
        name = inline.get("PolicyName", "?") if isinstance(inline, Mapping) else "?"
        found = _document(inline.get("PolicyDocument") if isinstance(inline, Mapping) else None,
                          f"inline policy {name} of {raw.get('Arn')}", warnings)
        statements.extend(found or ())
    for arn in _attached(raw):
        statements.extend(_managed(arn, policies, raw.get("Arn"), warnings))
    return tuple(statements)


def _managed(arn: str, policies: Mapping[str, ManagedPolicy], owner: Any,
             warnings: list[str]) -> tuple[Statement, ...]:
    policy = policies.get(arn)
    if policy is not None:
        return policy.statements
    if arn in _BUILTIN:
        return _BUILTIN[arn]
    warnings.append(f"policy {arn} attached to {owner} is not in the file: its grants are "
                    "unknown (ingest details that include AWS managed policies)")
    return ()


def _attached(raw: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(p["PolicyArn"] for p in raw.get("AttachedManagedPolicies") or ()
                 if isinstance(p, Mapping) and isinstance(p.get("PolicyArn"), str))


def _boundary(raw: Mapping[str, Any], policies: Mapping[str, ManagedPolicy],
              warnings: list[str]) -> tuple[Statement, ...] | None:
    boundary = raw.get("PermissionsBoundary")
    if not isinstance(boundary, Mapping) or "PermissionsBoundaryArn" not in boundary:
        return None
    return _managed(boundary["PermissionsBoundaryArn"], policies, raw.get("Arn"), warnings)


def _tags(raw: Mapping[str, Any]) -> dict[str, str]:
    return {t["Key"]: str(t.get("Value", "")) for t in raw.get("Tags") or ()
            if isinstance(t, Mapping) and isinstance(t.get("Key"), str)}
