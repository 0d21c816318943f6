"""Choke points on generated estates: seconds and peak memory of ``choke_points``.

    python benchmarks/chokepoints.py                     # 10^5 and 10^6 nodes
    python benchmarks/chokepoints.py --nodes 100000

Each size runs in its own process on a projection built straight from the generator (no
store), with compiled kernels and the attack graph already built, as the CLI finds them in
the snapshot's cache. Peak memory is the process's peak resident set minus what it held
before the call. No peer computes these semantics (a minimum cut plus every removal's
exact effect under tool scope and inherited identities), so no ratio is printed; the
figures say how many entry points the removal sums came from, and whether they are exact.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def measure(nodes: int, seed: int) -> dict:
    """One size, in this process."""
    from _estate import generated_rows

    from airgraph.graph.kernels import _warmup
    from airgraph.graph.projection import Projection
    from airgraph.queries.chokepoints import choke_points

    _warmup.compile_now()
    p = Projection.from_rows(0, generated_rows(nodes, seed))
    p.attack_graph("realistic").condensation()
    before = _rss_mib()
    started = time.perf_counter()
    r = choke_points(p)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"nodes": p.n_nodes, "edges": len(p.dst), "seconds": round(seconds, 1),
            "peak_mib": round(peak - before), "entries": len(r.entries),
            "evaluated": r.evaluated, "exact": r.exact, "pairs": r.pairs.count,
            "cut": len(r.cut.edges), "left": r.cut.remaining.count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, action="append")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.nodes[0], args.seed)))
        return
    print(f"{'nodes':>9} {'edges':>10} {'seconds':>8} {'peak MiB':>9} {'entry points':>17} "
          f"{'exact':>6} {'pairs':>11} {'cut':>6}")
    for nodes in args.nodes or [100_000, 1_000_000]:
        out = subprocess.run([sys.executable, __file__, "--one", "--nodes", str(nodes),
                              "--seed", str(args.seed)], capture_output=True, text=True,
                             check=True)
        m = json.loads(out.stdout.splitlines()[-1])
        print(f"{m['nodes']:>9} {m['edges']:>10} {m['seconds']:>8} {m['peak_mib']:>9} "
              f"{m['evaluated']:>7} of {m['entries']:>6} {m['exact']!s:>6} {m['pairs']:>11} "
              f"{m['cut']:>6}", flush=True)


if __name__ == "__main__":
    main()
