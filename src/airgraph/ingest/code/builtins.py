"""Dangerous built-in tools of the frameworks, and what a custom tool's body reveals.

A tool is *broad* (capability ``execute``) when it runs code, shell commands or raw
SQL; ``egress`` when it reaches the network. Built-ins are recognised by class name
under a framework package, so a user class of the same name elsewhere is not.
"""

from __future__ import annotations

from collections.abc import Iterable

from airgraph.ingest.code.callsite import CallSite
from airgraph.ingest.code.facts import Obj, ObjRef, Seq, Value

__all__ = ["BUILTIN_TOOLS", "FRAMEWORK_ROOTS", "HOST_EXECUTION", "LOAD_TOOLS",
           "body_capabilities", "builtin_tool", "framework_of", "load_tools", "unsandboxed"]

FRAMEWORK_ROOTS: dict[str, str] = {
    "agents": "openai-agents", "langchain": "langchain", "langchain_core": "langchain",
    "langchain_community": "langchain", "langchain_experimental": "langchain",
    "langchain_openai": "langchain", "langchain_anthropic": "langchain",
    "langchain_google_genai": "langchain", "langchain_aws": "langchain",
    "langchain_ollama": "langchain", "langchain_tavily": "langchain",
    "langchain_mcp_adapters": "langchain", "langchain_sandbox": "langchain",
    "langgraph": "langgraph", "langgraph_supervisor": "langgraph",
    "langgraph_swarm": "langgraph", "crewai": "crewai", "crewai_tools": "crewai",
    "autogen": "autogen", "autogen_agentchat": "autogen", "autogen_ext": "autogen",
    "autogen_core": "autogen", "ag2": "autogen", "pydantic_ai": "pydantic-ai",
    "llama_index": "llamaindex", "mcp": "mcp",
}
"""Top-level package -> the framework name agents and tools record."""

_X, _E, _R, _W, _M = "execute", "egress", "read", "write", "message"

BUILTIN_TOOLS: dict[str, tuple[str, ...]] = {
    # shells and code interpreters
    "ShellTool": (_X,), "BashProcess": (_X,), "LocalShellTool": (_X,), "ComputerTool": (_X,),
    "PythonREPLTool": (_X,), "PythonAstREPLTool": (_X,), "PythonREPL": (_X,),
    "CodeInterpreterTool": (_X,), "CodeInterpreterToolSpec": (_X,),
    "E2BDataAnalysisTool": (_X,), "BearlyInterpreterTool": (_X,), "ExecPython": (_X,),
    "PythonCodeExecutionTool": (_X,), "CodeExecutionTool": (_X,), "PyodideSandboxTool": (_X,),
    "LocalCommandLineCodeExecutor": (_X,), "DockerCommandLineCodeExecutor": (_X,),
    "JupyterCodeExecutor": (_X,),
    # SQL: raw queries run whatever the model writes
    "SQLDatabaseToolkit": (_X, _R, _W), "QuerySQLDataBaseTool": (_X, _R, _W),
    "QuerySQLDatabaseTool": (_X, _R, _W), "NL2SQLTool": (_X, _R, _W),
    "DatabaseToolSpec": (_X, _R, _W), "SparkSQLToolkit": (_X, _R, _W),
    "InfoSQLDatabaseTool": (_R,), "ListSQLDatabaseTool": (_R,), "PGSearchTool": (_R,),
    # HTTP
    "RequestsToolkit": (_E,), "RequestsGetTool": (_E,), "RequestsPostTool": (_E, _W),
    "RequestsPutTool": (_E, _W), "RequestsPatchTool": (_E, _W), "RequestsDeleteTool": (_E, _W),
    "RequestsToolSpec": (_E,), "OpenAPIToolkit": (_E, _W), "OpenAPIToolSpec": (_E, _W),
    "HostedMCPTool": (_E,),
    # web search and fetch
    "WebSearchTool": (_E,), "TavilySearchResults": (_E,), "TavilySearch": (_E,),
    "TavilyExtract": (_E,), "DuckDuckGoSearchRun": (_E,), "DuckDuckGoSearchResults": (_E,),
    "SerperDevTool": (_E,), "ScrapeWebsiteTool": (_E,), "WebsiteSearchTool": (_E,),
    "FirecrawlScrapeWebsiteTool": (_E,), "FirecrawlSearchTool": (_E,), "BraveSearchTool": (_E,),
    "WikipediaQueryRun": (_E,), "ArxivQueryRun": (_E,), "GoogleSearchRun": (_E,),
    "BraveSearch": (_E,), "PlayWrightBrowserToolkit": (_E,), "SeleniumScrapingTool": (_E,),
    "BrowserbaseLoadTool": (_E,), "TavilyToolSpec": (_E,), "DuckDuckGoSearchToolSpec": (_E,),
    # file systems
    "FileManagementToolkit": (_R, _W), "ReadFileTool": (_R,), "WriteFileTool": (_W,),
    "CopyFileTool": (_W,), "MoveFileTool": (_W,), "DeleteFileTool": (_W,),
    "ListDirectoryTool": (_R,), "FileSearchTool": (_R,), "FileReadTool": (_R,),
    "FileWriterTool": (_W,), "DirectoryReadTool": (_R,), "DirectorySearchTool": (_R,),
    # messaging
    "GmailToolkit": (_R, _M, _E), "SlackToolkit": (_R, _M, _E), "O365Toolkit": (_R, _M, _E),
    "SlackToolSpec": (_R, _M, _E), "GmailToolSpec": (_R, _M, _E),
}
"""Built-in tool or toolkit class name -> capabilities."""

LOAD_TOOLS: dict[str, tuple[str, ...]] = {
    "terminal": (_X,), "python_repl": (_X,), "requests": (_E,), "requests_all": (_E, _W),
    "requests_get": (_E,), "requests_post": (_E, _W), "requests_put": (_E, _W),
    "requests_patch": (_E, _W), "requests_delete": (_E, _W), "serpapi": (_E,),
    "google-search": (_E,), "ddg-search": (_E,), "wikipedia": (_E,), "arxiv": (_E,),
    "llm-math": (), "human": (),
}
"""LangChain ``load_tools([...])`` names -> capabilities."""

HOST_EXECUTION = frozenset({"ShellTool", "BashProcess", "LocalShellTool", "PythonREPLTool",
                            "PythonAstREPLTool", "PythonREPL", "LocalCommandLineCodeExecutor",
                            "terminal", "python_repl"})
"""Built-ins that run model-written code or commands on the host itself, unsandboxed."""

_BODY_RULES: tuple[tuple[str, str], ...] = (
    ("subprocess.*", _X), ("os.system", _X), ("os.popen", _X), ("os.exec*", _X),
    ("os.spawn*", _X), ("pty.spawn", _X), ("asyncio.create_subprocess*", _X), ("eval", _X),
    ("exec", _X), ("sh.*", _X), ("paramiko.*", _X),
    ("sqlite3.*", _X), ("psycopg*", _X), ("sqlalchemy.*", _X), ("pymysql.*", _X),
    ("requests.*", _E), ("httpx.*", _E), ("urllib.request.*", _E), ("aiohttp.*", _E),
    ("socket.*", _E), ("smtplib.*", _M), ("slack_sdk.*", _M),
    ("open:w", _W), ("io.open:w", _W), ("shutil.*", _W), ("os.remove", _W), ("os.unlink", _W),
    ("open", _R), ("io.open", _R),
)
"""Calls in a tool's body -> a capability; a trailing ``*`` matches any suffix."""


def framework_of(dotted: str) -> str | None:
    return FRAMEWORK_ROOTS.get(dotted.split(".", 1)[0])


def body_capabilities(calls: Iterable[str]) -> list[str]:
    """Capabilities a tool function's calls reveal (``subprocess.run`` -> execute)."""
    found: set[str] = set()
    for call in calls:
        for pattern, cap in _BODY_RULES:
            if call == pattern or (pattern.endswith("*") and call.startswith(pattern[:-1])):
                found.add(cap)
                break
    return sorted(found)


def builtin_tool(site: CallSite) -> Value | None:
    """A built-in tool class called under a framework package, as a Tool."""
    framework = framework_of(site.callee)
    caps = BUILTIN_TOOLS.get(site.cls_name)
    if framework is None or caps is None:
        return None
    obj = site.new("Tool", site.cls_name, framework=framework,
                   props={"capabilities": sorted(caps), "builtin": site.cls_name})
    if site.cls_name.endswith(("Toolkit", "ToolSpec")):
        obj.props["toolkit"] = True
    if site.cls_name in HOST_EXECUTION:
        unsandboxed(obj, site, site.cls_name)
    return ObjRef(obj.key)


def unsandboxed(obj: Obj, site: CallSite, evidence: str) -> None:
    """Record that the tool runs model-written code on the host, outside any sandbox."""
    obj.props.setdefault("findings", []).append({
        "rule": "code-unsandboxed-execution",
        "message": "the tool runs code or commands the model writes on the host itself, "
                   "outside a sandbox",
        "evidence": evidence, "file": site.scanner.facts.rel, "line": site.line})


def load_tools(site: CallSite) -> Value | None:
    """``load_tools(["terminal", ...])``: one Tool per name."""
    names = site.const(0, "tool_names")
    if not isinstance(names, list):
        return None
    refs = []
    for name in names:
        if isinstance(name, str):
            caps = LOAD_TOOLS.get(name, ())
            obj = site.new("Tool", name, framework="langchain",
                           props={"capabilities": sorted(caps), "builtin": name},
                           key=site.scanner.unique(f"{site.hint}.{name}" if site.hint else name))
            if name in HOST_EXECUTION:
                unsandboxed(obj, site, f"load_tools: {name}")
            refs.append(ObjRef(obj.key))
    return Seq(tuple(refs))
