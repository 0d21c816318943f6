"""The AI runtime: Bedrock agents, their action groups, knowledge bases and
collaborators, the Lambda functions behind them, and the entry points in front.

An action group backed by a Lambda function is a *narrow* tool: the agent fills in
the parameters of fixed code. It READS and WRITES what the function's role can read
and write (inferred: the code may touch any of it), is HOSTED_BY a Workload for the
function, and RUNS_AS the role. The Workload's own RUNS_AS carries control, so a
principal that can change the function's code holds the role (technique
``lambda-update-function-code``), while an injected agent gets only the tool's reads
and writes under ``realistic`` and the whole role under ``worst``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from airgraph.ingest.aws.builder import RecordBuilder
from airgraph.ingest.aws.iam.evaluate import Evaluator
from airgraph.ingest.aws.resources import Resources
from airgraph.ingest.aws.transform.data import DataStore, store_access
from airgraph.schema import EdgeKind, Evidence, NodeKind

__all__ = ["add_ai_runtime", "lambda_roles"]

_CODE_INTERPRETER = "AMAZON.CodeInterpreter"


def lambda_roles(resources: Resources) -> dict[str, str]:
    """Lambda function ARN to its execution role ARN."""
    return {f["FunctionArn"]: f["Role"] for f in resources["Lambda"]["Functions"]
            if isinstance(f.get("FunctionArn"), str) and isinstance(f.get("Role"), str)}


def add_ai_runtime(out: RecordBuilder, evaluator: Evaluator, resources: Resources,
                   stores: list[DataStore], admins: set[str]) -> None:
    """Add functions, agents, their tools and knowledge, and the entry points to them;
    ``admins`` are the ARNs of the account's administrators."""
    roles = lambda_roles(resources)
    for function in resources["Lambda"]["Functions"]:
        if isinstance(function.get("FunctionArn"), str):
            _add_function(out, function)
        else:
            out.warnings.append(f"skipped Lambda function {function.get('FunctionName', '?')}: "
                                "no FunctionArn")
    knowledge = {kb["knowledgeBaseId"]: kb for kb in resources["BedrockAgent"]["KnowledgeBases"]
                 if isinstance(kb.get("knowledgeBaseId"), str)}
    for agent in resources["BedrockAgent"]["Agents"]:
        if not isinstance(agent.get("agentArn"), str):
            out.warnings.append(f"skipped Bedrock agent {agent.get('agentName', '?')}: "
                                "no agentArn")
            continue
        _add_agent(out, evaluator, agent, knowledge, stores, admins, roles)
    for api in resources["ApiGatewayV2"]["Apis"]:
        _add_api(out, evaluator, api, roles)
    for function in resources["Lambda"]["Functions"]:
        for url in function.get("FunctionUrlConfigs") or ():
            _add_function_url(out, evaluator, function, url, roles)


def _sha256(text: Any) -> str | None:
    return hashlib.sha256(text.encode()).hexdigest() if isinstance(text, str) and text else None


def _region(arn: str) -> str:
    return arn.split(":")[3]


def _account(arn: str) -> str:
    return arn.split(":")[4]


def _identity(out: RecordBuilder, arn: str) -> str:
    """The role ``arn``, described minimally when the authorization details lack it."""
    return out.node(arn, NodeKind.IDENTITY, arn.rsplit("/", 1)[-1],
                    {"provider": "aws", "principal_type": "role"})


def _add_function(out: RecordBuilder, function: Mapping[str, Any]) -> None:
    arn = function["FunctionArn"]
    variables = (function.get("Environment") or {}).get("Variables") or {}
    # Variable values are never kept: only their names.
    out.node(arn, NodeKind.WORKLOAD, function.get("FunctionName", arn), {
        "platform": "aws-lambda", "runtime": function.get("Runtime"),
        "environment_variables": sorted(variables) if isinstance(variables, Mapping) else None})
    if isinstance(function.get("Role"), str):
        out.edge(arn, _identity(out, function["Role"]), EdgeKind.RUNS_AS)


def _agent_arn(alias_arn: str) -> str:
    """``...:agent-alias/AGENT/ALIAS`` to ``...:agent/AGENT``."""
    head, _, tail = alias_arn.partition(":agent-alias/")
    return f"{head}:agent/{tail.split('/')[0]}"


def _add_agent(out: RecordBuilder, evaluator: Evaluator, agent: Mapping[str, Any],
               knowledge: Mapping[str, Mapping[str, Any]], stores: list[DataStore],
               admins: set[str], roles: Mapping[str, str]) -> None:
    arn = agent["agentArn"]
    region, account = _region(arn), _account(arn)
    out.node(arn, NodeKind.AGENT, agent.get("agentName", arn), {
        "framework": "aws-bedrock-agent", "autonomy": "autonomous",
        "system_prompt_sha256": _sha256(agent.get("instruction"))})
    role = agent.get("agentResourceRoleArn")
    if isinstance(role, str):
        out.edge(arn, _identity(out, role), EdgeKind.RUNS_AS)
        if role in admins:
            out.finding(arn, "aws-agent-admin-role",
                        "The agent's execution role has administrator rights.", role)
    model = agent.get("foundationModel")
    if isinstance(model, str):
        model_arn = model if model.startswith("arn:") else \
            f"arn:aws:bedrock:{region}::foundation-model/{model}"
        out.node(model_arn, NodeKind.MODEL, model.rsplit("/", 1)[-1],
                 {"provider": "aws-bedrock", "model_id": model.rsplit("/", 1)[-1],
                  "hosting": "aws-bedrock"})
        out.edge(arn, model_arn, EdgeKind.USES_MODEL)
    guard = (agent.get("guardrailConfiguration") or {}).get("guardrailIdentifier")
    if isinstance(guard, str):
        guard_arn = guard if guard.startswith("arn:") else \
            f"arn:aws:bedrock:{region}:{account}:guardrail/{guard}"
        out.node(guard_arn, NodeKind.GUARDRAIL, guard.rsplit("/", 1)[-1],
                 {"mode": "input_filter"})
        out.edge(arn, guard_arn, EdgeKind.GUARDED_BY)
    else:
        out.finding(arn, "aws-bedrock-agent-no-guardrail",
                    "The Bedrock agent has no guardrail configured.", arn)
    for group in agent.get("ActionGroups") or ():
        _add_action_group(out, evaluator, arn, group, stores, roles)
    for kb in agent.get("KnowledgeBases") or ():
        _add_knowledge_base(out, arn, region, account, kb, knowledge)
    for collaborator in agent.get("Collaborators") or ():
        alias = (collaborator.get("agentDescriptor") or {}).get("aliasArn")
        if isinstance(alias, str) and ":agent-alias/" in alias:
            other = out.node(_agent_arn(alias), NodeKind.AGENT,
                             collaborator.get("collaboratorName", alias),
                             {"framework": "aws-bedrock-agent"})
            out.edge(arn, other, EdgeKind.DELEGATES)


def _add_action_group(out: RecordBuilder, evaluator: Evaluator, agent: str,
                      group: Mapping[str, Any], stores: list[DataStore],
                      roles: Mapping[str, str]) -> None:
    if not isinstance(group.get("actionGroupId"), str):
        out.warnings.append(f"skipped an action group of {agent}: no actionGroupId")
        return
    if group.get("actionGroupState") == "DISABLED" or \
            group.get("parentActionGroupSignature") == "AMAZON.UserInput":
        return
    tool = f"{agent}/action-group/{group['actionGroupId']}"
    executor = group.get("actionGroupExecutor") or {}
    function = executor.get("lambda")
    functions = (group.get("functionSchema") or {}).get("functions") or []
    props: dict[str, Any] = {
        "description_sha256": _sha256(group.get("description")),
        "executor": "lambda" if function else "return_control" if executor.get("customControl")
        else None,
        "functions": sorted(f["name"] for f in functions if isinstance(f.get("name"), str))}
    capabilities: set[str] = set()
    if group.get("parentActionGroupSignature") == _CODE_INTERPRETER:
        # Bedrock's code interpreter runs in a sandbox with no AWS credentials: marking
        # it execute would hand the calling agent's role to whoever injects the agent.
        props["sandboxed"] = True
    role = None
    if isinstance(function, str):
        role_arn = roles.get(function)
        if not out.has(function):
            out.node(function, NodeKind.WORKLOAD, function.rsplit(":", 1)[-1],
                     {"platform": "aws-lambda"})
        role = evaluator.estate.principals.get(role_arn) if role_arn else None
        access = [(s, kind) for s in stores if role is not None
                  for kind in store_access(evaluator, role, s)]
        capabilities |= {"read" if kind is EdgeKind.CAN_READ else "write" for _, kind in access}
        props["capabilities"] = sorted(capabilities)
        out.node(tool, NodeKind.TOOL, group.get("actionGroupName", tool), props)
        out.edge(tool, function, EdgeKind.HOSTED_BY)
        if role_arn:
            out.edge(tool, role_arn, EdgeKind.RUNS_AS)
        for store, kind in access:
            out.edge(tool, store.arn, EdgeKind.READS if kind is EdgeKind.CAN_READ
                     else EdgeKind.WRITES, evidence=Evidence.INFERRED)
    else:
        props["capabilities"] = sorted(capabilities)
        out.node(tool, NodeKind.TOOL, group.get("actionGroupName", tool), props)
    out.edge(agent, tool, EdgeKind.CALLS)
    if functions and all(f.get("requireConfirmation") == "ENABLED" for f in functions):
        guard = out.node(f"{tool}/confirmation", NodeKind.GUARDRAIL,
                         f"{group.get('actionGroupName', 'action group')} confirmation",
                         {"mode": "human_approval"})
        out.edge(tool, guard, EdgeKind.GUARDED_BY)


def _add_knowledge_base(out: RecordBuilder, agent: str, region: str, account: str,
                        kb: Mapping[str, Any], knowledge: Mapping[str, Mapping[str, Any]]) -> None:
    kb_id = kb.get("knowledgeBaseId")
    if not isinstance(kb_id, str) or kb.get("knowledgeBaseState") == "DISABLED":
        return
    details = knowledge.get(kb_id, {})
    kb_arn = details.get("knowledgeBaseArn") or \
        f"arn:aws:bedrock:{region}:{account}:knowledge-base/{kb_id}"
    out.node(kb_arn, NodeKind.DATA_STORE, details.get("name", kb_id),
             {"store_type": "bedrock-knowledge-base"})
    out.edge(kb_arn, agent, EdgeKind.FEEDS)
    for source in details.get("DataSources") or ():
        bucket = ((source.get("dataSourceConfiguration") or {}).get("s3Configuration")
                  or {}).get("bucketArn")
        if isinstance(bucket, str):
            out.node(bucket, NodeKind.DATA_STORE, bucket.rsplit(":", 1)[-1],
                     {"store_type": "s3"})
            out.edge(bucket, agent, EdgeKind.FEEDS)


def _invoked_agents(out: RecordBuilder, evaluator: Evaluator, role_arn: str | None) -> list[str]:
    """Agents whose aliases a function's role may invoke."""
    role = evaluator.estate.principals.get(role_arn) if role_arn else None
    if role is None or not evaluator.may_allow(role, "bedrock:InvokeAgent"):
        return []
    agents = [n for n in out.nodes.values() if n.kind is NodeKind.AGENT]
    return [a.id for a in agents if evaluator.grant(
        role, "bedrock:InvokeAgent",
        a.id.replace(":agent/", ":agent-alias/", 1) + "/*") is not None]


def _integration_function(uri: Any) -> str | None:
    if not isinstance(uri, str) or ":lambda:" not in uri:
        return None
    if "/functions/" in uri:
        uri = uri.split("/functions/", 1)[1].removesuffix("/invocations")
    return uri if uri.startswith("arn:aws:lambda:") else None


def _add_api(out: RecordBuilder, evaluator: Evaluator, api: Mapping[str, Any],
             roles: Mapping[str, str]) -> None:
    api_id = api.get("ApiId")
    if not isinstance(api_id, str):
        out.warnings.append(f"skipped API {api.get('Name', '?')}: no ApiId")
        return
    integrations = {i.get("IntegrationId"): _integration_function(i.get("IntegrationUri"))
                    for i in api.get("Integrations") or ()}
    region = next((f.split(":")[3] for f in integrations.values() if f), "")
    entry = f"arn:aws:apigateway:{region}::/apis/{api_id}"
    prompts: dict[str, bool] = {}
    for route in api.get("Routes") or ():
        target = str(route.get("Target", "")).removeprefix("integrations/")
        function = integrations.get(target)
        if function is None or not out.has(function):
            continue
        for agent in _invoked_agents(out, evaluator, roles.get(function)):
            prompts[agent] = prompts.get(agent, False) or route.get("AuthorizationType") == "NONE"
    if not prompts:
        return
    public = any(prompts.values())
    out.node(entry, NodeKind.ENTRY_POINT, api.get("Name", api_id), {
        "exposure": "public" if public else None, "interactive": True, "channel": "api-gateway",
        "url": api.get("ApiEndpoint")})
    for agent in sorted(prompts):
        out.edge(entry, agent, EdgeKind.PROMPTS, evidence=Evidence.INFERRED)
    if public:
        out.finding(entry, "aws-unauthenticated-entry-to-agent",
                    "An API route without authorization reaches a Bedrock agent.",
                    f"{entry} -> {', '.join(sorted(a for a, p in prompts.items() if p))}")


def _add_function_url(out: RecordBuilder, evaluator: Evaluator, function: Mapping[str, Any],
                      url: Mapping[str, Any], roles: Mapping[str, str]) -> None:
    arn = function.get("FunctionArn")
    if not isinstance(arn, str):
        return
    agents = _invoked_agents(out, evaluator, roles.get(arn))
    if not agents:
        return
    public = url.get("AuthType") == "NONE"
    entry = out.node(f"{arn}/url", NodeKind.ENTRY_POINT, f"{function.get('FunctionName')} URL", {
        "exposure": "public" if public else None, "interactive": True,
        "channel": "lambda-function-url", "url": url.get("FunctionUrl")})
    for agent in agents:
        out.edge(entry, agent, EdgeKind.PROMPTS, evidence=Evidence.INFERRED)
    if public:
        out.finding(entry, "aws-unauthenticated-entry-to-agent",
                    "A Lambda function URL without authentication reaches a Bedrock agent.",
                    f"{entry} -> {', '.join(agents)}")
