"""Hidden instructions in text a model reads: tool descriptions, schemas, instruction files.

Each pattern is a named object with a pure check, so a finding cites the pattern's id.
Tuned for few false positives: a pattern needs the wording of an instruction aimed at
the model (a hidden tag, an override, a request to conceal or to read credentials),
never a single common word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["LONG_DESCRIPTION", "PATTERNS", "Hit", "hidden_characters", "instruction_hits",
           "schema_texts", "text_hits"]

LONG_DESCRIPTION = 3000
"""Characters past which a tool description is reported as very long."""


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    label: str
    regex: re.Pattern[str]
    in_instruction_files: bool
    """Also checked in AGENTS.md and the like (where plain imperatives are normal)."""


def _p(pattern_id: str, label: str, regex: str, *, files: bool = True) -> Pattern:
    return Pattern(pattern_id, label, re.compile(regex, re.IGNORECASE | re.DOTALL), files)


PATTERNS: tuple[Pattern, ...] = (
    _p("hidden-tag", "a tag addressed to the model",
       r"<\s*/?\s*(important|system|system[-_ ]prompt|instructions?|secret|hidden|admin|"
       r"assistant[-_ ]only)\s*>|\[/?(INST|SYSTEM)\]", files=False),
    _p("override", "overrides earlier instructions",
       r"\b(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier|"
       r"other|preceding)\s+(instructions|prompts|rules|directions)"),
    _p("conceal", "asks to hide its actions from the user",
       r"\b(do\s+not|don'?t|never)\s+(tell|mention|inform|reveal|show|notify|alert|disclose)"
       r"\s+(this\s+|it\s+|anything\s+)?(to\s+)?(the\s+)?user|\bwithout\s+(telling|informing|"
       r"notifying|alerting|asking)\s+the\s+user|\bthe\s+user\s+(must|should)\s+not\s+(know|"
       r"see|be\s+told)|\bkeep\s+this\s+(a\s+)?(secret|hidden)"),
    _p("sensitive-file", "asks for credentials or configuration files",
       r"~/\.ssh|\bid_(rsa|ed25519|ecdsa)\b|\.aws/credentials|/etc/(passwd|shadow)|"
       r"\.git-credentials|\.netrc\b|\.npmrc\b|\.kube/config|claude_desktop_config\.json|"
       r"\.cursor/mcp\.json"),
    _p("tool-chaining", "tells the model to read or call something first",
       r"\b(before|after)\s+(using|calling|running|invoking)\s+this\s+tool,?\s+(you\s+)?"
       r"(must\s+|should\s+|always\s+|first\s+|need\s+to\s+)*(read|call|use|invoke|send|"
       r"pass|include|get|fetch|copy|upload)\b", files=False),
    _p("html-comment", "an HTML comment with instructions (hidden when rendered)",
       r"<!--(?:(?!-->).)*\b(you|must|always|never|ignore|run|execute|curl|wget|send)\b"
       r"(?:(?!-->).)*-->"),
)

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                        "\U000e0000-\U000e007f\U000e0100-\U000e01ef]")


@dataclass(frozen=True, slots=True)
class Hit:
    pattern: str
    label: str
    where: str
    evidence: str
    line: int
    """1-based line of the match within the text."""


def _snippet(text: str, start: int, end: int, margin: int = 60) -> str:
    return text[max(0, start - margin):min(len(text), end + margin)]


def text_hits(text: str, where: str, *, instruction_file: bool = False) -> list[Hit]:
    """Hidden-instruction patterns in ``text`` (one hit per pattern)."""
    hits = []
    for pattern in PATTERNS:
        if instruction_file and not pattern.in_instruction_files:
            continue
        match = pattern.regex.search(text)
        if match:
            hits.append(Hit(pattern.id, pattern.label, where,
                            _snippet(text, match.start(), match.end()),
                            text.count("\n", 0, match.start()) + 1))
    return hits


def hidden_characters(text: str) -> list[tuple[int, str]]:
    """``(offset, char)`` of each invisible or bidi-control character; a zero-width joiner
    between two symbols (an emoji sequence) is not one."""
    found = []
    for match in _INVISIBLE.finditer(text):
        i, char = match.start(), match.group()
        if char == "\u200d" and 0 < i < len(text) - 1 and all(
                unicodedata.category(c) in ("So", "Sk") for c in (text[i - 1], text[i + 1])):
            continue
        found.append((i, char))
    return found


def schema_texts(schema: Mapping[str, Any], path: str = "inputSchema") -> Iterator[
        tuple[str, str]]:
    """``(where, text)`` for every description, title, parameter name and string default in
    an input schema: poisoning hides there as well as in the description."""
    for key, value in schema.items():
        here = f"{path}.{key}"
        if isinstance(value, str) and key in ("description", "title", "default", "const"):
            yield here, value
        elif isinstance(value, Mapping):
            if key == "properties":
                for name in value:
                    yield f"{here} (parameter name)", str(name)
            yield from schema_texts(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from schema_texts(item, f"{here}[{i}]")
                elif isinstance(item, str) and key == "enum":
                    yield f"{here}[{i}]", item


def instruction_hits(text: str, where: str) -> list[Hit]:
    """Patterns and hidden characters in an agent instruction file."""
    hits = text_hits(text, where, instruction_file=True)
    chars = hidden_characters(text)
    if chars:
        offset = chars[0][0]
        hits.append(Hit("hidden-unicode", f"{len(chars)} invisible or bidi-control "
                        "characters", where, _snippet(text, offset, offset + 1),
                        text.count("\n", 0, offset) + 1))
    return hits
