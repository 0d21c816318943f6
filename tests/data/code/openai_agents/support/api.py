from agents import Runner
from fastapi import FastAPI

from support.agents_def import triage

app = FastAPI()


@app.post("/chat")
async def chat(message: str) -> str:
    result = await Runner.run(triage, message)
    return result.final_output
