"""Code scanner on a generated monorepo: time and peak memory of ``scan_source``.

    python benchmarks/code_scan.py                      # 10,000 files, one worker per CPU
    python benchmarks/code_scan.py --files 2000 --workers 1

The tree mixes the frameworks the scanner reads (OpenAI Agents, LangGraph, CrewAI,
PydanticAI) with plain modules that import each other, so cross-file resolution is
exercised; about one file in ten defines agents. Peak memory is the resident set of
this process and, separately, of the largest pool worker. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from airgraph.ingest.code import scan_source

_AGENTS = '''from agents import Agent, function_tool, WebSearchTool
from pkg{p}.util{u} import helper_{u}


@function_tool
def tool_{i}(q: str) -> str:
    """Look something up."""
    return helper_{u}(q)


agent_{i} = Agent(name="agent {i}", model="gpt-4o", tools=[tool_{i}, WebSearchTool()])
'''

_GRAPH = '''from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.graph import START, StateGraph
from langgraph.prebuilt import create_react_agent


@tool
def lookup_{i}(q: str) -> str:
    """Lookup."""
    return q


worker_{i} = create_react_agent(ChatOpenAI(model="gpt-4o-mini"), [lookup_{i}])
g = StateGraph(dict)
g.add_node("worker", worker_{i})
g.add_edge(START, "worker")
app_{i} = g.compile()
'''

_CREW = '''from crewai import Agent, Crew, Task
from crewai_tools import SerperDevTool

a_{i} = Agent(role="researcher {i}", goal="g", backstory="b", tools=[SerperDevTool()])
b_{i} = Agent(role="writer {i}", goal="g", backstory="b")
crew_{i} = Crew(agents=[a_{i}, b_{i}], tasks=[Task(description="d", agent=a_{i}),
                                          Task(description="e", agent=b_{i})])
'''

_PLAIN = '''"""Plain module {i}."""
import json
import os

from pkg{p}.util{u} import helper_{u}


class Thing{i}:
    def __init__(self, value: int) -> None:
        self.value = value

    def render(self) -> str:
        return json.dumps({{"v": self.value, "h": helper_{u}(str(self.value))}})


def compute_{i}(xs: list[int]) -> int:
    total = 0
    for x in xs:
        if x % 3 == 0:
            total += x * 2
        elif x % 5 == 0:
            total -= x
        else:
            total += len(os.sep)
    return total


CONSTANTS_{i} = [compute_{i}([1, 2, 3]), "text", {{"a": 1}}]
'''


def generate(root: Path, files: int, packages: int = 50) -> None:
    """Write ``files`` Python files into ``packages`` packages under ``root``."""
    per = max(files // packages, 1)
    written = 0
    for p in range(packages):
        pkg = root / f"pkg{p}"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        for u in range(2):
            (pkg / f"util{u}.py").write_text(f"def helper_{u}(x):\n    return x\n")
        written += 3
        for j in range(per):
            i = p * per + j
            kind = i % 40
            template = (_AGENTS if kind == 0 else _GRAPH if kind == 1 else _CREW if kind == 2
                        else _PLAIN)
            (pkg / f"m{j}.py").write_text(template.format(i=i, p=p, u=i % 2))
            written += 1
            if written >= files:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        generate(root, args.files)
        count = sum(1 for _ in root.rglob("*.py"))
        print(f"generated {count} files in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        records = scan_source(root, workers=args.workers)
        elapsed = time.perf_counter() - t0
    agents = sum(1 for n in records.nodes if n.kind == "Agent")
    self_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"scanned {count} files in {elapsed:.1f} s ({count / elapsed:.0f} files/s) with "
          f"{args.workers or os.cpu_count()} workers: {len(records.nodes)} nodes "
          f"({agents} agents), {len(records.edges)} edges, {len(records.warnings)} warnings")
    print(f"peak memory: {self_mib:.0f} MiB (this process), {child_mib:.0f} MiB (largest worker)")


if __name__ == "__main__":
    sys.exit(main())
