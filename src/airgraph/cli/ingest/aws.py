"""``airgraph ingest aws``: one AWS account, live through boto3 or offline from files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from airgraph.cli.ingest._load import load_and_report
from airgraph.cli.options import JsonOpt, StoreOpt
from airgraph.errors import IngestError
from airgraph.ingest.records import SourceRecords

__all__ = ["command"]


def command(
    authorization_details: Annotated[Path | None, typer.Option(
        "--authorization-details", help="Offline: the JSON of 'aws iam "
        "get-account-authorization-details' (boto3's shape or the CLI's URL-encoded one). "
        "Without it, the account is read live.", show_default=False)] = None,
    resources: Annotated[list[Path] | None, typer.Option(
        "--resources", help="Offline: a resources JSON file (S3, DynamoDB, RDS, Secrets "
        "Manager, Lambda, Bedrock agents, API Gateway); repeat for several.",
        show_default=False)] = None,
    scp: Annotated[Path | None, typer.Option(
        "--scp", help="Service control policies that apply to the account (a policy "
        "document or a list of them).", show_default=False)] = None,
    account: Annotated[str | None, typer.Option(
        help="Account id, when the authorization details hold no ARN to tell it.")] = None,
    profile: Annotated[str | None, typer.Option(
        help="Live: the AWS profile (default: boto3's credential chain; AWS_ENDPOINT_URL "
        "is honoured).")] = None,
    region: Annotated[list[str] | None, typer.Option(
        "--region", help="Live: region to read; repeat for several (default: the "
        "profile's region).", show_default=False)] = None,
    save: Annotated[Path | None, typer.Option(
        help="Live: also write what was read to DIR/authorization-details.json and "
        "DIR/resources.json, for offline re-ingest.", show_default=False)] = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest one AWS account: IAM with privilege escalation, data stores, Bedrock agents,
    their action-group Lambda tools and knowledge bases, and the entry points to them.

    Live (read-only calls, paginated; an AccessDenied service is reported and skipped):

        airgraph ingest aws --profile audit --region us-east-1 --region eu-west-1

    Offline:

        aws iam get-account-authorization-details > auth.json

        airgraph ingest aws --authorization-details auth.json --resources res.json

    The source is aws:<account-id>: re-ingesting an account replaces only its records.
    A manifest overlays what AWS cannot say (which entry point is public, how sensitive
    a bucket is, who owns an agent).

    Never stored: Lambda environment variable values (names only), secret values (never
    read), agent instructions and tool descriptions (a SHA-256 only).
    """
    if authorization_details is not None:
        records = _offline(authorization_details, resources or [], scp, account)
    else:
        if resources:
            raise IngestError("--resources needs --authorization-details (offline mode)")
        records = _live(profile, region or [], scp, save)
    load_and_report(store, lambda known: records, source=records.source, as_json=as_json)


def _offline(details: Path, resources: list[Path], scp: Path | None,
             account: str | None) -> SourceRecords:
    from airgraph.ingest.aws.build import build_records
    from airgraph.ingest.aws.offline import read_json, read_resources, read_scps

    return build_records(read_json(details), read_resources(resources), account=account,
                         scp=read_scps(scp) if scp else None, where=str(details))


def _live(profile: str | None, regions: list[str], scp: Path | None,
          save: Path | None) -> SourceRecords:
    import boto3
    from botocore.exceptions import BotoCoreError

    from airgraph.cli.progress import progress_bar
    from airgraph.ingest.aws.build import build_records
    from airgraph.ingest.aws.collect import collect_account
    from airgraph.ingest.aws.offline import read_scps
    from airgraph.ingest.aws.resources import merge_resources

    try:
        session = boto3.Session(profile_name=profile)
    except BotoCoreError as exc:
        raise IngestError(f"cannot start an AWS session: {exc}") from None
    regions = regions or [session.region_name or "us-east-1"]
    with progress_bar("reading AWS") as advance:
        collected = collect_account(session, regions,
                                    lambda step, done, total: advance(done, total))
    _summary(collected.details, collected.resources)
    if save is not None:
        _save(save, collected.details, collected.resources)
    return build_records(collected.details, merge_resources([("live", collected.resources)]),
                         account=collected.account, scp=read_scps(scp) if scp else None,
                         warnings=collected.warnings)


def _summary(details: dict[str, list[Any]], resources: dict[str, dict[str, list[Any]]]) -> None:
    """One line on stderr saying what was read (what was skipped follows as warnings)."""
    from rich.console import Console

    parts = [f"IAM {len(details['UserDetailList'])} users, {len(details['RoleDetailList'])} "
             f"roles, {len(details['GroupDetailList'])} groups, {len(details['Policies'])} "
             "policies"]
    parts += [f"{service} " + ", ".join(f"{len(items)} {key}" for key, items in lists.items())
              for service, lists in resources.items()]
    Console(stderr=True, emoji=False, highlight=False).print(
        "read: " + "; ".join(parts), soft_wrap=True, markup=False)


def _save(directory: Path, details: Any, resources: Any) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, value in (("authorization-details.json", details), ("resources.json", resources)):
        (directory / name).write_text(json.dumps(value, indent=1, default=str) + "\n",
                                      encoding="utf-8")
