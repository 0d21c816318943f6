"""Checks every source's records pass before a store sees them, whoever produced them.

Records and the kinds of ids other sources already loaded go in; the records come
out checked (properties JSON-safe, kinds and endpoints allowed, no dangling ids) with
secret-named property values replaced by fingerprints (:mod:`airgraph.ingest.secrets`),
or an :class:`~airgraph.errors.IngestError` names the source and object at fault.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from airgraph.errors import IngestError, SchemaError
from airgraph.ingest.edge_table import EDGE_KINDS, EdgeTable
from airgraph.ingest.records import SourceRecords
from airgraph.ingest.secrets import installation_salt, may_name_secret, redact_secret_properties
from airgraph.schema import (
    EDGE_SPECS,
    EVIDENCE_STRENGTH,
    EdgeKind,
    NodeKind,
    check_endpoints,
)

__all__ = ["validate_records"]

_ALLOWED = {(kind, a, b) for kind, spec in EDGE_SPECS.items()
            for a in spec.sources for b in spec.targets}


def validate_records(records: SourceRecords, known: Mapping[str, NodeKind], *,
                     salt: Callable[[], bytes] = installation_salt) -> None:
    """Raise IngestError unless ``records`` can be loaded beside ``known`` (id -> kind of
    the other sources' nodes); fingerprint secret-named property values in place, with
    a warning each (``salt`` gives the fingerprints' key, read only when one is found)."""
    where = f"source {records.source}"
    kinds: dict[str, NodeKind] = {}
    secret_nodes: list[int] = []
    secret_edges: list[int] = []
    for position, node in enumerate(records.nodes):
        if not isinstance(node.id, str) or not node.id:
            raise IngestError("a node needs a non-empty string id", file=where)
        if node.id in kinds:
            raise IngestError("duplicate node id in one ingest", file=where, obj=node.id)
        if node.kind not in NodeKind.__members__.values():
            raise IngestError(f"unknown node kind {node.kind!r}", file=where, obj=node.id)
        if node.evidence not in EVIDENCE_STRENGTH:
            raise IngestError(f"unknown evidence {node.evidence!r}", file=where, obj=node.id)
        other = known.get(node.id)
        if other is not None and other != node.kind:
            raise IngestError(f"is a {node.kind} here but a {other} in another source",
                              file=where, obj=node.id)
        if node.props and may_name_secret(_json_text(node.props, where, node.id)):
            secret_nodes.append(position)
        kinds[node.id] = node.kind
    edges = records.edges
    if isinstance(edges, EdgeTable):
        secret_edges = _check_table(edges, kinds, known, where)
        edges = []
    for position, edge in enumerate(edges):
        label = f"{edge.src} -{edge.kind}-> {edge.dst}"
        if edge.kind not in EdgeKind.__members__.values():
            raise IngestError(f"unknown edge kind {edge.kind!r}", file=where, obj=label)
        if edge.evidence not in EVIDENCE_STRENGTH:
            raise IngestError(f"unknown evidence {edge.evidence!r}", file=where, obj=label)
        src_kind = kinds.get(edge.src) or known.get(edge.src)
        dst_kind = kinds.get(edge.dst) or known.get(edge.dst)
        for node_id, kind in ((edge.src, src_kind), (edge.dst, dst_kind)):
            if kind is None:
                raise IngestError(f"names id '{node_id}', which no source describes",
                                  file=where, obj=label)
        if (edge.kind, src_kind, dst_kind) not in _ALLOWED:
            try:
                check_endpoints(edge.kind, src_kind, dst_kind)  # type: ignore[arg-type]
            except SchemaError as exc:
                raise IngestError(str(exc), file=where, obj=label) from None
        if edge.props and may_name_secret(_json_text(edge.props, where, label)):
            secret_edges.append(position)
    redact_secret_properties(records, secret_nodes, secret_edges, salt)


def _check_table(table: EdgeTable, kinds: Mapping[str, NodeKind],
                 known: Mapping[str, NodeKind], where: str) -> list[int]:
    """The checks of the edge loop on a columnar table, by array; the rows whose properties
    may name a secret."""
    if table.evidence not in EVIDENCE_STRENGTH:
        raise IngestError(f"unknown evidence {table.evidence!r}", file=where)
    node_kind = np.full(len(table.ids), -1, dtype=np.int8)
    for position in table.endpoints():
        node_id = table.ids[position]
        kind = kinds.get(node_id) or known.get(node_id)
        if kind is not None:
            node_kind[position] = _NODE_CODE[kind]
    src_kind, dst_kind = node_kind[table.src], node_kind[table.dst]
    bad = (src_kind < 0) | (dst_kind < 0)
    bad[~bad] = ~_ALLOWED_CODES[table.kind[~bad], src_kind[~bad], dst_kind[~bad]]
    if bad.any():
        edge = table[int(np.flatnonzero(bad)[0])]
        label = f"{edge.src} -{edge.kind}-> {edge.dst}"
        for node_id in (edge.src, edge.dst):
            if (kinds.get(node_id) or known.get(node_id)) is None:
                raise IngestError(f"names id '{node_id}', which no source describes",
                                  file=where, obj=label)
        try:
            check_endpoints(edge.kind, kinds.get(edge.src) or known[edge.src],
                            kinds.get(edge.dst) or known[edge.dst])
        except SchemaError as exc:
            raise IngestError(str(exc), file=where, obj=label) from None
    secret = []
    for row, props in table.props.items():
        edge = table[row]
        if may_name_secret(_json_text(props, where, f"{edge.src} -{edge.kind}-> {edge.dst}")):
            secret.append(row)
    return secret


_NODE_CODE = {kind: i for i, kind in enumerate(NodeKind)}
_ALLOWED_CODES = np.zeros((len(EDGE_KINDS), len(NodeKind), len(NodeKind)), dtype=bool)
for _kind, _a, _b in _ALLOWED:
    _ALLOWED_CODES[EDGE_KINDS.index(_kind), _NODE_CODE[_a], _NODE_CODE[_b]] = True


def _json_text(props: Mapping[str, Any], where: str, obj: str) -> str:
    """``props`` as JSON text; they must be plain JSON: no NaN or infinity, no dates, sets
    or bytes."""
    try:
        return json.dumps(props, allow_nan=False, check_circular=True)
    except (TypeError, ValueError, RecursionError) as exc:
        bad = next((k for k, v in props.items() if not _json_safe(v)), None)
        what = f"property '{bad}'" if bad else "properties"
        raise IngestError(f"{what}: not plain JSON ({exc})", file=where, obj=obj) from None


def _json_safe(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return False
    return True
