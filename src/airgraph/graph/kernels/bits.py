"""Bit-matrix transpose: from per-node source sets to per-source node sets.

Counting, for each of k sources, the nodes of a mask it reaches is then one AND and one
popcount per 64 nodes, instead of a loop over every set bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.extending import register_jitable

__all__ = ["count_columns", "transpose_bits"]


@register_jitable
def _load_transposed(bits, lo, w, a):  # pragma: no cover - inlined into the kernels
    """Load rows ``lo..lo+63`` of word ``w`` into ``a`` and transpose the 64 x 64 block in
    place (Hacker's Delight 7-3); rows go in reversed so bit 0 stays the lowest bit both
    ways. False when the block is empty (``a`` is then left as is)."""
    n = bits.shape[0]
    nonzero = False
    for i in range(64):
        a[63 - i] = bits[lo + i, w] if lo + i < n else np.uint64(0)
        if a[63 - i]:
            nonzero = True
    if not nonzero:
        return False
    j = 32
    m = np.uint64(0x00000000FFFFFFFF)
    while j != 0:
        k = 0
        while k < 64:
            t = (a[k] ^ (a[k + j] >> np.uint64(j))) & m
            a[k] ^= t
            a[k + j] ^= t << np.uint64(j)
            k = (k + j + 1) & ~j
        j >>= 1
        m ^= m << np.uint64(j)
    return True


@njit(cache=True, nogil=True)
def transpose_bits(bits):  # pragma: no cover - compiled
    """``out[j, v // 64]`` bit ``v % 64`` equals ``bits[v, j // 64]`` bit ``j % 64``.

    Works on 64 x 64 blocks (see :func:`_load_transposed`).
    """
    n, words = bits.shape
    blocks = (n + 63) // 64
    out = np.zeros((words * 64, blocks), dtype=np.uint64)
    a = np.zeros(64, dtype=np.uint64)
    for blk in range(blocks):
        lo = blk * 64
        for w in range(words):
            if not _load_transposed(bits, lo, w, a):
                continue
            for i in range(64):
                out[w * 64 + 63 - i, blk] = a[i]
    return out


@njit(cache=True, nogil=True)
def count_columns(bits, masks, n_sources):  # pragma: no cover - compiled
    """``counts[i, j]``: nodes in packed mask ``masks[i]`` whose row has bit ``j`` set.

    The transpose of :func:`transpose_bits`, one 64 x 64 block at a time, fused with a
    popcount against every mask: no transposed matrix is ever built.
    """
    n, words = bits.shape
    counts = np.zeros((masks.shape[0], n_sources), dtype=np.int64)
    a = np.zeros(64, dtype=np.uint64)
    m1 = np.uint64(0x5555555555555555)
    m2 = np.uint64(0x3333333333333333)
    m4 = np.uint64(0x0F0F0F0F0F0F0F0F)
    for blk in range((n + 63) // 64):
        lo = blk * 64
        for w in range(words):
            if not _load_transposed(bits, lo, w, a):
                continue
            for i in range(64):
                source = w * 64 + 63 - i
                if source >= n_sources or a[i] == 0:
                    continue
                for q in range(masks.shape[0]):
                    x = a[i] & masks[q, blk]
                    x = x - ((x >> np.uint64(1)) & m1)
                    x = (x & m2) + ((x >> np.uint64(2)) & m2)
                    x = (x + (x >> np.uint64(4))) & m4
                    x += x >> np.uint64(8)  # byte sums by shifts: no overflowing multiply
                    x += x >> np.uint64(16)
                    x += x >> np.uint64(32)
                    counts[q, source] += x & np.uint64(0x7F)
    return counts
