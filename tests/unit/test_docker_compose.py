"""docker-compose.yml: Neo4j 5.26 with a healthcheck, and airgraph waiting for it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def _compose_cli() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


def test_compose_file_wires_airgraph_to_a_healthy_neo4j():
    spec = yaml.safe_load(COMPOSE.read_text())
    neo4j, app = spec["services"]["neo4j"], spec["services"]["airgraph"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert {"test", "interval", "retries"} <= set(neo4j["healthcheck"])
    assert {v.split(":")[1] for v in neo4j["volumes"]} == {"/data", "/logs"}
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["AIRGRAPH_STORE"] == "neo4j://neo4j:7687"
    assert app["build"] == "."
    assert (ROOT / "Dockerfile").exists() and (ROOT / ".env.example").exists()


def test_every_variable_a_service_uses_is_set_for_that_service():
    """A healthcheck or command runs inside its own container: the variables it reads
    (``$$NAME`` in compose syntax) must be in that service's environment."""
    spec = yaml.safe_load(COMPOSE.read_text())
    for name, service in spec["services"].items():
        used = re.findall(r"\$\$\{?([A-Z_][A-Z0-9_]*)", json.dumps(
            [service.get("healthcheck", {}), service.get("command"), service.get("entrypoint")]))
        missing = set(used) - set(service.get("environment", {}))
        assert not missing, f"service {name} uses {sorted(missing)} but does not set them"


@pytest.mark.skipif(not _compose_cli(), reason="the docker compose plugin is not installed here")
def test_docker_compose_config_accepts_the_file():
    result = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
                            capture_output=True, text=True, env={"NEO4J_PASSWORD": "test",
                                                                "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
