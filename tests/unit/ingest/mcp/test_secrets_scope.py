"""Inline secret detection, fingerprints, filesystem scope and docker risks."""

from __future__ import annotations

import pytest

from airgraph.ingest.mcp.scope import docker_risks, filesystem_scope, is_broad
from airgraph.ingest.mcp.secrets import is_reference, looks_secret
from airgraph.ingest.secrets import fingerprint


@pytest.mark.parametrize("value", ["${GITHUB_TOKEN}", "${env:GITHUB_TOKEN}", "$TOKEN",
                                   "%TOKEN%", "${input:token}", "{env:TOKEN}"])
def test_references_are_not_inline(value: str) -> None:
    assert is_reference(value) and looks_secret("GITHUB_TOKEN", value) is None


@pytest.mark.parametrize(("name", "value"), [
    ("GITHUB_TOKEN", "ghp_FAKEfakeFAKEfake0123456789abcdefABCD"),
    ("ANY", "sk-ant-FAKEfakeFAKEfake-0123456789abcdef"),
    ("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKEFAKE"),
    ("DB_PASSWORD", "correct horse battery"),
    ("Authorization", "Bearer abcdefghijkl"),
])
def test_inline_secrets_are_found(name: str, value: str) -> None:
    assert looks_secret(name, value)


@pytest.mark.parametrize(("name", "value"), [
    ("LOG_LEVEL", "info"), ("TOKEN_CACHE", "true"), ("API_KEY", "1"),
    ("PORT", "8080"), ("HOME_DIR", "/home/dev"), ("SECRET_NAME", "<your secret>"),
])
def test_plain_settings_are_not_secrets(name: str, value: str) -> None:
    assert looks_secret(name, value) is None


def test_fingerprints_are_salted_and_stable() -> None:
    assert fingerprint(b"a", "v") == fingerprint(b"a", "v") != fingerprint(b"b", "v")
    assert "v" not in fingerprint(b"a", "v") and len(fingerprint(b"a", "v")) == 16


@pytest.mark.parametrize("path", ["/", "~", "~/", "$HOME", "/home/dev", "/Users/dev",
                                  "C:\\Users\\dev", "/root"])
def test_broad_paths(path: str) -> None:
    assert is_broad(path)


@pytest.mark.parametrize("path", ["/home/dev/src", "~/project", "/tmp", "./data"])
def test_narrow_paths(path: str) -> None:
    assert not is_broad(path)


def test_filesystem_server_roots() -> None:
    scope = filesystem_scope("npx", ["-y", "@modelcontextprotocol/server-filesystem", "~",
                                     "/tmp/x"])
    assert [(s.path, s.broad, s.via) for s in scope] == [
        ("~", True, "filesystem-server"), ("/tmp/x", False, "filesystem-server")]


def test_directory_flags_but_not_uv_project_dir() -> None:
    assert [s.path for s in filesystem_scope("uvx", ["srv", "--root=/data"])] == ["/data"]
    assert filesystem_scope("uv", ["--directory", "/opt/srv", "run", "srv.py"]) == []
    assert [s.path for s in filesystem_scope("node", ["srv.js", "--repository", "/r"])] == ["/r"]


def test_a_plain_script_path_is_not_a_scope() -> None:
    assert filesystem_scope("python", ["/opt/servers/weather.py"]) == []


def test_docker_mounts_and_risks() -> None:
    args = ["run", "-i", "-v", "/var/run/docker.sock:/var/run/docker.sock", "-v",
            "/home/dev/reports:/reports:ro", "--mount", "type=bind,source=/srv,target=/srv",
            "--privileged", "--network", "host", "image"]
    scope = filesystem_scope("docker", args)
    assert [(s.path, s.writable) for s in scope] == [("/home/dev/reports", False),
                                                    ("/srv", True)]
    risks = [r.evidence for r in docker_risks("/usr/bin/docker", args)]
    assert risks == ["-v /var/run/docker.sock:/var/run/docker.sock", "--privileged",
                     "--network host"]
    assert docker_risks("npx", args) == []
