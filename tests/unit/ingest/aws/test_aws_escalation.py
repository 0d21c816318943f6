"""One positive and one negative case per privilege-escalation technique."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from aws_estate import (
    ACCOUNT,
    OTHER_ACCOUNT,
    REGION,
    Account,
    allow,
    arn,
    deny,
    edges,
    trust_aws,
    trust_service,
)

from airgraph.ingest.aws import build_records
from airgraph.ingest.aws.iam import TECHNIQUES
from airgraph.ingest.aws.iam.policy import parse_document
from airgraph.ingest.aws.resources import merge_resources

ROOT = f"arn:aws:iam::{ACCOUNT}:root"
FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:worker"


class Setup(NamedTuple):
    account: Account
    attacker: str
    target: str
    resources: dict[str, Any] | None = None
    scp: list[dict[str, Any]] | None = None


Builder = Callable[[bool], Setup]
"""``builder(positive)``: the estate where the technique fires (True) or must not (False)."""


def _run(setup: Setup) -> dict[tuple[str, str, str], dict[str, Any]]:
    resources = merge_resources([("test", setup.resources)] if setup.resources else [])
    scp = tuple(s for d in setup.scp for s in parse_document(d)) if setup.scp else None
    return edges(build_records(setup.account.details(), resources, scp=scp), "CAN_ASSUME")


def _policy_version(action: str) -> Builder:
    def build(positive: bool) -> Setup:
        a = Account()
        versions = 2 if positive or action == "iam:CreatePolicyVersion" else 1
        policy = a.policy("self-service", allow(action, arn("policy", "self-service")),
                          versions=versions)
        extra = [] if positive or action != "iam:CreatePolicyVersion" else [deny(action)]
        return Setup(a, a.user("mallory", *extra, managed=(policy,)), ROOT)
    return build


def _attach_self(action: str) -> Builder:
    def build(positive: bool) -> Setup:
        a = Account()
        if positive:
            return Setup(a, a.user("mallory", allow(action, arn("user", "mallory"))), ROOT)
        boundary = a.policy("no-iam", allow("s3:*"))
        return Setup(a, a.user("mallory", allow(action, arn("user", "mallory")),
                               boundary=boundary), ROOT)
    return build


def _put_user_policy(positive: bool) -> Setup:
    a = Account()
    a.user("victim")
    resource = arn("user", "mallory" if positive else "victim")
    return Setup(a, a.user("mallory", allow("iam:PutUserPolicy", resource)), ROOT)


def _own_group(action: str) -> Builder:
    def build(positive: bool) -> Setup:
        a = Account()
        a.group("devs")
        a.group("admins")
        resource = arn("group", "devs" if positive else "admins")
        return Setup(a, a.user("mallory", allow(action, resource), groups=("devs",)), ROOT)
    return build


def _assumable_role(action: str) -> Builder:
    def build(positive: bool) -> Setup:
        a = Account()
        trusted = arn("user", "mallory") if positive else arn("user", "mallory", OTHER_ACCOUNT)
        role = a.role("app", trust_aws(trusted))
        return Setup(a, a.user("mallory", allow(action, role)), ROOT)
    return build


def _own_role(positive: bool) -> Setup:
    a = Account()
    statements = [allow("iam:PutRolePolicy", arn("role", "ci"))]
    if not positive:
        statements.append(deny("iam:Put*"))
    return Setup(a, a.role("ci", trust_service("codebuild.amazonaws.com"), *statements), ROOT)


def _other_user(action: str, negative: str) -> Builder:
    def build(positive: bool) -> Setup:
        a = Account()
        victim = a.user("victim")
        statements = [allow(action, "arn:aws:iam::*:user/*")]
        scp = None
        if not positive and negative == "deny":
            statements.append(deny(action, victim))
        elif not positive and negative == "scp":
            scp = [{"Statement": [allow("*"), deny(action)]}]
        elif not positive:
            statements = [allow(action, arn("user", "mallory"))]
        return Setup(a, a.user("mallory", *statements), victim, scp=scp)
    return build


def _update_trust(positive: bool) -> Setup:
    a = Account()
    role = a.role("deploy", trust_service("ec2.amazonaws.com"))
    statements = [allow("iam:UpdateAssumeRolePolicy", role)]
    if not positive:
        statements.append(deny("iam:UpdateAssumeRolePolicy", "*"))
    return Setup(a, a.user("mallory", *statements), role)


def _add_user_to_group(positive: bool) -> Setup:
    a = Account()
    admins = a.group("admins", allow("*"))
    a.group("readers")
    if positive:
        return Setup(a, a.user("mallory", allow("iam:AddUserToGroup", admins)), admins)
    # Only the group the user is already in: nothing to gain.
    return Setup(a, a.user("mallory", allow("iam:AddUserToGroup", arn("group", "readers")),
                           groups=("readers",)), admins)


def _passrole(service: str, *actions: str, profile: bool = False) -> Builder:
    def build(positive: bool) -> Setup:
        a = Account()
        role = a.role("target", trust_service(service), instance_profile=profile)
        statements = [allow(list(actions))]
        if positive:
            statements.append(allow("iam:PassRole", role))
        return Setup(a, a.user("mallory", *statements), role)
    return build


def _update_function_code(positive: bool) -> Setup:
    a = Account()
    role = a.role("worker", trust_service("lambda.amazonaws.com"))
    resource = FUNCTION if positive else FUNCTION.replace("worker", "other")
    resources = {"Lambda": {"Functions": [{"FunctionName": "worker", "FunctionArn": FUNCTION,
                                           "Role": role}]}}
    return Setup(a, a.user("mallory", allow("lambda:UpdateFunctionCode", resource)), role,
                 resources)


CASES: dict[str, Builder] = {
    "iam-create-policy-version": _policy_version("iam:CreatePolicyVersion"),
    "iam-set-default-policy-version": _policy_version("iam:SetDefaultPolicyVersion"),
    "iam-attach-user-policy": _attach_self("iam:AttachUserPolicy"),
    "iam-put-user-policy": _put_user_policy,
    "iam-attach-group-policy": _own_group("iam:AttachGroupPolicy"),
    "iam-put-group-policy": _own_group("iam:PutGroupPolicy"),
    "iam-attach-role-policy": _assumable_role("iam:AttachRolePolicy"),
    "iam-put-role-policy": _own_role,
    "iam-create-access-key": _other_user("iam:CreateAccessKey", "deny"),
    "iam-create-login-profile": _other_user("iam:CreateLoginProfile", "self-only"),
    "iam-update-login-profile": _other_user("iam:UpdateLoginProfile", "scp"),
    "iam-update-assume-role-policy": _update_trust,
    "iam-add-user-to-group": _add_user_to_group,
    "passrole-lambda-invoke": _passrole("lambda.amazonaws.com", "lambda:CreateFunction",
                                        "lambda:InvokeFunction"),
    "passrole-lambda-event-source": _passrole("lambda.amazonaws.com", "lambda:CreateFunction",
                                              "lambda:CreateEventSourceMapping"),
    "passrole-ec2-run-instances": _passrole("ec2.amazonaws.com", "ec2:RunInstances",
                                            profile=True),
    "passrole-glue-dev-endpoint": _passrole("glue.amazonaws.com", "glue:CreateDevEndpoint"),
    "passrole-cloudformation": _passrole("cloudformation.amazonaws.com",
                                         "cloudformation:CreateStack"),
    "passrole-sagemaker-notebook": _passrole("sagemaker.amazonaws.com",
                                             "sagemaker:CreateNotebookInstance",
                                             "sagemaker:CreatePresignedNotebookInstanceUrl"),
    "passrole-sagemaker-job": _passrole("sagemaker.amazonaws.com", "sagemaker:CreateTrainingJob"),
    "passrole-codebuild": _passrole("codebuild.amazonaws.com", "codebuild:CreateProject",
                                    "codebuild:StartBuild"),
    "passrole-ecs-run-task": _passrole("ecs-tasks.amazonaws.com", "ecs:RegisterTaskDefinition",
                                       "ecs:RunTask"),
    "passrole-agentcore-code-interpreter": _passrole(
        "bedrock-agentcore.amazonaws.com", "bedrock-agentcore:CreateCodeInterpreter",
        "bedrock-agentcore:StartCodeInterpreterSession",
        "bedrock-agentcore:InvokeCodeInterpreter"),
    "lambda-update-function-code": _update_function_code,
}


def test_every_technique_has_a_case() -> None:
    assert sorted(CASES) == sorted(t.id for t in TECHNIQUES)


@pytest.mark.parametrize("technique", sorted(CASES))
def test_technique_fires(technique: str) -> None:
    setup = CASES[technique](True)
    found = _run(setup)
    edge = found.get((setup.attacker, "CAN_ASSUME", setup.target))
    assert edge is not None and edge["via"] == technique


@pytest.mark.parametrize("technique", sorted(CASES))
def test_technique_does_not_fire(technique: str) -> None:
    setup = CASES[technique](False)
    found = _run(setup)
    assert not [k for k, p in found.items() if k[0] == setup.attacker and p.get("via") == technique]


def test_ec2_needs_an_instance_profile() -> None:
    setup = _passrole("ec2.amazonaws.com", "ec2:RunInstances", profile=False)(True)
    assert (setup.attacker, "CAN_ASSUME", setup.target) not in _run(setup)


def test_conditional_grant_keeps_conditions_and_lowers_likelihood() -> None:
    a = Account()
    condition = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    mallory = a.user("mallory", allow("iam:AttachUserPolicy", arn("user", "mallory"),
                                      Condition=condition))
    edge = _run(Setup(a, mallory, ROOT))[(mallory, "CAN_ASSUME", ROOT)]
    assert edge["conditions"] == [condition]
    assert edge["likelihood"] < 0.7


def test_administrators_hold_the_root_and_boundaries_stop_it() -> None:
    a = Account()
    admin_policy = "arn:aws:iam::aws:policy/AdministratorAccess"
    boundary = a.policy("s3-only", allow("s3:*"))
    admin = a.user("admin", managed=(admin_policy,))
    bounded = a.user("bounded", managed=(admin_policy,), boundary=boundary)
    denied = a.user("denied", allow("*"), deny("iam:*"))
    found = _run(Setup(a, admin, ROOT))
    assert found[(admin, "CAN_ASSUME", ROOT)]["via"] == "administrator-access"
    assert (bounded, "CAN_ASSUME", ROOT) not in found
    assert (denied, "CAN_ASSUME", ROOT) not in found
