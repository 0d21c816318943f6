"""AWS ingest of a large generated account: time and peak memory, offline path.

    python benchmarks/aws_ingest.py                       # 5,000 roles, 2,000 users, 1,000 policies
    python benchmarks/aws_ingest.py --roles 500 --users 200 --policies 100

The benchmark writes an authorization-details file in the AWS CLI's raw shape
(URL-encoded policy documents) with a seeded generator, then times each stage of
``airgraph ingest aws --authorization-details FILE``: reading the JSON, building the
records (policy evaluation, trust, every escalation technique), validation, and the
load into a fresh embedded store. The generated account mixes narrowly scoped
policies with wildcards, denies, conditions, boundaries, NotAction statements, roles
trusting services, the account or named principals, and a few percent of principals
holding IAM or PassRole permissions, so the escalation checks have work to do. Peak
memory is the process's maximum resident set. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ACCOUNT = "210987654321"
SERVICES = {
    "s3": ["GetObject", "PutObject", "ListBucket", "DeleteObject"],
    "dynamodb": ["GetItem", "PutItem", "Query", "Scan"],
    "lambda": ["InvokeFunction", "CreateFunction", "UpdateFunctionCode", "GetFunction"],
    "ec2": ["DescribeInstances", "RunInstances", "StartInstances"],
    "sqs": ["SendMessage", "ReceiveMessage"],
    "logs": ["PutLogEvents", "CreateLogStream"],
    "secretsmanager": ["GetSecretValue", "DescribeSecret"],
    "iam": ["PassRole", "CreatePolicyVersion", "AttachUserPolicy", "CreateAccessKey",
            "UpdateAssumeRolePolicy", "GetRole", "ListRoles"],
    "sts": ["AssumeRole"],
}
TRUSTED = ["lambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com",
           "glue.amazonaws.com", "sagemaker.amazonaws.com", "bedrock.amazonaws.com"]


def _encode(document: dict[str, Any]) -> str:
    return quote(json.dumps(document, separators=(",", ":")))


def _statement(rng: random.Random, roles: int, users: int) -> dict[str, Any]:
    service = rng.choice(list(SERVICES))
    if service in ("iam", "sts") and rng.random() < 0.95:
        service = rng.choice(["s3", "dynamodb", "sqs", "logs"])
    actions = rng.sample(SERVICES[service], k=min(len(SERVICES[service]), rng.randint(1, 2)))
    action: Any = [f"{service}:{a}" for a in actions]
    if rng.random() < 0.1:
        action = f"{service}:*"
    if service == "iam":
        target = rng.choice([f"arn:aws:iam::{ACCOUNT}:role/role-{rng.randrange(roles):05d}",
                             f"arn:aws:iam::{ACCOUNT}:user/user-{rng.randrange(users):05d}"] * 5
                            + ["*"])
    elif service == "sts":
        target = f"arn:aws:iam::{ACCOUNT}:role/role-{rng.randrange(roles):05d}"
    elif service == "s3":
        target = f"arn:aws:s3:::bucket-{rng.randrange(200):03d}/*"
    else:
        target = rng.choice(["*", f"arn:aws:{service}:us-east-1:{ACCOUNT}:*"])
    statement: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": target}
    roll = rng.random()
    if roll < 0.05:
        statement["Effect"] = "Deny"
    elif roll < 0.10:
        statement["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    elif roll < 0.103:
        statement = {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}
    return statement


def _document(rng: random.Random, roles: int, users: int, n: int) -> dict[str, Any]:
    return {"Version": "2012-10-17",
            "Statement": [_statement(rng, roles, users) for _ in range(n)]}


def generate(roles: int, users: int, policies: int, seed: int) -> dict[str, Any]:
    """Authorization details of a generated account, in the AWS CLI's raw shape."""
    rng = random.Random(seed)
    policy_arns = [f"arn:aws:iam::{ACCOUNT}:policy/policy-{i:05d}" for i in range(policies)]
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    managed = [{
        "PolicyName": arn.rsplit("/", 1)[1], "Arn": arn, "DefaultVersionId": "v1",
        "PolicyVersionList": [{"VersionId": f"v{v + 1}", "IsDefaultVersion": v == 0,
                               "Document": _encode(_document(rng, roles, users,
                                                             rng.randint(1, 6)))}
                              for v in range(rng.choice([1, 1, 1, 2]))]}
        for arn in policy_arns]
    managed.append({"PolicyName": "AdministratorAccess", "Arn": admin, "DefaultVersionId": "v1",
                    "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True,
                                           "Document": _encode({"Version": "2012-10-17",
                                                                "Statement": [{
                                                                    "Effect": "Allow",
                                                                    "Action": "*",
                                                                    "Resource": "*"}]})}]})
    groups = [{"GroupName": f"group-{i:03d}", "Arn": f"arn:aws:iam::{ACCOUNT}:group/group-{i:03d}",
               "GroupPolicyList": [],
               "AttachedManagedPolicies": [{"PolicyArn": a, "PolicyName": a.rsplit("/", 1)[1]}
                                           for a in rng.sample(policy_arns, 2)]}
              for i in range(50)]

    def attached() -> list[dict[str, str]]:
        chosen = rng.sample(policy_arns, rng.randint(1, 3))
        if rng.random() < 0.01:
            chosen.append(admin)
        return [{"PolicyArn": a, "PolicyName": a.rsplit("/", 1)[1]} for a in chosen]

    def inline() -> list[dict[str, Any]]:
        if rng.random() < 0.5:
            return []
        return [{"PolicyName": "inline",
                 "PolicyDocument": _encode(_document(rng, roles, users, rng.randint(1, 3)))}]

    def boundary() -> dict[str, str]:
        if rng.random() < 0.05:
            return {"PermissionsBoundary": {"PermissionsBoundaryType": "Policy",
                                            "PermissionsBoundaryArn": rng.choice(policy_arns)}}
        return {}

    user_list = [{"UserName": f"user-{i:05d}", "Arn": f"arn:aws:iam::{ACCOUNT}:user/user-{i:05d}",
                  "GroupList": [g["GroupName"] for g in rng.sample(groups, rng.randint(0, 2))],
                  "UserPolicyList": inline(), "AttachedManagedPolicies": attached(), **boundary()}
                 for i in range(users)]
    role_list = []
    for i in range(roles):
        roll = rng.random()
        if roll < 0.6:
            principal: dict[str, Any] = {"Service": rng.choice(TRUSTED)}
        elif roll < 0.85:
            principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
        else:
            principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:user/user-{rng.randrange(users):05d}"}
        trust = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}
        role_list.append({
            "RoleName": f"role-{i:05d}", "Arn": f"arn:aws:iam::{ACCOUNT}:role/role-{i:05d}",
            "AssumeRolePolicyDocument": _encode(trust), "RolePolicyList": inline(),
            "AttachedManagedPolicies": attached(), **boundary(),
            "InstanceProfileList": [{"InstanceProfileName": f"role-{i:05d}",
                                     "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/"
                                            f"role-{i:05d}"}]
            if principal.get("Service") == "ec2.amazonaws.com" else []})
    return {"UserDetailList": user_list, "GroupDetailList": groups, "RoleDetailList": role_list,
            "Policies": managed}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=5000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--policies", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from airgraph.graph.uri import open_store
    from airgraph.graph.pipeline import ingest_records
    from airgraph.ingest.aws.build import build_records
    from airgraph.ingest.aws.offline import read_json
    from airgraph.ingest.validate import validate_records

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "authorization-details.json"
        path.write_text(json.dumps(generate(args.roles, args.users, args.policies, args.seed)))
        size = path.stat().st_size / 1e6
        times: dict[str, float] = {}
        start = time.perf_counter()
        details = read_json(path)
        times["read"] = time.perf_counter() - start
        start = time.perf_counter()
        records = build_records(details)
        times["build"] = time.perf_counter() - start
        start = time.perf_counter()
        validate_records(records, {})
        times["validate"] = time.perf_counter() - start
        store = open_store(f"sqlite:///{Path(tmp) / 'store.db'}")
        try:
            start = time.perf_counter()
            ingest_records(store, records)
            times["load"] = time.perf_counter() - start
        finally:
            store.close()
    vias: dict[str, int] = {}
    for edge in records.edges:
        via = edge.props.get("via")
        if via:
            vias[via] = vias.get(via, 0) + 1
    total = sum(times.values()) - times["validate"]  # the load validates again
    print(f"account: {args.roles} roles, {args.users} users, {args.policies} managed policies "
          f"({size:.1f} MB of authorization details)")
    print(f"records: {len(records.nodes)} nodes, {len(records.edges)} edges")
    print("CAN_ASSUME by via: " + ", ".join(f"{k} {v}" for k, v in sorted(vias.items())))
    print("stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
    print(f"total (read + build + load): {total:.2f} s; peak memory {_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
