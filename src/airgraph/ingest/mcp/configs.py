"""Parse MCP client configuration files into :class:`ServerConfig` entries.

JSON files are read with ``json5`` (comments and trailing commas are common in
hand-edited configs), TOML with ``tomllib`` and YAML with PyYAML. A malformed file
raises :class:`~airgraph.errors.IngestError` with its path and line; the caller
reports it and goes on with the other files. Secret values stay in memory only (to
start the server under ``--connect``); what is stored is redacted (see
:mod:`.secrets`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from airgraph.errors import IngestError
from airgraph.ingest.mcp.clients import Location
from airgraph.ingest.mcp.secrets import looks_secret, secret_shape

__all__ = ["ServerConfig", "SecretHit", "parse_config"]

_ARG_SECRET_FLAG = re.compile(r"^--?(api[-_]?key|token|access[-_]token|secret|password|"
                              r"auth[-_]token|key)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SecretHit:
    """An inline secret: where it is (``env GITHUB_TOKEN``), why, and its line."""

    where: str
    why: str
    value: str = field(repr=False)
    line: int | None


@dataclass(slots=True)
class ServerConfig:
    """One server entry of one client's file, as written."""

    name: str
    client: str
    file: str
    line: int | None
    transport: str
    command: str | None = None
    args: list[str] = field(default_factory=list, repr=False)
    env: dict[str, str] = field(default_factory=dict, repr=False)
    url: str | None = field(default=None, repr=False)
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    cwd: str | None = None
    disabled: bool = False
    project: str | None = None
    """The project folder the entry belongs to (Claude Code's per-project servers)."""
    inline_secrets: list[SecretHit] = field(default_factory=list, repr=False)


def _find_secrets(server: ServerConfig, lines: list[str]) -> list[SecretHit]:
    """Every inline secret of the entry: env and header values, arguments, the URL."""
    found: list[tuple[str, str, str]] = []
    for kind, values in (("env", server.env), ("header", server.headers)):
        for key, value in values.items():
            why = looks_secret(key, value)
            if why:
                found.append((f"{kind} {key}", why, value))
    for i, arg in enumerate(server.args):
        flag, eq, value = arg.partition("=")
        if eq and _ARG_SECRET_FLAG.match(flag):
            why = looks_secret(flag.lstrip("-"), value)
        elif i and _ARG_SECRET_FLAG.match(server.args[i - 1]):
            why, value = looks_secret(server.args[i - 1].lstrip("-"), arg), arg
        else:
            why, value = secret_shape(arg), arg
        if why:
            found.append((f"argument {i + 1}", why, value))
    if server.url:
        found.extend(("url", why, value) for value, why in _url_secrets(server.url))
    return [SecretHit(where, why, value, _line_with(lines, value, server.line))
            for where, why, value in found]


def _line_with(lines: list[str], value: str, after: int | None) -> int | None:
    """The first line from ``after`` on that contains ``value`` as written."""
    for number in range((after or 1) - 1, len(lines)):
        if value in lines[number]:
            return number + 1
    return None


def _url_secrets(url: str) -> Iterator[tuple[str, str]]:
    parts = urlsplit(url)
    if parts.password:
        yield parts.password, "password in the URL"
    for key, value in parse_qsl(parts.query):
        why = looks_secret(key, value)
        if why:
            yield value, f"query parameter {key}"


def parse_config(path: Path, location: Location | None, text: str) -> list[ServerConfig]:
    """The server entries of one config file; ``location`` None means: guess the format.

    Raises IngestError (file and line) when the file cannot be parsed.
    """
    fmt = location.fmt if location else _guess_format(path)
    client = location.client if location else "unknown"
    data = _load(path, fmt, text)
    if not isinstance(data, Mapping):
        raise IngestError("expected an object at the top level", file=str(path), line=1)
    lines = text.splitlines()
    servers: list[ServerConfig] = []
    for name, entry, project in _entries(fmt, data):
        if not isinstance(entry, Mapping):
            raise IngestError("a server entry must be an object", file=str(path),
                              line=_find_line(lines, name, None), obj=name)
        line = _find_line(lines, name, None)
        server = _server(name, entry, client, str(path), line, project)
        server.inline_secrets = _find_secrets(server, lines)
        servers.append(server)
    return servers


def _guess_format(path: Path) -> str:
    return {".toml": "codex-toml", ".yaml": "continue-yaml", ".yml": "continue-yaml"}.get(
        path.suffix, "auto")


def _load(path: Path, fmt: str, text: str) -> Any:
    if fmt == "codex-toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = re.search(r"line (\d+)", str(exc))
            raise IngestError(f"not valid TOML: {exc}", file=str(path),
                              line=int(line.group(1)) if line else None) from None
    if fmt in ("goose-yaml", "continue-yaml"):
        try:
            return yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise IngestError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                              line=mark.line + 1 if mark else None) from None
    import json5

    try:
        return json5.loads(text)
    except ValueError as exc:
        match = re.match(r"<string>:(\d+) (.*)", str(exc))
        raise IngestError(f"not valid JSON: {match.group(2) if match else exc}", file=str(path),
                          line=int(match.group(1)) if match else None) from None


def _entries(fmt: str, data: Mapping[str, Any]) -> Iterator[tuple[str, Any, str | None]]:
    """``(name, entry, project)`` for each server of a parsed file."""
    if fmt == "continue-yaml":
        for entry in data.get("mcpServers") or []:
            if isinstance(entry, Mapping) and entry.get("name"):
                yield str(entry["name"]), entry, None
        return
    if fmt == "goose-yaml":
        for name, entry in (data.get("extensions") or {}).items():
            if isinstance(entry, Mapping) and entry.get("type") == "builtin":
                continue
            yield str(name), entry, None
        return
    keys = {"mcpServers": ("mcpServers",), "vscode": ("servers",), "zed": ("context_servers",),
            "codex-toml": ("mcp_servers",), "claude-json": ("mcpServers",)}.get(
        fmt, ("mcpServers", "servers", "context_servers", "mcp_servers"))
    for key in keys:
        yield from ((str(n), e, None) for n, e in (data.get(key) or {}).items())
    if fmt in ("vscode", "auto") and isinstance(data.get("mcp"), Mapping):
        yield from ((str(n), e, None) for n, e in (data["mcp"].get("servers") or {}).items())
    if fmt in ("claude-json", "auto"):
        for project, settings in (data.get("projects") or {}).items():
            if isinstance(settings, Mapping):
                for n, e in (settings.get("mcpServers") or {}).items():
                    yield str(n), e, str(project)


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _server(name: str, entry: Mapping[str, Any], client: str, file: str, line: int | None,
            project: str | None) -> ServerConfig:
    command = entry.get("command") or entry.get("cmd")
    args = entry.get("args") or []
    env = _strings(entry.get("env") or entry.get("envs") or entry.get("env_vars"))
    if isinstance(command, Mapping):  # Zed's older {"command": {"path", "args", "env"}}
        args = command.get("args") or args
        env = _strings(command.get("env")) or env
        command = command.get("path")
    url = entry.get("url") or entry.get("serverUrl") or entry.get("httpUrl") or entry.get("uri")
    kind = str(entry.get("type") or entry.get("transport") or "").lower()
    if command:
        transport = "stdio"
    elif kind in ("sse",) or (url and str(url).rstrip("/").endswith("/sse")):
        transport = "sse"
    else:
        transport = "http"
    disabled = entry.get("disabled") is True or entry.get("enabled") is False
    return ServerConfig(
        name=name, client=client, file=file, line=line, transport=transport,
        command=str(command) if command else None,
        args=[str(a) for a in args] if isinstance(args, list) else [],
        env=env, url=str(url) if url and not command else None,
        headers=_strings(entry.get("headers") or entry.get("http_headers")),
        cwd=str(entry["cwd"]) if entry.get("cwd") else None, disabled=disabled,
        project=project)


def _find_line(lines: list[str] | None, key: str, after: int | None) -> int | None:
    """The 1-based line where ``key`` is written (as a key, a TOML table or a value),
    searching from line ``after``; None when not found."""
    if not lines:
        return None
    quoted = re.escape(key)
    pattern = re.compile(rf"""(["']{quoted}["']|(^|[\s.\[]){quoted})\s*[:=\]]|["']{quoted}["']"""
                         rf"""|\bname\s*[:=]\s*["']?{quoted}["']?\s*(,|$)""")
    start = (after or 1) - 1
    for number in range(start, len(lines)):
        if pattern.search(lines[number]):
            return number + 1
    return None
