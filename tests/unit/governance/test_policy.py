"""The policy gate: default policy, baselines, ignores, and bad policy files."""

from __future__ import annotations

from pathlib import Path

import pytest

import airgraph
from airgraph.api import ingest_source
from airgraph.catalogue import RULES
from airgraph.demo import demo_records
from airgraph.errors import ConfigError
from airgraph.ingest.manifest import load_manifest
from airgraph.queries.drift import drift
from airgraph.queries.policy import check, load_policy


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return path


def test_default_policy_names_catalogue_rules():
    policy = load_policy()
    assert policy.rules and all(r.rule in RULES for r in policy.rules)
    assert {"new-attack-path", "lethal-trifecta", "unowned-component"} <= {
        r.rule for r in policy.rules}


def test_new_attack_paths_are_violations_naming_each_new_pair(graph: airgraph.Graph):
    result = check(graph, load_policy())
    assert not result.passed and result.baseline == 1
    new = {(v.node, v.target) for v in result.violations if v.rule == "new-attack-path"}
    assert new == {(p.start, p.target) for p in drift(graph).pairs_added}
    for v in result.violations:
        if v.rule == "new-attack-path":
            assert v.paths and v.paths[0].nodes[-1] == v.target
            assert "mcp:kubectl:run_shell" in v.paths[0].nodes
            assert v.owner == "team-support-eng" or v.node != "ep:web-chat"


def test_the_first_snapshot_has_no_baseline_and_no_new_paths(graph: airgraph.Graph):
    result = check(graph.at(1), load_policy())
    assert result.baseline is None
    assert not any(v.rule.startswith("new-") for v in result.violations)


def test_baseline_override_and_ignore(graph: airgraph.Graph, tmp_path: Path):
    policy = load_policy(_write(tmp_path, """version: 1
rules:
  - name: no-new-attack-path
    rule: new-attack-path
    baseline: 1
    ignore: [ep:web-chat]
"""))
    result = check(graph, policy)
    assert result.violations and {v.node for v in result.violations} == {"ep:support-inbox"}
    assert check(graph, policy, baseline=2).passed


def test_unowned_components_report_and_owners_are_shown(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 's.db'}"
    ingest_source(demo_records(), uri)
    orphan = tmp_path / "orphan.yaml"
    orphan.write_text("version: 1\nnodes:\n  - {id: tool:orphan, kind: Tool, capabilities: "
                      "[read]}\nedges:\n  - {from: agent:support-bot, to: tool:orphan, "
                      "kind: CALLS}\n")
    with airgraph.open(uri) as g:
        ingest_source(load_manifest(orphan, known=g.store.node_kinds(g.snapshot)), g.store)
    policy = load_policy(_write(tmp_path, "version: 1\nrules:\n  - {name: owned, rule: "
                                          "unowned-component}\n  - {name: trifecta, rule: "
                                          "lethal-trifecta}\n"))
    with airgraph.open(uri) as g:
        result = check(g, policy)
    [unowned] = [v for v in result.violations if v.rule == "unowned-component"]
    assert (unowned.node, unowned.owner, unowned.policy_rule) == ("tool:orphan", None, "owned")
    assert unowned.paths and unowned.paths[0].nodes[-1] == "tool:orphan"
    trifecta = [v for v in result.violations if v.rule == "lethal-trifecta"]
    assert trifecta and all(v.owner for v in trifecta)


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("version: 2\nrules: []\n", 1, "unsupported policy version"),
    ("version: 1\nrules:\n  - name: a\n    rule: lethal-trifecta\n  - name: b\n"
     "    rule: no-such-rule\n", 5, "unknown catalogue rule 'no-such-rule'"),
    ("version: 1\nrules:\n  - name: a\n    rule: lethal-trifecta\n    baseline: 3\n", 3,
     "'baseline' applies only to"),
    ("version: 1\nrules:\n  - name: a\n    rule: new-attack-path\n    baseline: last\n", 3,
     "snapshot number or 'previous'"),
    ("version: 1\nrules:\n  - {name: a, rule: lethal-trifecta}\n"
     "  - {name: a, rule: unowned-component}\n", 4, "duplicate rule name 'a'"),
    ("version: 1\nrules:\n  - name: a\n    rule: lethal-trifecta\n    when: always\n", 3,
     "unknown key(s) when"),
    ("version: 1\nrules:\n  - name: a\n   rule: [\n", 4, "not valid YAML"),
])
def test_bad_policies_name_the_line(tmp_path: Path, text: str, line: int, fragment: str):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_policy(path)
    assert f"{path}:{line}:" in str(caught.value) and fragment in str(caught.value)
