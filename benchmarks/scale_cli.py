"""A generated estate end to end, as users run it: whole CLI processes, wall time and peak memory.

    python benchmarks/scale_cli.py                     # 10^6 nodes, about 10^7 edges
    python benchmarks/scale_cli.py --nodes 100000 --workdir /tmp/scale

Steps: ``airgraph generate``, ``airgraph ingest manifest`` (the JSON is streamed), one
cold query (builds the projection and its cache), then each query twice, reporting the
second run (warm: projection, attack graph and condensation memory-mapped from the
cache, kernels compiled). Times are whole processes (interpreter start included); peak
memory is the child's maximum resident set, which counts the cache files it maps.
Nothing here asserts a time: it prints them, with the targets of issue 14 beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

AIRGRAPH = [sys.executable, "-m", "airgraph.cli.main"]


def run(args: list[str], env: dict[str, str], out: Path | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one child process; its stdout goes to ``out``."""
    started = time.perf_counter()
    with (out.open("w") if out else open(os.devnull, "w")) as sink:
        child = subprocess.Popen([*AIRGRAPH, *args], env=env, stdout=sink,
                                 stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"airgraph {' '.join(args)} failed")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/airgraph-scale"))
    args = parser.parse_args()

    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, "AIRGRAPH_HOME": str(work / "home"), "COLUMNS": "80",
           "AIRGRAPH_STORE": f"sqlite:///{work / 'store.db'}"}
    estate = work / "estate.json"
    rows: list[tuple[str, float, float, str]] = []

    def step(label: str, argv: list[str], target: str, out: Path | None = None,
             warm: bool = False) -> None:
        if warm:
            run(argv, env, out)
        seconds, peak = run(argv, env, out)
        rows.append((label, seconds, peak, target))
        print(f"{label:<44} {seconds:8.2f} s  {peak:7.0f} MiB  (target {target})", flush=True)

    subprocess.run([sys.executable, "-m", "airgraph.graph.kernels"], env=env, check=True)
    step("generate", ["generate", "--nodes", str(args.nodes), "--seed", str(args.seed),
                      "--out", str(estate)], "-")
    step("ingest manifest (JSON, streamed)", ["ingest", "manifest", str(estate)],
         "< 90 s, < 2 GiB")
    everyone = work / "reach_all.json"
    step("first query (projection built and cached)", ["reach", "--all", "--json"], "once",
         everyone)
    radii = json.loads(everyone.read_text())["entry_points"]
    small = min(radii, key=lambda r: (r["influenced"] + sum(r["exposed"].values()) < 1,
                                      r["influenced"], r["start"]))["start"]
    large = max(radii, key=lambda r: (r["influenced"], r["start"]))["start"]
    step(f"show {small}", ["show", small, "--json"], "< 0.3 s", warm=True)
    step(f"reach {small} (small radius)", ["reach", small, "--json"], "< 1 s", warm=True)
    step(f"reach {large} --summary", ["reach", large, "--summary", "--json"], "< 1 s",
         warm=True)
    step(f"reach {large} (every id, JSON)", ["reach", large, "--json"],
         "no slower than writing it", work / "large.json", warm=True)
    reached = json.loads((work / "large.json").read_text())
    target = (reached["exfiltration"] or [e["id"] for e in reached["exposed"]])[-1]
    step(f"paths --from {large} --to {target} (k=5)",
         ["paths", "--from", large, "--to", target, "--json"], "< 2 s", warm=True)
    step(f"reach --all ({len(radii):,} entry points)", ["reach", "--all", "--json"], "< 10 s",
         warm=True)
    step("trifecta (summary)", ["trifecta"], "< 10 s", warm=True)
    step("chokepoints", ["chokepoints", "--json"], "< 60 s", warm=True)
    size = (work / "large.json").stat().st_size
    print(f"\n(the large radius prints {size / 2**20:.0f} MiB of JSON; writing that much text "
          "with json.dumps of the parsed output takes about", end=" ")
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        sink.write(json.dumps(reached, indent=2))
    print(f"{time.perf_counter() - started:.2f} s)")
    print("\n| step | seconds | peak MiB | target |\n|---|---|---|---|")
    for label, seconds, peak, goal in rows:
        print(f"| {label} | {seconds:.2f} | {peak:.0f} | {goal} |")


if __name__ == "__main__":
    main()
