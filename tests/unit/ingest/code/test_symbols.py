"""Module names, imports and the tree's module index."""

from __future__ import annotations

import ast

import pytest

from airgraph.ingest.code.facts import FileFacts
from airgraph.ingest.code.symbols import ModuleIndex, import_bindings, module_name


@pytest.mark.parametrize(("rel", "module"), [
    ("a.py", "a"), ("pkg/mod.py", "pkg.mod"), ("pkg/__init__.py", "pkg"),
    ("src/pkg/sub/x.py", "src.pkg.sub.x")])
def test_module_name(rel: str, module: str) -> None:
    assert module_name(rel) == module


@pytest.mark.parametrize(("code", "module", "package", "expected"), [
    ("import os.path", "m", False, [("os", "os")]),
    ("import numpy as np", "m", False, [("np", "numpy")]),
    ("from agents import Agent as A, Runner", "m", False,
     [("A", "agents.Agent"), ("Runner", "agents.Runner")]),
    ("from .tools import x", "pkg.api", False, [("x", "pkg.tools.x")]),
    ("from .tools import x", "pkg", True, [("x", "pkg.tools.x")]),
    ("from .. import y", "pkg.sub.mod", False, [("y", "pkg.y")]),
    ("from x import *", "m", False, []),
])
def test_import_bindings(code: str, module: str, package: bool, expected: list) -> None:
    node = ast.parse(code).body[0]
    assert list(import_bindings(node, module, package)) == expected


def test_index_matches_suffix_of_src_layout_and_refuses_ambiguity() -> None:
    files = [FileFacts("src/app/tools.py", "src.app.tools"), FileFacts("a/util.py", "a.util"),
             FileFacts("b/util.py", "b.util")]
    index = ModuleIndex(files)
    assert index.get("app.tools") is files[0]
    assert index.get("util") is None
    found = index.split("app.tools.search.run")
    assert found is not None and found[0] is files[0] and found[1] == ["search", "run"]
    assert index.split("requests.get") is None
