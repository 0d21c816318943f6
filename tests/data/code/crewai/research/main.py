from research.crew import ResearchCrew


def run():
    topic = input("Topic: ")
    ResearchCrew().crew().kickoff(inputs={"topic": topic})
