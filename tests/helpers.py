"""Helpers shared by test modules (importable as ``helpers``; conftest files are not)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


def semantics_cases() -> list[dict]:
    """The worked examples of shared/examples/semantics.json (copied into tests/data)."""
    return json.loads((DATA / "semantics.json").read_text())["cases"]


def write_manifest(path: Path, manifest: dict) -> Path:
    """Write ``manifest`` as JSON or YAML, by the file's suffix."""
    text = (json.dumps(manifest) if path.suffix == ".json"
            else yaml.safe_dump(copy.deepcopy(manifest), sort_keys=False))
    path.write_text(text)
    return path
