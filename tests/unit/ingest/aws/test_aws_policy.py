"""Policy grammar and evaluation: Allow/Deny, wildcards, NotAction/NotResource,
boundaries, SCPs, resource policies and conditions."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from aws_estate import ACCOUNT, Account, allow, arn, deny, doc

from airgraph.ingest.aws.iam.authdetails import parse_authorization_details
from airgraph.ingest.aws.iam.evaluate import Evaluator
from airgraph.ingest.aws.iam.policy import PolicyGrammarError, parse_document, parse_policy

BUCKET = "arn:aws:s3:::data/*"


def _evaluator(account: Account, scp: list | None = None) -> Evaluator:
    estate = parse_authorization_details(account.details())
    if scp is not None:
        estate.scp = tuple(s for d in scp for s in parse_document(d))
    return Evaluator(estate)


def _can(account: Account, who: str, action: str, resource: str, *, scp: list | None = None,
         resource_policy: dict | None = None) -> bool:
    ev = _evaluator(account, scp)
    policy = parse_document(resource_policy) if resource_policy else ()
    return ev.grant(ev.estate.principals[who], action, resource, policy) is not None


def test_url_encoded_and_object_documents_parse_the_same() -> None:
    document = doc(allow(["s3:Get*"], BUCKET))
    assert parse_policy(quote(json.dumps(document))) == parse_policy(document)
    assert parse_policy(json.dumps(document)) == parse_policy(document)


@pytest.mark.parametrize("bad", [
    {"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]},
    {"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}]},
    {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Extra": 1}]},
    {"Statement": [{"Effect": "Allow", "Action": 3, "Resource": "*"}]},
    {"Version": "2012-10-17"},
])
def test_unknown_grammar_is_rejected(bad: dict) -> None:
    with pytest.raises(PolicyGrammarError):
        parse_document(bad)


def test_actions_match_case_insensitively_with_wildcards() -> None:
    a = Account()
    user = a.user("u", allow("S3:get*", BUCKET), allow("dynamodb:?etItem"))
    assert _can(a, user, "s3:GetObject", BUCKET)
    assert _can(a, user, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/t")
    assert not _can(a, user, "s3:PutObject", BUCKET)


def test_explicit_deny_wins_over_allow() -> None:
    a = Account()
    user = a.user("u", allow("s3:*"), deny("s3:GetObject", BUCKET))
    assert not _can(a, user, "s3:GetObject", BUCKET)
    assert _can(a, user, "s3:PutObject", BUCKET)


def test_not_action_and_not_resource() -> None:
    a = Account()
    user = a.user("u", {"Effect": "Allow", "NotAction": ["iam:*", "sqs:*"], "Resource": "*"},
                  {"Effect": "Allow", "Action": "sqs:*", "NotResource": "arn:aws:sqs:*:*:secret"})
    assert _can(a, user, "s3:GetObject", BUCKET)
    assert not _can(a, user, "iam:CreateUser", "*")
    assert _can(a, user, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:open")
    assert not _can(a, user, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:secret")


def test_a_grant_on_some_objects_counts_but_a_deny_on_some_does_not_deny_all() -> None:
    a = Account()
    partial = a.user("partial", allow("s3:GetObject", "arn:aws:s3:::data/reports/*"))
    denied = a.user("denied", allow("s3:GetObject"), deny("s3:GetObject", "arn:aws:s3:::data/x/*"))
    other = a.user("other", allow("s3:GetObject", "arn:aws:s3:::other/*"))
    assert _can(a, partial, "s3:GetObject", BUCKET)
    assert _can(a, denied, "s3:GetObject", BUCKET)
    assert not _can(a, other, "s3:GetObject", BUCKET)


def test_permission_boundary_limits_but_does_not_grant() -> None:
    a = Account()
    boundary = a.policy("boundary", allow(["s3:*", "dynamodb:*"]))
    user = a.user("u", allow(["s3:*", "iam:*"]), boundary=boundary)
    assert _can(a, user, "s3:GetObject", BUCKET)
    assert not _can(a, user, "iam:CreateUser", "*")
    assert not _can(a, user, "dynamodb:GetItem", "*")


def test_scp_must_allow_and_its_deny_wins() -> None:
    a = Account()
    user = a.user("u", allow("*"))
    scp = [{"Statement": [allow(["s3:*", "iam:*"]), deny("iam:CreateUser")]}]
    assert _can(a, user, "s3:GetObject", BUCKET, scp=scp)
    assert not _can(a, user, "iam:CreateUser", "*", scp=scp)
    assert not _can(a, user, "ec2:RunInstances", "*", scp=scp)


def test_resource_policy_grants_a_named_principal_and_denies() -> None:
    a = Account()
    user = a.user("u")
    named = doc({"Effect": "Allow", "Principal": {"AWS": user}, "Action": "s3:GetObject",
                 "Resource": BUCKET})
    account_only = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "s3:GetObject", "Resource": BUCKET})
    assert _can(a, user, "s3:GetObject", BUCKET, resource_policy=named)
    assert not _can(a, user, "s3:GetObject", BUCKET, resource_policy=account_only)
    b = Account()
    reader = b.user("r", allow("s3:GetObject"))
    blocking = doc({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": BUCKET})
    assert not _can(b, reader, "s3:GetObject", BUCKET, resource_policy=blocking)


def test_conditions_are_kept_not_dropped() -> None:
    a = Account()
    condition = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    user = a.user("u", allow("s3:GetObject", BUCKET, Condition=condition),
                  deny("s3:GetObject", BUCKET, Condition={"Bool": {"aws:SecureTransport": "false"}}))
    ev = _evaluator(a)
    grant = ev.grant(ev.estate.principals[user], "s3:GetObject", BUCKET)
    assert grant is not None and condition in grant.conditions
    assert {"unless": {"Bool": {"aws:SecureTransport": "false"}}} in grant.conditions


def test_group_policies_apply_to_members() -> None:
    a = Account()
    a.group("readers", allow("s3:GetObject", BUCKET))
    member = a.user("m", groups=("readers",))
    outsider = a.user("o")
    assert _can(a, member, "s3:GetObject", BUCKET)
    assert not _can(a, outsider, "s3:GetObject", BUCKET)
    assert arn("group", "readers") in _evaluator(a).estate.principals[member].groups
