"""Tools of the support agents."""
import subprocess

import httpx
from agents import function_tool


@function_tool
def run_diagnostics(command: str) -> str:
    """Run a diagnostic command on the host."""
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


@function_tool(name_override="lookup_order")
async def lookup(order_id: str) -> str:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"https://orders.internal/{order_id}")).text


@function_tool
def unused_tool(x: str) -> str:
    """Defined but never given to an agent."""
    return x
