"""The README's estate: a public Ingress to an agent whose service account reads secrets
and creates pods, an IRSA join, recognised AI workloads and the findings."""

from __future__ import annotations

import json

from k8s_records import DATA, edges, load, out

from airgraph.catalogue import RULES
from airgraph.ingest.k8s import build_records, read_dumps
from airgraph.ingest.validate import validate_records
from airgraph.schema import validate_node_props

AGENT = "k8s:demo:ai:Agent:support-agent"
SA = "k8s:demo:ai:ServiceAccount:support-agent"
ROLE = "arn:aws:iam::123456789012:role/support-agent"


def node(records, node_id):
    return next(n for n in records.nodes if n.id == node_id)


def test_records_validate_and_name_their_source(estate):
    validate_records(estate, {})
    assert estate.source == "k8s:demo" and estate.ingestor == "k8s"
    for n in estate.nodes:
        validate_node_props(n.kind, n.props)
        for f in n.props.get("findings", ()):
            assert f["rule"] in RULES


def test_ingress_prompts_the_agent_and_the_tool_reaches_the_pod(estate):
    e = edges(estate)
    assert node(estate, "k8s:demo:ai:Ingress:support").props["exposure"] == "public"
    assert ("k8s:demo:ai:Ingress:support", "PROMPTS", AGENT) in e
    assert node(estate, "k8s:demo:ai:Service:support").props["exposure"] == "internal"
    assert out(estate, AGENT) == {"k8s:demo:ai:Deployment:support-agent", SA,
                                  "k8s:demo:ai:Tool:support-agent"}
    tool = node(estate, "k8s:demo:ai:Tool:support-agent")
    assert tool.evidence == "declared" and tool.props["capabilities"] == ["execute", "read"]
    assert out(estate, "k8s:demo:ai:Deployment:support-agent") == {SA}


def test_agent_account_reads_secrets_and_creates_pods(estate):
    e = edges(estate)
    assert e[(SA, "CAN_READ", "k8s:demo:ai:Secret:db-password")] == "k8s-read-secrets"
    assert e[(SA, "CAN_ASSUME", "k8s:demo:ai:ServiceAccount:deployer")] == "k8s-create-pods"
    assert e[("k8s:demo:ai:ServiceAccount:deployer", "CAN_ASSUME",
              "k8s:demo:_:Identity:cluster-admin")] == "k8s-cluster-admin"


def test_irsa_joins_the_aws_role_by_arn(estate):
    assert edges(estate)[(SA, "CAN_ASSUME", ROLE)] == "k8s-irsa"
    role = node(estate, ROLE)
    assert role.kind == "Identity" and role.props["provider"] == "aws"
    assert role.name == "support-agent"


def test_ai_workloads_are_recognised(estate):
    model = node(estate, "k8s:demo:ai:Model:llm")
    assert model.props["provider"] == "vllm"
    assert model.props["model_id"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert ("k8s:demo:ai:MCPServer:github-mcp", "HOSTED_BY",
            "k8s:demo:ai:Deployment:github-mcp") in edges(estate)
    assert node(estate, "k8s:demo:ai:Service:llm").props["exposure"] == "internal"


def test_findings(estate):
    def rules(node_id):
        return sorted(f["rule"] for f in node(estate, node_id).props.get("findings", ()))
    assert rules("k8s:demo:ai:Ingress:support") == ["k8s-public-path-to-cluster-admin"]
    assert rules("k8s:demo:ai:Deployment:github-mcp") == ["k8s-exposed-ai-automount",
                                                          "k8s-privileged-ai-workload"]
    assert rules("k8s:demo:ai:Deployment:support-agent") == ["k8s-exposed-ai-automount"]
    assert rules("k8s:demo:ai:Deployment:llm") == []
    path = node(estate, "k8s:demo:ai:Ingress:support").props["findings"][0]["evidence"]
    assert path.startswith("k8s:demo:ai:Ingress:support -> " + AGENT)


def test_no_secret_value_or_plain_env_reaches_the_records(estate, techniques):
    text = json.dumps([[n.as_dict() for n in r.nodes] + [dict(e.props) for e in r.edges]
                       for r in (estate, techniques)])
    assert "c3VwZXJzZWNyZXQtdmFsdWU=" in (DATA / "techniques.json").read_text()
    assert "c3VwZXJzZWNyZXQtdmFsdWU=" not in text and "not-a-secret" not in text


def test_annotation_overrides_recognition(tmp_path):
    dump = json.loads((DATA / "agent-estate.json").read_text())
    for item in dump["items"]:
        if item["kind"] == "Deployment" and item["metadata"]["name"] == "llm":
            item["spec"]["template"]["metadata"]["annotations"] = {"airgraph.io/kind": "none"}
        if item["kind"] == "Deployment" and item["metadata"]["name"] == "github-mcp":
            item["spec"]["template"]["metadata"]["annotations"] = {"airgraph.io/kind": "agent"}
    (tmp_path / "d.json").write_text(json.dumps(dump))
    records = build_records(read_dumps([tmp_path / "d.json"]), "demo")
    ids = {n.id for n in records.nodes}
    assert "k8s:demo:ai:Model:llm" not in ids
    assert ("k8s:demo:ai:Service:github-mcp", "PROMPTS", "k8s:demo:ai:Agent:github-mcp") \
        in edges(records)


def test_same_input_same_records():
    assert load("agent-estate.json") == load("agent-estate.json")
