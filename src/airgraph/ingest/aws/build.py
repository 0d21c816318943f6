"""One account's authorization details and resources, as the records of its source."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from airgraph.ingest.aws.builder import RecordBuilder
from airgraph.ingest.aws.iam.authdetails import parse_authorization_details
from airgraph.ingest.aws.iam.evaluate import Evaluator
from airgraph.ingest.aws.iam.policy import Statement
from airgraph.ingest.aws.resources import Resources, merge_resources
from airgraph.ingest.aws.transform.ai import add_ai_runtime, lambda_roles
from airgraph.ingest.aws.transform.data import add_data_stores, data_stores
from airgraph.ingest.aws.transform.identities import add_identities
from airgraph.ingest.records import SourceRecords

__all__ = ["build_records", "source_name"]

log = logging.getLogger(__name__)


def source_name(account: str) -> str:
    return f"aws:{account}"


def build_records(details: Mapping[str, Any], resources: Resources | None = None, *,
                  account: str | None = None, scp: tuple[Statement, ...] | None = None,
                  where: str = "authorization details",
                  warnings: list[str] | None = None) -> SourceRecords:
    """The records of one account: identities and escalation from ``details`` (the
    output of ``get-account-authorization-details``), data stores and the AI runtime
    from ``resources`` (see :mod:`airgraph.ingest.aws.resources`).

    ``scp``: the service control policies that apply to the account, if known.
    ``warnings``: what collection already skipped, reported with the rest.
    """
    estate = parse_authorization_details(details, account=account, where=where)
    estate.scp = scp
    resources = resources or merge_resources(())
    out = RecordBuilder(source_name(estate.account))
    out.warnings.extend(warnings or ())
    out.warnings.extend(estate.warnings)
    evaluator = Evaluator(estate)
    admins = add_identities(out, evaluator, lambda_roles(resources))
    stores = data_stores(resources, estate.account, out.warnings)
    add_data_stores(out, evaluator, stores)
    add_ai_runtime(out, evaluator, resources, stores, admins)
    log.info("aws account %s: %d nodes, %d edges", estate.account, len(out.nodes),
             len(out.edges))
    return SourceRecords(out.source, list(out.nodes.values()), list(out.edges.values()),
                         label=f"AWS account {estate.account}", warnings=out.warnings,
                         ingestor="aws")
