from crewai import Agent, Crew, Process, Task
from crewai.project import CrewBase, agent, crew, task
from crewai_tools import FileReadTool, SerperDevTool

from research.tools import PublishTool, summarise


@CrewBase
class ResearchCrew:
    """A researcher and a writer."""

    @agent
    def researcher(self) -> Agent:
        return Agent(config=self.agents_config["researcher"], tools=[SerperDevTool()],
                     llm="gpt-4o")

    @agent
    def writer(self) -> Agent:
        return Agent(config=self.agents_config["writer"], tools=[summarise],
                     allow_code_execution=True, code_execution_mode="unsafe")

    @task
    def research_task(self) -> Task:
        return Task(config=self.tasks_config["research_task"], agent=self.researcher())

    @task
    def write_task(self) -> Task:
        return Task(config=self.tasks_config["write_task"], agent=self.writer(),
                    tools=[PublishTool()])

    @crew
    def crew(self) -> Crew:
        return Crew(agents=self.agents, tasks=self.tasks, process=Process.sequential)
