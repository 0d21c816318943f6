"""Knowing whether numba's on-disk cache is warm, and warming it away from the user.

A marker file, keyed on the kernels' source and the numba and Python versions,
is written once every kernel has been compiled and cached.
``python -m airgraph.graph.kernels`` compiles them all.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

__all__ = ["allow_background", "compile_now", "is_warm", "kernel_module", "mode", "warm",
           "warm_in_background"]

_MODULES = {
    "reach_bits": "airgraph.graph.kernels.reach",
    "exposure_bits": "airgraph.graph.kernels.reach",
    "exposure_rows": "airgraph.graph.kernels.reach",
    "most_likely_path": "airgraph.graph.kernels.paths",
    "reverse_csr": "airgraph.graph.kernels.paths",
    "reach_mask": "airgraph.graph.kernels.paths",
    "path_costs": "airgraph.graph.kernels.paths",
    "condense": "airgraph.graph.kernels.scc",
    "propagate_bits": "airgraph.graph.kernels.scc",
    "transpose_bits": "airgraph.graph.kernels.bits",
    "count_columns": "airgraph.graph.kernels.bits",
    "classify_edges": "airgraph.graph.kernels.classify",
    "merge_edges": "airgraph.graph.kernels.classify",
    "max_flow": "airgraph.graph.kernels.flow",
    "dominated_weight": "airgraph.graph.kernels.flow",
    "removal_effects": "airgraph.graph.kernels.flow",
}
_MODES = ("auto", "python", "compiled")

_log = logging.getLogger(__name__)
_announced = False
_warm = False
_spawned = False
_background = False


def mode() -> str:
    """``AIRGRAPH_KERNELS``: ``auto`` (default: compiled once the cache is warm, plain
    Python for small problems until then), ``python`` (never compile) or ``compiled``
    (always compile, in line)."""
    value = os.environ.get("AIRGRAPH_KERNELS", "auto")
    if value not in _MODES:
        from airgraph.errors import ConfigError

        raise ConfigError(f"AIRGRAPH_KERNELS={value!r}: use one of {', '.join(_MODES)}")
    return value


def allow_background() -> None:
    """Let this process warm the cache in a background process (the CLI does; library
    use never starts a process)."""
    global _background
    _background = True


def kernel_module(name: str) -> ModuleType:
    return importlib.import_module(_MODULES[name])


def _marker() -> Path:
    import numba

    digest = hashlib.sha256()
    for module in sorted(set(_MODULES.values())):
        spec = importlib.util.find_spec(module)
        digest.update(Path(spec.origin).read_bytes())  # type: ignore[arg-type, union-attr]
    digest.update(f"{numba.__version__} {sys.version}".encode())
    home = Path(os.environ.get("AIRGRAPH_HOME", Path.home() / ".airgraph"))
    return home / "cache" / f"kernels-{digest.hexdigest()[:16]}.ok"


def is_warm() -> bool:
    """Whether every kernel is compiled and cached; a yes is remembered for the process."""
    global _warm
    _warm = _warm or _marker().exists()
    return _warm


def compile_now() -> None:
    """Compile every kernel in this process, once, saying so: for problems too large to wait."""
    global _announced
    if not _announced and not is_warm():
        _announced = True
        _log.warning("compiling the graph kernels (once; numba caches them on disk)...")
        _log.warning("kernels compiled in %.0f s", warm())


def warm_in_background() -> None:
    """Start one detached process that compiles and caches every kernel."""
    global _spawned
    if not _background or _spawned or os.environ.get("AIRGRAPH_NO_BACKGROUND_WARM") == "1":
        return
    _spawned = True
    lock = _marker().with_suffix(".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    if lock.exists() and time.time() - lock.stat().st_mtime < 600:
        return
    lock.touch()
    subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "airgraph.graph.kernels"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def warm() -> float:
    """Compile every kernel on tiny inputs (numba caches them); return the seconds taken."""
    import numpy as np

    started = time.perf_counter()
    reach = kernel_module("reach_bits")
    paths = kernel_module("most_likely_path")
    indptr = np.array([0, 1, 1], dtype=np.int64)
    dst = np.array([1], dtype=np.int32)
    edge_class = np.array([1], dtype=np.int8)
    seen = reach.reach_bits(indptr, dst, np.ones(1, dtype=np.bool_),
                            np.array([0], dtype=np.int64), 2)
    reach.exposure_bits(indptr, dst, edge_class, seen)
    paths.most_likely_path(indptr, dst, edge_class, np.zeros(1), np.int64(0), np.int64(1),
                           np.zeros(2, dtype=np.bool_), np.zeros(1, dtype=np.bool_))
    rindptr, redge = paths.reverse_csr(indptr, dst)
    for csr, nbr, start in ((indptr, dst, 0), (rindptr, redge, 1)):  # forward and reversed
        paths.reach_mask(csr, nbr, np.ones(1, dtype=np.bool_), np.array([start], dtype=np.int64))
        paths.path_costs(csr, nbr, edge_class, np.zeros(1), np.int64(start), np.int64(1),
                         bool(start))
    scc = kernel_module("condense")
    comp, n_comp = scc.condense(indptr, dst, np.ones(1, dtype=np.bool_))
    members = np.argsort(comp, kind="stable")
    starts = np.zeros(n_comp + 1, dtype=np.int64)
    bits = scc.propagate_bits(indptr, dst, np.ones(1, dtype=np.bool_), comp, n_comp,
                                   members, starts, np.array([0], dtype=np.int64))
    reach.exposure_rows(indptr, dst, edge_class, comp, bits, np.zeros(2, dtype=np.int64),
                        np.int64(1))
    kernel_module("transpose_bits").transpose_bits(bits)
    kernel_module("count_columns").count_columns(bits, np.ones((1, 1), dtype=np.uint64), 1)
    classify = kernel_module("classify_edges")
    src, kind, flags = np.array([0], dtype=np.int64), np.array([0], dtype=np.int8), np.ones(2, bool)
    classes, likelihood = classify.classify_edges(src, dst, kind, np.ones(1), edge_class,
                                                  np.ones(1, bool), flags, flags, flags, True, 0.5)
    classify.merge_edges(2, src, dst, kind, classes, likelihood, src, src, 8, 1, np.ones(1), src)
    flow = kernel_module("max_flow")
    arcs = np.array([0], dtype=np.int64)
    f_indptr, f_head, f_residual, f_rev, _ = flow.residual_csr(arcs, arcs + 1, arcs + 1, 2)
    flow.max_flow(f_indptr, f_head, f_residual, f_rev, np.int64(0), np.int64(1),
                  np.int64(1 << 60))
    flow.dominated_weight(indptr, dst, np.array([0, 0, 1], dtype=np.int64),
                          np.array([0], dtype=np.int32), np.int64(0),
                          np.ones(2, dtype=np.int64))
    none = np.full(2, -1, dtype=np.int64)
    flow.removal_effects(indptr, dst, np.array([0, 0, 1], dtype=np.int64),
                         np.array([0], dtype=np.int32), np.zeros(1, dtype=np.int64),
                         np.array([0], dtype=np.int64), np.ones((2, 2), dtype=np.int64), none,
                         none, np.int64(0), none, np.zeros(1, dtype=np.int64), np.int64(1))
    marker = _marker()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    marker.with_suffix(".lock").unlink(missing_ok=True)
    return time.perf_counter() - started
