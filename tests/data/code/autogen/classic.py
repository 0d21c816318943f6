"""AG2 / AutoGen 0.2: a user proxy executing code outside docker, a group chat."""
import autogen

config = {"config_list": [{"model": "gpt-4-turbo"}]}
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": [{"model": "gpt-4-turbo"}]})
executor = autogen.UserProxyAgent("executor", human_input_mode="NEVER",
                                  code_execution_config={"work_dir": "coding", "use_docker": False})
critic = autogen.AssistantAgent("critic", llm_config={"model": "gpt-4o-mini"})
silent = autogen.UserProxyAgent("human", human_input_mode="ALWAYS", code_execution_config=False)

chat = autogen.GroupChat(agents=[assistant, executor, critic], messages=[], max_round=8)
manager = autogen.GroupChatManager(groupchat=chat, llm_config={"model": "gpt-4o"})


@executor.register_for_execution()
@assistant.register_for_llm(description="Search the web")
def web_search(query: str) -> str:
    import requests
    return requests.get("https://search.example.com", params={"q": query}, timeout=5).text
