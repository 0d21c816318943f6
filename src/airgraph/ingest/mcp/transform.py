"""Configs, listings and instruction files in; the MCP source's records out. Pure.

Graph shape (ids from DESIGN.md): each configuring client is an Agent
``mcp-client:<client>`` that CALLS every known tool of its servers; a server
``mcp:<server>`` PROVIDES its tools ``mcp:<server>:<tool>``, which are HOSTED_BY it; a
stdio server RUNS_AS the local user ``local-user:<host>:<user>``, who can read and write
the server's filesystem scope (DataStores ``file:<host>:<path>``); tools READ/WRITE that
scope and SEND_TO the server's egress and message sinks as their capabilities say.
Instruction files FEED the agents that read them, and the local user can write them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from airgraph.ingest.mcp.capabilities import classify
from airgraph.ingest.mcp.clients import CLIENTS
from airgraph.ingest.mcp.configs import ServerConfig
from airgraph.ingest.mcp.findings import finding
from airgraph.ingest.mcp.graphbuilder import GraphBuilder
from airgraph.ingest.mcp.instructions import InstructionFile
from airgraph.ingest.mcp.listing import ServerListing, ToolInfo
from airgraph.ingest.mcp.poisoning import LONG_DESCRIPTION, hidden_characters, schema_texts, \
    text_hits
from airgraph.ingest.mcp.scope import docker_risks, filesystem_scope
from airgraph.ingest.mcp.secrets import is_reference
from airgraph.ingest.secrets import fingerprint
from airgraph.ingest.mcp.shadowing import Issue, name_collisions, rug_pulls, shadowing
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, NodeKind

__all__ = ["Machine", "build_records"]

_N, _E = NodeKind, EdgeKind
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


@dataclass(frozen=True, slots=True)
class Machine:
    """Where the configs were read: names the local user and file ids; ``salt`` keys the
    secret fingerprints."""

    host: str
    user: str
    home: str
    salt: bytes


def build_records(configs: Iterable[ServerConfig], listings: Iterable[ServerListing],
                  instruction_files: Iterable[InstructionFile], *, machine: Machine,
                  source: str, previous: Mapping[str, Mapping[str, str | None]] | None = None,
                  warnings: Iterable[str] = ()) -> SourceRecords:
    """The records of one MCP source. ``previous`` maps tool ids to the hashes stored by
    the previous snapshot (for rug-pull detection)."""
    configs = list(configs)
    listings = {listing.server: listing for listing in listings}
    g = GraphBuilder(source)
    user_id = f"local-user:{machine.host}:{machine.user}"
    by_server: dict[str, list[ServerConfig]] = {}
    for config in configs:
        by_server.setdefault(config.name, []).append(config)
    for name, entries in sorted(by_server.items()):
        _server(g, name, entries, machine, user_id)
    for name, listing in sorted(listings.items()):
        entries = by_server.get(name, [])
        if not entries:
            g.node(f"mcp:{name}", _N.MCP_SERVER, name, {}, listing.evidence)
        _tools(g, listing, entries, machine)
    for issue in (shadowing(listings.values()) + name_collisions(listings.values())
                  + rug_pulls(listings.values(), previous or {})):
        _issue(g, issue, listings[issue.server], by_server.get(issue.server, []))
    for item in instruction_files:
        _instruction_file(g, item, machine, user_id)
    notes = list(warnings)
    unknown = sorted(n for n in by_server if n not in listings)
    if unknown:
        notes.append(f"tools unknown for {len(unknown)} server(s) ({', '.join(unknown)}): "
                     "run with --connect or --tools-json to add tools and CALLS edges")
    label = (f"{len(by_server)} MCP servers from {len({c.file for c in configs})} config files, "
             f"{sum(len(li.tools) for li in listings.values())} tools")
    return g.records(label=label, warnings=notes, ingestor="mcp")


def _agent(g: GraphBuilder, client: str) -> str:
    agent_id = f"mcp-client:{client}"
    label = CLIENTS[client].label if client in CLIENTS else client
    g.node(agent_id, _N.AGENT, label, {"framework": "mcp-client", "client": client})
    return agent_id


def _identity(g: GraphBuilder, user_id: str, machine: Machine) -> str:
    g.node(user_id, _N.IDENTITY, machine.user, {"provider": "local", "host": machine.host})
    return user_id


def _expand(path: str, home: str) -> str:
    for prefix in ("~", "$HOME", "${HOME}", "${userHome}"):
        if path == prefix or path.startswith(prefix + "/"):
            return home + path[len(prefix):]
    return path


def _server(g: GraphBuilder, name: str, entries: list[ServerConfig], machine: Machine,
            user_id: str) -> None:
    first = entries[0]
    server_id = f"mcp:{name}"
    findings: list[dict[str, Any]] = []
    fingerprints: dict[str, str] = {}
    redact: dict[str, str] = {}
    for entry in entries:
        for hit in entry.inline_secrets:
            fp = fingerprint(machine.salt, hit.value)
            fingerprints[hit.where] = fp
            redact[hit.value] = f"<redacted:{fp}>"
            findings.append(finding("hard-coded-secret",
                                    f"server '{name}' has an inline secret in {hit.where} "
                                    f"({hit.why})", f"{hit.where} = <redacted, fingerprint {fp}>",
                                    file=entry.file, line=hit.line))
    scopes = {}
    for entry in entries:
        for risk in docker_risks(entry.command, entry.args):
            findings.append(finding("mcp-privileged-container", f"server '{name}': {risk.what}",
                                    _redact(risk.evidence, redact), file=entry.file,
                                    line=entry.line))
        for scope in filesystem_scope(entry.command, entry.args):
            scopes.setdefault(_expand(scope.path, machine.home), scope)
            if scope.broad:
                findings.append(finding("mcp-broad-filesystem-scope",
                                        f"server '{name}' is given {scope.path} ({scope.via})",
                                        _redact(scope.path, redact), file=entry.file,
                                        line=entry.line))
        if entry.url and entry.url.startswith("http://") and \
                (urlsplit(entry.url).hostname or "") not in _LOOPBACK:
            findings.append(finding("mcp-plaintext-remote", f"server '{name}' is reached over "
                                    "plain HTTP", _redact(entry.url, redact), file=entry.file,
                                    line=entry.line))
    props: dict[str, Any] = {
        "transport": first.transport,
        "clients": sorted({e.client for e in entries}),
        "configured_in": [{"client": e.client, "file": e.file, "line": e.line} for e in entries],
    }
    if first.command:
        props["command"] = _redact(first.command, redact)
        props["args"] = [_redact(a, redact) for a in first.args]
    if first.url:
        props["url"] = _redact(first.url, redact)
    env = sorted({k for e in entries for k in e.env})
    if env:
        props["env_names"] = env
        props["env_inline"] = sorted({k for e in entries for k, v in e.env.items()
                                      if v and not is_reference(v)})
    if any(e.headers for e in entries):
        props["header_names"] = sorted({k for e in entries for k in e.headers})
    if fingerprints:
        props["secret_fingerprints"] = dict(sorted(fingerprints.items()))
    if scopes:
        props["scope"] = sorted(scopes)
        read_only = sorted(p for p, s in scopes.items() if not s.writable)
        if read_only:
            props["scope_read_only"] = read_only
    if all(e.disabled for e in entries):
        props["disabled"] = True
    if findings:
        props["findings"] = findings
    g.node(server_id, _N.MCP_SERVER, name, props)
    for entry in entries:
        _agent(g, entry.client)
    if first.transport == "stdio":
        g.edge(server_id, _identity(g, user_id, machine), _E.RUNS_AS, evidence="inferred")
    for path, scope in sorted(scopes.items()):
        store_id = f"file:{machine.host}:{path}"
        store: dict[str, Any] = {"store_type": "filesystem", "path": path}
        if scope.broad:
            store.update(sensitivity="restricted", contains=["secrets", "source_code"])
        g.node(store_id, _N.DATA_STORE, path, store)
        g.edge(user_id, store_id, _E.CAN_READ, evidence="inferred")
        g.edge(user_id, store_id, _E.CAN_WRITE, evidence="inferred")


def _redact(text: str, redact: Mapping[str, str]) -> str:
    for value, mark in redact.items():
        text = text.replace(value, mark)
    return text


def _where(listing: ServerListing, entries: list[ServerConfig]) -> tuple[str | None, int | None]:
    if listing.file:
        return listing.file, None
    return (entries[0].file, entries[0].line) if entries else (None, None)


def _tools(g: GraphBuilder, listing: ServerListing, entries: list[ServerConfig],
           machine: Machine) -> None:
    server_id = f"mcp:{listing.server}"
    file, line = _where(listing, entries)
    for text, where in ([(listing.instructions, "server instructions")] if listing.instructions
                        else []) + [(d, f"prompt {n}") for n, d in listing.prompts] + \
            [(d, f"resource {u}") for u, d in listing.resources]:
        g.add_findings(server_id, _text_findings(text or "", where, listing.server, file, line))
    server = g.props(server_id)
    scopes, read_only = server.get("scope", []), set(server.get("scope_read_only", []))
    for tool in listing.tools:
        tool_id = f"mcp:{listing.server}:{tool.name}"
        caps, basis = classify(tool)
        props: dict[str, Any] = {
            "capabilities": caps, "capability_basis": basis,
            "description_sha256": tool.description_sha256, "schema_sha256": tool.schema_sha256,
            "description_length": len(tool.description), "input_schema": dict(tool.input_schema),
            "server": listing.server,
        }
        if tool.annotations is not None:
            props["annotations"] = dict(tool.annotations)
        if tool.title:
            props["title"] = tool.title
        findings = _tool_findings(tool, listing.server, file, line)
        if findings:
            props["findings"] = findings
        g.node(tool_id, _N.TOOL, tool.name, props, listing.evidence)
        g.edge(server_id, tool_id, _E.PROVIDES, evidence=listing.evidence)
        g.edge(tool_id, server_id, _E.HOSTED_BY, evidence=listing.evidence)
        for entry in entries:
            g.edge(f"mcp-client:{entry.client}", tool_id, _E.CALLS)
        for path in scopes:
            store_id = f"file:{machine.host}:{path}"
            if "read" in caps:
                g.edge(tool_id, store_id, _E.READS, evidence="inferred")
            if "write" in caps and path not in read_only:
                g.edge(tool_id, store_id, _E.WRITES, evidence="inferred")
        for cap, channel in (("egress", "network"), ("message", "message")):
            if cap in caps:
                sink_id = f"mcp-{cap}:{listing.server}"
                g.node(sink_id, _N.SINK, f"{listing.server} {cap}",
                       {"external": True, "channel": channel}, "inferred")
                g.edge(tool_id, sink_id, _E.SENDS_TO, evidence="inferred")


def _text_findings(text: str, where: str, server: str, file: str | None,
                   line: int | None) -> list[dict[str, Any]]:
    hits = text_hits(text, where)
    found = [finding("mcp-tool-poisoning", f"{where} of server '{server}': "
                     + "; ".join(f"{hit.label} ({hit.pattern})" for hit in hits),
                     hits[0].evidence, file=file, line=line)] if hits else []
    chars = hidden_characters(text)
    if chars:
        i = chars[0][0]
        found.append(finding("mcp-hidden-unicode", f"{where} of server '{server}' holds "
                             f"{len(chars)} invisible or bidi-control characters",
                             text[max(0, i - 40):i + 40], file=file, line=line))
    return found


def _tool_findings(tool: ToolInfo, server: str, file: str | None,
                   line: int | None) -> list[dict[str, Any]]:
    texts = [("description", tool.description)] + ([("title", tool.title)] if tool.title else [])
    texts += list(schema_texts(tool.input_schema))
    found = [item for where, text in texts
             for item in _text_findings(text, f"tool '{tool.name}' {where}", server, file, line)]
    if len(tool.description) > LONG_DESCRIPTION:
        found.append(finding("mcp-long-description", f"tool '{tool.name}' of server '{server}' "
                             f"has a {len(tool.description)}-character description (over "
                             f"{LONG_DESCRIPTION})", tool.description[:120], file=file,
                             line=line))
    return found


def _issue(g: GraphBuilder, issue: Issue, listing: ServerListing,
           entries: list[ServerConfig]) -> None:
    file, line = _where(listing, entries)
    g.add_findings(f"mcp:{issue.server}:{issue.tool}",
                   [finding(issue.rule, issue.message, issue.evidence, file=file, line=line)])


def _instruction_file(g: GraphBuilder, item: InstructionFile, machine: Machine,
                      user_id: str) -> None:
    store_id = f"file:{machine.host}:{item.path}"
    props: dict[str, Any] = {"store_type": "instruction-file", "path": item.path,
                             "sha256": item.sha256, "size": item.size}
    findings = [finding("instruction-file-poisoning", f"{hit.label} ({hit.pattern})",
                        hit.evidence, file=item.path, line=hit.line) for hit in item.hits]
    if findings:
        props["findings"] = findings
    g.node(store_id, _N.DATA_STORE, item.path.rsplit("/", 1)[-1], props)
    for client in item.clients:
        g.edge(store_id, _agent(g, client), _E.FEEDS)
    g.edge(_identity(g, user_id, machine), store_id, _E.CAN_WRITE, evidence="inferred")
