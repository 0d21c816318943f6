"""Live collection through boto3: the only network code of the AWS ingestor.

Read-only calls, every list call paginated. An access-denied (or unreachable) service
or region is skipped with a warning and the rest still loads; without IAM there is no
account to describe, so that is an error. Lambda environment variable values are
dropped here, as soon as they arrive: only their names go further.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from airgraph.errors import IngestError
from airgraph.ingest.aws.resources import SERVICES

__all__ = ["Collected", "Progress", "collect_account"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: called as each step of collection finishes."""

_FILTERS = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"]
_DETAIL_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
_ABSENT = {"NoSuchTagSet", "NoSuchBucketPolicy", "NoSuchPublicAccessBlockConfiguration",
           "ResourceNotFoundException", "NoSuchEntity"}
_REGIONAL = ("DynamoDB", "RDS", "SecretsManager", "Lambda", "BedrockAgent", "ApiGatewayV2")


@dataclass(slots=True)
class Collected:
    account: str
    details: dict[str, list[Any]]
    resources: dict[str, dict[str, list[Any]]]
    warnings: list[str] = field(default_factory=list)


def collect_account(session: Any, regions: Sequence[str], progress: Progress) -> Collected:
    """Everything airgraph reads from one account, through a ``boto3.Session``."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        account = session.client("sts").get_caller_identity()["Account"]
        details = _authorization_details(session.client("iam"))
    except (ClientError, BotoCoreError) as exc:
        raise IngestError(f"cannot read IAM: {exc}", obj="iam") from None
    total = 2 + len(regions) * len(_REGIONAL)
    progress("iam", 1, total)
    out = Collected(account, details, {s: {k: [] for k in keys} for s, keys in SERVICES.items()})
    steps = [("S3", None, _s3)] + [(s, r, _READERS[s]) for r in regions for s in _REGIONAL]
    for done, (service, region, reader) in enumerate(steps, start=2):
        where = f"{service} in {region}" if region else service
        try:
            client = session.client(_CLIENTS[service], region_name=region)
            for key, items in reader(client).items():
                out.resources[service][key].extend(items)
        except (ClientError, BotoCoreError) as exc:
            out.warnings.append(f"skipped {where}: {_reason(exc)}")
            log.info("skipped %s: %s", where, exc)
        progress(where, done, total)
    return out


def _reason(exc: Exception) -> str:
    error = getattr(exc, "response", {}).get("Error", {})
    return f"{error.get('Code')}: {error.get('Message', '')}".strip() if error else str(exc)


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key) or ()
    else:
        yield from getattr(client, operation)(**kwargs).get(key) or ()


def _optional(call: Callable[[], Any]) -> Any:
    """The result of a get call, or None when the thing does not exist."""
    from botocore.exceptions import ClientError

    try:
        return call()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _ABSENT:
            return None
        raise


def _authorization_details(iam: Any) -> dict[str, list[Any]]:
    details: dict[str, list[Any]] = {k: [] for k in _DETAIL_LISTS}
    for page in iam.get_paginator("get_account_authorization_details").paginate(Filter=_FILTERS):
        for key in _DETAIL_LISTS:
            details[key].extend(page.get(key) or ())
    return details


def _s3(s3: Any) -> dict[str, list[Any]]:
    buckets = []
    for bucket in _pages(s3, "list_buckets", "Buckets"):
        name = bucket["Name"]
        tags = _optional(lambda: s3.get_bucket_tagging(Bucket=name))
        policy = _optional(lambda: s3.get_bucket_policy(Bucket=name))
        block = _optional(lambda: s3.get_public_access_block(Bucket=name))
        buckets.append({"Name": name, "Tags": (tags or {}).get("TagSet", []),
                        "Policy": (policy or {}).get("Policy"),
                        "PublicAccessBlock": (block or {}).get("PublicAccessBlockConfiguration")})
    return {"Buckets": buckets}


def _dynamodb(ddb: Any) -> dict[str, list[Any]]:
    tables = []
    for name in _pages(ddb, "list_tables", "TableNames"):
        table = ddb.describe_table(TableName=name)["Table"]
        tags = list(_pages(ddb, "list_tags_of_resource", "Tags", ResourceArn=table["TableArn"]))
        tables.append({"TableName": name, "TableArn": table["TableArn"], "Tags": tags})
    return {"Tables": tables}


def _rds(rds: Any) -> dict[str, list[Any]]:
    keep = ("DBInstanceIdentifier", "DBInstanceArn", "Engine", "DbiResourceId",
            "IAMDatabaseAuthenticationEnabled", "TagList")
    return {"DBInstances": [{k: db[k] for k in keep if k in db}
                            for db in _pages(rds, "describe_db_instances", "DBInstances")]}


def _secrets(sm: Any) -> dict[str, list[Any]]:
    secrets = []
    for secret in _pages(sm, "list_secrets", "SecretList"):
        policy = _optional(lambda: sm.get_resource_policy(SecretId=secret["ARN"]))
        secrets.append({"ARN": secret["ARN"], "Name": secret.get("Name"),
                        "KmsKeyId": secret.get("KmsKeyId"), "Tags": secret.get("Tags", []),
                        "ResourcePolicy": (policy or {}).get("ResourcePolicy")})
    return {"SecretList": secrets}


def _lambda(lam: Any) -> dict[str, list[Any]]:
    functions = []
    for function in _pages(lam, "list_functions", "Functions"):
        names = sorted(((function.get("Environment") or {}).get("Variables") or {}))
        url = _optional(lambda: lam.get_function_url_config(FunctionName=function["FunctionName"]))
        urls = [url] if url else []
        functions.append({
            "FunctionName": function["FunctionName"], "FunctionArn": function["FunctionArn"],
            "Role": function.get("Role"), "Runtime": function.get("Runtime"),
            "Environment": {"Variables": dict.fromkeys(names, "")},
            "FunctionUrlConfigs": [{"AuthType": u.get("AuthType"),
                                    "FunctionUrl": u.get("FunctionUrl")} for u in urls]})
    return {"Functions": functions}


def _bedrock_agent(ba: Any) -> dict[str, list[Any]]:
    agents = []
    for summary in _pages(ba, "list_agents", "agentSummaries"):
        agent_id = summary["agentId"]
        agent = dict(ba.get_agent(agentId=agent_id)["agent"])
        groups = _pages(ba, "list_agent_action_groups", "actionGroupSummaries",
                        agentId=agent_id, agentVersion="DRAFT")
        agent["ActionGroups"] = [ba.get_agent_action_group(
            agentId=agent_id, agentVersion="DRAFT",
            actionGroupId=g["actionGroupId"])["agentActionGroup"] for g in groups]
        agent["KnowledgeBases"] = list(_pages(
            ba, "list_agent_knowledge_bases", "agentKnowledgeBaseSummaries",
            agentId=agent_id, agentVersion="DRAFT"))
        agent["Collaborators"] = list(_pages(
            ba, "list_agent_collaborators", "agentCollaboratorSummaries",
            agentId=agent_id, agentVersion="DRAFT"))
        agents.append(agent)
    bases = []
    for summary in _pages(ba, "list_knowledge_bases", "knowledgeBaseSummaries"):
        kb_id = summary["knowledgeBaseId"]
        kb = dict(ba.get_knowledge_base(knowledgeBaseId=kb_id)["knowledgeBase"])
        kb["DataSources"] = [ba.get_data_source(
            knowledgeBaseId=kb_id, dataSourceId=d["dataSourceId"])["dataSource"]
            for d in _pages(ba, "list_data_sources", "dataSourceSummaries", knowledgeBaseId=kb_id)]
        bases.append(kb)
    return {"Agents": agents, "KnowledgeBases": bases}


def _apigatewayv2(apigw: Any) -> dict[str, list[Any]]:
    apis = []
    for api in _pages(apigw, "get_apis", "Items"):
        api_id = api["ApiId"]
        apis.append({"ApiId": api_id, "Name": api.get("Name"),
                     "ApiEndpoint": api.get("ApiEndpoint"),
                     "Routes": list(_pages(apigw, "get_routes", "Items", ApiId=api_id)),
                     "Integrations": list(_pages(apigw, "get_integrations", "Items",
                                                 ApiId=api_id))})
    return {"Apis": apis}


_CLIENTS = {"S3": "s3", "DynamoDB": "dynamodb", "RDS": "rds", "SecretsManager": "secretsmanager",
            "Lambda": "lambda", "BedrockAgent": "bedrock-agent", "ApiGatewayV2": "apigatewayv2"}
_READERS: dict[str, Callable[[Any], dict[str, list[Any]]]] = {
    "DynamoDB": _dynamodb, "RDS": _rds, "SecretsManager": _secrets, "Lambda": _lambda,
    "BedrockAgent": _bedrock_agent, "ApiGatewayV2": _apigatewayv2}
