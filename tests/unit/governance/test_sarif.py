"""SARIF from a failing check: valid 2.1.0, and what GitHub code scanning requires."""

from __future__ import annotations

import json

import jsonschema
import pytest

import airgraph
from airgraph.catalogue import rule
from airgraph.export.sarif import to_sarif
from airgraph.queries.policy import check, load_policy
from tests.unit.governance.estate import SCHEMAS


@pytest.fixture
def sarif(graph: airgraph.Graph) -> dict:
    return to_sarif(check(graph, load_policy()))


def test_valid_against_the_sarif_schema(sarif: dict):
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema, cls=jsonschema.Draft4Validator)


def test_rules_carry_descriptions_help_and_security_severity(sarif: dict):
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({r.rule for r in load_policy().rules})
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["text"] and r["help"]["markdown"]
        assert float(r["properties"]["security-severity"]) == rule(r["id"]).security_severity


def test_every_result_has_a_rule_and_a_physical_location(sarif: dict):
    run = sarif["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["results"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] and physical["region"]["startLine"] >= 1
        assert location["logicalLocations"][0]["fullyQualifiedName"]
    prints = [r["partialFingerprints"]["airgraphFinding/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)


def test_new_attack_paths_are_named_with_their_code_flows(sarif: dict):
    new = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "new-attack-path"]
    assert any(r["properties"]["node"] == "ep:web-chat" for r in new)
    for result in new:
        target = result["properties"]["target"]
        assert target in result["message"]["text"]
        steps = [step["location"]["logicalLocations"][0]["name"]
                 for step in result["codeFlows"][0]["threadFlows"][0]["locations"]]
        assert steps[0] == result["properties"]["node"] and steps[-1] == target
        assert "mcp:kubectl:run_shell" in steps
