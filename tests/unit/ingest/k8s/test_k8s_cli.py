"""``airgraph ingest k8s`` on offline dumps: a snapshot per cluster, bad input writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from k8s_records import DATA
from typer.testing import CliRunner

from airgraph.cli.main import app
from airgraph.graph.uri import open_store

runner = CliRunner()
ESTATE = DATA / "agent-estate.json"
KUBECONFIG = """apiVersion: v1
kind: Config
current-context: staging
contexts:
- name: staging
  context: {cluster: c1, user: u1}
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u1
  user: {token: kubeconfig-token-must-not-leak}
"""


def ingest(store_uri: str, *args: str):
    return runner.invoke(app, ["ingest", "k8s", *args, "--store", store_uri, "--json"])


def test_offline_ingest_loads_one_source_per_cluster(store_uri: str):
    result = ingest(store_uri, "--from-json", str(ESTATE), "--cluster", "demo")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["source"], report["ingestor"], report["source_nodes"]) == ("k8s:demo", "k8s", 22)
    assert ingest(store_uri, "--from-json", str(ESTATE), "--cluster", "prod").exit_code == 0
    again = json.loads(ingest(store_uri, "--from-json", str(ESTATE), "--cluster", "demo").stdout)
    assert again["snapshot"] == 3 and again["nodes"] == 2 * 22 - 1  # the AWS role is shared
    store = open_store(store_uri)
    try:
        kinds = {n.id: n.kind.value for n in store.nodes(3)}
    finally:
        store.close()
    assert kinds["k8s:prod:ai:Agent:support-agent"] == "Agent"
    assert kinds["arn:aws:iam::123456789012:role/support-agent"] == "Identity"


def test_secret_values_never_reach_the_store(store_uri: str, tmp_path: Path):
    assert ingest(store_uri, "--from-json", str(ESTATE), "--from-json",
                  str(DATA / "techniques.json"), "--cluster", "demo").exit_code == 0
    path = Path(store_uri.removeprefix("sqlite:///"))
    blob = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"k8s:demo:t:Secret:db-creds" in blob
    assert b"c3VwZXJzZWNyZXQtdmFsdWU=" not in blob and b"not-a-secret" not in blob


def test_cluster_name_from_the_kubeconfig_context(store_uri: str, tmp_path: Path):
    config = tmp_path / "kubeconfig"
    config.write_text(KUBECONFIG)
    result = ingest(store_uri, "--from-json", str(ESTATE), "--kubeconfig", str(config))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["source"] == "k8s:staging"
    assert "kubeconfig-token-must-not-leak" not in result.stdout + result.stderr


@pytest.mark.parametrize(("content", "message"), [
    ('{"kind": "Pod", "metadata": {"name": "p"}}', "expected a Kubernetes List"),
    ("not json", "not JSON"),
])
def test_bad_dump_exits_2_and_writes_nothing(store_uri: str, tmp_path: Path, content, message):
    assert ingest(store_uri, "--from-json", str(ESTATE), "--cluster", "demo").exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = ingest(store_uri, "--from-json", str(ESTATE), "--from-json", str(bad),
                    "--cluster", "demo")
    assert result.exit_code == 2
    assert message in result.stderr and str(bad) in " ".join(result.stderr.split())
    store = open_store(store_uri)
    try:
        assert [s.number for s in store.snapshots()] == [1]
    finally:
        store.close()


@pytest.mark.parametrize(("content", "args", "message"), [
    ("::: not yaml [", (), "cannot read the kubeconfig"),
    (KUBECONFIG, ("--context", "nope"), "no context 'nope'"),
])
def test_broken_kubeconfig_is_a_clear_error(store_uri: str, tmp_path: Path, content, args,
                                            message):
    config = tmp_path / "kubeconfig"
    config.write_text(content)
    result = ingest(store_uri, "--kubeconfig", str(config), *args)
    assert result.exit_code == 2, result.stdout
    assert message in " ".join(result.stderr.split())
    assert "kubeconfig-token-must-not-leak" not in result.stdout + result.stderr
    store = open_store(store_uri)
    try:
        assert store.latest() is None
    finally:
        store.close()


def test_help_teaches():
    result = runner.invoke(app, ["ingest", "k8s", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for phrase in ("--from-json", "kubectl get", "k8s:<cluster>:<namespace>:<Kind>:<name>",
                   "cluster-admin", "never stored"):
        assert phrase in text
