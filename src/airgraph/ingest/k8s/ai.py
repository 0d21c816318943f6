"""AI workloads recognised by image, labels or the ``airgraph.io/kind`` annotation.

A model server becomes a Model (inventory: the schema has no edge from a model to
where it runs); an MCP server an MCPServer HOSTED_BY its workload (code runs there);
an agent runtime an Agent HOSTED_BY its workload, which is inventory only: an
injected agent holds its pod's service account only through a broad tool. The
agent's RUNS_AS names that service account as the default identity of its tools,
and ``airgraph.io/capabilities: execute`` (or a manifest) declares such a tool.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, NamedTuple

from airgraph.ingest.k8s.builder import GraphBuilder
from airgraph.ingest.k8s.workloads import ClusterIndex, Unit
from airgraph.schema import EdgeKind, Evidence, NodeKind

__all__ = ["CAPABILITIES_ANNOTATION", "KIND_ANNOTATION", "PRIVILEGED_AI", "AiKind", "AiWorkload",
           "add_ai", "classify"]

KIND_ANNOTATION = "airgraph.io/kind"
"""``agent``, ``model-server``, ``mcp-server``, or ``none`` to stop recognition."""
CAPABILITIES_ANNOTATION = "airgraph.io/capabilities"
"""Comma-separated capabilities of an agent's in-process tools (read, write, execute, ...)."""
PRIVILEGED_AI = "k8s-privileged-ai-workload"
_CAPABILITIES = ("read", "write", "execute", "egress", "message")
_DECLARED = Evidence.DECLARED.value


class AiKind(StrEnum):
    MODEL_SERVER = "model-server"
    AGENT = "agent"
    MCP_SERVER = "mcp-server"


class AiWorkload(NamedTuple):
    unit: Unit
    kind: AiKind
    product: str
    node: str
    """The Agent, Model or MCPServer node's id."""


_PRODUCTS: tuple[tuple[AiKind, str, re.Pattern[str]], ...] = tuple(
    (kind, product, re.compile(pattern)) for kind, product, pattern in (
        (AiKind.MODEL_SERVER, "vllm", r"vllm"),
        (AiKind.MODEL_SERVER, "tgi", r"text-generation-inference|(^|[/-])tgi($|[/-])"),
        (AiKind.MODEL_SERVER, "ollama", r"ollama"),
        (AiKind.MODEL_SERVER, "triton", r"triton"),
        (AiKind.MODEL_SERVER, "kserve", r"kserve"),
        (AiKind.MODEL_SERVER, "llama.cpp", r"llama[.-]?cpp"),
        (AiKind.MODEL_SERVER, "localai", r"localai"),
        (AiKind.MODEL_SERVER, "sglang", r"sglang"),
        (AiKind.MCP_SERVER, "mcp", r"(^|[/_-])mcp($|[/_-])"),
        (AiKind.AGENT, "langgraph", r"langgraph|langserve"),
        (AiKind.AGENT, "crewai", r"crewai"),
        (AiKind.AGENT, "autogen", r"autogen"),
        (AiKind.AGENT, "letta", r"letta"),
        (AiKind.AGENT, "flowise", r"flowise"),
        (AiKind.AGENT, "dify", r"dify"),
        (AiKind.AGENT, "n8n", r"n8n"),
        (AiKind.AGENT, "openhands", r"openhands"),
    ))
_COMPONENT_KINDS = {"agent": AiKind.AGENT, "mcp-server": AiKind.MCP_SERVER,
                    "model-server": AiKind.MODEL_SERVER, "inference": AiKind.MODEL_SERVER}


def classify(unit: Unit) -> tuple[AiKind, str] | None:
    """What AI component ``unit`` runs (and the product recognised), if any."""
    declared = unit.annotations.get(KIND_ANNOTATION, "").strip().lower()
    if declared == "none":
        return None
    if declared in AiKind.__members__.values():
        return AiKind(declared), _product(unit) or "declared"
    component = unit.labels.get("app.kubernetes.io/component", "").lower()
    if component in _COMPONENT_KINDS:
        return _COMPONENT_KINDS[component], _product(unit) or component
    if any(k.startswith("serving.kserve.io/") for k in unit.labels):
        return AiKind.MODEL_SERVER, "kserve"
    for kind, product, pattern in _PRODUCTS:
        if any(pattern.search(text) for text in _names(unit)):
            return kind, product
    return None


def _product(unit: Unit) -> str | None:
    for _kind, product, pattern in _PRODUCTS:
        if any(pattern.search(text) for text in _names(unit)):
            return product
    return None


def _names(unit: Unit) -> list[str]:
    """Image repositories (no registry host, no tag) and the app name label, lower-cased."""
    names = []
    for container in unit.spec.get("containers") or ():
        image = container.get("image", "").lower().split("@")[0]
        repo = image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image
        parts = repo.split("/")
        names.append("/".join(parts[1:] if len(parts) > 1 and "." in parts[0] else parts))
    names.append(unit.labels.get("app.kubernetes.io/name", "").lower())
    return [n for n in names if n]


def add_ai(b: GraphBuilder, index: ClusterIndex) -> dict[str, AiWorkload]:
    """Recognised AI workloads by unit id; their nodes and edges are added to ``b``."""
    found: dict[str, AiWorkload] = {}
    for unit in index.units:
        match = classify(unit)
        if match is None:
            continue
        kind, product = match
        b.props(unit.id)["ai"] = kind.value
        node = _ai_node(b, unit, kind, product)
        found[unit.id] = AiWorkload(unit, kind, product, node)
        escape = b.props(unit.id).get("node_escape")
        if escape:
            b.finding(unit.id, PRIVILEGED_AI,
                      f"{kind.value} {unit.namespace}/{unit.name} can take over its node",
                      ", ".join(escape))
    return found


def _ai_node(b: GraphBuilder, unit: Unit, kind: AiKind, product: str) -> str:
    where = {"namespace": unit.namespace, "workload": unit.id}
    if kind is AiKind.MODEL_SERVER:
        props: dict[str, Any] = {"provider": product, "hosting": "kubernetes", **where}
        model = _model_arg(unit.spec)
        if model:
            props["model_id"] = model
        return b.node(b.id(unit.namespace, "Model", unit.name), NodeKind.MODEL, unit.name, props)
    if kind is AiKind.MCP_SERVER:
        node = b.node(b.id(unit.namespace, "MCPServer", unit.name), NodeKind.MCP_SERVER,
                      unit.name, {"transport": "http", **where})
        b.edge(node, unit.id, EdgeKind.HOSTED_BY)
        return node
    agent = b.node(b.id(unit.namespace, "Agent", unit.name), NodeKind.AGENT, unit.name,
                   {"framework": product, **where})
    b.edge(agent, unit.id, EdgeKind.HOSTED_BY)
    b.edge(agent, unit.service_account, EdgeKind.RUNS_AS)
    capabilities = [c.strip() for c in unit.annotations.get(CAPABILITIES_ANNOTATION, "").split(",")]
    capabilities = sorted({c for c in capabilities if c in _CAPABILITIES})
    if capabilities:
        tool = b.node(b.id(unit.namespace, "Tool", unit.name), NodeKind.TOOL,
                      f"{unit.name} in-process tools",
                      {"capabilities": capabilities, **where}, _DECLARED)
        b.edge(agent, tool, EdgeKind.CALLS, evidence=_DECLARED)
        b.edge(tool, unit.id, EdgeKind.HOSTED_BY, evidence=_DECLARED)
    return agent


def _model_arg(spec: dict[str, Any]) -> str | None:
    """The model a server is started with (``--model X``, ``--model=X``, ``--model-id X``)."""
    for container in spec.get("containers") or ():
        args = [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]
        for i, arg in enumerate(args):
            for flag in ("--model", "--model-id"):
                if arg == flag and i + 1 < len(args):
                    return args[i + 1]
                if arg.startswith(flag + "="):
                    return arg.split("=", 1)[1]
    return None
