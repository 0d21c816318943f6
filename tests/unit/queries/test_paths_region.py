"""The k most likely paths searched on the start-to-target region equal the search on the
whole attack graph, on random estates; the region is exactly the nodes on some path."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from unit.graph.test_kernels_property import random_estate
from unit.queries.estates import SETTINGS, projection_of

from airgraph.queries import paths
from airgraph.queries.paths import attack_paths, attack_region
from airgraph.schema import EdgeClass




def _unrestricted(p, start: str, target: str, assume: str, k: int):
    """Yen's search on the whole attack graph, rendered like :func:`attack_paths`."""
    g = p.attack_graph(assume)
    everything = paths._Region.of(g, np.ones(p.n_nodes, dtype=bool))
    found = paths._yen(everything, p.index[start], p.index[target], k)
    rendered = sorted((paths._render(p, g, tuple(int(e) for e in everything.edge[list(f)]))
                       for f in found),
                      key=lambda a: (-round(a.likelihood, 9), len(a.edges), a.nodes))
    return tuple(rendered[:k])


def _on_some_path(g, s: int, t: int) -> set[int]:
    """Nodes reachable from ``s`` over control edges that reach ``t`` over control edges
    or through one read or send edge into it (networkx)."""
    control, last = nx.DiGraph(), set()
    control.add_nodes_from(range(len(g.indptr) - 1))
    for v in range(len(g.indptr) - 1):
        for e in range(g.indptr[v], g.indptr[v + 1]):
            u, c = int(g.dst[e]), g.edge_class[e]
            if c in (EdgeClass.CONTROL, EdgeClass.WRITE):
                control.add_edge(v, u)
            elif c in (EdgeClass.READ, EdgeClass.SEND) and u == t:
                last.add(v)
    forward = nx.descendants(control, s) | {s}
    ends = {t} | last
    backward = set(ends).union(*(nx.ancestors(control, x) for x in ends))
    region = forward & backward
    return region | {t} if region & ends else set()


@pytest.fixture(params=["default", "tight"])
def slack(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The default cost bounds, or bounds so tight that most searches widen them."""
    if request.param == "tight":
        monkeypatch.setattr(paths, "_SLACK", (0.0, 0.3, np.inf))
    return request.param


@SETTINGS
@given(seed=st.integers(0, 2**32), size=st.integers(1, 6),
       assume=st.sampled_from(["realistic", "worst"]), k=st.integers(1, 6))
def test_region_search_equals_the_whole_graph_search(slack, tmp_path_factory, seed, size,
                                                     assume, k):
    manifest = random_estate(seed, size)
    p = projection_of(manifest, tmp_path_factory)
    g = p.attack_graph(assume)
    r = random.Random(seed)
    for _ in range(8):
        start, target = r.choice(p.ids), r.choice(p.ids)
        s, t = p.index[start], p.index[target]
        if s != t:
            region = set(np.flatnonzero(attack_region(g, s, t)).tolist())
            assert region == _on_some_path(g, s, t), (start, target)
        assert attack_paths(p, start, target, assume, k).paths == (
            _unrestricted(p, start, target, assume, k) if s != t else ()), (start, target)
