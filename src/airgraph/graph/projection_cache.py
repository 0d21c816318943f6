"""On-disk cache of a snapshot's projection rows, so large snapshots load in a second.

A committed snapshot never changes, so its rows are keyed by the store, the snapshot
number and the snapshot's own record (time, source, size): a store deleted and
recreated under the same path does not hit a stale entry. Files are plain ``.npz``
(no pickle); strings are stored as UTF-8 bytes with offsets.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from pathlib import Path

import numpy as np

from airgraph.graph.store import ProjectionRows, SnapshotInfo

__all__ = ["cache_path", "read_rows", "write_rows"]

_log = logging.getLogger(__name__)
_FORMAT = "1"
_NONE = "\x00none"


def cache_path(home: Path, uri: str, info: SnapshotInfo) -> Path:
    key = f"{_FORMAT}|{uri}|{info.number}|{info.created_at}|{info.source}|{info.nodes}|{info.edges}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return home / "cache" / "projections" / f"{digest}.npz"


def write_rows(path: Path, rows: ProjectionRows) -> None:
    """Write atomically; a failure only costs the cache, never the query."""
    arrays = {
        "node_kind": rows.node_kind, "capabilities_execute": rows.capabilities_execute,
        "external": rows.external, "interactive": rows.interactive,
        "edge_src": rows.edge_src, "edge_dst": rows.edge_dst, "edge_kind": rows.edge_kind,
        "edge_likelihood": rows.edge_likelihood,
    }
    for name in ("ids", "names", "guard_mode", "sensitivity", "exposure"):
        arrays[f"{name}_bytes"], arrays[f"{name}_offsets"] = _pack(getattr(rows, name))
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            np.savez(out, **arrays)
        os.replace(tmp, path)
    except OSError as exc:
        _log.warning("could not cache the projection at %s: %s", path, exc)
        tmp.unlink(missing_ok=True)


def read_rows(path: Path) -> ProjectionRows | None:
    """The cached rows, or None when absent or unreadable."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            strings = {name: _unpack(data[f"{name}_bytes"], data[f"{name}_offsets"])
                       for name in ("ids", "names", "guard_mode", "sensitivity", "exposure")}
            return ProjectionRows(
                ids=strings["ids"], names=strings["names"],  # type: ignore[arg-type]
                node_kind=data["node_kind"], capabilities_execute=data["capabilities_execute"],
                guard_mode=strings["guard_mode"], sensitivity=strings["sensitivity"],
                external=data["external"], interactive=data["interactive"],
                exposure=strings["exposure"], edge_src=data["edge_src"],
                edge_dst=data["edge_dst"], edge_kind=data["edge_kind"],
                edge_likelihood=data["edge_likelihood"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        _log.warning("ignoring an unreadable projection cache %s: %s", path, exc)
        return None


def _pack(values: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [(_NONE if v is None else v).encode("utf-8", "surrogatepass") for v in values]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def _unpack(data: np.ndarray, offsets: np.ndarray) -> list[str | None]:
    blob = data.tobytes()
    bounds = offsets.tolist()
    values = [blob[a:b].decode("utf-8", "surrogatepass") for a, b in zip(bounds, bounds[1:])]
    return [None if v == _NONE else v for v in values]
