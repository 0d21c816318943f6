"""Typed entry points to the numba kernels, with one-time compilation kept off the critical path.

numba compiles each kernel on first use (tens of seconds for all of them on a
small machine) and caches the result on disk. Until that cache is known to be
warm, small problems run the kernels' plain-Python versions (same code, same
answers, instant on a few thousand edges) while a background process compiles
them; large problems compile in line, once, and say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from airgraph.graph.kernels import _warmup

__all__ = ["Condensation", "classify_edges", "condense", "count_bits", "count_columns",
           "count_transposed", "dominated_weight", "exposure_bits", "exposure_rows",
           "merge_edges", "min_cut", "most_likely_path", "pack_mask", "path_costs",
           "propagate_bits", "propagate_components", "reach_bits", "reach_mask",
           "removal_effects", "reverse_csr", "transpose_bits"]

_SMALL_WORK = 200_000
"""Below this many edge-words a kernel runs as plain Python when not yet compiled."""


def _kernel(name: str, work: int) -> Callable[..., Any]:
    module = _warmup.kernel_module(name)
    jitted = getattr(module, name)
    chosen = _warmup.mode()
    if chosen == "python":
        return jitted.py_func
    if chosen == "compiled" or _warmup.is_warm():
        return jitted
    if work <= _SMALL_WORK:
        _warmup.warm_in_background()
        return jitted.py_func
    _warmup.compile_now()
    return jitted


def reach_bits(indptr: np.ndarray, dst: np.ndarray, follow: np.ndarray,
               sources: np.ndarray) -> np.ndarray:
    """Multi-source reachability as a ``(n_nodes, ceil(len(sources)/64))`` uint64 bitset.

    Bit ``j`` of row ``v`` is set when node ``v`` is reachable from ``sources[j]``
    over edges ``e`` with ``follow[e]`` (each source reaches itself).
    """
    n_nodes = len(indptr) - 1
    if len(follow) != len(dst):
        raise ValueError("follow must have one flag per edge")
    sources = np.ascontiguousarray(sources, dtype=np.int64)
    if len(sources) and (sources.min() < 0 or sources.max() >= n_nodes):
        raise ValueError("source index out of range")
    words = max(1, (len(sources) + 63) // 64)
    kernel = _kernel("reach_bits", len(dst) * words)
    return kernel(indptr, dst, follow, sources, n_nodes)


def exposure_bits(indptr: np.ndarray, dst: np.ndarray, edge_class: np.ndarray,
                  seen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sources reading, writing and sending to each node, given the nodes they hold."""
    kernel = _kernel("exposure_bits", len(dst) * seen.shape[1])
    return kernel(indptr, dst, edge_class, seen)


def exposure_rows(indptr: np.ndarray, dst: np.ndarray, edge_class: np.ndarray,
                  condensation: Condensation, comp_bits: np.ndarray, row_of: np.ndarray,
                  n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`exposure_bits` from per-component bits, for the nodes ``row_of`` numbers only
    (``row_of[v]`` is ``v``'s row, -1 for nodes left out)."""
    kernel = _kernel("exposure_rows", len(dst) * comp_bits.shape[1])
    return kernel(indptr, dst, edge_class, condensation.comp, comp_bits, row_of, np.int64(n_rows))


def propagate_components(indptr: np.ndarray, dst: np.ndarray, follow: np.ndarray,
                         condensation: Condensation, sources: np.ndarray) -> np.ndarray:
    """Per component, the sources that reach it (``(n_comp, words)``); see
    :func:`propagate_bits`, which expands this to nodes."""
    sources = np.ascontiguousarray(sources, dtype=np.int64)
    c = condensation
    kernel = _kernel("propagate_bits", len(dst) * max(1, (len(sources) + 63) // 64))
    return kernel(indptr, dst, follow, c.comp, c.n_comp, c.members, c.member_start, sources)


def reverse_csr(indptr: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """In-edges grouped by the node they enter: ``rindptr`` and ``redge`` (edge indices)."""
    return _kernel("reverse_csr", len(dst))(indptr, dst)


def reach_mask(indptr: np.ndarray, nbr: np.ndarray, follow: np.ndarray, sources: np.ndarray
               ) -> np.ndarray:
    """Boolean mask of the nodes reachable from ``sources`` over edges with ``follow``."""
    return _kernel("reach_mask", len(nbr))(indptr, nbr, follow,
                                           np.ascontiguousarray(sources, dtype=np.int64))


def path_costs(indptr: np.ndarray, nbr: np.ndarray, edge_class: np.ndarray, cost: np.ndarray,
               source: int, target: int, reverse: bool) -> np.ndarray:
    """Cheapest attack-path cost from ``source`` to every node (see ``paths.path_costs``)."""
    return _kernel("path_costs", len(nbr))(indptr, nbr, edge_class, cost, source, target,
                                           reverse)


def removal_effects(indptr: np.ndarray, dst: np.ndarray, rindptr: np.ndarray,
                    rsrc: np.ndarray, rslot: np.ndarray, sources: np.ndarray,
                    weight: np.ndarray, attached: np.ndarray, group: np.ndarray, n_groups: int,
                    store_of: np.ndarray, watch_slot: np.ndarray, limit: int) -> tuple:
    """What removing each node, arc or group alone takes, summed over ``sources`` (see
    ``flow.removal_effects``)."""
    kernel = _kernel("removal_effects", 8 * len(dst) * max(1, len(sources)))
    return kernel(indptr, dst, rindptr, rsrc, rslot,
                  np.ascontiguousarray(sources, dtype=np.int64), weight, attached, group,
                  np.int64(n_groups), store_of, watch_slot, np.int64(limit))


def most_likely_path(indptr: np.ndarray, dst: np.ndarray, edge_class: np.ndarray,
                     cost: np.ndarray, start: int, target: int, banned_node: np.ndarray,
                     banned_edge: np.ndarray) -> np.ndarray:
    """Edge indices of the cheapest (most likely) attack path, or an empty array."""
    kernel = _kernel("most_likely_path", len(dst))
    return kernel(indptr, dst, edge_class, cost, np.int64(start), np.int64(target),
                  banned_node, banned_edge)


@dataclass(frozen=True, slots=True)
class Condensation:
    """Strongly connected components of the followed edges, members grouped by component."""

    comp: np.ndarray
    n_comp: int
    members: np.ndarray
    member_start: np.ndarray


def condense(indptr: np.ndarray, dst: np.ndarray, follow: np.ndarray) -> Condensation:
    """Condense the graph of followed edges into its strongly connected components."""
    comp, n_comp = _kernel("condense", len(dst))(indptr, dst, follow)
    members = np.argsort(comp, kind="stable")
    member_start = np.zeros(n_comp + 1, dtype=np.int64)
    np.cumsum(np.bincount(comp, minlength=n_comp), out=member_start[1:])
    return Condensation(comp, int(n_comp), members, member_start)


def propagate_bits(indptr: np.ndarray, dst: np.ndarray, follow: np.ndarray,
                   condensation: Condensation, sources: np.ndarray) -> np.ndarray:
    """Like :func:`reach_bits`, through a condensation: one pass over the DAG for all sources."""
    sources = np.ascontiguousarray(sources, dtype=np.int64)
    words = max(1, (len(sources) + 63) // 64)
    c = condensation
    kernel = _kernel("propagate_bits", len(dst) * words)
    comp_bits = kernel(indptr, dst, follow, c.comp, c.n_comp, c.members, c.member_start, sources)
    return comp_bits[c.comp]


def transpose_bits(bits: np.ndarray) -> np.ndarray:
    """Per-node source bitsets ``(n, words)`` to per-source node bitsets ``(64 words, n/64)``."""
    return _kernel("transpose_bits", bits.size)(np.ascontiguousarray(bits, dtype=np.uint64))


def pack_mask(mask: np.ndarray) -> np.ndarray:
    """A boolean node mask as uint64 words, bit ``v % 64`` of word ``v // 64``."""
    padded = np.zeros(-(-len(mask) // 64) * 64, dtype=bool)
    padded[:len(mask)] = mask
    return np.packbits(padded, bitorder="little").view(np.uint64)


def count_bits(bits: np.ndarray, mask: np.ndarray, n_sources: int) -> np.ndarray:
    """For each source, how many nodes in ``mask`` have its bit set."""
    return count_columns(bits, [mask], n_sources)[0]


def count_columns(bits: np.ndarray, masks: list[np.ndarray], n_sources: int) -> np.ndarray:
    """``counts[i, j]``: how many nodes in ``masks[i]`` have source ``j``'s bit set."""
    packed = np.ascontiguousarray(np.stack([pack_mask(m) for m in masks]), dtype=np.uint64)
    if packed.shape[1] == 0:
        return np.zeros((len(masks), n_sources), dtype=np.int64)
    return _kernel("count_columns", bits.size)(np.ascontiguousarray(bits, dtype=np.uint64),
                                               packed, n_sources)


def count_transposed(transposed: np.ndarray, packed_mask: np.ndarray, n_sources: int
                     ) -> np.ndarray:
    """:func:`count_bits` on an already transposed bitset and packed mask."""
    return np.bitwise_count(transposed[:n_sources] & packed_mask).sum(axis=1, dtype=np.int64)


def min_cut(tail: np.ndarray, head: np.ndarray, cap: np.ndarray, n_nodes: int, source: int,
            sink: int, limit: int) -> tuple[int, np.ndarray]:
    """Maximum flow from ``source`` to ``sink`` over arcs ``tail[i] -> head[i]`` with
    integer capacities ``cap[i]``, and the source side of a minimum cut.

    The flow stops growing at ``limit`` (give capacities that stand for "infinite" the
    value ``limit``: a flow of ``limit`` means no finite cut exists). The source side is
    the set of nodes reachable from ``source`` in the residual graph, the minimum cut
    closest to the source; the cut arcs are those from it to the rest.
    """
    if not len(tail) == len(head) == len(cap):
        raise ValueError("tail, head and cap must have one entry per arc")
    if not (0 <= source < n_nodes and 0 <= sink < n_nodes) or source == sink:
        raise ValueError("source and sink must be two distinct nodes")
    if len(cap) and (cap.min() < 0 or cap.max() > limit):
        raise ValueError("capacities must lie in [0, limit]")
    flow = _warmup.kernel_module("max_flow")
    indptr, heads, residual, rev, _ = flow.residual_csr(tail, head, cap, n_nodes)
    kernel = _kernel("max_flow", 32 * len(heads))  # plain Python is slow at it
    value, side = kernel(indptr, heads, residual, rev, np.int64(source), np.int64(sink),
                         np.int64(limit))
    return int(value), side


def dominated_weight(indptr: np.ndarray, dst: np.ndarray, rindptr: np.ndarray,
                     rdst: np.ndarray, source: int, weight: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Immediate dominators from ``source`` (-1 where unreached) and, per node, the total
    ``weight`` of the nodes it dominates (itself included). ``rindptr``/``rdst`` are the
    same graph reversed."""
    if len(indptr) != len(rindptr) or len(dst) != len(rdst) or len(weight) != len(indptr) - 1:
        raise ValueError("the graph, its reverse and the weights must agree in size")
    kernel = _kernel("dominated_weight", 8 * len(dst))
    return kernel(indptr, np.ascontiguousarray(dst, dtype=np.int32), rindptr,
                  np.ascontiguousarray(rdst, dtype=np.int32), np.int64(source),
                  np.ascontiguousarray(weight, dtype=np.int64))


def classify_edges(src: np.ndarray, dst: np.ndarray, kind: np.ndarray, likelihood: np.ndarray,
                   base_class: np.ndarray, scoped_kind: np.ndarray, scoped_src: np.ndarray,
                   gated: np.ndarray, filtered: np.ndarray, realistic: bool, multiplier: float
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Each edge's class and likelihood under an assumption (see ``classify.classify_edges``)."""
    return _kernel("classify_edges", len(src))(
        src, dst, kind, likelihood, base_class, scoped_kind, scoped_src, gated, filtered,
        bool(realistic), float(multiplier))


def merge_edges(n_nodes: int, src: np.ndarray, dst: np.ndarray, kind: np.ndarray,
                edge_class: np.ndarray, likelihood: np.ndarray, derived: tuple[np.ndarray, ...],
                derived_kind: int, derived_class: int) -> tuple[np.ndarray, ...]:
    """The attack graph's CSR: classified edges plus derived ones (see ``classify.merge_edges``)."""
    d_src, d_dst, d_lik, d_via = derived
    return _kernel("merge_edges", len(src))(
        int(n_nodes), src, dst, kind, edge_class, likelihood, d_src.astype(np.int64),
        d_dst.astype(np.int64), int(derived_kind), int(derived_class),
        d_lik.astype(np.float64), d_via.astype(np.int64))
