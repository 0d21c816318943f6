"""One exception tree, caught once at the CLI and app edge.

Messages name ids, files and values that came from untrusted input, so an error's text
is always one line with every control character written as an escape (``\\x0a``): a
newline or an ESC in an id can neither split the message nor reach a terminal.
"""

from __future__ import annotations

import re

__all__ = [
    "AirgraphError",
    "ConfigError",
    "IngestError",
    "UnknownIdError",
    "QueryError",
    "SchemaError",
    "StoreError",
    "visible",
]

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi controls
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` with every control character written as an escape (``\\x1b``)."""
    return _CONTROL.sub(_show, str(text))


class AirgraphError(Exception):
    """Base of every error airgraph raises on purpose."""

    def __str__(self) -> str:
        return visible(super().__str__())


class ConfigError(AirgraphError):
    """A setting, URI or option is invalid."""


class SchemaError(AirgraphError):
    """A record breaks the graph schema (kind, property type, edge endpoints)."""


class IngestError(AirgraphError):
    """Input could not be ingested; names the file, line and object where known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        obj: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.obj = obj
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        subject = f" [{self.obj}]" if self.obj else ""
        return f"{where}{subject}: {self.message}" if where else f"{self.message}{subject}"


class StoreError(AirgraphError):
    """The graph store failed or holds no usable snapshot."""


class QueryError(AirgraphError):
    """A query cannot be answered with the given arguments."""


class UnknownIdError(QueryError):
    """An id given by the user matches no node; carries the closest ids."""

    def __init__(self, given: str, suggestions: list[str], *, ambiguous: bool = False) -> None:
        self.given = given
        self.suggestions = suggestions
        self.ambiguous = ambiguous
        if ambiguous:
            message = f"'{given}' is ambiguous; it matches: {', '.join(suggestions)}"
        elif suggestions:
            message = f"no node '{given}'; did you mean: {', '.join(suggestions)}?"
        else:
            message = f"no node '{given}'"
        super().__init__(message)
