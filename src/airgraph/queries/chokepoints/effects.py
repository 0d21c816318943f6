"""What removing each removable edge or each node alone does, for every one at once: one
dominator tree of the choke network per untrusted entry point.

A node removed from the network takes, from one entry point, exactly the nodes it
dominates; an arc, the nodes its head dominates when it is the only arc into them from
outside. Weighting a restricted store's exposure node by one counts pairs; weighting every
projection node and every exposure node by one counts the blast radius. Summed over the
entry points these are the pairs a removal cuts and the radius it takes, for every
candidate, at the cost of a few passes over the network per entry point: recomputing
reachability once per candidate costs as much per candidate.

Two removals are not one node: a data store's removal also takes its exposure node (read
edges into it), and a tool's takes its gadgets (the identities it inherits). The first is
exact (the exposure node leads nowhere); for the second the dominator trees bound it, and
:mod:`ranking` recomputes it where the bounds leave its rank open.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from airgraph.graph.kernels import removal_effects as removal_kernel
from airgraph.queries.chokepoints.network import ChokeNetwork, csr

__all__ = ["PAIRS", "RADIUS", "Effects", "Listing", "removal_effects"]

CHUNK_WORK = 200_000_000
"""Arc visits per kernel call: progress is reported between calls, which run on every
core (the kernel releases the GIL)."""
PAIRS, RADIUS = 0, 1


Listing = list[list[tuple[int, int]]]
"""Per arc listed, (entry position, store position) pairs in ascending order."""


@dataclass(frozen=True, eq=False)
class Effects:
    """Sums over the entry points at ``positions``: ``node[PAIRS]``, ``node[RADIUS]`` per
    network node, ``arc[...]`` per network arc, bounds per tool group."""

    positions: np.ndarray
    node: np.ndarray
    arc: np.ndarray
    group_lower: np.ndarray
    group_upper: np.ndarray
    group_tool: np.ndarray
    """The tool of each group (tools with gadgets)."""
    listing: Listing


class _Kernel:
    """The network's arrays in the kernel's form."""

    def __init__(self, net: ChokeNetwork) -> None:
        n = net.n_nodes
        self.indptr, self.dst, order = csr(net.tail, net.head, n)
        self.slot_of_arc = np.empty(len(order), dtype=np.int64)
        self.slot_of_arc[order] = np.arange(len(order))
        self.rindptr, self.rsrc, rorder = csr(net.head, net.tail, n)
        self.rslot = self.slot_of_arc[rorder]
        self.arc_of_slot = order
        weight = np.zeros((2, n), dtype=np.int64)
        weight[PAIRS, net.store_exposure] = 1
        weight[RADIUS, :net.first_gadget] = 1
        self.weight = weight
        self.attached = np.full(n, -1, dtype=np.int64)
        self.attached[net.data_stores] = net.n_real + np.arange(len(net.data_stores))
        tools = net.g.dst[net.gadget_calls]
        self.group_tool, members = np.unique(tools, return_inverse=True)
        self.group = np.full(n, -1, dtype=np.int64)
        self.group[self.group_tool] = np.arange(len(self.group_tool))
        self.group[net.first_gadget:] = members
        self.store_of = np.full(n, -1, dtype=np.int64)
        self.store_of[net.store_exposure] = np.arange(len(net.stores))
        self.work = max(1, len(self.dst))

    def run(self, sources: np.ndarray, watch_slot: np.ndarray, limit: int) -> tuple:
        return removal_kernel(self.indptr, self.dst, self.rindptr, self.rsrc, self.rslot,
                              sources, self.weight, self.attached, self.group,
                              len(self.group_tool), self.store_of, watch_slot, limit)


def removal_effects(net: ChokeNetwork, positions: np.ndarray, list_arcs: np.ndarray,
                    limit: int, advance) -> Effects:
    """Sums of every removal over the entry points at ``positions``, listing the pairs
    the arcs ``list_arcs`` cut."""
    kernel = _Kernel(net)
    watch = kernel.slot_of_arc[list_arcs]
    n_groups = len(kernel.group_tool)
    node = np.zeros((2, net.n_nodes), dtype=np.int64)
    slot_sums = np.zeros((2, len(kernel.dst)), dtype=np.int64)
    lower = np.zeros((2, n_groups), dtype=np.int64)
    upper = np.zeros((2, n_groups), dtype=np.int64)
    listing: Listing = [[] for _ in list_arcs]
    workers = min(os.cpu_count() or 1, len(positions)) or 1
    size = max(1, min(CHUNK_WORK // kernel.work, -(-len(positions) // workers)))
    chunks = [positions[lo:lo + size] for lo in range(0, len(positions), size)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        runs = pool.map(lambda chunk: kernel.run(net.entries[chunk], watch, limit), chunks)
        for chunk, out in zip(chunks, runs, strict=True):  # in order: listings stay sorted
            node += out[0]
            slot_sums += out[1]
            lower += out[2]
            upper += out[3]
            _merge(listing, out[4:], chunk, limit)
            advance()
    return Effects(positions, node, slot_sums[:, kernel.slot_of_arc], lower, upper,
                   kernel.group_tool, listing)


def _merge(listing: Listing, out: tuple, chunk: np.ndarray, limit: int) -> None:
    sources, stores, counts = out
    for i, got in enumerate(listing):
        room = limit - len(got)
        got += [(int(chunk[sources[i, j]]), int(stores[i, j]))
                for j in range(min(int(counts[i]), room))]
