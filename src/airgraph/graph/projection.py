"""From a snapshot to the arrays the kernels walk.

:class:`Projection` is the snapshot as CSR plus node flag arrays. :meth:`Projection.attack_graph`
applies an assumption and the edge semantics of :mod:`airgraph.schema` once, in numpy,
so the kernels see only an ``edge_class`` per edge (control, write, read, send) and a
cost; tool scope, default identities and guardrail gates are already folded in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from airgraph.graph.columns import IdIndex
from airgraph.graph.kernels import Condensation, classify_edges, condense, merge_edges
from airgraph.graph.projection_cache import Bundle, read_bundle, write_bundle
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


_NODE_ARRAYS = ("node_kind", "broad_tool", "gated", "filtered", "sensitive", "external_sink",
                "interactive", "untrusted_entry")
_EDGE_ARRAYS = ("indptr", "src", "dst", "edge_kind", "edge_likelihood", "edge_evidence")
_STRINGS = ("ids", "names", "sensitivity", "exposure")
_GRAPH_ARRAYS = ("indptr", "dst", "edge_class", "likelihood", "cost", "kind", "via")


@dataclass(frozen=True, eq=False)
class Projection:
    """A snapshot's graph: node flags and every edge, grouped by source node (CSR).

    Nodes are in id order (the same on every store), so a node's row is found by binary
    search (:attr:`index`) and rows sorted by position are sorted by id. ``cache`` is
    the on-disk cache entry (see :mod:`projection_cache`) where attack graphs and
    condensations are kept once computed, or None.
    """

    snapshot: int
    ids: Sequence[str]
    names: Sequence[str]
    node_kind: np.ndarray
    broad_tool: np.ndarray
    gated: np.ndarray
    filtered: np.ndarray
    sensitive: np.ndarray
    sensitivity: Sequence[str | None]
    external_sink: np.ndarray
    interactive: np.ndarray
    exposure: Sequence[str | None]
    untrusted_entry: np.ndarray
    indptr: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    edge_kind: np.ndarray
    edge_likelihood: np.ndarray
    edge_evidence: np.ndarray
    """Evidence code per edge (:data:`airgraph.schema.EVIDENCE_STRENGTH`, 0 strongest)."""
    cache: tuple[Path, str] | None = field(default=None, repr=False)
    """(entry folder, key) of the on-disk cache, or None."""
    _graphs: dict[str, AttackGraph] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rows(cls, snapshot: int, rows: ProjectionRows) -> Projection:
        rows = _in_id_order(rows)
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
    def index(self) -> IdIndex:
        """Row of an id (``index[id]``, ``index.get(id)``, ``id in index``)."""
        return IdIndex(self.ids)

    def cached(self, entry: Path, key: str) -> Projection:
        """Write this projection to the cache entry and return it, knowing its entry."""
        write_bundle(entry, "projection", key,
                     {name: getattr(self, name) for name in (*_NODE_ARRAYS, *_EDGE_ARRAYS)},
                     {name: getattr(self, name) for name in _STRINGS},
                     {"snapshot": self.snapshot, "node_kinds": [k.value for k in NodeKind],
                      "edge_kinds": [k.value for k in EdgeKind]})
        return dataclasses.replace(self, cache=(entry, key), _graphs={})

    @classmethod
    def from_cache(cls, entry: Path, key: str) -> Projection | None:
        """The projection kept in a cache entry, memory-mapped, or None."""
        bundle = read_bundle(entry, "projection", key)
        if bundle is None or not _same_kinds(bundle):
            return None
        return cls(snapshot=bundle.meta["snapshot"], cache=(entry, key),
                   **bundle.arrays, **bundle.strings)  # type: ignore[arg-type]

    def edge_evidence_of(self, src: int, dst: int, kind: EdgeKind) -> int:
        """Evidence code of the edge ``src -kind-> dst`` (inferred when there is none)."""
        row = slice(self.indptr[src], self.indptr[src + 1])
        hit = np.flatnonzero((self.dst[row] == dst) & (self.edge_kind[row] == EDGE_CODE[kind]))
        return int(self.edge_evidence[row][hit[0]]) if len(hit) else len(Evidence) - 1

    def is_kind(self, kind: NodeKind) -> np.ndarray:
        return self.node_kind == NODE_CODE[kind]

    def attack_graph(self, assume: Assumption) -> AttackGraph:
        """The graph an attacker walks under ``assume``, built once per assumption (and
        per snapshot, when the projection is cached on disk)."""
        if assume not in self._graphs:
            self._graphs[assume] = AttackGraph.load_or_build(self, assume)
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
    cache: tuple[Path, str] | None = field(default=None, repr=False)
    _condensed: dict[bool, Condensation] = field(default_factory=dict, repr=False)

    @classmethod
    def load_or_build(cls, p: Projection, assume: Assumption) -> AttackGraph:
        if p.cache is None:
            return cls.build(p, assume)
        entry, key = p.cache
        name = f"attack-{assume}"
        bundle = read_bundle(entry, name, key)
        if bundle is not None:
            return cls(assume=assume, cache=(entry, f"{key}|{name}"), **bundle.arrays)
        graph = cls.build(p, assume)
        write_bundle(entry, name, key, {a: getattr(graph, a) for a in _GRAPH_ARRAYS})
        return dataclasses.replace(graph, cache=(entry, f"{key}|{name}"))

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
        """Strongly connected components of the control edges, computed once (and kept in
        the cache entry, when there is one)."""
        if feeds not in self._condensed:
            self._condensed[feeds] = self._load_or_condense(feeds)
        return self._condensed[feeds]

    def _load_or_condense(self, feeds: bool) -> Condensation:
        name = f"{'condensed' if feeds else 'condensed-nofeeds'}-{self.assume}"
        if self.cache is not None:
            bundle = read_bundle(self.cache[0], name, self.cache[1])
            if bundle is not None:
                a = bundle.arrays
                return Condensation(a["comp"], int(bundle.meta["n_comp"]), a["members"],
                                    a["member_start"])
        found = condense(self.indptr, self.dst, self.follow(feeds=feeds))
        if self.cache is not None:
            write_bundle(self.cache[0], name, self.cache[1],
                         {"comp": found.comp, "members": found.members,
                          "member_start": found.member_start}, meta={"n_comp": found.n_comp})
        return found

    def follow(self, *, feeds: bool = True) -> np.ndarray:
        """Edges that carry control; without FEEDS when ``feeds`` is False."""
        carries = (self.edge_class == EdgeClass.CONTROL) | (self.edge_class == EdgeClass.WRITE)
        if not feeds:
            carries &= self.kind != EDGE_CODE[EdgeKind.FEEDS]
        return carries


def _in_id_order(rows: ProjectionRows) -> ProjectionRows:
    """The rows with nodes sorted by id, so every store gives the same projection."""
    ids = rows.ids
    if all(a < b for a, b in zip(ids, ids[1:])):
        return rows
    order = sorted(range(len(ids)), key=ids.__getitem__)
    perm = np.array(order, dtype=np.int64)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[perm] = np.arange(len(ids))

    def pick(values: list) -> list:  # type: ignore[type-arg]
        return [values[i] for i in order]

    return dataclasses.replace(
        rows, ids=pick(rows.ids), names=pick(rows.names), node_kind=rows.node_kind[perm],
        capabilities_execute=rows.capabilities_execute[perm],
        guard_mode=pick(rows.guard_mode), sensitivity=pick(rows.sensitivity),
        external=rows.external[perm], interactive=rows.interactive[perm],
        exposure=pick(rows.exposure), edge_src=rank[rows.edge_src], edge_dst=rank[rows.edge_dst])


def _same_kinds(bundle: Bundle) -> bool:
    """Whether the cached codes stand for today's kinds (a changed schema rebuilds)."""
    return (bundle.meta.get("node_kinds") == [k.value for k in NodeKind]
            and bundle.meta.get("edge_kinds") == [k.value for k in EdgeKind])


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
