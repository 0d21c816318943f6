import smtplib

from crewai.tools import BaseTool, tool


@tool("Summarise")
def summarise(text: str) -> str:
    """Summarise text."""
    return text[:100]


@tool("Unbound")
def never_used(text: str) -> str:
    """A tool no agent or task lists."""
    return text


class PublishTool(BaseTool):
    name: str = "publish"
    description: str = "Email the report"

    def _run(self, report: str) -> str:
        smtplib.SMTP("mail.example.com").sendmail("a@b", ["c@d"], report)
        return "sent"
