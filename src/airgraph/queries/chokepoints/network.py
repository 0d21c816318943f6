"""The choke network: the attack graph as a flow network from untrusted entry points to the
exposure of data stores, with the removable edges marked.

* each control edge of the attack graph, capacity 1 when its kind is removable
  (:data:`REMOVABLE`), else :data:`INF`;
* each data store S has an exposure node: S -> it (S is entered only through a write edge,
  which exposes it), and each read edge into S -> it;
* a derived default-identity edge A -> I (broad tool T inherits agent A's identity) hangs
  off a gadget node for A's CALLS edge to T: A -> gadget (the CALLS edge) -> T (infinite),
  and gadget -> I (the derived edge, shown as A's RUNS_AS through T); so removing the CALLS
  edge also removes what T inherits through it, as removing it from the estate would.

Every ordering derived from it uses ids, never node indices: the projection's index order
depends on the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airgraph.graph.kernels import reach_bits
from airgraph.graph.projection import EDGE_CODE, AttackGraph, Projection
from airgraph.schema import Assumption, EdgeClass, EdgeKind, NodeKind

__all__ = ["INF", "REMOVABLE", "ChokeNetwork", "EdgeLabel", "build_network", "csr"]

REMOVABLE: frozenset[EdgeKind] = frozenset({
    EdgeKind.CALLS, EdgeKind.CAN_ASSUME, EdgeKind.CAN_READ, EdgeKind.READS, EdgeKind.CAN_WRITE,
    EdgeKind.WRITES, EdgeKind.RUNS_AS, EdgeKind.FEEDS, EdgeKind.DELEGATES})
"""Edge kinds a defender can remove: permissions, tool grants, role trusts, bindings."""
INF = 1 << 60
"""Capacity of an edge that cannot be removed; a flow this large means no finite cut."""

EdgeLabel = tuple[str, str, str, str]
"""(from id, kind, to id, via id or ""): how edges are told apart and ordered."""

_KINDS = list(EdgeKind)


@dataclass(frozen=True, eq=False)
class ChokeNetwork:
    """The choke network of one projection and assumption.

    Nodes ``0..n_real-1`` are the projection's; ``n_real + i`` is the exposure node of data
    store ``data_stores[i]``; the gadget nodes follow. ``entries`` and ``stores`` (the
    restricted data stores) are in id order.
    """

    p: Projection
    g: AttackGraph
    src: np.ndarray
    """Source node of each attack-graph edge."""
    entries: np.ndarray
    stores: np.ndarray
    data_stores: np.ndarray
    store_exposure: np.ndarray
    """Exposure node of each restricted store, in the order of ``stores``."""
    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    edge: np.ndarray
    """Attack-graph edge each arc stands for; -1 for the network's own arcs."""
    gadget_calls: np.ndarray
    """The CALLS edge of each gadget node (nodes ``first_gadget + i``)."""

    @property
    def n_real(self) -> int:
        return self.p.n_nodes

    @property
    def first_gadget(self) -> int:
        return self.n_real + len(self.data_stores)

    @property
    def n_nodes(self) -> int:
        return self.first_gadget + len(self.gadget_calls)

    @property
    def removable(self) -> np.ndarray:
        """Arcs that stand for a removable edge."""
        return (self.edge >= 0) & (self.cap < INF)

    def real_node(self, v: np.ndarray) -> np.ndarray:
        """The projection node behind network nodes: a gadget stands for its agent."""
        v = np.asarray(v, dtype=np.int64)
        gadget = v >= self.first_gadget
        out = v.copy()
        out[gadget] = self.src[self.gadget_calls[v[gadget] - self.first_gadget]]
        return out

    def label(self, arc: int) -> EdgeLabel:
        """(from, kind, to, via) of the attack-graph edge behind a network arc."""
        ids, g = self.p.ids, self.g
        e = int(self.edge[arc])
        via = int(g.via[e])
        return (ids[self.src[e]], _KINDS[g.kind[e]].value, ids[g.dst[e]],
                ids[via] if via >= 0 else "")

    def on_route(self) -> tuple[np.ndarray, np.ndarray]:
        """Nodes reached from an untrusted entry point, and nodes from which a restricted
        store's exposure is reached: an arc from the first to the second carries pairs."""
        n = self.n_nodes
        forward = _reached(self.tail, self.head, n, self.entries)
        backward = _reached(self.head, self.tail, n, self.store_exposure)
        return forward, backward


def csr(tail: np.ndarray, head: np.ndarray, n_nodes: int
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR of arcs ``tail -> head``, and the arc in each CSR slot."""
    order = np.argsort(tail, kind="stable")
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n_nodes), out=indptr[1:])
    return indptr, np.ascontiguousarray(head[order], dtype=np.int32), order


def _reached(tail: np.ndarray, head: np.ndarray, n_nodes: int, starts: np.ndarray
             ) -> np.ndarray:
    """Nodes reached from any of ``starts``, through one super-source (a single bit)."""
    if len(starts) == 0:
        return np.zeros(n_nodes, dtype=bool)
    root = np.full(len(starts), n_nodes, dtype=np.int64)
    indptr, dst, _ = csr(np.concatenate([tail, root]), np.concatenate([head, starts]),
                         n_nodes + 1)
    bits = reach_bits(indptr, dst, np.ones(len(dst), dtype=np.bool_),
                      np.array([n_nodes], dtype=np.int64))
    return bits[:n_nodes, 0] != 0


def _by_id(ids: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    return nodes[np.argsort(ids[nodes], kind="stable")].astype(np.int64)


def build_network(p: Projection, assume: Assumption, removable: frozenset[EdgeKind]
                  ) -> ChokeNetwork:
    """The choke network of the module docstring, for the removable edge kinds given."""
    g = p.attack_graph(assume)
    n = p.n_nodes
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(g.indptr))
    ids = np.array(p.ids, dtype=object)
    is_store = p.is_kind(NodeKind.DATA_STORE)
    restricted = is_store & (np.array(p.sensitivity, dtype=object) == "restricted")
    entries = _by_id(ids, np.flatnonzero(p.untrusted_entry))
    stores = _by_id(ids, np.flatnonzero(restricted))
    data_stores = np.flatnonzero(is_store).astype(np.int64)
    exposure = np.full(n, -1, dtype=np.int64)
    exposure[data_stores] = n + np.arange(len(data_stores))

    cap = np.where(np.isin(g.kind, [EDGE_CODE[k] for k in removable]), 1, INF).astype(np.int64)
    derived = np.flatnonzero(g.via >= 0)
    calls = np.flatnonzero(g.kind == EDGE_CODE[EdgeKind.CALLS])
    key = src[calls] * n + g.dst[calls]
    order = np.argsort(key, kind="stable")
    key, calls = key[order], calls[order]
    wanted = src[derived] * n + g.via[derived]
    at = np.searchsorted(key, wanted)
    if len(derived) and (at.max() >= len(key) or not np.array_equal(key[at], wanted)):
        raise AssertionError("a default-identity edge without the CALLS edge it passes through")
    parent = calls[at]
    gadget_calls = np.unique(parent).astype(np.int64)
    gadgets = n + len(data_stores) + np.arange(len(gadget_calls), dtype=np.int64)
    plain = g.follow().copy()
    plain[derived] = False
    plain[gadget_calls] = False
    plain_edges = np.flatnonzero(plain)
    reads = np.flatnonzero((g.edge_class == EdgeClass.READ) & is_store[g.dst])
    unlimited, none = np.full(len(gadget_calls), INF), np.full(len(gadget_calls), -1)
    parts = [  # (tail, head, capacity, attack-graph edge)
        (src[plain_edges], g.dst[plain_edges], cap[plain_edges], plain_edges),
        (src[gadget_calls], gadgets, cap[gadget_calls], gadget_calls),
        (gadgets, g.dst[gadget_calls], unlimited, none),
        (gadgets[np.searchsorted(gadget_calls, parent)], g.dst[derived], cap[derived], derived),
        (src[reads], exposure[g.dst[reads]], cap[reads], reads),
        (data_stores, exposure[data_stores], np.full(len(data_stores), INF),
         np.full(len(data_stores), -1)),
    ]
    tail, head, capacity, edge = (np.concatenate([part[i] for part in parts]).astype(np.int64)
                                  for i in range(4))
    return ChokeNetwork(p, g, src, entries, stores, data_stores, exposure[stores], tail, head,
                        capacity, edge, gadget_calls)
