"""From a snapshot to the arrays the kernels walk.

:class:`Projection` is the snapshot as CSR plus node flag arrays. :meth:`Projection.attack_graph`
applies an assumption and the edge semantics of :mod:`airgraph.schema` once, in numpy,
so the kernels see only an ``edge_class`` per edge (control, write, read, send) and a
cost; tool scope, default identities and guardrail gates are already folded in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from airgraph.graph.kernels import Condensation, classify_edges, condense, merge_edges
from airgraph.graph.store import ProjectionRows
from airgraph.schema import (
    EDGE_SPECS,
    FILTER_MULTIPLIER,
    SENSITIVE,
    UNTRUSTED_EXPOSURES,
    Assumption,
    EdgeClass,
    EdgeKind,
    Evidence,
    NodeKind,
    Semantics,
)

__all__ = ["AttackGraph", "Projection", "NODE_CODE", "EDGE_CODE"]

NODE_CODE = {kind: np.int8(i) for i, kind in enumerate(NodeKind)}
EDGE_CODE = {kind: np.int8(i) for i, kind in enumerate(EdgeKind)}
_EDGE_KINDS = list(EdgeKind)
_DEFAULT_LIKELIHOOD = np.array([EDGE_SPECS[k].likelihood for k in EdgeKind])
_SCOPED_KIND = np.array([EDGE_SPECS[k].semantics == Semantics.SCOPED_CONTROL for k in EdgeKind])
_BASE_CLASS = np.array([
    {Semantics.CONTROL: EdgeClass.CONTROL, Semantics.WRITE: EdgeClass.WRITE,
     Semantics.READ: EdgeClass.READ, Semantics.OUTPUT: EdgeClass.SEND}.get(
        EDGE_SPECS[k].semantics, EdgeClass.NONE) for k in EdgeKind], dtype=np.int8)


@dataclass(frozen=True, eq=False)
class Projection:
    """A snapshot's graph: node flags and every edge, grouped by source node (CSR)."""

    snapshot: int
    ids: list[str]
    names: list[str]
    node_kind: np.ndarray
    broad_tool: np.ndarray
    gated: np.ndarray
    filtered: np.ndarray
    sensitive: np.ndarray
    sensitivity: list[str | None]
    external_sink: np.ndarray
    interactive: np.ndarray
    exposure: list[str | None]
    untrusted_entry: np.ndarray
    indptr: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    edge_kind: np.ndarray
    edge_likelihood: np.ndarray
    edge_evidence: np.ndarray
    """Evidence code per edge (:data:`airgraph.schema.EVIDENCE_STRENGTH`, 0 strongest)."""
    _graphs: dict[str, AttackGraph] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rows(cls, snapshot: int, rows: ProjectionRows) -> Projection:
        n = len(rows.ids)
        order = np.argsort(rows.edge_src, kind="stable")
        src = rows.edge_src[order].astype(np.int64)
        dst = rows.edge_dst[order].astype(np.int32)
        kind = rows.edge_kind[order].astype(np.int8)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        guarded = kind == EDGE_CODE[EdgeKind.GUARDED_BY]
        modes = np.array([m or "" for m in rows.guard_mode], dtype=object)
        guard_mode = modes[dst[guarded]] if n else np.array([], dtype=object)
        gated = np.zeros(n, dtype=bool)
        gated[src[guarded][guard_mode == "human_approval"]] = True
        filtered = np.zeros(n, dtype=bool)
        filtered[src[guarded][np.isin(guard_mode, ["input_filter", "output_filter"])]] = True
        is_entry = rows.node_kind == NODE_CODE[NodeKind.ENTRY_POINT]
        return cls(
            snapshot=snapshot,
            ids=rows.ids,
            names=rows.names,
            node_kind=rows.node_kind,
            broad_tool=rows.capabilities_execute & (rows.node_kind == NODE_CODE[NodeKind.TOOL]),
            gated=gated,
            filtered=filtered,
            sensitive=np.array([s in SENSITIVE for s in rows.sensitivity], dtype=bool),
            sensitivity=rows.sensitivity,
            external_sink=rows.external & (rows.node_kind == NODE_CODE[NodeKind.SINK]),
            interactive=rows.interactive & is_entry,
            exposure=rows.exposure,
            untrusted_entry=is_entry & np.array([e in UNTRUSTED_EXPOSURES for e in rows.exposure],
                                                dtype=bool),
            indptr=indptr,
            src=src,
            dst=dst,
            edge_kind=kind,
            edge_likelihood=_with_defaults(rows.edge_likelihood[order], kind),
            edge_evidence=rows.edge_evidence[order].astype(np.int8),
        )

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        return {node_id: i for i, node_id in enumerate(self.ids)}

    def edge_evidence_of(self, src: int, dst: int, kind: EdgeKind) -> int:
        """Evidence code of the edge ``src -kind-> dst`` (inferred when there is none)."""
        row = slice(self.indptr[src], self.indptr[src + 1])
        hit = np.flatnonzero((self.dst[row] == dst) & (self.edge_kind[row] == EDGE_CODE[kind]))
        return int(self.edge_evidence[row][hit[0]]) if len(hit) else len(Evidence) - 1

    def is_kind(self, kind: NodeKind) -> np.ndarray:
        return self.node_kind == NODE_CODE[kind]

    def attack_graph(self, assume: Assumption) -> AttackGraph:
        """The graph an attacker walks under ``assume``, built once per assumption."""
        if assume not in self._graphs:
            self._graphs[assume] = AttackGraph.build(self, assume)
        return self._graphs[assume]


@dataclass(frozen=True, eq=False)
class AttackGraph:
    """Edges that matter to an attacker under one assumption, as CSR.

    ``edge_class`` holds :class:`EdgeClass` codes; ``via`` is the tool a derived
    default-identity edge (agent -> identity) passes through, else -1; ``kind`` the
    original edge kind (RUNS_AS for derived edges).
    """

    assume: str
    indptr: np.ndarray
    dst: np.ndarray
    edge_class: np.ndarray
    likelihood: np.ndarray
    cost: np.ndarray
    kind: np.ndarray
    via: np.ndarray
    _condensed: dict[bool, Condensation] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, p: Projection, assume: Assumption) -> AttackGraph:
        realistic = assume == "realistic"
        broad = p.broad_tool | (p.is_kind(NodeKind.TOOL) if not realistic else False)
        scoped_src = (p.is_kind(NodeKind.MCP_SERVER) | p.is_kind(NodeKind.WORKLOAD) | broad)
        edge_class, likelihood = classify_edges(
            p.src, p.dst, p.edge_kind, p.edge_likelihood, _BASE_CLASS, _SCOPED_KIND, scoped_src,
            p.gated, p.filtered, realistic, FILTER_MULTIPLIER)
        derived = _default_identity_edges(p, broad, edge_class, likelihood, realistic)
        indptr, dst, classes, lik, kind, via = merge_edges(
            p.n_nodes, p.src, p.dst, p.edge_kind, edge_class, likelihood, derived,
            EDGE_CODE[EdgeKind.RUNS_AS], EdgeClass.CONTROL)
        return cls(assume=assume, indptr=indptr, dst=dst, edge_class=classes, likelihood=lik,
                   cost=-np.log(lik), kind=kind, via=via)

    def condensation(self, *, feeds: bool = True) -> Condensation:
        """Strongly connected components of the control edges, computed once."""
        if feeds not in self._condensed:
            self._condensed[feeds] = condense(self.indptr, self.dst, self.follow(feeds=feeds))
        return self._condensed[feeds]

    def follow(self, *, feeds: bool = True) -> np.ndarray:
        """Edges that carry control; without FEEDS when ``feeds`` is False."""
        carries = (self.edge_class == EdgeClass.CONTROL) | (self.edge_class == EdgeClass.WRITE)
        if not feeds:
            carries &= self.kind != EDGE_CODE[EdgeKind.FEEDS]
        return carries


def _with_defaults(likelihood: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """An edge's own likelihood where it has one (not NaN), else its kind's default."""
    missing = np.isnan(likelihood)
    likelihood = likelihood.copy()
    likelihood[missing] = _DEFAULT_LIKELIHOOD[kind[missing]]
    return likelihood


def _default_identity_edges(p: Projection, broad: np.ndarray, edge_class: np.ndarray,
                            likelihood: np.ndarray, realistic: bool
                            ) -> tuple[np.ndarray, ...]:
    """Agent -> identity edges through each broad tool that names no identity of its own.

    Returns (src, dst, likelihood, via tool).
    """
    src, dst, kind = p.src, p.dst, p.edge_kind
    runs_as = kind == EDGE_CODE[EdgeKind.RUNS_AS]
    has_identity = np.zeros(p.n_nodes, dtype=bool)
    has_identity[src[runs_as]] = True
    calls = np.flatnonzero((kind == EDGE_CODE[EdgeKind.CALLS]) & broad[dst]
                           & ~has_identity[dst] & (edge_class != EdgeClass.NONE))
    agent_runs_as = np.flatnonzero(runs_as & (p.node_kind[src] == NODE_CODE[NodeKind.AGENT]))
    if realistic:
        agent_runs_as = agent_runs_as[~p.gated[dst[agent_runs_as]]]
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
    if len(calls) == 0 or len(agent_runs_as) == 0:
        return empty
    by_agent = np.argsort(src[agent_runs_as], kind="stable")
    agent_runs_as = agent_runs_as[by_agent]
    agents = src[agent_runs_as]
    lo = np.searchsorted(agents, src[calls], side="left")
    hi = np.searchsorted(agents, src[calls], side="right")
    counts = hi - lo
    call_rep = np.repeat(calls, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    ident_edges = agent_runs_as[np.repeat(lo, counts) + offsets]
    if len(call_rep) == 0:
        return empty
    ident_lik = p.edge_likelihood[ident_edges]
    if realistic:
        ident_lik = np.where(p.filtered[dst[ident_edges]], ident_lik * FILTER_MULTIPLIER, ident_lik)
    by_source = np.argsort(src[call_rep], kind="stable")
    return (src[call_rep][by_source].astype(np.int64), dst[ident_edges][by_source].astype(np.int64),
            (likelihood[call_rep] * ident_lik)[by_source], dst[call_rep][by_source].astype(np.int64))
