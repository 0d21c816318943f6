"""The resources document: what the list/get calls of each service return, merged.

One shape for both paths: the live collector writes it, ``--resources FILE`` reads it.
Keys are service names; each holds the lists its calls return, with per-item details
the collector adds (a bucket's ``Tags`` and ``Policy``, an agent's ``ActionGroups``)::

    {"S3": {"Buckets": [...]}, "DynamoDB": {"Tables": [...]}, "RDS": {"DBInstances": [...]},
     "SecretsManager": {"SecretList": [...]}, "Lambda": {"Functions": [...]},
     "BedrockAgent": {"Agents": [...], "KnowledgeBases": [...]},
     "ApiGatewayV2": {"Apis": [...]}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from airgraph.errors import IngestError

__all__ = ["SERVICES", "Resources", "merge_resources"]

SERVICES: dict[str, tuple[str, ...]] = {
    "S3": ("Buckets",),
    "DynamoDB": ("Tables",),
    "RDS": ("DBInstances",),
    "SecretsManager": ("SecretList",),
    "Lambda": ("Functions",),
    "BedrockAgent": ("Agents", "KnowledgeBases"),
    "ApiGatewayV2": ("Apis",),
}

Resources = dict[str, dict[str, list[Mapping[str, Any]]]]
"""Service to list name to items."""


def merge_resources(documents: Iterable[tuple[str, Any]]) -> Resources:
    """Concatenate resource documents (``(where, document)``); unknown services are an
    error naming the document, so a typo does not silently drop a service."""
    merged: Resources = {s: {k: [] for k in keys} for s, keys in SERVICES.items()}
    for where, document in documents:
        if not isinstance(document, Mapping):
            raise IngestError("a resources document must be a JSON object", file=where)
        for service, lists in document.items():
            if service == "Account":
                continue
            if service not in SERVICES:
                raise IngestError(f"unknown service {service!r} (known: "
                                  f"{', '.join(SERVICES)})", file=where)
            if not isinstance(lists, Mapping):
                raise IngestError(f"{service} must be an object", file=where)
            for key, items in lists.items():
                if key not in SERVICES[service]:
                    raise IngestError(f"unknown list {service}.{key} (known: "
                                      f"{', '.join(SERVICES[service])})", file=where)
                if not isinstance(items, list):
                    raise IngestError(f"{service}.{key} must be a list", file=where)
                merged[service][key].extend(i for i in items if isinstance(i, Mapping))
    return merged
