from llama_index.core.agent.workflow import AgentWorkflow, FunctionAgent, ReActAgent
from llama_index.core.tools import FunctionTool, QueryEngineTool
from llama_index.llms.openai import OpenAI
from llama_index.tools.code_interpreter import CodeInterpreterToolSpec
from llama_index.tools.mcp import BasicMCPClient, McpToolSpec


def add(a: int, b: int) -> int:
    return a + b


llm = OpenAI(model="gpt-4o-mini")
docs = QueryEngineTool.from_defaults(query_engine=None, name="docs", description="Docs")
adder = FunctionTool.from_defaults(fn=add)
code_tools = CodeInterpreterToolSpec().to_tool_list()
github = McpToolSpec(client=BasicMCPClient("npx", args=["-y", "@modelcontextprotocol/server-github"]))

research = FunctionAgent(name="research", tools=[docs], llm=llm, can_handoff_to=["writer"])
writer = ReActAgent(name="writer", tools=[adder, *code_tools], llm=llm)
ops = FunctionAgent(name="ops", tools=[github], llm=llm)
flow = AgentWorkflow(agents=[research, writer], root_agent="research")
