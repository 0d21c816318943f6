"""Offline input: authorization details, resources and SCP files as written by the AWS
CLI (or by ``airgraph ingest aws --save``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from airgraph.errors import IngestError
from airgraph.ingest.aws.iam.policy import PolicyGrammarError, Statement, parse_policy
from airgraph.ingest.aws.resources import Resources, merge_resources

__all__ = ["read_json", "read_resources", "read_scps"]


def read_json(path: Path) -> Any:
    """A JSON file, or an IngestError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror}", file=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"malformed JSON: {exc.msg}", file=str(path), line=exc.lineno) from None


def read_resources(paths: list[Path]) -> Resources:
    return merge_resources((str(p), read_json(p)) for p in paths)


def read_scps(path: Path) -> tuple[Statement, ...]:
    """Service control policies that apply to the account: one policy document, a list
    of them, or ``list-policies-for-target`` output with each policy's ``Content``.
    They count as one level: an action needs an Allow in one of them and no Deny."""
    data = read_json(path)
    documents = data if isinstance(data, list) else [data]
    statements: list[Statement] = []
    for i, document in enumerate(documents):
        if isinstance(document, dict) and "Content" in document:
            document = document["Content"]
        try:
            statements.extend(parse_policy(document))
        except PolicyGrammarError as exc:
            raise IngestError(f"policy {i}: {exc}", file=str(path)) from None
    return tuple(statements)
