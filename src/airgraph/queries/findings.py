"""Every finding of a snapshot, whoever produced it: the ingestors' (attached to nodes)
and the graph's own (lethal trifecta, untrusted reach, unguarded tools, ownership)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from airgraph.catalogue import rule, severity_rank
from airgraph.graph.merge import MergedNode
from airgraph.graph.projection import EDGE_CODE, Projection
from airgraph.queries.pairs import BitRows, bit_ids, untrusted_reach
from airgraph.queries.trifecta import lethal_trifecta
from airgraph.schema import Assumption, EdgeKind, Evidence, NodeKind

__all__ = ["Finding", "Findings", "snapshot_findings"]

_OWNED = (NodeKind.AGENT, NodeKind.TOOL, NodeKind.MCP_SERVER)
_INFERRED = Evidence.INFERRED.value
_FEW = 3
"""Ids named in a finding's message before '(+N more)'."""


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    node: str
    message: str
    evidence: str
    file: str | None
    line: int | None
    owner: str | None
    source: str
    """Every source describing the node, comma-separated."""

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "node": self.node,
                "message": self.message, "evidence": self.evidence, "file": self.file,
                "line": self.line, "owner": self.owner, "source": self.source}


@dataclass(frozen=True, slots=True)
class Findings:
    snapshot: int
    assume: str
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "assume": self.assume,
                "findings": [f.to_dict() for f in self.findings]}


def snapshot_findings(p: Projection, nodes: Sequence[MergedNode], assume: Assumption,
                      *, severity: str | None = None, rule_id: str | None = None) -> Findings:
    """All findings, most severe first, then by node, rule and message.

    ``nodes`` are the snapshot's merged nodes (their ``findings`` and owners);
    ``severity`` keeps findings at least that severe; ``rule_id`` keeps one rule.
    """
    by_id = {m.record.id: m.record for m in nodes}
    sources = {m.record.id: ", ".join(m.sources) for m in nodes}
    owners = _owners(p, by_id)
    found = [*_attached(by_id.values()), *_computed(p, assume)]
    found += [("unowned-component", node_id, f"{by_id[node_id].kind} without an owner",
               _INFERRED, None, None, None) for node_id in _unowned(owners, by_id)]
    out = []
    for rule_name, node_id, message, evidence, file, line, own_severity in found:
        record = by_id.get(node_id)
        level = own_severity or rule(rule_name).severity
        if severity is not None and severity_rank(level) > severity_rank(severity):
            continue
        if rule_id is not None and rule_name != rule_id:
            continue
        props = record.props if record is not None else {}
        out.append(Finding(rule_name, level, node_id, message, evidence,
                           file if file is not None else props.get("file"),
                           line if line is not None else props.get("line"),
                           owners.get(node_id), sources.get(node_id, "")))
    out.sort(key=lambda f: (severity_rank(f.severity), f.node, f.rule, f.message))
    return Findings(p.snapshot, assume, tuple(out))


_Raw = tuple[str, str, str, str, "str | None", "int | None", "str | None"]


def _attached(records: Iterable[Any]) -> list[_Raw]:
    out: list[_Raw] = []
    for record in records:
        for f in record.props.get("findings") or ():
            out.append((f["rule"], record.id, f["message"], f.get("evidence") or record.evidence,
                        f.get("file"), f.get("line"), f.get("severity")))
    return out


def _computed(p: Projection, assume: Assumption) -> list[_Raw]:
    """The graph's own findings, from the trifecta's counts and the untrusted entry
    points' bitsets (no blast radius is built)."""
    out: list[_Raw] = []
    for c in lethal_trifecta(p, assume).counts:
        first = c.first
        out.append(("lethal-trifecta", c.id,
                    f"untrusted input from {_few(first.untrusted_inputs, c.untrusted_inputs)}; "
                    f"sensitive data {_few(first.sensitive_data, c.sensitive_data)}; way out "
                    f"{_few(first.external_sinks, c.external_sinks) or 'an interactive reply'}",
                    _INFERRED, None, None, None))
    reach = untrusted_reach(p, assume)
    for entry, count, stores in _rows(p, reach.exposed.transposed()):
        out.append(("untrusted-reaches-restricted", entry,
                    f"reaches {count} restricted store(s): {_few(stores, count)}",
                    _INFERRED, None, None, None))
    for tool, count, starts in _rows(p, reach.held.select(p.broad_tool & ~p.gated)):
        out.append(("unguarded-broad-tool", tool,
                    f"executes code and is reachable from {_few(starts, count)} "
                    "without human approval", _INFERRED, None, None, None))
    return out


def _rows(p: Projection, rows: BitRows) -> Iterator[tuple[str, int, list[str]]]:
    """Each row node with any bit set: its id, how many bits, the first few columns' ids."""
    counts = rows.counts()
    for i in np.flatnonzero(counts):
        first = [p.ids[rows.columns[j]] for j in bit_ids(rows.bits[i], _FEW)]
        yield p.ids[rows.rows[i]], int(counts[i]), first


def _owners(p: Projection, records: dict[str, Any]) -> dict[str, str]:
    owned_by = p.edge_kind == EDGE_CODE[EdgeKind.OWNED_BY]
    owners = {p.ids[int(s)]: p.ids[int(d)] for s, d in zip(p.src[owned_by], p.dst[owned_by])}
    for node_id, record in records.items():
        if record.props.get("owner"):
            owners[node_id] = record.props["owner"]
    return owners


def _unowned(owners: dict[str, str], records: dict[str, Any]) -> list[str]:
    return sorted(i for i, r in records.items() if r.kind in _OWNED and i not in owners)


def _few(first: Sequence[str], total: int) -> str:
    """The first ids of a list of ``total``, and how many more."""
    shown = ", ".join(first[:_FEW])
    return f"{shown} (+{total - _FEW} more)" if total > _FEW else shown
