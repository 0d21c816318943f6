import os

import requests
from langchain_community.tools import ShellTool
from langchain_core.tools import BaseTool, tool


@tool
def fetch_url(url: str) -> str:
    """Fetch a web page."""
    return requests.get(url, timeout=10).text


@tool("delete_file")
def remove(path: str) -> str:
    """Delete a file."""
    os.remove(path)
    return "ok"


@tool
def orphan(x: str) -> str:
    """Never bound to any model or agent."""
    return x


class SqlTool(BaseTool):
    name: str = "run_sql"
    description: str = "Run SQL"

    def _run(self, query: str) -> str:
        import sqlite3
        return str(sqlite3.connect("app.db").execute(query).fetchall())


shell = ShellTool()
