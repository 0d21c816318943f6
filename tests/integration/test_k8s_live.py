"""The live Kubernetes path end to end: the real ``kubernetes`` client, through the CLI,
against a loopback HTTP server answering API list calls with continue tokens.

The server serves the objects of tests/data/k8s/agent-estate.json by kind, a page of
``limit`` objects at a time; it refuses nodes (403) and does not serve Gateway routes
(404), which the ingest reports and skips. A generated kubeconfig points at it with a
bearer token that must reach the server and nothing else.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from airgraph.cli.main import app
from airgraph.graph.uri import open_store
from airgraph.ingest.k8s import build_records, read_dumps
from airgraph.ingest.k8s.inventory import KINDS

DUMP = Path(__file__).parents[1] / "data" / "k8s" / "agent-estate.json"
TOKEN = "live-bearer-token-9f8e7d"
FORBIDDEN = {"nodes"}


class _Cluster(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict[str, list[str]], str]] = []
        self.objects: dict[str, list[dict]] = {}
        for item in json.loads(DUMP.read_text())["items"]:
            self.objects.setdefault(KINDS[item["kind"]].plural, []).append(item)


class _Handler(BaseHTTPRequestHandler):
    server: _Cluster

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Quiet: the test asserts on recorded requests instead."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.server.requests.append((url.path, query, self.headers.get("Authorization", "")))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, {"kind": "Status", "code": 401, "reason": "Unauthorized"})
        parts = url.path.strip("/").split("/")
        plural = parts[-1]
        namespace = parts[-2] if len(parts) > 2 and parts[-3] == "namespaces" else None
        if plural in FORBIDDEN:
            return self._send(403, {"kind": "Status", "code": 403, "reason": "Forbidden"})
        if plural == "httproutes":
            return self._send(404, {"kind": "Status", "code": 404, "reason": "NotFound"})
        items = [dict(i) for i in self.server.objects.get(plural, ())
                 if namespace is None or i["metadata"].get("namespace") == namespace]
        for item in items:  # list responses carry no kind per item
            item.pop("kind", None)
        start = int(query.get("continue", ["0"])[0])
        limit = int(query.get("limit", ["500"])[0])
        page = items[start:start + limit]
        more = start + limit < len(items)
        self._send(200, {"kind": "List", "apiVersion": "v1", "items": page,
                         "metadata": {"continue": str(start + limit) if more else ""}})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def cluster() -> Iterator[_Cluster]:
    server = _Cluster()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def kubeconfig(tmp_path: Path, cluster: _Cluster) -> Path:
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "loopback",
        "contexts": [{"name": "loopback", "context": {"cluster": "local", "user": "reader"}}],
        "clusters": [{"name": "local", "cluster": {
            "server": f"http://127.0.0.1:{cluster.server_address[1]}"}}],
        "users": [{"name": "reader", "user": {"token": TOKEN}}]}))
    return path


def _ingest(store_uri: str, *args: str):
    return CliRunner().invoke(app, ["ingest", "k8s", *args, "--store", store_uri, "--json"])


def test_live_ingest_pages_through_every_kind(cluster: _Cluster, kubeconfig: Path,
                                              store_uri: str):
    result = _ingest(store_uri, "--kubeconfig", str(kubeconfig), "--page-size", "2")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["source"] == "k8s:loopback" and report["ingestor"] == "k8s"
    assert "cannot list nodes (forbidden to these credentials): skipped" in report["warnings"]
    assert "cannot list httproutes (not served): skipped" in report["warnings"]

    # every page was asked for with limit and the previous page's continue token
    pages = [q for path, q, _ in cluster.requests if path == "/api/v1/serviceaccounts"]
    assert [q.get("continue") for q in pages] == [None, ["2"], ["4"]]
    assert all(q["limit"] == ["2"] for q in pages)
    assert {auth for _, _, auth in cluster.requests} == {f"Bearer {TOKEN}"}
    assert ("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", ) in \
        {(p,) for p, _, _ in cluster.requests}

    # the graph equals the offline ingest of the same objects (less the forbidden nodes)
    dump = json.loads(DUMP.read_text())
    dump["items"] = [i for i in dump["items"] if i["kind"] != "Node"]
    offline = DUMP.parent / "__live_expected.json"
    try:
        offline.write_text(json.dumps(dump))
        expected = build_records(read_dumps([offline]), "loopback")
    finally:
        offline.unlink()
    store = open_store(store_uri)
    try:
        nodes = {n.id for n in store.nodes(store.latest())}
        edges = {e.key for e in store.edges(store.latest())}
    finally:
        store.close()
    assert nodes == {n.id for n in expected.nodes}
    assert edges == {e.key for e in expected.edges}
    assert ("k8s:loopback:ai:ServiceAccount:support-agent", "CAN_ASSUME",
            "arn:aws:iam::123456789012:role/support-agent") in edges

    path = Path(store_uri.removeprefix("sqlite:///"))
    blob = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert TOKEN.encode() not in blob and b"c3VwZXJzZWNyZXQtdmFsdWU=" not in blob
    assert TOKEN not in result.stdout + result.stderr


def test_namespace_option_lists_namespaced_kinds_there_only(cluster: _Cluster, kubeconfig: Path,
                                                             store_uri: str):
    result = _ingest(store_uri, "--kubeconfig", str(kubeconfig), "-n", "ai", "--cluster", "c9")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["source"] == "k8s:c9"
    paths = {p for p, _, _ in cluster.requests}
    assert "/api/v1/namespaces/ai/pods" in paths and "/api/v1/pods" not in paths
    assert "/apis/rbac.authorization.k8s.io/v1/clusterroles" in paths


def test_rejected_credentials_stop_with_nothing_written(cluster: _Cluster, kubeconfig: Path,
                                                        store_uri: str):
    kubeconfig.write_text(kubeconfig.read_text().replace(TOKEN, "wrong-token"))
    result = _ingest(store_uri, "--kubeconfig", str(kubeconfig))
    assert result.exit_code == 2
    assert "HTTP 401" in result.stderr and "wrong-token" not in result.stderr
    store = open_store(store_uri)
    try:
        assert store.latest() is None
    finally:
        store.close()
