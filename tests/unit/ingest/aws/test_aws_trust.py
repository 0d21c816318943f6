"""CAN_ASSUME from trust policies joined with identity policies."""

from __future__ import annotations

from aws_estate import ACCOUNT, OTHER_ACCOUNT, Account, allow, arn, deny, edges, trust_aws

from airgraph.ingest.aws import build_records


def _assume(account: Account) -> dict:
    return edges(build_records(account.details()), "CAN_ASSUME")


def test_trust_naming_a_principal_needs_no_identity_allow() -> None:
    a = Account()
    user = a.user("u")
    role = a.role("r", trust_aws(arn("user", "u")))
    assert _assume(a)[(user, "CAN_ASSUME", role)]["via"] == "sts-assume-role"


def test_trust_of_the_account_root_needs_an_identity_allow() -> None:
    a = Account()
    allowed = a.user("allowed", allow("sts:AssumeRole", arn("role", "r")))
    other = a.user("other", allow("sts:AssumeRole", arn("role", "elsewhere")))
    role = a.role("r", trust_aws(f"arn:aws:iam::{ACCOUNT}:root"))
    found = _assume(a)
    assert (allowed, "CAN_ASSUME", role) in found
    assert (other, "CAN_ASSUME", role) not in found


def test_trust_of_the_bare_account_id_counts_as_the_root() -> None:
    a = Account()
    allowed = a.user("allowed", allow("sts:*"))
    role = a.role("r", trust_aws(ACCOUNT))
    assert (allowed, "CAN_ASSUME", role) in _assume(a)


def test_trust_naming_another_account_leads_nowhere() -> None:
    a = Account()
    user = a.user("u", allow("sts:AssumeRole"))
    a.role("r", trust_aws(f"arn:aws:iam::{OTHER_ACCOUNT}:root"))
    assert not [k for k in _assume(a) if k[0] == user and k[2] != f"arn:aws:iam::{ACCOUNT}:root"]


def test_explicit_deny_stops_a_named_principal() -> None:
    a = Account()
    user = a.user("u", deny("sts:AssumeRole"))
    role = a.role("r", trust_aws(arn("user", "u")))
    assert (user, "CAN_ASSUME", role) not in _assume(a)


def test_trust_conditions_stay_on_the_edge() -> None:
    a = Account()
    user = a.user("u")
    condition = {"StringEquals": {"sts:ExternalId": "x"}}
    role = a.role("r", trust_aws(user, Condition=condition))
    edge = _assume(a)[(user, "CAN_ASSUME", role)]
    assert edge["conditions"] == [condition] and edge["likelihood"] < 0.7
