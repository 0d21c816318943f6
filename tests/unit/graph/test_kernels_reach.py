"""Reachability kernels against networkx on random graphs with cycles and self-loops."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airgraph.graph import kernels
from airgraph.graph.kernels import _warmup


@pytest.fixture(params=["python", "compiled"])
def kernel_mode(request, monkeypatch):
    monkeypatch.setenv("AIRGRAPH_KERNELS", request.param)
    return request.param


def random_graph(seed: int, n: int, m: int):
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    src[: m // 10] = dst[: m // 10]  # self-loops
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order].astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    follow = rng.random(m) < 0.8
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((int(s), int(d)) for s, d, f in zip(src, dst, follow, strict=True) if f)
    return indptr, dst, follow, g, rng


def _bit(bits: np.ndarray, j: int) -> set[int]:
    return set(np.flatnonzero((bits[:, j // 64] >> np.uint64(j % 64)) & np.uint64(1)).tolist())


SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(seed=st.integers(0, 2**32), n=st.integers(1, 60), density=st.floats(0.3, 4.0),
       n_sources=st.integers(1, 150))
def test_reach_bits_and_condensed_propagation_match_descendants(kernel_mode, seed, n, density,
                                                               n_sources):
    m = max(1, int(n * density))
    indptr, dst, follow, g, rng = random_graph(seed, n, m)
    sources = rng.integers(0, n, n_sources)
    bfs = kernels.reach_bits(indptr, dst, follow, sources)
    condensed = kernels.propagate_bits(indptr, dst, follow, kernels.condense(indptr, dst, follow),
                                       sources)
    assert np.array_equal(bfs, condensed)
    for j, s in enumerate(sources):
        assert _bit(bfs, j) == nx.descendants(g, int(s)) | {int(s)}
    mask = rng.random(n) < 0.5
    expected = [len(_bit(bfs, j) & set(np.flatnonzero(mask).tolist())) for j in range(n_sources)]
    assert kernels.count_bits(bfs, mask, n_sources).tolist() == expected


@SETTINGS
@given(seed=st.integers(0, 2**32), n=st.integers(1, 60), density=st.floats(0.3, 4.0))
def test_condensation_is_the_scc_partition_in_reverse_topological_order(kernel_mode, seed, n,
                                                                       density):
    indptr, dst, follow, g, _ = random_graph(seed, n, max(1, int(n * density)))
    c = kernels.condense(indptr, dst, follow)
    components = {frozenset(s) for s in nx.strongly_connected_components(g)}
    assert c.n_comp == len(components)
    got: dict[int, set[int]] = {}
    for v, k in enumerate(c.comp.tolist()):
        got.setdefault(k, set()).add(v)
    assert {frozenset(s) for s in got.values()} == components
    for u, v in g.edges():
        assert c.comp[u] >= c.comp[v]
