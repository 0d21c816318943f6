"""What a privilege-escalation technique is: a named, documented, pure check."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from airgraph.ingest.aws.iam.evaluate import Evaluator, Grant
from airgraph.ingest.aws.iam.model import IamEstate, Principal, root_arn

__all__ = ["Escalation", "EscalationContext", "Technique"]


class Escalation(NamedTuple):
    """``principal`` can become ``target`` (an identity ARN, or the account root)."""

    target: str
    conditions: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class EscalationContext:
    """What a check may look at: the estate, its evaluator, who can already assume
    which role, and the Lambda functions (ARN to execution-role ARN)."""

    evaluator: Evaluator
    assumable: Mapping[str, frozenset[str]] = field(default_factory=dict)
    functions: Mapping[str, str] = field(default_factory=dict)

    @property
    def estate(self) -> IamEstate:
        return self.evaluator.estate

    @property
    def root(self) -> str:
        return root_arn(self.estate.account)

    def grant(self, principal: Principal, action: str, resource: str) -> Grant | None:
        return self.evaluator.grant(principal, action, resource)


@dataclass(frozen=True, slots=True)
class Technique:
    """``id`` is the edge's ``via``; ``check`` yields what ``principal`` can become."""

    id: str
    title: str
    description: str
    check: Callable[[EscalationContext, Principal], Iterator[Escalation]]
