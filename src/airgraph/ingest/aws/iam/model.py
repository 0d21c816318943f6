"""The IAM estate of one account, as the policy evaluator and techniques see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from airgraph.ingest.aws.iam.policy import Statement

__all__ = ["IamEstate", "ManagedPolicy", "Principal", "PrincipalKind", "root_arn"]

PrincipalKind = Literal["user", "group", "role"]


def root_arn(account: str) -> str:
    """The node standing for full control of ``account``."""
    return f"arn:aws:iam::{account}:root"


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    arn: str
    name: str
    statements: tuple[Statement, ...]
    versions: int
    """How many versions the policy has (a second version can be made default)."""

    @property
    def aws_managed(self) -> bool:
        return self.arn.startswith("arn:aws:iam::aws:policy/")


@dataclass(frozen=True, slots=True)
class Principal:
    """A user, group or role; ``statements`` are every identity-policy statement that
    applies to it (a user's include its groups')."""

    arn: str
    name: str
    kind: PrincipalKind
    statements: tuple[Statement, ...]
    boundary: tuple[Statement, ...] | None = None
    groups: tuple[str, ...] = ()
    """Group ARNs a user belongs to."""
    managed: tuple[str, ...] = ()
    """ARNs of the managed policies attached to it directly."""
    trust: tuple[Statement, ...] = ()
    instance_profiles: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def trusted_services(self) -> frozenset[str]:
        return frozenset(s for st in self.trust if st.allow and st.principals
                         for s in st.principals.get("Service", ()))


@dataclass(slots=True)
class IamEstate:
    """Everything the authorization details say about one account."""

    account: str
    principals: dict[str, Principal]
    policies: dict[str, ManagedPolicy]
    scp: tuple[Statement, ...] | None = None
    warnings: list[str] = field(default_factory=list)

    def of_kind(self, kind: PrincipalKind) -> list[Principal]:
        return [p for p in self.principals.values() if p.kind == kind]
