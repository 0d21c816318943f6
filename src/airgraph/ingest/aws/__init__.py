"""The AWS ingestor: one account's IAM, data stores and AI runtime as graph records.

``collect`` holds the only network code (boto3, imported lazily); ``offline`` reads
the same data from files; ``iam`` evaluates policies and escalation; ``transform``
turns it all into records. Nothing here writes to a store.
"""

from airgraph.ingest.aws.build import build_records, source_name

__all__ = ["build_records", "source_name"]
