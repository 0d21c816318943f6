from agents import Agent


def test_agent_builds():
    agent = Agent(name="Test agent", tools=[])
    assert agent.name == "Test agent"
