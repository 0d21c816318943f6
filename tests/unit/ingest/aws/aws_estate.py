"""A small synthetic account for the AWS ingestor's tests (a PMapper-style playground)."""

from __future__ import annotations

from typing import Any

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "999988887777"
REGION = "us-east-1"


def arn(kind: str, name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:{kind}/{name}"


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def trust_service(service: str) -> dict[str, Any]:
    return doc({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def trust_aws(principal: Any, **extra: Any) -> dict[str, Any]:
    return doc({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole",
                **extra})


class Account:
    """Builds authorization details in boto3's shape."""

    def __init__(self) -> None:
        self.users: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        self.roles: list[dict[str, Any]] = []
        self.policies: list[dict[str, Any]] = []

    def user(self, name: str, *statements: dict[str, Any], groups: tuple[str, ...] = (),
             managed: tuple[str, ...] = (), boundary: str | None = None) -> str:
        entry = {"UserName": name, "Arn": arn("user", name), "GroupList": list(groups),
                 "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": doc(*statements)}]
                 if statements else [], "AttachedManagedPolicies": _attached(managed)}
        if boundary:
            entry["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                            "PermissionsBoundaryArn": boundary}
        self.users.append(entry)
        return entry["Arn"]

    def group(self, name: str, *statements: dict[str, Any], managed: tuple[str, ...] = ()) -> str:
        self.groups.append({"GroupName": name, "Arn": arn("group", name),
                            "GroupPolicyList": [{"PolicyName": "inline",
                                                 "PolicyDocument": doc(*statements)}]
                            if statements else [], "AttachedManagedPolicies": _attached(managed)})
        return arn("group", name)

    def role(self, name: str, trust: dict[str, Any], *statements: dict[str, Any],
             managed: tuple[str, ...] = (), boundary: str | None = None,
             instance_profile: bool = False) -> str:
        entry = {"RoleName": name, "Arn": arn("role", name), "AssumeRolePolicyDocument": trust,
                 "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": doc(*statements)}]
                 if statements else [], "AttachedManagedPolicies": _attached(managed),
                 "InstanceProfileList": [{"InstanceProfileName": name,
                                          "Arn": arn("instance-profile", name)}]
                 if instance_profile else []}
        if boundary:
            entry["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                            "PermissionsBoundaryArn": boundary}
        self.roles.append(entry)
        return entry["Arn"]

    def policy(self, name: str, *statements: dict[str, Any], versions: int = 1) -> str:
        policy_arn = arn("policy", name)
        self.policies.append({
            "PolicyName": name, "Arn": policy_arn, "DefaultVersionId": "v1",
            "PolicyVersionList": [{"VersionId": f"v{i + 1}", "IsDefaultVersion": i == 0,
                                   "Document": doc(*statements)} for i in range(versions)]})
        return policy_arn

    def details(self) -> dict[str, Any]:
        return {"UserDetailList": self.users, "GroupDetailList": self.groups,
                "RoleDetailList": self.roles, "Policies": self.policies}


def _attached(managed: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"PolicyName": m.rsplit("/", 1)[-1], "PolicyArn": m} for m in managed]


def edges(records: Any, kind: str | None = None) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(src, kind, dst) -> props of the records' edges (of one kind, if given)."""
    return {(e.src, str(e.kind), e.dst): dict(e.props) for e in records.edges
            if kind is None or str(e.kind) == kind}
