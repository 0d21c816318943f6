"""AI recognition by image, labels and annotation; exposure of Services, Ingresses, routes."""

from __future__ import annotations

import pytest
from k8s_records import edges

from airgraph.ingest.k8s import Inventory, build_records
from airgraph.ingest.k8s.ai import AiKind, classify
from airgraph.ingest.k8s.workloads import Unit


def unit(image: str = "nginx", labels: dict | None = None, annotations: dict | None = None) -> Unit:
    return Unit("id", "Deployment", "ns", "x", labels or {}, annotations or {},
                {"containers": [{"image": image}]}, "sa")


@pytest.mark.parametrize(("image", "expected"), [
    ("vllm/vllm-openai:v0.6.3", (AiKind.MODEL_SERVER, "vllm")),
    ("ghcr.io/huggingface/text-generation-inference:2.4", (AiKind.MODEL_SERVER, "tgi")),
    ("ollama/ollama", (AiKind.MODEL_SERVER, "ollama")),
    ("nvcr.io/nvidia/tritonserver:24.08-py3", (AiKind.MODEL_SERVER, "triton")),
    ("mcp/fetch:latest", (AiKind.MCP_SERVER, "mcp")),
    ("ghcr.io/github/github-mcp-server:0.5", (AiKind.MCP_SERVER, "mcp")),
    ("langchain/langgraph-api:0.2", (AiKind.AGENT, "langgraph")),
    ("registry.local:5000/nginx:1.27", None),
    ("acme/mcpherson:1", None),
])
def test_images(image, expected):
    assert classify(unit(image)) == expected


def test_labels_and_annotations():
    assert classify(unit(labels={"app.kubernetes.io/component": "agent"})) == (AiKind.AGENT, "agent")
    assert classify(unit(labels={"serving.kserve.io/inferenceservice": "m"}))[0] \
        is AiKind.MODEL_SERVER
    assert classify(unit("vllm/vllm-openai", annotations={"airgraph.io/kind": "none"})) is None
    assert classify(unit(annotations={"airgraph.io/kind": "mcp-server"})) == \
        (AiKind.MCP_SERVER, "declared")


def _cluster(*objects: dict) -> Inventory:
    inv = Inventory()
    inv.add({"kind": "Deployment", "metadata": {"name": "bot", "namespace": "a"},
             "spec": {"template": {"metadata": {"labels": {"app": "bot"}}, "spec": {
                 "containers": [{"image": "crewai/crew:1"}]}}}})
    for obj in objects:
        inv.add(obj)
    return inv


def _svc(name: str, kind: str = "ClusterIP", annotations: dict | None = None) -> dict:
    return {"kind": "Service", "metadata": {"name": name, "namespace": "a",
                                            "annotations": annotations or {}},
            "spec": {"type": kind, "selector": {"app": "bot"}, "ports": [{"port": 80}]}}


def test_service_types_and_internal_load_balancers():
    records = build_records(_cluster(
        _svc("lb", "LoadBalancer"), _svc("np", "NodePort"), _svc("ci"),
        _svc("aws-int", "LoadBalancer", {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}),
        _svc("forced", "ClusterIP", {"airgraph.io/exposure": "partner"}),
        {"kind": "Service", "metadata": {"name": "other", "namespace": "a"},
         "spec": {"type": "LoadBalancer", "selector": {"app": "web"}}}), "c")
    exposure = {n.id.rsplit(":", 1)[1]: n.props["exposure"] for n in records.nodes
                if n.kind == "EntryPoint"}
    assert exposure == {"lb": "public", "np": "public", "ci": "internal", "aws-int": "internal",
                        "forced": "partner"}
    assert ("k8s:c:a:Service:lb", "PROMPTS", "k8s:c:a:Agent:bot") in edges(records)


def test_ingress_and_http_route_reach_the_agent_through_their_service():
    records = build_records(_cluster(
        _svc("bot"),
        {"kind": "Ingress", "metadata": {"name": "web", "namespace": "a",
                                         "annotations": {"alb.ingress.kubernetes.io/scheme": "internal"}},
         "spec": {"defaultBackend": {"service": {"name": "bot"}}}},
        {"kind": "HTTPRoute", "metadata": {"name": "route", "namespace": "a"},
         "spec": {"hostnames": ["bot.example.com"], "rules": [{"backendRefs": [{"name": "bot"}]}]}},
        {"kind": "Ingress", "metadata": {"name": "elsewhere", "namespace": "b"},
         "spec": {"defaultBackend": {"service": {"name": "bot"}}}}), "c")
    e = edges(records)
    nodes = {n.id: n for n in records.nodes}
    assert nodes["k8s:c:a:HTTPRoute:route"].props["exposure"] == "public"
    assert nodes["k8s:c:a:HTTPRoute:route"].props["hosts"] == ["bot.example.com"]
    assert nodes["k8s:c:a:Ingress:web"].props["exposure"] == "internal"
    assert ("k8s:c:a:HTTPRoute:route", "PROMPTS", "k8s:c:a:Agent:bot") in e
    assert "k8s:c:b:Ingress:elsewhere" not in nodes


def test_pods_without_their_owner_stand_for_it():
    inv = Inventory()
    for i in range(3):
        inv.add({"kind": "Pod", "metadata": {
            "name": f"bot-7c-{i}", "namespace": "a", "labels": {"app": "bot"},
            "ownerReferences": [{"kind": "ReplicaSet", "name": "bot-7c"}]},
            "spec": {"containers": [{"image": "crewai/crew:1"}], "nodeName": "n1"}})
    records = build_records(inv, "c")
    ids = {n.id for n in records.nodes}
    assert {"k8s:c:a:ReplicaSet:bot-7c", "k8s:c:a:Agent:bot-7c", "k8s:c:a:Pod:bot-7c-2"} <= ids
    assert sum(1 for i in ids if ":Agent:" in i) == 1
