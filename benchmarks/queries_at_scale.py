"""Trifecta, k=5 attack paths and the graph's own findings on generated estates, with
networkx's ``shortest_simple_paths`` as the peer for paths (at the smaller sizes).

Run: ``python benchmarks/queries_at_scale.py [--nodes 100000 1000000] [--peer-up-to N]``

The projection is built straight from the generator (no store). Each query then runs
in a forked child, from a cold attack graph, so its seconds include the attack graph,
the condensation and the query, and its peak memory is the child's (the projection
shared with the parent included). The paths run from the first untrusted entry point
to the restricted store farthest from it in hops. networkx searches the same graph:
control edges, plus read and send edges into the target, weighted by -log likelihood
(as a DiGraph: of parallel edges it keeps the most likely, so its 2nd..5th paths may
differ from ours where two edges join the same nodes).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _estate import generated_rows  # noqa: E402

from airgraph.graph.kernels import _warmup  # noqa: E402
from airgraph.graph.projection import Projection  # noqa: E402
from airgraph.queries.findings import _computed  # noqa: E402
from airgraph.queries.paths import attack_paths  # noqa: E402
from airgraph.queries.trifecta import lethal_trifecta  # noqa: E402
from airgraph.schema import EdgeClass  # noqa: E402

ASSUME = "realistic"


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _in_child(work: Callable[[], Any]) -> dict[str, Any]:
    """Run ``work`` in a forked child; its seconds, peak memory and summary."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        started = time.perf_counter()
        summary = work()
        out = {"seconds": time.perf_counter() - started, "peak_gib": _peak_gib(),
               "summary": summary}
        os.write(write, json.dumps(out).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def _far_pair(p: Projection) -> tuple[str, str, int]:
    """The first untrusted entry point and the restricted store farthest from it (hops)."""
    g = p.attack_graph(ASSUME)
    src = np.repeat(np.arange(p.n_nodes), np.diff(g.indptr))
    follow, last = g.follow(), np.isin(g.edge_class, (EdgeClass.READ, EdgeClass.SEND))
    restricted = np.array([s == "restricted" for s in p.sensitivity])
    for s in np.flatnonzero(p.untrusted_entry):
        hops = np.full(p.n_nodes, -1)
        hops[s], frontier, d = 0, np.zeros(p.n_nodes, dtype=bool), 0
        frontier[s] = True
        while frontier.any():
            d += 1
            out = frontier[src]
            ends = g.dst[out & last]
            hops[ends[hops[ends] < 0]] = d
            step = np.zeros(p.n_nodes, dtype=bool)
            step[g.dst[out & follow]] = True
            frontier = step & (hops < 0)
            hops[frontier] = d
        found = np.flatnonzero(restricted & (hops > 0))
        if len(found):
            t = found[np.argmax(hops[found])]
            return p.ids[s], p.ids[t], int(hops[t])
    raise SystemExit("no untrusted entry point reaches a restricted store")


def _networkx_paths(p: Projection, start: str, target: str, k: int) -> dict[str, Any]:
    import networkx as nx

    g = p.attack_graph(ASSUME)
    t = p.index[target]
    src = np.repeat(np.arange(p.n_nodes), np.diff(g.indptr))
    walk = (g.edge_class == EdgeClass.CONTROL) | (g.edge_class == EdgeClass.WRITE)
    walk |= np.isin(g.edge_class, (EdgeClass.READ, EdgeClass.SEND)) & (g.dst == t)
    graph = nx.DiGraph()
    for u, v, w in sorted(zip(src[walk].tolist(), g.dst[walk].tolist(), g.cost[walk].tolist()),
                          key=lambda e: -e[2]):  # the cheapest of parallel edges last: kept
        graph.add_edge(u, v, weight=w)
    started = time.perf_counter()
    found = list(itertools.islice(nx.shortest_simple_paths(graph, p.index[start], t,
                                                           weight="weight"), k))
    seconds = time.perf_counter() - started
    likelihoods = [float(np.exp(-nx.path_weight(graph, f, "weight"))) for f in found]
    return {"seconds": seconds, "likelihoods": [float(f"{x:.3g}") for x in likelihoods]}


def run(nodes: int, peer: bool) -> None:
    started = time.perf_counter()
    p = Projection.from_rows(0, generated_rows(nodes, 7))
    print(f"\n{nodes:,} nodes, {len(p.dst):,} edges: projection in "
          f"{time.perf_counter() - started:.1f} s, {_peak_gib():.2f} GiB")
    start, target, hops = _in_child(lambda: _far_pair(p))["summary"]

    def trifecta() -> dict[str, Any]:
        s = lethal_trifecta(p, ASSUME).summary
        return {"agents": s.agents, "sensitive stores": s.sensitive_data}

    def paths() -> dict[str, Any]:
        found = attack_paths(p, start, target, ASSUME, k=5).paths
        return {"hops": [len(a.edges) for a in found],
                "likelihoods": [float(f"{a.likelihood:.3g}") for a in found]}

    def findings() -> dict[str, Any]:
        return {"findings": len(_computed(p, ASSUME))}

    results = {name: _in_child(work) for name, work in
               (("trifecta", trifecta), ("paths k=5", paths), ("findings", findings))}
    for name, r in results.items():
        print(f"  {name:<10} {r['seconds']:7.2f} s  peak {r['peak_gib']:.2f} GiB  {r['summary']}")
    print(f"  paths from {start} to {target} ({hops} hops)")
    if peer:
        nx_run = _in_child(lambda: _networkx_paths(p, start, target, 5))
        ours = results["paths k=5"]
        # networkx keeps one of parallel edges (a default identity reached through two
        # tools is two paths here, one there): the most likely path must agree
        same = nx_run["summary"]["likelihoods"][:1] == ours["summary"]["likelihoods"][:1]
        print(f"  networkx shortest_simple_paths k=5: {nx_run['summary']['seconds']:.2f} s "
              f"(graph built beforehand, not timed), peak {nx_run['peak_gib']:.2f} GiB; "
              f"ratio networkx/airgraph {nx_run['summary']['seconds'] / ours['seconds']:.1f}x; "
              f"same most likely path: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--peer-up-to", type=int, default=100_000,
                        help="Run networkx on estates up to this many nodes.")
    args = parser.parse_args()
    _warmup.compile_now()
    for nodes in args.nodes:
        run(nodes, nodes <= args.peer_up_to)


if __name__ == "__main__":
    main()
