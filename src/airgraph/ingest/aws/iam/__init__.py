"""IAM for one account: policies, their evaluation, trust and privilege escalation.

Pure and offline: an :class:`IamEstate` goes in, facts about who can do and become
what come out. Collection and graph records live elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from airgraph.ingest.aws.iam.escalation import IAM_TECHNIQUES
from airgraph.ingest.aws.iam.passrole import SERVICE_TECHNIQUES
from airgraph.ingest.aws.iam.technique import Escalation, EscalationContext, Technique

__all__ = ["TECHNIQUES", "Found", "escalations"]

TECHNIQUES: tuple[Technique, ...] = IAM_TECHNIQUES + SERVICE_TECHNIQUES
"""Every privilege-escalation technique airgraph checks, by id."""


class Found(NamedTuple):
    src: str
    technique: str
    escalation: Escalation


def escalations(ctx: EscalationContext) -> Iterator[Found]:
    """Every technique applied to every user and role of the estate."""
    for principal in ctx.estate.principals.values():
        if principal.kind == "group":
            continue
        for technique in TECHNIQUES:
            for found in technique.check(ctx, principal):
                if found.target != principal.arn:
                    yield Found(principal.arn, technique.id, found)
