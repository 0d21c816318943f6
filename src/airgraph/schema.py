"""Node kinds, edge kinds, their semantics and properties: the single source of truth.

Stores take labels and relationship types only from here, ingestors validate
records against it, and the projection reads edge semantics from it.
"""

from __future__ import annotations

import functools

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from airgraph.errors import SchemaError

__all__ = [
    "ASSUMPTIONS",
    "EDGE_SPECS",
    "FILTER_MULTIPLIER",
    "SENSITIVE",
    "UNTRUSTED_EXPOSURES",
    "Assumption",
    "EdgeClass",
    "EdgeKind",
    "EdgeRecord",
    "EdgeSpec",
    "Evidence",
    "NodeKind",
    "NodeRecord",
    "Semantics",
    "canonical_json",
    "check_endpoints",
    "node_defaults",
    "validate_node_props",
]


class NodeKind(StrEnum):
    ENTRY_POINT = "EntryPoint"
    AGENT = "Agent"
    MODEL = "Model"
    TOOL = "Tool"
    MCP_SERVER = "MCPServer"
    WORKLOAD = "Workload"
    IDENTITY = "Identity"
    DATA_STORE = "DataStore"
    SINK = "Sink"
    GUARDRAIL = "Guardrail"
    OWNER = "Owner"


class EdgeKind(StrEnum):
    PROMPTS = "PROMPTS"
    FEEDS = "FEEDS"
    DELEGATES = "DELEGATES"
    CALLS = "CALLS"
    PROVIDES = "PROVIDES"
    HOSTED_BY = "HOSTED_BY"
    RUNS_AS = "RUNS_AS"
    CAN_ASSUME = "CAN_ASSUME"
    CAN_WRITE = "CAN_WRITE"
    WRITES = "WRITES"
    CAN_READ = "CAN_READ"
    READS = "READS"
    SENDS_TO = "SENDS_TO"
    LOGS_TO = "LOGS_TO"
    USES_MODEL = "USES_MODEL"
    GUARDED_BY = "GUARDED_BY"
    OWNED_BY = "OWNED_BY"


class Evidence(StrEnum):
    """How a record is known, strongest first: a path is as weak as its weakest hop."""

    OBSERVED = "observed"  # seen live, such as a tool listed by a running MCP server
    DISCOVERED = "discovered"  # read from an API or a configuration file
    DECLARED = "declared"  # written by a user in a manifest
    INFERRED = "inferred"  # derived by analysis: an escalation technique, a default identity


EVIDENCE_STRENGTH: dict[str, int] = {e.value: i for i, e in enumerate(Evidence)}
"""Evidence name to rank, 0 strongest."""


class Semantics(StrEnum):
    """What an edge kind means to an attacker."""

    CONTROL = "control"  # attacker influence flows along the edge
    SCOPED_CONTROL = "scoped_control"  # control only out of a broad tool, MCP server or workload
    WRITE = "write"  # control, and the target store is write-exposed
    READ = "read"  # exposure: the target store can be read; no control
    OUTPUT = "output"  # the target sink is reached
    GATE = "gate"  # guardrail: blocks or lowers likelihood
    INVENTORY = "inventory"
    GOVERNANCE = "governance"


class EdgeClass(IntEnum):
    """Per-edge codes the kernels see once an assumption has been applied."""

    NONE = 0
    CONTROL = 1
    WRITE = 2
    READ = 3
    SEND = 4


Assumption = Literal["realistic", "worst"]
ASSUMPTIONS: tuple[str, ...] = ("realistic", "worst")
SENSITIVE = frozenset({"confidential", "restricted"})
UNTRUSTED_EXPOSURES = frozenset({"public", "partner"})
FILTER_MULTIPLIER = 0.5
"""Likelihood multiplier for an edge into a node behind an input or output filter."""

_N = NodeKind
_ALL = frozenset(NodeKind)


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    kind: EdgeKind
    sources: frozenset[NodeKind]
    targets: frozenset[NodeKind]
    semantics: Semantics
    likelihood: float
    """Default probability that an attacker gets across this edge."""
    meaning: str


def _spec(kind: EdgeKind, src: set, dst: set, sem: Semantics, p: float, meaning: str) -> EdgeSpec:
    return EdgeSpec(kind, frozenset(src), frozenset(dst), sem, p, meaning)


EDGE_SPECS: dict[EdgeKind, EdgeSpec] = {
    s.kind: s
    for s in (
        _spec(EdgeKind.PROMPTS, {_N.ENTRY_POINT}, {_N.AGENT}, Semantics.CONTROL, 0.9,
              "attacker text reaches the agent"),
        _spec(EdgeKind.FEEDS, {_N.DATA_STORE}, {_N.AGENT}, Semantics.CONTROL, 0.6,
              "retrieval or memory: an influenced store injects the agent"),
        _spec(EdgeKind.DELEGATES, {_N.AGENT}, {_N.AGENT}, Semantics.CONTROL, 0.8,
              "agent chaining"),
        _spec(EdgeKind.CALLS, {_N.AGENT}, {_N.TOOL}, Semantics.CONTROL, 0.8,
              "the agent can invoke the tool"),
        _spec(EdgeKind.PROVIDES, {_N.MCP_SERVER}, {_N.TOOL}, Semantics.INVENTORY, 1.0,
              "the server provides the tool"),
        _spec(EdgeKind.HOSTED_BY, {_N.TOOL, _N.AGENT, _N.MCP_SERVER},
              {_N.WORKLOAD, _N.MCP_SERVER}, Semantics.SCOPED_CONTROL, 0.9,
              "code runs there: control out of a broad tool or an MCP server"),
        _spec(EdgeKind.RUNS_AS, {_N.AGENT, _N.TOOL, _N.WORKLOAD, _N.MCP_SERVER}, {_N.IDENTITY},
              Semantics.SCOPED_CONTROL, 0.9,
              "control out of a workload, an MCP server or a broad tool; "
              "out of an agent, the default identity of its tools"),
        _spec(EdgeKind.CAN_ASSUME, {_N.IDENTITY}, {_N.IDENTITY}, Semantics.CONTROL, 0.7,
              "role assumption, impersonation, privilege escalation"),
        _spec(EdgeKind.CAN_WRITE, {_N.IDENTITY, _N.TOOL}, {_N.DATA_STORE}, Semantics.WRITE, 0.8,
              "the identity can write the store"),
        _spec(EdgeKind.WRITES, {_N.IDENTITY, _N.TOOL}, {_N.DATA_STORE}, Semantics.WRITE, 0.8,
              "the tool writes the store"),
        _spec(EdgeKind.CAN_READ, {_N.IDENTITY, _N.TOOL}, {_N.DATA_STORE}, Semantics.READ, 0.9,
              "the identity can read the store"),
        _spec(EdgeKind.READS, {_N.IDENTITY, _N.TOOL}, {_N.DATA_STORE}, Semantics.READ, 0.9,
              "the tool reads the store"),
        _spec(EdgeKind.SENDS_TO, {_N.AGENT, _N.TOOL}, {_N.SINK}, Semantics.OUTPUT, 0.8,
              "output leaves through the sink"),
        _spec(EdgeKind.LOGS_TO, {_N.AGENT, _N.TOOL}, {_N.SINK, _N.DATA_STORE},
              Semantics.INVENTORY, 1.0, "prompts and outputs are recorded there"),
        _spec(EdgeKind.USES_MODEL, {_N.AGENT}, {_N.MODEL}, Semantics.INVENTORY, 1.0,
              "the agent uses the model"),
        _spec(EdgeKind.GUARDED_BY, {_N.AGENT, _N.TOOL}, {_N.GUARDRAIL}, Semantics.GATE, 1.0,
              "a guardrail gates entry into the node"),
        _spec(EdgeKind.OWNED_BY, _ALL, {_N.OWNER}, Semantics.GOVERNANCE, 1.0,
              "who is accountable"),
    )
}


def validate_node_props(kind: NodeKind, props: Mapping[str, Any]) -> dict[str, Any]:
    """Return the properties ``props`` gives, checked; raise SchemaError naming the field.

    Defaults are *not* filled in: a store keeps exactly what each source said, and
    :func:`node_defaults` fills only what no source gave when a snapshot is read.
    The property models (:mod:`airgraph.properties`) load on first use: building them
    costs a noticeable part of a second, which queries never need to pay.
    """
    models, validation_error = _property_models()
    model_type = models[kind]
    try:  # pydantic-core directly: a million nodes feel its Python wrappers
        model = model_type.__pydantic_validator__.validate_python(dict(props))
    except validation_error as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "properties"
        raise SchemaError(f"property '{where}': {first['msg']}") from None
    return model_type.__pydantic_serializer__.to_python(model, exclude_none=True,
                                                         exclude_unset=True)


@functools.cache
def _property_models() -> tuple[Mapping[str, Any], type[Exception]]:
    """The property models and pydantic's error type, imported once, on first use."""
    from pydantic import ValidationError

    from airgraph.properties import NODE_MODELS

    return NODE_MODELS, ValidationError


def node_defaults(kind: NodeKind) -> dict[str, Any]:
    """The schema's default property values of ``kind`` (what no source gave)."""
    from airgraph.properties import DEFAULTS

    return dict(DEFAULTS[kind])


def check_endpoints(kind: EdgeKind, src_kind: NodeKind, dst_kind: NodeKind) -> None:
    """Raise SchemaError when an edge kind may not join these node kinds."""
    spec = EDGE_SPECS[kind]
    if src_kind not in spec.sources or dst_kind not in spec.targets:
        allowed = f"{'/'.join(sorted(spec.sources))} -> {'/'.join(sorted(spec.targets))}"
        raise SchemaError(f"{kind} cannot join {src_kind} -> {dst_kind} (allowed: {allowed})")


def canonical_json(value: Any) -> str:
    """Stable JSON text, so equal records compare equal as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --- records ---------------------------------------------------------------

_NO_PROPS: Mapping[str, Any] = MappingProxyType({})


class NodeRecord(NamedTuple):
    """One node as an ingestor yields it and a store returns it (a tuple: cheap by the million).

    ``evidence`` says how the source knows it (:class:`Evidence`); a manifest's
    (``declared``) properties win over a discovered source's when records are merged.
    """

    id: str
    kind: NodeKind
    name: str
    source: str
    props: Mapping[str, Any] = _NO_PROPS
    evidence: str = Evidence.DISCOVERED.value

    @property
    def owner(self) -> str | None:
        return self.props.get("owner")

    def as_dict(self) -> dict[str, Any]:
        return {**self.props, "id": self.id, "kind": str(self.kind), "name": self.name,
                "source": self.source, "evidence": self.evidence}


class EdgeRecord(NamedTuple):
    """One edge; ``props`` may hold ``likelihood``, ``via`` (the technique's id) and
    ``conditions`` (kept, never evaluated away)."""

    src: str
    dst: str
    kind: EdgeKind
    source: str
    props: Mapping[str, Any] = _NO_PROPS
    evidence: str = Evidence.DISCOVERED.value

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.src, str(self.kind), self.dst)
