"""Neo4j ingest throughput: the store's batched UNWIND against one MERGE per row, in one run.

    python benchmarks/neo4j_ingest.py                          # 100k nodes (~1M edges)
    python benchmarks/neo4j_ingest.py --nodes 20000 --naive-records 10000

Starts a private Neo4j Community 5.26 (tools/neo4j-local, through tests/neo4j_server.py),
generates an estate (``airgraph generate``'s generator, parsed as a manifest the way
``airgraph ingest manifest`` does; parsing is not timed) and measures nodes + edges
written per second by:

(a) ``Neo4jStore.ingest``: the real ingest (lease, batched ``UNWIND $rows`` in managed
    transactions written in the background, anchors, versions, snapshot marker), on the whole
    estate: first into an empty store (the path for a source never committed), then
    the same records again (nothing changed: the diff against the open records);
(b) a naive loader written here with the same data model (an anchor and a version per
    node, one relationship per edge, the snapshot marker last), one statement with one
    MERGE per record, each in its own auto-commit transaction: the loop people write
    first. It runs on a smaller estate of the same shape (same generator and seed,
    about ``--naive-records`` nodes + edges), because at 10^6 rows it takes hours; its
    rate is extrapolated linearly to the full estate, and the output says so.

Both run on an empty database with the store's constraints, after one untimed warm-up
of each on a tiny estate (so neither pays the JVM's warm-up alone). It prints records
(nodes + edges) per second for each and their ratio; records per CPU second (the
server's JVM plus this process), which other work on a shared machine distorts less
than wall-clock time; and the peak resident memory of this Python process (the client
side; the server is a separate JVM). No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import neo4j

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from neo4j_server import start_neo4j  # noqa: E402

from airgraph.demo.generator import generate_estate  # noqa: E402
from airgraph.graph import cypher as q  # noqa: E402
from airgraph.graph.neo4j import Neo4jStore  # noqa: E402
from airgraph.ingest.manifest import parse_manifest  # noqa: E402
from airgraph.ingest.records import SourceRecords  # noqa: E402

_WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"


def estate(nodes: int, seed: int) -> SourceRecords:
    """The generated estate ``(nodes, seed)`` as validated records of one source."""
    document: dict[str, Any] = {"version": 1, "nodes": [], "edges": []}
    for what, record in generate_estate(nodes, seed):
        document["nodes" if what == "node" else "edges"].append(record)
    return parse_manifest(document, file=f"<generated {nodes} nodes>",
                          source=f"generated:{nodes}:{seed}")


def _storable(value: Any) -> Any:
    """A property value as Neo4j takes it: scalars and flat lists as they are, else JSON."""
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list) and len({type(v) for v in value}) <= 1 and all(
            isinstance(v, (str, bool, int, float)) for v in value):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _readable(props: Mapping[str, Any], reserved: set[str]) -> dict[str, Any]:
    return {k: _storable(v) for k, v in props.items() if v is not None and k not in reserved}


class NaiveLoader:
    """One MERGE per record, one auto-commit transaction per statement.

    Labels and relationship types go through the schema's allow-list
    (:func:`airgraph.graph.cypher.label`, :func:`~airgraph.graph.cypher.rel_type`);
    every value is a parameter.
    """

    _RESERVED_NODE = {"id", "key", "kind", "name", "source", "props", "since", "until", "rev"}
    _RESERVED_EDGE = {"source", "props", "since", "until", "likelihood"}

    def __init__(self, driver: neo4j.Driver) -> None:
        self.driver = driver

    def load(self, records: SourceRecords, number: int = 1) -> None:
        with self.driver.session() as session:
            for key, node in enumerate(records.nodes, start=1):
                props = dict(node.props)
                text = json.dumps(props, sort_keys=True, separators=(",", ":"))
                session.run(
                    f"MERGE (n:{q.NODE} {{id: $id}}) "
                    f"SET n:{q.label(str(node.kind))}, n += $readable, "
                    "n += {key: $key, kind: $kind, name: $name, source: $source, props: $props,"
                    " since: $number, rev: $number} "
                    f"CREATE (v:{q.VERSION} {{id: $id, key: $key, kind: $kind, name: $name,"
                    " source: $source, props: $props, since: $number}) SET v += $readable",
                    id=node.id, key=key, kind=str(node.kind), name=node.name,
                    source=records.source, props=text, number=number,
                    readable=_readable(props, self._RESERVED_NODE)).consume()
            for edge in records.edges:
                props = dict(edge.props)
                likelihood = props.pop("likelihood", None)
                extra = _readable(props, self._RESERVED_EDGE)
                if likelihood is not None:
                    extra["likelihood"] = float(likelihood)
                if props:
                    extra["props"] = json.dumps(props, sort_keys=True, separators=(",", ":"))
                session.run(
                    f"MATCH (a:{q.NODE} {{id: $src}}) MATCH (b:{q.NODE} {{id: $dst}}) "
                    f"MERGE (a)-[r:{q.rel_type(str(edge.kind))} {{source: $source}}]->(b) "
                    "ON CREATE SET r.since = $number SET r += $extra",
                    src=edge.src, dst=edge.dst, source=records.source, number=number,
                    extra=extra).consume()
            session.run(
                f"CREATE (:{q.SNAPSHOT} {{number: $number, source: $source, label: $source,"
                " created_at: toString(datetime()), nodes: $nodes, edges: $edges})",
                number=number, source=records.source, nodes=len(records.nodes),
                edges=len(records.edges)).consume()


def wipe(driver: neo4j.Driver) -> None:
    """Delete every node and relationship (the constraints and indexes stay)."""
    with driver.session() as session:
        session.run(_WIPE).consume()


def counts(driver: neo4j.Driver) -> tuple[int, int]:
    records = driver.execute_query(
        f"CALL () {{ MATCH (n:{q.NODE}) RETURN count(n) AS nodes }} "
        f"CALL () {{ MATCH (:{q.NODE})-[r]->(:{q.NODE}) RETURN count(r) AS edges }} "
        "RETURN nodes, edges").records
    return records[0]["nodes"], records[0]["edges"]


class Timing(NamedTuple):
    """Wall-clock seconds, and CPU seconds of the server (the JVM) and of this process."""

    wall: float
    server_cpu: float
    client_cpu: float

    def line(self, records: int) -> str:
        cpu = self.server_cpu + self.client_cpu
        return (f"{self.wall:.1f} s = {records / self.wall:,.0f} nodes+edges/s; CPU "
                f"{self.server_cpu:.1f} s server + {self.client_cpu:.1f} s client = "
                f"{records / cpu:,.0f} nodes+edges per CPU second")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def timing(server_pid: int) -> Iterator[list[Timing]]:
    """Time the block; the Timing is in the yielded list afterwards."""
    out: list[Timing] = []
    wall, server, client = time.perf_counter(), process_cpu(server_pid), time.process_time()
    yield out
    out.append(Timing(time.perf_counter() - wall, process_cpu(server_pid) - server,
                      time.process_time() - client))


def timed_store_ingest(uri: str, server_pid: int, records: SourceRecords) -> Timing:
    store = Neo4jStore(uri)  # connects and checks the schema before the clock starts
    try:
        with timing(server_pid) as measured:
            store.ingest(records)
        return measured[0]
    finally:
        store.close()


def rss_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak, in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    now = pages * resource.getpagesize() / 2**20
    return now, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_naive(driver: neo4j.Driver, server_pid: int, records: SourceRecords) -> Timing:
    with timing(server_pid) as measured:
        NaiveLoader(driver).load(records)
    return measured[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000,
                        help="nodes of the generated estate (about 10 edges each)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--naive-records", type=int, default=20_000,
                        help="about this many nodes + edges for the naive loader")
    parser.add_argument("--heap", default="2g", help="Neo4j JVM heap (-Xmx)")
    parser.add_argument("--pagecache", default="1g", help="Neo4j page cache")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    full = estate(args.nodes, args.seed)
    size = len(full.nodes) + len(full.edges)
    print(f"estate: {len(full.nodes):,} nodes, {len(full.edges):,} edges "
          f"(generated and parsed in {time.perf_counter() - started:.1f} s, not timed below)")
    naive_nodes = max(10, round(args.naive_records * len(full.nodes) / size))
    subset = estate(naive_nodes, args.seed)
    subset_size = len(subset.nodes) + len(subset.edges)
    warm = estate(200, args.seed + 1)

    server = start_neo4j(java_opts=f"-Xms{args.heap} -Xmx{args.heap}",
                         pagecache=args.pagecache)
    try:
        with neo4j.GraphDatabase.driver(server.uri, auth=server.auth,
                                        notifications_min_severity="OFF") as driver:
            Neo4jStore(server.uri).close()  # constraints and indexes, as the store has them
            timed_store_ingest(server.uri, server.pid, warm)
            wipe(driver)
            timed_naive(driver, server.pid, warm)
            wipe(driver)
            print(f"Neo4j {server.uri}, heap {args.heap}, page cache {args.pagecache}; "
                  "warmed up both loaders on a 200-node estate")

            naive = timed_naive(driver, server.pid, subset)
            naive_written = counts(driver)
            wipe(driver)
            naive_rate = subset_size / naive.wall
            print(f"(b) naive, one MERGE per row: {len(subset.nodes):,} nodes + "
                  f"{len(subset.edges):,} edges in {naive.line(subset_size)} (wrote "
                  f"{naive_written[0]:,} anchors, {naive_written[1]:,} relationships)")
            print(f"    extrapolated linearly to the full estate: {size / naive_rate:,.0f} s "
                  f"({size / naive_rate / 3600:.1f} h)")

            before, peak_before = rss_mb()
            batched = timed_store_ingest(server.uri, server.pid, full)
            written = counts(driver)
            print(f"(a) Neo4jStore.ingest, batched UNWIND: {len(full.nodes):,} nodes + "
                  f"{len(full.edges):,} edges in {batched.line(size)} (wrote "
                  f"{written[0]:,} anchors, {written[1]:,} relationships)")
            again = timed_store_ingest(server.uri, server.pid, full)
            print(f"    the same records again (no change, a new snapshot): {again.line(size)}")
            naive_cpu = subset_size / (naive.server_cpu + naive.client_cpu)
            batched_cpu = size / (batched.server_cpu + batched.client_cpu)
            print(f"ratio (a)/(b): {size / batched.wall / naive_rate:,.1f}x in records/s, "
                  f"{batched_cpu / naive_cpu:,.1f}x in records per CPU second "
                  "((b) measured on the smaller estate)")
            _, peak = rss_mb()
            print(f"peak RSS of this process: {peak:,.0f} MB ({before:,.0f} MB before the "
                  f"ingest with the estate in memory, peak {peak_before:,.0f} MB before it)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
