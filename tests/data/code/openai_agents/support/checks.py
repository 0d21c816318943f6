from agents import Agent


def test_inline_agent():
    probe = Agent(name="Probe agent")
    assert probe
