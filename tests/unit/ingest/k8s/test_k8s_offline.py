"""Offline dumps: the documents accepted, and clear errors for the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from k8s_records import edges

from airgraph.errors import IngestError
from airgraph.ingest.k8s import build_records, read_dumps


def write(tmp_path: Path, name: str, document: object) -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_typed_lists_and_several_files_and_pod_identity(tmp_path):
    pods = write(tmp_path, "pods.json", {"kind": "PodList", "apiVersion": "v1", "items": [
        {"metadata": {"name": "p", "namespace": "ns"},
         "spec": {"serviceAccountName": "runner", "containers": [{"image": "busybox"}]}}]})
    assoc = write(tmp_path, "assoc.json", {"association": {
        "clusterName": "prod", "namespace": "ns", "serviceAccount": "runner",
        "roleArn": "arn:aws:iam::111122223333:role/runner",
        "associationArn": "arn:aws:eks:us-east-1:111122223333:podidentityassociation/prod/a-1"}})
    records = build_records(read_dumps([pods, assoc]), "prod")
    e = edges(records)
    assert ("k8s:prod:ns:Pod:p", "RUNS_AS", "k8s:prod:ns:ServiceAccount:runner") in e
    assert e[("k8s:prod:ns:ServiceAccount:runner", "CAN_ASSUME",
              "arn:aws:iam::111122223333:role/runner")] == "k8s-eks-pod-identity"


def test_gke_and_azure_workload_identity(tmp_path):
    dump = write(tmp_path, "sa.json", {"kind": "List", "items": [
        {"kind": "ServiceAccount", "metadata": {"name": "g", "namespace": "a", "annotations": {
            "iam.gke.io/gcp-service-account": "bot@proj.iam.gserviceaccount.com"}}},
        {"kind": "ServiceAccount", "metadata": {"name": "z", "namespace": "a", "annotations": {
            "azure.workload.identity/client-id": "0000-1111"}}}]})
    e = edges(build_records(read_dumps([dump]), "c"))
    assert e[("k8s:c:a:ServiceAccount:g", "CAN_ASSUME",
              "gcp:serviceaccount:bot@proj.iam.gserviceaccount.com")] == "k8s-gke-workload-identity"
    assert e[("k8s:c:a:ServiceAccount:z", "CAN_ASSUME",
              "azure:managed-identity:0000-1111")] == "k8s-azure-workload-identity"


def test_unknown_kinds_are_skipped_and_reported(tmp_path):
    dump = write(tmp_path, "x.json", {"kind": "List", "items": [
        {"kind": "ConfigMap", "metadata": {"name": "a"}},
        {"kind": "ConfigMap", "metadata": {"name": "b"}},
        {"kind": "Widget", "metadata": {"name": "w"}}]})
    records = build_records(read_dumps([dump]), "c")
    assert records.warnings == ["skipped 2 object(s) of unsupported kind ConfigMap",
                                "skipped 1 object(s) of unsupported kind Widget"]


@pytest.mark.parametrize(("document", "message", "line"), [
    ({"kind": "Pod", "metadata": {"name": "p"}}, "expected a Kubernetes List", None),
    ([1, 2], "expected a JSON object", None),
    ({"kind": "List", "items": [1]}, "item 0 is not an object", None),
    ({"items": []}, "an object without 'kind'", None),
    ('{"kind": "List",\n "items": [}', "not JSON", 2),
])
def test_bad_dumps(tmp_path, document, message, line):
    path = write(tmp_path, "bad.json", document)
    with pytest.raises(IngestError) as info:
        read_dumps([path])
    assert message in info.value.message and info.value.file == str(path)
    assert info.value.line == line


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="cannot read dump"):
        read_dumps([tmp_path / "absent.json"])
