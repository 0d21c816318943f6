from agents import Agent, CodeInterpreterTool, WebSearchTool, handoff
from agents.mcp import MCPServerStdio

from .tools import lookup, run_diagnostics

files_server = MCPServerStdio(
    name="filesystem",
    params={"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/srv"]},
)

billing = Agent(
    name="Billing agent",
    instructions="You handle refunds.",
    model="gpt-4o-mini",
    tools=[lookup],
)

researcher = Agent(name="Researcher", model="gpt-4o", tools=[WebSearchTool()])

triage = Agent(
    name="Triage agent",
    instructions="Route the customer to the right agent.",
    model="gpt-4o",
    tools=[run_diagnostics, CodeInterpreterTool(tool_config={}),
           researcher.as_tool(tool_name="research", tool_description="Research a topic")],
    handoffs=[billing, handoff(researcher)],
    mcp_servers=[files_server],
)
