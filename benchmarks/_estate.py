"""Generated estates straight to projection rows, skipping text and the store.

Benchmarks time the engine, not the parser: this builds the same ``ProjectionRows`` a
store would return for ``airgraph generate --nodes N --seed S`` output, from the
generator's arrays.
"""

from __future__ import annotations

import numpy as np

from airgraph.demo.generator import estate_arrays
from airgraph.graph.store import ProjectionRows
from airgraph.schema import EdgeKind, NodeKind

_NODE_CODE = {k: i for i, k in enumerate(NodeKind)}
_EDGE_CODE = {k: i for i, k in enumerate(EdgeKind)}


def generated_rows(nodes: int, seed: int) -> ProjectionRows:
    """Projection rows of the generated estate ``(nodes, seed)``."""
    counts, node_records, edge_blocks = estate_arrays(nodes, seed)
    offset, start = {}, 0
    for kind in NodeKind:
        offset[kind] = start
        start += counts[kind]
    ids, names, kinds, execute, modes, sensitivity, external, interactive, exposure = (
        [] for _ in range(9))
    for record in node_records:
        kind = NodeKind(record["kind"])
        ids.append(record["id"])
        names.append(record.get("name", record["id"]))
        kinds.append(_NODE_CODE[kind])
        execute.append("execute" in record.get("capabilities", ()))
        modes.append(record.get("mode"))
        sensitivity.append(record.get("sensitivity"))
        external.append(bool(record.get("external", False)))
        interactive.append(bool(record.get("interactive", False)))
        exposure.append(record.get("exposure"))
    src, dst, kind_codes, likelihood = [], [], [], []
    for kind, src_kind, dst_kind, s, d, extra_index, extras in edge_blocks:
        src.append(s + offset[src_kind])
        dst.append(d + offset[dst_kind])
        kind_codes.append(np.full(len(s), _EDGE_CODE[kind], dtype=np.int8))
        own = np.array([x.get("likelihood", np.nan) for x in extras])
        likelihood.append(own[extra_index])
    return ProjectionRows(
        ids=ids, names=names, node_kind=np.array(kinds, dtype=np.int8),
        capabilities_execute=np.array(execute), guard_mode=modes, sensitivity=sensitivity,
        external=np.array(external), interactive=np.array(interactive), exposure=exposure,
        edge_src=np.concatenate(src).astype(np.int64), edge_dst=np.concatenate(dst).astype(np.int64),
        edge_kind=np.concatenate(kind_codes), edge_likelihood=np.concatenate(likelihood),
        edge_evidence=np.zeros(sum(len(s) for s in src), dtype=np.int8))
