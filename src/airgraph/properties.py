"""Per-kind node properties as pydantic models: names, types, allowed values, defaults.

Imported lazily by :func:`airgraph.schema.validate_node_props` (this module imports nothing
of airgraph, so there is no import circle); extra properties are kept.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DEFAULTS", "NODE_MODELS"]

Exposure = Literal["public", "partner", "internal", "privileged"]
Sensitivity = Literal["public", "internal", "confidential", "restricted"]
Capability = Literal["read", "write", "execute", "egress", "message"]
GuardMode = Literal["input_filter", "output_filter", "human_approval", "allow_list"]


class Finding(BaseModel):
    """A finding an ingestor (or a manifest) attaches to a node; ``rule`` is a catalogue id."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    rule: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    message: str
    severity: Literal["critical", "high", "medium", "low", "info"] | None = None
    evidence: str | None = None
    file: str | None = None
    line: int | None = None


class _Props(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)
    name: str | None = None
    owner: str | None = None
    description: str | None = None
    findings: list[Finding] | None = None


class EntryPointProps(_Props):
    exposure: Exposure = "internal"
    interactive: bool = False
    channel: str | None = None


class AgentProps(_Props):
    framework: str | None = None
    autonomy: Literal["autonomous", "human_in_loop"] | None = None
    system_prompt_sha256: str | None = None


class ModelProps(_Props):
    provider: str | None = None
    model_id: str | None = None
    hosting: str | None = None


class ToolProps(_Props):
    capabilities: list[Capability] = Field(default_factory=list)
    annotations: dict[str, Any] | None = None
    description_sha256: str | None = None


class MCPServerProps(_Props):
    transport: str | None = None
    command: str | None = None
    url: str | None = None


class WorkloadProps(_Props):
    platform: str | None = None
    image: str | None = None


class IdentityProps(_Props):
    provider: str | None = None
    privileged: bool = False


class DataStoreProps(_Props):
    sensitivity: Sensitivity = "internal"
    contains: list[str] = Field(default_factory=list)
    store_type: str | None = None


class SinkProps(_Props):
    external: bool = False
    channel: str | None = None


class GuardrailProps(_Props):
    mode: GuardMode
    blocks: list[str] = Field(default_factory=list)


class OwnerProps(_Props):
    contact: str | None = None


NODE_MODELS: dict[str, type[_Props]] = {
    # keyed by kind name (schema.NodeKind is a StrEnum): no import of the schema here
    "EntryPoint": EntryPointProps,
    "Agent": AgentProps,
    "Model": ModelProps,
    "Tool": ToolProps,
    "MCPServer": MCPServerProps,
    "Workload": WorkloadProps,
    "Identity": IdentityProps,
    "DataStore": DataStoreProps,
    "Sink": SinkProps,
    "Guardrail": GuardrailProps,
    "Owner": OwnerProps,
}


DEFAULTS: dict[str, dict[str, Any]] = {
    kind: {name: field.get_default(call_default_factory=True)
           for name, field in model.model_fields.items()
           if not field.is_required() and field.get_default(call_default_factory=True) is not None}
    for kind, model in NODE_MODELS.items()
}
"""Per kind, the defaults that fill what no source gave when a snapshot is read."""
