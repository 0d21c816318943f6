"""IAM privilege escalation through IAM itself: policies, credentials, trust, groups.

Each technique is a named pure check over the estate (after PMapper and Rhino
Security Labs' catalogue). A technique that lets a principal grant itself any
permission leads to the account root; one that yields another principal's
credentials or role leads to that principal.
"""

from __future__ import annotations

from collections.abc import Iterator

from airgraph.ingest.aws.iam.model import Principal
from airgraph.ingest.aws.iam.technique import Escalation, EscalationContext, Technique

__all__ = ["IAM_TECHNIQUES"]


def _policies_of(ctx: EscalationContext, principal: Principal) -> list[str]:
    """Customer managed policies attached to the principal or to its groups."""
    owners = [principal, *(ctx.estate.principals[g] for g in principal.groups
                           if g in ctx.estate.principals)]
    return sorted({arn for p in owners for arn in p.managed
                   if not arn.startswith("arn:aws:iam::aws:policy/")})


def _create_policy_version(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
    if not ctx.evaluator.may_allow(p, "iam:CreatePolicyVersion"):
        return
    for arn in _policies_of(ctx, p):
        grant = ctx.grant(p, "iam:CreatePolicyVersion", arn)
        if grant:
            yield Escalation(ctx.root, grant.conditions)
            return


def _set_default_policy_version(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
    if not ctx.evaluator.may_allow(p, "iam:SetDefaultPolicyVersion"):
        return
    for arn in _policies_of(ctx, p):
        policy = ctx.estate.policies.get(arn)
        if policy is None or policy.versions < 2:
            continue
        grant = ctx.grant(p, "iam:SetDefaultPolicyVersion", arn)
        if grant:
            yield Escalation(ctx.root, grant.conditions)
            return


def _on_self(action: str):
    """A user or role that may change its own policies (or those of a role it can
    assume) grants itself anything."""
    kind = "user" if "User" in action else "role"

    def check(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
        if not ctx.evaluator.may_allow(p, action):
            return
        own = [p.arn] if p.kind == kind else []
        targets = own if kind == "user" else [*own, *sorted(ctx.assumable.get(p.arn, ()))]
        for arn in targets:
            grant = ctx.grant(p, action, arn)
            if grant:
                yield Escalation(ctx.root, grant.conditions)
                return
    return check


def _on_own_group(action: str):
    def check(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
        if not ctx.evaluator.may_allow(p, action):
            return
        for group in p.groups:
            grant = ctx.grant(p, action, group)
            if grant:
                yield Escalation(ctx.root, grant.conditions)
                return
    return check


def _other_users(action: str):
    """Credentials made for another user are that user."""
    def check(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
        if not ctx.evaluator.may_allow(p, action):
            return
        for user in ctx.estate.of_kind("user"):
            if user.arn != p.arn:
                grant = ctx.grant(p, action, user.arn)
                if grant:
                    yield Escalation(user.arn, grant.conditions)
    return check


def _update_trust(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
    if not ctx.evaluator.may_allow(p, "iam:UpdateAssumeRolePolicy"):
        return
    for role in ctx.estate.of_kind("role"):
        if role.arn != p.arn and role.arn not in ctx.assumable.get(p.arn, ()):
            grant = ctx.grant(p, "iam:UpdateAssumeRolePolicy", role.arn)
            if grant:
                yield Escalation(role.arn, grant.conditions)


def _add_user_to_group(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
    if p.kind != "user" or not ctx.evaluator.may_allow(p, "iam:AddUserToGroup"):
        return
    for group in ctx.estate.of_kind("group"):
        if group.arn not in p.groups:
            grant = ctx.grant(p, "iam:AddUserToGroup", group.arn)
            if grant:
                yield Escalation(group.arn, grant.conditions)


IAM_TECHNIQUES: tuple[Technique, ...] = (
    Technique("iam-create-policy-version", "Create a new default version of an own policy",
              "iam:CreatePolicyVersion on a customer managed policy attached to the principal "
              "or its group: the new version, set as default, can allow everything.",
              _create_policy_version),
    Technique("iam-set-default-policy-version", "Switch an own policy to another version",
              "iam:SetDefaultPolicyVersion on an attached customer managed policy that has "
              "more than one version: an older, broader version becomes effective.",
              _set_default_policy_version),
    Technique("iam-attach-user-policy", "Attach a managed policy to oneself",
              "iam:AttachUserPolicy on one's own user: attach AdministratorAccess.",
              _on_self("iam:AttachUserPolicy")),
    Technique("iam-put-user-policy", "Write an inline policy on oneself",
              "iam:PutUserPolicy on one's own user: an inline policy allowing everything.",
              _on_self("iam:PutUserPolicy")),
    Technique("iam-attach-group-policy", "Attach a managed policy to one's group",
              "iam:AttachGroupPolicy on a group the user belongs to.",
              _on_own_group("iam:AttachGroupPolicy")),
    Technique("iam-put-group-policy", "Write an inline policy on one's group",
              "iam:PutGroupPolicy on a group the user belongs to.",
              _on_own_group("iam:PutGroupPolicy")),
    Technique("iam-attach-role-policy", "Attach a managed policy to one's or an assumable role",
              "iam:AttachRolePolicy on the role itself or on a role it can assume.",
              _on_self("iam:AttachRolePolicy")),
    Technique("iam-put-role-policy", "Write an inline policy on one's or an assumable role",
              "iam:PutRolePolicy on the role itself or on a role it can assume.",
              _on_self("iam:PutRolePolicy")),
    Technique("iam-create-access-key", "Create an access key for another user",
              "iam:CreateAccessKey on another user yields that user's credentials.",
              _other_users("iam:CreateAccessKey")),
    Technique("iam-create-login-profile", "Create a console password for another user",
              "iam:CreateLoginProfile on a user without one yields a console login as that "
              "user (the authorization details do not say whether one exists).",
              _other_users("iam:CreateLoginProfile")),
    Technique("iam-update-login-profile", "Reset another user's console password",
              "iam:UpdateLoginProfile on another user yields a console login as that user.",
              _other_users("iam:UpdateLoginProfile")),
    Technique("iam-update-assume-role-policy", "Rewrite a role's trust policy",
              "iam:UpdateAssumeRolePolicy on a role: trust oneself, then assume it.",
              _update_trust),
    Technique("iam-add-user-to-group", "Add oneself to a group",
              "iam:AddUserToGroup on a group the user is not in: it gains the group's "
              "permissions.", _add_user_to_group),
)
