"""Building blocks the framework modules share: agents, function tools, chat models,
MCP servers."""

from __future__ import annotations

from typing import Any

from airgraph.ingest.code.callsite import CallSite, sha256
from airgraph.ingest.code.facts import FuncV, Link, Lit, ModelV, Obj, ObjRef, Value

__all__ = ["add_link", "adopt", "chat_model", "decorated_tool", "make_agent", "make_mcp_server",
           "model_of", "parse_model"]

_PROVIDERS = frozenset({"openai", "anthropic", "google", "google-gla", "google-vertex",
                        "gemini", "bedrock", "azure", "ollama", "groq", "mistral", "cohere",
                        "deepseek", "openrouter", "vertex_ai", "huggingface", "together_ai",
                        "xai", "fireworks", "litellm"})

_MODEL_CLASSES = {
    "ChatOpenAI": "openai", "AzureChatOpenAI": "azure", "ChatAnthropic": "anthropic",
    "ChatGoogleGenerativeAI": "google", "ChatVertexAI": "google", "ChatBedrock": "bedrock",
    "ChatBedrockConverse": "bedrock", "ChatOllama": "ollama", "ChatMistralAI": "mistral",
    "ChatGroq": "groq", "ChatLiteLLM": "litellm", "ChatDeepSeek": "deepseek", "LLM": None,
    "OpenAI": "openai", "AzureOpenAI": "azure", "Anthropic": "anthropic", "Gemini": "google",
    "Ollama": "ollama", "Groq": "groq", "MistralAI": "mistral", "Bedrock": "bedrock",
    "BedrockConverse": "bedrock",
    "OpenAIChatCompletionsModel": "openai", "OpenAIResponsesModel": "openai",
    "LitellmModel": "litellm", "OpenAIModel": "openai", "OpenAIChatModel": "openai",
    "AnthropicModel": "anthropic", "GeminiModel": "google",
    "GoogleModel": "google", "GroqModel": "groq", "MistralModel": "mistral",
    "BedrockConverseModel": "bedrock",
    "OpenAIChatCompletionClient": "openai", "AzureOpenAIChatCompletionClient": "azure",
    "AnthropicChatCompletionClient": "anthropic", "OllamaChatCompletionClient": "ollama",
}
"""Chat model classes of the frameworks -> provider."""


def parse_model(text: str, provider: str | None = None) -> ModelV:
    """``openai:gpt-4o`` and ``openai/gpt-4o`` name provider and model."""
    for sep in (":", "/"):
        head, found, tail = text.partition(sep)
        if found and head.lower() in _PROVIDERS and tail:
            return ModelV(tail, head.lower())
    return ModelV(text, provider)


def model_of(value: Value | None) -> Value | None:
    """A model argument: a string becomes a model, anything else is resolved later."""
    if isinstance(value, Lit):
        return parse_model(value.value) if isinstance(value.value, str) and value.value else None
    return value


def chat_model(site: CallSite) -> Value | None:
    """``ChatOpenAI(model="gpt-4o")`` and its kin: the model they name."""
    if site.cls_name not in _MODEL_CLASSES:
        return None
    text = site.text(0, "model", "model_name", "model_id", "deployment_name", "azure_deployment")
    if text is None:
        return None
    return parse_model(text, _MODEL_CLASSES[site.cls_name])


def adopt(site: CallSite, ref: ObjRef) -> Obj:
    """An object built inline in a wrapper (``AgentExecutor(agent=create_...())``,
    ``create_supervisor(...).compile()``) takes the wrapper's variable as its key."""
    objects = site.scanner.facts.objects
    obj = objects[ref.key]
    if (site.direct and site.hint and ref.key.startswith(f"{site.hint}.")
            and site.hint not in objects):
        del objects[ref.key]
        if obj.name == ref.key.rsplit(".", 1)[-1]:
            obj.name = site.hint.rsplit(".", 1)[-1]
        obj.key = site.hint
        objects[obj.key] = obj
    return obj


def add_link(obj: Obj, role: str, value: Value | None, *, inferred: bool = False) -> None:
    if value is not None:
        obj.links.append(Link(role, value, inferred))


def make_agent(site: CallSite, framework: str, *, name: str | None = None,
               tools: Value | None = None, model: Value | None = None,
               instructions: str | None = None, props: dict[str, Any] | None = None) -> Obj:
    """An Agent object, its tools and model linked."""
    extra = dict(props or {})
    if instructions:
        extra["system_prompt_sha256"] = sha256(instructions)
    obj = site.new("Agent", name, framework=framework, props=extra)
    if name:
        obj.name = name
    add_link(obj, "tools", tools)
    add_link(obj, "model", model_of(model))
    return obj


def decorated_tool(site: CallSite, framework: str, *, name: str | None = None,
                   description: str | None = None, props: dict[str, Any] | None = None) -> Value:
    """The function under a tool decorator, as a Tool whose body is read later."""
    qualname = site.decorated or site.key()
    info = site.scanner.facts.funcs.get(qualname)
    extra = dict(props or {})
    if description:
        extra["description_sha256"] = sha256(description)
    obj = site.new("Tool", name or qualname.rsplit(".", 1)[-1], framework=framework,
                   props=extra, key=qualname)
    if info is not None:
        obj.line = info.line
    obj.links.append(Link("body", FuncV(qualname)))
    return ObjRef(obj.key)


def make_mcp_server(site: CallSite, framework: str, *, name: str | None, transport: str,
                    command: str | None = None, args: list[Any] | None = None,
                    url: str | None = None) -> Value:
    """An MCP server the code connects to: ``mcp:<name>`` when named, so it joins the
    MCP ingestor's node."""
    props: dict[str, Any] = {"transport": transport}
    if command:
        props["command"] = command
    if args:
        props["args"] = [a for a in args if isinstance(a, (str, int, float))]
    if url:
        props["url"] = url
    obj = site.new("MCPServer", name, framework=framework, props=props,
                   node_id=f"mcp:{name}" if name else None)
    return ObjRef(obj.key)
