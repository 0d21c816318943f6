"""The Python API: ``airgraph.open()`` and the :class:`Graph` every front end uses.

The CLI, the app and notebooks go through here, never around it.

Examples
--------
>>> import airgraph
>>> g = airgraph.open(demo_store)
>>> r = g.blast_radius("ep:web-chat")
>>> r.start, r.assume
('ep:web-chat', 'realistic')
>>> "agent:support-bot" in r.influenced
True
>>> g.node("ep:web-chat").node["exposure"]
'public'
>>> g.node("web-chat ")
Traceback (most recent call last):
...
airgraph.errors.UnknownIdError: no node 'web-chat '; did you mean: ep:web-chat, ep:web-content?
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from airgraph.errors import QueryError, UnknownIdError
from airgraph.graph.loading import load_projection, resolve_snapshot
from airgraph.graph.merge import merge_nodes, source_order
from airgraph.graph.pipeline import IngestReport, ingest_records
from airgraph.graph.projection import Projection
from airgraph.graph.store import GraphStore, SnapshotInfo
from airgraph.graph.uri import open_store
from airgraph.ingest.records import SourceRecords
from airgraph.queries.chokepoints import choke_points
from airgraph.queries.findings import Findings, snapshot_findings
from airgraph.queries.inventory import NodeDetail, SourceInfo, node_detail, snapshot_sources
from airgraph.queries.paths import attack_paths
from airgraph.queries.reach import blast_radius, radius_summary, reach_all
from airgraph.queries.resolve import resolve_id
from airgraph.queries.results import (
    AttackPaths,
    BlastRadius,
    ChokePoints,
    RadiusSummary,
    ReachAll,
    Trifecta,
)
from airgraph.queries.trifecta import lethal_trifecta
from airgraph.schema import ASSUMPTIONS, Assumption

if TYPE_CHECKING:
    import networkx
    import pandas

__all__ = ["Graph", "forget", "ingest_source", "open"]


def open(store: str | GraphStore | None = None, snapshot: int | None = None) -> Graph:  # noqa: A001
    """Open a graph store at one snapshot.

    Parameters
    ----------
    store
        A store URI (``sqlite:///path.db``, ``neo4j://host:7687``), an open
        :class:`~airgraph.graph.store.GraphStore`, or None for the default store
        (``$AIRGRAPH_STORE``, else ``~/.airgraph/airgraph.db``).
    snapshot
        The snapshot number to read; None for the latest.

    Raises
    ------
    StoreError
        When the store holds no snapshot, or not the one asked for.
    """
    owned = not isinstance(store, GraphStore)
    opened = open_store(store) if owned else store  # type: ignore[arg-type]
    try:
        return Graph(opened, resolve_snapshot(opened, snapshot), owns_store=owned)
    except BaseException:
        if owned:
            opened.close()
        raise


def ingest_source(records: SourceRecords, store: str | GraphStore | None = None) -> IngestReport:
    """Validate ``records`` and load them as a new snapshot (all or nothing)."""
    return _with_store(store, lambda s: ingest_records(s, records))


def forget(source: str, store: str | GraphStore | None = None) -> IngestReport:
    """A new snapshot without the records of ``source`` (history is kept)."""

    def run(s: GraphStore) -> IngestReport:
        latest = s.latest()
        counts = s.source_counts(latest) if latest else {}
        if not any(counts.get(source, (0, 0))):
            known = ", ".join(sorted(k for k, v in counts.items() if any(v))) or "none"
            raise QueryError(f"no source '{source}' in {s.uri} (sources: {known})")
        return ingest_records(s, SourceRecords(source, [], [], label=f"forget {source}",
                                               ingestor="forget"))

    return _with_store(store, run)


def _with_store(store: str | GraphStore | None, work: Callable[[GraphStore], Any]) -> Any:
    if isinstance(store, GraphStore):
        return work(store)
    opened = open_store(store)
    try:
        return work(opened)
    finally:
        opened.close()


class Graph:
    """One snapshot of a store, with its cached projection and id resolution.

    Every query takes ``assume`` (``realistic`` or ``worst``) and reports the one it used.
    Ids may be given as an exact id, a unique id suffix or an exact node name.
    """

    def __init__(self, store: GraphStore, info: SnapshotInfo, *, owns_store: bool = False
                 ) -> None:
        self.store = store
        self.info = info
        self._owns_store = owns_store

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<airgraph.Graph {self.store.uri} snapshot {self.snapshot}>"

    def close(self) -> None:
        """Release the store if :func:`open` opened it."""
        if self._owns_store:
            self.store.close()

    @property
    def snapshot(self) -> int:
        return self.info.number

    @property
    def projection(self) -> Projection:
        """The snapshot as CSR arrays (cached per store and snapshot)."""
        return load_projection(self.store, self.snapshot)

    def resolve(self, given: str) -> str:
        """The id ``given`` stands for; UnknownIdError with the closest ids otherwise."""
        if self.store.node_rows(self.snapshot, [given]):
            return given
        p = self.projection
        return resolve_id(given, p.ids, p.names)

    # --- attack paths ---------------------------------------------------------

    def blast_radius(self, start: str, assume: Assumption = "realistic") -> BlastRadius:
        """What an attacker holding ``start`` influences, exposes and reaches."""
        return blast_radius(self.projection, self.resolve(start), _checked(assume))

    def blast_radius_summary(self, start: str, assume: Assumption = "realistic"
                             ) -> RadiusSummary:
        """The counts of :meth:`blast_radius` (influenced, exposed by sensitivity, sinks,
        exfiltration), without listing ids: fast whatever the radius."""
        return radius_summary(self.projection, self.resolve(start), _checked(assume))

    def attack_paths(self, start: str, target: str, k: int = 5,
                     assume: Assumption = "realistic") -> AttackPaths:
        """The ``k`` most likely attack paths, most likely first, then shortest."""
        if k < 1:
            raise QueryError("k must be at least 1")
        return attack_paths(self.projection, self.resolve(start), self.resolve(target),
                            _checked(assume), k)

    def lethal_trifecta(self, assume: Assumption = "realistic", *, top: int = 10) -> Trifecta:
        """Agents with untrusted input, sensitive data and a way out; the summary names
        the ``top`` agents with the most sensitive stores."""
        return lethal_trifecta(self.projection, _checked(assume), top=top)

    def reach_all(self, assume: Assumption = "realistic",
                  progress: Callable[[int], None] | None = None) -> ReachAll:
        """Every entry point's blast radius, counted."""
        return reach_all(self.projection, _checked(assume), progress=progress)

    def choke_points(self, assume: Assumption = "realistic", *, top: int = 10,
                     progress: Callable[[int, int], None] | None = None) -> ChokePoints:
        """The minimum cut between untrusted entry points and restricted data, and the
        ``top`` nodes and edges whose removal cuts the most pairs."""
        return choke_points(self.projection, _checked(assume), top=top, progress=progress)

    # --- inventory ------------------------------------------------------------

    def node(self, node_id: str) -> NodeDetail:
        """Everything about one node: merged properties, provenance, edges."""
        found = node_detail(self.store, self.info, self.resolve(node_id),
                            self.store.snapshots())
        if found is None:  # resolved through the projection but absent: cannot happen
            raise UnknownIdError(node_id, [])
        return found

    def neighbours(self, node_id: str) -> list[dict[str, Any]]:
        """The edges at one node, as ``{"direction", "kind", "id", "evidence"}`` rows."""
        detail = self.node(node_id)
        return ([{"direction": "out", "kind": n.kind, "id": n.id, "evidence": n.evidence}
                 for n in detail.out]
                + [{"direction": "in", "kind": n.kind, "id": n.id, "evidence": n.evidence}
                   for n in detail.into])

    def findings(self, assume: Assumption = "realistic", *, severity: str | None = None,
                 rule: str | None = None) -> Findings:
        """Every finding in the snapshot, most severe first."""
        return snapshot_findings(self.projection, self._merged(), _checked(assume),
                                 severity=severity, rule_id=rule)

    def sources(self) -> tuple[SourceInfo, ...]:
        """Every source of the snapshot: ingestor, last ingest, counts, label."""
        return snapshot_sources(self.store, self.info, self.store.snapshots())

    def snapshots(self) -> list[SnapshotInfo]:
        """Every committed snapshot of the store, oldest first."""
        return self.store.snapshots()

    def at(self, snapshot: int | None) -> Graph:
        """The same store at another snapshot (latest when None)."""
        return Graph(self.store, resolve_snapshot(self.store, snapshot))

    # --- frames -----------------------------------------------------------------

    def to_pandas(self) -> tuple[pandas.DataFrame, pandas.DataFrame]:
        """Node and edge frames of the snapshot (merged, with defaults)."""
        import pandas as pd

        nodes = [{"id": r.id, "kind": str(r.kind), "name": r.name, "source": r.source,
                  "evidence": r.evidence, **dict(r.props)} for r in
                 (m.record for m in self._merged())]
        edges = [{"src": e.src, "kind": str(e.kind), "dst": e.dst, "source": e.source,
                  "evidence": e.evidence, **dict(e.props)}
                 for e in self.store.edges(self.snapshot)]
        return pd.DataFrame(nodes), pd.DataFrame(edges)

    def to_networkx(self) -> networkx.MultiDiGraph:
        """The snapshot as a networkx MultiDiGraph (edge key: the edge kind)."""
        import networkx as nx

        g = nx.MultiDiGraph(snapshot=self.snapshot)
        for m in self._merged():
            r = m.record
            g.add_node(r.id, kind=str(r.kind), name=r.name, source=r.source,
                       evidence=r.evidence, **dict(r.props))
        for e in self.store.edges(self.snapshot):
            g.add_edge(e.src, e.dst, key=str(e.kind), source=e.source, evidence=e.evidence,
                       **dict(e.props))
        return g

    def _merged(self) -> list[Any]:
        order = source_order(((s.number, s.source) for s in self.store.snapshots()),
                             self.snapshot)
        return merge_nodes(self.store.node_rows(self.snapshot), order)


def _checked(assume: str) -> Assumption:
    if assume not in ASSUMPTIONS:
        raise QueryError(f"assume must be one of {', '.join(ASSUMPTIONS)}, not {assume!r}")
    return assume  # type: ignore[return-value]

