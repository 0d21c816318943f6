"""Escalation by running code as another role: iam:PassRole to a service that runs
code, or changing the code of a function that already runs as a role."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from airgraph.ingest.aws.iam.model import Principal
from airgraph.ingest.aws.iam.policy import ANY_RESOURCE
from airgraph.ingest.aws.iam.technique import Escalation, EscalationContext, Technique

__all__ = ["SERVICE_TECHNIQUES"]

PASS_ROLE = "iam:PassRole"


def _passrole(service: str, *needs: tuple[str, ...], profile: bool = False):
    """Pass a role trusting ``service`` to it, then have it run one's code.

    ``needs`` are groups of actions: one action of every group must be allowed (on some
    resource). ``profile``: the role must have an instance profile (EC2).
    """
    def check(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
        if not ctx.evaluator.may_allow(p, PASS_ROLE):
            return
        conditions: list[Mapping[str, Any]] = []
        for group in needs:
            grant = next((g for a in group if (g := ctx.grant(p, a, ANY_RESOURCE))), None)
            if grant is None:
                return
            conditions.extend(grant.conditions)
        for role in ctx.estate.of_kind("role"):
            if role.arn == p.arn or service not in role.trusted_services:
                continue
            if profile and not role.instance_profiles:
                continue
            grant = ctx.grant(p, PASS_ROLE, role.arn)
            if grant:
                yield Escalation(role.arn, tuple(conditions) + grant.conditions)
    return check


def _update_function_code(ctx: EscalationContext, p: Principal) -> Iterator[Escalation]:
    if not ctx.evaluator.may_allow(p, "lambda:UpdateFunctionCode"):
        return
    for function, role in sorted(ctx.functions.items()):
        if role == p.arn or role not in ctx.estate.principals:
            continue
        grant = ctx.grant(p, "lambda:UpdateFunctionCode", function)
        if grant:
            yield Escalation(role, grant.conditions)


SERVICE_TECHNIQUES: tuple[Technique, ...] = (
    Technique("passrole-lambda-invoke", "Pass a role to a new Lambda function and invoke it",
               "iam:PassRole on a role trusting lambda.amazonaws.com with "
               "lambda:CreateFunction and lambda:InvokeFunction.",
               _passrole("lambda.amazonaws.com", ("lambda:CreateFunction",),
                         ("lambda:InvokeFunction",))),
    Technique("passrole-lambda-event-source", "Pass a role to a new Lambda function "
               "triggered by an event source",
               "iam:PassRole on a role trusting lambda.amazonaws.com with "
               "lambda:CreateFunction and lambda:CreateEventSourceMapping.",
               _passrole("lambda.amazonaws.com", ("lambda:CreateFunction",),
                         ("lambda:CreateEventSourceMapping",))),
    Technique("passrole-ec2-run-instances", "Pass a role to a new EC2 instance",
               "iam:PassRole on a role with an instance profile trusting ec2.amazonaws.com "
               "and ec2:RunInstances: the instance's user data runs as the role.",
               _passrole("ec2.amazonaws.com", ("ec2:RunInstances",), profile=True)),
    Technique("passrole-glue-dev-endpoint", "Pass a role to a Glue development endpoint",
               "iam:PassRole on a role trusting glue.amazonaws.com and glue:CreateDevEndpoint.",
               _passrole("glue.amazonaws.com", ("glue:CreateDevEndpoint",))),
    Technique("passrole-cloudformation", "Pass a role to a CloudFormation stack",
               "iam:PassRole on a role trusting cloudformation.amazonaws.com and "
               "cloudformation:CreateStack: the stack creates anything the role may.",
               _passrole("cloudformation.amazonaws.com", ("cloudformation:CreateStack",))),
    Technique("passrole-sagemaker-notebook", "Pass a role to a SageMaker notebook",
               "iam:PassRole on a role trusting sagemaker.amazonaws.com with "
               "sagemaker:CreateNotebookInstance and sagemaker:CreatePresignedNotebookInstanceUrl.",
               _passrole("sagemaker.amazonaws.com", ("sagemaker:CreateNotebookInstance",),
                         ("sagemaker:CreatePresignedNotebookInstanceUrl",))),
    Technique("passrole-sagemaker-job", "Pass a role to a SageMaker training or processing job",
               "iam:PassRole on a role trusting sagemaker.amazonaws.com with "
               "sagemaker:CreateTrainingJob or sagemaker:CreateProcessingJob.",
               _passrole("sagemaker.amazonaws.com", ("sagemaker:CreateTrainingJob",
                                                     "sagemaker:CreateProcessingJob"))),
    Technique("passrole-codebuild", "Pass a role to a CodeBuild project",
               "iam:PassRole on a role trusting codebuild.amazonaws.com with "
               "codebuild:CreateProject and codebuild:StartBuild.",
               _passrole("codebuild.amazonaws.com", ("codebuild:CreateProject",),
                         ("codebuild:StartBuild",))),
    Technique("passrole-ecs-run-task", "Pass a role to an ECS task",
               "iam:PassRole on a role trusting ecs-tasks.amazonaws.com with "
               "ecs:RegisterTaskDefinition and ecs:RunTask.",
               _passrole("ecs-tasks.amazonaws.com", ("ecs:RegisterTaskDefinition",),
                         ("ecs:RunTask",))),
    Technique("passrole-agentcore-code-interpreter", "Pass a role to a Bedrock AgentCore "
               "code interpreter",
               "iam:PassRole on a role trusting bedrock-agentcore.amazonaws.com with "
               "bedrock-agentcore:CreateCodeInterpreter, StartCodeInterpreterSession and "
               "InvokeCodeInterpreter: the interpreter runs one's code as the role.",
               _passrole("bedrock-agentcore.amazonaws.com",
                         ("bedrock-agentcore:CreateCodeInterpreter",),
                         ("bedrock-agentcore:StartCodeInterpreterSession",),
                         ("bedrock-agentcore:InvokeCodeInterpreter",))),
    Technique("lambda-update-function-code", "Change the code of an existing Lambda function",
               "lambda:UpdateFunctionCode on a function: its new code runs as the "
               "function's execution role (and controls any agent tool it backs).",
               _update_function_code),
)
