"""Every ingestor airgraph has: its name, what it reads, and the extra it needs.

``airgraph ingest --help`` and the README's table of sources come from here. An
ingestor is a module that turns its input into :class:`~airgraph.ingest.records.SourceRecords`
(knowing nothing of stores) plus a thin CLI command in ``airgraph.cli.ingest.<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["INGESTORS", "Ingestor"]


@dataclass(frozen=True, slots=True)
class Ingestor:
    name: str
    summary: str
    source: str
    """How its source is named (what a re-ingest replaces)."""
    extra: str | None = None
    """The ``pip install 'airgraph[EXTRA]'`` it needs, if any."""


INGESTORS: dict[str, Ingestor] = {i.name: i for i in (
    Ingestor("manifest", "a declarative manifest (YAML/JSON): what no API can discover",
             "manifest:<absolute path>"),
    Ingestor("k8s", "a Kubernetes cluster (live, or kubectl get -o json dumps): workloads, "
             "service accounts, RBAC escalation, exposed AI services, cloud identity joins",
             "k8s:<cluster>", extra="k8s"),
    Ingestor("aws", "one AWS account: IAM with privilege escalation, data stores, Bedrock "
             "agents and Lambda tools (live or offline)", "aws:<account id>", extra="aws"),
    Ingestor("mcp", "MCP client configs, live tool lists (--connect), instruction files: "
             "secrets, scope, poisoning, shadowing, rug pulls", "mcp:<hostname>", extra="mcp"),
    Ingestor("code", "Python source of agents, read never run: agents, tools, models, MCP "
             "servers, entry points", "code:<absolute root>"),
)}
