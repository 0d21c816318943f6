"""This module talks about `from agents import Agent` and Agent(tools=[...]) in text only.

    # agent = Agent(name="ghost", tools=[shell])
"""
EXAMPLE = "Agent(name='ghost', model='gpt-4o')"


def describe() -> str:
    # Agent(name="comment ghost")
    return "We use the OpenAI Agents SDK's Agent class and function_tool."
