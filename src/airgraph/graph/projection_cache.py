"""On-disk cache of a snapshot's projection and attack graphs, memory-mapped on load.

A committed snapshot never changes, so what is derived from it is computed once and
kept under ``<home>/cache/projections/<entry>/``, one *bundle* per part (the
projection, each assumption's attack graph, each condensation): a folder of ``.npy``
files and a ``meta.json`` holding the entry's key (the store, the snapshot number and
the snapshot's own record, so a store recreated under the same path misses), each
array's dtype, shape and checksum, and the kind names codes stood for when written.
Loading maps the files (copy-on-write: numba sees ordinary writeable arrays) and checks
sizes and checksums; an unreadable or inconsistent bundle (empty, truncated, garbage,
another snapshot's) is reported once, removed and rebuilt. Bundles are written to a
temporary folder, synced, and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from airgraph.graph.columns import StringColumn
from airgraph.graph.store import SnapshotInfo

__all__ = ["Bundle", "cache_entry", "cache_key", "read_bundle", "write_bundle"]

_log = logging.getLogger(__name__)
_FORMAT = "4"
_META = "meta.json"


def cache_key(uri: str, info: SnapshotInfo) -> str:
    """What identifies a snapshot's entry: the store, the number and the snapshot's record."""
    return f"{_FORMAT}|{uri}|{info.number}|{info.created_at}|{info.source}|{info.nodes}|{info.edges}"


def cache_entry(home: Path, key: str) -> Path:
    """The folder of a snapshot's bundles."""
    return home / "cache" / "projections" / hashlib.sha256(key.encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Bundle:
    """Arrays and string columns read back from one part of an entry."""

    arrays: dict[str, np.ndarray]
    strings: dict[str, StringColumn]
    meta: dict[str, Any]


def write_bundle(entry: Path, name: str, key: str, arrays: Mapping[str, np.ndarray],
                 strings: Mapping[str, Sequence[str | None]] | None = None,
                 meta: Mapping[str, Any] | None = None) -> None:
    """Write a bundle atomically and durably; a failure only costs the cache, never the
    query."""
    columns = {name: column if isinstance(column, StringColumn) else StringColumn.pack(column)
               for name, column in (strings or {}).items()}
    files = dict(arrays)
    for column_name, column in columns.items():
        files[f"{column_name}.data"], files[f"{column_name}.offsets"] = column.data, column.offsets
    target = entry / name
    tmp = entry / f".{name}.{os.getpid()}.tmp"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        described = {}
        for file_name, array in files.items():
            array = np.ascontiguousarray(array)
            with (tmp / f"{file_name}.npy").open("wb") as out:
                np.save(out, array, allow_pickle=False)
                out.flush()
                os.fsync(out.fileno())
            described[file_name] = {"dtype": array.dtype.str, "shape": list(array.shape),
                                    "checksum": _checksum(array)}
        document = {"key": key, "arrays": described, "strings": sorted(columns),
                    **dict(meta or {})}
        with (tmp / _META).open("w") as out:
            json.dump(document, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
        _fsync_dir(entry)
    except OSError as exc:
        _log.warning("could not cache %s at %s: %s", name, entry, exc)
        shutil.rmtree(tmp, ignore_errors=True)


def read_bundle(entry: Path, name: str, key: str) -> Bundle | None:
    """The bundle, or None when absent; an unreadable one is reported, removed and None
    returned, so the caller rebuilds it."""
    folder = entry / name
    if not folder.exists():
        return None
    try:
        return _read(folder, key)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        _log.warning("rebuilding an unreadable projection cache entry %s (%s)", folder,
                     str(exc) or type(exc).__name__)
        shutil.rmtree(folder, ignore_errors=True)
        return None


def _read(folder: Path, key: str) -> Bundle:
    meta = json.loads((folder / _META).read_text())
    if meta.get("key") != key:
        raise ValueError("the entry belongs to another snapshot")
    arrays = {}
    for file_name, described in meta["arrays"].items():
        path = folder / f"{file_name}.npy"
        array = (np.load(path, mmap_mode="c", allow_pickle=False) if path.stat().st_size
                 else np.zeros(0))
        if array.dtype.str != described["dtype"] or list(array.shape) != described["shape"]:
            raise ValueError(f"{file_name}: not the array that was written")
        if _checksum(array) != described["checksum"]:
            raise ValueError(f"{file_name}: checksum mismatch")
        arrays[file_name] = array
    strings = {name: StringColumn(arrays.pop(f"{name}.data"), arrays.pop(f"{name}.offsets"))
               for name in meta["strings"]}
    for name, column in strings.items():
        offsets = column.offsets
        if len(offsets) == 0 or offsets[0] != 0 or offsets[-1] != len(column.data) or \
                (len(offsets) > 1 and np.any(offsets[1:] < offsets[:-1])):
            raise ValueError(f"{name}: inconsistent offsets")
    return Bundle(arrays, strings, meta)


def _checksum(array: np.ndarray) -> str:
    """A content checksum at memory speed: the byte length and the sum of the bytes taken as
    64-bit words (catches empty, truncated, zeroed and flipped data; one pass, so a query
    on a million-node snapshot pays tens of milliseconds for it)."""
    raw = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    pad = (-len(raw)) % 8
    words = (np.concatenate([raw, np.zeros(pad, np.uint8)]) if pad else raw).view(np.uint64)
    return f"{len(raw)}:{int(words.sum(dtype=np.uint64)):016x}"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
