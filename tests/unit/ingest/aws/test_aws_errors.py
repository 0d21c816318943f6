"""Bad input: clear errors naming the object, or a warning and the rest still loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_estate import Account, allow, arn

from airgraph.errors import IngestError
from airgraph.ingest.aws import build_records
from airgraph.ingest.aws.offline import read_json, read_resources, read_scps
from airgraph.ingest.aws.resources import merge_resources
from airgraph.ingest.validate import validate_records


def test_entries_missing_keys_are_skipped_and_reported() -> None:
    a = Account()
    good = a.user("good", allow("s3:GetObject"))
    details = a.details()
    details["UserDetailList"].append({"UserName": "no-arn"})
    details["RoleDetailList"].append({"Arn": arn("role", "nameless")})
    records = build_records(details)
    assert good in {n.id for n in records.nodes}
    assert any("no-arn" in w and "Arn" in w for w in records.warnings)
    assert any("nameless" in w and "RoleName" in w for w in records.warnings)


def test_a_policy_in_unknown_grammar_is_skipped_naming_it() -> None:
    a = Account()
    user = a.user("u")
    details = a.details()
    details["UserDetailList"][0]["UserPolicyList"] = [
        {"PolicyName": "weird", "PolicyDocument": {"Statement": [{"Effect": "Perhaps",
                                                                  "Action": "*"}]}}]
    records = build_records(details)
    assert user in {n.id for n in records.nodes}
    assert any("inline policy weird" in w and "Perhaps" in w for w in records.warnings)


def test_an_attached_policy_missing_from_the_file_is_reported() -> None:
    a = Account()
    a.user("u", managed=(arn("policy", "absent"),))
    records = build_records(a.details())
    assert any("policy/absent" in w and "not in the file" in w for w in records.warnings)


def test_not_authorization_details_is_an_error() -> None:
    with pytest.raises(IngestError, match="not authorization details"):
        build_records({"Buckets": []})


def test_several_accounts_need_an_account() -> None:
    a = Account()
    a.user("u")
    details = a.details()
    details["UserDetailList"].append({"UserName": "x", "Arn": "arn:aws:iam::999988887777:user/x"})
    with pytest.raises(IngestError, match="pass --account"):
        build_records(details)
    assert build_records(details, account="111122223333").source == "aws:111122223333"


def test_resources_with_bad_items_still_load_the_rest() -> None:
    a = Account()
    a.user("u")
    resources = merge_resources([("r.json", {
        "DynamoDB": {"Tables": [{"TableName": "no-arn"}, {"TableName": "t", "TableArn":
                                                          "arn:aws:dynamodb:us-east-1:1:table/t"}]},
        "BedrockAgent": {"Agents": [{"agentName": "armless"}]}})])
    records = build_records(a.details(), resources)
    validate_records(records, {})
    assert "arn:aws:dynamodb:us-east-1:1:table/t" in {n.id for n in records.nodes}
    assert any("no-arn" in w for w in records.warnings)
    assert any("armless" in w for w in records.warnings)


@pytest.mark.parametrize("document, message", [
    ({"S3": []}, "S3 must be an object"),
    ({"S3": {"Bucket": []}}, "unknown list S3.Bucket"),
    ({"S3": {"Buckets": {}}}, "S3.Buckets must be a list"),
    ([], "must be a JSON object"),
])
def test_malformed_resources_name_the_file(document: object, message: str, tmp_path: Path) -> None:
    path = tmp_path / "resources.json"
    path.write_text(json.dumps(document))
    with pytest.raises(IngestError, match=message) as caught:
        read_resources([path])
    assert caught.value.file == str(path)


def test_unreadable_file_and_bad_scp(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        read_json(tmp_path / "missing.json")
    scp = tmp_path / "scp.json"
    scp.write_text(json.dumps([{"Content": json.dumps({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}]})}, {"Statement": "nope"}]))
    with pytest.raises(IngestError, match="policy 1"):
        read_scps(scp)
