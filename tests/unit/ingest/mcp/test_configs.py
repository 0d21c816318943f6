"""Config discovery and parsing for every client format, including malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from airgraph.errors import IngestError
from airgraph.ingest.mcp.clients import client_for_path
from airgraph.ingest.mcp.configs import parse_config
from airgraph.ingest.mcp.discover import discover

from mcp_fixtures import HOME, MALFORMED, PROJECT

EXPECTED = {
    ("claude-desktop", "filesystem"), ("claude-desktop", "github"), ("cursor", "github"),
    ("cursor", "crm"), ("windsurf", "docs"), ("cline", "slack"), ("zed", "postgres"),
    ("zed", "git"), ("codex-cli", "shell"), ("goose", "fetch"), ("continue", "sqlite"),
    ("gemini-cli", "search"), ("claude-code", "notes"), ("vscode", "jira"),
    ("vscode", "remote-tools"), ("claude-code", "sentry"), ("claude-code", "app-db"),
}


def test_discovery_reads_every_client_at_its_documented_place() -> None:
    found = discover([], home=HOME, cwd=PROJECT)
    assert {(c.client, c.name) for c in found.configs} == EXPECTED
    assert found.warnings == []
    assert {Path(f.path).name for f in found.instruction_files} == {
        "AGENTS.md", "CLAUDE.md", ".cursorrules", "copilot-instructions.md"}


def test_goose_builtin_extensions_are_not_servers() -> None:
    found = discover([HOME / ".config/goose/config.yaml"], home=HOME, cwd=PROJECT)
    assert [c.name for c in found.configs] == ["fetch"]


@pytest.mark.parametrize(("relpath", "client"), [
    (".config/Claude/claude_desktop_config.json", "claude-desktop"),
    (".cursor/mcp.json", "cursor"),
    (".codeium/windsurf/mcp_config.json", "windsurf"),
    (".config/zed/settings.json", "zed"),
    (".codex/config.toml", "codex-cli"),
    (".gemini/settings.json", "gemini-cli"),
])
def test_a_file_given_by_path_is_recognised(relpath: str, client: str) -> None:
    location = client_for_path(HOME / relpath)
    assert location is not None and location.client == client


def test_transports_commands_and_urls() -> None:
    by_name = {c.name: c for c in discover([], home=HOME, cwd=PROJECT).configs}
    assert by_name["postgres"].command == "uvx"  # Zed's nested {"command": {"path": ...}}
    assert by_name["postgres"].env == {"PGPASSWORD": "FAKE-pg-password-123"}
    assert by_name["docs"].transport == "http" and by_name["docs"].url.startswith("https://")
    assert by_name["remote-tools"].transport == "sse"
    assert by_name["search"].transport == "http"  # Gemini's httpUrl
    assert by_name["shell"].args == ["mcp-shell-server", "--root", "/"]
    assert by_name["fetch"].command == "uvx"  # Goose's cmd


def test_lines_point_at_the_server_and_the_secret() -> None:
    by_name = {c.name: c for c in discover([HOME], home=HOME, cwd=PROJECT).configs
               if c.client == "claude-desktop"}
    assert by_name["github"].line == 8
    [hit] = by_name["github"].inline_secrets
    assert (hit.where, hit.line) == ("env GITHUB_PERSONAL_ACCESS_TOKEN", 12)


def test_references_and_inputs_are_not_inline_secrets() -> None:
    configs = discover([HOME / ".cursor/mcp.json", PROJECT / ".vscode/mcp.json"], home=HOME,
                       cwd=PROJECT).configs
    secrets = {c.name: [h.where for h in c.inline_secrets] for c in configs}
    assert secrets == {"github": [], "crm": ["header Authorization"], "jira": [],
                       "remote-tools": []}


@pytest.mark.parametrize(("name", "line", "what"), [
    ("claude_desktop_config.json", 6, "not valid JSON"),
    ("config.toml", 1, "not valid TOML"),
    ("config.yaml", 4, "not valid YAML"),  # where the parser notices
])
def test_malformed_files_are_reported_with_path_and_line(name: str, line: int, what: str) -> None:
    path = MALFORMED / name
    with pytest.raises(IngestError) as err:
        parse_config(path, client_for_path(path), path.read_text())
    assert err.value.file == str(path) and err.value.line == line and what in err.value.message


def test_a_malformed_file_is_skipped_and_the_others_still_load() -> None:
    files = sorted(MALFORMED.iterdir())
    found = discover(files, home=HOME, cwd=PROJECT)
    assert [c.name for c in found.configs] == ["fine"]
    assert len(found.warnings) == 3
    assert all("skipped" in w and str(MALFORMED) in w for w in found.warnings)


def test_json_with_comments_and_trailing_commas_parses() -> None:
    path = HOME / ".config/Claude/claude_desktop_config.json"
    assert "//" in path.read_text()
    names = [c.name for c in parse_config(path, client_for_path(path), path.read_text())]
    assert names == ["filesystem", "github"]


def test_a_missing_path_is_a_warning(tmp_path: Path) -> None:
    found = discover([tmp_path / "nope.json"], home=HOME, cwd=PROJECT)
    assert found.configs == [] and "no such file" in found.warnings[0]


def test_claude_code_user_and_project_scopes() -> None:
    found = discover([HOME / ".claude.json"], home=HOME, cwd=PROJECT)
    scopes = {c.name: (c.transport, c.project) for c in found.configs}
    assert scopes == {"sentry": ("http", None), "app-db": ("stdio", "/home/dev/src/app")}
