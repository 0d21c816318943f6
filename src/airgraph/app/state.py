"""The app's only cache and shared state: one Graph per store and snapshot, cached results,
and the selection each page keeps in the URL's query string.

The store comes from ``$AIRGRAPH_STORE`` (set by ``airgraph app --store``), else the
default store. Every cached function takes the store URI, so two stores never share an
entry. A lock per Graph serialises reads: sessions run in threads and share it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

import airgraph
from airgraph.app.components.graph_view import GraphView, build
from airgraph.app.components.subgraphs import describe, radius_graph
from airgraph.app.tables import Tables
from airgraph.config import default_store_uri
from airgraph.graph.store import SnapshotInfo
from airgraph.queries.findings import Findings
from airgraph.queries.inventory import NodeDetail, SourceInfo
from airgraph.queries import pairs
from airgraph.queries.results import (
    AttackPaths,
    BlastRadius,
    ChokePoints,
    RadiusSummary,
    ReachAll,
    Trifecta,
)
from airgraph.schema import ASSUMPTIONS, NodeKind

__all__ = ["ASSUMPTIONS", "Handle", "assume_param", "choke_points", "clear", "detail",
           "findings", "handle", "keep", "node_names", "param", "paths", "radius", "radius_view", "reach_all",
           "resolve", "restricted_pairs", "riskiest_entry", "riskiest_first", "search",
           "snapshot", "snapshots", "sources", "store_uri", "tables", "trifecta"]

T = TypeVar("T")
_KINDS = list(NodeKind)


@dataclass(frozen=True, eq=False)
class Handle:
    """An open Graph and the lock its readers take."""

    graph: airgraph.Graph
    lock: threading.Lock

    def read(self, work: Callable[[airgraph.Graph], T]) -> T:
        with self.lock:
            return work(self.graph)


def store_uri() -> str:
    """The store this app reads (credentials, if any, stay in the URI and are never shown)."""
    return default_store_uri()


@st.cache_resource(show_spinner=False, max_entries=8)
def _handle(uri: str, number: int | None) -> Handle:
    return Handle(airgraph.open(uri, number), threading.Lock())


def handle(number: int | None = None) -> Handle:
    """The Graph at snapshot ``number`` (None: the snapshot picked in the sidebar)."""
    return _handle(store_uri(), snapshot() if number is None else number)


def clear() -> None:
    """Forget every cached Graph and result (after a new ingest)."""
    st.cache_data.clear()
    st.cache_resource.clear()


# --- selection kept in the query string ----------------------------------------------

def param(name: str, default: str | None = None) -> str | None:
    """The query-string value ``name`` (deep links set it)."""
    return st.query_params.get(name, default)


def keep(**values: str | int | None) -> None:
    """Write the selection into the query string so the URL links back to this view."""
    for name, value in values.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def assume_param() -> str:
    """The assumption from the query string, ``realistic`` when absent or unknown."""
    given = param("assume")
    return given if given in ASSUMPTIONS else "realistic"


@st.cache_data(show_spinner=False, ttl=30)
def _snapshots(uri: str) -> list[SnapshotInfo]:
    return _handle(uri, None).read(lambda g: g.snapshots())


def snapshots() -> list[SnapshotInfo]:
    """Every committed snapshot, oldest first."""
    return _snapshots(store_uri())


def snapshot() -> int:
    """The snapshot the pages read: ``?snapshot=N`` when it exists, else the latest."""
    numbers = [s.number for s in snapshots()]
    given = param("snapshot")
    if given is not None and given.isdigit() and int(given) in numbers:
        return int(given)
    return numbers[-1]


# --- cached results ---------------------------------------------------------------------

_WORK: dict[str, Callable[..., Any]] = {}


@st.cache_data(show_spinner=False, max_entries=512)
def _result(name: str, uri: str, number: int, *args: Any) -> Any:
    return _handle(uri, number).read(lambda g: _WORK[name](g, *args))


def _cached(name: str, work: Callable[..., T]) -> Callable[..., T]:
    """``work(graph, *args)`` cached per store, snapshot and arguments; the snapshot is
    the sidebar's unless ``number=`` says otherwise."""
    _WORK[name] = work

    def call(*args: Any, number: int | None = None) -> T:
        return _result(name, store_uri(), snapshot() if number is None else number, *args)

    call.__name__ = name
    return call


radius: Callable[..., BlastRadius] = _cached(
    "radius", lambda g, node, assume: g.blast_radius(node, assume))
paths: Callable[..., AttackPaths] = _cached(
    "paths", lambda g, start, target, k, assume: g.attack_paths(start, target, k, assume))
trifecta: Callable[..., Trifecta] = _cached("trifecta", lambda g, assume: g.lethal_trifecta(assume))
reach_all: Callable[..., ReachAll] = _cached("reach_all", lambda g, assume: g.reach_all(assume))
choke_points: Callable[..., ChokePoints] = _cached(
    "choke_points", lambda g, assume, top: g.choke_points(assume, top=top))
findings: Callable[..., Findings] = _cached("findings", lambda g, assume: g.findings(assume))
detail: Callable[..., NodeDetail] = _cached("detail", lambda g, node: g.node(node))
sources: Callable[..., tuple[SourceInfo, ...]] = _cached("sources", lambda g: g.sources())


def _search(g: airgraph.Graph, text: str, kinds: Sequence[str], limit: int) -> list[str]:
    p = g.projection
    wanted = {_KINDS.index(NodeKind(k)) for k in kinds}
    needle = text.casefold().strip()
    out = []
    for i, (node_id, name) in enumerate(zip(p.ids, p.names)):
        if wanted and int(p.node_kind[i]) not in wanted:
            continue
        if needle in node_id.casefold() or needle in (name or "").casefold():
            out.append(node_id)
            if len(out) >= limit:
                break
    return sorted(out)


search: Callable[..., list[str]] = _cached("search", _search)
"""``search(text, kinds, limit)``: ids whose id or name contains ``text`` (kinds: () for all)."""


def riskiest_first(entries: Sequence[RadiusSummary]) -> list[RadiusSummary]:
    """Entry points by exfiltration, then restricted stores exposed, then influence."""
    return sorted(entries, key=lambda e: (-e.exfiltration, -e.exposed.get("restricted", 0),
                                          -e.influenced, e.start))


def _riskiest_entry(g: airgraph.Graph, assume: str) -> str | None:
    ranked = riskiest_first(g.reach_all(assume).entry_points)
    return ranked[0].start if ranked else None


riskiest_entry: Callable[..., str | None] = _cached("riskiest_entry", _riskiest_entry)
"""The entry point whose radius exfiltrates and exposes the most: the pickers' default."""

def _restricted_pairs(g: airgraph.Graph, assume: str) -> list[tuple[str, str]]:
    return pairs.restricted_pairs(g.projection, assume)  # type: ignore[arg-type]


restricted_pairs: Callable[..., list[tuple[str, str]]] = _cached(
    "restricted_pairs", _restricted_pairs)
"""(untrusted entry point, restricted store) pairs joined by an attack path."""

resolve: Callable[..., str] = _cached("resolve", lambda g, given: g.resolve(given))
"""The id a deep link's value stands for (UnknownIdError with suggestions otherwise)."""


@st.cache_resource(show_spinner=False, max_entries=8)
def _tables(uri: str, number: int) -> Tables:
    return _handle(uri, number).read(Tables.of)


def tables() -> Tables:
    """The sidebar snapshot's lookup tables: read them, never change them."""
    return _tables(store_uri(), snapshot())


def node_names() -> dict[str, str]:
    return tables().names


@st.cache_data(show_spinner=False, max_entries=64)
def _radius_view(uri: str, number: int, node: str, assume: str) -> GraphView:
    t = _tables(uri, number)
    r = _result("radius", uri, number, node, assume)
    return build(*radius_graph(r, t), describe=describe(t))


def radius_view(node: str, assume: str) -> GraphView:
    """The drawing of ``node``'s blast radius (drawing costs about a second at 10^5 nodes)."""
    return _radius_view(store_uri(), snapshot(), node, assume)
