"""Walks a source tree and parses its Python files in parallel (a process pool), never
importing or running them; files that do not parse are reported and skipped."""

from __future__ import annotations

import ast
import logging
import os
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from airgraph.errors import IngestError
from airgraph.ingest.code.extract import Scanner
from airgraph.ingest.code.facts import FileFacts
from airgraph.ingest.code.builtins import FRAMEWORK_ROOTS
from airgraph.ingest.code.frameworks import HANDLERS, METHODS, by_class
from airgraph.ingest.code.records import build_records
from airgraph.ingest.code.symbols import is_package, module_name
from airgraph.ingest.records import SourceRecords

__all__ = ["iter_python_files", "scan_file", "scan_source", "scan_tree"]

logger = logging.getLogger(__name__)

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "env", "node_modules",
                        "__pycache__", "site-packages", ".tox", ".nox", "build", "dist",
                        ".mypy_cache", ".pytest_cache", ".ruff_cache", "tests", "test"})
_ROOTS = frozenset(FRAMEWORK_ROOTS)
_CHUNK = 64
_SERIAL_BELOW = 200
"""Trees smaller than this are scanned in-process: a pool costs more than it saves."""


def iter_python_files(root: Path) -> Iterator[str]:
    """Relative paths (``/``-separated, sorted) of the Python files under ``root``,
    leaving out virtual environments, hidden directories and tests."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(filenames):
            if not name.endswith(".py") or _is_test_file(name):
                continue
            yield name if rel_dir == "." else f"{rel_dir.replace(os.sep, '/')}/{name}"


def _is_test_file(name: str) -> bool:
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def scan_file(root: str, rel: str) -> FileFacts:
    """Parse one file into facts; a file that cannot be read or parsed yields a warning."""
    facts = FileFacts(rel, module_name(rel))
    path = os.path.join(root, rel)
    try:
        with open(path, "rb") as fh:
            source = fh.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, filename=rel)
    except SyntaxError as exc:
        facts.warnings.append(f"{rel}:{exc.lineno or 0}: skipped, not valid Python "
                              f"({exc.msg})")
        return facts
    except (OSError, ValueError) as exc:
        facts.warnings.append(f"{rel}: skipped, cannot read ({exc})")
        return facts
    except (RecursionError, MemoryError):
        facts.warnings.append(f"{rel}: skipped, nested too deeply to parse")
        return facts
    try:
        Scanner(facts, is_package(rel), HANDLERS, METHODS, by_class, _ROOTS).run(tree)
    except RecursionError:
        facts.objects.clear()
        facts.warnings.append(f"{rel}: skipped, nested too deeply to read")
    return facts


def _scan_chunk(root: str, rels: list[str]) -> list[FileFacts]:
    return [scan_file(root, rel) for rel in rels]


def scan_tree(root: Path, *, workers: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> list[FileFacts]:
    """The facts of every Python file under ``root``, in path order.

    ``progress(done, total)`` is called as files complete; ``workers`` caps the
    process pool (default: the CPU count; 1 scans in this process).
    """
    if not root.is_dir():
        raise IngestError("not a directory", file=str(root))
    rels = list(iter_python_files(root))
    total = len(rels)
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or total < _SERIAL_BELOW:
        results = []
        for i, rel in enumerate(rels, 1):
            results.append(scan_file(str(root), rel))
            if progress:
                progress(i, total)
        return results
    chunks = [rels[i:i + _CHUNK] for i in range(0, total, _CHUNK)]
    results = []
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk in pool.map(_scan_chunk, [str(root)] * len(chunks), chunks):
            results.extend(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    return results


def scan_source(root: Path, *, source: str | None = None, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> SourceRecords:
    """Scan a code base into records: source ``code:<absolute root>`` unless given."""
    root = root.resolve()
    files = scan_tree(root, workers=workers, progress=progress)
    warnings_ = [w for f in files for w in f.warnings]
    logger.debug("scanned %d files under %s, %d skipped", len(files), root, len(warnings_))
    return build_records(files, source=source or f"code:{root}",
                         label=f"{len(files)} Python files under {root}", warnings=warnings_)
