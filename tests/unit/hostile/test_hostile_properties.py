"""Arbitrary YAML and JSON values in manifest properties: the ingest either loads (exit 0)
and every query then works, or is refused (exit 2) with the store unchanged; nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hostile_estate import dump, invoke
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import airgraph

BASE = {"version": 1, "nodes": [
    {"id": "chat", "kind": "EntryPoint", "exposure": "public", "interactive": True},
    {"id": "bot", "kind": "Agent"},
    {"id": "sql", "kind": "Tool", "capabilities": ["read", "execute"]},
    {"id": "crm", "kind": "DataStore", "sensitivity": "restricted"},
    {"id": "mail", "kind": "Sink", "external": True},
], "edges": [
    {"from": "chat", "to": "bot", "kind": "PROMPTS"},
    {"from": "bot", "to": "sql", "kind": "CALLS"},
    {"from": "sql", "to": "crm", "kind": "READS"},
    {"from": "sql", "to": "mail", "kind": "SENDS_TO"},
]}
# property names: ones the schema types, edge keys, secret-like ones, and anything
_KEYS = st.one_of(
    st.sampled_from(["exposure", "interactive", "capabilities", "sensitivity", "external",
                     "contains", "name", "owner", "description", "findings", "likelihood",
                     "via", "calls", "reads", "prompts", "id", "kind", "evidence", "password",
                     "api_key", "__line__", "", "version"]),
    st.text(max_size=12))
_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()  # NaN and infinities too
            | st.text(max_size=20))
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
# YAML that no JSON value gives: tags, timestamps, anchors, merge keys, odd scalars
_YAML_ONLY = st.sampled_from([
    "2024-01-01", "2024-01-01T10:00:00Z", "!!binary aGVsbG8=", "!!set {a: null}", ".nan",
    "-.inf", "0x1F", "0o17", "1_000", "~", "!!str 12", "!!python/object:os.system ls",
    "&a [1, *a]", "{<<: {a: 1}}", "!!omap [a: 1]", "'\x1b[2J'", "\"\\x1b]8;;x\\a\"", "|\n  a\n  b",
])
_TARGETS = st.sampled_from(["chat", "bot", "sql", "crm", "mail", "edge"])


def _yaml_with(key: str, raw: str, target: str) -> str:
    """BASE as YAML with ``key: raw`` (raw YAML text) added to one node or edge."""
    text = yaml.safe_dump(BASE, sort_keys=False)
    anchor = "- from: sql\n  to: crm\n" if target == "edge" else f"- id: {target}\n"
    indent = "    " if "|" in raw else ""
    value = raw.replace("\n", "\n" + indent) if indent else raw
    assert anchor in text
    return text.replace(anchor, f"{anchor}  {json.dumps(key)}: {value}\n", 1)


def _with(key: str, value: object, target: str) -> dict:
    manifest = json.loads(json.dumps(BASE))
    where = (manifest["edges"][2] if target == "edge"
             else next(n for n in manifest["nodes"] if n["id"] == target))
    where[key] = value
    return manifest


@st.composite
def _manifests(draw) -> tuple[str, str, str]:
    """(suffix, text) of BASE with one hostile property, and the node to show after it
    loaded."""
    key, target = draw(_KEYS), draw(_TARGETS)
    shown = "sql" if target == "edge" else target
    form = draw(st.sampled_from(["json", "yaml", "yaml-raw"]))
    if form == "yaml-raw":
        return ".yaml", _yaml_with(key, draw(_YAML_ONLY), target), shown
    manifest = _with(key, draw(_JSON), target)
    if form == "json":  # NaN and Infinity written as JavaScript literals
        return ".json", json.dumps(manifest), shown
    return ".yaml", yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), shown


def _clean(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    """A store holding BASE, and the manifest path every example rewrites (one source)."""
    folder = tmp_path_factory.mktemp("properties")
    store = folder / "s.db"
    manifest = folder / "m"
    manifest.write_text(json.dumps(BASE))
    assert invoke("ingest", "manifest", str(manifest), "--store", f"sqlite:///{store}"
                  ).exit_code == 0
    return f"sqlite:///{store}", store, manifest


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(manifest=_manifests())
def test_any_property_value_loads_cleanly_or_changes_nothing(
        manifest: tuple[str, str, str], store: tuple[str, Path, Path]):
    uri, path, previous = store
    suffix, text, target = manifest
    file = previous.with_suffix(suffix)  # .json or .yaml: one source per suffix
    file.write_text(text)
    before = dump(path)

    result = invoke("ingest", "manifest", str(file), "--store", uri)

    _clean(result)
    assert result.exit_code in (0, 2), result.stdout + result.stderr
    event(f"exit {result.exit_code}")
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ")
        assert dump(path) == before
        return
    with airgraph.open(uri) as g:  # every query, on one projection
        answers = [g.blast_radius("chat"), g.reach_all(), g.attack_paths("chat", "crm"),
                   g.lethal_trifecta(), g.choke_points(), g.node(target), g.findings(),
                   g.sources()]
        json.dumps([a.to_dict() for a in answers[:-1]], allow_nan=False)
    shown = invoke("show", target, "--store", uri)  # the value rendered for a human
    _clean(shown)
    assert shown.exit_code == 0, shown.stderr
