"""AutoGen 0.4: a round-robin team whose coder runs code locally."""
from autogen_agentchat.agents import AssistantAgent, CodeExecutorAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.tools import AgentTool
from autogen_core.tools import FunctionTool
from autogen_ext.code_executors.local import LocalCommandLineCodeExecutor
from autogen_ext.models.openai import OpenAIChatCompletionClient
from autogen_ext.tools.mcp import StdioServerParams, mcp_server_tools


async def get_weather(city: str) -> str:
    return f"sunny in {city}"


client = OpenAIChatCompletionClient(model="gpt-4o")
weather = FunctionTool(get_weather, description="Weather")
fetch = StdioServerParams(command="uvx", args=["mcp-server-fetch"])

planner = AssistantAgent("planner", model_client=client, tools=[weather, get_weather],
                         system_message="Plan the work.")
coder = CodeExecutorAgent("coder", code_executor=LocalCommandLineCodeExecutor(work_dir="out"))
expert = AssistantAgent("expert", model_client=client)
lead = AssistantAgent("lead", model_client=client, tools=[AgentTool(expert)])
team = RoundRobinGroupChat([planner, coder], max_turns=4)


async def main() -> None:
    web_tools = await mcp_server_tools(fetch)
    browser = AssistantAgent("browser", model_client=client, tools=web_tools)
    await team.run(task=input("Task: "))
    await browser.run(task="x")
