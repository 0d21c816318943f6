"""Live collection with real boto3 calls: moto (in-process) for what it implements,
botocore's Stubber, with the documented response shapes, for the Bedrock agent calls
moto lacks, and for an AccessDenied service."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from airgraph.ingest.aws import build_records
from airgraph.ingest.aws.collect import collect_account
from airgraph.ingest.aws.resources import merge_resources

REGION = "us-east-1"
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
SECRET_ENV_VALUE = "moto-env-value-never-stored-77c1"


class _Session:
    """A boto3 session whose listed clients are replaced by stubbed ones."""

    def __init__(self, stubbed: dict[str, Any]) -> None:
        self._session = boto3.Session(region_name=REGION)
        self._stubbed = stubbed

    def client(self, name: str, region_name: str | None = None) -> Any:
        return self._stubbed.get(name) or self._session.client(name, region_name=region_name)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


def _populate() -> dict[str, str]:
    iam = boto3.client("iam")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole"}]})
    role = iam.create_role(RoleName="tool-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName="tool-role", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                "Resource": "arn:aws:s3:::records/*"}]}))
    for i in range(120):  # more than one page of authorization details
        iam.create_user(UserName=f"user-{i:03d}")
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="records")
    s3.put_bucket_tagging(Bucket="records", Tagging={"TagSet": [
        {"Key": "data-classification", "Value": "restricted"}]})
    boto3.client("dynamodb").create_table(
        TableName="orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    boto3.client("secretsmanager").create_secret(Name="db", SecretString="s3cr3t-value-xyz")
    function = boto3.client("lambda").create_function(
        FunctionName="orders-tool", Runtime="python3.12", Role=role, Handler="handler.handler",
        Code={"ZipFile": _zip()}, Environment={"Variables": {"API_TOKEN": SECRET_ENV_VALUE}})
    return {"role": role, "function": function["FunctionArn"]}


def _bedrock_stub(function: str, role: str) -> tuple[Any, Stubber]:
    client = boto3.client("bedrock-agent", region_name=REGION)
    stub = Stubber(client)
    agent_arn = f"arn:aws:bedrock:{REGION}:123456789012:agent/AG1"
    stub.add_response("list_agents", {"agentSummaries": [
        {"agentId": "AG1", "agentName": "support", "agentStatus": "PREPARED", "updatedAt": NOW}]})
    stub.add_response("get_agent", {"agent": {
        "agentId": "AG1", "agentName": "support", "agentArn": agent_arn, "agentVersion": "DRAFT",
        "agentStatus": "PREPARED", "idleSessionTTLInSeconds": 600, "agentResourceRoleArn": role,
        "foundationModel": "anthropic.claude-3-haiku-20240307-v1:0", "createdAt": NOW,
        "updatedAt": NOW, "instruction": "Help customers with their orders, politely."}})
    stub.add_response("list_agent_action_groups", {"actionGroupSummaries": [
        {"actionGroupId": "AGRP1", "actionGroupName": "orders", "actionGroupState": "ENABLED",
         "updatedAt": NOW}]})
    stub.add_response("get_agent_action_group", {"agentActionGroup": {
        "agentId": "AG1", "agentVersion": "DRAFT", "actionGroupId": "AGRP1",
        "actionGroupName": "orders", "createdAt": NOW, "updatedAt": NOW,
        "actionGroupState": "ENABLED", "actionGroupExecutor": {"lambda": function},
        "functionSchema": {"functions": [{"name": "get_order", "requireConfirmation": "DISABLED"}]}}})
    stub.add_response("list_agent_knowledge_bases", {"agentKnowledgeBaseSummaries": [
        {"knowledgeBaseId": "KB1", "knowledgeBaseState": "ENABLED", "updatedAt": NOW}]})
    stub.add_response("list_agent_collaborators", {"agentCollaboratorSummaries": []})
    stub.add_response("list_knowledge_bases", {"knowledgeBaseSummaries": [
        {"knowledgeBaseId": "KB1", "name": "docs", "status": "ACTIVE", "updatedAt": NOW}]})
    stub.add_response("get_knowledge_base", {"knowledgeBase": {
        "knowledgeBaseId": "KB1", "name": "docs",
        "knowledgeBaseArn": f"arn:aws:bedrock:{REGION}:123456789012:knowledge-base/KB1",
        "roleArn": role, "knowledgeBaseConfiguration": {"type": "VECTOR"}, "status": "ACTIVE",
        "createdAt": NOW, "updatedAt": NOW}})
    stub.add_response("list_data_sources", {"dataSourceSummaries": [
        {"knowledgeBaseId": "KB1", "dataSourceId": "DS1", "name": "records", "status": "AVAILABLE",
         "updatedAt": NOW}]})
    stub.add_response("get_data_source", {"dataSource": {
        "knowledgeBaseId": "KB1", "dataSourceId": "DS1", "name": "records", "status": "AVAILABLE",
        "dataSourceConfiguration": {"type": "S3", "s3Configuration": {
            "bucketArn": "arn:aws:s3:::records"}}, "createdAt": NOW, "updatedAt": NOW}})
    return client, stub


def _denied_rds() -> tuple[Any, Stubber]:
    client = boto3.client("rds", region_name=REGION)
    stub = Stubber(client)
    stub.add_client_error("describe_db_instances", service_error_code="AccessDenied",
                          service_message="not authorized to perform rds:DescribeDBInstances",
                          http_status_code=403)
    return client, stub


def test_collects_every_service_and_reports_what_it_skipped(aws: None) -> None:
    made = _populate()
    bedrock, bedrock_stub = _bedrock_stub(made["function"], made["role"])
    rds, rds_stub = _denied_rds()
    steps: list[str] = []
    with bedrock_stub, rds_stub:
        collected = collect_account(_Session({"bedrock-agent": bedrock, "rds": rds}), [REGION],
                                    lambda step, done, total: steps.append(step))
    bedrock_stub.assert_no_pending_responses()
    assert collected.account == "123456789012"
    assert len(collected.details["UserDetailList"]) == 120
    assert [w for w in collected.warnings if w.startswith("skipped RDS in us-east-1: AccessDenied")]
    assert "iam" in steps and f"BedrockAgent in {REGION}" in steps
    assert SECRET_ENV_VALUE not in json.dumps(collected.resources, default=str)

    records = build_records(collected.details,
                            merge_resources([("live", collected.resources)]),
                            account=collected.account, warnings=collected.warnings)
    ids = {n.id for n in records.nodes}
    edges = {(e.src, str(e.kind), e.dst) for e in records.edges}
    tool = "arn:aws:bedrock:us-east-1:123456789012:agent/AG1/action-group/AGRP1"
    assert {"arn:aws:s3:::records", "arn:aws:iam::123456789012:root", tool} <= ids
    assert (made["role"], "CAN_READ", "arn:aws:s3:::records") in edges
    assert (tool, "READS", "arn:aws:s3:::records") in edges
    assert ("arn:aws:s3:::records", "FEEDS", "arn:aws:bedrock:us-east-1:123456789012:agent/AG1") in edges
    assert any(n.props.get("store_type") == "secretsmanager" for n in records.nodes)
    assert records.warnings == collected.warnings


def test_iam_access_denied_is_an_error(aws: None) -> None:
    from airgraph.errors import IngestError

    iam = boto3.client("iam")
    stub = Stubber(iam)
    stub.add_client_error("get_account_authorization_details", "AccessDenied", "no", 403)
    with stub, pytest.raises(IngestError, match="cannot read IAM"):
        collect_account(_Session({"iam": iam}), [REGION], lambda *_: None)
