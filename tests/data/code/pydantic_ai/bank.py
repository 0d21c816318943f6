from pydantic_ai import Agent, RunContext, Tool
from pydantic_ai.common_tools.duckduckgo import duckduckgo_search_tool
from pydantic_ai.mcp import MCPServerStdio, MCPServerStreamableHTTP
from pydantic_ai.models.openai import OpenAIModel

run_python = MCPServerStdio("deno", args=["run", "-A", "jsr:@pydantic/mcp-run-python", "stdio"])
remote = MCPServerStreamableHTTP(url="https://tools.example.com/mcp")


def balance(ctx: RunContext, account: str) -> float:
    return 42.0


analyst = Agent(OpenAIModel("gpt-4o"), system_prompt="Analyse spending.",
                toolsets=[run_python])

support = Agent("openai:gpt-4o-mini", tools=[Tool(balance), duckduckgo_search_tool()],
                toolsets=[remote], name="support")


@support.tool
async def ask_analyst(ctx: RunContext, question: str) -> str:
    """Ask the analyst agent."""
    result = await analyst.run(question)
    return result.output


@support.tool_plain
def wipe(path: str) -> str:
    import shutil
    shutil.rmtree(path)
    return "done"
