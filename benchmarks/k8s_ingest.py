"""Kubernetes ingest at scale: a generated ``kubectl get -o json`` dump of 50,000 pods,
5,000 service accounts and 20,000 RBAC objects, read, resolved and validated.

    python benchmarks/k8s_ingest.py                  # the full size
    python benchmarks/k8s_ingest.py --scale 0.1      # a tenth of it
    python benchmarks/k8s_ingest.py --store          # also load into an embedded store

The dump is streamed to a temporary file first (not timed). Timed phases: JSON parsing
(``read_dumps``), the transform (``build_records``: workloads, RBAC resolution,
techniques, AI recognition, exposure, cloud joins, findings) and record validation;
with ``--store``, the SQLite ingest too. Peak memory is the process's maximum resident
set size (``ru_maxrss``), so it includes the interpreter and the parsed dump. No timing
is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from airgraph.ingest.k8s import build_records, read_dumps
from airgraph.ingest.validate import validate_records

_RBAC = "rbac.authorization.k8s.io"
_NS_ROLES = [
    [{"apiGroups": [""], "resources": ["pods", "services"], "verbs": ["get", "list", "watch"]}],
    [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"], "resourceNames": ["s-0"]}],
    [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "patch"]}],
    [{"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}],
    [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["*"]}],
    [{"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}],
]


def _meta(name: str, ns: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, **({"namespace": ns} if ns else {}), **extra}


def generate(pods: int, sas: int, rbac: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Objects of a plausible cluster: namespaces of 10 service accounts, 10 deployments
    each with pods spread over 200 nodes, secrets, services, one exposed agent per
    namespace, and roles, bindings and cluster roles making up ``rbac`` objects."""
    rng = random.Random(seed)
    namespaces = max(1, sas // 10)
    per_ns_pods = max(1, pods // namespaces)
    cluster_objects = rbac // 4
    ns_roles = max(1, (rbac - cluster_objects) // (2 * namespaces))
    for i in range(200):
        yield {"kind": "Node", "metadata": _meta(f"node-{i}")}
    for i in range(cluster_objects // 2):
        dangerous = i % 500 == 0
        rules = ([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}] if dangerous
                 else [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}])
        labels = {"agg": str(i % 50)} if i % 10 == 0 else {}
        role = {"kind": "ClusterRole", "metadata": _meta(f"cr-{i}", labels=labels), "rules": rules}
        if i < 50:
            role["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {"agg": str(i)}}]}
        yield role
        ns = f"ns-{rng.randrange(namespaces)}"
        yield {"kind": "ClusterRoleBinding", "metadata": _meta(f"crb-{i}"),
               "roleRef": {"apiGroup": _RBAC, "kind": "ClusterRole", "name": f"cr-{i}"},
               "subjects": [{"kind": "ServiceAccount", "namespace": ns,
                             "name": f"sa-{rng.randrange(10)}"}]}
    for n in range(namespaces):
        ns = f"ns-{n}"
        for s in range(10):
            annotations = ({"eks.amazonaws.com/role-arn": f"arn:aws:iam::123456789012:role/r-{n}"}
                           if s == 0 else {})
            yield {"kind": "ServiceAccount", "metadata": _meta(f"sa-{s}", ns, annotations=annotations)}
        for s in range(20):
            yield {"kind": "Secret", "type": "Opaque", "metadata": _meta(f"s-{s}", ns),
                   "data": {"k": "dmFsdWU="}}
        for r in range(ns_roles):
            yield {"kind": "Role", "metadata": _meta(f"role-{r}", ns),
                   "rules": _NS_ROLES[r % len(_NS_ROLES)]}
            yield {"kind": "RoleBinding", "metadata": _meta(f"rb-{r}", ns),
                   "roleRef": {"apiGroup": _RBAC, "kind": "Role", "name": f"role-{r}"},
                   "subjects": [{"kind": "ServiceAccount", "name": f"sa-{rng.randrange(10)}"}]}
        yield from _deployments(ns, per_ns_pods, rng)


def _deployments(ns: str, pods: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for d in range(10):
        name = f"app-{d}"
        agent = d == 0
        image = "ghcr.io/acme/langgraph-agent:1.0" if agent else f"registry.local/svc-{d}:2.3"
        template = {"metadata": {"labels": {"app": name}, "annotations": (
            {"airgraph.io/capabilities": "execute"} if agent else {})},
            "spec": {"serviceAccountName": f"sa-{d}", "containers": [
                {"name": "main", "image": image,
                 "env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": f"s-{d}", "key": "k"}}}]}]}}
        yield {"kind": "Deployment", "metadata": _meta(name, ns),
               "spec": {"replicas": pods // 10, "template": template}}
        yield {"kind": "ReplicaSet", "metadata": _meta(f"{name}-5d8f", ns, ownerReferences=[
            {"kind": "Deployment", "name": name, "controller": True}]), "spec": {"template": template}}
        yield {"kind": "Service", "metadata": _meta(name, ns),
               "spec": {"type": "ClusterIP", "selector": {"app": name}, "ports": [{"port": 80}]}}
        for p in range(pods // 10):
            yield {"kind": "Pod", "metadata": _meta(f"{name}-5d8f-{p:05d}", ns, labels={"app": name},
                                                    ownerReferences=[{"kind": "ReplicaSet",
                                                                      "name": f"{name}-5d8f"}]),
                   "spec": {**template["spec"], "nodeName": f"node-{rng.randrange(200)}"}}
    yield {"kind": "Ingress", "metadata": _meta("public", ns), "spec": {"rules": [
        {"host": f"{ns}.example.com", "http": {"paths": [
            {"path": "/", "backend": {"service": {"name": "app-0"}}}]}}]}}


def write_dump(path: Path, objects: Iterator[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with path.open("w") as out:
        out.write('{"apiVersion": "v1", "kind": "List", "items": [\n')
        for i, obj in enumerate(objects):
            counts[obj["kind"]] = counts.get(obj["kind"], 0) + 1
            out.write((",\n" if i else "") + json.dumps(obj, separators=(",", ":")))
        out.write("\n]}\n")
    return counts


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--store", action="store_true", help="also ingest into SQLite")
    args = parser.parse_args()
    pods, sas, rbac = (int(50_000 * args.scale), int(5_000 * args.scale),
                       int(20_000 * args.scale))
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "cluster.json"
        counts = write_dump(dump, generate(pods, sas, rbac))
        rbac_count = sum(counts.get(k, 0) for k in ("Role", "RoleBinding", "ClusterRole",
                                                      "ClusterRoleBinding"))
        print(f"dump: {counts['Pod']:,} pods, {counts['ServiceAccount']:,} service accounts, "
              f"{rbac_count:,} RBAC objects, {sum(counts.values()):,} objects, "
              f"{dump.stat().st_size / 2**20:.0f} MiB; peak RSS before ingest {_peak_mib():.0f} MiB")
        t0 = time.perf_counter()
        inventory = read_dumps([dump])
        t1 = time.perf_counter()
        records = build_records(inventory, "bench")
        t2 = time.perf_counter()
        validate_records(records, {})
        t3 = time.perf_counter()
        print(f"read {t1 - t0:.1f} s, transform {t2 - t1:.1f} s, validate {t3 - t2:.1f} s: "
              f"total {t3 - t0:.1f} s for {len(records.nodes):,} nodes and "
              f"{len(records.edges):,} edges; peak RSS {_peak_mib():.0f} MiB")
        if args.store:
            from airgraph.graph.pipeline import ingest_records
            from airgraph.graph.uri import open_store

            store = open_store(f"sqlite:///{Path(tmp) / 'store.db'}")
            try:
                t4 = time.perf_counter()
                ingest_records(store, records)
                print(f"store ingest {time.perf_counter() - t4:.1f} s; "
                      f"peak RSS {_peak_mib():.0f} MiB")
            finally:
                store.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
