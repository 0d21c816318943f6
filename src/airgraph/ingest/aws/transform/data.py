"""Data stores (S3, DynamoDB, RDS, Secrets Manager, Bedrock knowledge bases) and who can
read or write them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from airgraph.ingest.aws.builder import RecordBuilder
from airgraph.ingest.aws.iam.evaluate import Evaluator, Grant
from airgraph.ingest.aws.iam.model import Principal, root_arn
from airgraph.ingest.aws.iam.policy import PolicyGrammarError, Statement, parse_policy
from airgraph.ingest.aws.resources import Resources
from airgraph.schema import EdgeKind, Evidence, NodeKind

__all__ = ["DataStore", "add_data_stores", "data_stores", "store_access"]

_CLASSIFICATION_TAGS = ("data-classification", "dataclassification", "classification",
                        "sensitivity", "data-sensitivity")
_LEVELS = {"public": "public", "internal": "internal", "confidential": "confidential",
           "restricted": "restricted", "secret": "restricted", "highly-confidential": "restricted",
           "pii": "confidential", "sensitive": "confidential"}
Check = tuple[str, str]
"""An (action, resource) pair that grants access."""


@dataclass(frozen=True, slots=True)
class DataStore:
    arn: str
    name: str
    props: Mapping[str, Any]
    reads: tuple[Check, ...]
    writes: tuple[Check, ...]
    policy: tuple[Statement, ...] = ()
    """The store's resource policy (bucket or secret policy)."""
    read_gate: Check | None = None
    """A second permission reading needs (kms:Decrypt on a customer managed key)."""
    public_blocked: bool = False


def data_stores(resources: Resources, account: str, warnings: list[str]) -> list[DataStore]:
    """Every data store the resources document names."""
    stores: list[DataStore] = []
    for bucket in resources["S3"]["Buckets"]:
        if "Name" not in bucket:
            warnings.append("skipped an S3 bucket without Name")
            continue
        arn = f"arn:aws:s3:::{bucket['Name']}"
        objects = f"{arn}/*"
        block = bucket.get("PublicAccessBlock") or {}
        stores.append(DataStore(
            arn, bucket["Name"], {"store_type": "s3", **_sensitivity(bucket.get("Tags"))},
            (("s3:GetObject", objects),), (("s3:PutObject", objects),),
            _policy(bucket.get("Policy"), arn, warnings),
            public_blocked=bool(block.get("RestrictPublicBuckets") or block.get("BlockPublicPolicy"))))
    for table in resources["DynamoDB"]["Tables"]:
        arn = table.get("TableArn")
        if not arn:
            warnings.append(f"skipped DynamoDB table {table.get('TableName', '?')}: no TableArn")
            continue
        stores.append(DataStore(
            arn, table.get("TableName", arn), {"store_type": "dynamodb",
                                               **_sensitivity(table.get("Tags"))},
            tuple((a, arn) for a in ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan")),
            tuple((a, arn) for a in ("dynamodb:PutItem", "dynamodb:UpdateItem",
                                     "dynamodb:BatchWriteItem"))))
    for db in resources["RDS"]["DBInstances"]:
        arn = db.get("DBInstanceArn")
        if not arn:
            warnings.append(f"skipped RDS instance {db.get('DBInstanceIdentifier', '?')}: no ARN")
            continue
        region = arn.split(":")[3]
        checks: tuple[Check, ...] = ()
        if db.get("IAMDatabaseAuthenticationEnabled") and db.get("DbiResourceId"):
            checks = (("rds-db:connect",
                       f"arn:aws:rds-db:{region}:{account}:dbuser:{db['DbiResourceId']}/*"),)
        stores.append(DataStore(arn, db.get("DBInstanceIdentifier", arn),
                                {"store_type": "rds", "engine": db.get("Engine"),
                                 **_sensitivity(db.get("TagList"))}, checks, checks))
    for secret in resources["SecretsManager"]["SecretList"]:
        arn = secret.get("ARN")
        if not arn:
            warnings.append(f"skipped secret {secret.get('Name', '?')}: no ARN")
            continue
        key = secret.get("KmsKeyId")
        gate = ("kms:Decrypt", key) if isinstance(key, str) and ":key/" in key else None
        stores.append(DataStore(
            arn, secret.get("Name", arn),
            {"store_type": "secretsmanager", "sensitivity": "restricted", "contains": ["secrets"],
             **_sensitivity(secret.get("Tags"))},
            (("secretsmanager:GetSecretValue", arn),),
            (("secretsmanager:PutSecretValue", arn), ("secretsmanager:UpdateSecret", arn)),
            _policy(secret.get("ResourcePolicy"), arn, warnings), read_gate=gate))
    for kb in resources["BedrockAgent"]["KnowledgeBases"]:
        arn = kb.get("knowledgeBaseArn")
        if isinstance(arn, str):
            stores.append(DataStore(arn, kb.get("name", arn),
                                    {"store_type": "bedrock-knowledge-base"},
                                    (("bedrock:Retrieve", arn),), ()))
    return stores


def add_data_stores(out: RecordBuilder, evaluator: Evaluator,
                    stores: list[DataStore]) -> None:
    """Add the stores, CAN_READ/CAN_WRITE from every identity that may, the root's full
    access, and a finding on stores whose resource policy lets anyone read them."""
    estate = evaluator.estate
    root = root_arn(estate.account)
    principals = sorted(estate.principals.values(), key=lambda p: p.arn)
    for store in stores:
        out.node(store.arn, NodeKind.DATA_STORE, store.name, store.props)
        out.edge(root, store.arn, EdgeKind.CAN_READ, via="account-control",
                 evidence=Evidence.INFERRED)
        out.edge(root, store.arn, EdgeKind.CAN_WRITE, via="account-control",
                 evidence=Evidence.INFERRED)
        for principal in principals:
            for kind, grant in store_access(evaluator, principal, store).items():
                out.edge(principal.arn, store.arn, kind, conditions=grant.conditions)
        public = _public_read(store)
        if public is not None:
            out.finding(store.arn, "aws-public-data-store",
                        "The resource policy lets anyone on the internet read this store.",
                        public)


def store_access(evaluator: Evaluator, principal: Principal,
                 store: DataStore) -> dict[EdgeKind, Grant]:
    """The read and write grants ``principal`` holds on ``store``."""
    found: dict[EdgeKind, Grant] = {}
    for kind, checks in ((EdgeKind.CAN_READ, store.reads), (EdgeKind.CAN_WRITE, store.writes)):
        grant = _first(evaluator, principal, checks, store.policy)
        if grant is not None and kind is EdgeKind.CAN_READ and store.read_gate:
            gate = evaluator.grant(principal, *store.read_gate)
            grant = None if gate is None else Grant(grant.conditions + gate.conditions)
        if grant is not None:
            found[kind] = grant
    return found


def _first(evaluator: Evaluator, principal: Principal, checks: tuple[Check, ...],
           policy: tuple[Statement, ...]) -> Grant | None:
    best: Grant | None = None
    for action, resource in checks:
        if not policy and not evaluator.may_allow(principal, action):
            continue
        grant = evaluator.grant(principal, action, resource, policy)
        if grant is not None and (best is None or len(grant.conditions) < len(best.conditions)):
            best = grant
    return best


def _public_read(store: DataStore) -> str | None:
    if store.public_blocked:
        return None
    for st in store.policy:
        names = st.principals.get("AWS", ()) if st.principals else ()
        if (st.allow and not st.conditions and "*" in names and not st.not_principal
                and any(st.matches_action(a) for a, _ in store.reads)):
            return f"{store.arn}: policy allows Principal '*' {', '.join(st.actions)}"
    return None


def _policy(document: Any, arn: str, warnings: list[str]) -> tuple[Statement, ...]:
    if not document:
        return ()
    try:
        return parse_policy(document)
    except PolicyGrammarError as exc:
        warnings.append(f"skipped the resource policy of {arn}: {exc}")
        return ()


def _sensitivity(tags: Any) -> dict[str, str]:
    pairs = tags.items() if isinstance(tags, Mapping) else (
        (t.get("Key"), t.get("Value")) for t in tags or () if isinstance(t, Mapping))
    for key, value in pairs:
        if isinstance(key, str) and key.lower() in _CLASSIFICATION_TAGS and isinstance(value, str):
            level = _LEVELS.get(value.strip().lower())
            if level:
                return {"sensitivity": level}
    return {}
