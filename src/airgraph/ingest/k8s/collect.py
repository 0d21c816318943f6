"""Live listing with the official ``kubernetes`` client: the ingestor's only network code.

Read-only, paginated (``limit``/``continue``) list calls for every kind of
:data:`KINDS`; a kind the credentials may not list (403) or the cluster does not
serve (404, such as Gateway routes without the CRDs) is reported and skipped. The
client is configured from a kubeconfig (or in-cluster); its tokens and keys stay
inside the client and are never logged, stored or printed.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from airgraph.errors import IngestError
from airgraph.ingest.k8s.inventory import KINDS, ApiKind, Inventory

__all__ = ["collect", "context_name", "open_client"]

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def context_name(kubeconfig: Path | None, context: str | None) -> str:
    """The kubeconfig context that ``context`` (or the current context) names."""
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.kube_config import list_kube_config_contexts

    try:
        contexts, active = list_kube_config_contexts(
            config_file=str(kubeconfig) if kubeconfig else None)
    except (ConfigException, OSError, ValueError, TypeError, AttributeError) as exc:
        raise IngestError(f"cannot read the kubeconfig: {_reason(exc)}",
                          file=str(kubeconfig) if kubeconfig else "kubeconfig") from None
    names = [c.get("name") for c in contexts or ()]
    if context is None:
        if not active:
            raise IngestError("the kubeconfig has no current context; pass --context")
        return str(active["name"])
    if context not in names:
        raise IngestError(f"no context '{context}' in the kubeconfig "
                          f"(contexts: {', '.join(sorted(map(str, names)))})")
    return context


def open_client(kubeconfig: Path | None, context: str | None) -> tuple[Any, str]:
    """An ``ApiClient`` and the cluster's name (the context's, or ``in-cluster``)."""
    from kubernetes import client, config
    from kubernetes.config.config_exception import ConfigException

    in_cluster = kubeconfig is None and context is None and "KUBERNETES_SERVICE_HOST" in os.environ \
        and not Path(os.path.expanduser(config.KUBE_CONFIG_DEFAULT_LOCATION)).exists()
    if in_cluster:
        configuration = client.Configuration()
        try:
            config.load_incluster_config(client_configuration=configuration)
        except ConfigException as exc:
            raise IngestError(f"in-cluster configuration failed: {_reason(exc)}") from None
        return client.ApiClient(configuration), "in-cluster"
    name = context_name(kubeconfig, context)
    try:
        api = config.new_client_from_config(
            config_file=str(kubeconfig) if kubeconfig else None, context=name)
    except (ConfigException, OSError, ValueError, TypeError, AttributeError) as exc:
        raise IngestError(f"cannot use context '{name}': {_reason(exc)}",
                          file=str(kubeconfig) if kubeconfig else "kubeconfig") from None
    return api, name


def collect(api: Any, *, namespaces: Sequence[str] = (), page_size: int = 500,
            progress: Progress | None = None) -> Inventory:
    """List every kind airgraph reads (in ``namespaces`` only, when given)."""
    inventory = Inventory()
    kinds = sorted(KINDS.items())
    for done, (kind, api_kind) in enumerate(kinds):
        scopes: Sequence[str | None] = (namespaces if api_kind.namespaced and namespaces
                                        else (None,))
        for namespace in scopes:
            _list(api, inventory, kind, api_kind, namespace, page_size)
        if progress:
            progress(done + 1, len(kinds))
    return inventory


def _list(api: Any, inventory: Inventory, kind: str, api_kind: ApiKind, namespace: str | None,
          page_size: int) -> None:
    from kubernetes.client.rest import ApiException
    from urllib3.exceptions import HTTPError

    path = _path(api_kind, namespace)
    token: str | None = None
    while True:
        query: list[tuple[str, Any]] = [("limit", page_size)]
        if token:
            query.append(("continue", token))
        try:
            method, url, headers, _body, _post = api.param_serialize(
                "GET", path, query_params=query, header_params={"Accept": "application/json"},
                auth_settings=["BearerToken"])
            response = api.call_api(method, url, header_params=headers)
            response.read()
        except (ApiException, HTTPError) as exc:
            raise IngestError(f"cannot reach the cluster: {type(exc).__name__}",
                              file=path) from None
        if response.status in (403, 404):
            why = "forbidden to these credentials" if response.status == 403 else "not served"
            inventory.warnings.append(f"cannot list {api_kind.plural}"
                                      f"{' in ' + namespace if namespace else ''} ({why}): "
                                      "skipped")
            return
        if not 200 <= response.status < 300:
            raise IngestError(f"listing {api_kind.plural} failed: HTTP {response.status} "
                              f"{response.reason}", file=path)
        try:
            page = json.loads(response.data)
        except ValueError:
            raise IngestError(f"the API server answered {api_kind.plural} with non-JSON",
                              file=path) from None
        for item in page.get("items") or ():
            inventory.add(item, kind)
        token = (page.get("metadata") or {}).get("continue")
        logger.debug("%s: %d item(s), more: %s", path, len(page.get("items") or ()), bool(token))
        if not token:
            return


def _path(api_kind: ApiKind, namespace: str | None) -> str:
    base = (f"/api/{api_kind.version}" if not api_kind.group
            else f"/apis/{api_kind.group}/{api_kind.version}")
    if namespace:
        return f"{base}/namespaces/{namespace}/{api_kind.plural}"
    return f"{base}/{api_kind.plural}"


def _reason(exc: BaseException) -> str:
    """The first line of an error, which never holds a credential."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
