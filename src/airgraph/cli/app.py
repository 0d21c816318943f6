"""``airgraph app``: the Streamlit app on the store the CLI uses."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

import airgraph
from airgraph.cli.options import StoreOpt
from airgraph.cli.safe import text
from airgraph.config import default_store_uri
from airgraph.errors import ConfigError
from airgraph.graph.uri import redact

__all__ = ["app_command", "streamlit_command"]

MAIN = Path(__file__).resolve().parent.parent / "app" / "main.py"


def app_command(
    store: StoreOpt = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to serve on.")
                    ] = 8501,
    host: Annotated[str, typer.Option("--host", help="Address to bind. The default serves "
                                      "this machine only; --host 0.0.0.0 serves every "
                                      "network the machine is on, without authentication."
                                      )] = "127.0.0.1",
) -> None:
    """Open the app: blast radius, attack paths, choke points, findings and inventory of
    the store, in a browser.

    Example: airgraph demo && airgraph app
    """
    if importlib.util.find_spec("streamlit") is None or importlib.util.find_spec("pyvis") is None:
        raise ConfigError("the app needs Streamlit and pyvis: pip install 'airgraph[app]'")
    uri = store or default_store_uri()
    airgraph.open(uri).close()  # fails here, with the CLI's message, when there is nothing
    console = Console(emoji=False, highlight=False)
    where = ("Serving this machine only; to serve others, add --host 0.0.0.0 (no "
             "authentication: anyone who reaches the port reads the graph)."
             if host in ("127.0.0.1", "localhost", "::1") else
             "Serving every client that reaches this address, without authentication.")
    console.print(Text.assemble("airgraph app on ", text(redact(uri)),
                                f"\nOpen http://{host}:{port}/overview\n{where} Ctrl-C stops."))
    sys.stdout.flush()
    command = streamlit_command(host, port)
    # become Streamlit: a signal to this process (Ctrl-C, a service manager's TERM) reaches
    # the server itself, and no orphan is left serving the port
    os.execve(command[0], command, {**os.environ, "AIRGRAPH_STORE": uri})


def streamlit_command(host: str, port: int) -> list[str]:
    """The ``streamlit run`` command line serving the app."""
    return [sys.executable, "-m", "streamlit", "run", str(MAIN), "--server.address", host,
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--client.toolbarMode", "viewer"]
