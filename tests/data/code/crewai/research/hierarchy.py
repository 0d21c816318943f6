from crewai import LLM, Agent, Crew, Process, Task
from crewai_tools import CodeInterpreterTool, FileReadTool

manager = Agent(role="Manager", goal="Plan", backstory="Leads", llm=LLM(model="openai/gpt-4o"),
                allow_delegation=True)
analyst = Agent(role="Analyst", goal="Analyse", backstory="Numbers",
                tools=[FileReadTool(), CodeInterpreterTool()])
reviewer = Agent(role="Reviewer", goal="Review", backstory="Careful")

analysis = Task(description="Analyse the data", expected_output="A table", agent=analyst)
review = Task(description="Review the table", expected_output="Notes", agent=reviewer)

ops_crew = Crew(agents=[analyst, reviewer], tasks=[analysis, review], manager_agent=manager,
                process=Process.hierarchical)

summary = Task(description="Summarise", expected_output="Text", agent=manager,
               context=[review])
board_crew = Crew(agents=[reviewer, manager], tasks=[review, summary],
                  process=Process.hierarchical, manager_llm="gpt-4o")
