"""Entry points from what the code shows, and names resolved across the tree."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from airgraph.ingest.code import scan_source
from airgraph.ingest.validate import validate_records


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
    return root


def _scan(root: Path):
    records = scan_source(root, workers=1)
    validate_records(records, {})
    return ({n.id: n for n in records.nodes},
            {(e.src, str(e.kind), e.dst): e for e in records.edges})


def test_reexport_through_package_init_and_src_layout(tmp_path: Path) -> None:
    nodes, edges = _scan(_write(tmp_path, {
        "src/bot/__init__.py": "from .agents_def import helper_agent as bot\n",
        "src/bot/agents_def.py": """
            from agents import Agent
            helper_agent = Agent(name="helper")
        """,
        "src/web/app.py": """
            from flask import Flask
            from flask_login import login_required
            from agents import Runner
            from bot import bot
            app = Flask(__name__)

            @app.route("/ask", methods=["POST"])
            @login_required
            def ask():
                return Runner.run_sync(bot, "hi").final_output
        """,
    }))
    entry = nodes["code:src/web/app.py:ask"]
    assert entry.props["exposure"] == "partner" and entry.name == "POST /ask"
    assert ("code:src/web/app.py:ask", "PROMPTS", "code:src/bot/agents_def.py:helper_agent") in edges


def test_streamlit_and_main_block_and_helper_is_inferred(tmp_path: Path) -> None:
    nodes, edges = _scan(_write(tmp_path, {
        "ui.py": """
            import streamlit as st
            from pydantic_ai import Agent
            agent = Agent("openai:gpt-4o")

            def answer(q):
                return agent.run_sync(q)

            def page():
                q = st.chat_input("Ask")
                st.write(answer(q))

            if __name__ == "__main__":
                print(agent.run_sync(input()))
        """,
    }))
    assert nodes["code:ui.py:page"].props["exposure"] == "public"
    assert nodes["code:ui.py:page"].props["channel"] == "streamlit"
    assert edges[("code:ui.py:page", "PROMPTS", "code:ui.py:agent")].evidence == "inferred"
    assert nodes["code:ui.py:__main__"].props["exposure"] == "internal"
    assert edges[("code:ui.py:__main__", "PROMPTS", "code:ui.py:agent")].evidence == "discovered"
    assert "code:ui.py:answer" not in nodes


def test_no_entry_point_without_an_agent(tmp_path: Path) -> None:
    nodes, _ = _scan(_write(tmp_path, {
        "api.py": """
            from fastapi import FastAPI
            app = FastAPI()

            @app.get("/health")
            def health():
                return {"ok": input()}
        """,
    }))
    assert nodes == {}


def test_guardrails_and_function_scoped_agents(tmp_path: Path) -> None:
    nodes, edges = _scan(_write(tmp_path, {
        "g.py": """
            from agents import Agent, input_guardrail

            @input_guardrail
            async def no_secrets(ctx, agent, text):
                return None

            def build():
                return Agent(name="guarded", input_guardrails=[no_secrets])

            main_agent = build()
        """,
    }))
    assert nodes["code:g.py:no_secrets"].kind == "Guardrail"
    assert nodes["code:g.py:no_secrets"].props["mode"] == "input_filter"
    assert ("code:g.py:build", "GUARDED_BY", "code:g.py:no_secrets") in edges
    assert nodes["code:g.py:build"].name == "guarded"
