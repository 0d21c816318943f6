from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode, create_react_agent, tools_condition

from app.tools import SqlTool, fetch_url, remove, shell

llm = ChatOpenAI(model="gpt-4o", temperature=0)
planner_llm = llm.bind_tools([fetch_url, remove])

coder = create_react_agent("anthropic:claude-3-5-sonnet-latest", tools=[shell, SqlTool()],
                           name="coder")


def planner(state):
    return {"messages": [planner_llm.invoke(state["messages"])]}


def review(state):
    return {"messages": state["messages"]}


def route(state) -> str:
    if state["done"]:
        return "finish"
    return "code"


builder = StateGraph(dict)
builder.add_node("planner", planner)
builder.add_node("tools", ToolNode([fetch_url, remove]))
builder.add_node("review", review)
builder.add_node("coder", coder)
builder.add_edge(START, "planner")
builder.add_conditional_edges("planner", tools_condition)
builder.add_edge("tools", "planner")
builder.add_conditional_edges("review", route, {"code": "coder", "finish": END})
builder.add_edge("planner", "review")
graph = builder.compile()
