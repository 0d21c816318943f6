"""Rules the AWS ingestor reports."""

from __future__ import annotations

from airgraph.catalogue.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    Rule("aws-privilege-escalation", "high", "IAM privilege escalation to account administrator",
         "A user or role that is not an administrator can make itself one: a chain of role "
         "assumptions and escalation techniques (new policy versions, attaching policies, "
         "PassRole to a service that runs code, ...) reaches full control of the account.",
         "Remove the permission named by the first technique of the chain ('via' on the "
         "CAN_ASSUME edge), scope it to specific resources, or add a permissions boundary."),
    Rule("aws-public-data-store", "high", "Data store readable by anyone",
         "The store's resource policy allows Principal '*' to read it without conditions, "
         "and no public access block stops it.",
         "Remove the public statement or enable S3 Block Public Access for the bucket."),
    Rule("aws-unauthenticated-entry-to-agent", "high", "Unauthenticated entry point to an agent",
         "An API Gateway route or Lambda function URL without authorization invokes a Bedrock "
         "agent: anyone on the internet can prompt it.",
         "Require an authorizer (IAM, JWT or Lambda) on the route, or AWS_IAM auth on the "
         "function URL."),
    Rule("aws-agent-admin-role", "critical", "Agent runs with administrator rights",
         "The Bedrock agent's execution role has effective '*' on '*': whoever steers the "
         "agent holds the account.",
         "Give the agent a role with only the model and knowledge-base permissions it needs."),
    Rule("aws-bedrock-agent-no-guardrail", "medium", "Bedrock agent without a guardrail",
         "No Bedrock guardrail filters the agent's input or output.",
         "Configure a Bedrock guardrail (prompt-attack filter, denied topics, sensitive "
         "information filters) on the agent."),
)
