"""On-disk cache of a snapshot's projection rows, so large snapshots load in a second.

A committed snapshot never changes, so its rows are keyed by the store, the snapshot
number and the snapshot's own record (time, source, size): a store deleted and
recreated under the same path does not hit a stale entry. Files are plain ``.npz``
(no pickle); strings are stored as UTF-8 bytes with offsets. Kind codes are stored with
the kind names they stood for when written, so a reordered schema never relabels a
cache entry; each entry records its key and the zip's CRCs catch damaged contents, so
an unreadable entry (empty, truncated, garbage, another snapshot's) is reported once
and rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from airgraph.graph.rows import EDGE_CODE, NODE_CODE
from airgraph.graph.store import ProjectionRows, SnapshotInfo

__all__ = ["cache_path", "read_rows", "write_rows"]

_log = logging.getLogger(__name__)
_FORMAT = "2"
_NONE = "\x00none"
_STRINGS = ("ids", "names", "guard_mode", "sensitivity", "exposure")


def cache_key(uri: str, info: SnapshotInfo) -> str:
    """What identifies a snapshot's entry: the store, the number and the snapshot's record."""
    return f"{_FORMAT}|{uri}|{info.number}|{info.created_at}|{info.source}|{info.nodes}|{info.edges}"


def cache_path(home: Path, key: str) -> Path:
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return home / "cache" / "projections" / f"{digest}.npz"


def write_rows(path: Path, rows: ProjectionRows, key: str) -> None:
    """Write atomically and durably (fsync before the rename); a failure only costs the
    cache, never the query."""
    arrays = {
        "node_kind": rows.node_kind, "capabilities_execute": rows.capabilities_execute,
        "external": rows.external, "interactive": rows.interactive,
        "edge_src": rows.edge_src, "edge_dst": rows.edge_dst, "edge_kind": rows.edge_kind,
        "edge_likelihood": rows.edge_likelihood, "edge_evidence": rows.edge_evidence,
    }
    strings = {name: getattr(rows, name) for name in _STRINGS}
    strings["node_kind_names"] = list(NODE_CODE)
    strings["edge_kind_names"] = list(EDGE_CODE)
    strings["key"] = [key]
    for name, values in strings.items():
        arrays[f"{name}_bytes"], arrays[f"{name}_offsets"] = _pack(values)
    arrays["checksum"] = np.array([_checksum(arrays)], dtype=np.uint64)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            np.savez(out, **arrays)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _log.warning("could not cache the projection at %s: %s", path, exc)
        tmp.unlink(missing_ok=True)


def read_rows(path: Path, key: str) -> ProjectionRows | None:
    """The cached rows, or None when absent; an unreadable entry is reported, removed and
    None returned, so the caller rebuilds it."""
    if not path.exists():
        return None
    try:
        return _read(path, key)
    except (OSError, ValueError, KeyError, EOFError, IndexError, UnicodeDecodeError,
            zipfile.BadZipFile) as exc:
        _log.warning("rebuilding an unreadable projection cache entry %s (%s)", path,
                     str(exc) or type(exc).__name__)
        path.unlink(missing_ok=True)
        return None


def _read(path: Path, key: str) -> ProjectionRows:
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files if name != "checksum"}
        if int(data["checksum"][0]) != _checksum(arrays):
            raise ValueError("checksum mismatch")
        data = arrays  # type: ignore[assignment]
        strings = {name: _unpack(data[f"{name}_bytes"], data[f"{name}_offsets"])
                   for name in (*_STRINGS, "node_kind_names", "edge_kind_names", "key")}
        if strings["key"] != [key]:
            raise ValueError("the entry belongs to another snapshot")
        node_kind = _recode(data["node_kind"], strings["node_kind_names"], NODE_CODE)
        edge_kind = _recode(data["edge_kind"], strings["edge_kind_names"], EDGE_CODE)
        rows = ProjectionRows(
            ids=strings["ids"], names=strings["names"],  # type: ignore[arg-type]
            node_kind=node_kind, capabilities_execute=data["capabilities_execute"],
            guard_mode=strings["guard_mode"], sensitivity=strings["sensitivity"],
            external=data["external"], interactive=data["interactive"],
            exposure=strings["exposure"], edge_src=data["edge_src"],
            edge_dst=data["edge_dst"], edge_kind=edge_kind,
            edge_likelihood=data["edge_likelihood"], edge_evidence=data["edge_evidence"])
    n, m = len(rows.ids), len(rows.edge_src)
    if not (len(rows.node_kind) == len(rows.names) == n and len(rows.edge_dst) == m
            == len(rows.edge_kind) == len(rows.edge_likelihood) == len(rows.edge_evidence)):
        raise ValueError("arrays of different lengths")
    if m and (rows.edge_src.max() >= n or rows.edge_dst.max() >= n or rows.edge_src.min() < 0
              or rows.edge_dst.min() < 0):
        raise ValueError("an edge end outside the nodes")
    return rows


def _checksum(arrays: dict[str, np.ndarray]) -> int:
    """CRC-32 over every array's name and bytes (the zip's own CRCs are not checked by
    numpy's partial reads)."""
    crc = 0
    for name in sorted(arrays):
        crc = zlib.crc32(name.encode(), crc)
        crc = zlib.crc32(np.ascontiguousarray(arrays[name]).view(np.uint8), crc)
    return crc


def _recode(codes: np.ndarray, names: list[str | None], now: dict[str, int]) -> np.ndarray:
    """Codes written under ``names`` as today's codes (KeyError for a kind gone since)."""
    table = np.array([now[str(name)] for name in names], dtype=np.int8)
    return table[codes.astype(np.int64)]


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
