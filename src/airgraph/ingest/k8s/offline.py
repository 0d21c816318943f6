"""``kubectl get ... -A -o json`` dumps (and EKS pod identity associations) as an Inventory.

Accepted documents: a ``List`` of mixed kinds, a typed list (``PodList``, ...) whose
items carry no ``kind``, and the JSON of ``aws eks describe-pod-identity-association``
(``{"association": {...}}``) or a file of such associations (``{"associations": [...]}``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from airgraph.errors import IngestError
from airgraph.ingest.k8s.inventory import POD_IDENTITY_KIND, Inventory

__all__ = ["read_dumps"]


def read_dumps(paths: Iterable[Path]) -> Inventory:
    """Every object of every dump; raises IngestError naming the file at fault."""
    inventory = Inventory()
    for path in paths:
        _add_document(inventory, _load(path), str(path))
    return inventory


def _load(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except OSError as exc:
        raise IngestError(f"cannot read dump: {exc.strerror}", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise IngestError(f"not JSON: {exc.msg}", file=str(path), line=exc.lineno) from None
    except UnicodeDecodeError:
        raise IngestError("not UTF-8 JSON", file=str(path)) from None


def _add_document(inventory: Inventory, document: Any, file: str) -> None:
    if not isinstance(document, dict):
        raise IngestError("expected a JSON object (a Kubernetes List)", file=file)
    if "association" in document or "associations" in document:
        found = document.get("associations") or [document.get("association")]
        for association in found:
            if not isinstance(association, dict):
                raise IngestError("a pod identity association must be an object", file=file)
            inventory.add(association, POD_IDENTITY_KIND)
        return
    kind = document.get("kind")
    items = document.get("items")
    if not isinstance(kind, str) or not kind.endswith("List") or not isinstance(items, list):
        what = f"a {kind} object" if isinstance(kind, str) else "an object without 'kind'"
        raise IngestError(f"expected a Kubernetes List ('kubectl get <kinds> -A -o json'), got "
                          f"{what}", file=file)
    item_kind = kind[:-len("List")] or None
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise IngestError(f"item {n} is not an object", file=file)
        inventory.add(item, item.get("kind") or item_kind)
