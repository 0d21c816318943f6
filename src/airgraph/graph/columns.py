"""String columns a projection can hold by the million without a million Python strings.

:class:`StringColumn` keeps UTF-8 bytes and offsets (memory-mapped from the cache, or
packed once) and decodes an item when it is read; :class:`IdIndex` finds an id's row
by binary search in a column sorted by id, so a query on one node never builds a
dictionary of every id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np

__all__ = ["IdIndex", "StringColumn"]

_NONE = b"\x00none"


class StringColumn(Sequence[Any]):
    """A read-only sequence of ``str | None`` over packed UTF-8 bytes."""

    _DECODE_ALL_AFTER = 4096
    """Single reads after which every item is decoded at once (cheaper from then on)."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray) -> None:
        self.data = data
        self.offsets = offsets
        self._bytes = memoryview(data.view(np.uint8)) if len(data) else memoryview(b"")
        self._offsets = np.asarray(offsets).view(np.ndarray)  # plain: memmap indexing is slow
        self._list: list[Any] | None = None
        self._reads = 0

    @classmethod
    def pack(cls, values: Iterable[str | None]) -> StringColumn:
        encoded = [_NONE if v is None else v.encode("utf-8", "surrogatepass") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)),
                  out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return self.tolist()[i]
        if self._list is not None:
            return self._list[i]
        self._reads += 1
        if self._reads > self._DECODE_ALL_AFTER:
            return self.tolist()[i]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        raw = bytes(self._bytes[int(self._offsets[i]):int(self._offsets[i + 1])])
        return None if raw == _NONE else raw.decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def tolist(self) -> list[Any]:
        """Every item, decoded once and kept."""
        if self._list is None:
            blob = self._bytes.tobytes()
            bounds = self._offsets.tolist()
            self._list = [None if (raw := blob[a:b]) == _NONE
                          else raw.decode("utf-8", "surrogatepass")
                          for a, b in zip(bounds, bounds[1:])]
        return self._list

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(self.tolist(), dtype=dtype if dtype is not None else object)


class IdIndex:
    """Row of an id in a column of ids sorted in code point order (as Python sorts str)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = ids

    def get(self, node_id: str, default: int | None = None) -> int | None:
        ids = self.ids
        lo, hi = 0, len(ids)
        while lo < hi:
            mid = (lo + hi) // 2
            if ids[mid] < node_id:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(ids) and ids[lo] == node_id else default

    def __getitem__(self, node_id: str) -> int:
        row = self.get(node_id)
        if row is None:
            raise KeyError(node_id)
        return row

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and self.get(node_id) is not None

    def __len__(self) -> int:
        return len(self.ids)
