"""Names: imports and aliases within a file, and modules across the scanned tree."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from airgraph.ingest.code.facts import FileFacts

__all__ = ["ModuleIndex", "import_bindings", "is_package", "module_name"]


def module_name(rel: str) -> str:
    """``pkg/sub/mod.py`` -> ``pkg.sub.mod``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = rel[:-3].split("/") if rel.endswith(".py") else rel.split("/")
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def is_package(rel: str) -> bool:
    return rel.endswith("__init__.py")


def import_bindings(node: ast.Import | ast.ImportFrom, module: str,
                    package: bool) -> Iterator[tuple[str, str]]:
    """The (local name, dotted name) pairs an import statement binds.

    Relative imports are made absolute from ``module`` (the importing file's module;
    ``package`` when that file is an ``__init__``). ``import a.b`` binds ``a``.
    """
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                yield alias.asname, alias.name
            else:
                head = alias.name.split(".")[0]
                yield head, head
        return
    base = node.module or ""
    if node.level:
        parts = module.split(".") if module else []
        keep = len(parts) - node.level + (1 if package else 0)
        prefix = parts[:max(keep, 0)]
        base = ".".join([*prefix, base] if base else prefix)
    for alias in node.names:
        if alias.name == "*":
            continue
        yield alias.asname or alias.name, f"{base}.{alias.name}" if base else alias.name


class ModuleIndex:
    """Finds the scanned file a dotted module name means.

    Imports name modules from their package root, which need not be the scanned
    root (``src/`` layouts, monorepos): a name matches a file's module exactly, or
    else the one file whose module ends with it.
    """

    def __init__(self, files: Iterable[FileFacts]) -> None:
        self.exact: dict[str, FileFacts] = {}
        self.suffix: dict[str, FileFacts | None] = {}
        for facts in files:
            self.exact[facts.module] = facts
            parts = facts.module.split(".")
            for i in range(1, len(parts)):
                tail = ".".join(parts[i:])
                self.suffix[tail] = None if tail in self.suffix else facts

    def get(self, module: str) -> FileFacts | None:
        return self.exact.get(module) or self.suffix.get(module)

    def split(self, dotted: str) -> tuple[FileFacts, list[str]] | None:
        """The file of the longest module prefix of ``dotted``, and the names after it."""
        parts = dotted.split(".")
        for i in range(len(parts) - 1, 0, -1):
            facts = self.get(".".join(parts[:i]))
            if facts is not None:
                return facts, parts[i:]
        return None
