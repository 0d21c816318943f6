from fastapi import Depends, FastAPI
from flask import Flask, request

from app.graph import graph

api = FastAPI()
web = Flask(__name__)


def get_current_user():
    return "user"


@api.post("/ask")
def ask(question: str, user=Depends(get_current_user)):
    return graph.invoke({"messages": [question]})


def run_graph(text):
    return graph.invoke({"messages": [text]})


@web.route("/hook", methods=["POST"])
def hook():
    return run_graph(request.json["text"])
