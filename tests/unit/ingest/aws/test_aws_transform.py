"""The bundled AWS example, and the data and AI-runtime transforms on small inputs."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from aws_estate import ACCOUNT, REGION, Account, allow, arn, edges, trust_service

import airgraph.demo
from airgraph.ingest.aws import build_records
from airgraph.ingest.aws.offline import read_json, read_resources
from airgraph.ingest.aws.resources import merge_resources
from airgraph.ingest.validate import validate_records

EXAMPLE = Path(airgraph.demo.__file__).parent / "examples" / "aws"
AGENT = f"arn:aws:bedrock:{REGION}:123456789012:agent/SUPPORT01"
TOOL = f"{AGENT}/action-group/ORDERS01"
API = f"arn:aws:apigateway:{REGION}::/apis/a1b2c3d4e5"
RECORDS_BUCKET = "arn:aws:s3:::acme-customer-records"
ORDERS_ROLE = "arn:aws:iam::123456789012:role/orders-lookup-role"


def _example():
    return build_records(read_json(EXAMPLE / "authorization-details.json"),
                         read_resources([EXAMPLE / "resources.json"]))


def test_example_validates_and_has_the_attack_path() -> None:
    records = _example()
    validate_records(records, {})
    found = edges(records)
    assert records.source == "aws:123456789012" and records.ingestor == "aws"
    assert (API, "PROMPTS", AGENT) in found
    assert (AGENT, "CALLS", TOOL) in found
    assert (TOOL, "RUNS_AS", ORDERS_ROLE) in found
    assert (TOOL, "READS", RECORDS_BUCKET) in found
    assert (ORDERS_ROLE, "CAN_READ", RECORDS_BUCKET) in found
    assert (TOOL, "HOSTED_BY", f"arn:aws:lambda:{REGION}:123456789012:function:orders-lookup") in found
    assert ("arn:aws:s3:::acme-kb-docs", "FEEDS", AGENT) in found


def test_example_findings() -> None:
    rules = {(n.id, f["rule"]) for n in _example().nodes for f in n.props.get("findings", ())}
    assert (API, "aws-unauthenticated-entry-to-agent") in rules
    assert (AGENT, "aws-bedrock-agent-no-guardrail") in rules
    assert ("arn:aws:iam::123456789012:user/dev-alice", "aws-privilege-escalation") in rules
    assert ("arn:aws:iam::123456789012:user/ops-bob", "aws-privilege-escalation") in rules
    assert not any(r == "aws-privilege-escalation" and "ops-admin" in n for n, r in rules)


def test_environment_values_and_instructions_are_never_in_records() -> None:
    text = json.dumps([[n.id, n.name, dict(n.props)] for n in _example().nodes])
    assert "example-value-never-stored-9f3a" not in text
    assert "LEGACY_API_TOKEN" in text
    assert "customer support agent" not in text


def test_cli_shape_with_url_encoded_documents_gives_the_same_records() -> None:
    details = read_json(EXAMPLE / "authorization-details.json")
    encoded = json.loads(json.dumps(details))
    for role in encoded["RoleDetailList"]:
        role["AssumeRolePolicyDocument"] = quote(json.dumps(role["AssumeRolePolicyDocument"]))
        for inline in role["RolePolicyList"]:
            inline["PolicyDocument"] = quote(json.dumps(inline["PolicyDocument"]))
    for policy in encoded["Policies"]:
        for version in policy["PolicyVersionList"]:
            version["Document"] = quote(json.dumps(version["Document"]))
    resources = read_resources([EXAMPLE / "resources.json"])
    assert edges(build_records(encoded, resources)) == edges(build_records(details, resources))


def test_sensitivity_from_tags_and_public_bucket_policy() -> None:
    a = Account()
    a.user("u")
    public = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                             "Resource": "arn:aws:s3:::open/*"}]}
    resources = merge_resources([("t", {"S3": {"Buckets": [
        {"Name": "open", "Policy": json.dumps(public),
         "Tags": [{"Key": "Data-Classification", "Value": "Restricted"}]},
        {"Name": "blocked", "Policy": json.dumps(public),
         "PublicAccessBlock": {"RestrictPublicBuckets": True}}]}})])
    nodes = {n.id: n for n in build_records(a.details(), resources).nodes}
    assert nodes["arn:aws:s3:::open"].props["sensitivity"] == "restricted"
    assert [f["rule"] for f in nodes["arn:aws:s3:::open"].props["findings"]] == \
        ["aws-public-data-store"]
    assert "findings" not in nodes["arn:aws:s3:::blocked"].props


def test_kms_key_gates_reading_a_secret() -> None:
    a = Account()
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k1"
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-x"
    with_key = a.user("with-key", allow("secretsmanager:GetSecretValue"), allow("kms:Decrypt", key))
    without = a.user("without", allow("secretsmanager:GetSecretValue"))
    resources = merge_resources([("t", {"SecretsManager": {"SecretList": [
        {"ARN": secret, "Name": "db", "KmsKeyId": key}]}})])
    found = edges(build_records(a.details(), resources), "CAN_READ")
    assert (with_key, "CAN_READ", secret) in found
    assert (without, "CAN_READ", secret) not in found


def test_root_reads_and_writes_every_store() -> None:
    a = Account()
    a.user("u")
    resources = merge_resources([("t", {"DynamoDB": {"Tables": [
        {"TableName": "t", "TableArn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t"}]}})])
    found = edges(build_records(a.details(), resources))
    root = f"arn:aws:iam::{ACCOUNT}:root"
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t"
    assert (root, "CAN_READ", table) in found and (root, "CAN_WRITE", table) in found


def test_agent_with_admin_role_confirmation_guardrail_and_collaborator() -> None:
    a = Account()
    role = a.role("agent", trust_service("bedrock.amazonaws.com"), allow("*"))
    agent = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:agent/A1"
    resources = merge_resources([("t", {"BedrockAgent": {"Agents": [{
        "agentArn": agent, "agentName": "a", "agentResourceRoleArn": role,
        "guardrailConfiguration": {"guardrailIdentifier": "g1", "guardrailVersion": "1"},
        "ActionGroups": [
            {"actionGroupId": "RC", "actionGroupName": "refund",
             "actionGroupExecutor": {"customControl": "RETURN_CONTROL"},
             "functionSchema": {"functions": [{"name": "refund",
                                               "requireConfirmation": "ENABLED"}]}},
            {"actionGroupId": "CI", "actionGroupName": "code",
             "parentActionGroupSignature": "AMAZON.CodeInterpreter"}],
        "Collaborators": [{"collaboratorName": "helper", "agentDescriptor": {
            "aliasArn": f"arn:aws:bedrock:{REGION}:{ACCOUNT}:agent-alias/B2/AL1"}}]}]}})])
    records = build_records(a.details(), resources)
    validate_records(records, {})
    nodes = {n.id: n for n in records.nodes}
    found = edges(records)
    assert [f["rule"] for f in nodes[agent].props["findings"]] == ["aws-agent-admin-role"]
    assert (agent, "GUARDED_BY", f"arn:aws:bedrock:{REGION}:{ACCOUNT}:guardrail/g1") in found
    refund = f"{agent}/action-group/RC"
    assert (refund, "GUARDED_BY", f"{refund}/confirmation") in found
    assert nodes[f"{refund}/confirmation"].props["mode"] == "human_approval"
    interpreter = nodes[f"{agent}/action-group/CI"].props
    assert interpreter["sandboxed"] is True and "capabilities" not in interpreter
    assert (agent, "DELEGATES", f"arn:aws:bedrock:{REGION}:{ACCOUNT}:agent/B2") in found
    assert arn("role", "agent") in {n.id for n in records.nodes}
