"""All-entry-point blast radius: airgraph against networkx and igraph, in the same run.

    python benchmarks/reach_all.py                       # 10^5 and 10^6 nodes, 64 and 1,000 sources
    python benchmarks/reach_all.py --nodes 100000 --sources all

airgraph runs the full semantics (tool scope, default identities, human-approval gates,
stored injection through influenced stores, one exposure hop, per-entry counts). Two
figures: *cold*, on a fresh projection, so attack-graph construction and SCC condensation
are included; and *warm*, with the attack graph and condensation already built (as the
CLI finds them in the snapshot's cache). Loading from the store is in neither. The peers cannot express the semantics, so they
run plain reachability on the same control subgraph (networkx: ``descendants`` per
source; igraph: ``subcomponent`` BFS per source). A peer timed on a sample of sources is
extrapolated linearly to all of them, and says so. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _estate import generated_rows  # noqa: E402

from airgraph.graph.kernels import _warmup  # noqa: E402
from airgraph.graph.projection import Projection  # noqa: E402
from airgraph.queries.reach import radius_bits, reach_all  # noqa: E402


def memory_bandwidth(gib: float = 1.0) -> float:
    """Copy bandwidth in GB/s (bytes read + written), best of three large numpy copies."""
    a = np.ones(int(gib * 2**30) // 8)
    b = np.empty_like(a)
    best = min(_timed(lambda: np.copyto(b, a)) for _ in range(3))
    return 2 * a.nbytes / best / 1e9


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def airgraph_pass(rows, sources: list[str]) -> tuple[float, float, Projection]:
    """Seconds for the full pass on a fresh projection (attack graph and condensation
    included), then for a second pass on the same projection (both kept)."""
    p = Projection.from_rows(0, rows)
    cold = _timed(lambda: reach_all(p, "realistic", starts=sources))
    warm = _timed(lambda: reach_all(p, "realistic", starts=sources))
    return cold, warm, p


def traversed_edges(p: Projection, sources: list[str]) -> int:
    """Edges a per-source traversal would scan: out-degree of each held node, per source."""
    g = p.attack_graph("realistic")
    follow = g.follow()
    edge_src = np.repeat(np.arange(p.n_nodes), np.diff(g.indptr))
    out = np.bincount(edge_src[follow], minlength=p.n_nodes)
    total = 0
    index = np.array([p.index[s] for s in sources])
    for lo in range(0, len(index), 1024):
        bits = radius_bits(p, index[lo:lo + 1024], "realistic").seen
        total += int((np.bitwise_count(bits).sum(axis=1) * out).sum())
    return total


def control_edges(p: Projection) -> tuple[np.ndarray, np.ndarray]:
    g = p.attack_graph("realistic")
    follow = g.follow()
    src = np.repeat(np.arange(p.n_nodes), np.diff(g.indptr))[follow]
    return src, g.dst[follow].astype(np.int64)


def networkx_seconds(p: Projection, sources: list[str], sample: int) -> tuple[float, int]:
    import networkx as nx

    src, dst = control_edges(p)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(p.n_nodes))
    graph.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    chosen = [p.index[s] for s in sources[:sample]]
    seconds = _timed(lambda: [nx.descendants(graph, s) for s in chosen])
    del graph
    gc.collect()
    return seconds * len(sources) / len(chosen), len(chosen)


def igraph_seconds(p: Projection, sources: list[str], sample: int) -> tuple[float, int]:
    import igraph

    src, dst = control_edges(p)
    graph = igraph.Graph(n=p.n_nodes, edges=np.stack([src, dst], axis=1), directed=True)
    chosen = [p.index[s] for s in sources[:sample]]
    seconds = _timed(lambda: [graph.subcomponent(s, mode="out") for s in chosen])
    return seconds * len(sources) / len(chosen), len(chosen)


def projection_peak_mib(rows) -> float:
    tracemalloc.start()
    p = Projection.from_rows(0, rows)
    p.attack_graph("realistic").condensation()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--sources", nargs="+", default=["64", "1000"],
                        help="source counts, or 'all' for every entry point")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--networkx-sample", type=int, default=10)
    parser.add_argument("--igraph-sample", type=int, default=50)
    args = parser.parse_args()

    os.environ["AIRGRAPH_KERNELS"] = "compiled"
    print(f"compiling kernels (cached after the first run): {_warmup.warm():.1f} s")
    bandwidth = memory_bandwidth()
    print(f"memory bandwidth (numpy copy, read+write): {bandwidth:.1f} GB/s\n")
    for nodes in args.nodes:
        started = time.perf_counter()
        rows = generated_rows(nodes, args.seed)
        print(f"== {nodes:,} nodes, {len(rows.edge_src):,} edges (generated in "
              f"{time.perf_counter() - started:.1f} s); projection peak memory "
              f"{projection_peak_mib(rows):.0f} MiB")
        entries = sorted(i for i, k in zip(rows.ids, rows.node_kind.tolist()) if k == 0)
        for count in args.sources:
            sources = entries if count == "all" else entries[:int(count)]
            if count != "all" and len(sources) < int(count):
                print(f"   only {len(sources)} entry points; skipping {count}")
                continue
            airgraph_pass(rows, sources[:64])  # page in, JIT already cached
            cold, seconds, p = airgraph_pass(rows, sources)
            teps = traversed_edges(p, sources) / seconds
            bytes_per_edge = 4 + 1 + 2 * 8 * ((len(sources) + 63) // 64) / 64
            nx_s, nx_n = networkx_seconds(p, sources, args.networkx_sample)
            ig_s, ig_n = igraph_seconds(p, sources, args.igraph_sample)
            for label, taken in (("cold", cold), ("warm", seconds)):
                print(f"   {len(sources):>5} sources, {label}: airgraph {taken:7.2f} s | "
                      f"networkx {nx_s:9.1f} s{'*' if nx_n < len(sources) else ' '} "
                      f"(x{nx_s / taken:,.0f}) | igraph {ig_s:8.1f} s"
                      f"{'*' if ig_n < len(sources) else ' '} (x{ig_s / taken:,.0f})")
            print(f"          traversed edges/s {teps:.3g}; about "
                  f"{teps * bytes_per_edge / 1e9:.2f} GB/s touched = "
                  f"{teps * bytes_per_edge / 1e9 / bandwidth:.0%} of copy bandwidth")
        print("   * extrapolated linearly from a sample of sources (plain reachability on the "
              "control subgraph)\n")


if __name__ == "__main__":
    main()
